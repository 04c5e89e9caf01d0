/**
 * Laws of the state model (src/people): a person's state is their evidence,
 * so the order in which events arrive does not matter, undoing a signal is
 * the same as never giving it, and reading never creates state. Random
 * catalogs and event streams (fast-check; the seed is printed by
 * vitest.setup.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index.js';
import type { FeedbackEvent, Item } from '../../src/types.js';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import { T0, catalogArb, eventsArb, longestPause } from '../__helpers__/catalog.js';

const USERS = ['ann', 'bob', 'toString'];
const world = catalogArb.chain((items) =>
  fc.tuple(fc.constant(items), eventsArb(items, USERS), fc.integer({ min: 0, max: 1e6 })),
);

function make(items: Item[], seed: number, now: number) {
  return createRecommender({
    items,
    seed,
    now: () => now,
    exploration: 0,
    lifeStages: false,
    implicitQuoteDelayMinutes: 0,
    tiredDays: 3,
  });
}

/** Every user's score of every item they may be shown, by item ('own': the parts learned from the person alone). */
function scores(rec: ReturnType<typeof make>, at: number, parts: 'score' | 'own' = 'score'): Map<string, number> {
  const out = new Map<string, number>();
  for (const user of USERS) {
    for (const r of rec.recommend(user, { count: 1000, includeSeen: true, at, context: { hour: 9 } })) {
      const c = r.contributions;
      out.set(`${user}/${r.item}`, parts === 'score' ? r.score : c.content + c.context + c.collaborative);
    }
  }
  return out;
}

function expectSameScores(a: Map<string, number>, b: Map<string, number>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, score] of a)
    expect(Math.abs(score - b.get(key)!), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(score)));
}

