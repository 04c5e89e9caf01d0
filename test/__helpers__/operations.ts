/**
 * Random sequences of public calls — feedback of every kind, stations,
 * undo, preferences, erasure, training, factor import, new items, lists —
 * for properties that must hold whatever state the public API can reach
 * (test/persist/roundTrip.property.test.ts). Calls that the API refuses
 * (an unknown station, say) are part of the sequence: a refusal changes
 * nothing, which the properties check too.
 */
import fc from 'fast-check';
import type { RecommenderApi } from '../../src/api.js';
import type { RecommenderOptions } from '../../src/options.js';
import type { Item, Signal } from '../../src/types.js';
import { T0 } from './catalog.js';

const SIGNALS: Signal[] = ['up', 'down', 'tired', 'skip', 'play', 'purchase'];
export const OP_USERS = ['ann', 'bob', '__proto__'] as const;
const STATIONS = ['s1', 's2'] as const;

/** A small catalog: two genres, moods, artists, a category tag and one sensitive item. */
export function opsCatalog(size = 8): Item[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    tags: [`genre:${i % 2 ? 'jazz' : 'rock'}`, `mood:${['calm', 'loud', 'dark'][i % 3]!}`, `artist:a${i % 4}`],
    ...(i === size - 1 ? { sensitive: ['health'] } : {}),
    ...(i === size - 2 ? { tags: ['category:shoes', 'genre:jazz'] } : {}),
  }));
}

export type Op =
  | {
      kind: 'feedback';
      user: string;
      item: number;
      signal: Signal;
      gap: number;
      weight?: number;
      context?: Record<string, string | number | boolean>;
      station?: string;
    }
  | {
      kind: 'createStation';
      user: string;
      station: string;
      name?: string;
      seeds: ({ item: number } | { tag: string })[];
    }
  | { kind: 'addStationSeeds'; user: string; station: string; seeds: ({ item: number } | { tag: string })[] }
  | { kind: 'removeStation'; user: string; station: string }
  | { kind: 'removeFeedback'; user: string; item: number }
  | { kind: 'setPreferences'; user: string; prefs: Record<string, unknown> }
  | { kind: 'forget'; user: string }
  | { kind: 'recommend'; user: string; station?: string }
  | { kind: 'train' }
  | { kind: 'import'; seed: number }
  | { kind: 'addItems' };

const user = fc.constantFrom(...OP_USERS);
const station = fc.constantFrom(...STATIONS);
const seedArb = (items: number) =>
  fc.oneof(
    fc.record({ item: fc.nat(items - 1) }),
    fc.record({ tag: fc.constantFrom('genre:jazz', 'genre:rock', 'mood:calm', 'artist:a1') }),
  );

export function opArb(items: number): fc.Arbitrary<Op> {
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record(
        {
          kind: fc.constant('feedback' as const),
          user,
          item: fc.nat(items - 1),
          signal: fc.constantFrom(...SIGNALS),
          gap: fc.oneof(fc.constant(0), fc.nat(60 * 24 * 40)),
          weight: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1e6, noNaN: true })),
          context: fc.oneof(
            fc.record({ hour: fc.nat(23) }),
            fc.record({ device: fc.constantFrom('speaker', 'phone') }, { requiredKeys: [] }),
            fc.record({ minutes: fc.integer({ min: -50, max: 500 }), commute: fc.boolean() }),
          ),
          station,
        },
        { requiredKeys: ['kind', 'user', 'item', 'signal', 'gap'] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          kind: fc.constant('createStation' as const),
          user,
          station,
          name: fc.constantFrom('Late Jazz', 'Gym'),
          seeds: fc.array(seedArb(items), { minLength: 1, maxLength: 4 }),
        },
        { requiredKeys: ['kind', 'user', 'station', 'seeds'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('addStationSeeds' as const),
        user,
        station,
        seeds: fc.array(seedArb(items), { minLength: 1, maxLength: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeStation' as const), user, station }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('removeFeedback' as const), user, item: fc.nat(items - 1) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('setPreferences' as const),
        user,
        prefs: fc.oneof(
          fc.record({ consent: fc.record({ health: fc.boolean() }) }),
          fc.record({ mutedTags: fc.subarray(['genre:jazz', 'mood:loud', 'nope:tag']) }),
          fc.record({ reset: fc.constant(true), keepBans: fc.boolean() }),
          fc.record({ optOut: fc.boolean() }),
          fc.constant({}),
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), user }) },
    {
      weight: 2,
      arbitrary: fc.record(
        { kind: fc.constant('recommend' as const), user, station },
        { requiredKeys: ['kind', 'user'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('train' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), seed: fc.nat(1000) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('addItems' as const) }) },
  );
}

/** Options worth varying: decay off, rests for ever, life stages, a tiny collaborative model. */
export const optionsArb: fc.Arbitrary<RecommenderOptions> = fc.record({
  halfLifeDays: fc.constantFrom(90, 2, Infinity),
  tiredDays: fc.constantFrom(30, 0, Infinity),
  holdBackDays: fc.constantFrom(14, Infinity),
  lifeStages: fc.boolean(),
  seed: fc.nat(100),
  collaborative: fc.constantFrom({ factors: 2, iterations: 2, regularization: 1 }, false as const),
});

/** A clock the operations move. */
export interface OpClock {
  t: number;
  now: () => number;
}

export function opClock(): OpClock {
  const c = { t: T0, now: () => c.t };
  return c;
}

/**
 * Applies one operation through the public API. Returns what it gave (or
 * the code of the refusal); any error that is not an AttuneError throws.
 */
export function applyOp(rec: RecommenderApi, op: Op, clock: OpClock): unknown {
  const id = (i: number) => `i${i % rec.itemCount}`;
  const seeds = (list: ({ item: number } | { tag: string })[]) =>
    list.map((s) => ('item' in s ? { item: id(s.item) } : s));
  try {
    switch (op.kind) {
      case 'feedback':
        clock.t += op.gap * 60_000;
        return rec.feedback({
          user: op.user,
          item: id(op.item),
          signal: op.signal,
          ...(op.weight !== undefined ? { weight: op.weight } : {}),
          ...(op.context !== undefined ? { context: op.context } : {}),
          ...(op.station !== undefined ? { station: op.station } : {}),
        });
      case 'createStation':
        return rec.createStation(op.user, {
          id: op.station,
          ...(op.name !== undefined ? { name: op.name } : {}),
          seeds: seeds(op.seeds),
        });
      case 'addStationSeeds':
        return rec.addStationSeeds(op.user, op.station, seeds(op.seeds));
      case 'removeStation':
        return rec.removeStation(op.user, op.station);
      case 'removeFeedback':
        return rec.removeFeedback(op.user, id(op.item));
      case 'setPreferences':
        return rec.setPreferences(op.user, op.prefs);
      case 'forget':
        return rec.forget(op.user);
      case 'recommend':
        return rec.recommend(op.user, { count: 3, ...(op.station !== undefined ? { station: op.station } : {}) });
      case 'train':
        return { ...rec.train(), seconds: 0 };
      case 'import': {
        const text = Array.from({ length: rec.itemCount }, (_, i) =>
          JSON.stringify({ id: `i${i}`, features: [((op.seed * (i + 1)) % 7) - 3, ((op.seed + i) % 5) / 5] }),
        ).join('\n');
        return rec.importItemFactors({ format: 'spark-json', text }, { weight: 1 + (op.seed % 50) });
      }
      case 'addItems':
        return rec.addItems([{ id: `i${rec.itemCount}`, tags: ['genre:jazz', `artist:new${rec.itemCount}`] }]);
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    return { error: code };
  }
}
