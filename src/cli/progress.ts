import type { ProgressInfo } from '../types.js';

/** The bits of a stream the bar needs (process.stderr in the CLI; a fake in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export interface ProgressBar {
  /** rasterize()'s onProgress */
  update(p: ProgressInfo): void;
  /** erases the bar, leaving the line clean for an error or the shell prompt */
  clear(): void;
}

/** The bar of a run that shows none (-q): it never touches the stream, whose first use in Node loads its
 * driver (net for a pipe, tty for a terminal) */
export const NO_PROGRESS: ProgressBar = { update() {}, clear() {} };

/**
 * A one-line bar redrawn in place on a terminal, at most every `intervalMs` and only once a run has
 * lasted `delayMs` (short runs print nothing). Off when the stream is not a TTY or -q was given, so
 * pipes and logs never see control characters.
 */
export function progressBar(
  stream: ProgressStream,
  opts: { quiet?: boolean; delayMs?: number; intervalMs?: number; now?: () => number } = {},
): ProgressBar {
  if (opts.quiet || !stream.isTTY) return NO_PROGRESS;
  const now = opts.now ?? (() => Date.now());
  const start = now();
  const delay = opts.delayMs ?? 300;
  const interval = opts.intervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;

  return {
    update(p: ProgressInfo): void {
      const t = now();
      const finished = p.fraction >= 1;
      if (t - start < delay && !drawn) return;
      if (!finished && t - last < interval) return;
      last = t;
      const frac = Math.min(1, Math.max(0, Number.isFinite(p.fraction) ? p.fraction : 0));
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
      const fill = Math.round(frac * width);
      const bar = '#'.repeat(fill) + '-'.repeat(width - fill);
      const pct = `${(frac * 100).toFixed(0).padStart(3)}%`;
      stream.write(`\r[${bar}] ${pct} ${p.done}/${p.total} shapes`);
      drawn = true;
    },
    clear(): void {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
