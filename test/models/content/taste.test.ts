import fc from 'fast-check';
import { Decay } from '../../../src/decay/decay.js';
import { describe, expect, it } from 'vitest';
import { Taste, type RecordContribution } from '../../../src/models/content/taste.js';
import {
  CONTEXT_PRIOR_PRECISION,
  CONTEXT_PSEUDO_COUNT,
  TAG_PRIOR_PRECISION,
  TAG_PSEUDO_COUNT,
  TASTE_SCALE,
} from '../../../src/constants.js';

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

  it('says how much a tag weight falls when a record is undone: the weight of the taste without it, decayed alike', () => {
    const decay = new Decay(30 * DAY);
    const taste = new Taste(decay);
    const without = new Taste(decay);
    const rows = [record(3, 0, 0), record(2, 0.5, 10 * DAY), record(0, 1, 20 * DAY)];
    for (const r of rows) taste.addRecord(tags(7), r);
    for (const r of rows.slice(1)) without.addRecord(tags(7), r);
    const now = 40 * DAY;
    const f = decay.factor(now - 0);
    const drop = taste.tagWeightDrop(7, now, 3 * f, 0);
    expect(drop).toBeCloseTo(taste.tagMean(7, now) - without.tagMean(7, now), 12);
    // less than the record's part in the exact split: the slope grows as evidence is taken away
    expect(drop).toBeLessThan(taste.tagSlope(7, now) * 3 * f);
    expect(drop).toBeGreaterThan(0);
    // a dislike undone raises the weight; nothing undone changes nothing; an unknown tag falls by 0
    expect(taste.tagWeightDrop(7, now, 0, decay.factor(now - 20 * DAY))).toBeLessThan(0);
    expect(taste.tagWeightDrop(7, now, 0, 0)).toBe(0);
    expect(taste.tagWeightDrop(8, now, 0, 0)).toBe(0);
  });

  it('says how much a context effect falls when a record is undone: the effect of the taste without it', () => {
    const decay = new Decay(30 * DAY);
    const rows = [
      record(2, 0, 0, { 'daypart=morning': [2, 0] }),
      record(1, 0, 5 * DAY, { 'daypart=evening': [1, 0] }),
      record(0, 1.5, 9 * DAY, { 'daypart=morning': [0, 1.5] }),
    ];
    const now = 20 * DAY;
    for (const [k, undone] of rows.entries()) {
      const taste = new Taste(decay);
      const without = new Taste(decay);
      for (const r of rows) taste.addRecord(tags(3), r);
      for (const r of rows.filter((_, j) => j !== k)) without.addRecord(tags(3), r);
      const f = decay.factor(now - undone.t);
      for (const c of ['daypart=morning', 'daypart=evening']) {
        const [inPos, inNeg] = undone.ctx?.[c] ?? [0, 0];
        const drop = taste.crossMeanDrop(c, 3, now, undone.pos * f, undone.neg * f, inPos * f, inNeg * f);
        expect(drop).toBeCloseTo(taste.crossMean(c, 3, now) - without.crossMean(c, 3, now), 12);
      }
    }
    expect(new Taste(decay).crossMeanDrop('daypart=morning', 3, now, 1, 0, 1, 0)).toBe(0);
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

/** A taste with a half-life in days (one place to change if the constructor takes a Decay). */
const tasteWith = (halfLifeDays: number) => new Taste(Decay.ofDays(halfLifeDays));
const logit = (p: number) => Math.log(p / (1 - p));

describe('Taste over time and in context', () => {
  const contextRecord = fc.record({
    tag: fc.integer({ min: 0, max: 2 }),
    pos: fc.double({ min: 0, max: 10, noNaN: true }),
    neg: fc.double({ min: 0, max: 10, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    context: fc.constantFrom('daypart=morning', 'daypart=evening', 'device=speaker'),
    day: fc.integer({ min: 0, max: 200 }),
  });

  it('reads older evidence exactly as the same evidence decayed to now: tags, context effects and predictions', () => {
    fc.assert(
      fc.property(
        fc.array(contextRecord, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 300 }),
        (rows, later) => {
          const halfLifeDays = 30;
          const aged = tasteWith(halfLifeDays);
          const fresh = tasteWith(halfLifeDays);
          const now = (200 + later) * DAY;
          for (const r of rows) {
            const ctx = { [r.context]: [r.pos * r.share, r.neg * r.share] as [number, number] };
            aged.addRecord(tags(r.tag), record(r.pos, r.neg, r.day * DAY, ctx));
            const f = Math.pow(2, -(now - r.day * DAY) / (halfLifeDays * DAY));
            const decayed = { [r.context]: [r.pos * r.share * f, r.neg * r.share * f] as [number, number] };
            fresh.addRecord(tags(r.tag), record(r.pos * f, r.neg * f, now, decayed));
          }
          for (let t = 0; t < 3; t++) {
            expect(aged.tagMean(t, now)).toBeCloseTo(fresh.tagMean(t, now), 9);
            expect(aged.tagVariance(t, now)).toBeCloseTo(fresh.tagVariance(t, now), 9);
            for (const c of ['daypart=morning', 'daypart=evening', 'device=speaker']) {
              expect(aged.crossMean(c, t, now)).toBeCloseTo(fresh.crossMean(c, t, now), 9);
              expect(aged.crossVariance(c, t, now)).toBeCloseTo(fresh.crossVariance(c, t, now), 9);
            }
          }
          expect(aged.evidenceAt(now)).toBeCloseTo(fresh.evidenceAt(now), 9);
          const both = tags(0, 1, 2);
          expect(aged.predict(both, ['daypart=morning'], now)).toBeCloseTo(
            fresh.predict(both, ['daypart=morning'], now),
            9,
          );
        },
      ),
    );
  });

  it('fades a context effect towards 0 with time, never changing its sign', () => {
    const taste = tasteWith(30);
    taste.addRecord(tags(0), record(20, 0, 0, { 'daypart=morning': [20, 0] }));
    taste.addRecord(tags(0), record(0, 20, 0, { 'daypart=evening': [0, 20] }));
    let morning = taste.crossMean('daypart=morning', 0, 0);
    let evening = taste.crossMean('daypart=evening', 0, 0);
    expect(morning).toBeGreaterThan(0.3);
    expect(evening).toBeLessThan(-0.3);
    for (const days of [10, 30, 90, 365]) {
      const m = taste.crossMean('daypart=morning', 0, days * DAY);
      const e = taste.crossMean('daypart=evening', 0, days * DAY);
      expect(m).toBeGreaterThan(0);
      expect(m).toBeLessThan(morning);
      expect(e).toBeLessThan(0);
      expect(e).toBeGreaterThan(evening);
      morning = m;
      evening = e;
    }
    // Read before the evidence's time, the effect is never larger than at its time (evidence never grows).
    expect(taste.crossMean('daypart=morning', 0, -30 * DAY)).toBeCloseTo(taste.crossMean('daypart=morning', 0, 0), 12);
  });

  it('predicts like-probabilities with the signs of the evidence: tags, then contexts on top', () => {
    fc.assert(
      fc.property(fc.array(contextRecord, { minLength: 1, maxLength: 12 }), (rows) => {
        const taste = tasteWith(Infinity);
        for (const r of rows) {
          const ctx = { [r.context]: [r.pos * r.share, r.neg * r.share] as [number, number] };
          taste.addRecord(tags(r.tag), record(r.pos, r.neg, r.day * DAY, ctx));
        }
        const now = 300 * DAY;
        for (const itemTags of [tags(0), tags(1, 2), tags(0, 1, 2)]) {
          const weights = [...itemTags].reduce((z, t) => z + taste.tagMean(t, now), 0);
          const plain = taste.predict(itemTags, [], now);
          expect(logit(plain)).toBeCloseTo(weights, 6);
          if (Math.abs(weights) > 1e-9) expect(plain > 0.5).toBe(weights > 0);
          for (const c of ['daypart=morning', 'device=speaker']) {
            const effect = [...itemTags].reduce((z, t) => z + taste.crossMean(c, t, now), 0);
            const inContext = taste.predict(itemTags, [c], now);
            expect(logit(inContext) - logit(plain)).toBeCloseTo(effect, 6);
            if (Math.abs(effect) > 1e-6) expect(Math.sign(inContext - plain)).toBe(Math.sign(effect));
          }
        }
      }),
    );
  });

  it('raises the prediction of an item with a liked tag, lowers it with a skipped one, and the more evidence the further', () => {
    const liked = tasteWith(Infinity);
    const skipped = tasteWith(Infinity);
    let lastLiked = 0.5;
    let lastSkipped = 0.5;
    for (let n = 1; n <= 5; n++) {
      liked.addRecord(tags(0), record(1, 0, n * DAY));
      skipped.addRecord(tags(0), record(0, 1, n * DAY));
      const up = liked.predict(tags(0, 1), [], 10 * DAY);
      const down = skipped.predict(tags(0, 1), [], 10 * DAY);
      expect(up).toBeGreaterThan(lastLiked);
      expect(down).toBeLessThan(lastSkipped);
      expect(up + down).toBeCloseTo(1, 12); // symmetric: the logistic of ±the same weight
      lastLiked = up;
      lastSkipped = down;
    }
    expect(liked.predict(tags(1), [], 10 * DAY)).toBe(0.5);
  });

  it('counts the amount of evidence, decayed, and forgets a tag whose every record was removed', () => {
    const taste = tasteWith(10);
    taste.addRecord(tags(0, 1), record(3, 1, 0, { 'device=speaker': [2, 0] }));
    taste.addRecord(tags(1), record(0, 2, 0));
    expect(taste.evidenceAt(0)).toBeCloseTo(6, 12);
    expect(taste.evidenceAt(10 * DAY)).toBeCloseTo(3, 12);
    expect(taste.tagEvidence(1, 10 * DAY)).toEqual({ pos: 1.5, neg: 1.5 });
    taste.removeRecord(tags(0, 1), record(3, 1, 0, { 'device=speaker': [2, 0] }));
    expect(taste.tags.has(0)).toBe(false);
    expect(taste.crosses.has('device=speaker')).toBe(false);
    expect(taste.tagEvidence(1, 0)).toEqual({ pos: 0, neg: 2 });
    expect(taste.evidenceAt(0)).toBeCloseTo(2, 12);
    taste.removeRecord(tags(1), record(0, 2, 0));
    expect(taste.tags.size).toBe(0);
    expect(taste.evidenceAt(0)).toBe(0);
    expect(taste.tagVariance(1, 0)).toBe(taste.tagVariance(5, 0)); // back to the prior
  });
});

describe('Taste: the documented formulas, and removal', () => {
  it('weighs a context by the in-context rate shrunk towards the overall rate, and has variances that shrink with evidence', () => {
    const taste = tasteWith(Infinity);
    taste.addRecord(tags(0), record(30, 10, 0));
    taste.addRecord(tags(0), record(10, 0, 0, { 'device=speaker': [10, 0] }));
    // Overall: P = 40, N = 10; in context: p = 10, n = 0.
    const rate = (40 - 10) / (TAG_PSEUDO_COUNT + 50);
    const effect = (TASTE_SCALE * (10 - 0 - rate * 10)) / (CONTEXT_PSEUDO_COUNT + 10);
    expect(taste.crossMean('device=speaker', 0, 0)).toBeCloseTo(effect, 12);
    expect(taste.tagMean(0, 0)).toBeCloseTo((TASTE_SCALE * 30) / (TAG_PSEUDO_COUNT + 50), 12);
    expect(taste.tagVariance(0, 0)).toBeCloseTo(1 / (TAG_PRIOR_PRECISION + 50 / 4), 12);
    expect(taste.tagVariance(3, 0)).toBeCloseTo(1 / TAG_PRIOR_PRECISION, 12);
    expect(taste.crossVariance('device=speaker', 0, 0)).toBeCloseTo(1 / (CONTEXT_PRIOR_PRECISION + 10 / 4), 12);
    expect(taste.crossVariance('device=speaker', 3, 0)).toBeCloseTo(1 / CONTEXT_PRIOR_PRECISION, 12);
    // Evidence for and against counts the same towards certainty.
    const against = tasteWith(Infinity);
    against.addRecord(tags(0), record(25, 25, 0, { 'device=speaker': [0, 10] }));
    expect(against.tagVariance(0, 0)).toBeCloseTo(taste.tagVariance(0, 0), 12);
    expect(against.crossVariance('device=speaker', 0, 0)).toBeCloseTo(taste.crossVariance('device=speaker', 0, 0), 12);
  });

  it('keeps one context effect per tag of a record, and a context shared by two records survives the removal of one', () => {
    const taste = tasteWith(Infinity);
    taste.addRecord(tags(0, 1), record(8, 0, 0, { 'device=speaker': [8, 0] }));
    taste.addRecord(tags(0, 1), record(0, 8, 0, { 'device=car': [0, 8] }));
    taste.addRecord(tags(2), record(8, 0, 0, { 'device=speaker': [8, 0] }));
    for (const tag of [0, 1]) {
      expect(taste.crossMean('device=speaker', tag, 0)).toBeGreaterThan(0);
      expect(taste.crossMean('device=car', tag, 0)).toBeLessThan(0);
    }
    const before = taste.crossMean('device=speaker', 2, 0);
    taste.removeRecord(tags(0, 1), record(8, 0, 0, { 'device=speaker': [8, 0] }));
    expect(taste.crossMean('device=speaker', 0, 0)).toBe(0);
    expect(taste.crossMean('device=speaker', 2, 0)).toBe(before);
    expect(taste.crosses.has('device=speaker')).toBe(true);
  });

  it('removes an older record at its own time, exactly, and never leaves negative or stray evidence', () => {
    const taste = tasteWith(3);
    const older = record(0.1, 0.3, 0, { 'device=speaker': [0.1, 0] });
    const newer = record(0.2, 0.7, 5 * DAY);
    taste.addRecord(tags(0), older);
    taste.addRecord(tags(0), newer);
    taste.removeRecord(tags(0), older);
    const only = tasteWith(3);
    only.addRecord(tags(0), newer);
    expect(taste.tagEvidence(0, 6 * DAY).pos).toBeCloseTo(only.tagEvidence(0, 6 * DAY).pos, 12);
    expect(taste.tagEvidence(0, 6 * DAY).neg).toBeCloseTo(only.tagEvidence(0, 6 * DAY).neg, 12);
    expect(taste.evidenceAt(6 * DAY)).toBeCloseTo(only.evidenceAt(6 * DAY), 12);
    taste.removeRecord(tags(0), newer);
    expect(taste.evidenceAt(6 * DAY)).toBe(0);
    expect(taste.total.n).toBe(0);
    // Removing what is no longer there changes nothing and leaves nothing negative.
    taste.removeRecord(tags(0), newer);
    taste.removeRecord(tags(0), older);
    expect(taste.evidenceAt(6 * DAY)).toBe(0);
    expect(taste.tags.size + taste.crosses.size).toBe(0);
  });

  it('lists every touched tag with its weight and variance, and round-trips its amount of evidence', () => {
    const taste = tasteWith(30);
    taste.addRecord(tags(0, 4), record(3, 1, DAY));
    taste.addRecord(tags(4), record(0, 2, 2 * DAY));
    expect(taste.tagMeans(3 * DAY)).toEqual(
      [0, 4].map((tag) => ({ tag, mean: taste.tagMean(tag, 3 * DAY), variance: taste.tagVariance(tag, 3 * DAY) })),
    );
    const again = Taste.fromJSON(JSON.parse(JSON.stringify(taste.toJSON())), Decay.ofDays(30));
    expect(again.evidenceAt(3 * DAY)).toBe(taste.evidenceAt(3 * DAY));
    // An empty taste read back is a new taste, whatever time its first record has (before 1970 too).
    const empty = Taste.fromJSON(JSON.parse(JSON.stringify(tasteWith(30).toJSON())), Decay.ofDays(30));
    empty.addRecord(tags(0), record(1, 0, -5 * DAY));
    const fresh = tasteWith(30);
    fresh.addRecord(tags(0), record(1, 0, -5 * DAY));
    expect(empty.evidenceAt(0)).toBe(fresh.evidenceAt(0));
    expect(empty.toJSON()).toEqual(fresh.toJSON());
  });
});
