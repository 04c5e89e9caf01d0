import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/recommender.js';
import { scopeEntries } from '../../src/people/entries.js';
import { Decay } from '../../src/decay/decay.js';
import type { PeopleStore } from '../../src/people/store.js';
import { musicCatalog, T0 } from '../__helpers__/catalog.js';

describe('scopeEntries', () => {
  it('a turned-down item is a known zero with the same confidence, however often it was played or liked', () => {
    const rec = createRecommender({ items: musicCatalog(4), seed: 1, now: () => T0 + 10_000 });
    const plays = Array.from({ length: 20 }, (_, k) => ({
      user: 'ann',
      item: 'jazz-0',
      signal: 'play' as const,
      at: T0 + k,
    }));
    rec.feedback([
      ...plays,
      { user: 'ann', item: 'jazz-0', signal: 'down', at: T0 + 100 },
      { user: 'ann', item: 'jazz-0', signal: 'up', at: T0 + 200 },
      { user: 'ann', item: 'jazz-1', signal: 'up', at: T0 + 300 },
    ]);
    const ann = (rec as unknown as { world: { people: PeopleStore } }).world.people.get('ann')!;
    const entries = scopeEntries(ann, new Decay(90 * 86_400_000));
    expect(Array.from(entries.items)).toEqual([0, 1]);
    expect(Array.from(entries.preference)).toEqual([0, 1]);
    expect(entries.confidence[0]).toBeGreaterThan(1);
    rec.removeFeedback('ann', 'jazz-0');
    expect(Array.from(scopeEntries(ann, new Decay(90 * 86_400_000)).items)).toEqual([1]);
  });
});
