// Magic bytes of the formats the dispatcher tells apart (kept apart from the readers, which load on demand).
const starts = (b: Uint8Array, sig: number[]): boolean => b.length >= sig.length && sig.every((m, i) => b[i] === m);

export const isFlatGeobuf = (b: Uint8Array): boolean => starts(b, [0x66, 0x67, 0x62, 0x03]);
export const isParquet = (b: Uint8Array): boolean => starts(b, [0x50, 0x41, 0x52, 0x31]);
export const isSQLite = (b: Uint8Array): boolean => starts(b, [...'SQLite format 3\0'].map((c) => c.charCodeAt(0)));
export const isShp = (b: Uint8Array): boolean => starts(b, [0, 0, 0x27, 0x0a]);
export const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);

/** JSON text (or an RS-separated sequence) after an optional BOM and blanks */
export function looksLikeJson(b: Uint8Array): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0d || b[i] === 0x0a)) i++;
  return b[i] === 0x7b || b[i] === 0x1e || b[i] === 0x5b;
}
