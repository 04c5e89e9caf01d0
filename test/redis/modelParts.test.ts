/**
 * The collaborative model stored in parts (src/redis/sharedStore.ts,
 * keys.ts): a publish is one switch of a pointer, so a reader sees the old
 * model or the new one and never a mix, even when the old parts vanish
 * while it reads; a namespace written in the older layout (the whole model
 * as one value) still serves; a damaged or missing part is BAD_RECORD
 * naming the model. On one server and on a Redis Cluster of three masters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index.js';
import { connectRecommender, type RedisRecommender } from '../../src/redis.js';
import { ClusterConnection } from '../../src/redis/clusterConnection.js';
import { ClusterStore } from '../../src/redis/clusterStore.js';
import { Connection } from '../../src/redis/connection.js';
import { namespaceKeys } from '../../src/redis/keys.js';
import { RedisStore } from '../../src/redis/store.js';
import { optionsToJSON, resolveOptions } from '../../src/options.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../../src/persist/snapshot.js';
import type { RemoteStore } from '../../src/remote/store.js';
import { musicCatalog, testClock } from '../__helpers__/catalog.js';
import { startCluster, type TestCluster } from './cluster.js';
import { freshNamespace, startRedis, type TestRedis } from './server.js';

let redis: TestRedis;
let cluster: TestCluster;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startCluster()]);
});
afterAll(async () => {
  await Promise.all([redis.stop(), cluster.stop()]);
});

const TIMEOUTS = { connectTimeoutMs: 2000, commandTimeoutMs: 10_000 };

/** A raw command where a key lives (one server ignores the key). */
type Raw = <T>(key: string, args: string[]) => Promise<T>;

/** Runs `hook` once, after the reply to the first read of model parts and before the caller sees it. */
function afterFirstPartRead<C extends object>(connection: C, hook: () => Promise<void>): C {
  let fired = false;
  return new Proxy(connection, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (name !== 'commandAt' || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(target) : value;
      return async (api: string, key: string, args: string[]) => {
        const reply: unknown = await (value as (...a: unknown[]) => Promise<unknown>).call(target, api, key, args);
        if (!fired && args[0] === 'MGET' && key.includes(':model:part:')) {
          fired = true;
          await hook();
        }
        return reply;
      };
    },
  });
}

interface Target {
  store(namespace: string): Promise<RemoteStore>;
  /** A store whose connection runs `hook` after its first read of model parts. */
  slowStore(namespace: string, hook: () => Promise<void>): Promise<RemoteStore>;
  raw(): Promise<{ send: Raw; close(): Promise<void> }>;
  connect: { url: string } | { cluster: string[] };
}

const targets: [string, () => Target][] = [
  [
    'one server',
    () => ({
      store: async (ns) => new RedisStore(await Connection.open(redis.url, TIMEOUTS), ns),
      slowStore: async (ns, hook) =>
        new RedisStore(afterFirstPartRead(await Connection.open(redis.url, TIMEOUTS), hook), ns),
      raw: async () => {
        const c = await Connection.open(redis.url, TIMEOUTS);
        return { send: (_key, args) => c.command('test', args), close: () => c.close() };
      },
      connect: { url: redis.url },
    }),
  ],
  [
    'Cluster',
    () => ({
      store: async (ns) => new ClusterStore(await ClusterConnection.open(cluster.urls, TIMEOUTS), ns),
      slowStore: async (ns, hook) =>
        new ClusterStore(afterFirstPartRead(await ClusterConnection.open(cluster.urls, TIMEOUTS), hook), ns),
      raw: async () => {
        const c = await ClusterConnection.open(cluster.urls, TIMEOUTS);
        return { send: (key, args) => c.command('test', key, args), close: () => c.close() };
      },
      connect: { cluster: cluster.urls },
    }),
  ],
];

function empty(): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    options: optionsToJSON(resolveOptions({ seed: 3 })),
    items: [{ id: 'a' }],
    people: [],
    popularity: [],
  };
}

/** A model-like value of ~1.6 MB (several parts, more than one batch), every number tied to `tag`. */
function bigModel(tag: number): { tag: number; values: number[] } {
  return { tag, values: Array.from({ length: 120_000 }, (_, i) => tag * 1e6 + i + 0.123456789) };
}

/** Whether `json` is exactly one of the big models (not a mix of two). */
function whole(json: unknown): number | undefined {
  const m = json as { tag: number; values: number[] };
  if (typeof m?.tag !== 'number' || m.values.length !== 120_000) return undefined;
  return m.values.every((v, i) => v === m.tag * 1e6 + i + 0.123456789) ? m.tag : undefined;
}

