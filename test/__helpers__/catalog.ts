import fc from 'fast-check';
import type { FeedbackEvent, Item, Signal } from '../../src/types.js';

export const GENRES = ['jazz', 'rock', 'pop', 'folk', 'metal', 'soul', 'blues', 'house', 'punk', 'opera'] as const;
const MOODS = ['mellow', 'upbeat', 'dark', 'dreamy'];

/** A deterministic music-like catalog: `genres × perGenre` items with genre, mood, artist and era tags. */
export function musicCatalog(perGenre = 30, genres: readonly string[] = GENRES): Item[] {
  const items: Item[] = [];
  genres.forEach((genre, g) => {
    for (let i = 0; i < perGenre; i++) {
      items.push({
        id: `${genre}-${i}`,
        title: `${genre} song ${i}`,
        tags: [
          `genre:${genre}`,
          `mood:${MOODS[(i + g) % 4]!}`,
          `artist:${genre}-a${i % 6}`,
          `era:${1950 + 10 * ((i * 7 + g) % 7)}s`,
        ],
      });
    }
  });
  return items;
}

export const T0 = Date.UTC(2026, 0, 1);

/** A short history of four listeners over musicCatalog's jazz, rock, folk and soul, every signal once at least. */
export const HISTORY: FeedbackEvent[] = [
  { user: 'ann', item: 'jazz-1', signal: 'up' },
  { user: 'ann', item: 'jazz-2', signal: 'play', context: { hour: 8 } },
  { user: 'bob', item: 'rock-1', signal: 'up' },
  { user: 'bob', item: 'jazz-1', signal: 'down' },
  { user: 'ann', item: 'folk-3', signal: 'skip' },
  { user: 'cat', item: 'jazz-1', signal: 'up' },
  { user: 'cat', item: 'soul-2', signal: 'tired' },
  { user: 'ann', item: 'soul-4', signal: 'purchase' },
  { user: 'dan', item: 'rock-2', signal: 'up' },
  { user: 'dan', item: 'rock-3', signal: 'play', weight: 12 },
];

/** A clock a test moves by hand. */
export function testClock(start = T0): { t: number; now: () => number } {
  const c = { t: start, now: () => c.t };
  return c;
}

/** A small random catalog: ids include awkward ones such as `__proto__`. */
export const catalogArb = fc
  .record({
    size: fc.integer({ min: 3, max: 25 }),
    tagPool: fc.uniqueArray(
      fc.constantFrom(
        'genre:a',
        'genre:b',
        'genre:c',
        'mood:x',
        'mood:y',
        'artist:p',
        'artist:q',
        'era:1',
        'category:z',
      ),
      { minLength: 2 },
    ),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ size, tagPool, seed }): Item[] =>
    Array.from({ length: size }, (_, i) => {
      const tags = tagPool.filter((_, j) => (i * 31 + j * 17 + seed) % 3 !== 0);
      const id = i === 0 ? '__proto__' : i === 1 ? 'constructor' : `item-${i}`;
      return { id, title: `Item ${i}`, tags };
    }),
  );

const signalArb = fc.constantFrom<Signal>('up', 'down', 'tired', 'skip', 'play', 'purchase');

/** Random events over a catalog, by a few users, with increasing times. */
export function eventsArb(
  items: Item[],
  users: readonly string[] = ['ann', 'bob', 'toString'],
): fc.Arbitrary<FeedbackEvent[]> {
  return fc
    .array(
      fc.record({
        user: fc.constantFrom(...users),
        item: fc.constantFrom(...items.map((x) => x.id)),
        signal: signalArb,
        gapMinutes: fc.integer({ min: 0, max: 60 * 24 * 20 }),
        hour: fc.integer({ min: 0, max: 23 }),
      }),
      { maxLength: 30 },
    )
    .map((raw) => {
      let t = T0;
      return raw.map(({ user, item, signal, gapMinutes, hour }) => {
        t += gapMinutes * 60_000;
        return { user, item, signal, at: t, context: { hour } };
      });
    });
}

/**
 * The longest pause, in ms, between two consecutive events of `user` that
 * teach (every signal but `tired`): a person's own clock counts a pause up
 * to DEFAULT_PAUSE_DAYS, so laws that compare two histories of one person
 * hold exactly when neither history pauses longer (Decay.personTime).
 */
export function longestPause(events: readonly FeedbackEvent[], user: string): number {
  const times = events
    .filter((e) => e.user === user && e.signal !== 'tired')
    .map((e) => e.at!)
    .sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return longest;
}
