// Option values read as gdal_rasterize reads them (CPLAtof, atoi), except that where GDAL silently reads
// garbage as 0 we refuse with a one-line UsageError naming the option and the text.

/** A bad command line; main prints its message after "rasterburn: " and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

// C strtod syntax as CPLAtof reads a whole argument: decimal, hex integer, inf/infinity, nan. GDAL's
// ArgIsNumeric takes the same set when -burn/-init/-b gather their following values (checked: -burn nan,
// -burn inf, -burn 0x10 burn NaN, inf, 16; -burn 1,5 and -burn abc are not values)
export const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|inf(?:inity)?|nan)$/i;

/** Parses a whole argument as C's strtod would, refusing trailing junk and empty strings. */
export function parseNumber(text: string, what: string): number {
  const t = text.trim();
  if (!NUMBER.test(t)) throw new UsageError(`${what}: '${text}' is not a number`);
  const body = t.replace(/^[+-]/, '');
  const neg = t.startsWith('-');
  let v: number;
  if (/^0x/i.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^nan$/i.test(body)) v = NaN;
  else if (/^inf/i.test(body)) v = Infinity;
  else v = Number(body);
  return neg ? -v : v;
}

/** parseNumber, refusing nan and infinities (extents and resolutions). */
export function parseFinite(text: string, what: string): number {
  const v = parseNumber(text, what);
  if (!Number.isFinite(v)) throw new UsageError(`${what}: '${text}' is not a finite number`);
  return v;
}

// -ts: GDAL reads it with atoi, so a fraction is cut off; exponents and junk are refused rather than misread
export function parseCount(text: string, what: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+(?:\.\d*)?$/.test(t)) throw new UsageError(`${what}: '${text}' is not an integer`);
  const v = Math.trunc(Number(t));
  if (!(v > 0)) throw new UsageError(`Wrong value for -ts parameter: '${text}' (width and height must be positive)`);
  if (v > 2147483647) throw new UsageError(`${what}: '${text}' is over GDAL's limit of 2147483647`);
  return v;
}
