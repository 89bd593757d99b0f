// The GPU kit's workloads, generated in memory from their seeds (the kit has no cache and no
// network): W1, W2 and W5 with bench/workloads.ts's generator parameters, and S1, a large
// county-like set with shared borders. --quick swaps in small versions that run in seconds.
import { makeBuildings } from '../buildings.js';
import { makeCounties } from '../counties.js';
import { makeHoledPolygon, makeJobs } from '../generators.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { DType } from '../../src/types.js';

/** Every kit workload is in UTM 33N metres and says so, so nobody reprojects. */
export const KIT_CRS = 'EPSG:32633';
const CRS_MEMBER = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } };

export type Bounds = [number, number, number, number];

export interface KitWorkload {
  id: string;
  title: string;
  /** the grid of the burn (of every job, for 'jobs') */
  width: number;
  height: number;
  dtype: DType;
  attribute?: string;
  burn?: number;
  /** 'single': one rasterize() onto te; 'jobs': createRasterizer().rasterizeBatch() of many small grids */
  kind: 'single' | 'jobs';
  te?: Bounds;
  make(): KitInput;
}

export type KitInput =
  | { kind: 'single'; features: FeatureInput; featureCount: number; vertices: number }
  | { kind: 'jobs'; jobs: { te: Bounds; features: FeatureInput }[]; featureCount: number; vertices: number };

const X0 = 500_000, Y0 = 5_400_000;
const fmt = (n: number): string => n.toLocaleString('en-US');

// W1 of bench/workloads.ts: buildings on a 0.5 m grid
function buildings(id: string, count: number, size: number): KitWorkload {
  const te: Bounds = [X0, Y0, X0 + size * 0.5, Y0 + size * 0.5];
  return {
    id, kind: 'single', te, width: size, height: size, dtype: 'uint16', attribute: 'BuildingID',
    title: `${fmt(count)} buildings -> ${fmt(size)} x ${fmt(size)} UInt16, -a BuildingID`,
    make: () => {
      const fc = makeBuildings({ count, bounds: [te[0] + 2, te[1] + 2, te[2] - 2, te[3] - 2], seed: 20260101, size: 12 });
      let vertices = 0;
      for (const f of fc.features) for (const ring of (f.geometry as { coordinates: number[][][] }).coordinates) vertices += ring.length;
      return { kind: 'single', features: { type: 'FeatureCollection', crs: CRS_MEMBER, features: fc.features } as FeatureInput, featureCount: fc.features.length, vertices };
    },
  };
}

// W2 of bench/workloads.ts: one polygon with holesPerSide² holes on a 1 m grid
function holes(id: string, size: number, outerVertices: number, holesPerSide: number, holeVertices: number): KitWorkload {
  const te: Bounds = [X0, Y0, X0 + size, Y0 + size];
  return {
    id, kind: 'single', te, width: size, height: size, dtype: 'uint8', burn: 1,
    title: `one polygon with ${fmt(holesPerSide ** 2)} holes -> ${fmt(size)} x ${fmt(size)} Byte, -burn 1`,
    make: () => {
      const { feature, vertices } = makeHoledPolygon({ seed: 20260202, bounds: te, outerVertices, holesPerSide, holeVertices });
      return { kind: 'single', features: { type: 'FeatureCollection', crs: CRS_MEMBER, features: [feature] } as FeatureInput, featureCount: 1, vertices };
    },
  };
}

// W5 of bench/workloads.ts: many small jobs, each onto its own size x size Byte grid at 1 m
function jobs(id: string, count: number, perJob: number, size: number): KitWorkload {
  return {
    id, kind: 'jobs', width: size, height: size, dtype: 'uint8', attribute: 'BuildingID',
    title: `${fmt(count)} jobs of ${perJob} buildings, each -> ${size} x ${size} Byte (rasterizeBatch), -a BuildingID`,
    make: () => {
      const made = makeJobs({ seed: 20260505, jobs: count, perJob, size, res: 1, origin: [X0, Y0], cols: 40 });
      return {
        kind: 'jobs', featureCount: count * perJob, vertices: made.vertices,
        jobs: made.jobs.map((j) => ({ te: j.te, features: { ...j.features, crs: CRS_MEMBER } as FeatureInput })),
      };
    },
  };
}

// county-like regions with shared borders on a 10 m grid
function counties(id: string, cols: number, rows: number, edgeVertices: number, width: number, height: number): KitWorkload {
  const te: Bounds = [X0, Y0, X0 + width * 10, Y0 + height * 10];
  return {
    id, kind: 'single', te, width, height, dtype: 'uint16', attribute: 'id',
    title: `${fmt(cols * rows)} county-like polygons with shared borders -> ${fmt(width)} x ${fmt(height)} UInt16, -a id`,
    make: () => {
      // a 1% margin, as real regions rarely fill their grid to the edge
      const mx = (te[2] - te[0]) / 100, my = (te[3] - te[1]) / 100;
      const { features, vertices } = makeCounties({ seed: 20260707, cols, rows, bounds: [te[0] + mx, te[1] + my, te[2] - mx, te[3] - my], edgeVertices, lakeEvery: 9 });
      return { kind: 'single', features: { type: 'FeatureCollection', crs: CRS_MEMBER, features } as FeatureInput, featureCount: features.length, vertices };
    },
  };
}

/** The full workloads, in run order. */
export const FULL: KitWorkload[] = [
  buildings('W1', 100_000, 10_000),
  holes('W2', 20_000, 500_000, 32, 490),
  jobs('W5', 1000, 100, 512),
  counties('S1', 64, 40, 120, 16_000, 10_000),
];

/** --quick: the same shapes of work, small enough for a smoke test on a software adapter. */
export const QUICK: KitWorkload[] = [
  buildings('W1', 2_000, 1_000),
  holes('W2', 2_000, 20_000, 8, 100),
  jobs('W5', 20, 20, 128),
  counties('S1', 8, 5, 30, 1_600, 1_000),
];
