import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index.js';
import type { FeedbackEvent, Item } from '../../src/types.js';
import { T0 } from '../__helpers__/catalog.js';

/**
 * Two taste groups over items whose tags say nothing, so that the reasons of a trained
 * recommender's lists are collaborative; one listener's liked items include one turned down
 * since, one resting, one needing consent, and recent plays not yet quotable.
 */
function world() {
  const items: Item[] = Array.from({ length: 40 }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    tags: ['kind:song'],
    ...(i === 4 ? { sensitive: ['explicit'] } : {}),
  }));
  const events: FeedbackEvent[] = [];
  let t = T0;
  for (let u = 0; u < 30; u++) {
    const group = u % 2;
    for (let k = 0; k < 8; k++) {
      const item = group * 20 + ((u * 7 + k * 3) % 20);
      events.push({ user: `u${u}`, item: `i${item}`, signal: 'up', at: (t += 60_000) });
    }
  }
  for (const i of [0, 1, 2, 3, 4, 5, 6]) events.push({ user: 'ann', item: `i${i}`, signal: 'up', at: (t += 60_000) });
  events.push({ user: 'ann', item: 'i1', signal: 'down', at: (t += 60_000) });
  events.push({ user: 'ann', item: 'i2', signal: 'tired', at: (t += 60_000) });
  for (const i of [7, 8]) events.push({ user: 'ann', item: `i${i}`, signal: 'play', at: (t += 60_000) });
  return { items, events, at: t + 60_000 };
}

describe('collaborative reasons of a list', () => {
  it('are the reasons explain gives item by item (what a list judges once per request, explain judges alone)', () => {
    const { items, events, at } = world();
    for (const exploration of [undefined, 0]) {
      const rec = createRecommender({
        items,
        seed: 3,
        now: () => at,
        collaborative: { regularization: 1 },
        ...(exploration === undefined ? {} : { exploration }),
      });
      rec.feedback(events);
      rec.train();
      const list = rec.recommend('ann', { count: 12, at });
      const exploited = list.filter((r) => !r.explored);
      const collaborative = exploited.filter((r) => r.reason.kind === 'collaborative');
      expect(collaborative.length).toBeGreaterThan(2);
      for (const r of exploited) expect(rec.explain('ann', r.item, { at })).toEqual(r.reason);
      // never named: turned down (i1), resting (i2), no consent (i4), plays inside the quoting delay (i7, i8)
      const named = collaborative.flatMap((r) => r.reason.evidence.filter((e) => e.type === 'item').map((e) => e.id));
      expect(named.length).toBeGreaterThan(0);
      for (const id of ['i1', 'i2', 'i4', 'i7', 'i8']) expect(named).not.toContain(id);
    }
  });
});
