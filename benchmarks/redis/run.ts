/**
 * attune over Redis: `npm run bench:redis [-- --write]`.
 *
 * 5,000 songs, 300 people with 40 events each and a trained model, built in
 * memory and moved into a loopback Redis with one call (a snapshot). Then,
 * in this process and against the same state:
 * - `recommend` p50 / p90 of the in-memory recommender and of attune/redis
 *   (count 10, people taken in turn, 400 calls each after a warm-up), and
 *   their difference (target: within 1 ms);
 * - `feedback` p50 / p90 of attune/redis (target: p50 at most 1 ms), beside
 *   the in-memory one;
 * - throughput of `recommend` from 1 and from 2 worker processes at once
 *   (target: 2 processes at least 1.6x one), each for a fixed time;
 * - four processes sending 200 events each for one person at once (target:
 *   all 800 counted).
 * Uses ATTUNE_REDIS_URL when set, else starts redis-server on a free port.
 * The machine is shared: the load is printed beside every run.
 */
import { execFile, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createClient } from '@redis/client';
import { promisify } from 'node:util';
import { createRecommender, type Item } from '../../src/index.js';
import { connectRecommender } from '../../src/redis.js';
import { createRng } from '../../src/random/rng.js';
import { startRedis } from '../../test/redis/server.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';

const SONGS = 5000;
const PEOPLE = 300;
const EVENTS = 40;
const CALLS = 400;
const THROUGHPUT_MS = 4000;
const T0 = Date.UTC(2026, 0, 1);
const run = promisify(execFile);
const self = new URL(import.meta.url).pathname;

function catalog(): Item[] {
  const genres = ['jazz', 'rock', 'pop', 'folk', 'soul', 'metal', 'blues', 'house', 'opera', 'punk'];
  return Array.from({ length: SONGS }, (_, i) => ({
    id: `s${i}`,
    title: `Song ${i}`,
    tags: [`genre:${genres[i % 10]}`, `artist:a${i % 400}`, `mood:m${(i * 7) % 12}`, `era:${1950 + 10 * (i % 7)}s`],
  }));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const ms = (x: number) => x.toFixed(3);

/** Worker: connect and warm up, say "ready", wait for "go", recommend for `duration` ms, print how many calls it made. */
async function recommendLoop(url: string, namespace: string, duration: number): Promise<void> {
  const rec = await connectRecommender({ url, namespace });
  for (let i = 0; i < 20; i++) await rec.recommend(`p${i}`, { count: 10 });
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const until = Date.now() + duration;
  let calls = 0;
  while (Date.now() < until) {
    await rec.recommend(`p${calls % PEOPLE}`, { count: 10 });
    calls++;
  }
  await rec.close();
  console.log(JSON.stringify({ calls }));
}

/** Worker: 200 feedback events for one person, starting at `startAt`. */
async function burst(url: string, namespace: string, startAt: number, seed: number): Promise<void> {
  const rec = await connectRecommender({ url, namespace });
  const rng = createRng(seed, 'burst');
  while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 1));
  for (let i = 0; i < 200; i++)
    await rec.feedback({
      user: 'burst',
      item: `s${Math.floor(rng.next() * SONGS)}`,
      signal: rng.next() < 0.7 ? 'play' : 'up',
    });
  await rec.close();
  console.log(JSON.stringify({ sent: 200 }));
}

/** Starts `n` recommend-loop workers, lets them go together once all are warm, sums their calls per second. */
async function throughput(n: number, url: string, namespace: string): Promise<number> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', self, 'recommend-loop', url, namespace, String(THROUGHPUT_MS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((child) => {
    let text = '';
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('ready')) ready();
    });
    const done = new Promise<number>((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0
          ? resolve((JSON.parse(text.trim().split('\n').pop()!) as { calls: number }).calls)
          : reject(new Error(`worker exited with ${code}`)),
      ),
    );
    return { isReady, done };
  });
  await Promise.all(outputs.map((o) => o.isReady));
  for (const child of children) child.stdin.end('go\n');
  const calls = await Promise.all(outputs.map((o) => o.done));
  return calls.reduce((a, b) => a + b, 0) / (THROUGHPUT_MS / 1000);
}

