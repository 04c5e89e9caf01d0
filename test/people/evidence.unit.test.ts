/**
 * One (person, item) record, event by event: which thumb is the latest, when
 * implicit evidence starts, how sums age and split by context, and when a
 * record may be quoted.
 */
import { describe, expect, it } from 'vitest';
import { Decay } from '../../src/decay/decay.js';
import {
  evidenceDecay,
  isQuotable,
  negativeOf,
  newItemEvidence,
  positiveOf,
  recordSignal,
  scaleEvidence,
} from '../../src/people/evidence.js';
import type { Signal } from '../../src/types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const decay = Decay.ofDays(10, 7);

/** Records `signals` at `at` (wall and own time alike), importance 1 each, no context. */
function record(events: [Signal, number, string[]?][]) {
  const e = newItemEvidence(events[0]![1]);
  const added = events.map(([signal, at, contexts]) => recordSignal(e, signal, 1, at, at, contexts ?? [], decay));
  return { e, added };
}

describe('an evidence record', () => {
  it('starts empty: no sums, no thumb, no implicit evidence, not learned', () => {
    const e = newItemEvidence(T0);
    expect(e).toMatchObject({ t: -Infinity, wt: -Infinity, count: 0, first: T0, last: T0, thumb: 0 });
    expect(e.thumbAt).toBeNaN();
    expect(e.implicitSince).toBe(Infinity);
    expect(e.learned).toBe(false);
    expect(e.ctx).toBeUndefined();
    expect([e.up, e.down, e.skip, e.play, e.purchase]).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps the latest thumb; at the same instant a down wins, whatever the order; an older thumb changes nothing', () => {
    expect(
      record([
        ['up', T0],
        ['down', T0],
      ]).e,
    ).toMatchObject({ thumb: -1, thumbAt: T0 });
    expect(
      record([
        ['down', T0],
        ['up', T0],
      ]).e,
    ).toMatchObject({ thumb: -1, thumbAt: T0 });
    expect(
      record([
        ['down', T0],
        ['up', T0 + 1],
      ]).e,
    ).toMatchObject({ thumb: 1, thumbAt: T0 + 1 });
    expect(
      record([
        ['up', T0 + 1],
        ['down', T0],
      ]).e,
    ).toMatchObject({ thumb: 1, thumbAt: T0 + 1 });
    expect(
      record([
        ['up', T0],
        ['up', T0 + 5],
      ]).e,
    ).toMatchObject({ thumb: 1, thumbAt: T0 + 5 });
    // Other signals never set a thumb.
    expect(
      record([
        ['play', T0],
        ['skip', T0],
        ['purchase', T0],
        ['tired', T0],
      ]).e.thumb,
    ).toBe(0);
  });

  it('counts every event and keeps the first and last times; tired teaches nothing', () => {
    const { e, added } = record([
      ['play', T0 + 10],
      ['tired', T0],
      ['up', T0 + 20],
    ]);
    expect(e).toMatchObject({ count: 3, first: T0, last: T0 + 20 });
    expect(added[1]).toBe(0);
    expect(e.t).toBe(T0 + 20);
  });

  it('implicit evidence starts at its earliest implicit signal; thumbs are not implicit', () => {
    expect(
      record([
        ['up', T0],
        ['down', T0 + 1],
      ]).e.implicitSince,
    ).toBe(Infinity);
    expect(
      record([
        ['up', T0],
        ['skip', T0 + 9],
        ['play', T0 + 5],
      ]).e.implicitSince,
    ).toBe(T0 + 5);
    expect(record([['purchase', T0 + 3]]).e.implicitSince).toBe(T0 + 3);
  });

  it('sums per signal at strength × weight, ageing older sums to the latest event and discounting a late one', () => {
    const e = newItemEvidence(T0);
    expect(recordSignal(e, 'up', 3, T0, T0, [], decay)).toBe(3);
    expect(recordSignal(e, 'play', 0.5, T0 + 10 * DAY, T0 + 10 * DAY, [], decay)).toBe(0.5);
    // The up is now one half-life old.
    expect(e.up).toBeCloseTo(1.5, 12);
    expect(e.t).toBe(T0 + 10 * DAY);
    expect(e.wt).toBe(T0 + 10 * DAY);
    // An event from before the reference time is discounted to it, and moves neither t nor wt.
    expect(recordSignal(e, 'skip', 2, T0, T0, [], decay)).toBeCloseTo(1, 12);
    expect(e.skip).toBeCloseTo(1, 12);
    expect(e.t).toBe(T0 + 10 * DAY);
    expect(e.wt).toBe(T0 + 10 * DAY);
    expect(positiveOf(e)).toBeCloseTo(2, 12);
    expect(negativeOf(e)).toBeCloseTo(1, 12);
    e.purchase = 4;
    e.down = 0.25;
    expect(positiveOf(e)).toBeCloseTo(6, 12);
    expect(negativeOf(e)).toBeCloseTo(1.25, 12);
  });

  it('splits sums by context: positive signals to the first of a pair, negative to the second', () => {
    const { e } = record([
      ['up', T0, ['daypart=morning']],
      ['skip', T0, ['daypart=morning', 'device=speaker']],
      ['tired', T0, ['device=car']],
    ]);
    expect(e.ctx).toEqual({ 'daypart=morning': [1, 1], 'device=speaker': [0, 1] });
    expect(record([['up', T0]]).e.ctx).toBeUndefined();
  });

  it('scales every sum and context pair by a factor; by 1, nothing changes', () => {
    const { e } = record([
      ['up', T0, ['daypart=morning']],
      ['down', T0, ['daypart=morning']],
    ]);
    const before = structuredClone(e);
    scaleEvidence(e, 1);
    expect(e).toEqual(before);
    scaleEvidence(e, 0.5);
    expect([e.up, e.down, e.ctx!['daypart=morning']]).toEqual([0.5, 0.5, [0.5, 0.5]]);
    expect(evidenceDecay(e, T0 + 20 * DAY, decay)).toBeCloseTo(0.25, 12);
  });

  it('is quoted at once for a thumb, and for implicit evidence from exactly the quoting delay on', () => {
    const hour = 3_600_000;
    expect(isQuotable(record([['up', T0]]).e, T0, hour)).toBe(true);
    const played = record([['play', T0]]).e;
    expect(isQuotable(played, T0 + hour - 1, hour)).toBe(false);
    expect(isQuotable(played, T0 + hour, hour)).toBe(true);
    expect(isQuotable(record([['tired', T0]]).e, T0 + 100 * DAY, hour)).toBe(false);
  });
});
