#!/usr/bin/env node
// rasterburn: gdal_rasterize's command line on rasterburn's engine. Only argument parsing is loaded up
// front so that usage errors and --help answer at once; the engine, proj4 and the GeoTIFF code are
// imported after the command line is known to be good, and WebGPU only for --backend webgpu/auto.
import { parseArgs, type CliArgs } from './args.js';
import { helpText } from './help.js';
import { NO_PROGRESS, progressBar, type ProgressBar } from './progress.js';
import { roundStages, same, type Summary } from './summary.js';
import { noStages, type BurnStages } from '../burn/stats.js';
import { DTYPES } from '../dtype.js';
import type { DType, Grid, TypedArray } from '../types.js';
import type { FeatureInput } from '../features/geojson.js';
import type { Threads } from './threads.js';

/** Arrays larger than this are refused before allocation (and before reading an existing raster's pixels). */
export const MAX_OUTPUT_BYTES = 2 ** 31;


/** Runs the CLI on argv (without node and the script path); resolves to the exit code. */
export async function run(
  argv: readonly string[],
  // process.stdout and stderr are getters that build their stream on first use: a -q run that prints
  // nothing never pays for them
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } } = { get stdout() { return process.stdout; }, get stderr() { return process.stderr; } },
): Promise<number> {
  const t0 = performance.now();
  let bar: ProgressBar | null = null;
  try {
    // the tile queue's worker is a command of its own
    if (argv[0] === 'worker') return await (await import('../queue/node-worker-cli.js')).runWorkerCli(argv.slice(1), io);
    if (argv[0] === 'job') return await (await import('../queue/node-job-cli.js')).runJobCli(argv.slice(1), io);
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      io.stdout.write(`${helpText()}\n`);
      return 0;
    }
    if (parsed.kind === 'version') {
      io.stdout.write(`rasterburn ${await packageVersion()}\n`);
      return 0;
    }
    const args = parsed.args;
    bar = args.quiet ? NO_PROGRESS : progressBar(io.stderr);
    const notice = (m: string) => { if (!args.quiet) io.stderr.write(`rasterburn: notice: ${m}\n`); };
    // asked for explicitly, so -q does not hide it
    const verbose = args.verbose ? (m: string) => { io.stderr.write(`rasterburn: verbose: ${m}\n`); } : undefined;
    const warnings: string[] = [];
    // gdal_rasterize reads -dialect and -where only without -sql and -where respectively, and says so for one
    if (args.dialect !== undefined && args.where !== undefined && args.sql === undefined) warnings.push('-dialect is ignored with -where. Use -sql instead');
    if (args.sql !== undefined && args.where !== undefined) warnings.push('-where is ignored with -sql, as gdal_rasterize ignores it: put the clause in the SELECT');
    for (const t of args.transformerOptions) warnings.push(`-to ${t}: transformer options have no effect in rasterburn (features are mapped to pixels by the inverse geotransform)`);
    const summary = await burn(args, bar, t0, { notice, verbose }, warnings);
    bar.clear();
    // printed after the write, even with -q (GDAL's warnings ignore it too): a run that fails answers with one line
    for (const w of warnings) io.stderr.write(`rasterburn: warning: ${w}\n`);
    if (args.json) io.stdout.write(`${JSON.stringify(warnings.length ? { ...summary, warnings } : summary)}\n`);
    return 0;
  } catch (e) {
    bar?.clear();
    io.stderr.write(`rasterburn: ${oneLine(e)}\n`);
    return 1;
  }
}

/** notice: one-line news a run may print (-q hides it); verbose: --verbose's diagnostics, when asked for */
interface Say { notice: (m: string) => void; verbose?: (m: string) => void }

