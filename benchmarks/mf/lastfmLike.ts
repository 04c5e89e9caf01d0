/**
 * A generated log in the shape of Last.fm's "top artists" exports (the
 * hetrec-2011 kind): every listener lists their top 50 artists with their
 * play counts — hundreds to hundreds of thousands of plays, a few artists
 * taking most of them — over a Zipf-like artist popularity. Listeners have a
 * hidden taste (rank 8) over artists grouped in genres; an artist's count
 * grows with how much the listener likes it, times a heavy-tailed appetite.
 * Seeded: the same seed gives the same log.
 */
import type { Item } from '../../src/index.js';
import { createRng } from '../../src/random/rng.js';

export interface CountedPlay {
  user: string;
  item: string;
  count: number;
  at: number;
}

export interface PlayCountLog {
  items: Item[];
  plays: CountedPlay[];
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

export interface LastfmShape {
  listeners: number;
  artists: number;
  genres: number;
  /** Artists each listener lists (their top N). */
  top: number;
}

export const LASTFM_SHAPE: LastfmShape = { listeners: 1500, artists: 6000, genres: 20, top: 50 };

export function generateLastfmLike(seed: number, shape: LastfmShape = LASTFM_SHAPE): PlayCountLog {
  const rank = 8;
  const rng = createRng(seed, 'lastfm-like');
  const genreTaste = Array.from({ length: shape.genres }, () => Array.from({ length: rank }, () => rng.normal()));
  const artistVectors = Array.from({ length: shape.artists }, (_, a) =>
    genreTaste[a % shape.genres]!.map((g) => g + 0.7 * rng.normal()),
  );
  const logPopularity = Array.from(
    { length: shape.artists },
    (_, a) => -0.9 * Math.log(1 + ((a * 7919) % shape.artists)),
  );
  const items: Item[] = Array.from({ length: shape.artists }, (_, a) => ({
    id: `a${a}`,
    title: `Artist ${a}`,
    tags: [`genre:g${a % shape.genres}`],
  }));
  const plays: CountedPlay[] = [];
  for (let u = 0; u < shape.listeners; u++) {
    const taste = Array.from({ length: rank }, () => rng.normal());
    // Median count about 250 plays, a heavy tail of devoted listeners (hundreds of thousands, capped at 10^6).
    const appetite = Math.exp(Math.log(60) + 0.9 * rng.normal());
    const keyed = artistVectors.map((v, a) => {
      const affinity = v.reduce((sum, x, f) => sum + x * taste[f]!, 0) / Math.sqrt(rank);
      const gumbel = -Math.log(-Math.log(Math.max(rng.next(), 1e-12)));
      return { a, affinity, key: 1.5 * affinity + logPopularity[a]! + gumbel };
    });
    keyed.sort((x, y) => y.key - x.key);
    for (const { a, affinity } of keyed.slice(0, shape.top)) {
      const count = Math.min(1e6, Math.max(1, Math.round(appetite * Math.exp(0.8 * affinity + 0.9 * rng.normal()))));
      plays.push({ user: `u${u}`, item: `a${a}`, count, at: T0 + Math.floor(rng.next() * 30 * DAY) });
    }
  }
  return { items, plays };
}
