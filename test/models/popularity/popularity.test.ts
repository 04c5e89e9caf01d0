import { describe, expect, it } from 'vitest';
import { PopularityModel } from '../../../src/models/popularity/popularity.js';

describe('PopularityModel', () => {
  it('ranks liked above unknown above disliked, and decays towards the prior', () => {
    const day = 86_400_000;
    const p = new PopularityModel(10 * day);
    p.resize(3);
    p.add(0, 3, 0, 0, true);
    p.add(2, 0, 3, 0, true);
    expect(p.logOddsLift(0, 0)).toBeGreaterThan(0);
    expect(p.logOddsLift(1, 0)).toBe(0);
    expect(p.logOddsLift(2, 0)).toBeLessThan(0);
    expect(p.counts(0, 10 * day).positive).toBeCloseTo(1.5, 12);
    expect(Math.abs(p.logOddsLift(0, 1000 * day))).toBeLessThan(1e-9);
  });
});

describe('PopularityModel removal and rebuild', () => {
  it('taking a record out leaves exactly the prior when it was the only one, and rebuild equals incremental sums', () => {
    const day = 86_400_000;
    const p = new PopularityModel(10 * day);
    p.resize(2);
    p.add(0, 3, 0, 0, true);
    p.add(0, 0, 0.5, day, true);
    p.add(1, 1, 0, 2 * day, true);
    const q = new PopularityModel(10 * day);
    q.rebuild(2, [
      { item: 0, positive: 3, negative: 0, t: 0 },
      { item: 0, positive: 0, negative: 0.5, t: day },
      { item: 1, positive: 1, negative: 0, t: 2 * day },
    ]);
    for (const i of [0, 1]) expect(q.logOddsLift(i, 3 * day)).toBeCloseTo(p.logOddsLift(i, 3 * day), 12);
    p.remove(1, 1, 0, 2 * day);
    expect(p.logOddsLift(1, 3 * day)).toBe(0);
    expect(p.touched(1)).toBe(false);
    p.remove(0, 0, 0.5, day);
    expect(p.counts(0, day).negative).toBe(0);
    expect(p.counts(0, day).positive).toBeCloseTo(3 * 2 ** -0.1, 12);
  });
});
