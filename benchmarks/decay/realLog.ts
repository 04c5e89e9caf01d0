/**
 * The real-log benchmark, served at one clock: MovieLens (ml-latest-small)
 * as a product would see it — every rating a `play` at its real time, fed
 * through the public API, `train()`, and every person's list asked for at
 * the same instant, the way a service serves everyone at once.
 *
 * Two splits:
 * - random: a seeded random 20 % of each person's pairs held out
 *   (`randomSplit`), the rest fed as plays; lists served at the log's last
 *   event + 1 s. Most MovieLens people rated everything within an hour and
 *   then left, years before that clock: the split asks whether a person who
 *   has been away keeps their taste.
 * - time: train on everything before a date, test on what each person did
 *   on or after it (people active on both sides), lists served at that date.
 *
 * Relevant items: every held-out pair (every rating is a positive, as in
 * benchmarks/movielens); a person's training items are left out of their
 * list (the default). NDCG@10 and recall@10 over people with a held-out pair.
 * The popularity baseline ranks items by how many people played them in
 * training, leaving each person's own items out.
 */
import { createRecommender, type Item, type RecommenderOptions } from '../../src/index.js';
import { evaluateRankings, randomSplit, type RankingCase } from '../../src/eval/index.js';
import { readRatings, type Rating } from '../movielens/ratings.js';
import { moviesOf, ratingsPath } from './movielens.js';

/** One split of the log: what is fed, when it is served, and what each person did next. */
export interface ServedCase {
  name: string;
  /** Training ratings in time order. */
  train: Rating[];
  /** person → held-out items */
  relevant: Map<string, Set<string>>;
  /** The one clock every list is served at (ms). */
  servedAt: number;
}

export interface RealLog {
  path: string;
  items: Item[];
  ratings: Rating[];
  /** The log's last event (ms). */
  lastAt: number;
}

export interface ServedResult {
  ndcg: number;
  recall: number;
  users: number;
  seconds: number;
}

/** Reads ratings.csv and movies.csv (genres as `genre:…` tags; rated movies missing from movies.csv get no tags). */
export function loadRealLog(path = ratingsPath()): RealLog {
  const ratings = readRatings(path);
  const items = moviesOf(path, ratings);
  let lastAt = -Infinity;
  for (const r of ratings) lastAt = Math.max(lastAt, r.at);
  return { path, items, ratings, lastAt };
}

function groupItems(ratings: readonly Rating[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of ratings) {
    let set = out.get(r.user);
    if (set === undefined) out.set(r.user, (set = new Set()));
    set.add(r.item);
  }
  return out;
}

/** Split (a): a seeded random 20 % of each person's pairs held out, served at the log's last event + 1 s. */
export function randomServedCase(log: RealLog, seed: number): ServedCase {
  const { train, test } = randomSplit(log.ratings, { testFraction: 0.2, seed });
  return {
    name: `random 80/20 (seed ${seed})`,
    train: [...train].sort((a, b) => a.at - b.at),
    relevant: groupItems(test),
    servedAt: log.lastAt + 1000,
  };
}

/**
 * Split (b): everything before `date` is fed; each person who has events on
 * both sides is tested on the items of their events on or after it (items
 * they had already played before are not new to them and are left out); served at `date`.
 */
export function timeServedCase(log: RealLog, date: number): ServedCase {
  const train = log.ratings.filter((r) => r.at < date).sort((a, b) => a.at - b.at);
  const before = groupItems(train);
  const after = groupItems(log.ratings.filter((r) => r.at >= date));
  const relevant = new Map<string, Set<string>>();
  for (const [user, items] of after) {
    const seen = before.get(user);
    if (seen === undefined) continue;
    const fresh = new Set([...items].filter((i) => !seen.has(i)));
    if (fresh.size > 0) relevant.set(user, fresh);
  }
  return { name: `time split at ${new Date(date).toISOString().slice(0, 10)}`, train, relevant, servedAt: date };
}

/** The whole recommender through its public API, every list served at `c.servedAt`. */
export function evaluateServed(
  log: RealLog,
  c: ServedCase,
  options: RecommenderOptions = {},
  signal: 'play' | 'up' = 'play',
): ServedResult {
  const started = performance.now();
  const rec = createRecommender({
    items: log.items,
    seed: 42,
    exploration: 0,
    propensitySamples: 1,
    now: () => c.servedAt,
    ...options,
  });
  const events = c.train.map((r) => ({ user: r.user, item: r.item, signal, at: r.at }));
  for (let i = 0; i < events.length; i += 5000) rec.feedback(events.slice(i, i + 5000));
  rec.train();
  const cases: RankingCase[] = [...c.relevant].map(([user, relevant]) => ({
    ranked: rec.recommend(user, { count: 10, at: c.servedAt }).map((r) => r.item),
    relevant,
  }));
  return summarise(cases, started);
}

/** Most played items in training, each person's own items left out. */
export function evaluatePopularity(c: ServedCase): ServedResult {
  const started = performance.now();
  const counts = new Map<string, number>();
  for (const r of c.train) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
  const order = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([item]) => item);
  const seen = groupItems(c.train);
  const cases: RankingCase[] = [...c.relevant].map(([user, relevant]) => {
    const own = seen.get(user);
    const ranked: string[] = [];
    for (const item of order) {
      if (ranked.length === 10) break;
      if (own?.has(item) !== true) ranked.push(item);
    }
    return { ranked, relevant };
  });
  return summarise(cases, started);
}

function summarise(cases: RankingCase[], started: number): ServedResult {
  const s = evaluateRankings(cases, { k: 10 });
  return { ndcg: s.ndcg, recall: s.recall, users: s.users, seconds: (performance.now() - started) / 1000 };
}
