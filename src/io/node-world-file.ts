// -co TFW=YES's world file beside a new GeoTIFF, written as the raster is (src/io/node-files.ts: a temp file
// renamed into place, through symlinks, never half-written). Its path is checked before the burn, so that a
// world file that cannot be written fails the run before any output exists.
import type { Grid } from '../types.js';
import { worldFilePath, worldFileText } from './tiff/world-file.js';
import { checkDestination } from './node-destination.js';
import { writeFileAtomic } from './node-files.js';

/** Checks where the world file of the raster `dst` goes (one-line error when it cannot be written); returns its writer. */
export function prepareWorldFile(dst: string, inputs: Record<string, string | undefined>): (grid: Pick<Grid, 'transform'>) => Promise<void> {
  const path = worldFilePath(dst);
  checkDestination(path, inputs);
  return (grid) => writeFileAtomic(path, worldFileText(grid));
}
