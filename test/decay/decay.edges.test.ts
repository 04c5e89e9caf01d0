/**
 * Decay at its edges: an infinite age, an infinite half-life with a counted pause, the Lua rule
 * without decay, and a clock that has seen no event.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, Decay, newClock } from '../../src/decay/decay.js';

describe('Decay at its edges', () => {
  it('weighs evidence of infinite age 1 without decay, 0 with it', () => {
    expect(Decay.none.factor(Infinity)).toBe(1);
    expect(new Decay(Infinity, 7 * DAY_MS).factor(Infinity)).toBe(1);
    expect(Decay.ofDays(30).factor(Infinity)).toBe(0);
    // A statistic that has never been touched (time −Infinity) is brought to its first evidence at weight 1.
    const s = { value: 0, t: -Infinity };
    expect(Decay.none.bring(s, 5, (h, f) => (h.value *= f))).toBe(1);
    expect(s).toEqual({ value: 0, t: 5 });
  });

  it('keeps the counted pause of a decay that never fades: a person’s own time still stands still while away', () => {
    const decay = Decay.ofDays(Infinity, 7);
    expect(decay.fades).toBe(false);
    expect(decay.counted).toBe(7 * DAY_MS);
    const clock = newClock();
    decay.observe(clock, 0);
    expect(decay.personNow(clock, 365 * DAY_MS)).toBe(7 * DAY_MS);
    expect(Decay.ofDays(Infinity)).toBe(Decay.none);
  });

  it('writes a Lua rule without decay that never names a half-life (Lua has no Infinity)', () => {
    const lua = Decay.none.lua();
    expect(lua).not.toMatch(/inf/i);
    expect(lua).toBe('local function decay(age)\n  return 1\nend');
    expect(new Decay(Infinity, DAY_MS).lua()).toBe(lua);
  });

  it('starts a person’s clock before any event, so that the first event is at its own wall time', () => {
    const clock = newClock();
    expect(clock).toEqual({ wall: -Infinity, active: -Infinity });
    const decay = Decay.ofDays(30, 7);
    expect(decay.personTime(clock, 1234)).toBe(1234);
    expect(decay.observe(clock, 1234)).toBe(1234);
    expect(clock).toEqual({ wall: 1234, active: 1234 });
  });
});
