/**
 * The life-stage watch: sessions from event times, the warm-up, the fade's
 * cap, and the JSON form (old watches included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectedReaction,
  lifeStageKeep,
  newWatch,
  observeSurprise,
  surpriseOf,
  watchFromJSON,
  watchToJSON,
} from '../../src/decay/lifeStages.js';
import {
  LIFE_STAGE_ITEM_PRIOR,
  LIFE_STAGE_KEEP,
  LIFE_STAGE_KEPT_EVIDENCE,
  LIFE_STAGE_MIN_SURPRISE,
  LIFE_STAGE_SESSION_GAP_MINUTES,
  LIFE_STAGE_WARMUP,
} from '../../src/constants.js';

const T0 = Date.UTC(2024, 0, 1, 20);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A day's session of `n` reactions 4 minutes apart; `surprising` of them contradict a confident prediction. */
function session(watch: ReturnType<typeof newWatch>, day: number, n: number, surprising: number): boolean {
  let fired = false;
  for (let i = 0; i < n; i++)
    fired = observeSurprise(watch, i < surprising ? 0 : 1, 0.8, T0 + day * DAY + i * 4 * MINUTE) || fired;
  return fired;
}

describe('life-stage watch', () => {
  it('scores surprise on the side of the prediction; an even prediction surprises no one', () => {
    expect(surpriseOf(0, 0.8)).toBe(1);
    expect(surpriseOf(1, 0.8)).toBe(0);
    expect(surpriseOf(1, 0.2)).toBe(1);
    expect(surpriseOf(0, 0.5)).toBe(0);
    expect(surpriseOf(1, 0.5)).toBe(0);
  });

  it('expects of a song what the person did with it before, the taste counting as LIFE_STAGE_ITEM_PRIOR of importance', () => {
    // no history: the taste's prediction
    expect(expectedReaction(0.8, 0, 0)).toBe(0.8);
    // a loved-tag song skipped twice before (2 × 0.5): a third skip is no surprise
    expect(expectedReaction(0.8, 0, 1)).toBeCloseTo((LIFE_STAGE_ITEM_PRIOR * 0.8) / (1 + LIFE_STAGE_ITEM_PRIOR), 12);
    expect(surpriseOf(0, expectedReaction(0.8, 0, 1))).toBe(0);
    // an old favourite (ten plays) now skipped stays a surprise, even after a skip or two
    expect(surpriseOf(0, expectedReaction(0.8, 5, 1))).toBe(1);
    // a song of a disliked tag that they played before: playing it again is no surprise
    expect(surpriseOf(1, expectedReaction(0.2, 2, 0))).toBe(0);
    // always a probability, moving monotonically with each side's history
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (p, pos, neg) => {
          const e = expectedReaction(p, pos, neg);
          expect(e).toBeGreaterThanOrEqual(0);
          expect(e).toBeLessThanOrEqual(1);
          expect(expectedReaction(p, pos + 1, neg)).toBeGreaterThanOrEqual(e - 1e-12);
          expect(expectedReaction(p, pos, neg + 1)).toBeLessThanOrEqual(e + 1e-12);
        },
      ),
    );
  });

  it('groups reactions into sessions by the gap between them', () => {
    const watch = newWatch();
    session(watch, 0, LIFE_STAGE_WARMUP, 0); // the warm-up feeds no session
    session(watch, 1, 10, 0);
    session(watch, 2, 10, 0);
    const gap = LIFE_STAGE_SESSION_GAP_MINUTES * MINUTE;
    observeSurprise(watch, 1, 0.8, T0 + 2 * DAY + 36 * MINUTE + gap - 1); // still day 2's session
    expect(watch.detector.count).toBe(2);
    observeSurprise(watch, 1, 0.8, T0 + 3 * DAY);
    expect(watch.detector.count).toBe(2); // the open session takes part from its third reaction
    observeSurprise(watch, 1, 0.8, T0 + 3 * DAY + MINUTE);
    observeSurprise(watch, 1, 0.8, T0 + 3 * DAY + 2 * MINUTE);
    expect(watch.detector.count).toBe(3);
  });

  it('listens only after the warm-up, and fires on a sustained rise of surprise, not on one odd session', () => {
    const watch = newWatch();
    expect(session(watch, 0, LIFE_STAGE_WARMUP, LIFE_STAGE_WARMUP)).toBe(false);
    for (let d = 1; d <= 60; d++) expect(session(watch, d, 10, d % 7 === 0 ? 1 : 0)).toBe(false);
    expect(session(watch, 61, 10, 10)).toBe(false); // a guest's list
    for (let d = 62; d <= 70; d++) expect(session(watch, d, 10, d % 7 === 0 ? 1 : 0)).toBe(false);
    let firedOn = -1;
    for (let d = 71; d <= 80 && firedOn < 0; d++) if (session(watch, d, 3, 3)) firedOn = d;
    expect(firedOn).toBeGreaterThanOrEqual(72);
    expect(firedOn).toBeLessThanOrEqual(74);
  });

  it('keeps LIFE_STAGE_KEEP of old evidence, or less so that no tag keeps more than LIFE_STAGE_KEPT_EVIDENCE', () => {
    expect(lifeStageKeep(0)).toBe(LIFE_STAGE_KEEP);
    expect(lifeStageKeep(LIFE_STAGE_KEPT_EVIDENCE / LIFE_STAGE_KEEP)).toBe(LIFE_STAGE_KEEP);
    for (const heaviest of [30, 300, 3000]) {
      expect(lifeStageKeep(heaviest) * heaviest).toBeCloseTo(LIFE_STAGE_KEPT_EVIDENCE, 9);
      expect(lifeStageKeep(heaviest)).toBeLessThan(LIFE_STAGE_KEEP);
    }
  });

  it('round-trips through JSON and continues identically; reads an old watch with a fresh detector', () => {
    const a = newWatch();
    for (let d = 0; d < 30; d++) session(a, d, 5, d % 5 === 0 ? 1 : 0);
    const b = watchFromJSON(JSON.parse(JSON.stringify(watchToJSON(a))), 'test');
    expect(watchToJSON(b)).toEqual(watchToJSON(a));
    const next = (w: typeof a) => Array.from({ length: 8 }, (_, d) => session(w, 30 + d, 5, 4));
    expect(next(b)).toEqual(next(a));
    expect(watchToJSON(newWatch()).lastAt).toBeNull();

    const old = { detector: { kind: 'glr', values: [0, 1] }, learned: 40, sum: 1, count: 2, recent: [0, 1] };
    const migrated = watchFromJSON(old, 'test');
    expect(migrated.learned).toBe(40);
    expect(watchToJSON(migrated)).toEqual({ ...watchToJSON(newWatch()), learned: 40 });
    for (const bad of [
      null,
      { learned: -1 },
      { ...watchToJSON(a), lastAt: 'x' },
      { ...watchToJSON(a), detector: { kind: 'session-glr' } },
    ]) {
      expect(() => watchFromJSON(bad, 'people[0]')).toThrow(
        expect.objectContaining({
          code: 'BAD_SNAPSHOT',
          message: expect.stringMatching(/^people\[0\]: the life-stage watch is malformed/),
        }),
      );
    }
  });
});