/** Milliseconds of CPU this process used since `start` (all its threads). */
function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Milliseconds of CPU the Redis server has used (INFO cpu, main thread and children). */
async function serverCpu(url: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  const info = await client.info('cpu');
  await client.close();
  const read = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (read('used_cpu_user') + read('used_cpu_sys')) * 1000;
}

async function worker(args: string[]): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', self, ...args], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  try {
    const items = catalog();
    const mem = createRecommender({ items, seed: 42 });
    const rng = createRng(1, 'log');
    for (let p = 0; p < PEOPLE; p++) {
      const taste = Math.floor(rng.next() * 10);
      mem.feedback(
        Array.from({ length: EVENTS }, (_, k) => {
          const song = Math.floor(rng.next() * 500) * 10 + (rng.next() < 0.8 ? taste : Math.floor(rng.next() * 10));
          return {
            user: `p${p}`,
            item: `s${song}`,
            signal: rng.next() < 0.6 ? ('play' as const) : rng.next() < 0.8 ? ('up' as const) : ('skip' as const),
            at: T0 + k * 3_600_000,
          };
        }),
      );
    }
    mem.train();
    const namespace = `bench-${process.pid}-${Date.now()}`;
    const rec = await connectRecommender({ url: redis.url, namespace, snapshot: mem.snapshot() });
    const lines: string[] = [];
    const say = (line: string) => {
      console.log(line);
      lines.push(line);
    };
    say(
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, with \`npm run bench:redis\` against Redis on loopback.`,
    );
    say(
      `State: ${SONGS.toLocaleString('en')} songs, ${PEOPLE} people × ${EVENTS} events, trained model; moved into Redis with one \`connectRecommender({ snapshot })\`.`,
    );
    say('');

    // Latency, in this process, interleaved so both see the same load.
    for (let i = 0; i < 50; i++) {
      mem.recommend(`p${i}`, { count: 10 });
      await rec.recommend(`p${i}`, { count: 10 });
    }
    // Wall time per call, and CPU time per call (this process; Redis's own from INFO), which the
    // load of other jobs on a shared machine inflates far less than wall time.
    const cpu = { memRec: 0, redisRec: 0, serverRec: 0, memFb: 0, redisFb: 0, serverFb: 0 };
    const memRec: number[] = [];
    const redisRec: number[] = [];
    let server = await serverCpu(redis.url);
    for (let i = 0; i < CALLS; i++) {
      const user = `p${i % PEOPLE}`;
      let c = process.cpuUsage();
      let t = performance.now();
      mem.recommend(user, { count: 10 });
      memRec.push(performance.now() - t);
      cpu.memRec += cpuSince(c);
      c = process.cpuUsage();
      t = performance.now();
      await rec.recommend(user, { count: 10 });
      redisRec.push(performance.now() - t);
      cpu.redisRec += cpuSince(c);
    }
    cpu.serverRec = (await serverCpu(redis.url)) - server;
    const memFb: number[] = [];
    const redisFb: number[] = [];
    server = await serverCpu(redis.url);
    for (let i = 0; i < CALLS; i++) {
      const event = { user: `p${(i * 7) % PEOPLE}`, item: `s${(i * 13) % SONGS}`, signal: 'play' as const };
      let c = process.cpuUsage();
      let t = performance.now();
      mem.feedback(event);
      memFb.push(performance.now() - t);
      cpu.memFb += cpuSince(c);
      c = process.cpuUsage();
      t = performance.now();
      await rec.feedback(event);
      redisFb.push(performance.now() - t);
      cpu.redisFb += cpuSince(c);
    }
    cpu.serverFb = (await serverCpu(redis.url)) - server;
    const recDiff = median(redisRec) - median(memRec);
    say(
      '| operation (this process) | in memory p50 / p90 (ms) | attune/redis p50 / p90 (ms) | redis − memory, p50 | target |',
    );
    say('| --- | ---: | ---: | ---: | --- |');
    say(
      `| recommend (count 10) | ${ms(median(memRec))} / ${ms(quantile(memRec, 0.9))} | ${ms(median(redisRec))} / ${ms(quantile(redisRec, 0.9))} | ${ms(recDiff)} ms | within 1 ms: ${recDiff <= 1 ? 'met' : 'MISSED'} |`,
    );
    say(
      `| feedback (one event) | ${ms(median(memFb))} / ${ms(quantile(memFb, 0.9))} | ${ms(median(redisFb))} / ${ms(quantile(redisFb, 0.9))} | ${ms(median(redisFb) - median(memFb))} ms | p50 ≤ 1 ms: ${median(redisFb) <= 1 ? 'met' : 'MISSED'} |`,
    );
    say(`(load during latency runs: ${loadavg()[0]!.toFixed(1)})`);
    say('');
    say(
      '| CPU per call (ms; means of the same calls) | in memory | attune/redis, this process | Redis server | redis − memory |',
    );
    say('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, m, r, srv] of [
      ['recommend', cpu.memRec, cpu.redisRec, cpu.serverRec],
      ['feedback', cpu.memFb, cpu.redisFb, cpu.serverFb],
    ] as const) {
      say(`| ${name} | ${ms(m / CALLS)} | ${ms(r / CALLS)} | ${ms(srv / CALLS)} | ${ms((r + srv - m) / CALLS)} |`);
    }
    say('');

    // Throughput: 1 process, then 2 at once, twice each, alternating; medians.
    const ones: number[] = [];
    const twos: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const n of [1, 2]) {
        (n === 1 ? ones : twos).push(await throughput(n, redis.url, namespace));
      }
    }
    const ratio = median(twos) / median(ones);
    say(`| recommend throughput | 1 process | 2 processes | ratio | target |`);
    say('| --- | ---: | ---: | ---: | --- |');
    say(
      `| calls/s (median of 2 runs of ${THROUGHPUT_MS / 1000} s) | ${median(ones).toFixed(0)} | ${median(twos).toFixed(0)} | ${ratio.toFixed(2)}× | ≥ 1.6×: ${ratio >= 1.6 ? 'met' : 'MISSED'} |`,
    );
    say(`(load after throughput runs: ${loadavg()[0]!.toFixed(1)})`);
    say('');

    // Four processes, 200 events each, one person, at once.
    const startAt = Date.now() + 5000;
    const t = performance.now();
    await Promise.all(
      [1, 2, 3, 4].map((seed) => worker(['burst', redis.url, namespace, String(startAt), String(seed)])),
    );
    const seconds = (performance.now() - t - 5000) / 1000;
    const person = (await rec.snapshot()).people.find((p) => p.id === 'burst');
    const counted = person?.events ?? 0;
    say(
      `Four processes × 200 feedback events for one person at once: **${counted} of 800 counted** (${counted === 800 ? 'met' : 'MISSED'}), in ${seconds.toFixed(1)} s (load ${loadavg()[0]!.toFixed(1)}).`,
    );
    await rec.close();
    if (process.argv.includes('--write')) writeReadmeSection('redis', lines.join('\n'));
  } finally {
    await redis.stop();
  }
}

const [mode, ...args] = process.argv.slice(2).filter((a) => a !== '--write');
if (mode === 'recommend-loop') await recommendLoop(args[0]!, args[1]!, Number(args[2]));
else if (mode === 'burst') await burst(args[0]!, args[1]!, Number(args[2]), Number(args[3]));
else await main();
