/** An event's weight scales what it teaches: one play of weight 3 teaches like three plays at the same moment. */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const items = musicCatalog(4, ['jazz', 'rock']);

function world() {
  return createRecommender({ items, seed: 5, exploration: 0, lifeStages: false, now: () => T0 + 3_600_000 });
}

function scores(rec: Recommender): Map<string, number> {
  return new Map(rec.recommend('ann', { count: 1000, includeSeen: true }).map((r) => [r.item, r.score]));
}

describe('event weights', () => {
  it('a weight of 3 teaches like three events, and differs from one', () => {
    const weighted = world();
    const three = world();
    const one = world();
    weighted.feedback({ user: 'ann', item: 'jazz-0', signal: 'play', at: T0, weight: 3 });
    for (let i = 0; i < 3; i++) three.feedback({ user: 'ann', item: 'jazz-0', signal: 'play', at: T0 });
    one.feedback({ user: 'ann', item: 'jazz-0', signal: 'play', at: T0 });
    const w = scores(weighted);
    const t = scores(three);
    for (const [item, s] of w) expect(s, item).toBeCloseTo(t.get(item)!, 12);
    expect(w.get('jazz-1')).toBeGreaterThan(scores(one).get('jazz-1')!);
  });
});
