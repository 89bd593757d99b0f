import { WebGPUUnavailableError } from './errors.js';

/** What the adapter says it is, recorded with every GPU result. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a software rasterizer (SwiftShader, llvmpipe/lavapipe, WARP): never to be called a GPU */
  software: boolean;
  /** one line for logs and benchmark tables, e.g. "software adapter: google swiftshader (...)" */
  label: string;
}

/** Device limits and optional features, decided once per device. */
export interface GpuPlan {
  /** largest texture side (maxTextureDimension2D); tiles are never larger */
  maxTextureSide: number;
  /** largest single buffer in bytes (maxBufferSize): staging and instance buffers stay below it */
  maxBufferSize: number;
  /** largest storage-buffer binding in bytes (maxStorageBufferBindingSize): merge-'add' accumulators */
  maxStorageBinding: number;
  /** workgroups per dispatch dimension (maxComputeWorkgroupsPerDimension) */
  maxWorkgroups: number;
  /** texture-formats-tier1: r8/r16 integer formats as storage textures; recorded, the core path never needs it */
  textureFormatsTier1: boolean;
  /** float32-blendable: float32 merge 'add' can blend on the GPU instead of falling back to the CPU */
  float32Blendable: boolean;
  /** GPU memory one burn may hold at once (target, staging, accumulators), before tiling kicks in */
  memoryBudget: number;
  /** the adapter behind this device */
  adapter: AdapterDescription;
}

/** Default memory budget of one burn: 512 MiB, an 8192 x 8192 uint16 tile with two staging rows. */
export const DEFAULT_MEMORY_BUDGET = 512 * 1024 * 1024;

/**
 * Bytes per row of a texture <-> buffer copy. WebGPU requires `bytesPerRow` of copyTextureToBuffer
 * to be a multiple of 256 (spec: GPUImageCopyBuffer, "bytesPerRow must be a multiple of 256");
 * every such alignment in this engine goes through here.
 */
export function alignedBytesPerRow(width: number, bytesPerPixel: number): number {
  return Math.ceil((width * bytesPerPixel) / 256) * 256;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|warp/i;

/** Describes an adapter from its GPUAdapterInfo, flagging software rasterizers. */
export function describeAdapterInfo(info: GPUAdapterInfo | undefined, isFallback = false): AdapterDescription {
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const device = info?.device ?? '';
  const description = info?.description ?? '';
  const fallbackFlag = (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  const software = isFallback || fallbackFlag || SOFTWARE.test(`${vendor} ${architecture} ${device} ${description}`);
  const name = [vendor, architecture, device].filter((s) => s).join(' ') || 'unknown adapter';
  const label = `${software ? 'software adapter' : 'GPU'}: ${name}${description ? ` (${description})` : ''}`;
  return { vendor, architecture, device, description, software, label };
}

/** Returns an adapter, or null when none exists; `why` explains a null. */
export type AdapterProvider = () => Promise<{ adapter: GPUAdapter | null; why?: string }>;

let provider: AdapterProvider | null = null;
let cached: Promise<GPUDevice> | null = null;
// the device behind `cached`, once it exists
let current: GPUDevice | null = null;
const plans = new WeakMap<GPUDevice, GpuPlan>();
const described = new WeakMap<GPUDevice, AdapterDescription>();

/** Replaces how adapters are found (e.g. a page's own GPU, or a Node entry that set up Dawn). */
export function setWebGPUProvider(p: AdapterProvider | null): void {
  provider = p;
  cached = null;
}

// navigator.gpu where it exists; else Dawn in Node. The specifier is a variable so browser
// bundlers do not try to pull dawn.ts (node:fs, process) into the core.
async function defaultProvider(): Promise<{ adapter: GPUAdapter | null; why?: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) {
    const adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter ? { adapter } : { adapter: null, why: 'navigator.gpu.requestAdapter() returned null' };
  }
  // Dawn is Node-only: a browser (or worker) without navigator.gpu has no WebGPU at all, and
  // importing dawn.js there would only fetch a file the bundle does not have
  if (!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node) {
    return { adapter: null, why: 'navigator.gpu is undefined (this browser or worker has no WebGPU)' };
  }
  const dawn = './dawn.js';
  let mod: { requestDawnAdapter: AdapterProvider };
  try {
    mod = (await import(/* @vite-ignore */ dawn)) as { requestDawnAdapter: AdapterProvider };
  } catch (e) {
    return { adapter: null, why: `no navigator.gpu and Dawn could not be loaded: ${(e as Error).message}` };
  }
  return mod.requestDawnAdapter();
}

async function createDevice(): Promise<GPUDevice> {
  const { adapter, why } = await (provider ?? defaultProvider)();
  if (!adapter) throw new WebGPUUnavailableError(`no WebGPU adapter: ${why ?? 'unknown reason'}`);
  const wanted: GPUFeatureName[] = ['float32-blendable', 'texture-formats-tier1' as GPUFeatureName];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  const l = adapter.limits;
  // ask for what the adapter offers: the defaults (8192 textures, 256 MiB buffers) are far below
  // what real GPUs allow and would force needless tiling
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxTextureDimension2D: l.maxTextureDimension2D,
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  });
  described.set(device, describeAdapterInfo(adapter.info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true));
  // a lost device is never handed out again: the next call creates a fresh one
  void device.lost.then(() => {
    if (cached && current === device) cached = null;
  });
  current = device;
  return device;
}

/**
 * The shared WebGPU device: navigator.gpu in browsers, Dawn (the `webgpu` package) in Node, where
 * SwiftShader is tried when no other Vulkan driver gives an adapter. Throws WebGPUUnavailableError
 * when there is no adapter at all.
 */
export function getWebGPUDevice(): Promise<GPUDevice> {
  if (!cached) {
    cached = createDevice();
    cached.catch(() => { cached = null; });
  }
  return cached;
}

/** Destroys the shared device (if any); the next getWebGPUDevice() starts a new one. */
export async function releaseWebGPUDevice(): Promise<void> {
  const p = cached;
  cached = null;
  current = null;
  if (p) {
    try { (await p).destroy(); } catch { /* it never existed: nothing to release */ }
  }
}

/** Describes the adapter behind a device (the shared one when none is given). */
export async function describeAdapter(device?: GPUDevice): Promise<AdapterDescription> {
  const d = device ?? (await getWebGPUDevice());
  let desc = described.get(d);
  if (!desc) {
    desc = describeAdapterInfo((d as { adapterInfo?: GPUAdapterInfo }).adapterInfo);
    described.set(d, desc);
  }
  return desc;
}

/** The device's limits and features as the engine uses them, computed once per device. */
export async function planFor(device: GPUDevice): Promise<GpuPlan> {
  let plan = plans.get(device);
  if (!plan) {
    const l = device.limits;
    plan = {
      maxTextureSide: l.maxTextureDimension2D,
      maxBufferSize: l.maxBufferSize,
      maxStorageBinding: l.maxStorageBufferBindingSize,
      maxWorkgroups: l.maxComputeWorkgroupsPerDimension,
      textureFormatsTier1: device.features.has('texture-formats-tier1'),
      float32Blendable: device.features.has('float32-blendable'),
      memoryBudget: DEFAULT_MEMORY_BUDGET,
      adapter: await describeAdapter(device),
    };
    plans.set(device, plan);
  }
  return plan;
}
