/**
 * attune/redis over a real Redis Cluster of three masters (started by
 * cluster.ts): people spread over every master, a write made through one
 * connection is read through another at once, and concurrent writers —
 * one person from many connections, and batches spanning several people —
 * lose nothing, records and shared popularity alike.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecommender } from '../../src/index.js';
import { connectRecommender, type RedisRecommender } from '../../src/redis.js';
import { musicCatalog } from '../__helpers__/catalog.js';
import { startCluster, type TestCluster } from './cluster.js';
import { freshNamespace } from './server.js';

const items = musicCatalog(8, ['jazz', 'rock', 'folk', 'soul']);
let cluster: TestCluster;
const open: RedisRecommender[] = [];

beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await cluster.stop();
});

async function connect(namespace: string, extra: object = {}): Promise<RedisRecommender> {
  const rec = await connectRecommender({ cluster: cluster.urls, namespace, ...extra });
  open.push(rec);
  return rec;
}

/** The keys matching `pattern` on one master. */
function keysOn(port: number, pattern: string): string[] {
  const out = spawnSync('redis-cli', ['-p', String(port), '--scan', '--pattern', pattern], { encoding: 'utf8' });
  return out.stdout.split('\n').filter((k) => k !== '');
}

/** A seeded generator, so a failing run can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('attune/redis over a Redis Cluster of three masters', () => {
  it('spreads people over every master, the shared state in one slot', async () => {
    const ns = freshNamespace('spread');
    const rec = await connect(ns, { items, seed: 1 });
    for (let u = 0; u < 48; u++) await rec.feedback({ user: `p${u}`, item: items[u % items.length]!.id, signal: 'up' });
    const perMaster = cluster.ports.map((port) => keysOn(port, `attune:${ns}:person:*`).length);
    console.log(`48 people over 3 masters: ${perMaster.join(', ')}`);
    expect(perMaster.reduce((a, b) => a + b, 0)).toBe(48);
    for (const n of perMaster) expect(n).toBeGreaterThan(0);
    const shared = cluster.ports.map((port) => keysOn(port, `attune:{${ns}}:*`).length);
    expect(shared.filter((n) => n > 0)).toHaveLength(1);
  });

  it('reads its own writes through another connection at once', async () => {
    const ns = freshNamespace('ryw');
    const a = await connect(ns, { items, seed: 2 });
    const b = await connect(ns);
    for (let u = 0; u < 24; u++) {
      const user = `r${u}`;
      const item = items[(u * 3) % items.length]!.id;
      await a.feedback({ user, item, signal: 'up' });
      // b sees the thumb a just gave (and takes it back), a then sees it gone.
      expect(await b.removeFeedback(user, item)).toBe(true);
      expect(await a.removeFeedback(user, item)).toBe(false);
    }
    await a.feedback({ user: 'r0', item: items[1]!.id, signal: 'up' });
    expect(await b.forget('r0')).toBe(true);
    expect(await a.forget('r0')).toBe(false);
    // A forgotten person leaves no key and no place in the people order.
    const everywhere = cluster.ports.flatMap((port) => keysOn(port, `*r0*`));
    expect(everywhere.filter((k) => k.includes(ns))).toEqual([]);
    expect((await a.snapshot()).people.map((p) => p.id)).not.toContain('r0');
  });

  it('loses no update when many connections write the same people at once, one by one and in batches', async () => {
    const seed = Number(process.env['ATTUNE_CLUSTER_SEED'] ?? Date.now() % 100_000);
    console.log(`cluster concurrency seed ${seed} (replay the events with ATTUNE_CLUSTER_SEED=${seed})`);
    const ns = freshNamespace('burst');
    const now = () => Date.UTC(2026, 5, 1);
    const first = await connect(ns, { items, seed: 3, now });
    const writers = [first, ...(await Promise.all([0, 1, 2].map(() => connect(ns, { now }))))];
    const people = ['zoe', 'max', 'ada', 'lin', 'kai'];
    const sent = new Map(people.map((p) => [p, 0]));
    const random = lcg(seed);
    const signals = ['play', 'up', 'skip', 'play'] as const;
    // Four connections, three lanes each: single events for one person, and batches over several people.
    await Promise.all(
      writers.flatMap((rec, w) =>
        [0, 1, 2].map(async (lane) => {
          for (let k = 0; k < 25; k++) {
            const batch = (w + lane + k) % 3 === 0;
            const who = batch ? people.filter(() => random() < 0.6).slice(0, 3) : [people[Math.floor(random() * 5)]!];
            if (who.length === 0) who.push('zoe');
            const events = who.map((user) => ({
              user,
              item: items[Math.floor(random() * items.length)]!.id,
              signal: signals[Math.floor(random() * signals.length)]!,
            }));
            await rec.feedback(events);
            for (const user of who) sent.set(user, sent.get(user)! + 1);
          }
        }),
      ),
    );
    const snap = await first.snapshot();
    for (const id of people) {
      const person = snap.people.find((p) => p.id === id)!;
      expect(person.events, id).toBe(sent.get(id));
      expect(
        person.evidence.count.reduce((n, c) => n + c, 0),
        id,
      ).toBe(sent.get(id));
    }
    // The popularity kept by deltas equals train()'s exact recomputation (to rounding).
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
    // Every connection explains from the same shared state.
    const why = await Promise.all(writers.map((r) => r.explain('zoe', items[0]!.id)));
    for (const reason of why.slice(1)) expect(reason).toEqual(why[0]);
  }, 120_000);

  it('moves a snapshot in and out, and publishes what train() fits to every connection', async () => {
    const now = () => Date.UTC(2026, 5, 1);
    const mem = (await import('../../src/index.js')).createRecommender({ items, seed: 4, now });
    for (let u = 0; u < 30; u++)
      mem.feedback(
        [0, 1, 2].map((k) => ({
          user: `m${u}`,
          item: items[(u * 5 + k * 3) % items.length]!.id,
          signal: 'up' as const,
        })),
      );
    mem.train();
    const ns = freshNamespace('moved');
    const a = await connect(ns, { snapshot: mem.snapshot(), now });
    const b = await connect(ns, { now });
    const back = await b.snapshot();
    expect(back.people).toEqual(mem.snapshot().people);
    expect(back.popularity).toEqual(mem.snapshot().popularity);
    expect(await b.explain('m3', items[1]!.id)).toEqual(mem.explain('m3', items[1]!.id));
    await a.feedback({ user: 'm3', item: items[2]!.id, signal: 'up' });
    await a.train();
    const trained = restoreRecommender(await b.snapshot(), { now });
    expect(await b.explain('m4', items[5]!.id)).toEqual(trained.explain('m4', items[5]!.id));
  });
});
