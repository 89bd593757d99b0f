// An esbuild plugin for the CLI bundle: fewer files for Node's ESM loader to read, compile and link one
// after another (a few ms each, most of the CLI's start-up over `node -e 0`). The sources keep their
// import() (the library and the tests load modules one by one); only the bin is bundled otherwise:
// - EARLY: what every run takes before it parses its source (the threads' decision, the source's
//   kind, the parsers): imported statically, so it is in the bin's own file and the source is read
//   and parsed before the loader does anything else;
// - LATE: what every burn to a new GeoTIFF takes after the parse (the plan, the CRS layer without
//   proj4, the burn, the GeoTIFF writer, the destination): one chunk loaded through one import().
// What many runs never need stays in chunks of its own: proj4 and the EPSG table, the vector formats'
// libraries, GeoTIFF reading, codecs, WebGPU, the tile queue, the streamed writer.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export const EARLY = [
  'src/cli/threads.ts',
  'src/burn/node-pool.ts',
  'src/features/scan.ts',
  'src/cli/parse-source.ts',
  'src/cli/source.ts',
];

export const LATE = [
  'src/cli/plan.ts',
  'src/io/node-files.ts',
  'src/io/node-destination.ts',
  'src/crs.ts',
  'src/features/geojson.ts',
  'src/io/tiff/creation-options.ts',
  'src/burn/request.ts',
  'src/burn/run.ts',
  'src/io/tiff/write.ts',
  'src/cli/compress.ts',
];

// import('x') as a value: not `typeof import('x')`, not a type position `import('x').Name`
const DYNAMIC = /(?<![\w$.]|typeof\s)import\((['"])([^'"]+)\1\)(?!\s*\.)/g;
const LATE_ID = 'rasterburn-cli-late';

/** @returns {import('esbuild').Plugin} */
export function hoistImports(root) {
  const early = new Set(EARLY.map((p) => resolve(root, p)));
  const late = LATE.map((p) => resolve(root, p));
  return {
    name: 'cli-hoist',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${LATE_ID}$`) }, () => ({ path: LATE_ID, namespace: LATE_ID }));
      b.onLoad({ filter: /.*/, namespace: LATE_ID }, () => ({
        contents: late.map((p, i) => `export * as m${i} from ${JSON.stringify(p)};`).join('\n'),
        loader: 'ts',
        resolveDir: root,
      }));
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (a) => {
        const text = await readFile(a.path, 'utf8');
        const heads = [];
        let changed = false;
        const body = text.replace(DYNAMIC, (all, q, spec) => {
          if (!spec.startsWith('.')) return all;
          const target = resolve(dirname(a.path), spec.replace(/\.js$/, '.ts'));
          if (early.has(target)) {
            const name = `__rbEarly${heads.length}`;
            heads.push(`import * as ${name} from ${q}${spec}${q};`);
            changed = true;
            return `Promise.resolve(${name})`;
          }
          const i = late.indexOf(target);
          if (i < 0) return all;
          changed = true;
          return `import('${LATE_ID}').then((m) => m.m${i})`;
        });
        if (!changed) return undefined;
        // after a shebang line, which must stay first
        const shebang = body.startsWith('#!') ? body.slice(0, body.indexOf('\n') + 1) : '';
        return { contents: `${shebang}${heads.join('\n')}\n${body.slice(shebang.length)}`, loader: 'ts', resolveDir: dirname(a.path) };
      });
    },
  };
}
