import type { ShapeSet } from '../../features/shapes.js';
import { REGION_WORDS, type RegionGroup } from './buffers.js';
import { RunStore, RUN_WORDS } from './lines.js';
import { RegionGrouper } from './region-groups.js';
import { EdgeStore, EDGE_WORDS, planFill, polygonVertices, SPAN_WORDS, type FillPlan } from './plan.js';
import { TouchStore, TOUCH_WORDS } from './touch.js';

/*
 * The host half of a batch unit (createRasterizer's rasterizeBatch, src/gpu/batch.ts): several
 * jobs' exact-fill plans joined so that one chain of the exact fill's kernels burns them all. Each
 * job keeps its own pixel space (every crossing is decided in its own grid's coordinates, as a
 * single burn does) and gets its own stretch of one owner buffer, starting on a multiple of four
 * pixels so that its packed output starts on a whole 32-bit word; owner ids are offset per job so
 * that one value table serves the unit. As in a single burn, the host's work is per shape: the GPU
 * makes each edge's entries from its rows (shaders/entries.wgsl).
 */

/** One job of a unit: its shapes in its own grid's pixel space. */
export interface UnitJob {
  shapes: ShapeSet;
  width: number;
  height: number;
  allTouched: boolean;
  burnZ: boolean;
  /** the 32 bits every pixel no shape burns takes */
  initBits: number;
}

/** What one unit uploads. */
export interface UnitPlan {
  /** value bits of owner id k at values[k - 1], all jobs' ids one after another */
  values: Uint32Array;
  /** EDGE_WORDS words an edge */
  edges: Uint32Array;
  nEdges: number;
  /** per edge: first and last row GDAL scans it on, in its job's grid */
  edgeFirst: Int32Array;
  edgeLast: Int32Array;
  /** host spans as owner cells (struct OwnerSpan, span_owner_cells): row start cell, x0, x1, id */
  spans: Int32Array;
  nSpans: number;
  groups: RegionGroup[];
  /** largest bitmap of a group, in words */
  bitsWords: number;
  /** RUN_WORDS words a run of a line the GPU walks (lines.wgsl line_runs_jobs), owner ids in the unit's numbering */
  runs: Int32Array;
  nRuns: number;
  /** per run: its job */
  runJob: Uint32Array;
  /** TOUCH_WORDS words a stepped all-touched segment (touch.wgsl touch_walk_jobs), owner ids in the unit's numbering, its job in word 10 */
  touch: Uint32Array;
  nTouch: number;
  /** per job: all-touched segments walked on the GPU (stepped, and vertical ones as line runs) */
  touchSegments: number[];
  /** struct LineJob of lines.wgsl (and touch.wgsl): first owner cell, width, height, padding, per job */
  lineJobs: Uint32Array;
  /** struct JobInit of resolve.wgsl: first output word and initial bits, per job */
  jobTable: Uint32Array;
  /** owner cells of the unit (the jobs' pixels, each job rounded up to four) */
  cells: number;
  /** per job: its first owner cell, its (edge, row) crossings, its polygons burned through the CPU rules */
  base: number[];
  crossings: number[];
  polygonsOnCpu: number[];
  /** per job: lines walked on the GPU, and those burned through the CPU rules (Z, all-touched, walks beyond C ints) */
  linesOnGpu: number[];
  linesOnCpu: number[];
}

/** Owner cells a job of this size takes in a unit: its pixels, rounded up to a multiple of four. */
export function unitCells(width: number, height: number): number {
  return Math.ceil((width * height) / 4) * 4;
}

/**
 * Plans `jobs` as one unit of `bytes`-byte pixels. `encode` turns a burn value into its 32 bits
 * (throwing GpuUnsupportedError when the GPU cannot hold it); `tick` runs between jobs and every
 * 256 shapes (cancellation).
 */
