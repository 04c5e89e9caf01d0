import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, addDecayed, decayFactor, readDecayed } from '../../src/decay/halfLife.js';

describe('half-life arithmetic', () => {
  it('halves every half-life and never grows', () => {
    expect(decayFactor(DAY_MS, DAY_MS)).toBe(0.5);
    expect(decayFactor(-5, DAY_MS)).toBe(1);
    expect(decayFactor(1e20, Infinity)).toBe(1);
    expect(decayFactor(1e20, 1)).toBe(0); // flushed, never denormal or NaN
  });

  it('a lazily decayed sum equals a brute-force recomputation from the raw events', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ at: fc.integer({ min: 0, max: 1e10 }), amount: fc.double({ min: 0, max: 10, noNaN: true }) }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 1e9 }),
        (events, halfLife) => {
          const sum = { value: 0, t: -Infinity };
          for (const e of events) addDecayed(sum, e.amount, e.at, halfLife);
          const now = Math.max(...events.map((e) => e.at)) + 12345;
          const brute = events.reduce((s, e) => s + e.amount * Math.pow(2, -(now - e.at) / halfLife), 0);
          expect(readDecayed(sum, now, halfLife)).toBeCloseTo(brute, 9);
        },
      ),
    );
  });
});
