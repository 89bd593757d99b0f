#!/usr/bin/env node
// The chunk codecs alone on a rasterized raster's strips: CPU time and compressed size of every 5th strip of
// an uncompressed single-band GeoTIFF written by rasterburn (its strips are contiguous at the file's end),
// scaled to all strips, for each DEFLATE and ZSTD choice the writer has: the run coders (src/io/tiff/deflate-runs.ts,
// zstd-runs.ts), node:zlib at levels 1 and 6 and with Z_RLE, zstd-wasm at levels 1 and 9, our LZW. Rounds alternate the
// codecs; the median of ROUNDS is printed. CPU time (process.cpuUsage) is the steadier figure on a shared machine.
//
//   node dist/bench/codec-strips.js plain.tif rowBytes rows unit     (W1: 20000 10000 2, a UInt16 row per strip)
import { readFileSync } from 'node:fs';
import { constants, deflateSync } from 'node:zlib';
import { deflateRuns } from '../src/io/tiff/deflate-runs.js';
import { lzwEncode } from '../src/io/tiff/lzw.js';
import { zstdRuns } from '../src/io/tiff/zstd-runs.js';
import { loadZstd } from '../src/io/tiff/zstd.js';
import { median } from './measure.js';

const [path, rowArg] = process.argv.slice(2);
if (!path) throw new Error('usage: codec-strips.js plain.tif rowBytes rows unit');
const rowBytes = Number(rowArg ?? 20000), rows = Number(process.argv[4] ?? 10000), unit = Number(process.argv[5] ?? 2);
const ROUNDS = Number(process.env.ROUNDS ?? 5), EVERY = 5;
const file = readFileSync(path);
const px = file.subarray(file.length - rows * rowBytes);
const strips: Uint8Array[] = [];
for (let i = 0; i < rows; i += EVERY) strips.push(new Uint8Array(px.subarray(i * rowBytes, (i + 1) * rowBytes)));
const zstd = await loadZstd();

const codecs: Record<string, (s: Uint8Array) => Uint8Array> = {
  'copy': (s) => s.slice(),
  'run coder (DEFLATE)': (s) => deflateRuns(s, unit) ?? deflateSync(s, { level: 6 }),
  'zlib level 1': (s) => deflateSync(s, { level: 1 }),
  'zlib level 6': (s) => deflateSync(s, { level: 6 }),
  'zlib level 6 Z_RLE': (s) => deflateSync(s, { level: 6, strategy: constants.Z_RLE }),
  'run coder (ZSTD)': (s) => zstdRuns(s, unit) ?? zstd.compress(s, 9),
  'zstd level 1': (s) => zstd.compress(s, 1),
  'zstd level 9': (s) => zstd.compress(s, 9),
  'LZW': (s) => lzwEncode(s),
};
const cpu: Record<string, number[]> = {}, size: Record<string, number> = {};
for (let r = 0; r < ROUNDS; r++) {
  const names = Object.keys(codecs);
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + r) % names.length];
    const c0 = process.cpuUsage();
    let bytes = 0;
    for (const s of strips) bytes += codecs[name](s).length;
    const c = process.cpuUsage(c0);
    (cpu[name] ??= []).push(((c.user + c.system) / 1e6) * EVERY);
    size[name] = bytes * EVERY;
  }
}
console.log(`${strips.length} of ${rows} strips of ${rowBytes} bytes, times scaled to all strips, median of ${ROUNDS} rounds`);
console.log('| codec | CPU s | file MiB |\n|---|---|---|');
for (const name of Object.keys(codecs)) console.log(`| ${name} | ${median(cpu[name]).toFixed(2)} | ${(size[name] / 2 ** 20).toFixed(2)} |`);
