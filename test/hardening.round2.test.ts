/**
 * Hardening, round 2 (issue 26): one test per finding of the in-memory
 * recommender, each through the public API. The rule behind most of them —
 * what is accepted can be snapshotted and restored — is a property test
 * too (test/persist/roundTrip.property.test.ts, and the mutated snapshots of
 * test/persist/snapshot.fuzz.test.ts); the store-backed findings (5, 6,
 * 10–12, 16) are in test/redis/faults.test.ts, the store suite and the
 * contract suite, item 8's speed in benchmarks/import and its solve in
 * test/models/mf/lowRankUpdate.test.ts.
 */
/* eslint-disable no-sparse-arrays -- arrays with holes are what finding 14 feeds in */
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender, type Recommender } from '../src/index.js';
import { MAX_SEEDS_PER_STATION, MAX_STATION_NAME_LENGTH, MAX_STATIONS_PER_PERSON } from '../src/constants.js';
import { T0, musicCatalog, testClock } from './__helpers__/catalog.js';

const items = musicCatalog(4, ['jazz', 'rock']);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AttuneError) return error.code;
    throw error;
  }
  return undefined;
}

async function asyncCodeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AttuneError) return error.code;
    throw error;
  }
  return undefined;
}

/** The snapshot after a JSON round trip, as a file or a store would give it back. */
const json = (rec: Recommender) =>
  JSON.parse(JSON.stringify(rec.snapshot())) as Record<string, unknown> & {
    people: Record<string, unknown>[];
    popularity: number[][];
  };

/** restore(snapshot(x)) is accepted and gives the same snapshot. */
function expectRoundTrip(rec: Recommender, now: () => number) {
  const text = JSON.stringify(rec.snapshot());
  expect(JSON.stringify(restoreRecommender(JSON.parse(text), { now }).snapshot())).toBe(text);
}

const factorsText = (value: (i: number) => number[]) =>
  items.map((it, i) => JSON.stringify({ id: it.id, features: value(i) })).join('\n');

describe('data loss: accepted, then the own snapshot refused', () => {
  it('1. tiredDays: Infinity — a rest that never ends is snapshotted (null), restored, and profiled', () => {
    const c = testClock();
    const rec = createRecommender({ items, tiredDays: Infinity, now: c.now });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired' });
    c.t += 86_400_000 * 3650;
    expectRoundTrip(rec, c.now);
    const back = restoreRecommender(json(rec), { now: c.now });
    expect(back.recommend('ann', { count: 8 }).map((r) => r.item)).not.toContain('jazz-1');
    expect(back.profile('ann').snoozed).toEqual([
      expect.objectContaining({ item: 'jazz-1', at: T0, until: Infinity, untilDate: 'never' }),
    ]);
    // With finite tiredDays a null rest is refused.
    const finite = json(rec);
    (finite['options'] as Record<string, unknown>)['tiredDays'] = 30;
    expect(codeOf(() => restoreRecommender(finite))).toBe('BAD_SNAPSHOT');
  });

  it('2. importItemFactors refuses factors and weights a snapshot cannot hold', () => {
    const rec = createRecommender({ items, now: () => T0 });
    expect(
      codeOf(() => rec.importItemFactors({ format: 'spark-json', text: factorsText((i) => [i === 0 ? 1001 : 1, 1]) })),
    ).toBe('BAD_FACTORS');
    expect(
      codeOf(() => rec.importItemFactors({ format: 'spark-json', text: factorsText((i) => [i === 0 ? 1e200 : 1, 1]) })),
    ).toBe('BAD_FACTORS');
    for (const weight of [1e6, 1e308, -1, Number.NaN])
      expect(
        codeOf(() => rec.importItemFactors({ format: 'spark-json', text: factorsText(() => [1, 1]) }, { weight })),
      ).toBe('INVALID_OPTIONS');
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
    rec.importItemFactors({ format: 'spark-json', text: factorsText((i) => [1000, -1000 + i]) }, { weight: 1e4 });
    expectRoundTrip(rec, () => T0);
    for (const r of rec.recommend('ann', { count: 8 })) expect(Number.isFinite(r.score)).toBe(true);
  });

  it('3. a version 1 snapshot is migrated only into a state that restores: a change at 1e300 or kept −5 is refused', () => {
    const v1 = (change: Record<string, unknown>) => ({
      format: 'attune.snapshot',
      version: 1,
      options: {
        seed: 0,
        halfLifeDays: 90,
        tiredDays: 30,
        holdBackDays: 14,
        holdBackFacets: ['category'],
        implicitQuoteDelayMinutes: 180,
        exploration: 0.3,
        propensitySamples: 100,
        facetCaps: { artist: 2 },
        maxTagShare: 0.7,
        mmrLambda: 1,
        protectedAttributes: [],
        poolSize: 200,
        lifeStages: true,
        collaborative: {},
      },
      items,
      users: [{ id: 'ann', optOut: false, consent: [], mutedTags: [], draws: 0, changes: [change] }],
      events: [[0, 0, 'up', T0, 1]],
    });
    expect(codeOf(() => restoreRecommender(v1({ at: 1e300, cause: 'requested', kept: 0 })))).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender(v1({ at: T0, cause: 'requested', kept: -5 })))).toBe('BAD_SNAPSHOT');
    const ok = restoreRecommender(v1({ at: T0, cause: 'requested', kept: 0 }), { now: () => T0 });
    expect(ok.profile('ann').changes).toHaveLength(1);
    expectRoundTrip(ok, () => T0);
  });

  it('4. a record whose event count is not the sum of its records is refused (events: 0 with evidence)', () => {
    const rec = createRecommender({ items, now: () => T0 });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
    const snap = json(rec);
    snap.people[0]!['events'] = 0;
    expect(codeOf(() => restoreRecommender(snap))).toBe('BAD_SNAPSHOT');
    snap.people[0]!['events'] = 2;
    expect(codeOf(() => restoreRecommender(snap))).toBe('BAD_SNAPSHOT');
  });
});

