/**
 * A taste is exactly the sum of its records: rewinding after the latest records are taken away
 * (the person's clock goes back with them) reads — and goes on learning — as if they had never
 * been given; removing every record leaves exactly nothing; a context effect weighs evidence
 * against the tag in context by the documented formula.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decay } from '../../../src/decay/decay.js';
import { Taste, type RecordContribution } from '../../../src/models/content/taste.js';
import { CONTEXT_PSEUDO_COUNT, TAG_PSEUDO_COUNT, TASTE_SCALE } from '../../../src/constants.js';

const DAY = 86_400_000;
const tags = (...t: number[]) => Int32Array.from(t);

interface Given {
  tag: number;
  rec: RecordContribution;
}

const given = fc.record({
  tag: fc.integer({ min: 0, max: 2 }),
  pos: fc.double({ min: 0, max: 5, noNaN: true }),
  neg: fc.double({ min: 0, max: 5, noNaN: true }),
  inContext: fc.boolean(),
  day: fc.integer({ min: 0, max: 60 }),
});

type Raw = typeof given extends fc.Arbitrary<infer T> ? T : never;

function build(decay: Decay, records: readonly Given[]): Taste {
  const taste = new Taste(decay);
  for (const g of records) taste.addRecord(tags(g.tag), g.rec);
  return taste;
}

/** Everything a taste reads at `now`, for tags 0–2 in and out of the one context. */
function reading(taste: Taste, now: number): number[] {
  const out = [taste.evidenceAt(now)];
  for (const tag of [0, 1, 2]) {
    const { pos, neg } = taste.tagEvidence(tag, now);
    out.push(pos, neg, taste.tagMean(tag, now), taste.crossMean('daypart=evening', tag, now));
    out.push(taste.predict(tags(tag), ['daypart=evening'], now));
  }
  return out;
}

function expectClose(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < a.length; k++)
    expect(Math.abs(a[k]! - b[k]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b[k]!)));
}

describe('Taste.rewind', () => {
  it('after the latest records are removed, reads at the earlier clock and after, and learns on, as a taste that never had them', () => {
    fc.assert(
      fc.property(
        fc.array(given, { minLength: 1, maxLength: 6 }),
        fc.array(given, { minLength: 1, maxLength: 4 }),
        given,
        // Rewinding multiplies by 2^(gap / half-life), and rounding with it: a gap of up to ~20 half-lives
        // (61–91 days at 5 days or more) keeps it far below the 1e-9 compared (at 1 day, 91 half-lives: 2^91 ulp).
        fc.integer({ min: 5, max: 30 }),
        (keptRaw, laterRaw, nextRaw, halfLifeDays) => {
          const decay = Decay.ofDays(halfLifeDays);
          const toGiven = (g: Raw, offset: number): Given => ({
            tag: g.tag,
            rec: {
              pos: g.pos,
              neg: g.neg,
              t: (g.day + offset) * DAY,
              ctx: g.inContext ? { 'daypart=evening': [g.pos, g.neg] } : undefined,
            },
          });
          const kept = keptRaw.map((g) => toGiven(g, 0));
          // The removed records are all later than every kept one (they moved the clock forward).
          const later = laterRaw.map((g) => toGiven(g, 61));
          const to = Math.max(...kept.map((g) => g.rec.t));
          const taste = build(decay, [...kept, ...later]);
          for (const g of later) taste.removeRecord(tags(g.tag), g.rec);
          taste.rewind(to);
          const never = build(decay, kept);
          // Read at the clock itself (where a statistic left at a later time would read too small) and later.
          expectClose(reading(taste, to), reading(never, to));
          expectClose(reading(taste, to + 3 * DAY), reading(never, to + 3 * DAY));
          // A record given next, between the clock and the removed records' times, counts alike in both.
          const next = toGiven(nextRaw, 0);
          next.rec.t = to + (next.rec.t % (30 * DAY));
          taste.addRecord(tags(next.tag), next.rec);
          never.addRecord(tags(next.tag), next.rec);
          expectClose(reading(taste, next.rec.t), reading(never, next.rec.t));
        },
      ),
    );
  });

  it('leaves statistics at or before the clock alone, and only moves the time when evidence never fades', () => {
    const decay = Decay.ofDays(10);
    const taste = new Taste(decay);
    taste.addRecord(tags(0), { pos: 2, neg: 1, t: 5 * DAY, ctx: undefined });
    taste.addRecord(tags(1), { pos: 1, neg: 0, t: 8 * DAY, ctx: undefined });
    const before = taste.tagEvidence(0, 8 * DAY);
    taste.rewind(8 * DAY);
    expect(taste.tags.get(0)!.t).toBe(5 * DAY);
    expect(taste.tags.get(1)!.t).toBe(8 * DAY);
    expect(taste.tagEvidence(0, 8 * DAY)).toEqual(before);

    const lasting = new Taste(Decay.none);
    lasting.addRecord(tags(0), { pos: 2, neg: 1, t: 5 * DAY, ctx: { 'daypart=evening': [2, 0] } });
    lasting.rewind(3 * DAY);
    expect(lasting.tags.get(0)).toEqual({ pos: 2, neg: 1, t: 3 * DAY, n: 1 });
    expect(lasting.crosses.get('daypart=evening')!.get(0)).toEqual({ pos: 2, neg: 0, t: 3 * DAY, n: 1 });
    expect(lasting.total).toEqual({ pos: 2, neg: 1, t: 3 * DAY, n: 1 });
  });
});

