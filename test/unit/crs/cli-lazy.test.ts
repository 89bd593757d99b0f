// The CLI evaluates proj4 only for a job that reprojects (start-up time): a burn onto the sample's UTM
// template of features already in its CRS loads neither proj4 nor the EPSG table; the same features
// declared in lon/lat load proj4. Runs the CLI in-process with the Node loader taken out, as in the
// bundled bin (which loads them through dynamic imports).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { crsModulesLoaded, setCrsLoader } from '../../../src/crs.js';

const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'rasterburn-cli-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _enc, done) { w.text += String(chunk); done(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('the CLI loads CRS support only when it reprojects', () => {
  beforeAll(() => setCrsLoader(null));

  it('burns UTM features onto the UTM template without proj4 or the EPSG table, then loads proj4 for lon/lat ones', async () => {
    const utm = join(dir, 'utm.geojson');
    // the template covers 456000..456500 x 5430000..5430500 (EPSG:32633)
    writeFileSync(utm, JSON.stringify({
      type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } },
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[456100, 5430100], [456200, 5430100], [456200, 5430200], [456100, 5430100]]] } }],
    }));
    const stderr = sink(), out = sink();
    const rc = await run(['-burn', '1', '-q', '--json', '--threads', '1', '--template', join(ROOT, 'examples', 'template.tif'), utm, join(dir, 'a.tif')], { stdout: out, stderr });
    expect(stderr.text).toBe('');
    expect(rc).toBe(0);
    expect(JSON.parse(out.text).pixelsBurned).toBeGreaterThan(0);
    expect(crsModulesLoaded()).toEqual({ proj4: false, table: false });

    const stdout = sink();
    const rc2 = await run(['-burn', '1', '-q', '--json', '--threads', '1', '--template', join(ROOT, 'examples', 'template.tif'), join(ROOT, 'examples', 'buildings.geojson'), join(dir, 'b.tif')], { stdout, stderr });
    expect(rc2).toBe(0);
    expect(JSON.parse(stdout.text).pixelsBurned).toBeGreaterThan(0);
    expect(crsModulesLoaded().proj4).toBe(true);
    expect(readFileSync(join(dir, 'b.tif')).length).toBeGreaterThan(0);
  });
});
