import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { FeedbackEvent, Item, Signal } from '../../src/types.js';
import type { World } from '../../src/world.js';
import { musicCatalog, T0 } from '../__helpers__/catalog.js';
import { PopularTop } from '../../src/rank/popularTop.js';

const DAY = 86_400_000;
const worldOf = (rec: Recommender): World => (rec as unknown as { world: World }).world;
const SIGNALS: Signal[] = ['up', 'play', 'play', 'skip', 'down', 'purchase', 'tired'];

/** 300 items, every seventh sensitive (health). */
function catalog(): Item[] {
  return musicCatalog(30).map((item, i) => (i % 7 === 3 ? { ...item, sensitive: ['health'] } : item));
}

const eventsArb = (items: Item[]) =>
  fc.array(
    fc.record({
      user: fc.integer({ min: 0, max: 40 }),
      item: fc.integer({ min: 0, max: items.length - 1 }),
      signal: fc.constantFrom(...SIGNALS, 'skip', 'skip', 'down'),
      day: fc.integer({ min: 0, max: 120 }),
    }),
    { minLength: 50, maxLength: 400 },
  );

/** Two recommenders with the same history; the second ranks guests by scanning every item. */
function pair(items: Item[], events: FeedbackEvent[], poolSize: number) {
  let now = T0 + 121 * DAY;
  const make = () => {
    const rec = createRecommender({ items, seed: 3, now: () => now, poolSize, halfLifeDays: 20 });
    rec.feedback(events);
    return rec;
  };
  const kept = make();
  const scan = make();
  worldOf(scan).popularTop.enabled = false;
  return { kept, scan, later: (days: number) => (now += days * DAY) };
}

describe('guest lists from the most popular items kept per popularity version', () => {
  it('equal the full scan’s lists — as time passes, after feedback, with exclusions, for opted-out people', () => {
    const items = catalog();
    fc.assert(
      fc.property(
        eventsArb(items),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 5, max: 40 }),
        fc.array(fc.integer({ min: 0, max: items.length - 1 }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 3, maxLength: 6 }),
        fc.integer({ min: 0, max: 300 }),
        (raw, count, poolSize, excluded, steps, excludeTop) => {
          const events = raw
            .map((e) => ({
              user: `u${e.user}`,
              item: items[e.item]!.id,
              signal: e.signal,
              at: T0 + e.day * DAY + e.item,
            }))
            .sort((a, b) => a.at - b.at);
          const { kept, scan, later } = pair(items, events, poolSize);
          // an opted-out person who had bought, turned down and rested items, and mutes a tag
          for (const rec of [kept, scan]) {
            rec.feedback([
              { user: 'out', item: items[1]!.id, signal: 'purchase' },
              { user: 'out', item: items[2]!.id, signal: 'down' },
              { user: 'out', item: items[4]!.id, signal: 'tired' },
            ]);
            rec.setPreferences('out', { mutedTags: ['genre:rock'], optOut: true });
          }
          const popularity = worldOf(scan).popularity;
          steps.forEach((days, s) => {
            later(days / 10);
            // the items most popular now, excluded: the kept order runs short of eligible items
            const at = T0 + 121 * DAY;
            const byLift = items
              .map((_, i) => i)
              .sort((a, b) => popularity.logOddsLift(b, at) - popularity.logOddsLift(a, at) || a - b);
            const exclude = [...excluded, ...byLift.slice(0, excludeTop)].map((i) => items[i]!.id);
            if (s === 2)
              for (const rec of [kept, scan]) rec.feedback({ user: 'u1', item: items[days % 300]!.id, signal: 'up' });
            for (const user of [undefined, 'out'])
              for (const options of [{ count }, { count, exclude }, { count, at: T0 + 60 * DAY }]) {
                const a = kept.recommend(user, options);
                expect(a).toEqual(scan.recommend(user, options));
                for (const r of a) {
                  expect(items.find((i) => i.id === r.item)!.sensitive).toBeUndefined();
                  if (options.exclude !== undefined) expect(options.exclude).not.toContain(r.item);
                }
              }
          });
          const top = worldOf(kept).popularTop;
          expect(top.served + top.scanned).toBeGreaterThan(0);
          expect(worldOf(scan).popularTop.served).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('serve most guest requests from the kept items (a few hundred of a large catalog), not by scanning', () => {
    const items = musicCatalog(200, ['jazz', 'rock', 'pop', 'folk', 'soul', 'blues']);
    const events: FeedbackEvent[] = [];
    for (let u = 0; u < 300; u++)
      for (let e = 0; e < 10; e++)
        events.push({
          user: `u${u}`,
          item: items[(u * 37 + e * 101) % items.length]!.id,
          signal: e % 4 === 0 ? 'skip' : 'play',
          at: T0 + (u + e) * 3_600_000,
        });
    const { kept, scan, later } = pair(items, events, 20);
    for (let r = 0; r < 20; r++) {
      later(0.05);
      expect(kept.recommend(undefined, { count: 10 })).toEqual(scan.recommend(undefined, { count: 10 }));
    }
    const top = worldOf(kept).popularTop;
    expect(top.served).toBe(20);
    expect(top.scanned).toBe(0);
  });
});

describe('PopularTop', () => {
  // Lifts as popularity computes them: log((1 + P·g)/(3 + N·g)) − log(1/3), g the decay since time 0.
  const sums = [
    [100, 330],
    [0, 1],
    [100, 320],
    [100, 325],
    [0, 70],
  ] as const;
  const source = {
    logOddsLift: (i: number, now: number) => {
      const g = Math.pow(2, -now / 10);
      const [p, n] = sums[i]!;
      return Math.log((1 + p * g) / (3 + n * g)) - Math.log(1 / 3);
    },
  };
  const best = (now: number, eligible: (i: number) => boolean) =>
    [0, 1, 2, 3, 4]
      .filter(eligible)
      .sort((a, b) => source.logOddsLift(b, now) - source.logOddsLift(a, now) || a - b)[0];

  it('never serves from the kept order when an item left out may now lift more (lifts all move toward 0)', () => {
    const top = new PopularTop();
    const judge = (items: Int32Array) => {
      const e = new Uint8Array(5);
      for (const i of items) e[i] = i === 2 || i === 3 ? 0 : 1;
      return e;
    };
    // at time 0 the kept three are 2, 3 and 0; item 1 (left out) is the best eligible one at time 66
    expect(top.propose(source, 1, 5, 0, 1, judge)?.items).toEqual(Int32Array.of(0, 2, 3));
    expect(best(0, (i) => i !== 2 && i !== 3)).toBe(0);
    expect(best(66, (i) => i !== 2 && i !== 3)).toBe(1);
    const later = top.propose(source, 1, 5, 66, 1, judge);
    expect(later?.items ?? Int32Array.of(0, 1, 2, 3, 4)).toContain(1);
  });
});
