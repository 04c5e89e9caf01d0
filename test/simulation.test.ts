import { describe, expect, it } from 'vitest';
import { createRecommender } from '../src/index.js';
import { GENRES, T0, musicCatalog } from './__helpers__/catalog.js';

describe('seeded simulation: five thumbs-up on one genre', () => {
  it('fills at least half of the next top-10 with that genre', () => {
    const seeds = Array.from({ length: 20 }, (_, i) => 1000 + i);
    console.log(`[simulation] seeds ${seeds[0]}..${seeds[seeds.length - 1]}`);
    const shares: number[] = [];
    for (const seed of seeds) {
      const clock = { t: T0 };
      const rec = createRecommender({ items: musicCatalog(30), seed, now: () => clock.t });
      const genre = GENRES[seed % GENRES.length]!;
      // a listener samples five songs of the genre and likes them
      for (let i = 0; i < 5; i++) {
        clock.t += 3 * 60_000;
        rec.feedback({ user: 'listener', item: `${genre}-${(i * 7 + seed) % 30}`, signal: 'up' });
      }
      const list = rec.recommend('listener', { count: 10 });
      const share = list.filter((r) => r.item.startsWith(`${genre}-`)).length / list.length;
      shares.push(share);
      if (share < 0.5) console.log(`[simulation] seed ${seed}: share ${share}`);
      expect(share, `seed ${seed}`).toBeGreaterThanOrEqual(0.5);
    }
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    console.log(
      `[simulation] mean share of the liked genre in the next top-10: ${mean.toFixed(2)} (min ${Math.min(...shares)})`,
    );
  });
});
