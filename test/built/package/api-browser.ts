// The packaging test's browser program: the whole browser-safe API; the page title reports.
import { exercise } from './api-common.js';

exercise().then(
  (steps) => { document.title = `ok ${steps.join(' ')}`; },
  (e: unknown) => { document.title = `failed: ${e instanceof Error ? e.message : String(e)}`; },
);