describe('unbounded work', () => {
  it(`7. stations per person (${MAX_STATIONS_PER_PERSON}), seeds per station (${MAX_SEEDS_PER_STATION}) and name length (${MAX_STATION_NAME_LENGTH}) are capped with LIMIT_EXCEEDED; repeated seeds count once`, () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ id: `i${i}`, tags: [`tag:${i}`] }));
    const rec = createRecommender({ items: many, now: () => T0 });
    const before = JSON.stringify(rec.snapshot());
    const seeds = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ item: `i${from + i}` }));
    expect(codeOf(() => rec.createStation('ann', { id: 's', seeds: seeds(MAX_SEEDS_PER_STATION + 1) }))).toBe(
      'LIMIT_EXCEEDED',
    );
    expect(
      codeOf(() =>
        rec.createStation('ann', { id: 's', name: 'x'.repeat(MAX_STATION_NAME_LENGTH + 1), seeds: seeds(1) }),
      ),
    ).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => rec.createStation('ann', { id: 'y'.repeat(5_000_000), seeds: seeds(1) }))).toBe(
      'LIMIT_EXCEEDED',
    );
    expect(JSON.stringify(rec.snapshot())).toBe(before);
    // 40,000 seeds naming 50 items: de-duplicated in one pass, and within the cap.
    const repeated = Array.from({ length: 40_000 }, (_, i) => ({ item: `i${i % 50}` }));
    expect(rec.createStation('ann', { id: 's', seeds: repeated }).seeds).toHaveLength(50);
    expect(rec.addStationSeeds('ann', 's', [...repeated, ...seeds(50, 50)]).seeds).toHaveLength(100);
    expect(codeOf(() => rec.addStationSeeds('ann', 's', seeds(1, 200)))).toBe('LIMIT_EXCEEDED');
    for (let i = 1; i < MAX_STATIONS_PER_PERSON; i++) rec.createStation('ann', { id: `s${i}`, seeds: seeds(1) });
    expect(codeOf(() => rec.createStation('ann', { id: 'one-more', seeds: seeds(1) }))).toBe('LIMIT_EXCEEDED');
    expectRoundTrip(rec, () => T0);
    // Restore holds snapshots to the same caps.
    const snap = json(rec);
    const stations = snap.people[0]!['stations'] as Record<string, unknown>[];
    stations.push({ ...stations[1]!, id: 'one-more' });
    expect(codeOf(() => restoreRecommender(snap))).toBe('BAD_SNAPSHOT');
  });

  it('9. train() refits at most 3 times while onProgress keeps erasing someone, then ABORTED and nothing changed', () => {
    const c = testClock();
    const rec = createRecommender({ items, seed: 2, now: c.now, collaborative: { factors: 2, iterations: 2 } });
    for (let u = 0; u < 30; u++) rec.feedback({ user: `u${u}`, item: items[u % items.length]!.id, signal: 'up' });
    const before = rec.recommend(undefined, { count: 3 });
    let fits = 0;
    let next = 0;
    const code = codeOf(() =>
      rec.train({
        onProgress: (p) => {
          if (p.iteration === 1) fits++;
          rec.forget(`u${next++}`);
        },
      }),
    );
    expect(code).toBe('ABORTED');
    expect(fits).toBe(3);
    expect(rec.snapshot().collaborative).toBeUndefined();
    expect(rec.recommend(undefined, { count: 3 }).map((r) => r.item)).toHaveLength(before.length);
  });
});

