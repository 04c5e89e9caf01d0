/**
 * What learning promises at its edges: only a signal that teaches moves the
 * person's clock, feeds the life-stage watch or changes the shared
 * statistics; the watch judges a reaction against the item's own decayed
 * past; a detected change keeps at most one unit of the heaviest tag's
 * learned importance; consent given twice, or withdrawn from what was never
 * learned, changes nothing; the clock after an undo is the latest remaining
 * record; a fade or a rebuild reads learned records only.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender, type Recommender } from '../../src/index.js';
import { DAY_MS, Decay } from '../../src/decay/decay.js';
import { clockOf, fadePerson, learnedRecords, type LearningContext } from '../../src/people/learning.js';
import { newItemEvidence } from '../../src/people/evidence.js';
import { scopeEntries } from '../../src/people/entries.js';
import { newPerson } from '../../src/people/person.js';
import type { PeopleStore } from '../../src/people/store.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { Item } from '../../src/types.js';
import { musicCatalog, T0 } from '../__helpers__/catalog.js';
import { servedScores as served } from '../__helpers__/served.js';

interface World {
  people: PeopleStore;
  catalog: Catalog;
  learning: LearningContext;
  popularityVersion: number;
}
const worldOf = (rec: Recommender) => (rec as unknown as { world: World }).world;
const personOf = (rec: Recommender, id: string) => worldOf(rec).people.get(id)!;

const items: Item[] = [
  ...musicCatalog(24, ['jazz', 'rock']),
  { id: 'hymn-0', tags: ['genre:jazz', 'topic:faith'], sensitive: ['religion', 'health'] },
  { id: 'hymn-1', tags: ['genre:rock', 'topic:faith'], sensitive: ['religion'] },
  { id: 'hymn-2', tags: ['genre:rock', 'topic:faith'], sensitive: ['religion'] },
];

function recommender(options: { lifeStages?: boolean; halfLifeDays?: number; pauseDays?: number } = {}) {
  return createRecommender({
    items,
    seed: 2,
    exploration: 0,
    lifeStages: false,
    now: () => T0 + 100 * DAY_MS,
    ...options,
  });
}

describe('only a signal that teaches moves the clock, the watch and the shared statistics', () => {
  it('a rest leaves the person’s clock at their latest teaching event', () => {
    const rec = recommender();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    rec.feedback({ user: 'ann', item: 'rock-1', signal: 'tired', at: T0 + 40 * DAY_MS });
    expect(personOf(rec, 'ann').clock).toEqual({ wall: T0, active: T0 });
  });

  it('a rest, or a thumb on an item not consented to, feeds neither the life-stage watch nor popularity', () => {
    const rec = recommender({ lifeStages: true });
    const version = worldOf(rec).popularityVersion;
    for (let k = 0; k < 20; k++) {
      rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'tired', at: T0 + k });
      rec.feedback({ user: 'ann', item: 'hymn-1', signal: k % 2 === 0 ? 'up' : 'down', at: T0 + k });
    }
    expect(personOf(rec, 'ann').watch.learned).toBe(0);
    expect(worldOf(rec).popularityVersion).toBe(version);
    // One thumb that teaches is one change of popularity, and one reaction watched.
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 + 30 });
    expect(worldOf(rec).popularityVersion).toBe(version + 1);
    expect(personOf(rec, 'ann').watch.learned).toBe(1);
  });
});

describe('the life-stage watch judges a reaction against the item’s own past, decayed', () => {
  /** ann loves jazz (twelve ups: the watch's warm-up), then `then`; the surprises [sum, count] of the watch's open session after each of `then`. */
  function surprises(before: [string, 'up' | 'skip' | 'play' | 'down', number][], then: typeof before) {
    const rec = recommender({ lifeStages: true, halfLifeDays: 1 });
    for (const [item, signal, at] of before) rec.feedback({ user: 'ann', item, signal, at });
    return then.map(([item, signal, at]) => {
      rec.feedback({ user: 'ann', item, signal, at });
      return personOf(rec, 'ann').watch.detector.toJSON().open;
    });
  }
  const loves = (at: number) =>
    Array.from({ length: 12 }, (_, k) => [`jazz-${k}`, 'up', at + k] as [string, 'up', number]);
  const hates = (at: number) =>
    Array.from({ length: 12 }, (_, k) => [`jazz-${k}`, 'skip', at + k] as [string, 'skip', number]);

  it('a loved song turned down surprises; turned down again at once, it does not', () => {
    expect(
      surprises(loves(T0), [
        ['jazz-20', 'down', T0 + 100],
        ['jazz-20', 'down', T0 + 200],
      ]),
    ).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it('a skip a half-life ago weighs half: a loved song skipped again then still surprises', () => {
    const [first] = surprises([['jazz-20', 'skip', T0], ...loves(T0 + 10)], [['jazz-20', 'skip', T0 + DAY_MS]]);
    // A new session: the open one holds this reaction alone.
    expect(first).toEqual([1, 1]);
  });

  it('a play a half-life ago weighs half: a song of a disliked genre played again then still surprises', () => {
    const [first] = surprises([['jazz-20', 'play', T0], ...hates(T0 + 10)], [['jazz-20', 'play', T0 + DAY_MS]]);
    expect(first).toEqual([1, 1]);
  });
});