describe('life-stage watch: the promises around the detector', () => {
  it('never lets old evidence grow: a kept share is at most LIFE_STAGE_KEEP, and no tag keeps more than LIFE_STAGE_KEPT_EVIDENCE', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (heaviest) => {
        const keep = lifeStageKeep(heaviest);
        expect(keep).toBeGreaterThan(0);
        expect(keep).toBeLessThanOrEqual(LIFE_STAGE_KEEP);
        expect(keep * heaviest).toBeLessThanOrEqual(LIFE_STAGE_KEPT_EVIDENCE * (1 + 1e-12));
      }),
    );
    for (const heaviest of [0.05, 0.5, 1, 19.99]) expect(lifeStageKeep(heaviest)).toBe(LIFE_STAGE_KEEP);
  });

  it(`does not fire on a sustained rise of surprise that stays under ${LIFE_STAGE_MIN_SURPRISE} of reactions`, () => {
    /** A session of 10 reactions, `surprising` of them spread evenly (no run of surprise within the session). */
    const spread = (watch: ReturnType<typeof newWatch>, day: number, surprising: number) => {
      let fired = false;
      for (let i = 0; i < 10; i++) {
        const surprise = Math.floor(((i + 1) * surprising) / 10) > Math.floor((i * surprising) / 10);
        fired = observeSurprise(watch, surprise ? 0 : 1, 0.8, T0 + day * DAY + i * 4 * MINUTE) || fired;
      }
      return fired;
    };
    const days = (watch: ReturnType<typeof newWatch>, from: number, to: number, surprising: (d: number) => number) => {
      let fired = false;
      for (let d = from; d < to; d++) fired = spread(watch, d, surprising(d)) || fired;
      return fired;
    };
    const watch = newWatch();
    session(watch, 0, LIFE_STAGE_WARMUP, 0);
    expect(days(watch, 1, 41, () => 0)).toBe(false);
    expect(days(watch, 41, 101, () => 3)).toBe(false); // 30 % surprising, for two months
    // The same rise to 50 % fires within a few sessions.
    const rising = newWatch();
    session(rising, 0, LIFE_STAGE_WARMUP, 0);
    days(rising, 1, 41, () => 0);
    let firedOn = -1;
    for (let d = 41; d < 101 && firedOn < 0; d++) if (spread(rising, d, 5)) firedOn = d;
    expect(firedOn).toBeGreaterThan(41);
    expect(firedOn).toBeLessThan(50);
  });

  it(`starts a new session only when more than ${LIFE_STAGE_SESSION_GAP_MINUTES} minutes passed, to the millisecond`, () => {
    const gap = LIFE_STAGE_SESSION_GAP_MINUTES * MINUTE;
    const sessionsAfter = (secondAt: number) => {
      const watch = newWatch();
      session(watch, 0, LIFE_STAGE_WARMUP, 0);
      const t = T0 + DAY;
      for (let i = 0; i < 3; i++) observeSurprise(watch, 1, 0.8, t);
      for (let i = 0; i < 3; i++) observeSurprise(watch, 1, 0.8, secondAt);
      watch.detector.closeSession();
      return watch.detector.count;
    };
    expect(sessionsAfter(T0 + DAY + gap)).toBe(1);
    expect(sessionsAfter(T0 + DAY + gap + 1)).toBe(2);
    // An event out of order (earlier than the latest) never opens a session, nor moves the latest back.
    const watch = newWatch();
    session(watch, 0, LIFE_STAGE_WARMUP, 0);
    observeSurprise(watch, 1, 0.8, T0 + 2 * DAY);
    observeSurprise(watch, 1, 0.8, T0 + DAY);
    expect(watch.lastAt).toBe(T0 + 2 * DAY);
  });

  it('reads back a watch that has seen no event as a new watch, and goes on identically', () => {
    const restored = watchFromJSON(JSON.parse(JSON.stringify(watchToJSON(newWatch()))), 'test');
    const fresh = newWatch();
    expect(restored.lastAt).toBe(-Infinity);
    const run = (w: ReturnType<typeof newWatch>) => [
      session(w, 0, LIFE_STAGE_WARMUP + 3, 0),
      ...Array.from({ length: 30 }, (_, d) => session(w, d + 1, 4, d > 20 ? 4 : 0)),
    ];
    expect(run(restored)).toEqual(run(fresh));
    expect(watchToJSON(restored)).toEqual(watchToJSON(fresh));
  });
});
