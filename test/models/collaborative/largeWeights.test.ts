import { describe, expect, it } from 'vitest';
import { Decay } from '../../../src/decay/decay.js';
import { Catalog } from '../../../src/catalog/catalog.js';
import { PopularityModel } from '../../../src/models/popularity/popularity.js';
import { scopeEntries } from '../../../src/people/entries.js';
import { applyEvent } from '../../../src/people/learning.js';
import { newPerson } from '../../../src/people/person.js';
import type { Signal } from '../../../src/types.js';
import { T0 } from '../../__helpers__/catalog.js';

function person(events: [item: number, signal: Signal, weight: number][]) {
  const catalog = new Catalog();
  catalog.add([
    { id: 'a', tags: ['g:x'] },
    { id: 'b', tags: ['g:y'] },
    { id: 'c', tags: ['g:z'] },
  ]);
  const popularity = new PopularityModel(Decay.none);
  popularity.resize(3);
  const ctx = { catalog, decay: Decay.none, tiredMs: 0, lifeStages: false, popularity };
  const state = newPerson('ann', Decay.none);
  events.forEach(([item, signal, weight], seq) =>
    applyEvent(ctx, state, { user: 'ann', item, signal, at: T0 + seq, weight, context: undefined }),
  );
  return state;
}

describe('large weights in the collaborative entries', () => {
  // Entries are on the person's own scale (relativeToTypical: divided by the median entry), so ratios are compared.
  it('one play of weight 10,000 counts as 10,000 plays of weight 1: (1 + ln 10,000) plays of weight 1', () => {
    const one = scopeEntries(
      person([
        [0, 'play', 10_000],
        [1, 'play', 1],
      ]),
      Decay.none,
    );
    const many = scopeEntries(
      person([...Array.from({ length: 10_000 }, () => [0, 'play', 1] as [number, Signal, number]), [1, 'play', 1]]),
      Decay.none,
    );
    expect(one.confidence[0]! / one.confidence[1]!).toBeCloseTo(1 + Math.log(10_000), 10);
    expect(many.confidence[0]).toBeCloseTo(one.confidence[0]!, 6);
    expect(many.confidence[1]).toBeCloseTo(one.confidence[1]!, 6);
  });

  it('leaves weights up to 1 as they were and treats each signal on its own', () => {
    const e = scopeEntries(
      person([
        [0, 'up', 1],
        [1, 'play', 0.5],
        [2, 'play', 4],
        [2, 'skip', 1],
      ]),
      Decay.none,
    );
    const absolute = [3, 0.25, 0.5 * (1 + Math.log(4)) + 0.5];
    const typical = absolute[2]!; // the median of the three
    expect(Array.from(e.confidence)).toEqual(absolute.map((c) => c / typical));
    expect(Array.from(e.preference)).toEqual([1, 1, 1]);
  });
});
