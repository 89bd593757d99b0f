// The job's output: a GDAL VRT mosaic over the tiles that were written. Tiles left out (nothing
// burned there) read as the band's nodata value, else 0: exactly their pixels, since a job only
// leaves tiles out when its start value is that. Browser-safe.
import { formatGdalNoData } from '../io/tiff/gdal-nodata.js';
import type { DType } from '../types.js';
import { tileRect, type TileJobSpec } from './tile-grid.js';

const GDAL_TYPE: Record<DType, string> = {
  uint8: 'Byte', int16: 'Int16', uint16: 'UInt16', int32: 'Int32', uint32: 'UInt32', float32: 'Float32', float64: 'Float64', int64: 'Int64', uint64: 'UInt64',
};

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The VRT XML over the written tiles. `tilePath(index)` gives each tile's file as the VRT names it:
 * a path relative to the VRT's folder (marked relativeToVRT) or an absolute one.
 */
export function vrtXml(spec: TileJobSpec, written: readonly number[], tilePath: (index: number) => { path: string; relative: boolean }): string {
  const { width, height, transform, crs } = spec.grid;
  const type = GDAL_TYPE[spec.dtype];
  const lines = [`<VRTDataset rasterXSize="${width}" rasterYSize="${height}">`];
  // GDAL reads the SRS element as any user input (EPSG code, WKT, PROJ string); without an axis
  // mapping it takes the geotransform in GIS order (x = longitude), as the GeoTIFFs have it
  if (crs !== undefined) lines.push(`  <SRS>${xml(crs)}</SRS>`);
  lines.push(`  <GeoTransform>${transform.map((v) => String(v)).join(', ')}</GeoTransform>`);
  lines.push(`  <VRTRasterBand dataType="${type}" band="1">`);
  if (spec.nodata !== null) lines.push(`    <NoDataValue>${formatGdalNoData(spec.nodata)}</NoDataValue>`);
  for (const index of [...written].sort((a, b) => a - b)) {
    const r = tileRect(spec, index);
    const w = r.x1 - r.x0, h = r.y1 - r.y0;
    const { path, relative } = tilePath(index);
    lines.push(
      '    <SimpleSource>',
      `      <SourceFilename relativeToVRT="${relative ? 1 : 0}">${xml(path)}</SourceFilename>`,
      '      <SourceBand>1</SourceBand>',
      `      <SourceProperties RasterXSize="${w}" RasterYSize="${h}" DataType="${type}" BlockXSize="256" BlockYSize="256" />`,
      `      <SrcRect xOff="0" yOff="0" xSize="${w}" ySize="${h}" />`,
      `      <DstRect xOff="${r.x0}" yOff="${r.y0}" xSize="${w}" ySize="${h}" />`,
      '    </SimpleSource>',
    );
  }
  lines.push('  </VRTRasterBand>', '</VRTDataset>', '');
  return lines.join('\n');
}
