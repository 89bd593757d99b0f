// The GPU kit's WebGPU set-up: Dawn named to the engine with a literal import (as the CLI does), so
// that the bundle carries it, and the adapter described once for the report.
import { requestDawnAdapter } from '../../src/gpu/dawn.js';
import { describeAdapter, getWebGPUDevice, setWebGPUProvider, type AdapterDescription } from '../../src/gpu/device.js';

/** Has the engine find its adapter through Dawn (the `webgpu` package beside the bundle). */
export function useDawn(): void {
  setWebGPUProvider(requestDawnAdapter);
}

/** The shared device's adapter; throws with Dawn's reason when there is none. */
export async function openAdapter(): Promise<AdapterDescription> {
  useDawn();
  return describeAdapter(await getWebGPUDevice());
}
