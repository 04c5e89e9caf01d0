/**
 * The `itemNoun` option: reasons count the items by the app's word ("21
 * other movies you liked"), songs by default; a snapshot keeps the word
 * (and a default recommender's snapshot is as before: no new field).
 */
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender, type ItemNoun } from '../../src/index.js';
import { musicCatalog, T0 } from '../__helpers__/catalog.js';

/** Counted items in collaborative reasons: untagged items, so the collaborative part leads. */
function countedLabels(itemNoun?: ItemNoun): { labels: string[]; snapshot: string } {
  const items = musicCatalog(10).map((i) => ({ id: i.id, title: i.title! }));
  const rec = createRecommender({
    items,
    seed: 3,
    now: () => T0 + 1e9,
    exploration: 0,
    collaborative: { factors: 8, iterations: 5 },
    ...(itemNoun !== undefined ? { itemNoun } : {}),
  });
  rec.feedback(
    Array.from({ length: 40 * 24 }, (_, n) => {
      const u = Math.floor(n / 24);
      return {
        user: `u${u}`,
        item: items[(u % 4) * 25 + (((n % 24) * 7 + u) % 25)]!.id,
        signal: 'up' as const,
        at: T0 + n,
      };
    }),
  );
  rec.train();
  const back = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())));
  const labels = Array.from({ length: 40 }, (_, u) => back.recommend(`u${u}`, { count: 10 })).flatMap((list) =>
    list.flatMap((r) =>
      r.reason.evidence.filter((e) => e.id === 'other-items').map((e) => `${e.label} | ${r.reason.text}`),
    ),
  );
  return { labels, snapshot: JSON.stringify(rec.snapshot().options) };
}

describe('itemNoun', () => {
  it('names the counted items in reasons, after a snapshot too', () => {
    const movies = countedLabels({ one: 'movie', many: 'movies' });
    expect(movies.labels.length).toBeGreaterThan(0);
    for (const label of movies.labels) {
      expect(label).toMatch(/\d+ other movies? you liked/);
      expect(label.split(' | ')[0]).not.toMatch(/song/);
    }
    expect(movies.snapshot).toContain('"itemNoun":{"one":"movie","many":"movies"}');
  });

  it('says songs by default, and a default snapshot holds no itemNoun', () => {
    const songs = countedLabels();
    expect(songs.labels.length).toBeGreaterThan(0);
    for (const label of songs.labels) expect(label).toMatch(/\d+ other songs? you liked/);
    expect(songs.snapshot).not.toContain('itemNoun');
  });

  it('refuses a noun that is not { one, many } of short words', () => {
    for (const itemNoun of [{ one: 'movie' }, { one: '', many: 'x' }, { one: 'a', many: 'b', c: 'd' }, 'movies', null])
      expect(() => createRecommender({ itemNoun: itemNoun as ItemNoun })).toThrow(AttuneError);
  });
});
