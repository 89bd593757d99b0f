// Waiting on a WebGPU device without hanging, and turning its asynchronous errors into rejections
// that name the step: every burn path wraps its GPU work in these.

const guards = new WeakMap<GPUDevice, <T>(p: Promise<T>) => Promise<T>>();

// the device-lost promise turned into a rejection, raced against every wait so nothing hangs;
// one per device, so burns do not pile reactions onto device.lost
export function lostGuard(device: GPUDevice): <T>(p: Promise<T>) => Promise<T> {
  let guard = guards.get(device);
  if (!guard) {
    const lost = device.lost.then((info) => {
      throw new Error(`WebGPU device lost (${info.reason}): ${info.message || 'no message'}`);
    });
    lost.catch(() => { /* raced below; a loss between burns is nobody's error */ });
    guard = <T>(p: Promise<T>) => Promise.race([p, lost]);
    guards.set(device, guard);
  }
  return guard;
}

const SCOPES: GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];

function pushScopes(device: GPUDevice): void {
  for (const f of SCOPES) device.pushErrorScope(f);
}

// pops what pushScopes pushed; rejects with the first error, naming the step
function popScopes(device: GPUDevice, step: string): Promise<void> {
  const pops = SCOPES.map(() => device.popErrorScope()).reverse();
  return Promise.all(pops).then((errs) => {
    for (let k = 0; k < errs.length; k++) {
      const e = errs[k];
      if (e) throw new Error(`WebGPU ${SCOPES[k]} error during ${step}: ${e.message}`);
    }
  });
}

// runs fn inside the error scopes and pops them even when fn throws, so a failed burn never leaves
// the shared device's scope stack unbalanced; the promise reports GPU-side errors of the step
export function scoped<T>(device: GPUDevice, step: string, fn: () => T): [T, Promise<void>] {
  pushScopes(device);
  let value: T;
  try {
    value = fn();
  } catch (e) {
    popScopes(device, step).catch(() => { /* the thrown error is the one to report */ });
    throw e;
  }
  const errors = popScopes(device, step);
  errors.catch(() => { /* awaited by the caller */ });
  return [value, errors];
}