async function burn(args: CliArgs, bar: ProgressBar, t0: number, say: Say, warnings: string[]): Promise<Summary> {
  // the workers run their own small file: beside the bundled bin, or src/burn/node-worker.ts compiled
  // (TypeScript sources under a test runner have none)
  const here = import.meta.url;
  const workerUrl = here.endsWith('.mjs') ? new URL('./burn-worker.mjs', here) : here.endsWith('.js') ? new URL('../burn/node-worker.js', here) : null;
  // a --redis submitter burns nothing itself: no threads, and no head start on the grid's memory
  const threads: Threads = args.redis !== undefined ? { options: null, compressors: async () => null, running: () => false, close: async () => undefined }
    : await (await import('./threads.js')).burnThreads(args, workerUrl, MAX_OUTPUT_BYTES);
  try {
    return await burnWith(args, bar, t0, say, warnings, threads);
  } finally {
    await threads.close();
  }
}

async function burnWith(args: CliArgs, bar: ProgressBar, t0: number, say: Say, warnings: string[], threads: Threads): Promise<Summary> {
  const { notice } = say;
  const [fs, os, scan, { parseSource }] = await Promise.all([import('node:fs'), import('node:os'), import('../features/scan.js'), import('./parse-source.js')]);
  // the plan brings the CRS layer (proj4 and its EPSG table, the biggest chunk a run loads) and the file
  // helpers node:crypto: their files are read while the source is parsed, which no longer waits for them
  // (GDAL too opens the source first)
  const planning = Promise.all([import('./plan.js'), import('../io/node-files.js'), import('../io/node-destination.js')]);
  planning.catch(() => undefined);
  const stages = noStages();
  // other vector formats, standard input and /vsizip/ through the reader layer; GeoJSON as before
  const tRead = performance.now();
  const read = await (await import('./source.js')).readSource(args, (p) => readSourceBytes(fs, p));
  if (read.kind === 'layers') stages.read = performance.now() - tRead;
  const read0 = read.kind === 'layers' ? read.source
    : readGeoJSON(fs, args.src, (bytes) => parseSource(bytes, scan.parseGeoJSON), stages, read.bytes);
  // -sql's SELECT run over the layer: what is burned is its result, in its order
  const source = args.sql === undefined ? read0 : (await import('./sql-source.js')).selectSource(args, read0, warnings);
  const [plan, files, destination] = await planning;
  // --redis writes a VRT over tiles (checked by the parser)
  const format = args.redis !== undefined ? 'gtiff' : plan.outputFormat(args.dst, args.format);

  // through symlinks; devices, FIFOs, directories and the inputs themselves refused before anything is burned
  // a tile job's s3:// destination is the submitter's to check and write (src/queue/node-submit.ts)
  const dest = args.redis !== undefined && /^s3:\/\//i.test(args.dst) ? { shown: args.dst, path: args.dst, existing: null }
    : destination.checkDestination(args.dst, { source: args.src, template: args.template });
  const mode = plan.decideMode(args, dest.existing !== null);
  if (mode === 'update' && format === 'npy') {
    throw new Error(`cannot burn into the existing ${args.dst}: a .npy file has no georeferencing; pass -tr/-ts/--template to create it anew`);
  }

  // memory: the band, plus the encoded file that is built from it before writing
  const budget = Math.min(MAX_OUTPUT_BYTES, Math.floor(os.freemem() / 2));
  const checkBudget = (width: number, height: number, bytes: number, dtype: string): void => {
    if (bytes > budget) {
      throw new Error(`output grid ${width} x ${height} ${dtype} needs ${bytes} bytes, over the memory budget of ${budget} bytes`);
    }
  };

  const geotiff = mode === 'update' || args.template !== undefined ? await import('../io/tiff/read.js') : null;
  let existing: { grid: Grid; data: TypedArray; dtype: DType; nodata: number | null; bandCount: number; keepsOtherBands: boolean } | undefined;
  // GDAL updates the destination in place: band 1's chunks are rewritten in the file's own encoding and every
  // other byte is kept. A file whose encoding we cannot write is refused before anything is written (--rewrite:
  // rewritten whole, with a warning).
  type Updater = typeof import('../io/node-geotiff-update.js');
  let update: { updater: Updater; layout: ReturnType<Updater['inspectGeoTIFF']>; buf: ArrayBuffer } | undefined;
  // the bands burned in place, each with the -burn value of its position in -b (the last value standing in for
  // missing ones); as in GDAL, a band named twice is burned from its old pixels with the value of its last place
  const burnValue = (k: number): { burn?: number } => (args.burn.length ? { burn: args.burn[Math.min(k, args.burn.length - 1)] } : {});
  const named = args.bands.length ? args.bands : [1];
  const burnBands = [...new Set(named)];
  const burnAt = burnBands.map((b) => named.lastIndexOf(b));
  if (mode === 'update' && geotiff) {
    const buf = await files.readFileAsArrayBuffer(dest.path);
    const unreadable = (e: unknown): never => { throw new Error(`cannot read ${args.dst} as a GeoTIFF raster: ${oneLine(e)}`); };
    const grid = await geotiff.gridFromGeoTIFF(buf).catch(unreadable);
    // at least a byte a pixel: refuse hopeless sizes before the reader allocates
    checkBudget(grid.width, grid.height, grid.width * grid.height, 'raster');
    const info = await geotiff.readGeoTIFFInfo(buf, 1).catch(unreadable);
    // -b: GDAL's error for a band the file lacks, before anything is burned
    named.forEach((b, k) => {
      if (b <= info.bandCount) return;
      const has = `it has ${info.bandCount} band${info.bandCount > 1 ? 's' : ''}`;
      // GDAL looks the first band up alone, and the others when it reads them all
      throw new Error(k === 0 ? `${args.dst}: GDALDataset::GetRasterBand(${b}) - Illegal band #: ${has}` : `${args.dst}: RasterIO(): panBandMap[${k}] = ${b}, this band does not exist on dataset: ${has}`);
    });
    const updater: Updater = await import('../io/node-geotiff-update.js');
    let layout: ReturnType<Updater['inspectGeoTIFF']>;
    try {
      layout = updater.inspectGeoTIFF(buf);
    } catch (e) {
      return unreadable(e);
    }
    if (layout.unsupported && info.bandCount > 1) {
      throw new Error(`${args.dst} has ${info.bandCount} bands and ${layout.unsupported}, which rasterburn cannot write; rewriting band 1 alone would drop the other bands`);
    }
    if (layout.unsupported && !args.rewrite) {
      throw new Error(`cannot update ${args.dst}: it has ${layout.unsupported}, which rasterburn cannot re-encode, so nothing was written; pass --rewrite to rewrite it as an uncompressed GeoTIFF without its other tags, metadata and overviews`);
    }
    if ([layout, ...layout.overviewLayouts].some((l) => l.compression === 50000)) await updater.loadZstd();
    if (layout.overviews > 0 && !layout.unsupported) {
      // GDAL leaves them as they were; rasterburn rebuilds them (the file does not record how they were resampled:
      // nearest is gdaladdo's default), so that a viewer zoomed out shows the burn
      const levels = `${layout.overviews} overview level${layout.overviews > 1 ? 's' : ''}`;
      const burned = burnBands.length === 1 ? `band ${burnBands[0]}` : `bands ${burnBands.join(', ')}`;
      const why = args.keepOverviews ? '--keep-overviews' : updater.overviewsUnrebuildable(layout);
      // stale overviews show a map without the burn when zoomed out: never silently, only when asked for
      if (why !== null && !args.keepOverviews) {
        throw new Error(`cannot update ${args.dst}: its ${levels} cannot be rebuilt (${why}), so nothing was written; pass --keep-overviews to burn ${burned} and keep them as they were (as gdal_rasterize does), then rebuild them with gdaladdo`);
      }
      if (why === null) warnings.push(`${args.dst} has ${levels}: ${burned}'s were rebuilt from the new pixels with nearest resampling (as gdaladdo -r nearest); rebuild them with gdaladdo -r <method> ${args.dst} if they were made otherwise`);
      else warnings.push(`${args.dst} has ${levels}, kept as they were (${why}): they do not show this burn; rebuild them with gdaladdo -r nearest ${args.dst}`);
    }
    let data: TypedArray;
    if (!layout.unsupported && (layout.compression !== 1 || burnBands[0] !== 1)) {
      update = { updater, layout, buf };
      // band 1 as libtiff decodes it, by the code that re-encodes it: geotiff.js reads big-endian files with a
      // predictor otherwise than GDAL does, and a chunk must compare equal to itself to be left alone (it is
      // also several times faster than geotiff.js's decoders)
      data = DTYPES[info.dtype].make(info.grid.width * info.grid.height);
      try {
        updater.readGeoTIFFBand(buf, burnBands[0], data, layout, data);
      } catch (e) {
        return unreadable(e);
      }
    } else {
      if (!layout.unsupported) update = { updater, layout, buf };
      data = (await geotiff.readGeoTIFFRaster(buf, 1).catch(unreadable)).data;
      if (layout.unsupported) {
        warnings.push(`${args.dst} has ${layout.unsupported}, which rasterburn cannot write: it was rewritten (--rewrite) as an uncompressed GeoTIFF without its other tags, metadata and overviews`);
      }
    }
    const band = { ...info, data };
    existing = { ...band, keepsOtherBands: update !== undefined };
  }
  let template: Grid | undefined;
  if (args.template !== undefined && geotiff) {
    const buf = await files.readFileAsArrayBuffer(args.template);
    template = await geotiff.gridFromGeoTIFF(buf).catch((e: unknown) => { throw new Error(`cannot read template ${args.template} as a GeoTIFF raster: ${oneLine(e)}`); });
    // GDAL reads such a file as an identity geotransform too
    if (template.crs === undefined && template.transform.join(',') === '0,1,0,0,0,1') {
      warnings.push(`template ${args.template} has no georeferencing: its grid is taken as pixel coordinates (one unit a pixel, y growing downwards) with no CRS, and the features are burned at those coordinates`);
    }
  }

  // the EPSG table (and proj4, for a proj4 or WKT SRS) load here when the SRSs need them; the plan is synchronous
  const [{ loadCrsDefinitions }, { featureCrsOf }] = await Promise.all([import('../crs.js'), import('../features/geojson.js')]);
  await loadCrsDefinitions(args.srs, args.srcCrs, featureCrsOf(source));
  const p = plan.planOutput({ args, source, srcPath: args.src, mode, existing, template, passes: read.kind === 'layers' ? read.passes : undefined });
  // GDAL's warning, word for word: the features are burned at their own coordinates
  if (mode === 'update' && existing?.grid.crs === undefined && p.options.featureCrs !== undefined) {
    warnings.push('The input vector layer has a SRS, but the output raster dataset SRS is unknown. Ensure output raster dataset has the same SRS, otherwise results might be incorrect.');
  }
  if (args.redis !== undefined) return (await import('../queue/node-submit.js')).submitTileJob({ args, source, plan: p, bar, notice, t0, stages, warnings });
  const bandCount = 1 + p.moreBands.length;
  if (bandCount > 1 && format === 'npy') throw new Error(`${bandCount} bands (one per -burn/-init value) cannot be written to a .npy file; write a GeoTIFF`);
  // -co for a new GeoTIFF: GDAL's warnings for what is ignored, its errors before anything is burned
  let creation: import('../io/tiff/write.js').GeoTIFFWriteOptions = {};
  // -of COG's overview levels (pixel rule G10)
  let cogOverviews: import('../io/tiff/cog-options.js').CogOverviews | null = null;
  // -co TFW=YES: the world file, written once the raster is
  let worldFile: ((grid: Grid) => Promise<void>) | undefined;
  if (mode === 'create' && format === 'gtiff') {
    const co = args.format?.toLowerCase() === 'cog'
      ? (await import('../io/tiff/cog-options.js')).parseCogOptions(args.creationOptions, p.dtype, p.grid.width, p.grid.height)
      : (await import('../io/tiff/creation-options.js')).parseCreationOptions(args.creationOptions, p.dtype);
    warnings.push(...co.warnings);
    creation = co.options;
    if ('worldFile' in co && co.worldFile) worldFile = (await import('../io/node-world-file.js')).prepareWorldFile(args.dst, { source: args.src, template: args.template });
    if ('overviews' in co) cogOverviews = (co as import('../io/tiff/cog-options.js').CogCreationOptions).overviews;
    if (creation.compress === 'zstd') await (await import('../io/tiff/zstd.js')).loadZstd();
  } else if (args.creationOptions.length && format === 'npy') {
    warnings.push(`-co ${args.creationOptions.join(' -co ')}: ignored for a .npy destination`);
  }
  const bytes = plan.rasterBytes(p.grid, p.dtype) * bandCount;
  // (node:zlib and the chunk coders load only for a compressed file)
  if (mode === 'create' && format === 'gtiff' && !cogOverviews && bytes <= budget && ((creation.compress ?? 'none') !== 'none' || creation.sparse)) await (await import('./compress.js')).prestartCompressors(creation, p.dtype, p.grid.width, args, bytes, threads);
  if (bytes > budget && bandCount > 1) checkBudget(p.grid.width, p.grid.height, bytes, `${p.dtype} x ${bandCount} bands`);
  // over the budget a new GeoTIFF is burned and written a band at a time instead (bounded memory), as -co asks
  if (bytes > budget && mode === 'create' && format === 'gtiff') {
    // overviews are resampled from the whole grid, which this path never holds
    if (cogOverviews?.sizes.length) {
      const n = cogOverviews.sizes.length;
      warnings.push(`COG written without overviews: a grid over the memory budget is streamed, and the ${n} level${n > 1 ? 's' : ''} (${cogOverviews.sizes.map(([w, h]) => `${w}x${h}`).join(', ')}) that -of COG makes are not computed; gdal_translate -of COG -co RESAMPLING=${cogOverviews.resampling.toUpperCase()} makes them from the file, or pass -co OVERVIEWS=NONE`);
    }
    const { burnWarnings, ...summary } = await (await import('./stream.js')).streamGeoTIFF({ args, dest, source, plan: p, bar, notice, budget, t0, stages, creation, threads });
    warnings.push(...burnWarnings);
    await worldFile?.(p.grid);
    return summary;
  }
  checkBudget(p.grid.width, p.grid.height, bytes, p.dtype);
  // gdal_rasterize's default file: burned in bands, each written while the next burns
  if (mode === 'create' && format === 'gtiff' && bandCount === 1 && !cogOverviews && args.format?.toLowerCase() !== 'cog') {
    const strips = await import('./strips.js');
    if (strips.stripsApply(creation, p.dtype, p.options.backend ?? 'cpu', dest)) {
      const { burnWarnings, ...summary } = await strips.burnStrips({ args, dest, source, plan: p, bar, t0, stages, creation, threads });
      for (const w of burnWarnings) if (!warnings.includes(w)) warnings.push(w);
      await worldFile?.(p.grid);
      return summary;
    }
  }

  const [{ resolveRequest }, { burnRequest }] = await Promise.all([import('../burn/request.js'), import('../burn/run.js')]);

  if (p.options.backend === 'webgpu' || p.options.backend === 'auto') {
    // name Dawn to the engine here, with a literal specifier, so the bundled bin carries it
    const [{ requestDawnAdapter }, { setWebGPUProvider }, { allowMappedGpuResults }] = await Promise.all([import('../gpu/dawn.js'), import('../gpu/device.js'), import('../burn/burn.js')]);
    setWebGPUProvider(() => requestDawnAdapter({ verbose: say.verbose }));
    // the result is written out and dropped: it may be the GPU's mapped readback itself
    allowMappedGpuResults(true);
  }

  // --json counts the pixels the burn changed, against the initial fill or the existing band
  const before = args.json && existing ? existing.data.slice() : null;
  let data = existing?.data;
  const request = resolveRequest(p.grid, { ...p.options, ...(existing ? burnValue(burnAt[0]) : {}), into: data, onProgress: (q) => bar.update(q) });
  let result: Awaited<ReturnType<typeof burnRequest>> | undefined;
  let shapes = 0;
  for (let pass = 0; pass < p.passes; pass++) {
    result = await burnRequest(source, { ...request, into: data }, { threads: threads.options ?? undefined });
    data = result.data;
    shapes += result.stats.shapes;
    stages.prepare += result.stats.stages.prepare;
    stages.burn += result.stats.stages.burn;
    // once each, however many passes
    for (const w of result.stats.warnings ?? []) if (!warnings.includes(w)) warnings.push(w);
  }
  if (!result) throw new Error('internal: nothing was burned');
  bar.clear();
  // the one notice a run may print: --backend auto/webgpu answered on the CPU, and why
  if (result.stats.fallbackReason) notice(`burned on the CPU: ${oneLine(result.stats.fallbackReason)}`);

  let pixelsBurned = 0;
  const countChanged = (out: TypedArray, from: TypedArray | number | bigint): void => {
    for (let i = 0; i < out.length; i++) if (!same(out[i], typeof from === 'object' ? from[i] : from)) pixelsBurned++;
  };
  if (args.json) countChanged(result.data, before ?? request.start);

  // -b's other bands burn the same features with their own -burn value into their own pixels
  const bandUpdates: import('../io/node-geotiff-update.js').BandUpdate[] = [{ band: burnBands[0], data: result.data }];
  for (let k = 1; update && k < burnBands.length; k++) {
    let into = update.updater.readGeoTIFFBand(update.buf, burnBands[k], result.data, update.layout);
    const old = args.json ? into.slice() : null;
    const req = resolveRequest(p.grid, { ...p.options, ...burnValue(burnAt[k]) });
    for (let pass = 0; pass < p.passes; pass++) into = (await burnRequest(source, { ...req, into }, { threads: threads.options ?? undefined })).data;
    if (old) countChanged(into, old);
    bandUpdates.push({ band: burnBands[k], data: into });
  }

  const tWrite = performance.now();
  const raster = { ...result, nodata: p.nodata };
  let encoded: Uint8Array[];
  if (format === 'npy') {
    const { toNpyParts } = await import('../io/npy.js');
    encoded = toNpyParts(raster);
  } else if (update) {
    try {
      encoded = update.updater.updateGeoTIFFBands(update.buf, bandUpdates, update.layout, !args.keepOverviews);
    } catch (e) {
      throw new Error(`cannot update ${args.dst}: ${oneLine(e)}`);
    }
  } else if (cogOverviews) {
    encoded = await cogWithOverviews(raster, p.moreBands, creation, cogOverviews, async (more) => {
      const req = resolveRequest(p.grid, { ...p.options, ...more });
      let d: TypedArray | undefined;
      for (let pass = 0; pass < p.passes; pass++) d = (await burnRequest(source, { ...req, into: d }, { threads: threads.options ?? undefined })).data;
      return d!;
    });
  } else if (bandCount > 1) {
    // the other bands burn the same features with their own value and start, then go in pixel by pixel
    const bands = [result.data];
    for (const more of p.moreBands) {
      const req = resolveRequest(p.grid, { ...p.options, ...more });
      let d: TypedArray | undefined;
      for (let pass = 0; pass < p.passes; pass++) d = (await burnRequest(source, { ...req, into: d }, { threads: threads.options ?? undefined })).data;
      bands.push(d!);
    }
    const n = bands.length;
    const interleaved = DTYPES[p.dtype].make(p.grid.width * p.grid.height * n);
    for (let b = 0; b < n; b++) {
      const d = bands[b];
      for (let i = 0, k = b; i < d.length; i++, k += n) interleaved[k] = d[i];
    }
    const multi = { ...raster, data: interleaved };
    encoded = await (await import('./compress.js')).encodeGeoTIFF(multi, { ...creation, samples: n }, args, threads);
  } else {
    encoded = await (await import('./compress.js')).encodeGeoTIFF(raster, creation, args, threads);
  }
  // temp file + rename where that keeps the file's identity (on any failure the destination keeps its bytes),
  // else in place after a check that it fits
  // (an uncompressed band may have been burned straight into the file's bytes: then every part is written)
  const original = update && result.data.buffer !== update.buf ? new Uint8Array(update.buf) : undefined;
  const written = await destination.writeDestination(dest, encoded, original);
  await worldFile?.(p.grid);
  stages.write = performance.now() - tWrite;

  return {
    width: p.grid.width,
    height: p.grid.height,
    dtype: p.dtype,
    backend: result.stats.backend,
    features: result.stats.features,
    skipped: result.stats.skipped,
    shapes,
    pixelsBurned,
    seconds: Math.round(performance.now() - t0) / 1000,
    stages: roundStages(stages),
    write: written,
    ...(result.stats.gpu ? { gpu: result.stats.gpu } : {}),
  };
}


