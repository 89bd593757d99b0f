// A user's strict TypeScript over the whole browser-safe public API, as installed from the packed
// tarball (test/built/package.test.ts type-checks it, runs it in Node and bundles it for Chromium).
// Every step checks what it got and throws with the step's name otherwise; the result lists the steps.
import {
  createRasterizer, CrsNotLoadedError, flattenFeatures, geometryMask, gridFromAffine, gridFromBounds, gridFromGeoTIFF,
  isPacked, isPrepared, loadCrs, MAX_RASTER_BYTES, parseGeoJSON, prepare, preparedTransferables, rasterize, rasterizeBands,
  rasterizeTiles, TiledGeoTIFFWriter, toGeoTIFF, toGeoTIFFParts, toNpy, toNpyParts, WebGPUUnavailableError,
  type Affine, type BatchJob, type DType, type DTypeArrays, type FeatureInput, type GeoJSONFeatureCollection,
  type GeometryMaskOptions, type GeometryValuePair, type Grid, type PositionalSink, type Raster, type RasterizeOptions,
  type RasterResult, type TileOptions,
} from 'rasterburn';

function check(step: string, ok: boolean, detail = ''): void {
  if (!ok) throw new Error(`${step} failed${detail ? `: ${detail}` : ''}`);
}

const sum = (a: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };

