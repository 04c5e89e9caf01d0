/**
 * The store suite: every store of the remote port (src/remote/store.ts) —
 * the in-process reference and Redis — keeps the same promises, which the
 * store-backed front builds on: creation once, optimistic atomic writes
 * with their popularity deltas, reads of what changed since a version, one
 * draw at a time, the model, a conditional popularity replacement, and a
 * consistent read of everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decay } from '../../src/decay/decay.js';
import { PopularityModel } from '../../src/models/popularity/popularity.js';
import { optionsToJSON, resolveOptions } from '../../src/options.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../../src/persist/snapshot.js';
import { ClusterConnection } from '../../src/redis/clusterConnection.js';
import { ClusterStore } from '../../src/redis/clusterStore.js';
import { Connection } from '../../src/redis/connection.js';
import { RedisStore } from '../../src/redis/store.js';
import type { PopularityOp } from '../../src/remote/sharedPopularity.js';
import type { PersonWrite, RemoteStore, StoredPerson } from '../../src/remote/store.js';
import { MemoryServer, MemoryStore } from '../__helpers__/memoryStore.js';
import { startCluster, type TestCluster } from '../redis/cluster.js';
import { freshNamespace, startRedis, type TestRedis } from '../redis/server.js';

let redis: TestRedis;
let cluster: TestCluster;
const server = new MemoryServer();
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startCluster()]);
});
afterAll(async () => {
  await Promise.all([redis.stop(), cluster.stop()]);
});

const stores: [string, () => Promise<RemoteStore>][] = [
  ['in-process', async () => new MemoryStore(server, freshNamespace('store'))],
  [
    'Redis',
    async () =>
      new RedisStore(
        await Connection.open(redis.url, { connectTimeoutMs: 2000, commandTimeoutMs: 5000 }),
        freshNamespace('store'),
      ),
  ],
  [
    'Redis Cluster',
    async () =>
      new ClusterStore(
        await ClusterConnection.open(cluster.urls, { connectTimeoutMs: 2000, commandTimeoutMs: 5000 }),
        freshNamespace('store'),
      ),
  ],
];

const HALF_LIFE_DAYS = 10;

function wanted(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    options: optionsToJSON(resolveOptions({ halfLifeDays: HALF_LIFE_DAYS, seed: 3 })),
    items: [{ id: 'a' }, { id: 'b', tags: ['genre:x'] }],
    people: [],
    popularity: [],
    ...extra,
  };
}

function person(
  id: string,
  expected: string,
  mode: PersonWrite['mode'],
  extra: Partial<PersonWrite> = {},
): PersonWrite {
  return { id, expected, mode, record: mode === 'del' ? '' : `{"id":"${id}"}`, optOut: false, stations: [], ...extra };
}

const stored = (p: StoredPerson | { same: true; draws: number }) => p as StoredPerson;

describe.each(stores)('the store port: %s', (_, open) => {
  it('creates a namespace once, and then answers with the options it holds', async () => {
    const store = await open();
    const first = await store.create('t', wanted(), true);
    expect(first.created).toBe(true);
    const again = await store.create('t', wanted({ options: optionsToJSON(resolveOptions({ seed: 99 })) }), true);
    expect(again).toEqual({ created: false, options: first.options });
    expect(first.options.seed).toBe(3);
    expect(await store.items('t', 0)).toEqual([{ id: 'a' }, { id: 'b', tags: ['genre:x'] }]);
    expect(await store.items('t', 1)).toEqual([{ id: 'b', tags: ['genre:x'] }]);
    await store.close();
  });

  it('appends items only to a catalog of the expected length', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    expect(await store.appendItems('t', 1, [{ id: 'c' }])).toBe(false);
    expect(await store.appendItems('t', 2, [{ id: 'c' }])).toBe(true);
    expect((await store.read('t', [], -1, false, [])).itemCount).toBe(3);
    await store.close();
  });

  it('writes people only at the versions read, whole or not at all, and serves unchanged copies as same', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    const v1 = await store.write('t', [person('ann', '0', 'new'), person('bob', '0', 'new')], []);
    expect(v1).toBeGreaterThan(0);
    // bob's version is no longer 0: nothing of this write happens, ann included.
    expect(
      await store.write('t', [person('ann', String(v1), 'set', { record: '{"x":1}' }), person('bob', '0', 'new')], []),
    ).toBe(0);
    const read = await store.read('t', ['ann', 'bob', 'cat'], -1, false, [undefined, String(v1), undefined]);
    expect(stored(read.people[0]!)).toEqual({ record: '{"id":"ann"}', version: String(v1), draws: 0 });
    expect(read.people[1]).toEqual({ same: true, draws: 0 });
    expect(stored(read.people[2]!)).toEqual({ record: '', version: '0', draws: 0 });
    const v2 = await store.write('t', [person('ann', String(v1), 'del')], []);
    expect(stored((await store.read('t', ['ann'], -1, false, [undefined])).people[0]!).record).toBe('');
    expect(v2).toBeGreaterThan(v1);
    await store.close();
  });

  it('takes one draw per read for the first person, only with a record, not opted out, and with the station asked for', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    const v = await store.write(
      't',
      [person('ann', '0', 'new', { stations: ['late'] }), person('opt', '0', 'new', { optOut: true })],
      [],
    );
    const draw = async (id: string, station?: string) =>
      (await store.read('t', [id], -1, true, [undefined], station)).drew;
    expect(await draw('ann')).toBe(true);
    expect(await draw('ann', 'late')).toBe(true);
    expect(await draw('ann', 'nope')).toBe(false);
    expect(await draw('opt')).toBe(false);
    expect(await draw('nobody')).toBe(false);
    expect(stored((await store.read('t', ['ann'], -1, false, [undefined])).people[0]!).draws).toBe(2);
    // A set keeps the draws; a new record starts again.
    await store.write('t', [person('ann', String(v), 'set', { stations: ['late'] })], []);
    expect(stored((await store.read('t', ['ann'], -1, false, [undefined])).people[0]!).draws).toBe(2);
    await store.close();
  });

  it('replays popularity deltas as PopularityModel does, and reports the rows changed since a version', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    const day = 86_400_000;
    const ops: PopularityOp[][] = [
      [{ kind: 'a', item: 0, pos: 1, neg: 0, t: 10 * day, newRecord: true }],
      [
        { kind: 'a', item: 0, pos: 0.5, neg: 0.25, t: 15 * day, newRecord: true },
        { kind: 'a', item: 1, pos: 2, neg: 0, t: 12 * day, newRecord: true },
      ],
      [{ kind: 'r', item: 0, pos: 1, neg: 0, t: 10 * day }],
    ];
    const model = new PopularityModel(Decay.ofDays(HALF_LIFE_DAYS));
    model.resize(2);
    let version = 0;
    const versions: number[] = [];
    for (const batch of ops) {
      version = await store.write('t', [], batch);
      versions.push(version);
      for (const o of batch) {
        if (o.kind === 'a') model.add(o.item, o.pos, o.neg, o.t, o.newRecord);
        else model.remove(o.item, o.pos, o.neg, o.t);
      }
    }
    const all = await store.read('t', [], -1, false, []);
    const rows = new Map(all.changes.map(([item, row]) => [item, row]));
    for (const row of model.toJSON()) {
      const got = rows.get(row[0])!;
      expect(got[0]).toBe(row[0]);
      for (const k of [1, 2, 3] as const) expect(got[k]).toBeCloseTo(row[k], 12);
      expect(got[4]).toBe(row[4]);
    }
    // Since the second write, only item 0 changed.
    const since = await store.read('t', [], versions[1]!, false, []);
    expect(since.changes.map(([item]) => item)).toEqual([0]);
    expect(since.version).toBe(version);
    await store.close();
  });

  it('publishes a model with a new version, and replaces popularity only when nothing was written since', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    const before = await store.model('t');
    expect(before.json).toBeUndefined();
    const published = await store.publishModel('t', { some: ['model'] });
    const after = await store.model('t');
    expect(after.json).toEqual({ some: ['model'] });
    expect(after.version).not.toBe(before.version);
    expect(after.version).toBe(published);
    const v = await store.write('t', [], [{ kind: 'a', item: 0, pos: 1, neg: 0, t: 5, newRecord: true }]);
    expect(await store.replacePopularity('t', String(v - 1), [[1, 3, 1, 5, 2]])).toBe(false);
    expect(await store.replacePopularity('t', String(v), [[1, 3, 1, 5, 2]])).toBe(true);
    const all = await store.read('t', [], -1, false, []);
    expect(all.changes).toEqual([[1, [1, 3, 1, 5, 2]]]);
    await store.close();
  });

  it('reads everything as a snapshot, people in the order they were first stored', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    const p = (id: string) => `{"id":"${id}","optOut":false,"draws":0}`;
    const v = await store.write('t', [person('zed', '0', 'new', { record: p('zed') })], []);
    await store.write('t', [person('amy', '0', 'new', { record: p('amy') })], []);
    await store.read('t', ['zed'], -1, true, [undefined]);
    await store.write('t', [person('zed', String(v), 'set', { record: p('zed') })], []);
    const all = (await store.readAll('t'))!;
    expect(all.snapshot.people.map((x) => [x.id, x.draws])).toEqual([
      ['zed', 1],
      ['amy', 0],
    ]);
    expect(all.snapshot.items).toHaveLength(2);
    expect(all.snapshot.options.seed).toBe(3);
    await store.close();
  });

  it('refuses a namespace it does not hold (UNKNOWN_NAMESPACE) unless asked to create it, and writes nothing into it', async () => {
    const store = await open();
    const gone = { code: 'UNKNOWN_NAMESPACE' };
    await expect(store.create('t', wanted(), false)).rejects.toMatchObject(gone);
    await expect(store.read('t', ['amy'], -1, false, [undefined])).rejects.toMatchObject(gone);
    await expect(store.write('t', [person('amy', '0', 'new')], [])).rejects.toMatchObject(gone);
    await expect(store.appendItems('t', 0, [{ id: 'c' }])).rejects.toMatchObject(gone);
    await expect(store.publishModel('t', undefined)).rejects.toMatchObject(gone);
    await expect(store.replacePopularity('t', '0', [])).rejects.toMatchObject(gone);
    await expect(store.readAll('t')).rejects.toMatchObject(gone);
    expect((await store.create('t', wanted(), true)).created).toBe(true);
    expect((await store.create('t', wanted(), false)).created).toBe(false);
    expect((await store.readAll('t'))!.snapshot.people).toEqual([]);
    await store.close();
  });

  it('names the records it cannot read (not JSON, or another person’s) instead of failing the whole read', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    const writes = [
      person('amy', '0', 'new'),
      person('bob', '0', 'new', { record: '{not json' }),
      person('cid', '0', 'new', { record: '{"id":"amy"}' }),
    ];
    expect(await store.write('t', writes, [])).toBeGreaterThan(0);
    const all = (await store.readAll('t'))!;
    expect(all.unreadable).toEqual(['bob', 'cid']);
    expect(all.snapshot.people.map((p) => p.id)).toEqual(['amy']);
    await store.close();
  });

  it('fails with STORE_UNAVAILABLE once closed', async () => {
    const store = await open();
    await store.create('t', wanted(), true);
    await store.close();
    await expect(store.read('t', [], -1, false, [])).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
