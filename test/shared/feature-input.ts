// Test-only narrowing of what the readers return (a FeatureInput, any of its shapes) to the shape a test
// parsed, checked at run time so that a reader returning something else fails the test instead of a cast
// hiding it.
import type { AnyGeometry, FeatureInput, GeoJSONFeature, GeoJSONFeatureCollection } from '../../src/features/geojson.js';

function kind(input: FeatureInput): string {
  return Symbol.iterator in input ? 'an iterable' : `a ${input.type}`;
}

/** `input` as a FeatureCollection; throws when it is another shape */
export function asCollection(input: FeatureInput): GeoJSONFeatureCollection<AnyGeometry> {
  if (Symbol.iterator in input || input.type !== 'FeatureCollection') throw new Error(`expected a FeatureCollection, got ${kind(input)}`);
  return input;
}

/** `input` as a single Feature; throws when it is another shape */
export function asFeature(input: FeatureInput): GeoJSONFeature<AnyGeometry> {
  if (Symbol.iterator in input || input.type !== 'Feature') throw new Error(`expected a Feature, got ${kind(input)}`);
  return input;
}
