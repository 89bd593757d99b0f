// GDAL's cloud-optimized GeoTIFF layout marks, which an in-place edit has to keep true. Browser-safe.

// GDAL's COG ghost header (right after the TIFF header): whether blocks carry a size leader and a repeated
// 4-byte trailer, and where 'NO' of KNOWN_INCOMPATIBLE_EDITION=NO sits (-1 when absent)
export function cogGhost(bytes: Uint8Array, bigTiff: boolean): { leader: boolean; trailer: boolean; incompatibleAt: number } {
  const start = bigTiff ? 16 : 8;
  const head = 'GDAL_STRUCTURAL_METADATA_SIZE=';
  const none = { leader: false, trailer: false, incompatibleAt: -1 };
  if (bytes.length < start + head.length + 6) return none;
  let text = '';
  for (let i = 0; i < head.length; i++) text += String.fromCharCode(bytes[start + i]);
  if (text !== head) return none;
  let sizeText = '';
  for (let i = 0; i < 6; i++) sizeText += String.fromCharCode(bytes[start + head.length + i]);
  const size = Number(sizeText);
  if (!Number.isInteger(size)) return none;
  const body = new TextDecoder('latin1').decode(bytes.subarray(start, Math.min(bytes.length, start + head.length + 6 + 7 + size)));
  if (!/KNOWN_INCOMPATIBLE_EDITION=NO\n/.test(body)) return { leader: false, trailer: false, incompatibleAt: -1 };
  const at = body.indexOf('KNOWN_INCOMPATIBLE_EDITION=NO\n');
  return {
    leader: /BLOCK_LEADER=SIZE_AS_UINT4\n/.test(body),
    trailer: /BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n/.test(body),
    // GDAL leaves a space after 'NO\n' so that 'YES\n' can take its place
    incompatibleAt: body[at + 30] === ' ' ? start + at + 27 : -1,
  };
}
