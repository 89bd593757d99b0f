// C strtod's accepted prefix: decimal with optional fraction/exponent, hex (0x...), inf/infinity, nan
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const SPECIAL = /^([+-]?)(inf(?:inity)?|nan)/i;

/** parses the longest numeric prefix of s the way C's atof does; 0 when there is none */
export function atof(s: string): number {
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  const hex = HEX.exec(t);
  if (hex) {
    const [intPart, fracPart = ''] = hex[2].split('.');
    let v = 0;
    for (const c of intPart) v = v * 16 + parseInt(c, 16);
    let scale = 1 / 16;
    for (const c of fracPart) { v += parseInt(c, 16) * scale; scale /= 16; }
    if (hex[3]) v *= 2 ** Number(hex[3]);
    return hex[1] === '-' ? -v : v;
  }
  const dec = DECIMAL.exec(t);
  if (dec) return Number(dec[0]);
  const sp = SPECIAL.exec(t);
  if (sp) {
    const v = sp[2].toLowerCase() === 'nan' ? NaN : Infinity;
    return sp[1] === '-' ? -v : v;
  }
  return 0;
}

/**
 * A GeoJSON property value as GDAL's -a reads it (OGR_F_GetFieldAsDouble): numbers as they are,
 * booleans 1/0, strings by their numeric prefix, null / missing / lists / objects 0.
 */
export function fieldAsDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return atof(v);
  return 0;
}
