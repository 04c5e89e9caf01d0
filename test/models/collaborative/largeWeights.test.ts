import { describe, expect, it } from 'vitest';
import { userEntries } from '../../../src/models/collaborative/collaborative.js';
import { newUserState } from '../../../src/profile/userState.js';
import type { Signal } from '../../../src/types.js';
import { T0 } from '../../__helpers__/catalog.js';

function user(events: [item: number, signal: Signal, weight: number][]) {
  const state = newUserState('ann', Infinity);
  events.forEach(([item, signal, weight], seq) => state.events.push({ seq, item, signal, at: T0 + seq, weight, context: undefined, increments: [], learned: true }));
  return state;
}

describe('large weights in the collaborative entries', () => {
  it('one play of weight 10,000 counts as 10,000 plays of weight 1: strength × (1 + ln 10,000)', () => {
    const one = userEntries(user([[0, 'play', 10_000]]), Infinity, 1);
    const many = userEntries(user(Array.from({ length: 10_000 }, () => [0, 'play', 1] as [number, Signal, number])), Infinity, 1);
    expect(one.confidence[0]).toBeCloseTo(0.5 * (1 + Math.log(10_000)), 10);
    expect(many.confidence[0]).toBeCloseTo(one.confidence[0]!, 6);
  });

  it('leaves weights up to 1 as they were and treats each signal on its own', () => {
    const e = userEntries(user([[0, 'up', 1], [1, 'play', 0.5], [2, 'play', 4], [2, 'down', 1]]), Infinity, 3);
    expect(Array.from(e.confidence)).toEqual([3, 0.25, 0.5 * (1 + Math.log(4)) + 3]);
    expect(Array.from(e.preference)).toEqual([1, 1, 0]);
  });
});
