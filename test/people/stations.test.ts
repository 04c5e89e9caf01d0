import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender } from '../../src/index.js';
import type { Item } from '../../src/types.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const items: Item[] = [
  ...musicCatalog(20),
  { id: 'clinic', title: 'Clinic', tags: ['genre:jazz', 'topic:health'], sensitive: ['health'] },
];
const byId = new Map(items.map((x) => [x.id, x]));
const tagsOf = (id: string) => byId.get(id)!.tags ?? [];

function setup(seed = 1) {
  let now = T0;
  const rec = createRecommender({ items, seed, now: () => now });
  rec.createStation('ann', { id: 'jazz', name: 'Jazz Radio', seeds: [{ item: 'jazz-3' }, { tag: 'genre:jazz' }] });
  rec.createStation('ann', { id: 'metal', name: 'Metal Mix', seeds: [{ tag: 'genre:metal' }] });
  return { rec, tick: (ms = 60_000) => (now += ms) };
}

function expectError(fn: () => unknown, code: string, message?: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AttuneError);
    expect((error as AttuneError).code).toBe(code);
    if (message !== undefined) expect((error as AttuneError).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('stations: the API', () => {
  it('creates, lists, widens and removes stations', () => {
    const { rec } = setup();
    expect(rec.stations('ann').map((s) => [s.id, s.name, s.seeds])).toEqual([
      ['jazz', 'Jazz Radio', [{ item: 'jazz-3' }, { tag: 'genre:jazz' }]],
      ['metal', 'Metal Mix', [{ tag: 'genre:metal' }]],
    ]);
    const widened = rec.addStationSeeds('ann', 'metal', [{ tag: 'genre:punk' }, { tag: 'genre:metal' }]);
    expect(widened.seeds).toEqual([{ tag: 'genre:metal' }, { tag: 'genre:punk' }]);
    rec.removeStation('ann', 'metal');
    expect(rec.stations('ann').map((s) => s.id)).toEqual(['jazz']);
    expect(rec.stations('nobody')).toEqual([]);
  });

  it('a new station starts from its seeds: most of its first list shares a tag with one, and reasons cite them', () => {
    const { rec } = setup();
    const list = rec.recommend('ann', { station: 'metal', count: 10 });
    expect(list.filter((r) => tagsOf(r.item).includes('genre:metal')).length).toBeGreaterThanOrEqual(6);
    const seeded = list.filter((r) => r.reason.kind === 'station-seed');
    expect(seeded.length).toBeGreaterThan(0);
    for (const r of seeded) {
      expect(r.reason.text).toMatch(/^On your Metal Mix, built on metal: /);
      expect(r.reason.evidence).toEqual([
        { type: 'tag', id: 'genre:metal', label: 'metal', weight: expect.any(Number) },
      ]);
      expect(r.reason.evidence[0]!.weight).toBeLessThanOrEqual(r.contributions.content + 1e-9);
    }
    const jazz = rec.explain('ann', 'jazz-15', { station: 'jazz' });
    expect(jazz.kind).toBe('station-seed');
    expect(jazz.text).toMatch(/^On your Jazz Radio, built on “jazz song 3” and jazz: /);
  });

  it('reasons on a station say so, and cite the station’s thumbs', () => {
    const { rec, tick } = setup();
    rec.feedback({ user: 'ann', item: 'metal-1', signal: 'up', station: 'metal' });
    rec.feedback({ user: 'ann', item: 'metal-7', signal: 'up', station: 'metal' });
    tick();
    const list = rec.recommend('ann', { station: 'metal', count: 10 });
    expect(list.every((r) => r.reason.text.startsWith('On your Metal Mix'))).toBe(true);
    expect(list.some((r) => r.reason.evidence.some((e) => e.id === 'metal-1' || e.id === 'metal-7'))).toBe(true);
  });

  it('bad input is refused with a code and changes nothing', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', station: 'jazz' });
    const before = JSON.stringify(rec.snapshot());
    expectError(
      () => rec.createStation('ann', { id: 'jazz', name: 'Again', seeds: [{ tag: 'genre:jazz' }] }),
      'DUPLICATE_STATION',
      /^createStation: /,
    );
    expectError(
      () => rec.createStation('ann', { id: 'x', name: 'X', seeds: [{ item: 'nope' }] }),
      'UNKNOWN_ITEM',
      /^createStation: seeds\[0\]/,
    );
    expectError(
      () => rec.createStation('ann', { id: 'x', name: 'X', seeds: [{ tag: 'genre:zydeco' }] }),
      'UNKNOWN_TAG',
      /^createStation: /,
    );
    expectError(() => rec.createStation('ann', { id: 'x', name: 'X', seeds: [] }), 'INVALID_ARGUMENT');
    expectError(
      () => rec.createStation('ann', { id: 'x', name: 'X', seeds: [{ item: 'jazz-1', tag: 'genre:jazz' } as never] }),
      'INVALID_ARGUMENT',
    );
    expectError(
      () => rec.createStation('ann', { id: '', name: 'X', seeds: [{ tag: 'genre:jazz' }] }),
      'INVALID_ARGUMENT',
    );
    expectError(
      () => rec.createStation('ann', { id: 'x', name: 'X', seeds: [{ item: 'clinic' }] }),
      'INVALID_ARGUMENT',
      /sensitive/,
    );
    expectError(
      () => rec.addStationSeeds('ann', 'nope', [{ tag: 'genre:jazz' }]),
      'UNKNOWN_STATION',
      /^addStationSeeds: /,
    );
    expectError(
      () => rec.addStationSeeds('ann', 'jazz', [{ tag: 'genre:rock' }, { tag: 'genre:zydeco' }]),
      'UNKNOWN_TAG',
    );
    expectError(() => rec.removeStation('ann', 'nope'), 'UNKNOWN_STATION', /^removeStation: /);
    expectError(() => rec.removeStation('bob', 'jazz'), 'UNKNOWN_STATION');
    expectError(() => rec.recommend('ann', { station: 'nope' }), 'UNKNOWN_STATION', /^recommend: /);
    expectError(() => rec.recommend(undefined, { station: 'jazz' }), 'UNKNOWN_STATION', /guest/);
    expectError(() => rec.recommend('ann', { station: 42 as never }), 'INVALID_ARGUMENT');
    expectError(() => rec.explain('ann', 'jazz-1', { station: 'nope' }), 'UNKNOWN_STATION', /^explain: /);
    expectError(
      () => rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', station: 'nope' }),
      'UNKNOWN_STATION',
      /^feedback: /,
    );
    expectError(() => rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', station: '' }), 'INVALID_EVENT');
    // A batch is all-or-nothing: a good event before a bad station is not applied either.
    expectError(
      () =>
        rec.feedback([
          { user: 'ann', item: 'jazz-2', signal: 'up', station: 'jazz' },
          { user: 'bob', item: 'jazz-2', signal: 'up', station: 'jazz' },
        ]),
      'UNKNOWN_STATION',
      /events\[1\]/,
    );
    expect(JSON.stringify(rec.snapshot())).toBe(before);
  });

  it('an opted-out user has no stations and cannot make one', () => {
    const { rec } = setup();
    rec.setPreferences('ann', { optOut: true });
    expect(rec.stations('ann')).toEqual([]);
    expectError(
      () => rec.createStation('ann', { id: 'jazz', seeds: [{ tag: 'genre:jazz' }] }),
      'INVALID_ARGUMENT',
      /opted out/,
    );
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', station: 'jazz' }); // dropped like any feedback of hers
    expect(rec.profile('ann').stations).toEqual([]);
  });

  it('a sensitive seed needs consent; the name defaults to the id', () => {
    const { rec } = setup();
    rec.setPreferences('ann', { consent: { health: true } });
    const station = rec.createStation('ann', { id: 'care', seeds: [{ item: 'clinic' }] });
    expect(station).toMatchObject({ id: 'care', name: 'care', seeds: [{ item: 'clinic' }], events: 0, banned: [] });
    expect(rec.recommend('ann', { station: 'care', count: 5 }).length).toBe(5);
  });
});

describe('stations: Pandora semantics', () => {
  it('down on a station bans the song there only; down without a station bans it everywhere', () => {
    const { rec, tick } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-5', signal: 'down', station: 'jazz' });
    rec.feedback({ user: 'ann', item: 'metal-2', signal: 'down' });
    tick();
    const on = (station: string | undefined) =>
      rec
        .recommend('ann', { count: 1000, includeSeen: true, ...(station !== undefined ? { station } : {}) })
        .map((r) => r.item);
    expect(on('jazz')).not.toContain('jazz-5');
    expect(on('metal')).toContain('jazz-5');
    expect(on(undefined)).toContain('jazz-5');
    for (const station of ['jazz', 'metal', undefined]) expect(on(station)).not.toContain('metal-2');
    expect(rec.stations('ann')[0]!.banned).toEqual(['jazz-5']);
    expect(rec.profile('ann').banned.map((b) => b.item)).toEqual(['metal-2']);
    // Undoing the feedback lifts the station ban.
    rec.removeFeedback('ann', 'jazz-5');
    expect(on('jazz')).toContain('jazz-5');
    expect(rec.stations('ann')[0]!.banned).toEqual([]);
  });

  it('tired on a station rests the song on every station; a purchase holds its category back everywhere', () => {
    let now = T0;
    const shop: Item[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `case-${i}`, tags: ['category:phone-case', `colour:c${i % 3}`] })),
      ...Array.from({ length: 10 }, (_, i) => ({ id: `sock-${i}`, tags: ['category:socks', `colour:c${i % 3}`] })),
    ];
    const rec = createRecommender({ items: shop, seed: 3, now: () => now });
    rec.createStation('ann', { id: 'cases', seeds: [{ tag: 'category:phone-case' }] });
    rec.createStation('ann', { id: 'colours', seeds: [{ tag: 'colour:c0' }] });
    rec.feedback({ user: 'ann', item: 'sock-3', signal: 'tired', station: 'colours' });
    rec.feedback({ user: 'ann', item: 'case-1', signal: 'purchase', station: 'cases' });
    now += 60_000;
    for (const station of ['cases', 'colours', undefined]) {
      const list = rec
        .recommend('ann', { count: 100, includeSeen: true, ...(station !== undefined ? { station } : {}) })
        .map((r) => r.item);
      expect(list).not.toContain('sock-3');
      expect(list.filter((id) => id.startsWith('case-'))).toEqual([]);
    }
  });

  it('thumbs on a station teach that station most and the overall taste too', () => {
    const { rec, tick } = setup();
    for (const item of ['rock-1', 'rock-2', 'rock-3'])
      rec.feedback({ user: 'ann', item, signal: 'up', station: 'jazz' });
    tick();
    const profile = rec.profile('ann');
    const jazzStation = profile.stations.find((s) => s.id === 'jazz')!;
    const rockOn = (tags: { tag: string; weight: number }[]) => tags.find((t) => t.tag === 'genre:rock')?.weight ?? 0;
    expect(rockOn(jazzStation.likedTags)).toBeGreaterThan(0);
    expect(rockOn(profile.likedTags)).toBeGreaterThan(0);
    expect(profile.stations.find((s) => s.id === 'metal')!.likedTags).toEqual([]);
    // Rock rises on the station it was liked on more than on the other one.
    const rockScore = (station: string) =>
      rec.recommend('ann', { station, count: 1000 }).find((r) => r.item === 'rock-9')!.contributions.content;
    expect(rockScore('jazz')).toBeGreaterThan(rockScore('metal'));
    expect(rockScore('metal')).toBeGreaterThan(0);
    expect(jazzStation.text).toMatch(/^Jazz Radio, built on “jazz song 3” and jazz: you like .*rock/);
    expect(profile.text).toMatch(/Your stations: Jazz Radio, built on/);
  });

  it('removing a station takes its feedback out of the overall taste too', () => {
    const plain = createRecommender({ items, seed: 1, now: () => T0 });
    const { rec } = setup();
    for (const r of [rec, plain]) r.feedback({ user: 'ann', item: 'folk-1', signal: 'up', at: T0 });
    rec.feedback([
      { user: 'ann', item: 'rock-1', signal: 'up', station: 'metal', at: T0 + 1 },
      { user: 'ann', item: 'folk-1', signal: 'play', station: 'metal', at: T0 + 2 },
      { user: 'ann', item: 'rock-2', signal: 'tired', station: 'metal', at: T0 + 3 },
    ]);
    rec.removeStation('ann', 'metal');
    rec.removeStation('ann', 'jazz');
    const person = (r: typeof rec) => {
      const p = r.snapshot().people.find((x) => x.id === 'ann')!;
      return { evidence: p.evidence, taste: p.taste, rests: p.rests, events: p.events, stations: p.stations };
    };
    const a = person(rec);
    const b = person(plain);
    expect(a.stations).toBeUndefined();
    expect(a.rests).toEqual(b.rests);
    expect(a.events).toBe(b.events);
    const [ea, eb] = [a.evidence, b.evidence];
    expect(ea.item).toEqual(eb.item);
    for (const sum of ['up', 'down', 'skip', 'play', 'purchase'] as const)
      expect(ea[sum][0]).toBeCloseTo(eb[sum][0]!, 6); // read 2 ms apart: decay below 1e-9
    for (const column of ['count', 'thumb', 'thumbAt'] as const) expect(ea[column]).toEqual(eb[column]);
    // Popularity holds the same item with the same sums (its reference time is the station's play, 2 ms later).
    const [pa, pb] = [rec.snapshot().popularity, plain.snapshot().popularity];
    expect(pa.map(([item, , , , n]) => [item, n])).toEqual(pb.map(([item, , , , n]) => [item, n]));
    expect(pa[0]![1]).toBeCloseTo(pb[0]![1], 6);
    expect(pa[0]![2]).toBeCloseTo(pb[0]![2], 6);
  });

  it('removing a station never lifts a person-wide ban, even on an item also turned down on it', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-5', signal: 'down', station: 'jazz' });
    rec.feedback({ user: 'ann', item: 'jazz-5', signal: 'down' });
    rec.feedback({ user: 'ann', item: 'jazz-6', signal: 'down', station: 'jazz' });
    rec.setPreferences('ann', { reset: true });
    rec.removeStation('ann', 'jazz');
    expect(rec.profile('ann').banned.map((b) => b.item)).toEqual(['jazz-5']);
    expect(rec.recommend('ann', { station: 'metal', count: 1000, includeSeen: true }).map((r) => r.item)).not.toContain(
      'jazz-5',
    );
    expect(
      restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())))
        .profile('ann')
        .banned.map((b) => b.item),
    ).toEqual(['jazz-5']);
  });

  it('a reset keeps stations and their bans and forgets what they learned', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'rock-1', signal: 'up', station: 'jazz' });
    rec.feedback({ user: 'ann', item: 'jazz-5', signal: 'down', station: 'jazz' });
    rec.setPreferences('ann', { reset: true });
    const station = rec.profile('ann').stations[0]!;
    expect(station.seeds).toEqual([{ item: 'jazz-3' }, { tag: 'genre:jazz' }]);
    expect(station.banned.map((b) => b.item)).toEqual(['jazz-5']);
    expect(station.likedTags).toEqual([]);
    expect(rec.recommend('ann', { station: 'jazz', count: 1000, includeSeen: true }).map((r) => r.item)).not.toContain(
      'jazz-5',
    );
    rec.removeFeedback('ann', 'jazz-5');
    expect(rec.stations('ann')[0]!.banned).toEqual([]);
  });

  it('withdrawing consent unlearns sensitive records on stations too', () => {
    const { rec } = setup();
    rec.setPreferences('ann', { consent: { health: true } });
    rec.feedback({ user: 'ann', item: 'clinic', signal: 'up', station: 'jazz' });
    expect(rec.profile('ann').stations[0]!.likedTags.map((t) => t.tag)).toContain('topic:health');
    rec.setPreferences('ann', { consent: { health: false } });
    expect(rec.profile('ann').stations[0]!.likedTags.map((t) => t.tag)).not.toContain('topic:health');
    const list = rec.recommend('ann', { station: 'jazz', count: 1000, includeSeen: true });
    expect(list.map((r) => r.item)).not.toContain('clinic');
  });

  it('forget erases stations; snapshots carry them and restore validates them', () => {
    const { rec, tick } = setup();
    rec.feedback({ user: 'ann', item: 'metal-1', signal: 'up', station: 'metal' });
    rec.feedback({ user: 'ann', item: 'jazz-5', signal: 'down', station: 'jazz' });
    tick();
    const snap = JSON.parse(JSON.stringify(rec.snapshot()));
    let now = T0 + 120_000;
    const back = restoreRecommender(snap, { now: () => now });
    expect(JSON.stringify(back.snapshot())).toBe(JSON.stringify(rec.snapshot()));
    expect(back.stations('ann')).toEqual(rec.stations('ann'));
    now = T0 + 60_000;
    const a = rec.recommend('ann', { station: 'jazz', count: 10 });
    const b = back.recommend('ann', { station: 'jazz', count: 10 });
    expect(b).toEqual(a);
    const bad = JSON.parse(JSON.stringify(snap));
    bad.people[0].stations[1].seeds = [{ tag: 10_000 }];
    expectError(() => restoreRecommender(bad), 'BAD_SNAPSHOT', /station "metal"/);
    const twice = JSON.parse(JSON.stringify(snap));
    twice.people[0].stations[1].id = 'jazz';
    expectError(() => restoreRecommender(twice), 'BAD_SNAPSHOT', /repeats the station id/);
    rec.forget('ann');
    expect(rec.stations('ann')).toEqual([]);
    expect(JSON.stringify(rec.snapshot())).not.toMatch(/Jazz Radio|Metal Mix/);
  });

  it('with a trained model, a station built on a song reaches the crowd before any thumbs, and another station’s thumbs do not pull it', () => {
    const songs: Item[] = Array.from({ length: 20 }, (_, i) => ({
      id: `song-${i}`,
      title: `Song ${i}`,
      tags: ['kind:song'],
    }));
    // regularization 1: the default (20) is tuned on MovieLens-sized data, too strong for this small crowd
    const rec = createRecommender({
      items: songs,
      seed: 1,
      now: () => T0,
      exploration: 0,
      collaborative: { regularization: 1 },
    });
    for (let u = 0; u < 30; u++) {
      const base = (u % 2) * 10;
      for (let k = 0; k < 5; k++)
        rec.feedback({ user: `u${u}`, item: `song-${base + ((u + 3 * k) % 10)}`, signal: 'up' });
    }
    rec.train();
    rec.createStation('ann', { id: 'low', seeds: [{ item: 'song-2' }] });
    rec.createStation('ann', { id: 'high', seeds: [{ item: 'song-11' }] });
    const low = () => rec.recommend('ann', { station: 'low', count: 5 });
    expect(low().filter((r) => Number(r.item.slice(5)) < 10).length).toBe(5);
    expect(low().every((r) => r.contributions.collaborative > 0)).toBe(true);
    for (const item of ['song-12', 'song-15', 'song-17', 'song-13'])
      rec.feedback({ user: 'ann', item, signal: 'up', station: 'high', at: T0 });
    expect(low().filter((r) => Number(r.item.slice(5)) < 10).length).toBeGreaterThanOrEqual(4);
    expect(rec.recommend('ann', { station: 'high', count: 5 }).every((r) => Number(r.item.slice(5)) >= 10)).toBe(true);
  });
});
