import { describe, expect, it } from 'vitest';
import { PopularityModel } from '../../../src/models/popularity/popularity.js';

describe('PopularityModel', () => {
  it('ranks liked above unknown above disliked, and decays towards the prior', () => {
    const day = 86_400_000;
    const p = new PopularityModel(10 * day);
    p.resize(3);
    p.add(0, 1, 3, 0);
    p.add(2, 0, 3, 0);
    expect(p.logOddsLift(0, 0)).toBeGreaterThan(0);
    expect(p.logOddsLift(1, 0)).toBe(0);
    expect(p.logOddsLift(2, 0)).toBeLessThan(0);
    expect(p.counts(0, 10 * day).positive).toBeCloseTo(1.5, 12);
    expect(Math.abs(p.logOddsLift(0, 1000 * day))).toBeLessThan(1e-9);
  });
});
