// GDAL's nodata text (the GDAL_NODATA tag): the number formatted as GDAL writes it and parsed as GDAL reads
// it. Browser-safe.

/** GDAL's GDAL_NODATA text: printf("%.18g") of the double, "nan" for NaN (GTiffFormatGDALNoDataTagValue). */
export function formatGdalNoData(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return formatG(v, 18);
}

/** C's printf("%.{precision}g"). */
export function formatG(v: number, precision: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // toExponential rounds the exact binary value, as glibc does (ties aside, which need >17 exact digits)
  const [mant, expText] = v.toExponential(precision - 1).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= precision) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const e = Math.abs(exp);
    return `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    s = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return neg ? `-${s}` : s;
}

/** Parses a number as GDAL's CPLAtofM does: leading number, 'nan'/'inf' spellings, trailing text ignored, garbage = 0. */
export function parseGdalDouble(text: string): number {
  const t = text.replace(/\0+$/, '').trim();
  const low = t.toLowerCase();
  if (/^[+-]?(nan|1\.#[qs]?nan|1\.#ind)/.test(low)) return NaN;
  if (/^[+-]?(inf|1\.#inf)/.test(low)) return low.startsWith('-') ? -Infinity : Infinity;
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(t);
  return m ? Number(m[0]) : 0;
}

/** GDALAdjustNoDataCloseToFloatMax: a value within 1e-10 of +/-FLT_MAX is taken as FLT_MAX. */
export function adjustNearFloatMax(v: number): number {
  const max = 3.4028234663852886e38;
  if (Math.abs(v + max) < 1e-10 * max) return -max;
  if (Math.abs(v - max) < 1e-10 * max) return max;
  return v;
}
