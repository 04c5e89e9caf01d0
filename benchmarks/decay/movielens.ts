/**
 * Half-life on real timestamps: MovieLens (ml-latest-small) replayed into the
 * recommender as Pandora signals, scored on each user's next ratings.
 *
 * - Items: every movie of movies.csv plus any rated one missing from it; tags
 *   are its genres, `genre:<name>` (lower case, spaces to hyphens; "(no genres
 *   listed)" gives no tag).
 * - Signals: rating ≥ 4 → `up`, rating ≤ 2 → `down`, 2.5–3.5 → `play`
 *   (a watch the user was lukewarm about: a weak positive).
 * - Split: `temporalSplit` with testFraction 0.2 (each user's latest 20 % in
 *   time held out). Training events are fed in time order across users.
 * - Scoring: for each user, `recommend(user, { count: 10, at: splitTime })`
 *   with `exploration: 0`, where splitTime is the time of the user's last
 *   training rating; the training items are left out (the default). Relevant
 *   items: the user's held-out movies rated ≥ 4 (what they liked next);
 *   users without one are skipped. NDCG@10 with `ndcgAtK` / `evaluateRankings`.
 *
 * One recommender per half-life holds every user's training events. Shared
 * popularity is read at the user's split time, so other users' later
 * ratings still count at full weight there (decay never grows evidence);
 * its weight fades as the user's own evidence grows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRecommender } from '../../src/index.js';
import type { FeedbackEvent, Item, Signal } from '../../src/index.js';
import { evaluateRankings, temporalSplit } from '../../src/eval/index.js';
import type { RankingCase } from '../../src/eval/index.js';
import { DAY_MS } from '../../src/decay/decay.js';
import { readRatings, type Rating } from '../movielens/ratings.js';
import { repoRoot } from './report.js';

/** ratings.csv: first CLI argument ending in .csv, else ATTUNE_DECAY_RATINGS, else ATTUNE_RATINGS, else ../shared/data/ml-latest-small. */
export function ratingsPath(argv: readonly string[] = process.argv.slice(2)): string {
  return (
    argv.find((a) => a.endsWith('.csv')) ??
    process.env['ATTUNE_DECAY_RATINGS'] ??
    process.env['ATTUNE_RATINGS'] ??
    resolve(repoRoot, '../shared/data/ml-latest-small/ratings.csv')
  );
}

/** movies.csv beside ratings.csv: movieId,title,genres (titles may be quoted and hold commas). */
export function readMovies(ratingsFile: string): Item[] {
  const path = resolve(dirname(ratingsFile), 'movies.csv');
  if (!existsSync(path)) return [];
  const items: Item[] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (line === '' || line.startsWith('movieId')) continue;
    const first = line.indexOf(',');
    const last = line.lastIndexOf(',');
    if (first < 0 || last <= first) continue;
    const title = line
      .slice(first + 1, last)
      .replace(/^"(.*)"$/, '$1')
      .replace(/""/g, '"');
    const genres = line
      .slice(last + 1)
      .split('|')
      .filter((g) => g !== '' && g !== '(no genres listed)');
    items.push({
      id: line.slice(0, first),
      title,
      tags: genres.map((g) => `genre:${g.toLowerCase().replace(/\s+/g, '-')}`),
    });
  }
  return items;
}

export function signalOf(rating: number): Signal {
  return rating >= 4 ? 'up' : rating <= 2 ? 'down' : 'play';
}

export interface MovieLensData {
  path: string;
  items: Item[];
  train: Rating[];
  test: Rating[];
  /** user → time of their last training rating */
  splitTime: Map<string, number>;
  /** user → held-out movies rated ≥ 4 */
  relevant: Map<string, Set<string>>;
  ratings: number;
  users: number;
}

/** Every movie of movies.csv, plus any rated one missing from it (with no tags). */
export function moviesOf(path: string, ratings: readonly Rating[]): Item[] {
  const items = readMovies(path);
  const known = new Set(items.map((i) => i.id));
  for (const r of ratings) {
    if (known.has(r.item)) continue;
    known.add(r.item);
    items.push({ id: r.item, tags: [] });
  }
  return items;
}