describe('a detected change keeps at most one unit of the heaviest tag’s importance', () => {
  it('the heaviest tag counts learned records only, both signs, decayed to the change', () => {
    const rec = recommender({ lifeStages: true, halfLifeDays: 30 });
    const events: { item: string; signal: 'up' | 'skip' | 'down' | 'play'; at: number }[] = [];
    // Ten days of jazz liked (one skip a day), then jazz turned down day after day; hymn-0 (jazz, sensitive,
    // not consented to) is played along and never learned.
    for (let d = 0, k = 0; d < 30; d++)
      for (let i = 0; i < 5; i++) {
        const at = T0 + d * DAY_MS + i * 60_000;
        events.push({ item: `jazz-${k++ % 24}`, signal: d < 10 ? (i === 4 ? 'skip' : 'up') : 'down', at });
        events.push({ item: 'hymn-0', signal: 'play', at });
      }
    let seen = 0;
    do rec.feedback({ user: 'ann', ...events[seen++]! });
    while (personOf(rec, 'ann').changes.length === 0 && seen < events.length);
    const change = personOf(rec, 'ann').changes[0]!;
    expect(change.cause).toBe('detected');
    // genre:jazz is the heaviest tag: every learned event is on it. Its raw importance at the change
    // (no pause is longer than a day, so the person's time is the wall's):
    const strength = { up: 3, down: 3, skip: 0.5, play: 0.5 };
    const heaviest = events
      .slice(0, seen)
      .filter((e) => e.item !== 'hymn-0')
      .reduce((s, e) => s + strength[e.signal] * Math.pow(2, -(change.at - e.at) / (30 * DAY_MS)), 0);
    expect(heaviest).toBeGreaterThan(20); // above 1 / LIFE_STAGE_KEEP: the cap decides
    expect(change.kept).toBeCloseTo(1 / heaviest, 12);
  });
});

describe('a consent change learns and unlearns exactly what it changes', () => {
  /** dee (who consents to all) likes hymn-0 and hymn-1, bob jazz-1; then ann's `events`, with her consent first when `consent`. */
  function world(ann: (rec: Recommender) => void) {
    const rec = recommender();
    rec.setPreferences('dee', { consent: { religion: true, health: true } });
    rec.feedback({ user: 'dee', item: 'hymn-0', signal: 'up', at: T0 });
    rec.feedback({ user: 'dee', item: 'hymn-1', signal: 'up', at: T0 });
    rec.feedback({ user: 'bob', item: 'jazz-1', signal: 'up', at: T0 });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', at: T0 });
    ann(rec);
    return rec;
  }
  const users = ['ann', 'dee', 'bob', undefined];
  /** Served the same as `other`, and read back from its snapshot as it is (a snapshot is checked against learning's invariants). */
  function expectSame(rec: Recommender, other: Recommender) {
    for (const user of users) expect(served(rec, user), String(user)).toEqual(served(other, user));
    const back = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())) as never, {
      now: () => T0 + 100 * DAY_MS,
    });
    for (const user of users) expect(served(back, user), String(user)).toEqual(served(rec, user));
  }

  it('withdrawn, it takes out what was learned and nothing that was not (hymn-0 also needed health)', () => {
    const withdrawn = world((rec) => {
      rec.setPreferences('ann', { consent: { religion: true } });
      rec.feedback({ user: 'ann', item: 'hymn-0', signal: 'up', at: T0 + 1 });
      rec.feedback({ user: 'ann', item: 'hymn-1', signal: 'up', at: T0 + 2 });
      rec.setPreferences('ann', { consent: { religion: false } });
    });
    const never = world((rec) => {
      rec.feedback({ user: 'ann', item: 'hymn-0', signal: 'up', at: T0 + 1 });
      rec.feedback({ user: 'ann', item: 'hymn-1', signal: 'up', at: T0 + 2 });
    });
    expectSame(withdrawn, never);
  });

  it('given, it learns what holds a learning signal, and not an item only rested', () => {
    const after = world((rec) => {
      rec.feedback({ user: 'ann', item: 'hymn-2', signal: 'tired', at: T0 + 1 });
      rec.feedback({ user: 'ann', item: 'hymn-1', signal: 'up', at: T0 + 2 });
      rec.setPreferences('ann', { consent: { religion: true } });
    });
    const before = world((rec) => {
      rec.setPreferences('ann', { consent: { religion: true } });
      rec.feedback({ user: 'ann', item: 'hymn-2', signal: 'tired', at: T0 + 1 });
      rec.feedback({ user: 'ann', item: 'hymn-1', signal: 'up', at: T0 + 2 });
    });
    expectSame(after, before);
  });
});

