// PairSink stores 2-byte pixels two at a time: every span and point must leave exactly the pixels the plain
// ArraySink leaves, at either parity of the buffer (a band of a taller grid starts anywhere), for negative
// Int16 values, clamped values and per-span variants, and must touch nothing outside the span.
import { describe, expect, it } from 'vitest';
import { ArraySink, PairSink, arraySink } from '../../../src/cpu/array-sink.js';
import { mulberry32 } from '../../../bench/random.js';

describe('PairSink', () => {
  const seed = 20261207;
  it(`matches ArraySink span for span (seed ${seed})`, () => {
    const rnd = mulberry32(seed);
    for (const Ctor of [Uint16Array, Int16Array]) {
      const dtype = Ctor === Uint16Array ? 'uint16' : 'int16';
      for (let trial = 0; trial < 60; trial++) {
        const width = 1 + Math.floor(rnd() * 90);
        const rows = 1 + Math.floor(rnd() * 6);
        // the band starts at pixel `lead` of its buffer, odd or even; guard pixels around it
        const lead = Math.floor(rnd() * 3);
        const pad = 1 + Math.floor(rnd() * 2);
        const rowOffset = Math.floor(rnd() * 5);
        const a = new Ctor(lead + width * rows + pad).fill(7);
        const b = new Ctor(lead + width * rows + pad).fill(7);
        const plain = new ArraySink(a.subarray(lead, lead + width * rows), width, dtype, 'replace', rowOffset);
        const pair = new PairSink(b.subarray(lead, lead + width * rows), width, dtype, rowOffset);
        for (let s = 0; s < 40; s++) {
          const value = rnd() < 0.2 ? (rnd() - 0.5) * 2e5 : Math.floor((rnd() - 0.5) * 7e4);
          plain.setValue(value);
          pair.setValue(value);
          const y = rowOffset + Math.floor(rnd() * rows);
          const x0 = Math.floor(rnd() * width);
          const x1 = x0 + Math.floor(rnd() * (width - x0));
          const variant = rnd() < 0.3 ? Math.floor((rnd() - 0.5) * 100) : 0;
          if (rnd() < 0.2) {
            plain.point(y, x0, variant);
            pair.point(y, x0, variant);
          } else {
            plain.span(y, x0, x1, variant);
            pair.span(y, x0, x1, variant);
          }
          expect(Array.from(b), `${dtype} lead ${lead} width ${width} span ${y} ${x0}..${x1}`).toEqual(Array.from(a));
        }
        expect(pair.visits).toBe(plain.visits);
      }
    }
  });

  it('is what arraySink gives for REPLACE into 2-byte pixels only', () => {
    expect(arraySink(new Uint16Array(4), 2, 'uint16', 'replace')).toBeInstanceOf(PairSink);
    expect(arraySink(new Int16Array(4), 2, 'int16', 'replace')).toBeInstanceOf(PairSink);
    expect(arraySink(new Uint16Array(4), 2, 'uint16', 'add')).not.toBeInstanceOf(PairSink);
    expect(arraySink(new Uint8Array(4), 2, 'uint8', 'replace')).not.toBeInstanceOf(PairSink);
    expect(arraySink(new Float32Array(4), 2, 'float32', 'replace')).not.toBeInstanceOf(PairSink);
  });
});