describe('state is evidence', () => {
  it('the same events in a shuffled arrival order (same timestamps) give the same scores, to 1e-9: one batch in any order, or one call per event with people interleaved in any order', () => {
    fc.assert(
      fc.property(
        world,
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        ([items, events, seed], keys) => {
          const end = (events[events.length - 1]?.at ?? T0) + 3_600_000;
          const inOrder = make(items, seed, end);
          const batch = make(items, seed, end);
          const interleaved = make(items, seed, end);
          const shuffled = events
            .map((e) => ({ e, k: keys.next().value as number }))
            .sort((x, y) => x.k - y.k)
            .map((x) => x.e);
          for (const e of events) inOrder.feedback(e);
          batch.feedback(shuffled);
          // People in a random order, each person's own events in the order they happened.
          const queues = new Map(USERS.map((u) => [u, events.filter((e) => e.user === u)]));
          for (const e of shuffled) interleaved.feedback(queues.get(e.user)!.shift()!);
          for (const other of [batch, interleaved]) {
            expectSameScores(scores(inOrder, end), scores(other, end));
            for (const user of USERS) {
              const [p, q] = [inOrder.profile(user), other.profile(user)];
              expect(q.banned.map((b) => b.item).sort()).toEqual(p.banned.map((b) => b.item).sort());
              expect(q.snoozed.map((b) => [b.item, b.until]).sort()).toEqual(
                p.snoozed.map((b) => [b.item, b.until]).sort(),
              );
              expect(q.evidence.events).toBe(p.evidence.events);
            }
          }
        },
      ),
    );
  });

  it('one person’s events given out of order in separate calls: the same within the counted pause, never younger otherwise', () => {
    const items = [
      { id: 'a', tags: ['genre:jazz'] },
      { id: 'b', tags: ['genre:rock'] },
    ];
    const day = 86_400_000;
    const late = make(items, 1, T0 + 100 * day);
    const inOrder = make(items, 1, T0 + 100 * day);
    const events: FeedbackEvent[] = [
      { user: 'ann', item: 'a', signal: 'up', at: T0 },
      { user: 'ann', item: 'b', signal: 'up', at: T0 + 2 * day },
      { user: 'ann', item: 'a', signal: 'play', at: T0 + 4 * day },
    ];
    for (const e of events) inOrder.feedback(e);
    for (const e of [events[0]!, events[2]!, events[1]!]) late.feedback(e);
    expectSameScores(scores(inOrder, T0 + 5 * day), scores(late, T0 + 5 * day));
    // Across a pause longer than the counted span the late event is placed its full wall distance back.
    const far = make(items, 1, T0 + 400 * day);
    far.feedback(events[0]!);
    far.feedback({ ...events[2]!, at: T0 + 300 * day });
    far.feedback({ ...events[1]!, at: T0 + 290 * day });
    const w = (rec: ReturnType<typeof make>) => rec.profile('ann').likedTags.find((t) => t.tag === 'genre:rock')!;
    const farOrdered = make(items, 1, T0 + 400 * day);
    for (const e of [events[0]!, { ...events[1]!, at: T0 + 290 * day }, { ...events[2]!, at: T0 + 300 * day }])
      farOrdered.feedback(e);
    expect(w(far).evidence).toBeLessThanOrEqual(w(farOrdered).evidence * (1 + 1e-12));
  });

  it('removeFeedback equals never having given the signals: every person gets the same scores, to 1e-9', () => {
    let exactRuns = 0;
    fc.assert(
      fc.property(world, fc.nat(), ([items, events, seed], pick) => {
        if (events.length === 0) return;
        const target = events[pick % events.length]!;
        const end = events[events.length - 1]!.at! + 3_600_000;
        const undone = make(items, seed, end);
        const never = make(items, seed, end);
        for (const e of events) undone.feedback(e);
        const kept = events.filter((e) => !(e.user === target.user && e.item === target.item));
        for (const e of kept) never.feedback(e);
        expect(undone.removeFeedback(target.user, target.item)).toBe(true);
        // Undoing keeps the time the person was active: across a pause longer than the counted span,
        // never having given the event would have counted less of it (Decay.personTime), and popularity
        // learns each record's sum as its person holds it: then the person's own scores may differ, and
        // others' only in their popularity part.
        const exact = longestPause(kept, target.user) <= DEFAULT_PAUSE_DAYS * 86_400_000;
        if (exact) {
          exactRuns++;
          expectSameScores(scores(undone, end), scores(never, end));
        } else {
          const others = (m: Map<string, number>) =>
            new Map([...m].filter(([key]) => !key.startsWith(`${target.user}/`)));
          expectSameScores(others(scores(undone, end, 'own')), others(scores(never, end, 'own')));
        }
        expect(undone.profile(target.user).evidence.events).toBe(never.profile(target.user).evidence.events);
      }),
    );
    // The whole law is checked in a good share of the runs (fast-check runs 100; about 45 are exact).
    expect(exactRuns).toBeGreaterThanOrEqual(25);
  });

  it('reading never creates state: recommend, explain and profile for unknown ids leave the snapshot unchanged', () => {
    fc.assert(
      fc.property(
        world,
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        ([items, events, seed], ids) => {
          const rec = make(items, seed, T0 + 1e9);
          for (const e of events) rec.feedback(e);
          const before = JSON.stringify(rec.snapshot());
          for (const id of ids.filter((x) => !USERS.includes(x))) {
            rec.recommend(id, { count: 3 });
            rec.explain(id, items[0]!.id);
            rec.profile(id);
          }
          expect(JSON.stringify(rec.snapshot())).toBe(before);
        },
      ),
    );
  });

  it('a song replayed 10,000 times is one record, and counts like a few thumbs', () => {
    const items: Item[] = [
      { id: 'fav', tags: ['genre:jazz'] },
      { id: 'other', tags: ['genre:rock'] },
      { id: 'x', tags: ['genre:jazz'] },
    ];
    const rec = make(items, 1, T0 + 10_000 * 60_000);
    const plays: FeedbackEvent[] = Array.from({ length: 10_000 }, (_, k) => ({
      user: 'ann',
      item: 'fav',
      signal: 'play',
      at: T0 + k * 60_000,
    }));
    rec.feedback(plays);
    rec.feedback({ user: 'ann', item: 'other', signal: 'up', at: T0 });
    const snap = rec.snapshot();
    expect(snap.people[0]!.evidence.item).toHaveLength(2);
    expect(rec.profile('ann').evidence.events).toBe(10_001);
    const liked = Object.fromEntries(rec.profile('ann').likedTags.map((a) => [a.tag, a.weight]));
    // saturated: 10,000 plays move the tag less than three times as far as one thumb
    expect(liked['genre:jazz']!).toBeLessThan(3 * liked['genre:rock']!);
  });
});
