#!/usr/bin/env node
// `npm start`: the seed scenario. Burns the bundled building footprints (lon/lat GeoJSON) onto the
// bundled UTM template grid in memory, as a Uint16Array of BuildingID, and prints what happened.
// Writes nothing unless asked: `npm start -- --out buildings.tif` (or .npy).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rasterize } from '../rasterize.js';
import { gridFromGeoTIFF } from '../io/tiff/read.js';
import { toGeoTIFF } from '../io/tiff/write.js';
import { toNpy } from '../io/npy.js';
import { writeFileAtomic } from '../io/node-files.js';
import type { Backend } from '../types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(argv: string[]): Promise<void> {
  let out: string | undefined;
  let backend: Backend = 'cpu';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i];
    else if (a === '--backend') backend = argv[++i] as Backend;
    else throw new Error(`unknown option ${a} (use --out FILE.tif|.npy, --backend cpu|webgpu|auto)`);
  }
  const srcPath = join(root, 'examples', 'buildings.geojson');
  const tplPath = join(root, 'examples', 'template.tif');
  const t0 = performance.now();
  const features = JSON.parse(await readFile(srcPath, 'utf8'));
  const tpl = await readFile(tplPath);
  const grid = await gridFromGeoTIFF(tpl.buffer.slice(tpl.byteOffset, tpl.byteOffset + tpl.byteLength));
  const t1 = performance.now();
  const r = await rasterize(features, grid, { attribute: 'BuildingID', dtype: 'uint16', backend });
  const t2 = performance.now();

  let burned = 0;
  const ids = new Set<number>();
  for (let i = 0; i < r.data.length; i++) {
    const v = r.data[i];
    if (v !== 0) { burned++; ids.add(v); }
  }
  const s = r.stats;
  console.log(`source     ${srcPath.slice(root.length + 1)} (${s.features} features, lon/lat)`);
  console.log(`grid       ${r.width} x ${r.height} ${r.dtype}, ${grid.crs}, pixel ${grid.transform[1]} m, from ${tplPath.slice(root.length + 1)}`);
  console.log(`backend    ${s.backend}${s.adapter ? ` (${s.adapter})` : ''}${s.fallbackReason ? ` [CPU fallback: ${s.fallbackReason}]` : ''}`);
  console.log(`burned     ${s.features - s.skipped} features, ${burned} pixels (${((100 * burned) / r.data.length).toFixed(1)}%), ${ids.size} distinct BuildingIDs`);
  console.log(`time       ${(t2 - t1).toFixed(0)} ms rasterize (+${(t1 - t0).toFixed(0)} ms reading inputs)`);
  if (out) {
    const bytes = out.endsWith('.npy') ? toNpy(r) : toGeoTIFF(r);
    await writeFileAtomic(out, new Uint8Array(bytes));
    console.log(`wrote      ${out}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`rasterburn: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
