/**
 * The worlds of the station benchmark, built through the public API only
 * (so the same benchmark measures any version of attune):
 *
 * - the issue's setup: 10 genres × 20 songs tagged genre, mood (four moods,
 *   each on a quarter of the catalog), artist (six per genre) and era (one
 *   per genre, shared by two genres for three of them), and a crowd of 40
 *   listeners who used plain lists for 15 days (popularity, a trained
 *   collaborative model);
 * - a generated world (attune/eval's generateCatalog: 8 genres × 25 songs,
 *   moods shared between neighbouring genres, eras by artist) where each of
 *   30 listeners has three stations with a taste of their own.
 */
import { createRecommender, type Item, type Recommender } from '../../src/index.js';
import { createListener, type Taste } from '../../src/eval/index.js';
import { createRng, type Rng } from '../../src/random/rng.js';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);
export const GENRES = 10;
const PER_GENRE = 20;
const MOODS = ['mellow', 'upbeat', 'dark', 'dreamy'] as const;

/** The issue's catalog: `g{genre}-{i}`, tags genre, mood, artist, era. */
export function issueCatalog(): Item[] {
  const items: Item[] = [];
  for (let g = 0; g < GENRES; g++) {
    for (let i = 0; i < PER_GENRE; i++) {
      items.push({
        id: `g${g}-${i}`,
        title: `g${g} song ${i}`,
        tags: [
          `genre:g${g}`,
          `mood:${MOODS[(i + g) % 4]!}`,
          `artist:g${g}-a${i % 6}`,
          `era:${1950 + 10 * ((i * 7 + g) % 7)}s`,
        ],
      });
    }
  }
  return items;
}

/** A random taste over the catalog's tags of the given facets. */
function randomTaste(rng: Rng, items: readonly Item[]): Taste {
  const genres = [...new Set(items.flatMap((x) => x.tags!.filter((t) => t.startsWith('genre:'))))];
  const moods = [...new Set(items.flatMap((x) => x.tags!.filter((t) => t.startsWith('mood:'))))];
  return {
    [genres[rng.int(genres.length)]!]: 0.6,
    [genres[rng.int(genres.length)]!]: 0.4,
    [moods[rng.int(moods.length)]!]: 0.3,
  };
}

/**
 * A recommender over `items` with a crowd: `people` listeners with random
 * tastes, one plain list of 10 a day for `days` days, then train().
 * Returns the recommender, its clock, and the time after the crowd.
 */
export function crowdWorld(
  items: Item[],
  seed: number,
  people = 40,
  days = 15,
): { rec: Recommender; clock: { t: number } } {
  const clock = { t: T0 };
  const rec = createRecommender({ items, seed, now: () => clock.t });
  const rng = createRng(seed, 'station-bench-crowd');
  const crowd = Array.from({ length: people }, (_, k) =>
    createListener({ id: `crowd-${k}`, seed: seed * 1000 + k, catalog: items, taste: randomTaste(rng, items) }),
  );
  for (let day = 0; day < days; day++) {
    clock.t += DAY;
    for (const listener of crowd) {
      const list = rec.recommend(listener.id, { count: 10 }).map((r) => r.item);
      rec.feedback(listener.react(list, { at: clock.t }));
    }
  }
  clock.t += DAY;
  rec.train();
  return { rec, clock };
}
