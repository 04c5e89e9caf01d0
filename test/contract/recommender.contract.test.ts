/**
 * One contract, every front: the same scripted sequences run on the
 * in-memory recommender, on the store-backed front over an in-process
 * store, and on the store-backed front over Redis, and each step must give
 * what the in-memory reference gives for the same calls — lists, reasons,
 * profiles, stations, errors, training and snapshots. A front that drifts
 * from the contract (a missing method, another argument, another error)
 * fails here, and at compile time through `Promised<RecommenderApi>`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Promised, RecommenderApi } from '../../src/api.js';
import { createRecommender, type RecommenderOptions } from '../../src/index.js';
import { connectRecommender } from '../../src/redis.js';
import { RemoteRecommender } from '../../src/remote/front.js';
import { HISTORY, musicCatalog, testClock } from '../__helpers__/catalog.js';
import { MemoryServer, MemoryStore } from '../__helpers__/memoryStore.js';
import { startCluster, type TestCluster } from '../redis/cluster.js';
import { freshNamespace, startRedis, type TestRedis } from '../redis/server.js';

type Front = Promised<RecommenderApi>;

/** The in-memory recommender as promises: a throw becomes a rejection, as on the store-backed fronts. */
function promised(rec: RecommenderApi): Front {
  return new Proxy(rec, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args));
        } catch (error) {
          return Promise.reject(error);
        }
      };
    },
  }) as unknown as Front;
}

let redis: TestRedis;
let cluster: TestCluster;
const closers: (() => Promise<void>)[] = [];
const server = new MemoryServer();

beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startCluster()]);
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all([redis.stop(), cluster.stop()]);
});

const fronts: [string, (options: RecommenderOptions) => Promise<Front>][] = [
  ['in memory', async (options) => promised(createRecommender(options))],
  [
    'store-backed, in-process store',
    async (options) => {
      const rec = await RemoteRecommender.open(
        new MemoryStore(server, freshNamespace('contract')),
        { namespace: 'contract', ...options },
        'test',
      );
      closers.push(() => rec.close());
      return rec;
    },
  ],
  [
    'store-backed, Redis',
    async (options) => {
      const rec = await connectRecommender({ url: redis.url, namespace: freshNamespace('contract'), ...options });
      closers.push(() => rec.close());
      return rec;
    },
  ],
  [
    'store-backed, Redis Cluster',
    async (options) => {
      const rec = await connectRecommender({
        cluster: cluster.urls,
        namespace: freshNamespace('contract'),
        ...options,
      });
      closers.push(() => rec.close());
      return rec;
    },
  ],
];

const items = musicCatalog(6, ['jazz', 'rock', 'folk', 'soul']);

const history = HISTORY;

/** A step gives a JSON-able result (or the code of its error) that must equal the reference's. */
type Step = [string, (rec: Front, c: { t: number }) => Promise<unknown>];

