import { packWgsl, spansWgsl, trianglesWgsl } from './shaders.gen.js';
import { shaderSource } from './shader-source.js';
import { STAGE_COMPUTE, STAGE_FRAGMENT, STAGE_VERTEX } from './flags.js';

/** Bytes per triangle vertex: x, y as float32 then the value bits. */
export const TRI_VERTEX_BYTES = 12;

/** vs_tri's inputs (triangles.wgsl) in one vertex buffer, packed tightly in TRI_VERTEX_BYTES. */
export const TRI_VERTEX_ATTRIBUTES: GPUVertexAttribute[] = [
  { shaderLocation: 0, offset: 0, format: 'float32x2' },
  { shaderLocation: 1, offset: 8, format: 'uint32' },
];

/** Pipelines and layouts of one device, created on first use. */
export interface Pipelines {
  /** group 0 of both render pipelines: the Tile uniform and the span rectangles */
  tileLayout: GPUBindGroupLayout;
  /** group 0 of the add compute pipelines: Tile, AddParams, accumulators, rectangles */
  addLayout: GPUBindGroupLayout;
  /** group 0 of the pack pipeline: PackParams, accumulators, packed output */
  packLayout: GPUBindGroupLayout;
  /** span quads into a target of this format, blending additively when `blend` */
  spans(format: GPUTextureFormat, fragment: string, blend: boolean): GPURenderPipeline;
  /** earcut triangles into a target of this format */
  triangles(format: GPUTextureFormat, fragment: string): GPURenderPipeline;
  compute(entry: 'fill' | 'add_wrap' | 'add_sat' | 'pack'): GPUComputePipeline;
}

const cache = new WeakMap<GPUDevice, Pipelines>();

/** The shader modules, compiled once per device (exported for the compile test). */
export function shaderModules(device: GPUDevice): Record<'spans' | 'triangles' | 'add' | 'pack', GPUShaderModule> {
  return {
    spans: device.createShaderModule({ label: 'spans.wgsl', code: spansWgsl }),
    triangles: device.createShaderModule({ label: 'triangles.wgsl', code: trianglesWgsl }),
    add: device.createShaderModule({ label: 'add.wgsl', code: shaderSource('add') }),
    pack: device.createShaderModule({ label: 'pack.wgsl', code: packWgsl }),
  };
}

export function pipelinesFor(device: GPUDevice): Pipelines {
  const hit = cache.get(device);
  if (hit) return hit;
  const modules = shaderModules(device);
  const tileLayout = device.createBindGroupLayout({
    label: 'tile',
    entries: [
      { binding: 0, visibility: STAGE_VERTEX | STAGE_FRAGMENT, buffer: { type: 'uniform' } },
      { binding: 1, visibility: STAGE_VERTEX, buffer: { type: 'read-only-storage' } },
    ],
  });
  const addLayout = device.createBindGroupLayout({
    label: 'add',
    entries: [
      { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } },
      { binding: 2, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } },
      { binding: 3, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } },
    ],
  });
  const packLayout = device.createBindGroupLayout({
    label: 'pack',
    entries: [
      { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } },
      { binding: 2, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } },
    ],
  });
  const renderLayout = device.createPipelineLayout({ bindGroupLayouts: [tileLayout] });
  const addPipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [addLayout] });
  const packPipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [packLayout] });
  const blendAdd: GPUBlendState = {
    color: { operation: 'add', srcFactor: 'one', dstFactor: 'one' },
    alpha: { operation: 'add', srcFactor: 'one', dstFactor: 'one' },
  };
  const render = new Map<string, GPURenderPipeline>();
  const compute = new Map<string, GPUComputePipeline>();
  const p: Pipelines = {
    tileLayout,
    addLayout,
    packLayout,
    spans(format, fragment, blend) {
      const key = `spans ${format} ${fragment} ${blend}`;
      let pipe = render.get(key);
      if (!pipe) {
        pipe = device.createRenderPipeline({
          label: key,
          layout: renderLayout,
          vertex: { module: modules.spans, entryPoint: 'vs_span' },
          fragment: { module: modules.spans, entryPoint: fragment, targets: [blend ? { format, blend: blendAdd } : { format }] },
          primitive: { topology: 'triangle-list', cullMode: 'none' },
        });
        render.set(key, pipe);
      }
      return pipe;
    },
    triangles(format, fragment) {
      const key = `triangles ${format} ${fragment}`;
      let pipe = render.get(key);
      if (!pipe) {
        pipe = device.createRenderPipeline({
          label: key,
          layout: renderLayout,
          vertex: {
            module: modules.triangles,
            entryPoint: 'vs_tri',
            buffers: [{
              arrayStride: TRI_VERTEX_BYTES,
              stepMode: 'vertex',
              attributes: TRI_VERTEX_ATTRIBUTES,
            }],
          },
          fragment: { module: modules.triangles, entryPoint: fragment, targets: [{ format }] },
          primitive: { topology: 'triangle-list', cullMode: 'none' },
        });
        render.set(key, pipe);
      }
      return pipe;
    },
    compute(entry) {
      let pipe = compute.get(entry);
      if (!pipe) {
        pipe = device.createComputePipeline({
          label: entry,
          layout: entry === 'pack' ? packPipelineLayout : addPipelineLayout,
          compute: { module: entry === 'pack' ? modules.pack : modules.add, entryPoint: entry },
        });
        compute.set(entry, pipe);
      }
      return pipe;
    },
  };
  cache.set(device, p);
  return p;
}