describe('Taste: exact sums', () => {
  it('after every record is removed, in any order, holds exactly nothing: no evidence, no tag, no context, an even prediction', () => {
    fc.assert(
      fc.property(
        fc.array(given, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 30 }),
        (raw, order, halfLifeDays) => {
          const taste = new Taste(Decay.ofDays(halfLifeDays));
          const records: Given[] = raw.map((g) => ({
            tag: g.tag,
            rec: {
              pos: g.pos,
              neg: g.neg,
              t: g.day * DAY,
              ctx: g.inContext ? { 'daypart=evening': [g.pos / 3, g.neg / 7] } : undefined,
            },
          }));
          for (const g of records) taste.addRecord(tags(g.tag, (g.tag + 1) % 3), g.rec);
          // Take them out in a shuffled order.
          const left = [...records];
          for (let k = 0; left.length > 0; k++) {
            const [g] = left.splice(order[k]! % left.length, 1);
            taste.removeRecord(tags(g!.tag, (g!.tag + 1) % 3), g!.rec);
          }
          expect(taste.total).toMatchObject({ pos: 0, neg: 0, n: 0 });
          expect(taste.tags.size).toBe(0);
          expect(taste.crosses.size).toBe(0);
          for (const day of [0, 30, 90]) {
            expect(taste.evidenceAt(day * DAY)).toBe(0);
            expect(taste.predict(tags(0, 1, 2), ['daypart=evening'], day * DAY)).toBe(0.5);
          }
        },
      ),
    );
  });

  it('once emptied by removals, learns the next record as a taste that never had the others', () => {
    // A person's one item, given again after its record was taken back: the statistics were
    // emptied (no time either), and the new record must count in full, not be aged away.
    const decay = Decay.ofDays(30);
    const emptied = new Taste(decay);
    const first: RecordContribution = { pos: 1, neg: 0, t: 0, ctx: { 'daypart=evening': [1, 0] } };
    emptied.addRecord(tags(0, 1), first);
    emptied.removeRecord(tags(0, 1), first);
    const next: RecordContribution = { pos: 2, neg: 0.5, t: 10 * DAY, ctx: { 'daypart=evening': [1, 0.5] } };
    emptied.addRecord(tags(0, 1), next);
    const fresh = new Taste(decay);
    fresh.addRecord(tags(0, 1), next);
    expect(emptied.evidenceAt(10 * DAY)).toBeCloseTo(2.5, 12);
    for (const day of [10, 20, 45]) expect(reading(emptied, day * DAY)).toEqual(reading(fresh, day * DAY));
  });

  it('weighs a context by κ(p − n − r(p + n)) / (A_c + p + n), evidence against the tag in context included', () => {
    const taste = new Taste(Decay.none);
    taste.addRecord(tags(0), { pos: 30, neg: 10, t: 0, ctx: undefined });
    taste.addRecord(tags(0), { pos: 4, neg: 6, t: 0, ctx: { 'device=speaker': [4, 6] } });
    // Overall: P = 34, N = 16; in context: p = 4, n = 6.
    const rate = (34 - 16) / (TAG_PSEUDO_COUNT + 50);
    const effect = (TASTE_SCALE * (4 - 6 - rate * (4 + 6))) / (CONTEXT_PSEUDO_COUNT + 10);
    expect(taste.crossMean('device=speaker', 0, 0)).toBeCloseTo(effect, 12);
    expect(effect).toBeLessThan(0);
  });
});
