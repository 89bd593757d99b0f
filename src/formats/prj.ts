// The SRS of a Shapefile's .prj (ESRI WKT). GDAL identifies the common ESRI names as their EPSG codes
// (and writes those to the raster it creates); the same names are recognised here, anything else is
// handed on as WKT.
const GEOG: Record<string, number> = { GCS_WGS_1984: 4326, WGS_1984_3D: 4979, GCS_North_American_1983: 4269, GCS_North_American_1927: 4267, GCS_ETRS_1989: 4258 };

export function prjSrs(text: string): string | undefined {
  const wkt = text.replace(/^\uFEFF/, '').trim();
  if (!wkt) return undefined;
  const root = /^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(wkt);
  if (!root) return wkt;
  const [, kind, name] = root;
  if (/^GEOG/i.test(kind) && GEOG[name] !== undefined) return `EPSG:${GEOG[name]}`;
  let m = /^WGS_1984_UTM_Zone_(\d{1,2})([NS])$/.exec(name);
  if (m) return `EPSG:${(m[2] === 'N' ? 32600 : 32700) + Number(m[1])}`;
  m = /^ETRS_1989_UTM_Zone_(\d{2})N$/.exec(name);
  if (m && +m[1] >= 28 && +m[1] <= 38) return `EPSG:${25800 + Number(m[1])}`;
  m = /^NAD_1983_UTM_Zone_(\d{1,2})N$/.exec(name);
  if (m && +m[1] >= 1 && +m[1] <= 23) return `EPSG:${26900 + Number(m[1])}`;
  if (name === 'WGS_1984_Web_Mercator_Auxiliary_Sphere') return 'EPSG:3857';
  return wkt;
}
