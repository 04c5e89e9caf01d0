import { createClient, RedisClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRecommender, restoreRecommender } from '../../src/index.js';
import { CollaborativeModel } from '../../src/models/collaborative/collaborative.js';
import { connectRecommender, namespaceKeys, type RedisRecommender } from '../../src/redis.js';
import { HISTORY, musicCatalog, testClock } from '../__helpers__/catalog.js';
import { freshNamespace, startRedis, type TestRedis } from './server.js';

const items = musicCatalog(8, ['jazz', 'rock', 'folk', 'soul']);
let redis: TestRedis;
const open: RedisRecommender[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await redis.stop();
});

const clock = testClock;

async function connect(namespace: string, extra: Record<string, unknown> = {}): Promise<RedisRecommender> {
  const rec = await connectRecommender({ url: redis.url, namespace, ...extra });
  open.push(rec);
  return rec;
}

const script = HISTORY;

function names(list: { item: string }[]): string[] {
  return list.map((r) => r.item);
}

describe('attune/redis: the same recommender, state in Redis', () => {
  it('reads its writes across connections, and another connection picks up a new model at its next request', async () => {
    const ns = freshNamespace('ryw');
    const c = clock();
    const a = await connect(ns, { items, seed: 1, now: c.now });
    const b = await connect(ns, { now: c.now });
    await a.feedback({ user: 'dan', item: 'soul-1', signal: 'up' });
    expect((await b.profile('dan')).thumbs.map((t) => t.item)).toEqual(['soul-1']);
    await b.feedback({ user: 'dan', item: 'soul-1', signal: 'down' });
    expect(names(await a.recommend('dan', { count: 32, includeSeen: true }))).not.toContain('soul-1');
    for (const e of script) await a.feedback(e);
    await a.train();
    const mem = restoreRecommender(await a.snapshot(), { now: c.now });
    expect(await b.recommend('ann', { count: 5 })).toEqual(mem.recommend('ann', { count: 5 }));
  });

  it('serves a model it trained as the other processes read it, to the last bit, without reading it back', async () => {
    const ns = freshNamespace('trained');
    const c = clock();
    // Enough items and factors that the fitted model's Gram matrix differs in its last bits from the one read back.
    const many = Array.from({ length: 600 }, (_, i) => ({ id: `i${i}`, tags: [`g:${i % 11}`] }));
    const options = { items: many, seed: 5, now: c.now, collaborative: { factors: 64, iterations: 3 } };
    const a = await connect(ns, options);
    const b = await connect(ns, { now: c.now });
    let s = 11;
    const draw = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    await a.feedback(
      Array.from({ length: 4000 }, (_, k) => ({
        user: `u${k % 120}`,
        item: `i${Math.floor(draw() * many.length)}`,
        signal: (draw() < 0.8 ? 'up' : 'down') as 'up' | 'down',
        at: c.now() - 4_000_000 + k * 1000,
      })),
    );
    const readBack = vi.spyOn(CollaborativeModel, 'readBackSteps');
    const fromText = vi.spyOn(CollaborativeModel, 'fromJSONSteps');
    await a.train();
    await a.recommend('u1', { count: 5 });
    // The training process made the model from the one it published (fromJSONSteps on its own arrays), no text read.
    expect(readBack).toHaveBeenCalledTimes(1);
    expect(fromText.mock.calls.filter(([, own]) => own !== true)).toHaveLength(0);
    readBack.mockRestore();
    fromText.mockRestore();
    const mem = restoreRecommender(await a.snapshot(), { now: c.now });
    for (const user of ['u1', 'u2', 'u3', 'u50']) {
      expect(await a.recommend(user, { count: 8 })).toEqual(mem.recommend(user, { count: 8 }));
      expect(await b.recommend(user, { count: 8 })).toEqual(mem.recommend(user, { count: 8 }));
    }
  });

  it('holds stations in the person’s record: one connection creates and thumbs, another serves the same station list', async () => {
    const ns = freshNamespace('stations');
    const c = clock();
    const a = await connect(ns, { items, seed: 3, now: c.now });
    const b = await connect(ns, { now: c.now });
    const mem = createRecommender({ items, seed: 3, now: c.now });
    for (const r of [a, mem])
      await r.createStation('eve', {
        id: 'late',
        name: 'Late Jazz',
        seeds: [{ item: 'jazz-1' }, { tag: 'mood:mellow' }],
      });
    c.t += 60_000;
    await a.feedback({ user: 'eve', item: 'jazz-3', signal: 'down', station: 'late' });
    mem.feedback({ user: 'eve', item: 'jazz-3', signal: 'down', station: 'late' });
    expect(await b.stations('eve')).toEqual(mem.stations('eve'));
    expect(await b.recommend('eve', { station: 'late', count: 6 })).toEqual(
      mem.recommend('eve', { station: 'late', count: 6 }),
    );
    await expect(b.createStation('eve', { id: 'late', seeds: [{ tag: 'genre:jazz' }] })).rejects.toMatchObject({
      code: 'DUPLICATE_STATION',
    });
    await b.addStationSeeds('eve', 'late', [{ tag: 'genre:soul' }]);
    mem.addStationSeeds('eve', 'late', [{ tag: 'genre:soul' }]);
    await b.removeStation('eve', 'late');
    mem.removeStation('eve', 'late');
    expect(JSON.stringify(await a.snapshot())).toBe(JSON.stringify(mem.snapshot()));
  });

  it('serves the same lists after a restart, and moves a snapshot into Redis and out of it', async () => {
    const c = clock();
    const mem = createRecommender({ items, seed: 3, now: c.now });
    mem.feedback(script);
    mem.train();
    const ns = freshNamespace('snap');
    const rec = await connect(ns, { snapshot: mem.snapshot(), now: c.now });
    expect(JSON.stringify(await rec.snapshot())).toBe(JSON.stringify(mem.snapshot()));
    expect(await rec.recommend('ann', { count: 5 })).toEqual(mem.recommend('ann', { count: 5 }));
    const before = await rec.snapshot();
    await rec.close();
    const again = await connect(ns, { now: c.now });
    const replay = restoreRecommender(before, { now: c.now });
    expect(await again.recommend('ann', { count: 5 })).toEqual(replay.recommend('ann', { count: 5 }));
    expect(await again.recommend('bob', { count: 5 })).toEqual(replay.recommend('bob', { count: 5 }));
    await expect(connect(ns, { snapshot: mem.snapshot() })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('refuses bad input with the in-memory errors and writes nothing', async () => {
    const ns = freshNamespace('errors');
    const rec = await connect(ns, { items, seed: 1 });
    await rec.feedback({ user: 'eve', item: 'jazz-1', signal: 'up' });
    const before = JSON.stringify(await rec.snapshot());
    const mem = createRecommender({ items, seed: 1 });
    const cases: [string, () => Promise<unknown>, () => unknown][] = [
      [
        'unknown item',
        () => rec.feedback({ user: 'eve', item: 'nope', signal: 'up' }),
        () => mem.feedback({ user: 'eve', item: 'nope', signal: 'up' }),
      ],
      [
        'bad batch',
        () =>
          rec.feedback([
            { user: 'eve', item: 'jazz-2', signal: 'up' },
            { user: 'eve', item: 'jazz-3', signal: 'meh' as never },
          ]),
        () =>
          mem.feedback([
            { user: 'eve', item: 'jazz-2', signal: 'up' },
            { user: 'eve', item: 'jazz-3', signal: 'meh' as never },
          ]),
      ],
      [
        'protected',
        () => rec.feedback({ user: 'eve', item: 'jazz-2', signal: 'up', context: { gender: 'f' } }),
        () => mem.feedback({ user: 'eve', item: 'jazz-2', signal: 'up', context: { gender: 'f' } }),
      ],
      ['count', () => rec.recommend('eve', { count: 1.5 }), () => mem.recommend('eve', { count: 1.5 })],
      ['explain', () => rec.explain('eve', 'nope'), () => mem.explain('eve', 'nope')],
      ['duplicate', () => rec.addItems([{ id: 'jazz-1' }]), () => mem.addItems([{ id: 'jazz-1' }])],
      ['user', () => rec.forget(42 as never), () => mem.forget(42 as never)],
    ];
    for (const [what, remote, local] of cases) {
      let expected: unknown;
      try {
        local();
      } catch (error) {
        expected = error;
      }
      expect(expected, what).toBeDefined();
      await expect(remote(), what).rejects.toMatchObject({
        code: (expected as { code: string }).code,
        message: (expected as Error).message,
      });
    }
    expect(JSON.stringify(await rec.snapshot())).toBe(before);
  });

  it('says STORE_UNAVAILABLE, naming the URL, when Redis cannot be reached or the connection is closed', async () => {
    const url = 'redis://127.0.0.1:1';
    await expect(connectRecommender({ url, namespace: 'x', items, connectTimeoutMs: 500 })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining(url),
    });
    await expect(
      connectRecommender({ url: 'redis://user:secret@127.0.0.1:1', namespace: 'x', connectTimeoutMs: 500 }),
    ).rejects.toSatisfy((e: Error) => !e.message.includes('secret'));
    const rec = await connectRecommender({ url: redis.url, namespace: freshNamespace('closed'), items });
    await rec.close();
    await expect(rec.feedback({ user: 'a', item: 'jazz-1', signal: 'up' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  it('says STORE_UNAVAILABLE, naming the URL, when Redis goes away mid-session', async () => {
    const own = await startRedis(true);
    const rec = await connectRecommender({ url: own.url, namespace: freshNamespace('lost'), items });
    try {
      await rec.feedback({ user: 'gus', item: 'jazz-1', signal: 'up' });
      await own.stop();
      await expect(rec.feedback({ user: 'gus', item: 'jazz-2', signal: 'up' })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining(own.url),
      });
      await expect(rec.recommend('gus')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await rec.close();
    }
  });

  it('refuses a namespace with braces, and options that differ from the ones the namespace holds', async () => {
    await expect(connectRecommender({ url: redis.url, namespace: 'a{b}' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    const ns = freshNamespace('opts');
    await connect(ns, { items, seed: 1, halfLifeDays: 30 });
    await expect(connect(ns, { seed: 2 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('seed'),
    });
    const same = await connect(ns, { items: [...items, { id: 'extra' }], seed: 1, halfLifeDays: 30 });
    expect(same.itemCount).toBe(items.length + 1);
  });

  it('connects on the client module’s base class, building no subclass of ~400 command methods per connect', async () => {
    // createClient builds that subclass again whenever the last client had other options (20–130 ms of the thread at once).
    const factory = vi.spyOn(RedisClient, 'factory');
    try {
      const ns = freshNamespace('base');
      const a = await connect(ns, { items });
      await a.feedback({ user: 'gus', item: 'jazz-1', signal: 'up' });
      const b = await connect(ns, {});
      expect((await b.profile('gus')).thumbs.map((t) => t.item)).toEqual(['jazz-1']);
      expect(factory).not.toHaveBeenCalled();
    } finally {
      factory.mockRestore();
    }
  });

  it('keeps one person in one documented key, which forget deletes', async () => {
    const ns = freshNamespace('keys');
    const rec = await connect(ns, { items });
    await rec.feedback({ user: 'fay', item: 'jazz-1', signal: 'up' });
    const keys = namespaceKeys(ns);
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      expect(keys.person('fay')).toBe(`attune:{${ns}}:person:fay`);
      expect(await client.exists(keys.person('fay'))).toBe(1);
      const record = JSON.parse((await client.hGet(keys.person('fay'), 'record'))!) as { id: string };
      expect(record.id).toBe('fay');
      expect(await rec.forget('fay')).toBe(true);
      expect(await client.exists(keys.person('fay'))).toBe(0);
      expect((await rec.snapshot()).popularity).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
