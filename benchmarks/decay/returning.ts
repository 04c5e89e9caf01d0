/**
 * A returning listener, in miniature (issue 29), through the public API:
 * among 40 other listeners, Ann gives 30 ups to jazz over a month; then she
 * is silent for a year while the others go on listening; then she gives one
 * up to a rock song. The others have a favourite genre each and go on
 * listening all year, mostly to the few songs at the head of their genre. Her list's share of jazz (top 10, exploration off) is
 * read after the month, after the silent year, and after the rock up.
 * `train()` runs after the month and again at the end of the year, as a
 * product would retrain. Seeded catalogs and listeners (seeds 1–5).
 */
import { createRecommender, type FeedbackEvent, type RecommenderOptions } from '../../src/index.js';
import { generateCatalog } from '../../src/eval/index.js';
import { DAY_MS } from '../../src/decay/decay.js';
import { createRng } from '../../src/random/rng.js';

export interface ReturningResult {
  /** Jazz share of Ann's top 10 right after her month of ups. */
  afterMonth: number;
  /** The same after a silent year. */
  afterYear: number;
  /** After one rock up at the end of the year. */
  afterRockUp: number;
}

const T0 = Date.UTC(2024, 0, 1, 20);
const OTHERS = 40;

export function returningListener(seed: number, options: RecommenderOptions = {}, train = true): ReturningResult {
  const items = generateCatalog({ seed, genres: 8, itemsPerGenre: 60, artistsPerGenre: 8 });
  const genreOf = (id: string) => items.find((i) => i.id === id)!.tags!.find((t) => t.startsWith('genre:'))!;
  const byGenre = new Map<string, string[]>();
  for (const item of items) {
    const g = genreOf(item.id);
    byGenre.set(g, [...(byGenre.get(g) ?? []), item.id]);
  }
  const genres = [...byGenre.keys()];
  const jazz = 'genre:jazz';
  const rock = 'genre:rock';
  const rng = createRng(seed, 'returning');
  // Zipf-like: a few songs of each genre take most of its plays (a real chart has a head).
  const pick = (list: readonly string[]) => list[Math.floor(list.length * Math.pow(rng.next(), 3))]!;
  let now = T0;
  const rec = createRecommender({ items, seed, exploration: 0, propensitySamples: 1, now: () => now, ...options });
  const events: FeedbackEvent[] = [];
  // The others: a favourite genre each, an up every other day in Ann's month and every sixth day for the year after.
  for (let u = 0; u < OTHERS; u++) {
    const favourite = genres[u % genres.length]!;
    for (let k = 0; k < 75; k++) {
      const at = k < 15 ? T0 + k * 2 * DAY_MS + u * 60_000 : T0 + 30 * DAY_MS + (k - 15) * 6 * DAY_MS + u * 60_000;
      events.push({ user: `listener-${u}`, item: pick(byGenre.get(favourite)!), signal: 'up', at });
    }
  }
  for (let d = 0; d < 30; d++)
    events.push({ user: 'ann', item: byGenre.get(jazz)![d % 30]!, signal: 'up', at: T0 + d * DAY_MS + 3_600_000 });
  events.sort((a, b) => a.at! - b.at!);
  const share = () => rec.recommend('ann', { count: 10 }).filter((r) => genreOf(r.item) === jazz).length / 10;
  const monthEnd = T0 + 30 * DAY_MS;
  now = monthEnd;
  rec.feedback(events.filter((e) => e.at! <= monthEnd));
  if (train) rec.train();
  const afterMonth = share();
  now = monthEnd + 365 * DAY_MS;
  rec.feedback(events.filter((e) => e.at! > monthEnd && e.at! <= now));
  if (train) rec.train();
  const afterYear = share();
  rec.feedback({ user: 'ann', item: byGenre.get(rock)![0]!, signal: 'up', at: now });
  const afterRockUp = share();
  return { afterMonth, afterYear, afterRockUp };
}

export const RETURNING_SEEDS = [1, 2, 3, 4, 5];

/** Means over {@link RETURNING_SEEDS}. */
export function returningMeans(options: RecommenderOptions = {}, train = true): ReturningResult {
  const runs = RETURNING_SEEDS.map((s) => returningListener(s, options, train));
  const mean = (key: keyof ReturningResult) => runs.reduce((s, r) => s + r[key], 0) / runs.length;
  return { afterMonth: mean('afterMonth'), afterYear: mean('afterYear'), afterRockUp: mean('afterRockUp') };
}

if (process.argv[1]?.endsWith('returning.ts')) {
  for (const [name, options] of [
    ['defaults', {}],
    ['halfLifeDays: Infinity', { halfLifeDays: Infinity }],
  ] as const) {
    for (const train of [false, true]) {
      const r = returningMeans(options, train);
      console.log(
        `${name}, ${train ? 'trained' : 'never trained'}: jazz share after the month ${r.afterMonth.toFixed(2)}, after a silent year ${r.afterYear.toFixed(2)}, after one rock up ${r.afterRockUp.toFixed(2)}`,
      );
    }
  }
}
