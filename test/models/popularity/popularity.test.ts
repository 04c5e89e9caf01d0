import { describe, expect, it } from 'vitest';
import { Decay } from '../../../src/decay/decay.js';
import { PopularityModel } from '../../../src/models/popularity/popularity.js';

describe('PopularityModel', () => {
  it('ranks liked above unknown above disliked, and decays towards the prior', () => {
    const day = 86_400_000;
    const p = new PopularityModel(new Decay(10 * day));
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
    const p = new PopularityModel(new Decay(10 * day));
    p.resize(2);
    p.add(0, 3, 0, 0, true);
    p.add(0, 0, 0.5, day, true);
    p.add(1, 1, 0, 2 * day, true);
    const q = new PopularityModel(new Decay(10 * day));
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

describe('PopularityModel rebuild in slices (track / adopt)', () => {
  const day = 86_400_000;
  const records = [
    { item: 0, positive: 3, negative: 0, t: 0 },
    { item: 1, positive: 0, negative: 2, t: day },
    { item: 0, positive: 1, negative: 0.5, t: 2 * day },
    { item: 2, positive: 1, negative: 0, t: 3 * day },
  ];

  it('with no change meanwhile, adopting sums fed in pieces is bit for bit rebuild()', () => {
    const whole = new PopularityModel(new Decay(10 * day));
    whole.rebuild(3, records);
    const sliced = new PopularityModel(new Decay(10 * day));
    sliced.resize(3);
    const sums = sliced.emptySums(3);
    sliced.track();
    for (const r of records) sums.addTimes([r]);
    for (const r of records) sums.addSums([r]);
    expect(sliced.adopt(sums)).toEqual({ kept: 0 });
    expect(sliced.toJSON()).toEqual(whole.toJSON());
  });

  it('an item changed while the rebuild ran keeps its incremental sums; the others take the rebuilt ones', () => {
    const live = new PopularityModel(new Decay(10 * day));
    live.resize(3);
    // incrementally kept sums, slightly off from the records (as rounding would leave them)
    for (const r of records) live.add(r.item, r.positive + 1e-12, r.negative, r.t, true);
    const sums = live.emptySums(3);
    live.track();
    sums.addTimes(records);
    live.add(2, 5, 0, 4 * day, false); // feedback arrives during the rebuild
    sums.addSums(records);
    expect(live.adopt(sums)).toEqual({ kept: 1 });
    const rebuilt = new PopularityModel(new Decay(10 * day));
    rebuilt.rebuild(3, records);
    expect(live.counts(0, 5 * day)).toEqual(rebuilt.counts(0, 5 * day));
    expect(live.counts(1, 5 * day)).toEqual(rebuilt.counts(1, 5 * day));
    // item 2 holds both the record and the late feedback, which the rebuilt sums would have lost
    const expected = 1 * 2 ** -0.2 + 5 * 2 ** -0.1;
    expect(live.counts(2, 5 * day).positive).toBeCloseTo(expected, 9);
    // tracking ended: later changes are not collected for a next adopt
    live.add(1, 1, 0, 5 * day, false);
    const again = live.emptySums(3);
    again.addTimes(records);
    again.addSums(records);
    expect(live.adopt(again)).toEqual({ kept: 0 });
  });
});
