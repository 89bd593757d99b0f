// Rule references stay inside the repository: every rule id that code, shaders, tests, benchmarks,
// scripts or the app cite must be defined in docs/pixel-rules.md, whose "where" column must name files
// that exist, and nothing may point at documents or trackers a reader of the repository cannot open.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DOC = 'docs/pixel-rules.md';
const SCANNED = ['src', 'test', 'shaders', 'bench', 'scripts', 'app'];
// build output (the GPU kit's too), failing-case copies and bench scratch: ignored by git, not ours to police
const SKIPPED = new Set(['node_modules', 'test/out', 'bench/results/tmp', 'bench/gpu-kit/out', 'dist']);

// the patterns are assembled from pieces so that this file, which is scanned too, does not match them
const FORBIDDEN: [RegExp, string][] = [
  [new RegExp(['gdal', 'rules'].join('-'), 'i'), 'names the external burn-rules document'],
  [new RegExp(['DEVELOP', 'ERS\\.md'].join('')), 'names a file that does not exist'],
  [new RegExp(`\\b${'issue'}s?\\s*#?\\d+`, 'i'), 'cites an issue number'],
  // old-style section citations; "§HH:MM" marks follow-up runs in benchmark tables and stays allowed
  [new RegExp(`${'\u00a7'}\\d+(?![\\d:])`), 'cites a section of an external document'],
];
const CITATION = new RegExp(`\\bpixel\\s+rules?\\s+([A-Z]\\d+(?:\\s*(?:,|-|and|/)\\s*[A-Z]\\d+)*)`, 'g');
// corpus case names start with the ids of the rules they pin: 'P4-aligned-square-yd', `F4-P7-orientation-...`
const CASE_NAME = /(?:name: ['`]|bad\(')((?:[A-Z]\d+-)+)/g;
const ID = /[A-Z]\d+/g;

interface Finding { file: string; line: number; what: string }

function definedIds(doc: string): string[] {
  return [...doc.matchAll(/^\| ([A-Z]\d+) \|/gm)].map((m) => m[1]);
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let k = 0; k < index; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}

/** Every cited rule id in `text`, with its line. */
function citations(text: string, corpus: boolean): { id: string; line: number }[] {
  const out: { id: string; line: number }[] = [];
  const patterns = corpus ? [CITATION, CASE_NAME] : [CITATION];
  for (const p of patterns) {
    for (const m of text.matchAll(p)) {
      for (const id of m[1].match(ID) ?? []) out.push({ id, line: lineOf(text, m.index) });
    }
  }
  return out;
}

/** What is wrong with one file's text: forbidden references and ids the rules document lacks. */
function check(file: string, text: string, ids: Set<string>): Finding[] {
  const found: Finding[] = [];
  for (const [re, why] of FORBIDDEN) {
    const g = new RegExp(re.source, `${re.flags}g`);
    for (const m of text.matchAll(g)) found.push({ file, line: lineOf(text, m.index), what: `"${m[0]}" ${why}` });
  }
  for (const c of citations(text, file.endsWith('gdal/corpus.ts'))) {
    if (!ids.has(c.id)) found.push({ file, line: c.line, what: `cites rule ${c.id}, which ${DOC} does not define` });
  }
  return found;
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (SKIPPED.has(name) || SKIPPED.has(rel)) continue;
    if (statSync(join(ROOT, rel)).isDirectory()) yield* walk(rel);
    else yield rel;
  }
}

function textFiles(): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of SCANNED) {
    if (!existsSync(join(ROOT, dir))) continue;
    for (const file of walk(dir)) {
      const buf = readFileSync(join(ROOT, file));
      if (buf.includes(0)) continue; // binary fixtures
      out.push([file, buf.toString('utf8')]);
    }
  }
  return out;
}

describe(`rule references (${DOC})`, () => {
  const doc = readFileSync(join(ROOT, DOC), 'utf8');
  const list = definedIds(doc);
  const ids = new Set(list);

  it('defines each rule id once', () => {
    expect(list.length).toBeGreaterThan(40);
    expect(list.filter((id, k) => list.indexOf(id) !== k)).toEqual([]);
  });

  it('names existing files in its "where" column', () => {
    const missing: string[] = [];
    for (const row of doc.split('\n').filter((l) => /^\| [A-Z]\d+ \|/.test(l))) {
      const where = row.split('|').at(-2) ?? '';
      for (const m of where.matchAll(/`([\w./-]+\.(?:ts|wgsl))`/g)) {
        const p = m[1];
        if (!existsSync(join(ROOT, 'src', p)) && !existsSync(join(ROOT, p))) missing.push(`${row.split('|')[1].trim()}: ${p}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('flags what it is meant to flag', () => {
    // proves the checker can fail: each of these lines must produce exactly one finding
    const cite = (s: string) => ['pixel', s].join(' ');
    const bad = [
      `// see ${cite('rule Z99')}`,
      `// see ${cite('rules P1-Z98')}`,
      `// see ${['gdal', 'rules.md'].join('-')}`,
      `// see ${['DEVELOP', 'ERS.md'].join('')}`,
      `// as ${'Issue'} 12 asks`,
      `// ${'\u00a7'}2.3`,
    ];
    for (const line of bad) expect(check('x.ts', line, ids), line).toHaveLength(1);
    expect(check('test/oracle/gdal/corpus.ts', "add({ name: 'Z97-case' });", ids)).toHaveLength(1);
    const good = [`// ${cite('rules P1-P7, A3 and L5')}`, '| rasterio \u00a701:55 |', `add({ name: 'rasterize_2-at-cutline' });`];
    for (const line of good) expect(check('test/oracle/gdal/corpus.ts', line, ids), line).toEqual([]);
  });

  it(`src, test, shaders, bench, scripts and app cite only rules that ${DOC} defines`, () => {
    const files = textFiles();
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap(([file, text]) => check(file, text, ids));
    expect(found.map((f) => `${relative(ROOT, join(ROOT, f.file))}:${f.line}: ${f.what}`)).toEqual([]);
    // the scan must actually see citations, or a broken pattern would pass silently
    const cited = new Set(files.flatMap(([file, text]) => citations(text, file.endsWith('gdal/corpus.ts')).map((c) => c.id)));
    expect(cited.size).toBeGreaterThan(30);
  });
});