/** The pointer and part keys of the model in use. */
async function partsOf(send: Raw, ns: string): Promise<{ id: string; keys: string[] }> {
  const k = namespaceKeys(ns);
  const head = await send<string | null>(k.modelHead, ['GET', k.modelHead]);
  if (head === null) throw new Error('no model pointer');
  const [id, count] = head.split(' ') as [string, string];
  return { id, keys: Array.from({ length: Number(count) }, (_, i) => `${k.modelPart}${id}:${i}`) };
}

describe.each(targets)('the model in parts: %s', (_, target) => {
  it('a reader during publishes sees the old model or the new one, never a mix, even when old parts vanish mid-read', async () => {
    const t = target();
    const ns = freshNamespace('parts');
    const writer = await t.store(ns);
    const reader = await t.store(ns);
    const { send, close } = await t.raw();
    try {
      await writer.create('t', empty(), true);
      await writer.publishModel('t', bigModel(1));
      const first = await partsOf(send, ns);
      expect(first.keys.length).toBeGreaterThan(4);
      // Published parts stay; nothing is left to expire.
      expect(await send<number>(first.keys[0]!, ['PTTL', first.keys[0]!])).toBe(-1);
      const seen = new Map<string, number>();
      let reading = true;
      const reads = (async () => {
        let count = 0;
        while (reading || count < 3) {
          const { json, version } = await reader.model('t');
          const tag = whole(json);
          expect(tag, `read ${count} at version ${version} is a whole model`).toBeDefined();
          // One version, one model.
          if (seen.has(version)) expect(seen.get(version)).toBe(tag);
          seen.set(version, tag!);
          count++;
        }
        return count;
      })();
      for (let tag = 2; tag <= 6; tag++) {
        const before = await partsOf(send, ns);
        await writer.publishModel('t', bigModel(tag));
        // The replaced parts expire later; delete them now, as if a reader were slower than that.
        const ttl = await send<number>(before.keys[0]!, ['PTTL', before.keys[0]!]);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
        for (const key of before.keys) await send(key, ['DEL', key]);
      }
      reading = false;
      expect(await reads).toBeGreaterThanOrEqual(3);
      expect(whole((await reader.model('t')).json)).toBe(6);
      expect([...seen.values()].every((tag) => tag >= 1 && tag <= 6)).toBe(true);
      // Removing the model retires its parts too.
      const last = await partsOf(send, ns);
      await writer.publishModel('t', undefined);
      expect((await reader.model('t')).json).toBeUndefined();
      expect(await send<number>(last.keys[0]!, ['PTTL', last.keys[0]!])).toBeGreaterThan(0);
    } finally {
      await Promise.all([writer.close(), reader.close(), close()]);
    }
  });

  it('a reader whose model is replaced, and its parts gone, between two batches starts again and reads the new model whole', async () => {
    const t = target();
    const ns = freshNamespace('replaced');
    const writer = await t.store(ns);
    const { send, close } = await t.raw();
    const reader = await t.slowStore(ns, async () => {
      const before = await partsOf(send, ns);
      await writer.publishModel('t', bigModel(2));
      for (const key of before.keys) await send(key, ['DEL', key]);
    });
    try {
      await writer.create('t', empty(), true);
      await writer.publishModel('t', bigModel(1));
      const { json, version } = await reader.model('t');
      expect(whole(json)).toBe(2);
      expect(version).toBe((await writer.model('t')).version);
    } finally {
      await Promise.all([writer.close(), reader.close(), close()]);
    }
  });

  it('a damaged part, or one missing while the pointer still names it, is BAD_RECORD naming the model', async () => {
    const t = target();
    const ns = freshNamespace('damaged');
    const store = await t.store(ns);
    const { send, close } = await t.raw();
    try {
      await store.create('t', empty(), true);
      await store.publishModel('t', bigModel(1));
      const { keys } = await partsOf(send, ns);
      await send(keys[2]!, ['SET', keys[2]!, '{"not": "the text that was here"']);
      await expect(store.model('t')).rejects.toMatchObject({
        code: 'BAD_RECORD',
        message: expect.stringMatching(/the collaborative model .* cannot be read \(not JSON/),
      });
      await send(keys[3]!, ['DEL', keys[3]!]);
      await expect(store.model('t')).rejects.toMatchObject({
        code: 'BAD_RECORD',
        message: expect.stringContaining('part 3 is missing'),
      });
      // A new publish repairs it.
      await store.publishModel('t', bigModel(2));
      expect(whole((await store.model('t')).json)).toBe(2);
    } finally {
      await Promise.all([store.close(), close()]);
    }
  });

  it('a publish into a namespace that is gone writes nothing and leaves no part behind', async () => {
    const t = target();
    const ns = freshNamespace('gone');
    const store = await t.store(ns);
    const { send, close } = await t.raw();
    try {
      await store.create('t', empty(), true);
      const k = namespaceKeys(ns);
      await send(k.options, ['DEL', k.options]);
      await expect(store.publishModel('t', bigModel(1))).rejects.toMatchObject({ code: 'UNKNOWN_NAMESPACE' });
      const left = await send<[string, string[]]>(k.modelPart, [
        'SCAN',
        '0',
        'MATCH',
        `${k.modelPart}*`,
        'COUNT',
        '10000',
      ]);
      // SCAN visits the node of the cursor; on a Cluster it is routed by the prefix's slot, the parts' slot.
      expect(left[1]).toEqual([]);
    } finally {
      await Promise.all([store.close(), close()]);
    }
  });

  it('serves a namespace written in the older layout (the whole model as one value), and a publish moves it to parts', async () => {
    const t = target();
    const ns = freshNamespace('older');
    const c = testClock();
    const items = musicCatalog(6, ['jazz', 'rock']);
    const mem = createRecommender({ items, now: c.now, seed: 5, collaborative: { factors: 3, iterations: 3 } });
    for (const user of ['ann', 'bob', 'cy', 'dee'])
      mem.feedback(
        items
          .filter((_, i) => (i + user.length) % 3 === 0)
          .map((item) => ({ user, item: item.id, signal: 'up' as const })),
      );
    mem.train();
    const snapshot = mem.snapshot();
    const { send, close } = await t.raw();
    const open: RedisRecommender[] = [];
    try {
      const first = await connectRecommender({ ...t.connect, namespace: ns, snapshot, now: c.now });
      open.push(first);
      // Rewrite the namespace as an older attune wrote it: one value under `model`, no pointer, no parts.
      const k = namespaceKeys(ns);
      const { keys } = await partsOf(send, ns);
      let text = '';
      for (const key of keys) text += await send<string>(key, ['GET', key]);
      await send(k.model, ['SET', k.model, text]);
      await send(k.modelHead, ['DEL', k.modelHead]);
      for (const key of keys) await send(key, ['DEL', key]);
      await send(k.modelVersion, ['INCR', k.modelVersion]);
      const older = await connectRecommender({ ...t.connect, namespace: ns, now: c.now });
      open.push(older);
      expect((await older.snapshot()).collaborative).toEqual(snapshot.collaborative);
      expect(await older.recommend('ann', { count: 5 })).toHaveLength(5);
      // The next train() publishes in parts and removes the older value.
      await older.train();
      expect(await send<number>(k.model, ['EXISTS', k.model])).toBe(0);
      expect((await partsOf(send, ns)).keys.length).toBeGreaterThan(0);
      const trained = (await older.snapshot()).collaborative;
      expect(trained).toBeDefined();
      expect((await first.snapshot()).collaborative).toEqual(trained);
    } finally {
      await Promise.all(open.map((r) => r.close()));
      await close();
    }
  });
});

describe('a creation on one server, staged a batch at a time', () => {
  it('moves a snapshot in whole and leaves no staging list; a second connect with items stages nothing', async () => {
    const ns = freshNamespace('staged');
    const c = testClock();
    const items = musicCatalog(40, ['jazz', 'rock', 'folk']);
    const mem = createRecommender({ items, now: c.now, seed: 2, collaborative: { factors: 2, iterations: 2 } });
    // More people than one staging command carries (500 entries: 100 people).
    for (let p = 0; p < 230; p++)
      mem.feedback({ user: `u${p}`, item: items[(p * 7) % items.length]!.id, signal: p % 5 === 0 ? 'down' : 'up' });
    mem.train();
    const snapshot = mem.snapshot();
    const conn = await Connection.open(redis.url, TIMEOUTS);
    const open: RedisRecommender[] = [];
    try {
      const rec = await connectRecommender({ url: redis.url, namespace: ns, snapshot, now: c.now });
      open.push(rec);
      expect(JSON.stringify(await rec.snapshot())).toBe(JSON.stringify(snapshot));
      const again = await connectRecommender({ url: redis.url, namespace: ns, items, now: c.now });
      open.push(again);
      const pattern = `${namespaceKeys(ns).staging('')}*`;
      const [, left] = await conn.command<[string, string[]]>('t', ['SCAN', '0', 'MATCH', pattern, 'COUNT', '100000']);
      expect(left).toEqual([]);
    } finally {
      await Promise.all(open.map((r) => r.close()));
      await conn.close();
    }
  });
});
