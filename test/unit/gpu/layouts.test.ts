// Pins every record the host writes for the GPU to the WGSL struct that reads it, as text (no GPU):
// each struct's size follows WGSL's memory layout rules (every member at a multiple of its type's
// alignment, the struct's size a multiple of its largest alignment), one name means one layout
// across shaders/, and the TS word counts and uniform packers agree with the structs.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ENTRY_WORDS, REGION_WORDS } from '../../../src/gpu/fill/buffers.js';
import { shaderSource } from '../../../src/gpu/shader-source.js';
import { EDGE_WORDS, SPAN_WORDS } from '../../../src/gpu/fill/plan.js';
import { RUN_WORDS } from '../../../src/gpu/fill/lines.js';
import { TOUCH_WORDS, ZTOUCH_WORDS } from '../../../src/gpu/fill/touch.js';
import { ZRUN_WORDS } from '../../../src/gpu/fill/zlines.js';
import { TRI_VERTEX_ATTRIBUTES, TRI_VERTEX_BYTES } from '../../../src/gpu/pipelines.js';
import { SHADERS } from '../../../src/gpu/shaders.gen.js';
import { RECT_WORDS } from '../../../src/gpu/spans.js';
import {
  ADD_PARAMS_WORDS, CROSSINGS_PARAMS_WORDS, OWNER_PARAMS_WORDS, PACK_PARAMS_WORDS, packAddParams, packCrossingsParams, packOwnerParams,
  packPackParams, packParityParams, packResolveParams, packTile, PARITY_PARAMS_WORDS, RESOLVE_PARAMS_WORDS, TILE_WORDS,
} from '../../../src/gpu/uniforms.js';

interface Member { name: string; type: string; attrs: string }
interface Layout { size: number; align: number; offsets: number[] }

const noComments = (code: string) => code.replace(/\/\/.*$/gm, '');

// a list split at top-level commas: not those inside (...) or [...], nor, in WGSL types, <...>
function split(body: string, angles = true): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let k = 0; k < body.length; k++) {
    const ch = body[k];
    if (ch === '(' || ch === '[' || (angles && ch === '<')) depth++;
    else if (ch === ')' || ch === ']' || (angles && ch === '>')) depth--;
    else if (ch === ',' && depth === 0) { out.push(body.slice(start, k)); start = k + 1; }
  }
  out.push(body.slice(start));
  return out.map((m) => m.trim()).filter((m) => m !== '');
}

function member(text: string): Member {
  const attrs = (text.match(/@\w+(\([^)]*\))?/g) ?? []).join(' ');
  const m = /^(\w+)\s*:\s*(.+)$/.exec(text.replace(/@\w+(\([^)]*\))?/g, '').trim());
  if (!m) throw new Error(`cannot read struct member: ${text}`);
  return { name: m[1], type: m[2].replace(/\s+/g, ''), attrs };
}

/** Every struct of one WGSL source, by name. */
function structsOf(code: string): Map<string, Member[]> {
  const out = new Map<string, Member[]>();
  for (const [, name, body] of noComments(code).matchAll(/struct\s+(\w+)\s*\{([^}]*)\}/g)) out.set(name, split(body).map(member));
  return out;
}

const roundUp = (n: number, k: number) => Math.ceil(n / k) * k;
const SCALARS = new Set(['u32', 'i32', 'f32']);
const SHORT: Record<string, string> = { u: 'u32', i: 'i32', f: 'f32' };

/** Size and alignment in bytes of a WGSL type, for the types these shaders use in memory. */
function typeLayout(type: string, structs: Map<string, Member[]>): { size: number; align: number } {
  if (SCALARS.has(type)) return { size: 4, align: 4 };
  const atomic = /^atomic<(u32|i32)>$/.exec(type);
  if (atomic) return { size: 4, align: 4 };
  const vec = /^vec([234])(?:<(u32|i32|f32)>|([uif]))$/.exec(type);
  if (vec) {
    const n = Number(vec[1]);
    if (!SCALARS.has(vec[2] ?? SHORT[vec[3]])) throw new Error(`unsupported vector type ${type}`);
    return { size: 4 * n, align: n === 2 ? 8 : 16 };
  }
  const arr = /^array<(.+),(\d+)u?>$/.exec(type);
  if (arr) {
    const e = typeLayout(arr[1], structs);
    return { size: roundUp(e.size, e.align) * Number(arr[2]), align: e.align };
  }
  const s = structs.get(type);
  if (s) {
    const l = structLayout(s, structs);
    return { size: l.size, align: l.align };
  }
  throw new Error(`no layout rule for WGSL type ${type}`);
}