// a COG with its overview levels: the other bands (one per more -burn/-init value) burned by `burnMore`, then
// every band reduced level by level and the levels written before the full-resolution tiles
async function cogWithOverviews(
  raster: import('../types.js').Raster,
  moreBands: ReadonlyArray<object>, creation: import('../io/tiff/write.js').GeoTIFFWriteOptions,
  overviews: import('../io/tiff/cog-options.js').CogOverviews, burnMore: (more: object) => Promise<TypedArray>,
): Promise<Uint8Array[]> {
  const [{ cogOverviews }, { toCogParts }, { nodeDeflateAsync }] = await Promise.all([import('../io/tiff/overview.js'), import('../io/tiff/cog-write.js'), import('../io/node-zlib.js')]);
  const bands = [raster.data];
  for (const more of moreBands) bands.push(await burnMore(more));
  const n = bands.length;
  let data = raster.data;
  if (n > 1) {
    data = DTYPES[raster.dtype].make(raster.width * raster.height * n);
    for (let b = 0; b < n; b++) for (let i = 0, k = b; i < bands[b].length; i++, k += n) data[k] = bands[b][i];
  }
  const levels = cogOverviews(data, raster.width, raster.height, n, overviews.sizes, overviews.resampling, raster.nodata, raster.dtype);
  return toCogParts({ ...raster, data }, { ...creation, samples: n }, levels, nodeDeflateAsync);
}

