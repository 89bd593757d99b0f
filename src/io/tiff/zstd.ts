// ZSTD for TIFF chunks through @bokuweb/zstd-wasm, which runs in Node and in browsers. Its WebAssembly module
// loads asynchronously, once: loadZstd() before writing (or reading) ZSTD chunks; the codecs are synchronous.
import type { Zstd } from './codec.js';

let loaded: Zstd | null = null;
let loading: Promise<Zstd> | null = null;

/** Loads the ZSTD codec once; later calls return the same one. */
export function loadZstd(): Promise<Zstd> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const mod = await import('@bokuweb/zstd-wasm');
    // a CommonJS package: its exports are the namespace itself or its default, depending on the loader
    const m = (typeof mod.init === 'function' ? mod : (mod as unknown as { default: typeof mod }).default);
    await m.init();
    loaded = {
      compress: (d, level) => m.compress(d, level),
      decompress: (d) => m.decompress(d),
    };
    return loaded;
  })();
  return loading;
}

/** The codec if loadZstd() has finished, else null. */
export function zstdIfLoaded(): Zstd | null {
  return loaded;
}
