import fc from 'fast-check';
import { createRecommender, type Recommender } from '../../src/recommender.js';
import type { ExplainedRecommendation } from '../../src/recommender.js';
import type { FeedbackEvent, Item, Signal } from '../../src/types.js';
import { T0 } from './catalog.js';

export const DAY = 86_400_000;
const FACETS = {
  genre: ['a', 'b', 'c', 'd'],
  mood: ['x', 'y', 'z'],
  artist: ['p', 'q', 'r', 's', 't'],
  era: ['1', '2'],
} as const;

/** A random catalog of 6–30 items, each with 1–4 facet:value tags (so many items share tags). */
export const tagCatalogArb: fc.Arbitrary<Item[]> = fc
  .array(
    fc.record({
      genre: fc.nat(3),
      mood: fc.nat(2),
      artist: fc.nat(4),
      era: fc.nat(1),
      drop: fc.subarray(['mood', 'artist', 'era'] as const),
    }),
    { minLength: 6, maxLength: 30 },
  )
  .map((rows) =>
    rows.map((r, i) => ({
      id: `s${i}`,
      title: `Song ${i}`,
      tags: [
        `genre:${FACETS.genre[r.genre]!}`,
        `mood:${FACETS.mood[r.mood]!}`,
        `artist:${FACETS.artist[r.artist]!}`,
        `era:${FACETS.era[r.era]!}`,
      ].filter((t) => !r.drop.some((d) => t.startsWith(`${d}:`))),
    })),
  );

export const USERS = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay'] as const;

const signalArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Signal>('up') },
  { weight: 3, arbitrary: fc.constant<Signal>('play') },
  { weight: 2, arbitrary: fc.constant<Signal>('skip') },
  { weight: 2, arbitrary: fc.constant<Signal>('down') },
  { weight: 1, arbitrary: fc.constantFrom<Signal>('tired', 'purchase') },
);

/** Events over the catalog by the users, at increasing times over up to ~200 days. */
export function historyArb(items: readonly Item[], minLength = 0, maxLength = 80): fc.Arbitrary<FeedbackEvent[]> {
  return fc
    .array(
      fc.record({
        user: fc.constantFrom(...USERS),
        item: fc.nat(items.length - 1),
        signal: signalArb,
        gapMinutes: fc.nat(60 * 24),
        hour: fc.nat(23),
      }),
      { minLength, maxLength },
    )
    .map((raw) => {
      let t = T0;
      return raw.map(({ user, item, signal, gapMinutes, hour }) => {
        t += gapMinutes * 60_000;
        return { user, item: items[item]!.id, signal, at: t, context: { hour } };
      });
    });
}

export interface World {
  items: Item[];
  history: FeedbackEvent[];
  seed: number;
  trained: boolean;
  /** Quoting delay for implicit signals, minutes. */
  delay: number;
}

/** A catalog, a history by several people, whether train() ran, a seed and a quoting delay. */
export const worldArb: fc.Arbitrary<World> = tagCatalogArb.chain((items) =>
  fc.record({
    items: fc.constant(items),
    history: historyArb(items),
    seed: fc.nat(1000),
    trained: fc.boolean(),
    delay: fc.constantFrom(0, 180),
  }),
);

/** A world with a longer history (60–200 events) and train() run: the collaborative part has something to say. */
export const trainedWorldArb: fc.Arbitrary<World> = tagCatalogArb.chain((items) =>
  fc.record({
    items: fc.constant(items),
    history: historyArb(items, 60, 200),
    seed: fc.nat(1000),
    trained: fc.constant(true),
    delay: fc.constantFrom(0, 180),
  }),
);

/** The recommender of a world (exploration off unless given), its clock set a day after the last event. */
export function build(
  world: World,
  exploration = 0,
  collaborative?: { regularization: number },
): { rec: Recommender; clock: { t: number } } {
  const clock = { t: T0 };
  const rec = createRecommender({
    items: world.items,
    seed: world.seed,
    now: () => clock.t,
    exploration,
    implicitQuoteDelayMinutes: world.delay,
    ...(collaborative !== undefined ? { collaborative } : {}),
  });
  for (const e of world.history) {
    clock.t = e.at!;
    rec.feedback(e);
  }
  clock.t += DAY;
  if (world.trained) rec.train();
  return { rec, clock };
}

/** Every item's recommendation for `user` at the clock, seen items included. */
export function everything(rec: Recommender, user: string | undefined, at: number): ExplainedRecommendation[] {
  return rec.recommend(user, { count: 1000, includeSeen: true, at, context: { hour: 9 } });
}