export function planUnit(jobs: UnitJob[], bytes: number, encode: (v: number, shape: number) => number, tick: () => void): UnitPlan {
  const plans: FillPlan[] = [];
  const base: number[] = [];
  let cells = 0, ids = 0, nSpans = 0, vertices = 0;
  for (const j of jobs) vertices += polygonVertices(j.shapes);
  // every job's edges packed into one store, already in the unit's numbering: no copies
  const store = new EdgeStore(vertices);
  // and every job's line runs into one store, job k's from runStart[k]
  const runStore = new RunStore();
  const runStart: number[] = [];
  // and every job's stepped all-touched segments (its vertical ones are line runs)
  const touchStore = new TouchStore();
  const touchStart: number[] = [];
  for (const j of jobs) {
    tick();
    runStart.push(runStore.n);
    touchStart.push(touchStore.n);
    const p = planFill(j.shapes, j.width, j.height, { allTouched: j.allTouched, burnZ: j.burnZ, merge: 'replace' }, encode, tick, store, runStore, touchStore);
    plans.push(p);
    base.push(cells);
    cells += unitCells(j.width, j.height);
    ids += p.ids;
    nSpans += p.nSpans;
  }
  const nEdges = store.n;
  const edges = store.words.subarray(0, Math.max(nEdges, 1) * EDGE_WORDS);
  const edgeFirst = store.first.subarray(0, nEdges), edgeLast = store.last.subarray(0, nEdges);

  runStart.push(runStore.n);
  touchStart.push(touchStore.n);
  const nRuns = runStore.n;
  const nTouch = touchStore.n;
  const touch = touchStore.words.subarray(0, Math.max(nTouch, 1) * TOUCH_WORDS);
  const runs = runStore.words.subarray(0, Math.max(nRuns, 1) * RUN_WORDS);
  const runJob = new Uint32Array(Math.max(nRuns, 1));
  const lineJobs = new Uint32Array(jobs.length * 4);

  const values = new Uint32Array(Math.max(ids, 1));
  const spans = new Int32Array(Math.max(nSpans, 1) * SPAN_WORDS);
  const jobTable = new Uint32Array(jobs.length * 2);
  let fills = 0;
  for (const p of plans) fills += p.fills;
  // one array for the unit, each group a stretch of it
  const grouper = new RegionGrouper(new Uint32Array(fills * REGION_WORDS), new Uint32Array(fills * 2));
  let idBase = 0, spanAt = 0;
  for (let k = 0; k < jobs.length; k++) {
    const p = plans[k], { width } = jobs[k], cell = base[k];
    values.set(p.values, idBase);
    jobTable[2 * k] = (cell * bytes) / 4;
    jobTable[2 * k + 1] = jobs[k].initBits >>> 0;
    lineJobs[4 * k] = cell;
    lineJobs[4 * k + 1] = width;
    lineJobs[4 * k + 2] = jobs[k].height;
    // the runs' owner ids into the unit's numbering (their last word, struct LineRun's value)
    for (let r = runStart[k]; r < runStart[k + 1]; r++) {
      runs[r * RUN_WORDS + RUN_WORDS - 1] += idBase;
      runJob[r] = k;
    }
    // the stepped segments' owner ids likewise, and their job
    for (let t = touchStart[k]; t < touchStart[k + 1]; t++) {
      touch[t * TOUCH_WORDS + 8] += idBase;
      touch[t * TOUCH_WORDS + 10] = k;
    }
    const s = p.spans;
    for (let o = 0; o < s.length; o += SPAN_WORDS, spanAt += SPAN_WORDS) {
      spans[spanAt] = cell + s[o] * width;
      spans[spanAt + 1] = s[o + 1];
      spans[spanAt + 2] = s[o + 2];
      spans[spanAt + 3] = s[o + 3] + idBase;
    }
    // the shapes' edges follow each other through the unit's one store, job after job
    for (let f = 0; f < p.fills; f++) grouper.add(p.row0[f], p.row1[f], p.col0[f], p.col1[f], p.edge0[f], p.edge0[f + 1], p.fillId[f] + idBase, cell, width, k);
    idBase += p.ids;
  }
  const groups = grouper.finish(), bitsWords = grouper.maxWords;
  return {
    values, edges, nEdges, edgeFirst, edgeLast, spans, nSpans, runs, nRuns, runJob, touch, nTouch, lineJobs, groups, bitsWords, jobTable, cells, base,
    touchSegments: plans.map((p) => p.touchSegments),
    crossings: plans.map((p) => p.crossings),
    polygonsOnCpu: plans.map((p) => p.polygonsOnCpu),
    linesOnGpu: plans.map((p) => p.linesOnGpu),
    linesOnCpu: plans.map((p) => p.linesOnCpu),
  };
}