// The exact fill's compute pipelines (src/gpu/fill/): 'auto' layouts, each entry point binding
// exactly what its module declares.
/** The exact fill's compute pipelines of one device, compiled on first use. */
export interface FillKernels {
  /** crossings.wgsl (after f64.wgsl): GDAL's row crossings toggled into parity bitmaps */
  toggle: GPUComputePipeline;
  /** parity.wgsl: prefix parity of each bitmap row into owner ids */
  parity: GPUComputePipeline;
  /** owner.wgsl: host spans into owner ids */
  spans: GPUComputePipeline;
  /** resolve.wgsl: owner ids into packed pixel values */
  resolve: GPUComputePipeline;
  /** a batch unit's spans (owner.wgsl) and resolve with each job's initial value (resolve.wgsl) */
  spanCells: GPUComputePipeline;
  resolveJobs: GPUComputePipeline;
  /** lines.wgsl: Bresenham runs of lines into owner ids or accumulators */
  lines: GPUComputePipeline;
  /** lines.wgsl: a batch unit's runs, each job's into its own stretch of owner ids */
  linesJobs: GPUComputePipeline;
  /** entries.wgsl: a tile's edge entries and their crossing counts, then their starts and the toggle dispatch */
  countEntries: GPUComputePipeline;
  finishEntries: GPUComputePipeline;
  /** scan.wgsl: in-place exclusive prefix sums, one block a workgroup, and the blocks' offsets added back */
  scanBlocks: GPUComputePipeline;
  addOffsets: GPUComputePipeline;
}

/**
 * The walks in emulated float64 (touch.wgsl: stepped all-touched segments; zline.wgsl: lines burning
 * Z; ztouch.wgsl: all-touched lines burning Z), compiled on a burn's first need only: each is a large
 * module (f64.wgsl inside), which a software adapter takes seconds to compile, and most burns need none.
 */
export type WalkKernel = 'touch' | 'touchJobs' | 'zline' | 'ztouch';
const WALK_ENTRY: Record<WalkKernel, string> = { touch: 'touch_walk', touchJobs: 'touch_walk_jobs', zline: 'zline_runs', ztouch: 'ztouch_walk' };
// the shader file of each (touchJobs: a batch unit's segments, in touch.wgsl)
const WALK_FILE: Record<WalkKernel, string> = { touch: 'touch', touchJobs: 'touch', zline: 'zline', ztouch: 'ztouch' };
const walkCache = new WeakMap<GPUDevice, Map<WalkKernel, Promise<GPUComputePipeline>>>();

export function walkKernel(device: GPUDevice, name: WalkKernel): Promise<GPUComputePipeline> {
  let cache = walkCache.get(device);
  if (!cache) walkCache.set(device, (cache = new Map()));
  const hit = cache.get(name);
  if (hit) return hit;
  const module = device.createShaderModule({ label: `${WALK_FILE[name]}.wgsl`, code: shaderSource(WALK_FILE[name]) });
  const p = device.createComputePipelineAsync({ label: WALK_ENTRY[name], layout: 'auto', compute: { module, entryPoint: WALK_ENTRY[name] } });
  p.catch(() => cache!.delete(name));
  cache.set(name, p);
  return p;
}

const fillCache = new WeakMap<GPUDevice, Promise<FillKernels>>();

/** The shader modules of the exact fill. */
function fillModules(device: GPUDevice): Record<'crossings' | 'parity' | 'owner' | 'resolve' | 'lines' | 'entries' | 'scan', GPUShaderModule> {
  return {
    entries: device.createShaderModule({ label: 'entries.wgsl', code: shaderSource('entries') }),
    scan: device.createShaderModule({ label: 'scan.wgsl', code: shaderSource('scan') }),
    crossings: device.createShaderModule({ label: 'crossings.wgsl', code: shaderSource('crossings') }),
    parity: device.createShaderModule({ label: 'parity.wgsl', code: shaderSource('parity') }),
    owner: device.createShaderModule({ label: 'owner.wgsl', code: shaderSource('owner') }),
    resolve: device.createShaderModule({ label: 'resolve.wgsl', code: shaderSource('resolve') }),
    lines: device.createShaderModule({ label: 'lines.wgsl', code: shaderSource('lines') }),
  };
}

/**
 * The exact fill's pipelines, compiled once per device off the main thread
 * (createComputePipelineAsync): a burn starts this before planning, so compilation overlaps the
 * host's own work instead of blocking it.
 */
export function fillKernels(device: GPUDevice): Promise<FillKernels> {
  const hit = fillCache.get(device);
  if (hit) return hit;
  const m = fillModules(device);
  // 'auto' layouts: each entry point binds exactly what its module declares
  const pipe = (module: GPUShaderModule, entryPoint: string) =>
    device.createComputePipelineAsync({ label: entryPoint, layout: 'auto', compute: { module, entryPoint } });
  const k = Promise.all([
    pipe(m.crossings, 'toggle_crossings'), pipe(m.parity, 'parity_owner'), pipe(m.owner, 'span_owner'), pipe(m.resolve, 'resolve'),
    pipe(m.owner, 'span_owner_cells'), pipe(m.resolve, 'resolve_jobs'), pipe(m.lines, 'line_runs'),
    pipe(m.lines, 'line_runs_jobs'), pipe(m.entries, 'count_entries'), pipe(m.entries, 'finish_entries'),
    pipe(m.scan, 'scan_blocks'), pipe(m.scan, 'add_offsets'),
  ]).then(([toggle, parity, spans, resolve, spanCells, resolveJobs, lines, linesJobs, countEntries, finishEntries, scanBlocks, addOffsets]): FillKernels => ({
    toggle, parity, spans, resolve, spanCells, resolveJobs, lines, linesJobs, countEntries, finishEntries, scanBlocks, addOffsets,
  }));
  // a failed compile is not cached: the next burn tries again and reports its own error
  k.catch(() => fillCache.delete(device));
  fillCache.set(device, k);
  return k;
}
