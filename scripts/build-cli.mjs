// Bundles the CLI into one file (dist/cli/rasterburn.mjs), the `rasterburn` bin. One file starts
// ~70 ms faster than ~50 ESM modules plus proj4 and geotiff resolved one by one, which is a third of
// a small job's run time. Dawn (`webgpu`, a native addon) stays external and loads only for
// --backend webgpu/auto.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const outfile = 'dist/cli/rasterburn.mjs';
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  sourcemap: true,
  logLevel: 'warning',
  // proj4 and geotiff's dependencies are CommonJS that call require(); give the ESM bundle one
  // (esbuild keeps main.ts's own shebang line first)
  banner: { js: "import { createRequire as __rbCreateRequire } from 'node:module';\nconst require = __rbCreateRequire(import.meta.url);" },
});
chmodSync(outfile, 0o755);
