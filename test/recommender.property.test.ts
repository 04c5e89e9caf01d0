import fc from 'fast-check';
import type { Decay } from '../src/decay/decay.js';
import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender } from '../src/index.js';
import type { FeedbackEvent, Item } from '../src/types.js';
import { T0, catalogArb, eventsArb } from './__helpers__/catalog.js';
import { attribute, attributionIndex } from '../src/explain/attribution.js';
import type { PeopleStore } from '../src/people/store.js';
import type { Catalog } from '../src/catalog/catalog.js';

const world = catalogArb.chain((items) =>
  fc.tuple(fc.constant(items), eventsArb(items), fc.integer({ min: 0, max: 1e6 })),
);

function build(items: Item[], seed: number, clock: { t: number }) {
  return createRecommender({ items, seed, now: () => clock.t, tiredDays: 3 });
}

function feedEach(
  rec: ReturnType<typeof createRecommender>,
  events: FeedbackEvent[],
  clock: { t: number },
  after?: (e: FeedbackEvent) => void,
) {
  for (const e of events) {
    clock.t = e.at!;
    rec.feedback(e);
    after?.(e);
  }
}

describe('recommender laws (random catalogs and event streams)', () => {
  it('a thumbs-down item never appears in any later list for that user', () => {
    fc.assert(
      fc.property(world, ([items, events, seed]) => {
        const clock = { t: T0 };
        const rec = build(items, seed, clock);
        const downs = new Map<string, Set<string>>();
        feedEach(rec, events, clock, (e) => {
          if (e.signal === 'down') downs.set(e.user, (downs.get(e.user) ?? new Set()).add(e.item));
          for (const [user, banned] of downs) {
            for (const r of rec.recommend(user, { count: 1000, includeSeen: true }))
              expect(banned.has(r.item)).toBe(false);
          }
        });
      }),
    );
  });

  it("after an up, the liked item's tags gain score in the next call", () => {
    fc.assert(
      fc.property(world, fc.nat(), ([items, events, seed], pick) => {
        const clock = { t: T0 };
        const rec = build(items, seed, clock);
        feedEach(rec, events, clock);
        const liked = items[pick % items.length]!;
        if ((liked.tags ?? []).length === 0) return;
        const content = () =>
          rec.recommend('ann', { count: 1000, includeSeen: true, exclude: [] }).find((r) => r.item === liked.id)
            ?.contributions.content;
        const before = content();
        rec.feedback({ user: 'ann', item: liked.id, signal: 'up' });
        const after = content();
        if (before !== undefined && after !== undefined) expect(after).toBeGreaterThan(before);
        else expect(after === undefined).toBe(true); // it can only be missing when banned or resting
      }),
    );
  });

  it('same seed and same calls give identical outputs', () => {
    fc.assert(
      fc.property(world, ([items, events, seed]) => {
        const run = () => {
          const clock = { t: T0 };
          const rec = build(items, seed, clock);
          const out: unknown[] = [];
          feedEach(rec, events, clock, (e) => out.push(rec.recommend(e.user, { count: 3, context: { hour: 9 } })));
          return JSON.stringify(out);
        };
        expect(run()).toBe(run());
      }),
    );
  });

  it('snapshot -> JSON -> restore gives identical recommendations and snapshot', () => {
    fc.assert(
      fc.property(world, ([items, events, seed]) => {
        const clock = { t: T0 };
        const rec = build(items, seed, clock);
        feedEach(rec, events, clock, (e) => void rec.recommend(e.user, { count: 2 }));
        const json = JSON.stringify(rec.snapshot());
        const back = restoreRecommender(JSON.parse(json), { now: () => clock.t });
        expect(JSON.stringify(back.snapshot())).toBe(json);
        for (const user of ['ann', 'bob', 'toString', 'new-user', undefined]) {
          expect(back.recommend(user, { count: 5 })).toEqual(rec.recommend(user, { count: 5 }));
        }
      }),
    );
  });

  it('no score is NaN or infinite, and propensities are in (0, 1]', () => {
    fc.assert(
      fc.property(world, ([items, events, seed]) => {
        const clock = { t: T0 };
        const rec = build(items, seed, clock);
        feedEach(rec, events, clock);
        clock.t += 1e12; // decades later: decay must not produce NaN
        for (const user of ['ann', 'bob', undefined]) {
          for (const r of rec.recommend(user, { count: 1000, includeSeen: true })) {
            expect(Number.isFinite(r.score)).toBe(true);
            expect(r.propensity).toBeGreaterThan(0);
            expect(r.propensity).toBeLessThanOrEqual(1);
            for (const e of r.reason.evidence) expect(Number.isFinite(e.weight)).toBe(true);
          }
        }
      }),
    );
  });

  it('a failing call leaves snapshot() unchanged', () => {
    const badCalls: ((rec: ReturnType<typeof createRecommender>, good: FeedbackEvent) => unknown)[] = [
      (rec, good) => rec.feedback([good, { ...good, item: 'no-such-item' }]),
      (rec, good) => rec.feedback([good, { ...good, context: { user_gender: 'f' } }]),
      (rec, good) => rec.feedback([good, { ...good, weight: 0 }]),
      (rec) => rec.recommend('ann', { count: 0 }),
      (rec) => rec.recommend('ann', { context: { Religion: 'x' } }),
      (rec) => rec.addItems([{ id: 'fresh' }, { id: 'item-2' }]),
      (rec) => rec.removeFeedback('ann', 'no-such-item'),
      (rec) => rec.setPreferences('ann', { consent: { health: 'yes' as never } }),
      (rec) => rec.explain('ann', 'no-such-item'),
    ];
    fc.assert(
      fc.property(world, fc.nat(badCalls.length - 1), ([items, events, seed], which) => {
        const clock = { t: T0 };
        const rec = build(items, seed, clock);
        feedEach(rec, events, clock);
        const before = JSON.stringify(rec.snapshot());
        const good: FeedbackEvent = { user: 'ann', item: items[0]!.id, signal: 'up' };
        expect(() => badCalls[which]!(rec, good)).toThrow();
        expect(JSON.stringify(rec.snapshot())).toBe(before);
      }),
    );
  });

  it('explanations are faithful: the attributed pieces add up to the content and context parts of the score', () => {
    fc.assert(
      fc.property(world, ([items, events, seed]) => {
        const clock = { t: T0 };
        const rec = createRecommender({
          items,
          seed,
          now: () => clock.t,
          implicitQuoteDelayMinutes: 0,
          halfLifeDays: 30,
        });
        feedEach(rec, events, clock);
        clock.t += 5 * 86_400_000;
        const world = (rec as unknown as { world: { people: PeopleStore; decay: Decay } }).world;
        const users = world.people;
        for (const user of ['ann', 'bob']) {
          const state = users.get(user);
          for (const r of rec.recommend(user, { count: 1000, includeSeen: true, context: { hour: 9 } })) {
            for (const e of r.reason.evidence) {
              expect(e.weight).toBeGreaterThan(0);
              expect(Number.isFinite(e.weight)).toBe(true);
            }
            if (state === undefined || r.explored) continue;
            const itemIndex = items.findIndex((x) => x.id === r.item);
            const catalog = (rec as unknown as { world: { catalog: Catalog } }).world.catalog;
            const index = attributionIndex({
              catalog,
              user: state,
              contexts: ['daypart=morning'],
              now: clock.t,
              personNow: world.decay.personNow(state.clock, clock.t),
              lens: undefined,
              decay: world.decay,
              quoteDelayMs: 0,
              mayName: () => true,
            });
            const pieces = attribute(catalog, index, itemIndex);
            const sum = [
              ...pieces.byItem.values(),
              ...pieces.byTag.values(),
              pieces.against,
              ...pieces.byContext.values(),
            ].reduce((a, b) => a + b, 0);
            expect(sum).toBeCloseTo(r.contributions.content + r.contributions.context, 9);
          }
        }
      }),
    );
  });
});