describe('impossible states a restore refused to notice (13)', () => {
  function base() {
    const c = testClock();
    const rec = createRecommender({ items, now: c.now });
    rec.feedback([
      { user: 'ann', item: 'jazz-1', signal: 'up', context: { device: 'speaker' } },
      { user: 'bob', item: 'rock-1', signal: 'play', weight: 3 },
    ]);
    rec.createStation('ann', { id: 'late', seeds: [{ item: 'jazz-2' }] });
    return { rec, now: c.now };
  }

  it('popularity that no record backs (1e300 likes) is refused', () => {
    const { rec, now } = base();
    const snap = json(rec);
    snap.popularity[0]![1] = 1e300;
    expect(codeOf(() => restoreRecommender(snap, { now }))).toBe('BAD_SNAPSHOT');
    const unbacked = json(rec);
    unbacked.popularity.push([5, 3, 0, T0, 1]);
    expect(codeOf(() => restoreRecommender(unbacked, { now }))).toBe('BAD_SNAPSHOT');
  });

  it('a taste that is not the sum of its records is refused', () => {
    const { rec, now } = base();
    const snap = json(rec);
    const taste = snap.people[0]!['taste'] as { tags: { pos: number[] } };
    taste.tags.pos[0] = taste.tags.pos[0]! * 2;
    expect(codeOf(() => restoreRecommender(snap, { now }))).toBe('BAD_SNAPSHOT');
  });

  it('a stored context feature that names a protected attribute or group is refused', () => {
    for (const feature of ['gender=female', 'segment=female', 'age~4']) {
      const { rec, now } = base();
      const snap = JSON.parse(JSON.stringify(rec.snapshot()).replaceAll('device=speaker', feature));
      expect(
        codeOf(() => restoreRecommender(snap, { now })),
        feature,
      ).toBe('BAD_SNAPSHOT');
    }
  });

  it('a station created at −1 or 1e300, duplicates, and unknown fields at any depth are refused', () => {
    const { rec, now } = base();
    const station = (s: ReturnType<typeof json>) => (s.people[0]!['stations'] as Record<string, unknown>[])[0]!;
    const variants: ((s: ReturnType<typeof json>) => void)[] = [
      (s) => (station(s)['created'] = -1),
      (s) => (station(s)['created'] = 1e300),
      (s) => (s.people[0]!['consent'] = ['health', 'health']),
      (s) => (s.people[0]!['mutedTags'] = ['genre:jazz', 'genre:jazz']),
      (s) => (station(s)['seeds'] = [{ item: 1 }, { item: 1 }]),
      (s) => ((s.people[0]!['evidence'] as Record<string, unknown>)['extra'] = []),
      (s) => ((station(s)['taste'] as Record<string, unknown>)['extra'] = 1),
      (s) => ((s.people[0]!['watch'] as Record<string, unknown>)['extra'] = 1),
      (s) => ((s.people[0]!['changes'] as unknown[]) = [{ at: T0, cause: 'requested', kept: 0, why: 'x' }]),
      (s) => s.people.push({ ...s.people[1]! }),
    ];
    for (const [i, change] of variants.entries()) {
      const snap = json(rec);
      change(snap);
      expect(
        codeOf(() => restoreRecommender(snap, { now })),
        `variant ${i}`,
      ).toBe('BAD_SNAPSHOT');
    }
    expectRoundTrip(rec, now);
  });
});