describe('the clock of a person is their latest record: by their own time, ties to the later wall time', () => {
  const person = (records: [t: number, wt: number][]) => {
    const p = newPerson('ann', Decay.ofDays(30));
    records.forEach(([t, wt], item) => {
      const r = newItemEvidence(wt);
      r.t = t;
      r.wt = wt;
      p.evidence.set(item, r);
    });
    return p;
  };
  it('whatever the order of the records', () => {
    // Two records at the same person time (a late event counted back over a pause), and one earlier by person time but later on the wall.
    const records: [number, number][] = [
      [5, 5],
      [5, 40],
      [3, 50],
    ];
    for (const order of [
      [0, 1, 2],
      [1, 0, 2],
      [2, 1, 0],
      [2, 0, 1],
    ])
      expect(clockOf(person(order.map((i) => records[i]!))), order.join()).toEqual({ active: 5, wall: 40 });
    expect(clockOf(person([]))).toEqual({ active: -Infinity, wall: -Infinity });
  });
});

describe('removing a station leaves each record as if the station had never been', () => {
  const DAY = DAY_MS;
  /** ann's events (item, signal, day, station), with stations `gone` and `kept`; `gone` removed at the end when `remove`. */
  function run(
    events: [string, 'up' | 'down' | 'play' | 'tired' | 'purchase', number, ('gone' | 'kept')?][],
    remove: boolean,
    legacy?: (snap: Snapshot) => void,
  ) {
    let rec = recommender();
    rec.createStation('ann', { id: 'gone', seeds: [{ tag: 'genre:jazz' }] });
    rec.createStation('ann', { id: 'kept', seeds: [{ tag: 'genre:rock' }] });
    rec.feedback({ user: 'bob', item: 'jazz-1', signal: 'up', at: T0 });
    for (const [item, signal, day, station] of events) {
      if (station === 'gone' && !remove) continue;
      rec.feedback({ user: 'ann', item, signal, at: T0 + day * DAY, ...(station === undefined ? {} : { station }) });
    }
    if (legacy !== undefined) {
      const snap = JSON.parse(JSON.stringify(rec.snapshot())) as Snapshot;
      legacy(snap);
      rec = restoreRecommender(snap as never, { now: () => T0 + 100 * DAY_MS });
    }
    if (remove) rec.removeStation('ann', 'gone');
    return rec;
  }
  type Columns = { item: number[]; upAt?: number[] };
  type Snapshot = {
    people: {
      purchases: [number, number][];
      evidence: Columns;
      stations?: { id: string; purchases?: [number, number][]; evidence: Columns }[];
    }[];
  };
  /** A snapshot as attune 0.3 wrote it: no time of an up given off any station. */
  const withoutUpAt = (snap: Snapshot) => {
    for (const p of snap.people) {
      delete p.evidence.upAt;
      for (const s of p.stations ?? []) delete s.evidence.upAt;
    }
  };
  const users = ['ann', 'bob', undefined];
  function expectSame(rec: Recommender, other: Recommender) {
    for (const user of users) expect(served(rec, user), String(user)).toEqual(served(other, user));
    const back = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())) as never, {
      now: () => T0 + 100 * DAY_MS,
    });
    for (const user of users) expect(served(back, user), String(user)).toEqual(served(rec, user));
  }
  const thumbs = (rec: Recommender) => rec.profile('ann').thumbs.map((t) => [t.item, t.signal, (t.at - T0) / DAY]);

  it('an item played only on it, and rested elsewhere, teaches nothing after, not even the collaborative fold-in', () => {
    const events: Parameters<typeof run>[0] = [
      ['jazz-3', 'play', 1, 'gone'],
      ['jazz-3', 'play', 1, 'gone'],
      ['jazz-3', 'tired', 2],
      ['jazz-4', 'up', 2],
    ];
    const removed = run(events, true);
    const never = run(events, false);
    expectSame(removed, never);
    // What ann's vector is folded against: her learned records, jazz-4 alone.
    const entries = (rec: Recommender) => scopeEntries(personOf(rec, 'ann'), worldOf(rec).learning.decay);
    expect(entries(removed)).toEqual(entries(never));
    expect(Array.from(entries(removed).items)).toEqual([worldOf(removed).catalog.indexOf('jazz-4')]);
  });

  it('an item bought and played as much elsewhere goes on teaching', () => {
    // Off the station: a purchase (2) and four plays (4 × 0.5); on it, one play.
    const events: Parameters<typeof run>[0] = [
      ['jazz-3', 'purchase', 1],
      ...[0, 1, 2, 3].map(() => ['jazz-3', 'play', 1] as const),
      ['jazz-3', 'play', 1, 'gone'],
      ['jazz-4', 'up', 2],
    ] as Parameters<typeof run>[0];
    expectSame(run(events, true), run(events, false));
  });

  it('a purchase that a 0.3 record kept with the person’s goes with the station', () => {
    // A play off the station keeps the record; the purchase was the station's.
    const events: Parameters<typeof run>[0] = [
      ['jazz-3', 'play', 0.5],
      ['jazz-3', 'purchase', 1, 'gone'],
    ];
    const rec = run(events, true, (snap) => {
      // 0.3 kept a station's purchases with the person's.
      const gone = snap.people[0]!.stations!.find((s) => s.id === 'gone')!;
      snap.people[0]!.purchases.push(...gone.purchases!);
      delete gone.purchases;
    });
    expect(rec.profile('ann').heldBack).toEqual([]);
    expect(rec.recommend('ann', { count: 100, includeSeen: true }).map((r) => r.item)).toContain('jazz-3');
  });

  it('a thumb not given on it stays, with its time, on a 0.3 record too', () => {
    // An up off any station on day 2 after a play on day 1, and a play on the station on day 3.
    const played: Parameters<typeof run>[0] = [
      ['jazz-0', 'play', 1],
      ['jazz-0', 'up', 2],
      ['jazz-0', 'play', 3, 'gone'],
    ];
    expect(thumbs(run(played, true, withoutUpAt))).toEqual([['jazz-0', 'up', 2]]);
    // An up on the station on day 1, and another off it on day 2: the one off it stays, at its time.
    const twice: Parameters<typeof run>[0] = [
      ['jazz-0', 'up', 1, 'gone'],
      ['jazz-0', 'up', 2],
    ];
    expect(thumbs(run(twice, true, withoutUpAt))).toEqual([['jazz-0', 'up', 2]]);
  });

  it('the thumb left is the latest elsewhere, a down winning a tie', () => {
    // At day 2 a down off any station and an up on `kept`; the station's later up is taken away.
    const events: Parameters<typeof run>[0] = [
      ['jazz-0', 'down', 2],
      ['jazz-0', 'up', 2, 'kept'],
      ['jazz-0', 'up', 3, 'gone'],
    ];
    expect(thumbs(run(events, true))).toEqual([['jazz-0', 'down', 2]]);
  });
});

