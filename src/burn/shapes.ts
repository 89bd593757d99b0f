// The flatten step of a request: GeoJSON (or prepared features) to pixel-space shapes on the request's
// grid, with the burn modes that go with them (prepared features bring their own merge and burnZ).
import { loadCrs } from '../crs.js';
import { flattenFeatures, type FlattenStats } from '../features/flatten.js';
import { featureCrsOf, type FeatureInput } from '../features/geojson.js';
import type { ShapeSet } from '../features/shapes.js';
import { isPrepared, preparedShapes, type PreparedFeatures } from '../prepare.js';
import type { BurnRequest } from './request.js';

/** How shapes are burned: the request's modes, or the prepared features' merge and burnZ. */
export interface BurnModes {
  allTouched: boolean;
  merge: 'replace' | 'add';
  burnZ: boolean;
}

/** A request's shapes, the modes they burn with and the feature counts the result reports. */
export interface RequestShapes {
  shapes: ShapeSet;
  modes: BurnModes;
  counts: FlattenStats;
  /** the attribute the burn values come from, if any (for warnings) */
  attribute?: string;
}

/**
 * The shapes of `features` on the request's grid. Prepared features bring their own
 * burn/attribute/burnZ/merge/invert/featureCrs; a different value in the request is refused.
 */
export function shapesOf(features: FeatureInput | PreparedFeatures, req: BurnRequest): RequestShapes {
  if (features === null || typeof features !== 'object') {
    throw new Error(`features must be GeoJSON, an iterable of Features or prepare()'s result, got ${features === null ? 'null' : typeof features}`);
  }
  const asked = req.shapeOptions;
  if (isPrepared(features)) {
    const po = features.options;
    const conflict = (k: string, a: unknown, had: unknown) => {
      if (a !== undefined && a !== had) throw new Error(`option ${k} is ${JSON.stringify(a)} but the features were prepared with ${JSON.stringify(had)}: pass it to prepare() instead`);
    };
    conflict('burn', asked.burn, po.burn);
    conflict('attribute', asked.attribute, po.attribute);
    conflict('burnZ', asked.burnZ, po.burnZ);
    conflict('merge', asked.merge, po.merge);
    conflict('invert', asked.invert, po.invert);
    if (asked.featureCrs !== undefined) throw new Error('option featureCrs does not apply to prepared features: pass it to prepare() instead');
    if (asked.where !== undefined) throw new Error('option where does not apply to prepared features: pass it to prepare() instead');
    return {
      shapes: preparedShapes(features, req.grid),
      modes: { allTouched: req.allTouched, merge: po.merge, burnZ: po.burnZ },
      counts: { features: features.features, skipped: features.skipped, warnings: features.warnings ?? [] },
      attribute: po.attribute,
    };
  }
  const counts: FlattenStats = { features: 0, skipped: 0 };
  const shapes = flattenFeatures(features, req.grid, asked, counts);
  return { shapes, modes: { allTouched: req.allTouched, merge: req.merge, burnZ: req.burnZ }, counts, attribute: asked.attribute };
}

/**
 * Loads what shapesOf() needs for these features' CRS and the grid's (the EPSG table, and proj4 when they
 * differ); nothing for prepared features (already in the grid's CRS) or a grid without a CRS (no reprojection).
 */
export function loadShapesCrs(features: FeatureInput | PreparedFeatures, req: BurnRequest): Promise<void> {
  if (isPrepared(features) || !req.grid.crs) return Promise.resolve();
  return loadCrs(req.shapeOptions.featureCrs ?? featureCrsOf(features) ?? 'OGC:CRS84', req.grid.crs);
}

/** Whether features burn with merge 'replace' (prepared features carry their own merge mode). */
export function mergeOf(features: FeatureInput | PreparedFeatures, req: BurnRequest): 'replace' | 'add' {
  return isPrepared(features) ? features.options.merge : req.merge;
}
