import type { Recommender } from '../../src/index.js';

/** Every item's score for `user` (seen ones too), to 9 places, by item id: what "served the same" means. */
export function servedScores(rec: Recommender, user: string | undefined): [string, number][] {
  return rec
    .recommend(user, { count: 1000, includeSeen: true })
    .map((r) => [r.item, Number(r.score.toFixed(9))] as [string, number])
    .sort((a, b) => a[0].localeCompare(b[0]));
}