/** Runs every call once; resolves to the names of the steps that passed. */
export async function exercise(): Promise<string[]> {
  const done: string[] = [];
  const square = (x: number, y: number, d: number) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
  const fc: GeoJSONFeatureCollection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: square(2, 2, 4), properties: { id: 7 } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0.5, 9.5], [9.5, 9.5]] }, properties: { id: 9 } },
    ],
  };
  const grid: Grid = gridFromBounds([0, 0, 10, 10], { resolution: [1, 1] });

  // results typed by dtype: no casts
  const u16: Uint16Array = (await rasterize(fc, grid, { attribute: 'id' })).data;
  const f32: Float32Array = (await rasterize(fc, grid, { attribute: 'id', dtype: 'float32' })).data;
  const typed: DTypeArrays['int32'] = (await rasterize(fc, grid, { dtype: 'int32', burn: -3 })).data;
  check('rasterize', sum(u16) === 16 * 7 + 10 * 9 && sum(f32) === sum(u16) && sum(typed) === -3 * 26, `${sum(u16)} ${sum(typed)}`);
  done.push('rasterize');

  const opts: RasterizeOptions<'uint8'> = { dtype: 'uint8', allTouched: true, into: new Uint8Array(100).fill(1), merge: 'add' };
  const added: Raster<'uint8'> = await rasterize(fc, grid, opts);
  check('into + add', added.data === opts.into && added.data[99] === 1 && sum(added.data) > 100);
  done.push('into');

  const pairs: GeometryValuePair[] = [[square(0, 0, 2), 5], [square(6, 6, 2), 6]];
  const fromPairs = await rasterize(pairs, grid, { dtype: 'uint8' });
  const bare = await rasterize([square(0, 0, 2), square(6, 6, 2)], grid, { dtype: 'uint8', burn: 2 });
  check('pairs', sum(fromPairs.data) === 4 * 5 + 4 * 6 && sum(bare.data) === 16);
  done.push('pairs');

  const maskOptions: GeometryMaskOptions = { invert: true };
  const inside = await geometryMask([square(2, 2, 4)], grid, maskOptions);
  const outside = await geometryMask([square(2, 2, 4)], grid);
  check('geometryMask', sum(inside.data) === 16 && sum(outside.data) === 84);
  done.push('geometryMask');

  const affine: Affine = [1, 0, 0, 0, -1, 10];
  const fromAffine = gridFromAffine(affine, 10, 10);
  check('gridFromAffine', fromAffine.transform.join() === grid.transform.join());
  let refused = '';
  await rasterize(fc, { width: 10, height: 10, transform: [1, 0, 5, 0, -1, 10] }).catch((e: Error) => { refused = e.message; });
  check('Affine-order transform refused', /gridFromAffine/.test(refused), refused);
  await rasterize(fc, grid, { fill: 0 } as RasterizeOptions).catch((e: Error) => { refused = e.message; });
  check('rasterio name hint', /"init"/.test(refused), refused);
  done.push('rasterio');

  // CRSs: built-ins need nothing, others load on demand
  const utm = gridFromBounds([500000, 5000000, 500100, 5000100], { size: [100, 100] }, { crs: 'EPSG:32633' });
  const lonlat: FeatureInput = { type: 'Polygon', coordinates: [[[15, 45.153], [15.0005, 45.153], [15.0005, 45.1535], [15, 45.153]]] };
  check('reprojected', sum((await rasterize(lonlat, utm, { dtype: 'uint8' })).data) > 0);
  const lambert = gridFromBounds([700000, 6600000, 700100, 6600100], { size: [10, 10] }, { crs: 'EPSG:2154' });
  check('EPSG:2154 via rasterize', (await rasterize(square(700000, 6600000, 50), lambert, { featureCrs: 'EPSG:2154', dtype: 'uint8' })).data.length === 100);
  await loadCrs('EPSG:27700', 'OGC:CRS84');
  check('prepare after loadCrs', prepare(lonlat, { crs: 'EPSG:27700' }).shapes.count === 1);
  check('CrsNotLoadedError is a class', typeof CrsNotLoadedError === 'function' && new CrsNotLoadedError('x', 'EPSG:1') instanceof Error);
  done.push('crs');

  const p = prepare(fc, { attribute: 'id' });
  check('prepare', isPrepared(p) && preparedTransferables(p).length > 0);
  const fromPrepared = await rasterize(p, grid);
  check('prepared burn', sum(fromPrepared.data) === sum(u16));
  check('flattenFeatures', flattenFeatures(fc, grid).count === 2);
  const parsed = parseGeoJSON(JSON.stringify(fc));
  const firstGeometry = (parsed as GeoJSONFeatureCollection<never>).features[0].geometry as unknown as { coordinates: unknown[] };
  check('parseGeoJSON', isPacked(firstGeometry.coordinates[0]));
  done.push('prepare');

  const tileOptions: TileOptions = { tileSize: 4, attribute: 'id' };
  let tilePixels = 0;
  for await (const t of rasterizeTiles(fc, grid, tileOptions)) tilePixels += sum(t.data);
  let bandPixels = 0;
  for await (const b of rasterizeBands(fc, grid, { bandHeight: 3, attribute: 'id' })) bandPixels += sum(b.data);
  check('tiles and bands', tilePixels === sum(u16) && bandPixels === sum(u16));
  done.push('tiles');

  const r: RasterResult<'uint16'> = await rasterize(fc, gridFromBounds([0, 0, 10, 10], { size: [10, 10] }, { crs: 'EPSG:4326' }), { attribute: 'id' });
  const tif = toGeoTIFF(r);
  const back = await gridFromGeoTIFF(tif);
  check('GeoTIFF round trip', back.width === 10 && back.crs === 'EPSG:4326' && toGeoTIFFParts(r).length > 0);
  check('npy', toNpy(r).byteLength > 100 && toNpyParts(r).length > 1);
  const chunks: Uint8Array[] = [];
  const sink: PositionalSink = { write: (bytes, position) => { chunks[position] = bytes.slice(); } };
  const writer = await TiledGeoTIFFWriter.open({ width: 32, height: 32, dtype: 'uint8', transform: [0, 1, 0, 32, 0, -1], crs: 'EPSG:3857', nodata: null }, sink, { tileSize: 16 });
  await writer.writeBand(new Uint8Array(32 * 16), 16);
  await writer.writeBand(new Uint8Array(32 * 16), 16);
  check('TiledGeoTIFFWriter', (await writer.finish()).tiles === 4);
  done.push('geotiff');

  const rasterizer = await createRasterizer({ backend: 'cpu' });
  const jobs: BatchJob[] = [{ features: fc, grid, options: { attribute: 'id' } }, { features: pairs, grid }];
  const results = await rasterizer.rasterizeBatch(jobs).toArray();
  const one = await rasterizer.rasterize(fc, grid, { attribute: 'id', dtype: 'uint32' });
  const u32: Uint32Array = one.data;
  rasterizer.destroy();
  // a batch's jobs may each have their own dtype (64-bit ones give BigInt arrays): narrow before summing
  const first = results[0].data;
  check('rasterizer', results.length === 2 && first instanceof Uint16Array && sum(first) === sum(u16) && sum(u32) === sum(u16));
  done.push('rasterizer');

  const dtypes: DType[] = ['uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];
  check('constants', MAX_RASTER_BYTES > 0 && dtypes.length === 9 && typeof WebGPUUnavailableError === 'function');
  return done;
}
