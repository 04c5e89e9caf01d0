import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confidenceWeight, logAboveOne } from '../../../src/models/mf/confidence.js';

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