function readSourceBytes(fs: typeof import('node:fs'), path: string): Uint8Array {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read source ${path}: ${errnoText(e)}`);
  }
}

// bytes: the source already read (standard input, or a file sniffed for its format)
function readGeoJSON(fs: typeof import('node:fs'), path: string, parseGeoJSON: (bytes: Uint8Array) => FeatureInput, stages: BurnStages, pre: Uint8Array | null = null): FeatureInput {
  const t0 = performance.now();
  const bytes = pre ?? readSourceBytes(fs, path);
  const t1 = performance.now();
  stages.read = t1 - t0;
  // a small file as JSON.parse gives it, a big one with its coordinates packed into typed arrays (no array
  // per position; src/cli/parse-source.ts); a leading BOM is skipped either way
  let json: unknown;
  try {
    json = parseGeoJSON(bytes);
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${oneLine(e)}`);
  }
  stages.parse = performance.now() - t1;
  const type = json && typeof json === 'object' && !Array.isArray(json) ? (json as { type?: unknown }).type : undefined;
  const GEOJSON = ['FeatureCollection', 'Feature', 'Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];
  if (typeof type !== 'string' || !GEOJSON.includes(type)) {
    throw new Error(`${path} is not GeoJSON: expected a FeatureCollection, Feature or geometry, got ${type === undefined ? (Array.isArray(json) ? 'an array' : typeof json) : `type ${JSON.stringify(type)}`}`);
  }
  if (type === 'FeatureCollection' && !Array.isArray((json as { features?: unknown }).features)) {
    throw new Error(`${path} is not GeoJSON: its FeatureCollection has no "features" array`);
  }
  return json as FeatureInput;
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return oneLine(e);
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s*\n\s*/g, ' ').trim() || (e instanceof Error ? e.name : 'unknown error');
}

async function packageVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      return JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')).version;
    } catch { /* try the next layout (dist/src/cli or src/cli) */ }
  }
  return 'unknown';
}

// run when executed as the bin (also through npx's symlink), not when imported by tests
const invoked = process.argv[1];
if (invoked && await isThisFile(invoked)) {
  const code = await run(process.argv.slice(2));
  // a WebGPU device can keep the event loop alive; the work is done and stdout/stderr are synchronous here
  process.exit(code);
}

async function isThisFile(path: string): Promise<boolean> {
  const [{ realpathSync }, { fileURLToPath }] = await Promise.all([import('node:fs'), import('node:url')]);
  try {
    return realpathSync(path) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
