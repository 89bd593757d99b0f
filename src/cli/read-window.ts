// What the CLI asks a vector reader for: only the features that can touch the grid, and only the
// attribute fields the burn reads. Reading less is safe only where it cannot change a pixel:
// - the box is -te grown by two pixels on every side (GDAL's -tr rounding and -tap move the grid's edges
//   by less than a pixel; a feature whose box is farther out burns no pixel in any mode, all-touched too);
// - only when the features are not reprojected to the grid (the box is then in the layer's own SRS);
// - never with -i, which burns the first feature's value and needs every feature's holes.
import type { BBox, ReadOptions } from '../formats/layer.js';
import { fieldsNamed } from '../where/compile.js';
import { parseSelect } from '../where/sql.js';
import type { CliArgs } from './args.js';

export type ReadWindow = Pick<ReadOptions, 'bbox' | 'fields' | 'sqlWhere' | 'sqlTail'>;

const norm = (srs: string): string => srs.trim().toUpperCase();

/** The bbox (as a function of the layer's SRS) and the field list the CLI's reader reads with. */
export function readWindow(args: Pick<CliArgs, 'te' | 'tr' | 'ts' | 'srs' | 'srcCrs' | 'invert' | 'attribute' | 'where' | 'sql'>): ReadWindow {
  const out: ReadWindow = {};
  const box = gridBox(args);
  if (box && !args.invert && !countsOutside(args.sql)) {
    out.bbox = (layerSrs) => {
      const featureSrs = args.srcCrs ?? layerSrs;
      const gridSrs = args.srs ?? featureSrs;
      return featureSrs !== undefined && gridSrs !== undefined && norm(featureSrs) !== norm(gridSrs) ? undefined : box;
    };
  }
  // -sql may select and filter by any field: everything is read then
  if (args.sql === undefined) {
    const fields = new Set<string>();
    if (args.attribute !== undefined) fields.add(args.attribute);
    // a clause that does not parse is reported where it is compiled, with every field read
    if (args.where !== undefined) {
      try {
        for (const f of fieldsNamed(args.where)) fields.add(f);
      } catch {
        return out;
      }
    }
    out.fields = [...fields];
  }
  return out;
}

// -te grown by two pixels of -tr (or of the size -ts gives); none without -te
function gridBox(args: Pick<CliArgs, 'te' | 'tr' | 'ts'>): BBox | undefined {
  const te = args.te;
  if (!te) return undefined;
  let px = 0, py = 0;
  if (args.tr) { px = Math.abs(args.tr[0]); py = Math.abs(args.tr[1]); }
  if (args.ts && args.ts[0] > 0 && args.ts[1] > 0) {
    px = Math.max(px, Math.abs(te[2] - te[0]) / args.ts[0]);
    py = Math.max(py, Math.abs(te[3] - te[1]) / args.ts[1]);
  }
  if (!(px > 0 && py > 0 && Number.isFinite(px) && Number.isFinite(py))) return undefined;
  const box: BBox = [Math.min(te[0], te[2]) - 2 * px, Math.min(te[1], te[3]) - 2 * py, Math.max(te[0], te[2]) + 2 * px, Math.max(te[1], te[3]) + 2 * py];
  return box.every(Number.isFinite) ? box : undefined;
}

// -sql's LIMIT, OFFSET and DISTINCT count the features outside the box too (a statement that does not parse
// fails later, where -sql is planned)
function countsOutside(sql: string | undefined): boolean {
  if (sql === undefined) return false;
  try {
    const sel = parseSelect(sql);
    return sel.limit !== undefined || sel.offset !== undefined || !!sel.distinct;
  } catch {
    return false;
  }
}
