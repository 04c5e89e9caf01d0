/**
 * The life-stage watch at its edges: a watch read back is refused for each malformed field on its
 * own (the rest of it well formed), and exploration stays raised until the latest change's boost ends.
 */
import { describe, expect, it } from 'vitest';
import {
  exploreBoostUntil,
  newWatch,
  observeSurprise,
  watchFromJSON,
  watchToJSON,
} from '../../src/decay/lifeStages.js';

const T0 = Date.UTC(2024, 0, 1, 20);
const DAY = 86_400_000;

function watched() {
  const w = newWatch();
  for (let i = 0; i < 12; i++) observeSurprise(w, 1, 0.8, T0 + i * DAY);
  return watchToJSON(w);
}

describe('watchFromJSON: one malformed field at a time', () => {
  const refused = (bad: unknown, what: RegExp) =>
    expect(() => watchFromJSON(bad, 'people[3]')).toThrow(
      expect.objectContaining({ code: 'BAD_SNAPSHOT', message: expect.stringMatching(what) }),
    );

  it('refuses a count of events that is not a whole number ≥ 0, in the current and the old form', () => {
    const good = watched();
    expect(watchFromJSON(good, 'people[3]').learned).toBe(12);
    for (const learned of [-1, 1.5, '3', null, undefined, Number.NaN]) {
      refused({ ...good, learned }, /^people\[3\]: the life-stage watch is malformed$/);
      refused({ learned, recent: [0, 1] }, /^people\[3\]: the life-stage watch is malformed$/);
    }
    expect(watchFromJSON({ ...good, learned: 0 }, 'people[3]').learned).toBe(0);
  });

  it('refuses a last event time that is neither null nor a finite number', () => {
    const good = watched();
    for (const lastAt of [Infinity, -Infinity, Number.NaN, '2024-01-01', undefined, {}]) {
      refused({ ...good, lastAt }, /^people\[3\]: the life-stage watch is malformed \(lastAt\)$/);
    }
    expect(watchFromJSON({ ...good, lastAt: null }, 'people[3]').lastAt).toBe(-Infinity);
    expect(watchFromJSON({ ...good, lastAt: T0 }, 'people[3]').lastAt).toBe(T0);
  });
});

describe('exploreBoostUntil', () => {
  it('is the latest change plus the boost, whatever the order of the changes, and never without one', () => {
    const boost = 14 * DAY;
    expect(exploreBoostUntil([], boost)).toBe(-Infinity);
    const changes = [
      { at: T0 + 40 * DAY, cause: 'detected' as const, kept: 0.05 },
      { at: T0 + 90 * DAY, cause: 'requested' as const, kept: 0 },
      { at: T0 + 10 * DAY, cause: 'detected' as const, kept: 0.02 },
    ];
    expect(exploreBoostUntil(changes, boost)).toBe(T0 + 104 * DAY);
    expect(exploreBoostUntil(changes.slice(0, 1), boost)).toBe(T0 + 54 * DAY);
  });
});
