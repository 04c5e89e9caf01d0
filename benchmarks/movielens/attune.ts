/**
 * The whole recommender on MovieLens, through its public API: every training
 * rating becomes an `up` at its own time, `train()` fits the collaborative
 * model, and each user's list is asked for at the time of their last
 * training rating (their own clock), with exploration off. Items are tagged
 * with their genres and decade from movies.csv.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRecommender, type Item, type RecommenderOptions } from '../../src/index.js';
import { evaluateRankings, type RankingSummary } from '../../src/eval/metrics.js';
import type { Rating } from './ratings.js';

/** Movies as attune items: `genre:…` tags and an `era:` decade tag. */
export function readMovies(ratingsPath: string, itemIds: Iterable<string>): Item[] {
  const byId = new Map<string, Item>();
  const moviesPath = join(dirname(ratingsPath), 'movies.csv');
  for (const line of readFileSync(moviesPath, 'utf8').split(/\r?\n/)) {
    const match = /^(\d+),("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(line);
    if (match === null) continue;
    const [, id, rawTitle, genres] = match as unknown as [string, string, string, string];
    const title = rawTitle.startsWith('"') ? rawTitle.slice(1, -1).replace(/""/g, '"') : rawTitle;
    const year = /\((\d{4})\)\s*$/.exec(title)?.[1];
    const tags =
      genres === '(no genres listed)'
        ? []
        : genres.split('|').map((g) => `genre:${g.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
    if (year !== undefined) tags.push(`era:${year.slice(0, 3)}0s`);
    byId.set(id, { id, title, tags });
  }
  return [...new Set(itemIds)].map((id) => byId.get(id) ?? { id });
}

/** NDCG@10 & co. of the full recommender trained on `train`, tested on `test`. */
export function evaluateAttune(
  ratingsPath: string,
  train: readonly Rating[],
  test: readonly Rating[],
  options: RecommenderOptions = {},
): { summary: RankingSummary; seconds: number } {
  const started = performance.now();
  const items = readMovies(
    ratingsPath,
    [...train, ...test].map((r) => r.item),
  );
  const sorted = [...train].sort((a, b) => a.at - b.at);
  const now = sorted[sorted.length - 1]?.at ?? 0;
  const rec = createRecommender({ items, seed: 42, exploration: 0, now: () => now, ...options });
  rec.feedback(sorted.map((r) => ({ user: r.user, item: r.item, signal: 'up' as const, at: r.at })));
  rec.train();
  const lastAt = new Map<string, number>();
  for (const r of sorted) lastAt.set(r.user, r.at);
  const relevant = new Map<string, Set<string>>();
  for (const r of test) {
    if (!relevant.has(r.user)) relevant.set(r.user, new Set());
    relevant.get(r.user)!.add(r.item);
  }
  const cases = [...relevant].map(([user, rel]) => ({
    ranked: rec.recommend(user, { count: 10, at: lastAt.get(user) ?? now }).map((r) => r.item),
    relevant: rel,
  }));
  return { summary: evaluateRankings(cases, { k: 10 }), seconds: (performance.now() - started) / 1000 };
}
