import { afterAll, describe, expect, test } from 'vitest';
import { SHADERS } from '../../src/gpu/shaders.gen.js';
import { pipelinesFor } from '../../src/gpu/pipelines.js';
import { fillKernels, walkKernel } from '../../src/gpu/pipelines.js';
import { IN_CONTEXT_ONLY, PRELUDES, shaderSource } from '../../src/gpu/shader-source.js';
import { testDevice } from './helpers.js';

// integer inter-stage values must be flat (WGSL rejects interpolating them); house rule: every
// @location struct member of integer type says @interpolate(flat, either) — `either` because
// emulating the provoking vertex costs extra on some backends and the values are per-instance anyway
// struct members split at top-level commas (not those inside (...) or <...>)
function members(body: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let k = 0; k < body.length; k++) {
    const ch = body[k];
    if (ch === '(' || ch === '<') depth++;
    else if (ch === ')' || ch === '>') depth--;
    else if (ch === ',' && depth === 0) { out.push(body.slice(start, k)); start = k + 1; }
  }
  out.push(body.slice(start));
  return out.filter((m) => m.trim() !== '');
}

describe('shader text', () => {
  test('every shader file is generated into shaders.gen.ts', () => {
    expect(Object.keys(SHADERS).sort()).toEqual(['add', 'burn', 'convert', 'crossings', 'entries', 'f64', 'lines', 'owner', 'pack', 'parity', 'regions', 'resolve', 'saturate', 'scan', 'spans', 'touch', 'touchadd', 'triangles', 'visit', 'zline', 'ztouch']);
  });

  test('burn() is defined once, in burn.wgsl, and every kernel that visits pixels takes it from there', () => {
    const defines = Object.keys(SHADERS).filter((n) => /^fn burn\(/m.test(SHADERS[n]));
    expect(defines).toEqual(['burn']);
    const callers = Object.keys(SHADERS).filter((n) => /\bburn\(/.test(SHADERS[n].replace(/\/\/.*$/gm, '')) && n !== 'burn');
    // a library file that calls burn() (visit.wgsl) passes the need on to every kernel it is prepended to
    const kernels = Object.keys(PRELUDES).filter((k) => callers.includes(k) || PRELUDES[k].some((p) => callers.includes(p)));
    for (const name of callers.filter((n) => !IN_CONTEXT_ONLY.has(n))) expect(kernels, name).toContain(name);
    for (const name of kernels) expect(PRELUDES[name], name).toContain('burn');
  });

  // f64.wgsl is a library concatenated in front of the kernels that use it: it must bring no entry
  // points or bindings of its own, and only f64_-prefixed names that cannot clash with theirs
  test('f64.wgsl is a library: no entry points, no bindings, every name prefixed', () => {
    const code = SHADERS.f64.replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/@(compute|vertex|fragment|group|binding)\b/);
    const topLevel = [...code.matchAll(/^(?:fn|const|var|override|struct|alias)\s+([A-Za-z_]\w*)/gm)].map((m) => m[1]);
    expect(topLevel.filter((n) => !/^(f64_|F64_)/.test(n))).toEqual([]);
    expect(topLevel).toEqual(expect.arrayContaining(['f64_add', 'f64_sub', 'f64_mul', 'f64_div', 'f64_from_i32', 'f64_floor_i32', 'f64_gdal_crossing']));
  });

  test('integer inter-stage variables are @interpolate(flat, either)', () => {
    let checked = 0;
    for (const [name, code] of Object.entries(SHADERS)) {
      const structs = code.replace(/\/\/.*$/gm, '').matchAll(/struct\s+\w+\s*\{([^}]*)\}/g);
      for (const [, body] of structs) {
        for (const member of members(body)) {
          if (!/@location\(/.test(member)) continue;
          const type = member.split(':').pop()!.trim();
          if (/^(u32|i32|vec[234]<[ui]32>|vec[234][ui])$/.test(type)) {
            checked++;
            expect(member, `${name}.wgsl: ${member.trim()}`).toMatch(/@interpolate\(flat,\s*either\)/);
          }
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  test('the text check catches a missing flat', () => {
    const bad = 'struct V { @builtin(position) p: vec4<f32>, @location(0) bits: u32, }';
    const body = /struct\s+\w+\s*\{([^}]*)\}/.exec(bad)![1];
    const member = members(body).find((m) => /@location/.test(m))!;
    expect(member).not.toMatch(/@interpolate\(flat/);
  });
});

const { device, why } = await testDevice();
if (!device) console.warn(`skipping GPU shader compilation: ${why}`);

describe.skipIf(!device)('shader compilation (Dawn)', () => {
  afterAll(() => { /* the shared device stays for the other GPU tests in this process */ });

  for (const name of Object.keys(SHADERS).filter((n) => !IN_CONTEXT_ONLY.has(n))) {
    test(`${name}.wgsl compiles without errors or warnings`, async () => {
      device!.pushErrorScope('validation');
      // kernels that use a library file are compiled with it in front (src/gpu/shader-source.ts)
      const module = device!.createShaderModule({ label: name, code: shaderSource(name) });
      const info = await module.getCompilationInfo();
      const err = await device!.popErrorScope();
      const messages = info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`);
      expect(messages).toEqual([]);
      expect(err).toBeNull();
    });
  }

  test('every in-context library is compiled inside a kernel that names it', () => {
    for (const lib of IN_CONTEXT_ONLY) expect(Object.values(PRELUDES).some((l) => l.includes(lib)), lib).toBe(true);
  });

  test('every pipeline builds', async () => {
    device!.pushErrorScope('validation');
    const p = pipelinesFor(device!);
    for (const [format, fs] of [['r8uint', 'fs_uint'], ['r16uint', 'fs_uint'], ['r16sint', 'fs_sint'], ['r32uint', 'fs_uint'], ['r32sint', 'fs_sint']] as const) {
      p.spans(format, fs, false);
      p.triangles(format, fs);
    }
    if (device!.features.has('float32-blendable')) p.spans('r32float', 'fs_float', true);
    for (const e of ['fill', 'add_wrap', 'add_sat', 'pack'] as const) p.compute(e);
    await fillKernels(device!);
    for (const w of ['touch', 'zline', 'ztouch'] as const) await walkKernel(device!, w);
    expect(await device!.popErrorScope()).toBeNull();
  });
});
