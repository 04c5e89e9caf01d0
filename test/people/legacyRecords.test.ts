/**
 * Records written by attune 0.3 did not keep when a person gave a thumbs-up off any station
 * (`upAt`): they are read with that time marked as not known, removing a station treats them as
 * 0.3 did, and a later up makes the time known. What attune writes is checked as it reads it.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/decay/decay.js';
import { createRecommender, restoreRecommender } from '../../src/index.js';
import { GENRES, musicCatalog, T0 } from '../__helpers__/catalog.js';

type Columns = { item: number[]; up: number[]; upAt?: number[]; flags: number[]; thumbAt: number[] };
type PeopleJson = { people: { evidence: Columns; stations?: { evidence: Columns }[] }[] };

describe('records from before upAt (0.3)', () => {
  const items = musicCatalog(3, GENRES.slice(0, 2));
  function given() {
    let now = T0;
    const rec = createRecommender({ items, seed: 4, exploration: 0, lifeStages: false, now: () => now });
    rec.createStation('ann', { id: 'gone', seeds: [{ tag: `genre:${GENRES[0]}` }] });
    const at = (day: number) => (now = T0 + day * DAY_MS);
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'down', at: at(1) });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', at: at(2) });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', station: 'gone', at: at(2) });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', station: 'gone', at: at(3) });
    at(10);
    return rec;
  }
  const withoutUpAt = (snap: PeopleJson) => {
    const copy = structuredClone(snap);
    for (const p of copy.people) {
      delete p.evidence.upAt;
      for (const s of p.stations ?? []) delete s.evidence.upAt;
    }
    return copy;
  };

  it('read with the time of an up given off any station not known, and written with it marked so', () => {
    const snap = given().snapshot() as unknown as PeopleJson;
    const own = snap.people[0]!.evidence;
    expect(own.upAt).toEqual(
      own.item.map((i) => (i === items.findIndex((x) => x.id === 'jazz-0') ? T0 + 2 * DAY_MS : 0)),
    );
    const old = restoreRecommender(withoutUpAt(snap) as never);
    const again = old.snapshot() as unknown as PeopleJson;
    const read = again.people[0]!.evidence;
    // Every row of the person's own that holds an up is marked (bit 3), with no time; a station's rows never are.
    expect(read.upAt).toEqual(read.item.map(() => 0));
    expect(read.flags).toEqual(own.flags.map((f, row) => (own.up[row]! > 0 ? f | 8 : f)));
    expect(again.people[0]!.stations![0]!.evidence.flags).toEqual(snap.people[0]!.stations![0]!.evidence.flags);
    // What is written is read back the same.
    expect(restoreRecommender(again as never).snapshot()).toEqual(again);
  });

  it('remove a station as 0.3 did (the record’s first event dates an up left), and learn the time from a later up', () => {
    const old = restoreRecommender(withoutUpAt(given().snapshot() as unknown as PeopleJson) as never, {
      now: () => T0 + 10 * DAY_MS,
    });
    const fresh = restoreRecommender(withoutUpAt(given().snapshot() as unknown as PeopleJson) as never, {
      now: () => T0 + 10 * DAY_MS,
    });
    old.removeStation('ann', 'gone');
    // 0.3 did not know when the up off any station was given: the ban (day 1) is the latest it knows.
    expect(old.profile('ann').thumbs.map((t) => [t.item, t.signal, t.at])).toEqual([['jazz-0', 'down', T0 + DAY_MS]]);
    // An up given after every event of the record makes the time known.
    fresh.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', at: T0 + 5 * DAY_MS });
    fresh.removeStation('ann', 'gone');
    expect(fresh.profile('ann').thumbs.map((t) => [t.item, t.signal, t.at])).toEqual([
      ['jazz-0', 'up', T0 + 5 * DAY_MS],
    ]);
  });

  // The record's last event is on day 2; a later up on the removed station (day 6) hides the one given off it.
  it.each<[string, number, [string, string, number]]>([
    ['an up after every event is known', 5, ['jazz-0', 'up', T0 + 5 * DAY_MS]],
    ['an up at the time of the last event is known', 2, ['jazz-0', 'up', T0 + 2 * DAY_MS]],
    ['a late up (before the last event) leaves the time not known, as 0.3', 1.5, ['jazz-0', 'down', T0 + DAY_MS]],
  ])('an up given off any station on a 0.3 record: %s', (_, day, thumb) => {
    const old = restoreRecommender(withoutUpAt(given().snapshot() as unknown as PeopleJson) as never, {
      now: () => T0 + 10 * DAY_MS,
    });
    old.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', at: T0 + day * DAY_MS });
    old.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', station: 'gone', at: T0 + 6 * DAY_MS });
    old.removeStation('ann', 'gone');
    expect(old.profile('ann').thumbs.map((t) => [t.item, t.signal, t.at])).toEqual([thumb]);
  });

  it.each<[string, 'up' | 'play', [string, string, number][]]>([
    ['an up left off the station is dated by the record’s first event', 'up', [['jazz-0', 'up', T0 + DAY_MS]]],
    ['a record with no up left keeps no thumb', 'play', []],
  ])('remove a station with no ban and no other station: %s', (_, offStation, thumbs) => {
    let now = T0;
    const rec = createRecommender({ items, seed: 4, exploration: 0, lifeStages: false, now: () => now });
    rec.createStation('ann', { id: 'gone', seeds: [{ tag: `genre:${GENRES[0]}` }] });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: offStation, at: (now = T0 + DAY_MS) });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', station: 'gone', at: (now = T0 + 2 * DAY_MS) });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'down', station: 'gone', at: (now = T0 + 3 * DAY_MS) });
    const old = restoreRecommender(withoutUpAt(rec.snapshot() as unknown as PeopleJson) as never, {
      now: () => T0 + 10 * DAY_MS,
    });
    old.removeStation('ann', 'gone');
    expect(old.profile('ann').thumbs.map((t) => [t.item, t.signal, t.at])).toEqual(thumbs);
  });

  it('refuses an upAt on a station’s row, after the row’s latest thumb, or with the not-known mark', () => {
    const snap = given().snapshot() as unknown as PeopleJson;
    const row = snap.people[0]!.evidence.upAt!.findIndex((x) => x > 0);
    const cases: [(s: PeopleJson) => void, RegExp][] = [
      [(s) => (s.people[0]!.stations![0]!.evidence.upAt![0] = T0 + 2 * DAY_MS), /upAt\[0\] must be 0/],
      [(s) => (s.people[0]!.evidence.upAt![row] = s.people[0]!.evidence.thumbAt[row]! + 1), /upAt/],
      [(s) => (s.people[0]!.evidence.flags[row] = s.people[0]!.evidence.flags[row]! | 8), /upAt/],
      [
        (s) => (s.people[0]!.stations![0]!.evidence.flags[0] = s.people[0]!.stations![0]!.evidence.flags[0]! | 8),
        /flags/,
      ],
    ];
    for (const [spoil, message] of cases) {
      const copy = structuredClone(snap);
      spoil(copy);
      expect(() => restoreRecommender(copy as never)).toThrow(message);
    }
  });
});
