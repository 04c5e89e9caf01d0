import { describe, expect, it } from 'vitest';
import { createListener } from '../src/eval/index.js';
import { createRecommender } from '../src/index.js';
import type { Recommendation } from '../src/types.js';
import { T0, musicCatalog } from './__helpers__/catalog.js';

const DAY = 86_400_000;
const items = musicCatalog(30);
const byId = new Map(items.map((x) => [x.id, x]));
const has = (tag: string) => (r: Recommendation) => byId.get(r.item)!.tags!.includes(tag);
const share = (lists: Recommendation[][], tag: string) => {
  const all = lists.flat();
  return all.filter(has(tag)).length / all.length;
};

/**
 * One listener, two stations with different tastes: "Evening" (seeded on
 * mellow songs) where she likes jazz, "Gym" (seeded on upbeat songs) where
 * she likes rock. Each station should converge to its own taste without
 * taking on the other's.
 */
function simulate(seed: number, days: number, tiredAfter: number, stations = true) {
  let now = T0;
  const rec = createRecommender({ items, seed, now: () => now });
  rec.createStation('ann', { id: 'evening', name: 'Evening', seeds: [{ tag: 'mood:mellow' }] });
  rec.createStation('ann', { id: 'gym', name: 'Gym', seeds: [{ tag: 'mood:upbeat' }] });
  const listeners = {
    evening: createListener({
      id: 'ann',
      seed: seed * 2 + 1,
      catalog: items,
      taste: { 'genre:jazz': 0.9 },
      tiredAfter,
    }),
    gym: createListener({ id: 'ann', seed: seed * 2 + 2, catalog: items, taste: { 'genre:rock': 0.9 }, tiredAfter }),
  };
  const lists: Record<'evening' | 'gym', Recommendation[][]> = { evening: [], gym: [] };
  for (let day = 0; day < days; day++) {
    for (const station of ['evening', 'gym'] as const) {
      now += DAY / 2;
      const list = rec.recommend('ann', { count: 10, includeSeen: true, ...(stations ? { station } : {}) });
      lists[station].push(list);
      rec.feedback(
        listeners[station]
          .react(
            list.map((r) => r.item),
            { at: now },
          )
          .map((e) => (stations ? { ...e, station } : e)),
      );
    }
  }
  return lists;
}

function sharesOf(tiredAfter: number, stations = true) {
  const runs = [1, 2, 3, 4, 5].map((s) => simulate(s, 30, tiredAfter, stations));
  const first = (station: 'evening' | 'gym') => runs.map((r) => r[station].slice(0, 3));
  const last = (station: 'evening' | 'gym') => runs.map((r) => r[station].slice(-5));
  return {
    eveningJazzStart: share(first('evening').flat(), 'genre:jazz'),
    eveningJazzEnd: share(last('evening').flat(), 'genre:jazz'),
    eveningRockEnd: share(last('evening').flat(), 'genre:rock'),
    eveningMellowEnd: share(last('evening').flat(), 'mood:mellow'),
    gymRockStart: share(first('gym').flat(), 'genre:rock'),
    gymRockEnd: share(last('gym').flat(), 'genre:rock'),
    gymJazzEnd: share(last('gym').flat(), 'genre:jazz'),
    gymUpbeatEnd: share(last('gym').flat(), 'mood:upbeat'),
  };
}

/**
 * The most songs of `genre` a list of 10 on a station seeded on `mood` can
 * hold: the station plays its mood (the seeds lead), at most 2 songs of an
 * artist and 7 of a genre.
 */
function ceiling(genre: string, mood: string): number {
  const songs = items.filter((x) => x.tags!.includes(genre) && x.tags!.includes(mood));
  const artists = new Set(songs.map((x) => x.tags!.find((t) => t.startsWith('artist:'))));
  return Math.min(7, songs.length, 2 * artists.size) / 10;
}
const JAZZ_CEILING = ceiling('genre:jazz', 'mood:mellow');
const ROCK_CEILING = ceiling('genre:rock', 'mood:upbeat');

const report = (what: string, s: Record<string, number>) =>
  console.log(
    `two-station simulation, ${what} (5 seeds, 30 days, lists of 10; first 3 vs last 5 lists): ${Object.entries(s)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ')}`,
  );

// The listener replays every day, so by default she tires of her favourites (5 likes a week) and they rest
// 30 days; learning is measured without that (tiredAfter 1000), and leaking with it too.
describe('two stations, two tastes (seeded simulation)', () => {
  const shares = sharesOf(1000);
  report('no tiredness', shares);

  it('each station converges to its own taste, within its seeds', () => {
    // 8 mellow jazz songs by 3 artists (and as many upbeat rock songs): 6 of a list of 10 at most.
    expect(JAZZ_CEILING).toBe(0.6);
    expect(ROCK_CEILING).toBe(0.6);
    expect(shares.eveningJazzEnd).toBeGreaterThanOrEqual(0.95 * JAZZ_CEILING);
    expect(shares.gymRockEnd).toBeGreaterThanOrEqual(0.95 * ROCK_CEILING);
    expect(shares.eveningJazzEnd).toBeGreaterThan(shares.eveningJazzStart + 0.1);
    expect(shares.gymRockEnd).toBeGreaterThan(shares.gymRockStart + 0.1);
  });

  it('neither leaks into the other', () => {
    expect(shares.eveningRockEnd).toBeLessThan(0.1);
    expect(shares.gymJazzEnd).toBeLessThan(0.1);
  });

  it('each stays with its seeds', () => {
    expect(shares.eveningMellowEnd).toBeGreaterThan(0.9);
    expect(shares.gymUpbeatEnd).toBeGreaterThan(0.9);
  });

  it('without stations, one list mixes both tastes (the baseline)', () => {
    const mixed = sharesOf(1000, false);
    report('baseline: the same listener on one stationless list', mixed);
    expect(mixed.eveningRockEnd).toBeGreaterThan(shares.eveningRockEnd + 0.1);
  });

  it('with a listener who tires of favourites, neither leaks either', () => {
    // Her few favourites within the seeds rest 30 days once she tires of them, so the share of her
    // genre falls back; the station stays with its seeds and does not take on the other's taste.
    const tired = sharesOf(5);
    report('tiring of favourites', tired);
    expect(tired.eveningMellowEnd).toBeGreaterThan(0.5);
    expect(tired.gymUpbeatEnd).toBeGreaterThan(0.5);
    expect(tired.eveningRockEnd).toBeLessThan(0.1);
    expect(tired.gymJazzEnd).toBeLessThan(0.1);
  });
});
