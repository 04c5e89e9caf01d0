/**
 * Reads MovieLens `ratings.csv` (userId,movieId,rating,timestamp; a header
 * line is optional). The path comes from the first CLI argument, then the
 * ATTUNE_RATINGS environment variable, then ../shared/data/ml-latest-small.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeedbackEvent } from '../../src/index.js';
import { repoRoot, requireRatings } from '../common/readme.js';

export interface Rating {
  user: string;
  item: string;
  rating: number;
  /** Milliseconds since epoch. */
  at: number;
}

/** Where to read ratings from (see the file comment). */
export function ratingsPath(argv: readonly string[] = process.argv.slice(2)): string {
  const fromArg = argv.find((a) => a.endsWith('.csv'));
  return fromArg ?? process.env['ATTUNE_RATINGS'] ?? resolve(repoRoot, '../shared/data/ml-latest-small/ratings.csv');
}

/** Reads ratings.csv; a missing file stops the run with directions to the data (see `requireRatings`). */
export function readRatings(path: string): Rating[] {
  requireRatings(path);
  const out: Rating[] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (line === '' || line.startsWith('userId')) continue;
    const [user, item, rating, seconds] = line.split(',');
    if (user === undefined || item === undefined) continue;
    out.push({ user, item, rating: Number(rating), at: Number(seconds) * 1000 });
  }
  return out;
}

/** Dense ids: first-seen order, so the mapping is deterministic for a file. */
export class IdIndex {
  readonly ids: string[] = [];
  private readonly map = new Map<string, number>();

  index(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.map.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  get(id: string): number | undefined {
    return this.map.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/** Ratings as feedback at their own times: ≥ 3.5 stars `up`, ≤ 2 `down`, else `play` (the persistence and server benchmarks). */
export function ratingsAsFeedback(ratings: readonly Rating[]): FeedbackEvent[] {
  return ratings.map((r) => ({
    user: r.user,
    item: r.item,
    signal: r.rating >= 3.5 ? 'up' : r.rating <= 2 ? 'down' : 'play',
    at: r.at,
  }));
}
