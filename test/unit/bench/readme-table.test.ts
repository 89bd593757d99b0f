import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { END, readmeTable, replaceTable, START } from '../../../bench/readme-table.js';
import type { SweepResults } from '../../../bench/sweep-report.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe("README's performance table", () => {
  it('is the table the sweep results it names give, unedited', () => {
    const between = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
    const source = /Generated from \[[^\]]+\]\(([^)]+\.json)\)/.exec(between)?.[1];
    expect(source).toBeDefined();
    const r = JSON.parse(readFileSync(new URL(`../../../${source}`, import.meta.url), 'utf8')) as SweepResults;
    expect(between).toBe(readmeTable(r, source!));
    // the small jobs a reader is most likely to run stay in it
    expect(between).toMatch(/\| 1,000 buildings → 1,000² UInt16 \|/);
    expect(between).toMatch(/\| us-atlas counties-10m → 5,900 x 2,600 UInt32 \|/);
  });

  it('is replaced between its markers only, and a README without them is refused', () => {
    const text = `a\n${START}\nold\n${END}\nb\n`;
    expect(replaceTable(text, 'new')).toBe(`a\n${START}\nnew\n${END}\nb\n`);
    expect(() => replaceTable('no markers', 'x')).toThrow(/no <!-- sweep-table -->/);
  });
});