async function outcome(step: Step, rec: Front, c: { t: number }): Promise<unknown> {
  try {
    return JSON.parse(JSON.stringify((await step[1](rec, c)) ?? null)) as unknown;
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

/** Runs `steps` on the front and on an in-memory reference with the same clock, comparing each step. */
async function conform(
  open: (o: RecommenderOptions) => Promise<Front>,
  steps: Step[],
  options: RecommenderOptions = {},
) {
  const c = testClock();
  const front = await open({ items, seed: 11, now: c.now, ...options });
  const reference = promised(createRecommender({ items, seed: 11, now: c.now, ...options }));
  for (const step of steps) {
    const t = c.t;
    const got = await outcome(step, front, c);
    c.t = t;
    const want = await outcome(step, reference, c);
    expect(got, step[0]).toEqual(want);
  }
}

const tick: Step = ['the clock moves', async (_, c) => void (c.t += 3_600_000)];

describe.each(fronts)('the recommender contract: %s', (_, open) => {
  it('learns from feedback and serves the same lists, reasons, explanations and profiles', async () => {
    await conform(open, [
      ['a batch of feedback', (r) => r.feedback(history)],
      tick,
      ['ann’s list', (r) => r.recommend('ann', { count: 6 })],
      ['ann’s list in context', (r) => r.recommend('ann', { count: 4, context: { hour: 8, device: 'speaker' } })],
      ['a guest’s list', (r) => r.recommend(undefined, { count: 4 })],
      ['bob’s list with seen items', (r) => r.recommend('bob', { count: 24, includeSeen: true })],
      ['explain a banned item', (r) => r.explain('bob', 'jazz-1')],
      ['explain a resting item', (r) => r.explain('cat', 'soul-2')],
      ['explain for a guest', (r) => r.explain(undefined, 'rock-1')],
      ['profiles', async (r) => [await r.profile('ann'), await r.profile('nobody')]],
      ['the item count', async (r) => r.itemCount],
      ['a second list draws afresh', (r) => r.recommend('ann', { count: 6 })],
    ]);
  });

  it('gives the person control: consent, mute, undo, reset, opt-out and erasure', async () => {
    const sensitive = [...items, { id: 'clinic', title: 'Clinic', tags: ['genre:jazz'], sensitive: ['health'] }];
    await conform(
      open,
      [
        ['feedback', (r) => r.feedback(history)],
        ['consent', (r) => r.setPreferences('ann', { consent: { health: true } })],
        ['a sensitive thumb', (r) => r.feedback({ user: 'ann', item: 'clinic', signal: 'up' })],
        ['list with consent', (r) => r.recommend('ann', { count: 30, includeSeen: true })],
        ['withdraw consent', (r) => r.setPreferences('ann', { consent: { health: false } })],
        ['list without consent', (r) => r.recommend('ann', { count: 30, includeSeen: true })],
        ['mute', (r) => r.setPreferences('ann', { mutedTags: ['genre:rock'] })],
        ['muted list', (r) => r.recommend('ann', { count: 10 })],
        ['undo', (r) => r.removeFeedback('ann', 'jazz-2')],
        ['undo again', (r) => r.removeFeedback('ann', 'jazz-2')],
        ['reset keeping bans', (r) => r.setPreferences('bob', { reset: true })],
        ['profile after reset', (r) => r.profile('bob')],
        ['opt out', (r) => r.setPreferences('dan', { optOut: true })],
        ['feedback while opted out', (r) => r.feedback({ user: 'dan', item: 'folk-1', signal: 'up' })],
        ['opted-out list', (r) => r.recommend('dan', { count: 5 })],
        ['forget', (r) => r.forget('cat')],
        ['forget again', (r) => r.forget('cat')],
        ['the snapshot', (r) => r.snapshot()],
      ],
      { items: sensitive },
    );
  });

  it('keeps stations: create, widen, thumbs on a station, lists, explanations, removal', async () => {
    await conform(open, [
      ['feedback', (r) => r.feedback(history)],
      [
        'create',
        (r) =>
          r.createStation('ann', {
            id: 'late',
            name: 'Late Jazz',
            seeds: [{ item: 'jazz-3' }, { tag: 'mood:mellow' }],
          }),
      ],
      ['a duplicate', (r) => r.createStation('ann', { id: 'late', seeds: [{ tag: 'genre:rock' }] })],
      ['an unknown tag', (r) => r.createStation('ann', { id: 'x', seeds: [{ tag: 'genre:none' }] })],
      ['a down on the station', (r) => r.feedback({ user: 'ann', item: 'jazz-4', signal: 'down', station: 'late' })],
      ['an up on the station', (r) => r.feedback({ user: 'ann', item: 'jazz-5', signal: 'up', station: 'late' })],
      ['the station’s list', (r) => r.recommend('ann', { station: 'late', count: 5 })],
      ['explain the station’s ban', (r) => r.explain('ann', 'jazz-4', { station: 'late' })],
      ['the same item off the station', (r) => r.explain('ann', 'jazz-4')],
      ['widen', (r) => r.addStationSeeds('ann', 'late', [{ tag: 'genre:soul' }, { tag: 'mood:mellow' }])],
      ['stations', (r) => r.stations('ann')],
      ['an unknown station', (r) => r.recommend('ann', { station: 'nope' })],
      ['remove', (r) => r.removeStation('ann', 'late')],
      ['remove again', (r) => r.removeStation('ann', 'late')],
      ['the snapshot', (r) => r.snapshot()],
    ]);
  });

  it('refuses bad input with the same errors, and changes nothing', async () => {
    await conform(open, [
      ['feedback', (r) => r.feedback(history.slice(0, 4))],
      ['an unknown item', (r) => r.feedback({ user: 'ann', item: 'nope', signal: 'up' })],
      [
        'a batch with one bad event',
        (r) =>
          r.feedback([
            { user: 'eve', item: 'rock-1', signal: 'up' },
            { user: 'eve', item: 'rock-2', signal: 'meh' as 'up' },
          ]),
      ],
      ['a protected context', (r) => r.recommend('ann', { context: { gender: 'f' } })],
      ['a bad count', (r) => r.recommend('ann', { count: 0 })],
      ['an unknown option', (r) => r.recommend('ann', { colour: 'red' } as never)],
      ['explain an unknown item', (r) => r.explain('ann', 'nope')],
      ['bad preferences', (r) => r.setPreferences('ann', { optOut: 'yes' } as never)],
      ['a duplicate item', (r) => r.addItems([{ id: 'jazz-1' }])],
      ['bad train options', (r) => r.train({ onProgres: () => {} } as never)],
      ['a profile of an empty id', (r) => r.profile('')],
      ['nothing changed', (r) => r.snapshot()],
    ]);
  });

  it('trains, trains in the background, imports factors and adds items alike', async () => {
    const factors = items.map((item, i) => JSON.stringify({ id: item.id, features: [1 + (i % 3), (i % 5) / 5] }));
    await conform(open, [
      ['feedback', (r) => r.feedback(history)],
      ['train', async (r) => ({ ...(await r.train()), seconds: 0 })],
      ['a list after training', (r) => r.recommend('ann', { count: 6 })],
      ['explain after training', (r) => r.explain('dan', 'rock-4')],
      ['more feedback', (r) => r.feedback({ user: 'ann', item: 'rock-4', signal: 'up' })],
      ['train in the background', async (r) => ({ ...(await r.trainInBackground({ threads: 1 })), seconds: 0 })],
      ['a list after that', (r) => r.recommend('ann', { count: 6 })],
      ['add items', (r) => r.addItems([{ id: 'new-1', title: 'New', tags: ['genre:jazz'] }])],
      ['a list with the new item', (r) => r.recommend('bob', { count: 30 })],
      ['import factors', (r) => r.importItemFactors({ format: 'spark-json', text: factors.join('\n') })],
      ['a list on imported factors', (r) => r.recommend('ann', { count: 6 })],
      ['train keeps them', async (r) => ({ ...(await r.train()), seconds: 0 })],
      ['the snapshot', (r) => r.snapshot()],
    ]);
  });
});
