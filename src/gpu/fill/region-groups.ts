import { BITS_WORDS, REGION_WORDS, type RegionGroup } from './buffers.js';

/*
 * The regions a chain of the exact fill's kernels burns (struct Region, shaders/regions.wgsl: a
 * GPU-filled shape's bitmap window and the pixels it lands on), packed into groups whose parity
 * bitmaps fit BITS_WORDS. A tile of a single burn and a batch unit lay theirs out the same way, in
 * one array each group a stretch of; they differ only in what a region's base, stride and counter
 * words hold.
 */
export class RegionGrouper {
  readonly groups: RegionGroup[] = [];
  /** the bitmap words of the largest group */
  maxWords = 0;
  private n = 0;
  private g: RegionGroup | null = null;

  /** `regions`: REGION_WORDS words for every region that may be added; `shapeEdges`: two words each. */
  constructor(private readonly regions: Uint32Array, private readonly shapeEdges: Uint32Array) {}

  /**
   * Adds the region of rows r0..r1 and columns c0..c1 of a shape whose edges are [edge0, edge1):
   * `value` its owner id or increment, `base` and `stride` the owner cell of pixel (0, 0) and a
   * row's cells, `counter` the exact-path counter its crossings add to.
   */
  add(r0: number, r1: number, c0: number, c1: number, edge0: number, edge1: number, value: number, base: number, stride: number, counter: number): void {
    const cols = c1 - c0 + 1, rows = r1 - r0 + 1;
    const wpr = Math.ceil(cols / 32), words = wpr * rows;
    const { regions, shapeEdges, n } = this;
    let g = this.g;
    if (g === null || (g.words + words > BITS_WORDS && g.nRegions > 0)) {
      this.close();
      g = this.g = { regions: regions.subarray(n * REGION_WORDS), nRegions: 0, regionRows: 0, words: 0, shapeEdges: shapeEdges.subarray(n * 2), first: edge0, edges: 0 };
    }
    const o = n * REGION_WORDS;
    regions[o] = g.words;
    regions[o + 1] = wpr;
    regions[o + 2] = c0;
    regions[o + 3] = cols;
    regions[o + 4] = r0;
    regions[o + 5] = rows;
    regions[o + 6] = value;
    regions[o + 7] = g.regionRows;
    regions[o + 8] = base;
    regions[o + 9] = stride;
    regions[o + 10] = counter;
    shapeEdges[2 * n] = edge0;
    shapeEdges[2 * n + 1] = edge1;
    g.regionRows += rows;
    g.words += words;
    g.nRegions++;
    this.n = n + 1;
    if (g.words > this.maxWords) this.maxWords = g.words;
  }

  /** Closes the last group and returns them all. */
  finish(): RegionGroup[] {
    this.close();
    this.g = null;
    return this.groups;
  }

  private close(): void {
    const g = this.g, n = this.n;
    if (g === null) return;
    g.regions = this.regions.subarray(g.regions.byteOffset / 4, n * REGION_WORDS);
    g.shapeEdges = this.shapeEdges.subarray(g.shapeEdges.byteOffset / 4, n * 2);
    g.edges = this.shapeEdges[2 * n - 1] - g.first;
    this.groups.push(g);
  }
}
