/**
 * What Redis's heavy calls cost the serving process, on MovieLens-small:
 * `npm run bench:redis-lag [-- --write]`.
 *
 * Every rating of ml-latest-small is fed as feedback at its own time and
 * `train()` fits the model in memory; its snapshot is then moved into Redis
 * — `connectRecommender({ snapshot })` — and `train()` runs on the Redis
 * front. A 10 ms timer ticks in the same process throughout; its lag is
 * what a request to this process would wait. Target for both: no lag over
 * 50 ms. Beside them, in the same run, the in-memory `train()` (which holds
 * the thread by design) and `trainInBackground()` (the fit Redis's train()
 * runs, on worker threads) as baselines. Over one Redis server
 * (ATTUNE_REDIS_URL, else one started on a free port) and over a Redis
 * Cluster of three masters (ATTUNE_REDIS_CLUSTER, else one started here).
 */
import { loadavg } from 'node:os';
import { connectRecommender, type RedisRecommender } from '../../src/redis.js';
import { startCluster } from '../../test/redis/cluster.js';
import { freshNamespace, startRedis } from '../../test/redis/server.js';
import { movieLensState } from './state.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';
import { withTimer } from '../common/timerLag.js';

const ROUNDS = Number(process.env['ATTUNE_BENCH_ROUNDS'] ?? 3);
const TARGET_MS = 50;

const { ratings, items, now, rec, trained, snapshot } = movieLensState();
console.log(
  `${ratings.length} ratings, ${items.length} movies, ${trained.users} people; load ${loadavg()[0]!.toFixed(2)}`,
);

const [redis, cluster] = await Promise.all([startRedis(), startCluster()]);
type Row = { ms: number; worst: number; p99: number };
const rows: Record<string, Row[]> = {};
const add = (name: string, row: Row) => (rows[name] ??= []).push(row);
const open: RedisRecommender[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const memory = await withTimer(() => rec.train());
    add('in memory: train() (blocking by design)', memory);
    add('in memory: trainInBackground() (worker threads)', await withTimer(() => rec.trainInBackground()));
    for (const [where, target] of [
      ['one server', { url: redis.url }],
      ['Cluster', { cluster: cluster.urls }],
    ] as const) {
      const namespace = freshNamespace('lag');
      const moved = await withTimer(() => connectRecommender({ ...target, namespace, snapshot, now }));
      open.push(moved.value);
      add(`${where}: connectRecommender({ snapshot })`, moved);
      const train = await withTimer(() => moved.value.train());
      add(`${where}: train()`, train);
      const back = await moved.value.snapshot();
      if (back.people.length !== snapshot.people.length) throw new Error(`${where}: people were lost on the way`);
      console.log(
        `round ${round} ${where}: move in ${moved.ms.toFixed(0)} ms (worst lag ${moved.worst.toFixed(1)} ms), train ${train.ms.toFixed(0)} ms (worst lag ${train.worst.toFixed(1)} ms); in memory train ${memory.ms.toFixed(0)} ms (worst lag ${memory.worst.toFixed(0)} ms); load ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
} finally {
  await Promise.all(open.map((r) => r.close()));
  await Promise.all([redis.stop(), cluster.stop()]);
}

const cell = (list: Row[]) =>
  `${median(list.map((r) => r.ms)).toFixed(0)} ms | ${median(list.map((r) => r.p99)).toFixed(1)} ms | ${Math.max(...list.map((r) => r.worst)).toFixed(1)} ms`;
const verdict = (name: string) => {
  const worst = Math.max(...rows[name]!.map((r) => r.worst));
  return `${worst <= TARGET_MS ? 'met' : 'missed'} (${worst.toFixed(1)} ms)`;
};
const body = [
  `Measured on ${machineLine()}, with \`npm run bench:redis-lag\`.`,
  `State: ${ratings.length.toLocaleString('en')} MovieLens ratings as feedback, ${items.length.toLocaleString('en')} movies, ${trained.users} people, trained. ${ROUNDS} rounds; a 10 ms timer ticks in the serving process throughout; Redis on loopback (one server, and a Cluster of three masters on this machine).`,
  '',
  '| operation | wall time (median) | timer lag p99 (median) | worst timer lag (all rounds) |',
  '| --- | ---: | ---: | ---: |',
  ...Object.entries(rows).map(([name, list]) => `| ${name} | ${cell(list)} |`),
  '',
  `Target: no timer lag over ${TARGET_MS} ms — Redis train(): one server ${verdict('one server: train()')}, Cluster ${verdict('Cluster: train()')}; moving a snapshot in: one server ${verdict('one server: connectRecommender({ snapshot })')}, Cluster ${verdict('Cluster: connectRecommender({ snapshot })')}.`,
].join('\n');
console.log(`\n${body}`);
writeReadmeSection('redis-lag', body);
