/** a monotonic clock where there is one (browsers, Node), else wall time */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** what an aborted burn throws: the signal's own reason, else a DOM-style AbortError */
export function abortError(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('burn aborted');
  err.name = 'AbortError';
  return err;
}
