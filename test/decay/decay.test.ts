import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, DECAY_FLOOR, Decay } from '../../src/decay/decay.js';

describe('Decay', () => {
  it('halves every half-life and never grows', () => {
    const day = new Decay(DAY_MS);
    expect(day.factor(DAY_MS)).toBe(0.5);
    expect(day.factor(-5)).toBe(1);
    expect(Decay.none.factor(1e20)).toBe(1);
    expect(new Decay(1).factor(1e20)).toBe(0); // flushed, never denormal or NaN
    expect(Decay.ofDays(2).factor(DAY_MS)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(Decay.ofDays(Infinity)).toBe(Decay.none);
    expect(Decay.none.fades).toBe(false);
    expect(day.fades).toBe(true);
  });

  it('flushes a factor below the floor to 0, and keeps one just above it', () => {
    const unit = new Decay(1);
    const age = -Math.log2(DECAY_FLOOR);
    expect(unit.factor(age * 0.999)).toBeGreaterThan(0);
    expect(unit.factor(age * 1.001)).toBe(0);
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
          const decay = new Decay(halfLife);
          const sum = { value: 0, t: -Infinity };
          for (const e of events) decay.add(sum, e.amount, e.at);
          const now = Math.max(...events.map((e) => e.at)) + 12345;
          const brute = events.reduce((s, e) => s + e.amount * Math.pow(2, -(now - e.at) / halfLife), 0);
          expect(decay.read(sum, now)).toBeCloseTo(brute, 9);
        },
      ),
    );
  });

  it('bring rescales a later statistic to the observation, and discounts an earlier observation', () => {
    const decay = new Decay(10);
    const stat = { t: 0, x: 8 };
    const rescale = (s: typeof stat, f: number) => (s.x *= f);
    expect(decay.bring(stat, 10, rescale)).toBe(1);
    expect(stat).toEqual({ t: 10, x: 4 });
    expect(decay.bring(stat, 0, rescale)).toBe(0.5);
    expect(stat).toEqual({ t: 10, x: 4 });
  });

  it('writes the same rule in Lua, with its half-life and floor', () => {
    expect(Decay.none.lua()).toContain('return 1');
    const lua = new Decay(1234.5).lua();
    expect(lua).toContain('-age / 1234.5');
    expect(lua).toContain(`f < ${DECAY_FLOOR}`);
  });
});

describe('Decay: factors, reads and the floor', () => {
  const day = new Decay(DAY_MS);

  it('weighs evidence by 2^(−age / half-life), and never more than 1', () => {
    expect(day.factor(2 * DAY_MS)).toBe(0.25);
    expect(day.factor(DAY_MS / 2)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(day.factor(0)).toBe(1);
    expect(day.factor(-DAY_MS)).toBe(1);
    expect(day.factor(Number.NaN)).toBe(1);
    expect(Decay.ofDays(2.5).halfLife).toBe(2.5 * DAY_MS);
  });

  it('flushes a factor below the floor to exactly zero, and keeps one just above it', () => {
    // 2^-800 ≈ 1.5e-241 is above the floor; 2^-900 ≈ 1.2e-271 is below it (and far from underflowing by itself).
    expect(day.factor(800 * DAY_MS)).toBeGreaterThan(DECAY_FLOOR);
    expect(day.factor(900 * DAY_MS)).toBe(0);
    expect(Math.pow(2, -900)).toBeGreaterThan(0);
  });

  it('flushes a decayed sum below the floor to zero when read and when added to, never a denormal', () => {
    const tiny = { value: 1e-200, t: 0 };
    // The factor 2^-200 ≈ 6e-61 is well above the floor; the product 6e-261 is below it.
    expect(day.read(tiny, 200 * DAY_MS)).toBe(0);
    expect(day.read(tiny, 100 * DAY_MS)).toBe(1e-200 * Math.pow(2, -100));
    expect(day.read({ value: -1e-200, t: 0 }, 200 * DAY_MS)).toBe(0);
    day.add(tiny, 3, 200 * DAY_MS);
    expect(tiny).toEqual({ value: 3, t: 200 * DAY_MS });
  });

  it('adds late evidence discounted to the sum’s time, and rescales the sum to later evidence', () => {
    const sum = { value: 0, t: -Infinity };
    day.add(sum, 4, DAY_MS);
    expect(sum).toEqual({ value: 4, t: DAY_MS });
    day.add(sum, 4, 0); // a day late: half of it
    expect(sum).toEqual({ value: 6, t: DAY_MS });
    day.add(sum, 1, DAY_MS); // the same instant: added whole
    expect(sum).toEqual({ value: 7, t: DAY_MS });
    day.add(sum, 1, 2 * DAY_MS);
    expect(sum).toEqual({ value: 4.5, t: 2 * DAY_MS });
    expect(day.read(sum, 3 * DAY_MS)).toBe(2.25);
    expect(day.read(sum, DAY_MS)).toBe(4.5); // a read before the sum's time never grows it
  });

  it('brings a statistic to later evidence through its rescale, and discounts earlier evidence', () => {
    const holder = { t: DAY_MS, value: 8 };
    const rescale = (h: typeof holder, f: number) => (h.value *= f);
    expect(day.bring(holder, 2 * DAY_MS, rescale)).toBe(1);
    expect(holder).toEqual({ t: 2 * DAY_MS, value: 4 });
    expect(day.bring(holder, DAY_MS, rescale)).toBe(0.5);
    expect(day.bring(holder, 2 * DAY_MS, rescale)).toBe(1);
    expect(holder).toEqual({ t: 2 * DAY_MS, value: 4 });
  });
});
