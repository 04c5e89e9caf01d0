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
