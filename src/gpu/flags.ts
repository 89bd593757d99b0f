// WebGPU usage and map-mode bit values from the spec. Written out rather than read from the
// GPUBufferUsage / GPUTextureUsage / GPUMapMode globals, which Dawn in Node only provides if they
// are copied onto globalThis (and we do not touch globals).

export const BUF_MAP_READ = 0x0001;
export const BUF_COPY_SRC = 0x0004;
export const BUF_COPY_DST = 0x0008;
export const BUF_INDEX = 0x0010;
export const BUF_VERTEX = 0x0020;
export const BUF_UNIFORM = 0x0040;
export const BUF_STORAGE = 0x0080;
export const BUF_INDIRECT = 0x0100;

export const TEX_COPY_SRC = 0x01;
export const TEX_COPY_DST = 0x02;
export const TEX_RENDER_ATTACHMENT = 0x10;

export const MAP_READ = 0x0001;

export const STAGE_VERTEX = 0x1;
export const STAGE_FRAGMENT = 0x2;
export const STAGE_COMPUTE = 0x4;
