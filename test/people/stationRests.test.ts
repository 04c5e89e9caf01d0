/**
 * A rest (`tired`) given on a station holds on every station and off them, and it is feedback given
 * on the station: removing the station takes it, whatever other records the item has, and leaves a
 * rest given elsewhere as it was. The record keeps where each rest was given (a snapshot too).
 */
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender, type Recommender } from '../../src/index.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const DAY = 86_400_000;
const items = musicCatalog(6, ['jazz', 'soul']);

function setup() {
  let now = T0;
  const rec = createRecommender({ items, seed: 3, exploration: 0, tiredDays: 30, now: () => now });
  rec.createStation('ann', { id: 'kept', seeds: [{ tag: 'genre:soul' }] });
  rec.createStation('ann', { id: 'gone', seeds: [{ tag: 'genre:jazz' }] });
  return { rec, at: (ms: number) => (now = T0 + ms) };
}

const listed = (rec: Recommender, station?: string) =>
  rec
    .recommend('ann', { count: 100, includeSeen: true, ...(station !== undefined ? { station } : {}) })
    .map((r) => r.item);
const snoozed = (rec: Recommender) => rec.profile('ann').snoozed.map((s) => [s.item, s.until]);

describe('a rest given on a station', () => {
  it('rests the item everywhere, and goes with the station even when the item has other records', () => {
    const { rec, at } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: at(0) });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', station: 'gone', at: at(60_000) });
    const until = T0 + 60_000 + 30 * DAY;
    at(120_000);
    for (const station of [undefined, 'kept', 'gone']) expect(listed(rec, station)).not.toContain('jazz-1');
    expect(rec.explain('ann', 'jazz-1')).toMatchObject({ kind: 'resting', until });
    expect(snoozed(rec)).toEqual([['jazz-1', until]]);

    rec.removeStation('ann', 'gone');
    expect(snoozed(rec)).toEqual([]);
    expect(rec.explain('ann', 'jazz-1').kind).not.toBe('resting');
    for (const station of [undefined, 'kept']) expect(listed(rec, station)).toContain('jazz-1');
    // The other records stay: the up given off the station is still the person's.
    expect(rec.profile('ann').thumbs.map((x) => [x.item, x.signal])).toEqual([['jazz-1', 'up']]);
  });

  it('leaves a rest given elsewhere: off the station, or on another station', () => {
    const { rec, at } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', at: at(0) });
    rec.feedback({ user: 'ann', item: 'soul-2', signal: 'tired', station: 'kept', at: at(0) });
    // The later rests, on the station, hold while it is there (the latest end wins).
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', station: 'gone', at: at(5 * DAY) });
    rec.feedback({ user: 'ann', item: 'soul-2', signal: 'tired', station: 'gone', at: at(5 * DAY) });
    expect(snoozed(rec)).toEqual([
      ['jazz-1', T0 + 35 * DAY],
      ['soul-2', T0 + 35 * DAY],
    ]);
    rec.removeStation('ann', 'gone');
    expect(snoozed(rec)).toEqual([
      ['jazz-1', T0 + 30 * DAY],
      ['soul-2', T0 + 30 * DAY],
    ]);
    at(31 * DAY);
    expect(listed(rec)).toEqual(expect.arrayContaining(['jazz-1', 'soul-2']));
  });

  it('is undone with the item, and forgotten by a reset', () => {
    const { rec, at } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: at(0) });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', station: 'kept', at: at(1000) });
    rec.feedback({ user: 'ann', item: 'soul-3', signal: 'tired', station: 'kept', at: at(2000) });
    expect(rec.removeFeedback('ann', 'jazz-1')).toBe(true);
    expect(snoozed(rec).map(([item]) => item)).toEqual(['soul-3']);
    rec.setPreferences('ann', { reset: true });
    expect(snoozed(rec)).toEqual([]);
    expect(listed(rec, 'kept')).toContain('soul-3');
  });

  it('is kept where it was given by a snapshot, and a record whose station rest has no event is refused', () => {
    const { rec, at } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: at(0) });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', station: 'gone', at: at(1000) });
    const snapshot = JSON.parse(JSON.stringify(rec.snapshot())) as { people: Record<string, unknown>[] };
    const back = restoreRecommender(snapshot, { now: () => T0 + 2000 });
    expect(back.profile('ann').snoozed.map((s) => s.item)).toEqual(['jazz-1']);
    back.removeStation('ann', 'gone');
    expect(back.profile('ann').snoozed).toEqual([]);
    expect(JSON.stringify(back.snapshot())).not.toContain('"rests":[[');

    const person = snapshot.people[0] as { stations: { id: string; rests?: [number, number][] }[] };
    const gone = person.stations.find((s) => s.id === 'gone')!;
    expect(gone.rests).toEqual([[expect.any(Number), T0 + 1000 + 30 * DAY]]);
    gone.rests = [[gone.rests![0]![0], T0 + 400 * DAY]];
    expect(() => restoreRecommender(snapshot)).toThrow(AttuneError);
  });
});
