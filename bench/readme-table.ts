#!/usr/bin/env node
// README's performance table, generated from a size sweep's JSON (bench/sweep.ts) so that it always
// shows one run's numbers: `node dist/bench/readme-table.js bench/results/<date>-sweep.json` rewrites the
// lines between README's `<!-- sweep-table -->` and `<!-- /sweep-table -->` markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rows, type Row, type SweepResults } from './sweep-report.js';

export const START = '<!-- sweep-table -->';
export const END = '<!-- /sweep-table -->';

// the job as a reader would name theirs: what is burned onto what
function jobName(id: string, title: string): string {
  const grid = /(\d[\d,]*) x (\d[\d,]*) (\w+)/.exec(title);
  const onto = grid ? (grid[1] === grid[2] ? `${grid[1]}² ${grid[3]}` : `${grid[1]} x ${grid[2]} ${grid[3]}`) : '';
  const what = title.split(/, \d[\d,]* x /)[0].replace(/ onto .*$/, '');
  const named = /^(W\d|R\d)$/.test(id) ? `${id}: ` : '';
  return `${named}${what}${/-at\b/.test(title) ? ' (-at)' : ''} → ${onto}`;
}

// low: a lower bound, GDAL stopped at the sweep's cap ("> 120.00 s", "≥ 30×", rounded down)
const sec = (x: number, low = false): string => (Number.isFinite(x) ? `${low ? '> ' : ''}${x.toFixed(2)} s` : '–');
const times = (x: number, low = false): string => {
  if (!Number.isFinite(x)) return '–';
  if (!low) return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
  return `≥ ${x >= 10 ? Math.floor(x).toFixed(0) : (Math.floor(x * 100) / 100).toFixed(2)}×`;
};
const pixels = (x: Row): string => {
  if (x.identical) return 'identical';
  if (x.job.runners.some((r) => r.mismatches !== 0 && !r.unchecked)) return 'differ';
  // a runner GDAL stopped at its cap has no output: the others can still have been checked
  const checked = x.job.runners.filter((r) => !r.unchecked && r.mismatches === 0).map((r) => r.runner);
  const unchecked = x.job.runners.filter((r) => r.unchecked).map((r) => r.runner);
  return checked.length ? `identical (${checked.join(', ')}); ${unchecked.join(', ')} not checked` : 'not checked';
};

/** The table's markdown (between the markers, markers excluded), from one sweep's results. */
export function readmeTable(r: SweepResults, source: string): string {
  const load = r.loadavgStart.map((x) => x.toFixed(1)).join(' ');
  const lines = [
    `Generated from [${basename(source)}](${source}) (${r.date.slice(0, 10)}, Node ${r.node}, load average ${load} at the start;`,
    'the chart and every column are in its .md): GDAL and the CLI as whole processes, spawn to exit, median',
    `of ${r.runs} (fewer on the biggest jobs${r.jobs.some((j) => j.runners.some((x) => x.cappedS)) ? `; "> s" and "≥": GDAL stopped at the sweep's cap, a lower bound` : ''}); CPU = user + system time of the process, wall = elapsed time; the`,
    'library is `rasterize()` on the parsed GeoJSON against GDAL\'s MEM route (`RasterizeLayer` + `ReadAsArray`,',
    'layer already open), both timed in one process. Ratio: GDAL\'s time over ours; every output identical to',
    "gdal_rasterize's unless the last column says otherwise.",
    '',
    '| job | gdal_rasterize CPU | rasterburn CLI CPU | ratio CPU | ratio wall | rasterize() vs MEM route | pixels |',
    '|---|--:|--:|--:|--:|--:|---|',
  ];
  for (const x of rows(r)) {
    lines.push(`| ${jobName(x.job.id, x.job.title)} | ${sec(x.gdalCpu, x.gdalLow)} | ${sec(x.cliCpu)} | ${times(x.cpuRatio, x.gdalLow)} | ${times(x.cliRatio, x.gdalLow)} | ${times(x.libRatio, x.memLow)} | ${pixels(x)} |`);
  }
  return lines.join('\n');
}

/** README's text with the table between the markers replaced. */
export function replaceTable(readme: string, table: string): string {
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} ... ${END} markers around its performance table`);
  return `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = process.argv[2];
  if (!src) {
    console.error('usage: node dist/bench/readme-table.js bench/results/<date>-sweep.json');
    process.exit(1);
  }
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  const readme = join(root, 'README.md');
  const r = JSON.parse(readFileSync(src, 'utf8')) as SweepResults;
  const rel = src.startsWith('bench/') ? src : `bench/results/${basename(src)}`;
  writeFileSync(readme, replaceTable(readFileSync(readme, 'utf8'), readmeTable(r, rel)));
  console.log(`README.md: performance table from ${rel} (${r.jobs.length} jobs)`);
}
