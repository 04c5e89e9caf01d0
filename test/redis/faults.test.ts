/**
 * attune/redis under faults (issue 26: 5, 6, 10, 11, 12, 14): a server that
 * stops answering, a socket that never answers, records and catalog entries
 * that cannot be read or sit under another person's key, a namespace that
 * was never created or lost its data, URLs that do not parse. Each is an
 * AttuneError with its code within a bounded time; a bad record is an error
 * for its person only, and forget still removes it.
 */
import { createClient } from '@redis/client';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecommender } from '../../src/index.js';
import { connectRecommender, namespaceKeys, type RedisRecommender } from '../../src/redis.js';
import { RemoteRecommender } from '../../src/remote/front.js';
import { MemoryServer, MemoryStore } from '../__helpers__/memoryStore.js';
import { musicCatalog, testClock } from '../__helpers__/catalog.js';
import { freshNamespace, startRedis, type TestRedis } from './server.js';

const items = musicCatalog(4, ['jazz', 'rock']);
let redis: TestRedis;
let client: ReturnType<typeof createClient>;
const open: RedisRecommender[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await client.close();
  await redis.stop();
});

async function connect(namespace: string, extra: Record<string, unknown> = {}): Promise<RedisRecommender> {
  const rec = await connectRecommender({ url: redis.url, namespace, ...extra });
  open.push(rec);
  return rec;
}

const BAD_RECORD = { code: 'BAD_RECORD' };

/** A namespace without a collaborative model where ann and bob gave one thumb each. */
async function annAndBob(ns: string): Promise<{ rec: RedisRecommender; c: ReturnType<typeof testClock> }> {
  const c = testClock();
  const rec = await connect(ns, { items, now: c.now, collaborative: false });
  await rec.feedback([
    { user: 'ann', item: 'jazz-1', signal: 'up' },
    { user: 'bob', item: 'rock-1', signal: 'up' },
  ]);
  return { rec, c };
}

