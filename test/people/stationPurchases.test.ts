/**
 * A purchase given on a station is the person's: the item is never recommended again, anywhere, and
 * its category is held back for `holdBackDays` from the purchase. It is also feedback given on the
 * station: removing the station takes it, and a purchase given elsewhere keeps its own time — as if
 * the station had never been. The record keeps where each purchase was given (a snapshot too).
 */
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender, type Recommender } from '../../src/index.js';
import { T0 } from '../__helpers__/catalog.js';

const DAY = 86_400_000;
const items = ['mug', 'cup', 'case', 'cover'].flatMap((kind) =>
  [0, 1, 2].map((k) => ({ id: `${kind}-${k}`, tags: [`category:${kind}`, `brand:b${k}`] })),
);

function run(events: [string, 'purchase' | 'up', number, string | undefined][], withGone: boolean) {
  let now = T0;
  const rec = createRecommender({ items, seed: 5, exploration: 0, holdBackDays: 10, now: () => now });
  rec.createStation('ann', { id: 'kept', seeds: [{ tag: 'category:mug' }] });
  if (withGone) rec.createStation('ann', { id: 'gone', seeds: [{ tag: 'category:case' }] });
  for (const [item, signal, day, station] of events) {
    if (station === 'gone' && !withGone) continue;
    now = T0 + day * DAY;
    rec.feedback({ user: 'ann', item, signal, at: now, ...(station === undefined ? {} : { station }) });
  }
  if (withGone) rec.removeStation('ann', 'gone');
  return { rec, at: (day: number) => (now = T0 + day * DAY) };
}

const heldBack = (rec: Recommender) => rec.profile('ann').heldBack.map((h) => [h.item ?? h.tag, h.until]);
const listed = (rec: Recommender, station?: string) =>
  rec
    .recommend('ann', { count: 100, includeSeen: true, ...(station === undefined ? {} : { station }) })
    .map((r) => r.item);

describe('a purchase given on a station', () => {
  it('holds everywhere while the station is there, and goes with it', () => {
    const { rec } = run([['case-0', 'purchase', 1, 'kept']], false);
    for (const station of [undefined, 'kept']) expect(listed(rec, station)).not.toContain('case-0');
    expect(heldBack(rec)).toEqual([
      ['case-0', Infinity],
      ['category:case', T0 + 11 * DAY],
    ]);
    const removed = run([['case-0', 'purchase', 1, 'gone']], true).rec;
    expect(heldBack(removed)).toEqual([]);
    expect(listed(removed)).toContain('case-0');
  });

  it('leaves a purchase given elsewhere with its own time, as if the station had never been', () => {
    const events: [string, 'purchase' | 'up', number, string | undefined][] = [
      ['case-0', 'purchase', 1, undefined],
      ['mug-1', 'purchase', 2, 'kept'],
      ['case-0', 'purchase', 5, 'gone'],
      ['mug-1', 'purchase', 6, 'gone'],
      ['cup-2', 'up', 6, 'gone'],
    ];
    const removed = run(events, true).rec;
    const never = run(events, false).rec;
    expect(heldBack(removed)).toEqual(heldBack(never));
    // The hold runs from the purchase left (day 1, day 2), not from the station's later ones.
    expect(heldBack(removed)).toEqual([
      ['case-0', Infinity],
      ['mug-1', Infinity],
      ['category:case', T0 + 11 * DAY],
      ['category:mug', T0 + 12 * DAY],
    ]);
    expect(listed(removed, 'kept')).toEqual(listed(never, 'kept'));
  });

  it('lists purchases by time, then catalog order, whatever scope they were given in', () => {
    const { rec } = run(
      [
        ['cup-1', 'purchase', 3, 'kept'],
        ['mug-2', 'purchase', 1, undefined],
        ['case-0', 'purchase', 3, undefined],
      ],
      false,
    );
    expect(heldBack(rec).filter(([, until]) => until === Infinity)).toEqual([
      ['mug-2', Infinity],
      ['cup-1', Infinity],
      ['case-0', Infinity],
    ]);
  });

  it('is undone with the item, forgotten by a reset, kept where it was given by a snapshot', () => {
    const { rec } = run(
      [
        ['cup-1', 'purchase', 1, 'kept'],
        ['case-2', 'purchase', 1, 'kept'],
      ],
      false,
    );
    const snapshot = JSON.parse(JSON.stringify(rec.snapshot())) as {
      people: { purchases: unknown[]; stations: { id: string; purchases?: [number, number][] }[] }[];
    };
    expect(snapshot.people[0]!.purchases).toEqual([]);
    const kept = snapshot.people[0]!.stations.find((s) => s.id === 'kept')!;
    expect(kept.purchases).toEqual([
      [expect.any(Number), T0 + DAY],
      [expect.any(Number), T0 + DAY],
    ]);
    const back = restoreRecommender(snapshot, { now: () => T0 + 2 * DAY });
    expect(heldBack(back)).toEqual(heldBack(rec));

    expect(rec.removeFeedback('ann', 'cup-1')).toBe(true);
    expect(heldBack(rec).map(([x]) => x)).toEqual(['case-2', 'category:case']);
    rec.setPreferences('ann', { reset: true });
    expect(heldBack(rec)).toEqual([]);

    // A station's purchase at a time no event of its record has is refused.
    kept.purchases = [[kept.purchases![0]![0], T0 + 40 * DAY], kept.purchases![1]!];
    expect(() => restoreRecommender(snapshot)).toThrow(AttuneError);
  });
});