export function loadMovieLens(path = ratingsPath()): MovieLensData {
  const ratings = readRatings(path);
  const items = moviesOf(path, ratings);
  const { train, test } = temporalSplit(ratings, { testFraction: 0.2 });
  train.sort((a, b) => a.at - b.at);
  const splitTime = new Map<string, number>();
  for (const r of train) splitTime.set(r.user, Math.max(splitTime.get(r.user) ?? -Infinity, r.at));
  const relevant = new Map<string, Set<string>>();
  for (const r of test) {
    if (r.rating < 4) continue;
    let set = relevant.get(r.user);
    if (set === undefined) relevant.set(r.user, (set = new Set()));
    set.add(r.item);
  }
  return { path, items, train, test, splitTime, relevant, ratings: ratings.length, users: splitTime.size };
}

export interface HalfLifeResult {
  halfLifeDays: number;
  lifeStages: boolean;
  /** Half-life of plays (emulated when it differs from `halfLifeDays`, which then applies to thumbs). */
  playsHalfLifeDays: number;
  ndcg: number;
  precision: number;
  recall: number;
  users: number;
  /** Users with a detected change of taste. */
  usersWithChange: number;
  seconds: number;
}

/**
 * Per-signal half-lives emulated by weights. The recommender runs with the
 * thumbs' half-life hT; a play of age a (at its user's split time) gets
 * weight 2^(a/hT − a/hP) ≤ 1, so that after the recommender's own decay
 * 2^(−a/hT) it weighs 2^(−a/hP), as if plays had half-life hP. Exact for the
 * decayed evidence each event brings (popularity, the collaborative
 * entries); for the taste model's Newton steps it is close, as a step is
 * nearly linear in a small weight.
 */
export interface PlaysHalfLife {
  halfLifeDays: number;
}

export function evaluateHalfLife(
  data: MovieLensData,
  halfLifeDays: number,
  options: { lifeStages?: boolean; plays?: PlaysHalfLife } = {},
): HalfLifeResult {
  const started = performance.now();
  const lifeStages = options.lifeStages ?? true;
  let now = data.train[data.train.length - 1]?.at ?? 0;
  const recommender = createRecommender({
    items: data.items,
    seed: 42,
    halfLifeDays,
    lifeStages,
    exploration: 0,
    propensitySamples: 1,
    now: () => now,
  });
  const perDay = (days: number) => (Number.isFinite(days) ? 1 / (days * DAY_MS) : 0);
  const playsRate = options.plays === undefined ? 0 : perDay(options.plays.halfLifeDays) - perDay(halfLifeDays);
  if (playsRate < 0) throw new Error('evaluateHalfLife: plays must not last longer than thumbs in this emulation');
  const events: FeedbackEvent[] = data.train.map((r) => {
    const signal = signalOf(r.rating);
    const event: FeedbackEvent = { user: r.user, item: r.item, signal, at: r.at };
    if (playsRate > 0 && signal === 'play') {
      const age = (data.splitTime.get(r.user) as number) - r.at;
      event.weight = Math.max(1e-12, Math.pow(2, -age * playsRate));
    }
    return event;
  });
  for (let i = 0; i < events.length; i += 5000) recommender.feedback(events.slice(i, i + 5000));
  recommender.train();
  const cases: RankingCase[] = [];
  let usersWithChange = 0;
  for (const [user, at] of data.splitTime) {
    const relevant = data.relevant.get(user);
    now = at;
    if (recommender.profile(user).changes.some((c) => c.cause === 'detected')) usersWithChange++;
    if (relevant === undefined) continue;
    const ranked = recommender.recommend(user, { count: 10, at }).map((r) => r.item);
    cases.push({ ranked, relevant });
  }
  const summary = evaluateRankings(cases, { k: 10 });
  return {
    halfLifeDays,
    lifeStages,
    playsHalfLifeDays: options.plays?.halfLifeDays ?? halfLifeDays,
    ndcg: summary.ndcg,
    precision: summary.precision,
    recall: summary.recall,
    users: summary.users,
    usersWithChange,
    seconds: (performance.now() - started) / 1000,
  };
}
