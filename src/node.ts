// Node entry: the browser-safe core plus file helpers that need node:fs.
export * from './index.js';
export { readFileAsArrayBuffer, writeFileAtomic } from './io/node-files.js';
