// -sql on the source the CLI read: OGR SQL run over the layer (src/where/select.ts), or, for a GeoPackage,
// what SQLite ran (cli/source.ts hands the statement's clauses to the reader, as GDAL's driver runs the
// statement natively) with the result's own extent and geometry column. Browser-safe.
import type { FeatureInput } from '../features/geojson.js';
import { parseSelect, reshapes, type SelectStatement } from '../where/sql.js';
import { runSelect } from '../where/select.js';
import type { CliArgs } from './args.js';
import { layerNameOf } from './plan.js';

const NO_GEOMETRY = "nothing burned: -sql's SELECT DISTINCT gives a table of values without geometry";

/** The source -sql gives, to plan and burn with no filter left; warnings for a result that burns nothing. */
export function selectSource(args: Pick<CliArgs, 'sql' | 'dialect' | 'attribute' | 'src'>, source: FeatureInput, warnings: string[]): FeatureInput {
  const sql = args.sql as string;
  const format = (source as { format?: unknown }).format;
  const sel = parseSelect(sql);
  const layerName = layerNameOf(source, args.src);
  if (sel.layer.toLowerCase() !== layerName.toLowerCase()) throw new Error(`SELECT from table ${sel.layer} failed, no such table/featureclass: ${args.src} has one layer, "${layerName}"`);
  if (format === 'geopackage') return geopackageResult(source, sel, warnings);
  if (args.dialect !== undefined && /^(indirect_)?sqlite$/i.test(args.dialect)) {
    throw new Error(`-dialect ${args.dialect} is not supported with -sql on ${args.src}: rasterburn evaluates OGRSQL (SQLite's only for a GeoPackage)`);
  }
  // a plain filter on a layer whose file records its extent, or a field list alone: the engine filters as it
  // burns (plan.ts checks -a against the list)
  if (!reshapes(sel) && ((source as { extent?: unknown }).extent !== undefined || sel.where === undefined)) return source;
  const r = runSelect(source, sel);
  if (r.noGeometry) warnings.push(NO_GEOMETRY);
  return r.source;
}

// SQLite ran the statement's WHERE, ORDER BY and LIMIT/OFFSET in the reader; GDAL sizes a new raster by
// the result's features (never gpkg_contents' extent), names the columns by their aliases, and a result
// without the table's geometry column burns nothing
function geopackageResult(source: FeatureInput, sel: SelectStatement, warnings: string[]): FeatureInput {
  const layer = source as unknown as { geometryColumn?: string; extent?: unknown };
  const column = layer.geometryColumn ?? 'geom';
  const columns = sel.columns.filter((c) => c === '*' || c.field.toLowerCase() !== column.toLowerCase());
  const hasGeometry = columns.length !== sel.columns.length || columns.includes('*');
  delete layer.extent;
  if (hasGeometry && !reshapes(sel)) return source;
  if (!hasGeometry) warnings.push(`nothing burned: -sql's SELECT does not return the table's geometry column ${JSON.stringify(column)}`);
  else if (sel.distinct) warnings.push(NO_GEOMETRY);
  return runSelect(source, { ...sel, columns, where: undefined, orderBy: [], limit: undefined, offset: undefined, distinct: sel.distinct || !hasGeometry }).source;
}
