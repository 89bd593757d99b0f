import type { ShapeKind, ShapeSet } from './shapes.js';

// growable float64 column: amortised doubling keeps flattening 100k features linear
class F64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) { this.a = new Float64Array(cap); }
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Float64Array { return this.a.slice(0, this.n); }
}

class I64 {
  a = new BigInt64Array(256);
  n = 0;
  push(v: bigint): void {
    if (this.n === this.a.length) { const b = new BigInt64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): BigInt64Array { return this.a.slice(0, this.n); }
}

class U32 {
  a: Uint32Array;
  n = 0;
  constructor(cap = 256) { this.a = new Uint32Array(cap); }
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Uint32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Uint32Array { return this.a.slice(0, this.n); }
}

/**
 * Accumulates shapes into the flat ShapeSet columns. Vertices are pushed in world coordinates
 * and mapped to pixel space as they arrive, so the world copy of a part lives only in scratch.
 */
export class ShapeBuilder {
  private kinds = new U32();
  private values = new F64();
  private features = new U32();
  private partStart = new U32();
  private vertexStart = new U32();
  private xs = new F64(4096);
  private ys = new F64(4096);
  private zs: F64 | null;
  private shapeOpen = false;
  /** the exact Int64 column (ShapeSet.value64), when keepExact() asked for it */
  private values64: I64 | null = null;
  /** the Int64 value the next shapes carry in that column */
  exact = 0n;

  constructor(withZ: boolean) {
    this.zs = withZ ? new F64(4096) : null;
  }

  /** keeps each shape's `exact` value too, for an Integer64 attribute (ShapeSet.value64) */
  keepExact(): void {
    this.values64 = new I64();
  }

  get vertexCount(): number { return this.xs.n; }
  get shapeCount(): number { return this.kinds.n; }

  beginShape(kind: ShapeKind, value: number, feature: number): void {
    this.kinds.push(kind);
    this.values.push(value);
    if (this.values64) this.values64.push(this.exact);
    this.features.push(feature);
    this.partStart.push(this.vertexStart.n);
    this.shapeOpen = true;
  }

  beginPart(): void {
    this.vertexStart.push(this.xs.n);
  }

  vertex(px: number, py: number, z: number): void {
    this.xs.push(px);
    this.ys.push(py);
    if (this.zs) this.zs.push(z);
  }

  /** a position to roll back to when a feature turns out unusable (e.g. reprojection failed) */
  mark(): [number, number, number] {
    return [this.kinds.n, this.vertexStart.n, this.xs.n];
  }

  rollback([shapes, parts, verts]: [number, number, number]): void {
    this.kinds.n = shapes; this.values.n = shapes; this.features.n = shapes; this.partStart.n = shapes;
    if (this.values64) this.values64.n = shapes;
    this.vertexStart.n = parts;
    this.xs.n = verts; this.ys.n = verts;
    if (this.zs) this.zs.n = verts;
    this.shapeOpen = false;
  }

  /** closes the open shape, dropping it when none of its parts had vertices */
  endShape(): void {
    if (this.shapeOpen && this.vertexStart.n === this.partStart.a[this.partStart.n - 1]) {
      const s = this.kinds.n - 1;
      this.rollback([s, this.vertexStart.n, this.xs.n]);
    }
    this.shapeOpen = false;
  }

  finish(): ShapeSet {
    const partStart = new Uint32Array(this.partStart.n + 1);
    partStart.set(this.partStart.a.subarray(0, this.partStart.n));
    partStart[this.partStart.n] = this.vertexStart.n;
    const vertexStart = new Uint32Array(this.vertexStart.n + 1);
    vertexStart.set(this.vertexStart.a.subarray(0, this.vertexStart.n));
    vertexStart[this.vertexStart.n] = this.xs.n;
    const kind = new Uint8Array(this.kinds.n);
    for (let i = 0; i < kind.length; i++) kind[i] = this.kinds.a[i];
    return {
      count: kind.length,
      kind,
      value: this.values.done(),
      partStart,
      vertexStart,
      x: this.xs.done(),
      y: this.ys.done(),
      z: this.zs ? this.zs.done() : null,
      feature: this.features.done(),
      ...(this.values64 ? { value64: this.values64.done() } : {}),
    };
  }
}

