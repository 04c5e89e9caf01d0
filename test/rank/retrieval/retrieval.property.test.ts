import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender } from '../../../src/index.js';
import type { FeedbackEvent, Item, Signal } from '../../../src/types.js';
import { T0, catalogArb, eventsArb, musicCatalog } from '../../__helpers__/catalog.js';

const DAY = 86_400_000;

/** A catalog large enough that approximate retrieval scans only part of it (with a small pool). */
function bigCatalog(size: number, seed: number): Item[] {
  return Array.from({ length: size }, (_, i) => {
    const genre = (i * 7 + seed) % 8;
    return {
      id: `s${i}`,
      tags: [`genre:g${genre}`, `artist:a${(i * 13 + seed) % 60}`, `mood:m${i % 5}`, `category:c${(i + seed) % 6}`],
      ...(i % 9 === 4 ? { sensitive: ['health'] } : {}),
    };
  });
}

const SIGNALS: Signal[] = ['up', 'up', 'play', 'play', 'skip', 'down', 'tired', 'purchase'];

const worldArb = fc.record({
  size: fc.integer({ min: 500, max: 900 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  events: fc.array(
    fc.record({ user: fc.integer({ min: 0, max: 9 }), item: fc.nat(), signal: fc.integer({ min: 0, max: 7 }) }),
    { minLength: 60, maxLength: 160 },
  ),
  consenting: fc.integer({ min: 0, max: 9 }),
  muted: fc.integer({ min: 0, max: 7 }),
  exclude: fc.array(fc.nat(), { maxLength: 5 }),
});

describe('approximate retrieval keeps every guarantee (random worlds, trained models)', () => {
  it('never lists a banned, bought, resting, held, muted, excluded, seen or unconsented item', () => {
    fc.assert(
      fc.property(worldArb, ({ size, seed, events, consenting, muted, exclude }) => {
        const items = bigCatalog(size, seed);
        const categories = new Set(items.map((i) => i.tags!.find((t) => t.startsWith('category:'))!));
        let now = T0;
        const rec = createRecommender({
          items,
          seed,
          now: () => now,
          retrieval: 'approximate',
          // pool max(4, 4 × count) ≤ 12 places, 96 candidates kept, a scan of 384 of the 500–900 items
          poolSize: 4,
          collaborative: { factors: 6, iterations: 3 },
        });
        rec.setPreferences(`u${consenting}`, { consent: { health: true } });
        rec.setPreferences('u0', { mutedTags: [`genre:g${muted}`] });
        // sensitive items only from people who consented (others are refused by learning anyway)
        const log: FeedbackEvent[] = events
          .map((e, k) => ({
            user: `u${e.user}`,
            item: items[e.item % size]!.id,
            signal: SIGNALS[e.signal]!,
            at: T0 + k * 3_600_000,
          }))
          .filter((e) => items[Number(e.item.slice(1))]!.sensitive === undefined || e.user === `u${consenting}`);
        for (const e of log) {
          now = e.at!;
          rec.feedback(e);
        }
        rec.train();
        now += DAY;
        const excluded = exclude.map((i) => items[i % size]!.id);
        for (let u = 0; u < 10; u++) {
          const user = `u${u}`;
          const mine = log.filter((e) => e.user === user);
          const given = new Set(mine.map((e) => e.item));
          const held = new Set(
            mine
              .filter((e) => e.signal === 'purchase' && e.at! + 14 * DAY > now)
              .flatMap((e) => items[Number(e.item.slice(1))]!.tags!.filter((t) => t.startsWith('category:'))),
          );
          // a person who bought in every category within the hold has nothing left to be shown
          const open = [...categories].some((c) => !held.has(c));
          for (const count of [2, 3]) {
            const list = rec.recommend(user, { count, exclude: excluded });
            expect(list.length).toBe(open ? count : 0);
            for (const r of list) {
              const item = items[Number(r.item.slice(1))]!;
              expect(given.has(r.item), `${r.item} was given feedback`).toBe(false);
              expect(excluded).not.toContain(r.item);
              if (item.sensitive !== undefined) expect(u).toBe(consenting);
              if (u === 0) expect(item.tags).not.toContain(`genre:g${muted}`);
              for (const t of item.tags!) expect(held.has(t), `${r.item} carries held ${t}`).toBe(false);
              const c = r.contributions;
              expect(c.content + c.context + c.collaborative + c.popularity + c.exploration).toBeCloseTo(r.score, 9);
            }
            // banned, bought and resting items stay out even when the person asks for seen ones
            const seen = rec.recommend(user, { count, includeSeen: true });
            for (const r of seen) {
              const last = mine.filter((e) => e.item === r.item);
              expect(last.some((e) => e.signal === 'down' || e.signal === 'purchase')).toBe(false);
              expect(last.some((e) => e.signal === 'tired' && e.at! + 30 * DAY > now)).toBe(false);
            }
          }
        }
      }),
      {
        numRuns: 12,
        examples: [
          // u5 buys in every category: every item is held back, the right list is empty
          [
            {
              size: 597,
              seed: 0,
              events: [
                ...[0, 1, 2, 3, 10, 5].map((item) => ({ user: 5, item, signal: 7 })),
                ...Array.from({ length: 54 }, () => ({ user: 0, item: 0, signal: 0 })),
              ],
              consenting: 0,
              muted: 0,
              exclude: [],
            },
          ],
        ],
      },
    );
  });

  it('gives exact lists, bit for bit, below the size where retrieval turns approximate', () => {
    const worlds = catalogArb.chain((items) => fc.tuple(fc.constant(items), eventsArb(items), fc.nat(1000)));
    fc.assert(
      fc.property(worlds, ([items, events, seed]) => {
        const make = (retrieval?: 'exact') => {
          let now = T0;
          const rec = createRecommender({ items, seed, now: () => now, ...(retrieval ? { retrieval } : {}) });
          for (const e of events) {
            now = e.at!;
            rec.feedback(e);
          }
          rec.train();
          return { rec, at: now };
        };
        const byDefault = make();
        const exact = make('exact');
        for (const user of ['ann', 'bob', 'cy', undefined]) {
          const a = byDefault.rec.recommend(user, { count: 5, at: byDefault.at });
          const b = exact.rec.recommend(user, { count: 5, at: exact.at });
          expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));
        }
      }),
      { numRuns: 25 },
    );
  });

  it("gives exact lists with retrieval: 'approximate' wherever its scan would reach every item", () => {
    const items = musicCatalog(30);
    const run = (retrieval: 'exact' | 'approximate') => {
      let now = T0;
      const rec = createRecommender({ items, seed: 3, now: () => now, retrieval });
      for (let k = 0; k < 120; k++) {
        now = T0 + k * 60_000;
        rec.feedback({
          user: `p${k % 7}`,
          item: items[(k * 37) % items.length]!.id,
          signal: k % 5 === 0 ? 'up' : 'play',
        });
      }
      rec.train();
      return Array.from({ length: 7 }, (_, p) => rec.recommend(`p${p}`, { count: 10, at: now }));
    };
    expect(JSON.parse(JSON.stringify(run('approximate')))).toEqual(JSON.parse(JSON.stringify(run('exact'))));
  });

  /** A trained approximate recommender over `bigCatalog(700)` (pool 12 places: the index proposes 96 of 700). */
  function trained(seed: number, retrieval: 'exact' | 'approximate' = 'approximate') {
    const items = bigCatalog(700, seed);
    const clock = { t: T0 };
    const rec = createRecommender({
      items,
      seed,
      now: () => clock.t,
      retrieval,
      poolSize: 4,
      collaborative: { factors: 6, iterations: 3 },
    });
    for (let k = 0; k < 300; k++) {
      clock.t = T0 + k * 60_000;
      const item = items[(k * 37 + seed) % items.length]!;
      if (item.sensitive === undefined)
        rec.feedback({ user: `p${k % 9}`, item: item.id, signal: k % 4 === 0 ? 'up' : 'play' });
    }
    rec.train();
    return { rec, items, clock };
  }

  it('gives the same lists after a restore (the index is built again from the model, never stored)', () => {
    fc.assert(
      fc.property(fc.nat(1000), (seed) => {
        const { rec, clock } = trained(seed);
        const restored = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())), { now: () => clock.t });
        for (let p = 0; p < 9; p++) {
          const a = rec.recommend(`p${p}`, { count: 3, at: clock.t });
          const b = restored.recommend(`p${p}`, { count: 3, at: clock.t });
          expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
        }
      }),
      { numRuns: 5 },
    );
  });

  it('serves items added after training (no factors: always looked at, judged by their exact score)', () => {
    const lists = (['exact', 'approximate'] as const).map((mode) => {
      const { rec, clock } = trained(5, mode);
      // A new artist: a person who liked six of its ten songs is offered the others.
      rec.addItems(Array.from({ length: 10 }, (_, j) => ({ id: `new${j}`, tags: ['artist:fresh', 'genre:g1'] })));
      rec.feedback({ user: 'q', item: 's1', signal: 'play', at: clock.t });
      for (let j = 0; j < 6; j++) rec.feedback({ user: 'q', item: `new${j}`, signal: 'up', at: clock.t + j });
      return rec.recommend('q', { count: 10, at: clock.t + 10 });
    });
    const [exact, approximate] = lists.map((l) => JSON.parse(JSON.stringify(l)) as { item: string }[]);
    expect(exact!.some((r) => r.item.startsWith('new'))).toBe(true);
    expect(approximate).toEqual(exact);
  });
});
