/**
 * The person clock after evidence is taken away: undoing the latest event winds the person's own
 * time back to their latest remaining record, so the events they give next age everything as if
 * the undone one had never been given — across a pause longer than the counted span, and when the
 * latest remaining record arrived late (out of order).
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { Signal } from '../../src/types.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const DAY = 86_400_000;
const items = musicCatalog(4, ['jazz', 'rock', 'folk']);

function world() {
  let now = T0;
  const rec = createRecommender({
    items,
    seed: 2,
    exploration: 0,
    lifeStages: false,
    halfLifeDays: 30,
    now: () => now,
  });
  const give = (item: string, signal: Signal, day: number, context?: { hour: number }) => {
    now = Math.max(now, T0 + day * DAY);
    rec.feedback({ user: 'ann', item, signal, at: T0 + day * DAY, ...(context ? { context } : {}) });
  };
  return { rec, give, at: (day: number) => (now = T0 + day * DAY) };
}

function scores(rec: Recommender): Map<string, number> {
  return new Map(
    rec.recommend('ann', { count: 1000, includeSeen: true, context: { hour: 8 } }).map((r) => [r.item, r.score]),
  );
}

function expectSame(a: Recommender, b: Recommender): void {
  const x = scores(a);
  const y = scores(b);
  expect([...x.keys()].sort()).toEqual([...y.keys()].sort());
  for (const [item, s] of x) expect(s, item).toBeCloseTo(y.get(item)!, 9);
}

describe('the person clock after an undo', () => {
  it('gives the next events the times they would have had without the undone one, after a long pause', () => {
    const undone = world();
    const never = world();
    for (const w of [undone, never]) {
      w.give('jazz-0', 'up', 0, { hour: 8 });
      w.give('jazz-1', 'play', 1);
      // A late event: given after jazz-1 but dated before it.
      w.give('rock-0', 'skip', 0.5, { hour: 21 });
    }
    undone.give('folk-0', 'up', 200);
    expect(undone.rec.removeFeedback('ann', 'folk-0')).toBe(true);
    for (const w of [undone, never]) {
      w.give('folk-1', 'up', 201, { hour: 8 });
      w.give('rock-1', 'down', 203);
      w.at(204);
    }
    expectSame(undone.rec, never.rec);
    expect(undone.rec.profile('ann').evidence).toEqual(never.rec.profile('ann').evidence);
  });

  it('starts the clock afresh once every record is undone', () => {
    const undone = world();
    const never = world();
    undone.give('jazz-0', 'up', 0);
    undone.give('rock-0', 'skip', 3);
    undone.rec.removeFeedback('ann', 'jazz-0');
    undone.rec.removeFeedback('ann', 'rock-0');
    for (const w of [undone, never]) {
      w.give('folk-1', 'up', 100);
      w.give('jazz-2', 'play', 130);
      w.at(131);
    }
    expectSame(undone.rec, never.rec);
  });
});
