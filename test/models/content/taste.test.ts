import fc from 'fast-check';
import { Decay } from '../../../src/decay/decay.js';
import { describe, expect, it } from 'vitest';
import { Taste, type RecordContribution } from '../../../src/models/content/taste.js';
import { TASTE_SCALE } from '../../../src/constants.js';

const DAY = 86_400_000;
const tags = (...t: number[]) => Int32Array.from(t);
const record = (pos: number, neg: number, t: number, ctx?: Record<string, [number, number]>): RecordContribution => ({
  pos,
  neg,
  t,
  ctx,
});

describe('Taste', () => {
  it('weighs an unknown tag 0, a liked one towards +scale and a skipped one towards -scale', () => {
    const taste = new Taste(Decay.none);
    taste.addRecord(tags(0), record(1000, 0, 0));
    taste.addRecord(tags(1), record(0, 1000, 0));
    expect(taste.tagMean(2, 0)).toBe(0);
    expect(taste.tagMean(0, 0)).toBeGreaterThan(0.99 * TASTE_SCALE);
    expect(taste.tagMean(1, 0)).toBeLessThan(-0.99 * TASTE_SCALE);
    expect(taste.tagVariance(0, 0)).toBeLessThan(taste.tagVariance(2, 0));
  });

  it('is the same whatever order records arrive in, and removing a record is exact', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            tag: fc.integer({ min: 0, max: 3 }),
            pos: fc.double({ min: 0, max: 10, noNaN: true }),
            neg: fc.double({ min: 0, max: 10, noNaN: true }),
            day: fc.integer({ min: 0, max: 400 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (rows) => {
          const forward = new Taste(new Decay(90 * DAY));
          const backward = new Taste(new Decay(90 * DAY));
          for (const r of rows) forward.addRecord(tags(r.tag), record(r.pos, r.neg, r.day * DAY));
          for (const r of [...rows].reverse()) backward.addRecord(tags(r.tag), record(r.pos, r.neg, r.day * DAY));
          const now = 500 * DAY;
          for (let t = 0; t < 4; t++) expect(forward.tagMean(t, now)).toBeCloseTo(backward.tagMean(t, now), 9);
          const [first, ...rest] = rows;
          forward.removeRecord(tags(first!.tag), record(first!.pos, first!.neg, first!.day * DAY));
          const without = new Taste(new Decay(90 * DAY));
          for (const r of rest) without.addRecord(tags(r.tag), record(r.pos, r.neg, r.day * DAY));
          for (let t = 0; t < 4; t++) expect(forward.tagMean(t, now)).toBeCloseTo(without.tagMean(t, now), 9);
          if (rest.every((r) => r.tag !== first!.tag)) expect(forward.tags.has(first!.tag)).toBe(false);
        },
      ),
    );
  });

  it('splits a weight exactly into per-record parts: slope × net evidence', () => {
    const taste = new Taste(Decay.none);
    const rows = [record(3, 0, 0), record(2, 0.5, 0), record(0, 1, 0)];
    for (const r of rows) taste.addRecord(tags(7), r);
    const parts = rows.map((r) => taste.tagSlope(7, 0) * (r.pos - r.neg));
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(taste.tagMean(7, 0), 12);
    expect(parts[0]).toBeGreaterThan(parts[1]!);
  });

  it('has almost no context effect when every event came in the same context, and a positive one where the tag is liked only there', () => {
    const same = new Taste(Decay.none);
    same.addRecord(tags(0), record(50, 0, 0, { 'daypart=morning': [50, 0] }));
    expect(Math.abs(same.crossMean('daypart=morning', 0, 0))).toBeLessThan(0.1);
    const mornings = new Taste(Decay.none);
    mornings.addRecord(tags(0), record(20, 0, 0, { 'daypart=morning': [20, 0] }));
    mornings.addRecord(tags(0), record(0, 20, 0, { 'daypart=evening': [0, 20] }));
    expect(mornings.crossMean('daypart=morning', 0, 0)).toBeGreaterThan(0.3);
    expect(mornings.crossMean('daypart=evening', 0, 0)).toBeLessThan(-0.3);
    expect(mornings.crossMean('daypart=night', 0, 0)).toBe(0);
  });

  it('round-trips through JSON exactly', () => {
    const taste = new Taste(new Decay(30 * DAY));
    taste.addRecord(tags(0, 1), record(3, 0.5, DAY, { 'device=speaker': [3, 0] }));
    taste.addRecord(tags(1), record(0, 2, 2 * DAY));
    const again = Taste.fromJSON(JSON.parse(JSON.stringify(taste.toJSON())), new Decay(30 * DAY));
    expect(again.toJSON()).toEqual(taste.toJSON());
    expect(again.crossMean('device=speaker', 0, 3 * DAY)).toBe(taste.crossMean('device=speaker', 0, 3 * DAY));
  });
});