function structLayout(members: Member[], structs: Map<string, Member[]>): Layout {
  let offset = 0, align = 1;
  const offsets: number[] = [];
  for (const m of members) {
    const t = typeLayout(m.type, structs);
    offset = roundUp(offset, t.align);
    offsets.push(offset);
    offset += t.size;
    align = Math.max(align, t.align);
  }
  return { size: roundUp(offset, align), align, offsets };
}

// structs that only pass values between shader stages have no memory layout
const isInterStage = (members: Member[]) => members.some((m) => /@(location|builtin)\(/.test(m.attrs));

/** Each shader file's structs; a file that calls the float64 library sees its structs too. */
const FILES = new Map(Object.keys(SHADERS).map((file) => [file, structsOf(shaderSource(file))]));

/** The layout of struct `name` in shader `file`, in 32-bit words. */
function words(file: string, name: string): number {
  const structs = FILES.get(file);
  const s = structs?.get(name);
  if (!structs || !s) throw new Error(`${file}.wgsl has no struct ${name}`);
  const { size } = structLayout(s, structs);
  expect(size % 4, `${file}.wgsl ${name} is not whole words`).toBe(0);
  return size / 4;
}

const signature = (members: Member[]) => members.map((m) => `${m.attrs ? m.attrs + ' ' : ''}${m.name}: ${m.type}`).join(', ');

/** Struct names declared with different members in different files: name -> files by signature. */
function conflicts(files: Map<string, Map<string, Member[]>>): Map<string, string[]> {
  const seen = new Map<string, Map<string, string[]>>();
  for (const [file, structs] of files) {
    for (const [name, members] of structs) {
      const bySig = seen.get(name) ?? new Map<string, string[]>();
      const sig = signature(members);
      bySig.set(sig, [...(bySig.get(sig) ?? []), file]);
      seen.set(name, bySig);
    }
  }
  const out = new Map<string, string[]>();
  for (const [name, bySig] of seen) if (bySig.size > 1) out.set(name, [...bySig.values()].flat().sort());
  return out;
}

// Names allowed to stand for two layouts (none): an entry fails once it no longer differs.
const KNOWN_SHARED = new Map<string, string[]>();

describe('WGSL layout rules', () => {
  const layout = (code: string, name: string) => {
    const structs = structsOf(code);
    return structLayout(structs.get(name)!, structs);
  };

  test('a vec2 member starts on 8 bytes, a vec4 on 16, and the size rounds up to the largest alignment', () => {
    expect(layout('struct A { a: u32, b: vec2<u32> }', 'A')).toEqual({ size: 16, align: 8, offsets: [0, 8] });
    expect(layout('struct B { a: u32, b: vec4<f32>, c: u32 }', 'B')).toEqual({ size: 48, align: 16, offsets: [0, 16, 32] });
    expect(layout('struct C { a: vec2<i32>, b: u32 }', 'C')).toEqual({ size: 16, align: 8, offsets: [0, 8] });
    expect(layout('struct D { a: u32, b: u32, c: u32 }', 'D')).toEqual({ size: 12, align: 4, offsets: [0, 4, 8] });
    expect(layout('struct E { a: u32, b: C } struct C { a: vec2u, b: u32 }', 'E')).toEqual({ size: 24, align: 8, offsets: [0, 8] });
  });

  test('comments and attributes do not count as members', () => {
    expect(layout('struct V {\n  // a, b: u32\n  @location(0) @interpolate(flat, either) bits: u32,\n}', 'V').offsets).toEqual([0]);
  });

  test('a type without a rule is an error, not a guess', () => {
    expect(() => layout('struct M { m: mat2x2<f32> }', 'M')).toThrow(/no layout rule/);
  });

  test('two layouts under one name are found', () => {
    const files = new Map([['a', structsOf('struct S { x: u32 }')], ['b', structsOf('struct S { x: u32, y: u32 }')], ['c', structsOf('struct S { x: u32 }')]]);
    expect(conflicts(files)).toEqual(new Map([['S', ['a', 'b', 'c']]]));
  });
});

describe('WGSL structs in shaders/', () => {
  test('every struct has a layout by these rules', () => {
    let n = 0;
    for (const [file, structs] of FILES) {
      for (const [name, members] of structs) {
        if (isInterStage(members)) continue;
        expect(() => structLayout(members, structs), `${file}.wgsl ${name}`).not.toThrow();
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(12);
  });

  test('one name, one layout: a struct declared in several shaders has the same members in each', () => {
    const found = conflicts(FILES);
    for (const [name, files] of KNOWN_SHARED) {
      expect(found.get(name), `${name} no longer differs between shaders: delete its entry in KNOWN_SHARED`).toEqual(files);
      found.delete(name);
    }
    expect(Object.fromEntries(found)).toEqual({});
  });
});

describe('host records match their structs', () => {
  test('storage records: rectangles, fill edges and spans, tile edges, regions', () => {
    expect(RECT_WORDS).toBe(words('spans', 'Rect'));
    expect(RECT_WORDS).toBe(words('add', 'Rect'));
    expect(EDGE_WORDS).toBe(words('crossings', 'Edge'));
    expect(SPAN_WORDS).toBe(words('owner', 'OwnerSpan'));
    expect(ENTRY_WORDS).toBe(words('crossings', 'TileEdge'));
    expect(REGION_WORDS).toBe(words('regions', 'Region'));
    expect(RUN_WORDS).toBe(words('lines', 'LineRun'));
    expect(TOUCH_WORDS).toBe(words('touch', 'TouchSeg'));
    expect(ZRUN_WORDS).toBe(words('zline', 'ZRun'));
    expect(ZTOUCH_WORDS).toBe(words('ztouch', 'ZTouchSeg'));
    // zline.wgsl's parameters are packed as a Uint32Array(16) with two float64 members
    expect(words('zline', 'ZParams')).toBe(16);
    expect(words('ztouch', 'ZTouchParams')).toBe(16);
  });

  // each packer, given distinct values for the struct's members by name, must put each at that
  // member's offset and zero the padding
  const packers: [file: string, struct: string, count: number, pack: (p: never) => Uint32Array | Int32Array][] = [
    ['spans', 'Tile', TILE_WORDS, packTile],
    ['add', 'AddParams', ADD_PARAMS_WORDS, packAddParams],
    ['pack', 'PackParams', PACK_PARAMS_WORDS, packPackParams],
    ['crossings', 'CrossingsParams', CROSSINGS_PARAMS_WORDS, packCrossingsParams],
    ['parity', 'ParityParams', PARITY_PARAMS_WORDS, packParityParams],
    ['owner', 'OwnerParams', OWNER_PARAMS_WORDS, packOwnerParams],
    ['resolve', 'ResolveParams', RESOLVE_PARAMS_WORDS, packResolveParams],
  ];
  for (const [file, struct, count, pack] of packers) {
    test(`${struct} (${file}.wgsl): its packer writes each member at its offset`, () => {
      const structs = FILES.get(file)!;
      const members = structs.get(struct)!;
      const { size, offsets } = structLayout(members, structs);
      expect(count).toBe(size / 4);
      const input: Record<string, number | number[]> = {};
      const expected = new Array<number>(size / 4).fill(0);
      let next = 101;
      members.forEach((m, k) => {
        if (/^pad\d*$/.test(m.name)) return;
        const n = typeLayout(m.type, structs).size / 4;
        const values = Array.from({ length: n }, () => next++);
        input[m.name] = n === 1 ? values[0] : values;
        values.forEach((v, j) => { expected[offsets[k] / 4 + j] = v; });
      });
      expect(Array.from(pack(input as never))).toEqual(expected);
    });
  }

  // buffers written past their struct with zero words the shader never reads (none): an entry fails
  // once the two agree, and then goes
  const TRAILING_ZEROS = new Map<string, number>();

  // the exact fill (src/gpu/fill/exact.ts) still writes its uniforms as array literals: every such
  // write must name a buffer pinned here and have the word count of a struct that buffer feeds
  test('the exact fill writes each uniform at its struct size', () => {
    const src = readFileSync(new URL('../../../src/gpu/fill/exact.ts', import.meta.url), 'utf8');
    const feeds: Record<string, [file: string, struct: string][]> = {
      tileUniform: [['add', 'Tile']],
      addParams: [['add', 'AddParams']],
      toggleParams: [['crossings', 'CrossingsParams']],
      entryParams: [['entries', 'EntryParams']],
      spanParams: [['owner', 'OwnerParams']],
      parityParams: [['parity', 'ParityParams']],
      resolveParams: [['resolve', 'ResolveParams']],
      packParams: [['pack', 'PackParams']],
      lineParams: [['lines', 'LineParams']],
      touchParams: [['visit', 'WalkParams']],
    };
    let n = 0;
    for (const m of src.matchAll(/writeBuffer\(res\.(\w+), 0, new (?:Uint32|Int32)Array\(\[/g)) {
      // the array literal, to its matching bracket
      let depth = 1, k = m.index + m[0].length;
      const start = k;
      for (; depth > 0; k++) {
        if ('([{'.includes(src[k])) depth++;
        else if (')]}'.includes(src[k])) depth--;
      }
      const literal = split(noComments(src.slice(start, k - 1)), false);
      const structs = feeds[m[1]];
      expect(structs, `src/gpu/fill/exact.ts writes res.${m[1]}: pin it to its struct here`).toBeDefined();
      const sizes = structs.map(([file, struct]) => words(file, struct));
      const extra = TRAILING_ZEROS.get(m[1]);
      let items = literal.length;
      if (extra !== undefined) {
        expect(literal.slice(-extra), `res.${m[1]}: the words past its struct are zeros`).toEqual(new Array(extra).fill('0'));
        expect(sizes, `res.${m[1]} now matches its struct: delete its entry in TRAILING_ZEROS`).not.toContain(items);
        items -= extra;
      }
      expect(sizes, `res.${m[1]} (${items} words) -> ${structs.map(([f, s]) => `${f}.wgsl ${s}`).join(' or ')}`).toContain(items);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(4);
  });

  test('triangle vertices: vs_tri reads its @location inputs from TRI_VERTEX_ATTRIBUTES, packed in TRI_VERTEX_BYTES', () => {
    const params = /fn\s+vs_tri\s*\(((?:[^()]|\([^()]*\))*)\)/.exec(noComments(SHADERS.triangles));
    expect(params).not.toBeNull();
    const inputs = split(params![1]).filter((p) => /@location\(/.test(p)).map((p) => ({
      location: Number(/@location\((\d+)\)/.exec(p)![1]),
      type: member(p).type,
    }));
    // vertex formats and the WGSL types they feed
    const FORMATS: Record<string, [type: string, bytes: number]> = { float32x2: ['vec2<f32>', 8], uint32: ['u32', 4], float32: ['f32', 4] };
    let offset = 0;
    expect(TRI_VERTEX_ATTRIBUTES.map((a) => a.shaderLocation)).toEqual(inputs.map((i) => i.location));
    TRI_VERTEX_ATTRIBUTES.forEach((a, k) => {
      const [type, bytes] = FORMATS[a.format];
      expect(type, `location ${a.shaderLocation}`).toBe(inputs[k].type);
      expect(a.offset, `location ${a.shaderLocation}`).toBe(offset);
      offset += bytes;
    });
    expect(TRI_VERTEX_BYTES).toBe(offset);
  });
});
