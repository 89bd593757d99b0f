// A FlatGeobuf file's packed Hilbert R-tree searched in memory. The `flatgeobuf` package's search is
// written for HTTP (async, node ranges merged into requests) and prints console.debug lines for every
// node range, which would land on the CLI's standard output; a file already in memory needs neither.
import { generateLevelBounds, NODE_ITEM_BYTE_LEN } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { BBox } from './layer.js';

/** A feature the index found: its position in the file (0-based) and its byte offset in the features section. */
export interface IndexHit { id: number; offset: number }

/**
 * The features whose index box meets bbox, in file order. `indexAt` is where the index starts in
 * `bytes`; a node is minX, minY, maxX, maxY (float64) and an offset (uint64): of its first child for
 * an inner node, of the feature for a leaf.
 */
export function searchIndex(bytes: Uint8Array, indexAt: number, numItems: number, nodeSize: number, bbox: BBox): IndexHit[] {
  const levels = generateLevelBounds(numItems, nodeSize);
  const firstLeaf = levels[0][0];
  const end = levels[0][1];
  if (indexAt + end * NODE_ITEM_BYTE_LEN > bytes.length) throw new Error('the spatial index runs past the end of the file');
  const v = new DataView(bytes.buffer, bytes.byteOffset + indexAt, end * NODE_ITEM_BYTE_LEN);
  const hits: IndexHit[] = [];
  // (first node, level) ranges still to visit; the root is node 0 of the top level
  const stack: [number, number][] = [[0, levels.length - 1]];
  while (stack.length) {
    const [first, level] = stack.pop() as [number, number];
    const last = Math.min(first + nodeSize, levels[level][1]);
    for (let i = first; i < last; i++) {
      const at = i * NODE_ITEM_BYTE_LEN;
      if (bbox[2] < v.getFloat64(at, true) || bbox[3] < v.getFloat64(at + 8, true) || bbox[0] > v.getFloat64(at + 16, true) || bbox[1] > v.getFloat64(at + 24, true)) continue;
      const offset = Number(v.getBigUint64(at + 32, true));
      if (i >= firstLeaf) hits.push({ id: i - firstLeaf, offset });
      else {
        if (level === 0 || offset < levels[level - 1][0] || offset >= levels[level - 1][1]) throw new Error(`spatial index node ${i} points outside its child level`);
        stack.push([offset, level - 1]);
      }
    }
  }
  return hits.sort((a, b) => a.id - b.id);
}