describe('a fade and a rebuild read learned records only', () => {
  it('a fade keeps a share of every learned record, and leaves what ann only rested, in her taste and popularity', () => {
    /** bob likes jazz-2 and jazz-3; ann likes jazz-1 and, with `rests`, rests jazz-2 and jazz-3; then ann's evidence is faded. */
    const faded = (rests: boolean) => {
      const rec = recommender();
      rec.feedback({ user: 'bob', item: 'jazz-2', signal: 'up', at: T0 });
      rec.feedback({ user: 'bob', item: 'jazz-3', signal: 'up', at: T0 });
      rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
      if (rests) for (const item of ['jazz-2', 'jazz-3']) rec.feedback({ user: 'ann', item, signal: 'tired', at: T0 });
      const world = worldOf(rec);
      fadePerson(world.learning, personOf(rec, 'ann'), 0.25);
      expect(personOf(rec, 'ann').evidence.get(world.catalog.indexOf('jazz-1')!)!.up).toBeCloseTo(0.75, 12);
      // Read back from a snapshot: every scope's taste is checked to be the sum of its learned records.
      return restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())) as never, { now: () => T0 + 100 * DAY_MS });
    };
    const rested = faded(true);
    const not = faded(false);
    for (const user of ['bob', undefined]) expect(served(rested, user), String(user)).toEqual(served(not, user));
  });

  it('the rows a rebuild reads are one per learned record of each person not opted out', () => {
    const rec = recommender();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'tired', at: T0 });
    rec.feedback({ user: 'bob', item: 'rock-1', signal: 'play', at: T0 });
    rec.feedback({ user: 'bob', item: 'hymn-1', signal: 'up', at: T0 });
    rec.feedback({ user: 'cat', item: 'rock-2', signal: 'up', at: T0 });
    rec.setPreferences('cat', { optOut: true });
    const world = worldOf(rec);
    const people = ['ann', 'bob', 'cat'].map((id) => personOf(rec, id)).filter((p) => p !== undefined);
    const rows = [...learnedRecords(people, world.learning.decay)];
    expect(rows.map((r) => world.catalog.ids[r.item])).toEqual(['jazz-1', 'rock-1']);
    expect(rows.every((r) => r.positive > 0 && r.negative === 0 && r.t === T0)).toBe(true);
  });
});
