#!/usr/bin/env node
// Re-renders a results file's markdown table, SVG chart and goals (after a change to bench/report.ts,
// or to merge in runners measured by a follow-up partial run).
//
//   node dist/bench/render.js bench/results/2026-11-26.json [--merge bench/results/2026-11-26-W1+W3-partial.json ...]
//
// A merged row fills in a row of the same workload and runner that has no result (it failed, or did
// not run) and keeps the ratio it had in its own run (against that run's reference, measured
// minutes apart); it is marked "§HH:MM" in the table. Rows with results are never replaced. The
// file is rewritten with the merged rows and the re-evaluated goals.
import { readFileSync, writeFileSync } from 'node:fs';
import { evaluateGoals, goalsText, toMarkdown, toSvg, type BenchResults } from './report.js';

const args = process.argv.slice(2);
const file = args[0];
if (!file || !file.endsWith('.json')) {
  process.stderr.write('usage: node dist/bench/render.js RESULTS.json [--merge PARTIAL.json ...]\n');
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
for (let i = 1; i < args.length; i++) {
  if (args[i] !== '--merge' || !args[i + 1]) throw new Error(`unexpected argument '${args[i]}'`);
  const other = JSON.parse(readFileSync(args[++i], 'utf8')) as BenchResults;
  const when = other.date.slice(11, 16);
  for (const ow of other.workloads) {
    const w = results.workloads.find((x) => x.id === ow.id);
    if (!w) throw new Error(`${args[i]}: workload ${ow.id} is not in ${file}`);
    for (const row of ow.runners) {
      // the partial run's reference is there only to give the ratio
      if (row.runner === ow.reference) continue;
      const at = w.runners.findIndex((x) => x.runner === row.runner);
      if (!row.samples.length || (at >= 0 && w.runners[at].samples.length)) continue;
      const merged = { ...row, description: `${row.description} (follow-up run ${when} UTC)`, followUp: when };
      if (at >= 0) w.runners[at] = merged;
      else w.runners.push(merged);
    }
  }
}
results.goals = evaluateGoals(results);
const md = toMarkdown(results);
const base = file.slice(0, -'.json'.length);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${base}.md`, `${md}\n`);
writeFileSync(`${base}.svg`, toSvg(results));
process.stdout.write(`${md}\n\nPerformance goals:\n${goalsText(results.goals)}\n`);
