import { SHADERS } from './shaders.gen.js';

/** Library files (no entry points) each kernel file needs in front of it: WGSL has no includes. */
export const PRELUDES: Record<string, string[]> = {
  add: ['saturate'],
  crossings: ['f64', 'regions'],
  entries: ['regions'],
  parity: ['regions', 'saturate', 'burn'],
  lines: ['saturate', 'burn'],
  touch: ['f64', 'saturate', 'burn', 'visit'],
  zline: ['f64', 'convert', 'saturate', 'burn'],
  ztouch: ['f64', 'convert', 'saturate', 'burn', 'visit'],
  touchadd: ['f64', 'saturate', 'burn', 'visit'],
};

/** The source of shaders/<name>.wgsl as compiled: its preludes, then the file. */
export function shaderSource(name: string): string {
  const own = SHADERS[name];
  if (own === undefined) throw new Error(`no shader ${name}.wgsl`);
  return [...(PRELUDES[name] ?? []).map((p) => SHADERS[p]), own].join('\n');
}

/** Library files that use names of the files they are prepended to, so compile only inside them. */
export const IN_CONTEXT_ONLY = new Set(['saturate', 'burn', 'convert', 'visit']);