describe('codes and misspellings (14, 15)', () => {
  it('14. holes in station seeds are INVALID_ARGUMENT and leave no record for a never-seen person', () => {
    const rec = createRecommender({ items, now: () => T0 });
    const before = JSON.stringify(rec.snapshot());
    expect(
      codeOf(() => rec.createStation('zed', { id: 's', seeds: [{ item: 'jazz-1' }, , { item: 'jazz-2' }] as never })),
    ).toBe('INVALID_ARGUMENT');
    rec.createStation('ann', { id: 's', seeds: [{ item: 'jazz-1' }] });
    expect(codeOf(() => rec.addStationSeeds('ann', 's', [, { item: 'jazz-2' }] as never))).toBe('INVALID_ARGUMENT');
    rec.removeStation('ann', 's');
    expect(JSON.stringify(rec.snapshot())).toBe(before);
  });

  it('14. an .npy with a hole in ids, or a Spark text with one huge first line, is BAD_FACTORS', () => {
    const rec = createRecommender({ items, now: () => T0 });
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
    const padded = `${header}${' '.repeat(64 - ((10 + header.length + 1) % 64))}\n`;
    const bytes = new Uint8Array(10 + padded.length + 32);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(bytes.buffer).setUint16(8, padded.length, true);
    bytes.set(new TextEncoder().encode(padded), 10);
    new Float64Array(bytes.buffer, 10 + padded.length, 4).set([1, 2, 3, 4]);
    expect(codeOf(() => rec.importItemFactors({ format: 'npy', data: bytes, ids: ['jazz-0', ,] as never }))).toBe(
      'BAD_FACTORS',
    );
    expect(rec.importItemFactors({ format: 'npy', data: bytes, ids: ['jazz-0', 'jazz-1'] }).items).toBe(2);
    // One line of a million features, then many short ones: refused at the first line, never allocated.
    const huge = JSON.stringify({ id: 'jazz-0', features: new Array(1 << 20).fill(0) });
    const text = [huge, ...Array.from({ length: 600 }, (_, i) => `{"id":"x${i}","features":[1]}`)].join('\n');
    expect(codeOf(() => rec.importItemFactors({ format: 'spark-json', text }))).toBe('BAD_FACTORS');
  });

  it('14/15. trainInBackground refuses a signal that is not an AbortSignal and misspelt options', async () => {
    const rec = createRecommender({ items, now: () => T0 });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
    expect(await asyncCodeOf(() => rec.trainInBackground({ signal: { aborted: false } as never, threads: 2 }))).toBe(
      'INVALID_ARGUMENT',
    );
    const aborted = new AbortController();
    aborted.abort();
    expect(await asyncCodeOf(() => rec.trainInBackground({ singal: aborted.signal } as never))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await asyncCodeOf(() => rec.trainInBackground({ signal: aborted.signal, threads: 1 }))).toBe('ABORTED');
    expect(rec.snapshot().collaborative).toBeUndefined();
  });

  it('14/15. explain(u, i, null) and createStation with a misspelt option are INVALID_ARGUMENT', () => {
    const rec = createRecommender({ items, now: () => T0 });
    expect(codeOf(() => rec.explain('ann', 'jazz-1', null as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => rec.createStation('ann', { id: 's', nmae: 'x', seeds: [{ item: 'jazz-1' }] } as never))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(rec.snapshot().people).toEqual([]);
  });
});

describe('the small ones (19)', () => {
  it('profile().snoozed[].at is when the tired was given, and until when the rest ends', () => {
    const c = testClock();
    const rec = createRecommender({ items, tiredDays: 30, now: c.now });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired' });
    c.t += 60_000;
    expect(rec.profile('ann').snoozed[0]).toMatchObject({ at: T0, until: T0 + 30 * 86_400_000 });
  });

  it('removeFeedback and removeStation of everything a person gave leave the never-given snapshot, byte for byte', () => {
    const c = testClock();
    const make = () => createRecommender({ items, seed: 4, now: c.now });
    const never = make();
    never.feedback({ user: 'bob', item: 'rock-1', signal: 'up' });
    const a = make();
    a.feedback({ user: 'bob', item: 'rock-1', signal: 'up' });
    a.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', context: { hour: 8 } });
    a.recommend('ann');
    expect(a.removeFeedback('ann', 'jazz-1')).toBe(true);
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(never.snapshot()));
    a.createStation('ann', { id: 's', seeds: [{ item: 'jazz-2' }] });
    a.feedback({ user: 'ann', item: 'jazz-3', signal: 'play', station: 's' });
    a.removeStation('ann', 's');
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(never.snapshot()));
  });

  it('a no-op setPreferences for a new id keeps no record', () => {
    const rec = createRecommender({ items, now: () => T0 });
    rec.setPreferences('new', {});
    rec.setPreferences('newer', { consent: { health: false }, mutedTags: [] });
    expect(rec.snapshot().people).toEqual([]);
    rec.setPreferences('kept', { mutedTags: ['genre:jazz'] });
    expect(rec.snapshot().people.map((p) => p.id)).toEqual(['kept']);
  });

  it('train({ replaceImportedFactors: true }) says the imported factors were not kept', () => {
    const rec = createRecommender({ items, now: () => T0, collaborative: { factors: 2, iterations: 2 } });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
    expect(rec.train().keptImportedFactors).toBeUndefined();
    rec.importItemFactors({ format: 'spark-json', text: factorsText(() => [1, 1]) });
    expect(rec.train().keptImportedFactors).toBe(true);
    expect(rec.train({ replaceImportedFactors: true }).keptImportedFactors).toBe(false);
    expect(rec.train().keptImportedFactors).toBeUndefined();
  });
});
