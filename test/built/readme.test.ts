// The README's Usage examples run exactly as written: the Node one against the built package (found
// by its own name through package.json "exports"), the browser one bundled by esbuild and run in
// headless Chromium. The Node one's GeoTIFF has gdal_rasterize's pixels for the same burn into the
// same template, the browser one offers the same bytes, and both print what the README says.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from '../browser/chromium.js';
import { ROOT } from '../browser/server.js';
import { compareRasters, gdalRasterize } from '../oracle/gdal/oracle.js';
import { copySample, readmeExamples, runBrowserExample, runNodeExample, sha256 } from './readme-examples.js';

const work = mkdtempSync(join(tmpdir(), 'rasterburn-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
copySample(work);
const examples = readmeExamples();
// inside the repository, so that 'rasterburn/node' resolves to the package itself
const scripts = join(ROOT, 'test', 'out', 'readme');
mkdirSync(scripts, { recursive: true });

describe('README examples', () => {
  it('the Node example prints what its comment says and writes gdal_rasterize\'s pixels', () => {
    const printed = runNodeExample(examples.node, join(scripts, 'node-example.mjs'), work).trim();
    const promised = /console\.log\([^\n]*\/\/ (.+)$/m.exec(examples.node)?.[1];
    expect(promised, 'the example says what it prints').toBeDefined();
    expect(printed).toBe(promised);
    // GDAL burns the same features into a zeroed UInt16 raster on the template's grid (reprojecting them to its SRS)
    const gdal = join(work, 'gdal.tif');
    execFileSync('gdal_create', ['-q', '-if', join(work, 'examples', 'template.tif'), '-ot', 'UInt16', '-bands', '1', '-burn', '0', gdal]);
    gdalRasterize(['-q', '-a', 'BuildingID', join(work, 'examples', 'buildings.geojson'), gdal]);
    const [cmp] = compareRasters([{ a: join(work, 'buildings.tif'), b: gdal }]);
    expect(cmp.sizeSame && cmp.gtSame && cmp.srsSame).toBe(true);
    expect(cmp.pixelDiffs ?? []).toEqual([]);
  });

  it.skipIf(chromiumMissing() !== null)('the browser example runs in Chromium and offers the same GeoTIFF', async () => {
    const run = await runBrowserExample(examples.browser, join(work, 'browser-example.js'), work, { rasterburn: join(ROOT, 'dist', 'src', 'index.js') });
    expect(run.errors).toEqual([]);
    expect(run.text).toBe('1000 x 1000, 1500 shapes burned: download');
    expect(run.sha256).toBe(sha256(join(work, 'buildings.tif')));
  });
});