describe('5, 14. timeouts and URLs', () => {
  it('a server that stops answering gives STORE_UNAVAILABLE within commandTimeoutMs; once it answers again, so does the recommender', async () => {
    const own = await startRedis(true);
    const rec = await connectRecommender({
      url: own.url,
      namespace: freshNamespace('paused'),
      items,
      commandTimeoutMs: 300,
    });
    try {
      await rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
      own.pause!();
      const started = Date.now();
      await expect(rec.recommend('ann')).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining('commandTimeoutMs (300 ms)'),
      });
      await expect(rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up' })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
      expect(Date.now() - started).toBeLessThan(3000);
      own.resume!();
      expect((await rec.recommend('ann', { count: 2 })).length).toBe(2);
    } finally {
      own.resume!();
      await rec.close();
      await own.stop();
    }
  });

  it('a socket that accepts and never answers: STORE_UNAVAILABLE within connectTimeoutMs, and the socket is closed', async () => {
    const sockets: Socket[] = [];
    const closed: Promise<void>[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read (and ignore) what the client sends, so that its close is seen
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      await expect(connectRecommender({ url, namespace: 'x', items, connectTimeoutMs: 300 })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining('connectTimeoutMs (300 ms)'),
      });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(sockets.length).toBeGreaterThan(0);
      // The client let go of the socket (nothing is left to keep the process alive).
      await Promise.race([
        Promise.all(closed),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`${sockets.length} sockets still open`)), 3000)),
      ]);
    } finally {
      silent.close();
    }
  });

  it('a URL that does not parse, or a timeout out of range, is INVALID_OPTIONS', async () => {
    for (const url of ['redis://127.0.0.1:99999', 'redis://[::1', 'redis://user:secret@[::1'])
      await expect(connectRecommender({ url, namespace: 'x', items })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.not.stringContaining('secret'),
      });
    for (const commandTimeoutMs of [0, -1, Number.NaN, 2 ** 31, '5' as never])
      await expect(
        connectRecommender({ url: redis.url, namespace: 'x', items, commandTimeoutMs }),
      ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('10, 11. a record that cannot be read is an error for its person only', () => {
  it('a non-JSON record: BAD_RECORD for that person in every process; others served; train skips it, snapshot names it, forget removes it', async () => {
    const ns = freshNamespace('corrupt');
    const keys = namespaceKeys(ns);
    const c = testClock();
    const rec = await connect(ns, { items, now: c.now, collaborative: { factors: 2, iterations: 2 } });
    await rec.feedback([
      { user: 'ann', item: 'jazz-1', signal: 'up' },
      { user: 'bob', item: 'rock-1', signal: 'up' },
    ]);
    // Damaged in place, at a new version: every process reads it again.
    await client.hSet(keys.person('ann'), { record: '{not json', v: '999' });
    const other = await connect(ns, { now: c.now });
    for (const r of [rec, other]) {
      await expect(r.recommend('ann')).rejects.toMatchObject({
        ...BAD_RECORD,
        message: expect.stringContaining('forget("ann")'),
      });
      await expect(r.feedback({ user: 'ann', item: 'jazz-2', signal: 'up' })).rejects.toMatchObject(BAD_RECORD);
      await expect(r.profile('ann')).rejects.toMatchObject(BAD_RECORD);
      expect((await r.recommend('bob', { count: 2 })).length).toBe(2);
    }
    await rec.feedback({ user: 'bob', item: 'rock-2', signal: 'up' });
    await expect(rec.snapshot()).rejects.toMatchObject({ ...BAD_RECORD, message: expect.stringContaining('"ann"') });
    const report = await rec.train();
    expect(report.users).toBe(1);
    expect(report.skipped).toEqual([{ id: 'ann', code: 'BAD_RECORD' }]);
    expect(await other.forget('ann')).toBe(true);
    expect(await client.exists(keys.person('ann'))).toBe(0);
    expect(await rec.forget('ann')).toBe(false);
    expect((await rec.train()).skipped).toBeUndefined();
    const snap = await rec.snapshot();
    expect(snap.people.map((p) => p.id)).toEqual(['bob']);
    expect(JSON.stringify(restoreRecommender(JSON.parse(JSON.stringify(snap)), { now: c.now }).snapshot())).toBe(
      JSON.stringify(snap),
    );
  });

  it('train() leaves out a record that is JSON under the right key but not a valid record, and lists it in skipped', async () => {
    const ns = freshNamespace('invalid');
    const keys = namespaceKeys(ns);
    const { rec } = await annAndBob(ns);
    await client.hSet(keys.person('ann'), { record: '{"id":"ann","evidence":"lots"}', v: '999' });
    const report = await rec.train();
    expect(report.users).toBe(1);
    expect(report.skipped).toEqual([{ id: 'ann', code: 'BAD_RECORD' }]);
  });

  it('forgetting an unreadable record before train(): snapshot says popularity needs a train(), which repairs it', async () => {
    const ns = freshNamespace('forgotten');
    const keys = namespaceKeys(ns);
    const { rec, c } = await annAndBob(ns);
    await client.hSet(keys.person('ann'), { record: '[]', v: '999' });
    expect(await rec.forget('ann')).toBe(true);
    await expect(rec.snapshot()).rejects.toMatchObject({ ...BAD_RECORD, message: expect.stringContaining('train()') });
    await rec.train();
    const snap = await rec.snapshot();
    expect(snap.popularity.map((row) => row[0])).toEqual([items.findIndex((i) => i.id === 'rock-1')]);
    expect(() => restoreRecommender(JSON.parse(JSON.stringify(snap)), { now: c.now })).not.toThrow();
  });

  it('a record stored under another person’s key is BAD_RECORD, never served as that person, and snapshot does not name anyone twice', async () => {
    const ns = freshNamespace('misplaced');
    const keys = namespaceKeys(ns);
    const rec = await connect(ns, { items });
    await rec.feedback({ user: 'bob', item: 'rock-1', signal: 'up' });
    const bob = await client.hGetAll(keys.person('bob'));
    await client.hSet(keys.person('eve'), bob);
    await client.zAdd(keys.people, { score: 99, value: 'eve' });
    await expect(rec.recommend('eve')).rejects.toMatchObject(BAD_RECORD);
    await expect(rec.profile('eve')).rejects.toMatchObject(BAD_RECORD);
    expect((await rec.profile('bob')).thumbs).toHaveLength(1);
    await expect(rec.snapshot()).rejects.toMatchObject({ ...BAD_RECORD, message: expect.stringContaining('"eve"') });
    expect(await rec.forget('eve')).toBe(true);
    expect((await rec.profile('bob')).thumbs).toHaveLength(1);
  });

  it('a catalog entry that is not JSON is BAD_RECORD naming the entry (a new connect, and a running process at its next call)', async () => {
    const ns = freshNamespace('catalog');
    const keys = namespaceKeys(ns);
    const rec = await connect(ns, { items });
    await client.rPush(keys.items, '{oops');
    await expect(rec.recommend('ann')).rejects.toMatchObject({
      ...BAD_RECORD,
      message: expect.stringContaining(`catalog entry ${items.length}`),
    });
    await expect(connect(ns)).rejects.toMatchObject(BAD_RECORD);
  });
});

describe('12. a namespace that was never created, or lost its data', () => {
  it('a misspelt namespace is refused at connect (UNKNOWN_NAMESPACE) and nothing is created; with items it is created', async () => {
    const ns = freshNamespace('typo');
    await expect(connectRecommender({ url: redis.url, namespace: ns })).rejects.toMatchObject({
      code: 'UNKNOWN_NAMESPACE',
      message: expect.stringContaining('misspelt'),
    });
    await expect(connectRecommender({ url: redis.url, namespace: ns, seed: 4 })).rejects.toMatchObject({
      code: 'UNKNOWN_NAMESPACE',
    });
    expect(await client.exists(namespaceKeys(ns).options)).toBe(0);
    const rec = await connect(ns, { items });
    expect(rec.itemCount).toBe(items.length);
    expect((await connect(ns)).itemCount).toBe(items.length);
  });

  it('data lost while running (FLUSHALL, a restart without persistence) is UNKNOWN_NAMESPACE at the next call, and nothing is written into it', async () => {
    const own = await startRedis(true);
    const ns = freshNamespace('flushed');
    const flusher = createClient({ url: own.url });
    await flusher.connect();
    const rec = await connectRecommender({ url: own.url, namespace: ns, items });
    try {
      await rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
      await rec.feedback({ user: 'bob', item: 'jazz-1', signal: 'up' });
      await flusher.flushAll();
      const gone = { code: 'UNKNOWN_NAMESPACE' };
      await expect(rec.recommend('ann')).rejects.toMatchObject(gone);
      await expect(rec.feedback({ user: 'cy', item: 'jazz-2', signal: 'up' })).rejects.toMatchObject(gone);
      await expect(rec.train()).rejects.toMatchObject(gone);
      await expect(rec.addItems([{ id: 'new' }])).rejects.toMatchObject(gone);
      expect(await flusher.dbSize()).toBe(0);
      // Created again by another process: the first one still knows it is not the state it served.
      const again = await connectRecommender({ url: own.url, namespace: ns, items });
      await expect(rec.recommend('ann')).rejects.toMatchObject(gone);
      await again.close();
    } finally {
      await rec.close();
      await flusher.close();
      await own.stop();
    }
  });
});

describe('6. never-seen ids', () => {
  it('a process serving endless new ids keeps a bounded amount about them (the store-backed front over the in-process store)', async () => {
    const server = new MemoryServer();
    const rec = await RemoteRecommender.open(
      new MemoryStore(server, 'n'),
      { namespace: 'n', items, now: testClock().now },
      'test',
    );
    const held = rec as unknown as { records: Map<string, unknown>; seen: Map<string, unknown> };
    for (let i = 0; i < 10_300; i++) await rec.recommend(`visitor-${i}`, { count: 1 });
    expect(held.records.size).toBeLessThanOrEqual(10_000);
    expect(held.seen.size).toBeLessThanOrEqual(10_000);
  });
});
