import type { GeoJSONFeature, GeoJSONFeatureCollection, Position } from '../src/features/geojson.js';
import { mulberry32 } from './random.js';

export interface BuildingsOptions {
  count: number;
  /** [minx, miny, maxx, maxy] in projected metres */
  bounds: [number, number, number, number];
  seed: number;
  /** typical footprint side in metres */
  size?: number;
}

/**
 * Seeded building footprints in projected metres: rotated rectangles, L-shapes and courtyard
 * blocks (a polygon with a hole), on a jittered street grid so neighbours rarely overlap, with
 * an integer BuildingID property. Vertex coordinates carry full float64 noise, as real data does.
 */
export function makeBuildings(o: BuildingsOptions): GeoJSONFeatureCollection {
  const rnd = mulberry32(o.seed);
  const [minx, miny, maxx, maxy] = o.bounds;
  const size = o.size ?? 12;
  const cols = Math.ceil(Math.sqrt((o.count * (maxx - minx)) / (maxy - miny)));
  const rows = Math.ceil(o.count / cols);
  const cw = (maxx - minx) / cols, ch = (maxy - miny) / rows;
  const features: GeoJSONFeature[] = [];
  for (let i = 0; i < o.count; i++) {
    const c = i % cols, r = Math.floor(i / cols);
    const cx = minx + (c + 0.5) * cw + (rnd() - 0.5) * cw * 0.2;
    const cy = miny + (r + 0.5) * ch + (rnd() - 0.5) * ch * 0.2;
    const w = Math.min(cw * 0.8, size * (0.5 + rnd()));
    const h = Math.min(ch * 0.8, size * (0.5 + rnd()));
    const a = rnd() * Math.PI;
    const kind = rnd();
    const local: Position[][] = kind < 0.7
      ? [[[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]]
      : kind < 0.9
        ? [[[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, 0], [0, 0], [0, h / 2], [-w / 2, h / 2]]]
        : [[[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], [[-w / 5, -h / 5], [-w / 5, h / 5], [w / 5, h / 5], [w / 5, -h / 5]]];
    const cos = Math.cos(a), sin = Math.sin(a);
    const rings = local.map((ring) => {
      const out = ring.map(([x, y]) => [cx + x * cos - y * sin, cy + x * sin + y * cos]);
      out.push([...out[0]]);
      return out;
    });
    features.push({ type: 'Feature', properties: { BuildingID: i + 1 }, geometry: { type: 'Polygon', coordinates: rings } });
  }
  return { type: 'FeatureCollection', features };
}
