import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DECAY_FLOOR,
  addDecayed,
  addDecayedAt,
  decayFactor,
  halfLifeDaysToMs,
  readDecayed,
} from '../../src/decay/halfLife.js';

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

/**
 * What decay promises, through the functions whose behaviour the Decay object keeps
 * (a factor for an age, a sum read later, a flush to zero below the floor, an infinite
 * half-life): re-point these three lines when decay becomes one object.
 */
const factor = (ageMs: number, halfLifeMs: number) => decayFactor(ageMs, halfLifeMs);
const read = (sum: { value: number; t: number }, now: number, halfLifeMs: number) => readDecayed(sum, now, halfLifeMs);
const add = (sum: { value: number; t: number }, amount: number, at: number, halfLifeMs: number) =>
  addDecayed(sum, amount, at, halfLifeMs);

describe('decay: factors, reads and the floor', () => {
  it('weighs evidence by 2^(−age / half-life), and never more than 1', () => {
    expect(factor(2 * DAY_MS, DAY_MS)).toBe(0.25);
    expect(factor(DAY_MS / 2, DAY_MS)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(factor(0, DAY_MS)).toBe(1);
    expect(factor(-DAY_MS, DAY_MS)).toBe(1);
    expect(factor(Number.NaN, DAY_MS)).toBe(1);
    expect(factor(DAY_MS, Infinity)).toBe(1);
    expect(halfLifeDaysToMs(Infinity)).toBe(Infinity);
    expect(halfLifeDaysToMs(2.5)).toBe(2.5 * DAY_MS);
  });

  it('flushes a factor below the floor to exactly zero, and keeps one just above it', () => {
    // 2^-800 ≈ 1.5e-241 is above the floor; 2^-900 ≈ 1.2e-271 is below it (and far from underflowing by itself).
    expect(factor(800 * DAY_MS, DAY_MS)).toBeGreaterThan(DECAY_FLOOR);
    expect(factor(900 * DAY_MS, DAY_MS)).toBe(0);
    expect(Math.pow(2, -900)).toBeGreaterThan(0);
  });

  it('flushes a decayed sum below the floor to zero when read and when added to, never a denormal', () => {
    const tiny = { value: 1e-200, t: 0 };
    // The factor 2^-200 ≈ 6e-61 is well above the floor; the product 6e-261 is below it.
    expect(read(tiny, 200 * DAY_MS, DAY_MS)).toBe(0);
    expect(read(tiny, 100 * DAY_MS, DAY_MS)).toBe(1e-200 * Math.pow(2, -100));
    expect(read({ value: -1e-200, t: 0 }, 200 * DAY_MS, DAY_MS)).toBe(0);
    add(tiny, 3, 200 * DAY_MS, DAY_MS);
    expect(tiny).toEqual({ value: 3, t: 200 * DAY_MS });
  });

  it('adds late evidence discounted to the sum’s time, and rescales the sum to later evidence', () => {
    const sum = { value: 0, t: -Infinity };
    add(sum, 4, DAY_MS, DAY_MS);
    expect(sum).toEqual({ value: 4, t: DAY_MS });
    add(sum, 4, 0, DAY_MS); // a day late: half of it
    expect(sum).toEqual({ value: 6, t: DAY_MS });
    add(sum, 1, DAY_MS, DAY_MS); // the same instant: added whole
    expect(sum).toEqual({ value: 7, t: DAY_MS });
    add(sum, 1, 2 * DAY_MS, DAY_MS);
    expect(sum).toEqual({ value: 4.5, t: 2 * DAY_MS });
    expect(read(sum, 3 * DAY_MS, DAY_MS)).toBe(2.25);
    expect(read(sum, DAY_MS, DAY_MS)).toBe(4.5); // a read before the sum's time never grows it
  });

  it('brings a statistic to later evidence through its rescale, and discounts earlier evidence', () => {
    const holder = { t: DAY_MS, value: 8 };
    const rescale = (h: typeof holder, f: number) => (h.value *= f);
    expect(addDecayedAt(holder, 2, 2 * DAY_MS, DAY_MS, rescale)).toBe(2);
    expect(holder).toEqual({ t: 2 * DAY_MS, value: 4 });
    expect(addDecayedAt(holder, 2, DAY_MS, DAY_MS, rescale)).toBe(1);
    expect(addDecayedAt(holder, 2, 2 * DAY_MS, DAY_MS, rescale)).toBe(2);
    expect(holder).toEqual({ t: 2 * DAY_MS, value: 4 });
  });
});
