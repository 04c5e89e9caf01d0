import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confidenceWeight, logAboveOne, relativeToTypical } from '../../../src/models/mf/confidence.js';

describe('logAboveOne', () => {
  it('leaves weights up to 1 alone and is log above', () => {
    expect(logAboveOne(0.25)).toBe(0.25);
    expect(logAboveOne(1)).toBe(1);
    expect(logAboveOne(Math.E)).toBeCloseTo(2, 12);
    expect(logAboveOne(10_000)).toBeCloseTo(1 + Math.log(10_000), 12);
  });

  it('is continuous and increasing', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (a, b) =>
        a <= b ? logAboveOne(a) <= logAboveOne(b) : logAboveOne(a) >= logAboveOne(b),
      ),
    );
    expect(logAboveOne(1 + 1e-12)).toBeCloseTo(1, 10);
  });
});

describe("confidenceWeight 'linear-log'", () => {
  const o = { kind: 'implicit' as const, alpha: 2, confidenceScaling: 'linear-log' as const, epsilon: 3 };
  it('is linear up to epsilon and logarithmic above', () => {
    expect(confidenceWeight(1.5, o)).toBe(1 + 2 * 1.5);
    expect(confidenceWeight(3, o)).toBe(1 + 2 * 3);
    expect(confidenceWeight(3 * Math.E, o)).toBeCloseTo(1 + 2 * 3 * 2, 12);
  });
});

describe('relativeToTypical', () => {
  it('divides by the median entry (odd and even counts) and leaves an empty row alone', () => {
    const odd = Float64Array.of(3, 0.25, 1.5);
    relativeToTypical(odd);
    expect(Array.from(odd)).toEqual([2, 0.25 / 1.5, 1]);
    const even = Float64Array.of(4, 1, 2, 8);
    relativeToTypical(even);
    expect(Array.from(even)).toEqual([4 / 3, 1 / 3, 2 / 3, 8 / 3]);
    const empty = new Float64Array(0);
    relativeToTypical(empty);
    expect(empty.length).toBe(0);
  });

  it('is scale-free: any positive multiple of a row gives the same row, with its ratios kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (row, scale) => {
          const a = Float64Array.from(row);
          const b = Float64Array.from(row, (v) => v * scale);
          relativeToTypical(a);
          relativeToTypical(b);
          const near = (x: number, y: number) => Math.abs(x / y - 1) < 1e-12;
          for (let e = 0; e < a.length; e++) {
            expect(near(b[e]!, a[e]!)).toBe(true);
            expect(near(a[e]! / a[0]!, row[e]! / row[0]!)).toBe(true);
          }
        },
      ),
    );
  });
});
