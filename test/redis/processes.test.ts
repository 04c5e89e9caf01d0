import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecommender } from '../../src/index.js';
import { connectRecommender, type RedisRecommender } from '../../src/redis.js';
import { musicCatalog } from '../__helpers__/catalog.js';
import { freshNamespace, startRedis, type TestRedis } from './server.js';

const run = promisify(execFile);
const items = musicCatalog(8, ['jazz', 'rock', 'folk', 'soul']);
const worker = new URL('./worker.ts', import.meta.url).pathname;
let redis: TestRedis;
const open: RedisRecommender[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await redis.stop();
});

/** Runs the worker in its own Node process (bounded: 200 s; a loaded shared machine is slow, a hung one is not waited for). */
async function spawnWorker(args: string[]): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', worker, redis.url, ...args], { timeout: 200_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
}

describe('attune/redis across real processes', () => {
  it('counts all 800 events that four processes send for one person at once, and keeps popularity consistent', async () => {
    const ns = freshNamespace('burst');
    const rec = await connectRecommender({ url: redis.url, namespace: ns, items, seed: 5 });
    open.push(rec);
    const startAt = Date.now() + 2500; // every process connected before the first event
    const started = Date.now();
    const sent = await Promise.all(
      [0, 1, 2, 3].map((p) => spawnWorker([ns, 'burst', 'zoe', '200', '2', String(startAt), String(p + 1)])),
    );
    console.log(
      `800 events from 4 processes: ${Date.now() - startAt} ms after the start signal (${startAt - started} ms to start)`,
    );
    expect(sent.map((s) => s['sent'])).toEqual([200, 200, 200, 200]);
    const snap = await rec.snapshot();
    const zoe = snap.people.find((p) => p.id === 'zoe')!;
    expect(zoe.events).toBe(800);
    expect(zoe.evidence.count.reduce((n, c) => n + c, 0)).toBe(800);
    // The popularity kept by deltas equals the exact recomputation of train() (to rounding).
    const exact = restoreRecommender(snap);
    exact.train();
    const rebuilt = new Map(exact.snapshot().popularity.map((r) => [r[0], r]));
    expect(snap.popularity.length).toBe(rebuilt.size);
    for (const [item, pos, neg, t, n] of snap.popularity) {
      const r = rebuilt.get(item)!;
      expect(n).toBe(r[4]);
      expect(pos).toBeCloseTo(r[1] * 2 ** ((t - r[3]) / (90 * 86_400_000)), 9);
      expect(neg).toBeCloseTo(r[2] * 2 ** ((t - r[3]) / (90 * 86_400_000)), 9);
    }
  }, 240_000);

  it('publishes a model trained in one process to another at its next request', async () => {
    const ns = freshNamespace('train');
    const now = () => Date.UTC(2026, 5, 1);
    const rec = await connectRecommender({ url: redis.url, namespace: ns, items, seed: 9, now });
    open.push(rec);
    for (let u = 0; u < 12; u++) {
      await rec.feedback(
        [0, 1, 2, 3].map((k) => ({
          user: `u${u}`,
          item: items[(u * 5 + k * 3) % items.length]!.id,
          signal: 'up' as const,
        })),
      );
    }
    const before = await rec.recommend('u1', { count: 5 });
    expect(before.every((r) => r.contributions.collaborative === 0)).toBe(true);
    expect((await spawnWorker([ns, 'train']))['iterations']).toBeGreaterThan(0);
    const snap = await rec.snapshot();
    expect(snap.collaborative).toBeDefined();
    const mem = restoreRecommender(snap, { now });
    expect(await rec.recommend('u2', { count: 5 })).toEqual(mem.recommend('u2', { count: 5 }));
  });
});
