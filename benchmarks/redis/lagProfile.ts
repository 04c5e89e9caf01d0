/**
 * Where a long tick comes from: `npx tsx benchmarks/redis/lagProfile.ts <operation> [rounds]`.
 *
 * Runs one of the heavy operations of bench:redis-lag / bench:persist on the
 * same MovieLens-small state while a 10 ms timer ticks, with V8's sampling
 * profiler on and the GC observed. For every tick later than
 * ATTUNE_LONG_TICK_MS (default 30 ms) it prints the GC pauses inside the
 * blocked span and the attune functions (the innermost frame of attune's own
 * source, else the innermost frame) the samples of that span fell in.
 *
 * Each long span also says how long this thread was on a CPU and how long it
 * waited for one (Linux), which tells its own work from a busy machine; a GC
 * pause whose thread was on neither was waiting for the GC's helper threads.
 *
 * Operations: background (in-memory trainInBackground), restore-from
 * (restoreRecommenderFrom a file), save (snapshotChunks to a file),
 * move (connectRecommender({ snapshot }) on one server), train (Redis
 * train() on one server), cluster-move, cluster-train.
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreRecommenderFrom } from '../../src/index.js';
import { connectRecommender, type RedisRecommender } from '../../src/redis.js';
import { startCluster, type TestCluster } from '../../test/redis/cluster.js';
import { freshNamespace, startRedis, type TestRedis } from '../../test/redis/server.js';
import { ratingsPath } from '../movielens/ratings.js';
import { movieLensState } from './state.js';

const operation = process.argv[2] ?? 'background';
const rounds = Number(process.argv[3] ?? 2);
const ALLOC = process.env['ATTUNE_ALLOC'] === '1';
const LONG_MS = Number(process.env['ATTUNE_LONG_TICK_MS'] ?? 30);
/** Also shown: a tick whose span held this thread on a CPU this long (its own work, whatever the load). */
const LONG_CPU_MS = Number(process.env['ATTUNE_LONG_CPU_MS'] ?? 15);

const { rec, now, snapshot } = movieLensState(ratingsPath([]));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** performance.now() in the profiler's clock (µs of CLOCK_MONOTONIC). */
const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
const toUs = (ms: number) => ms * 1000 + offsetUs;

/** This thread's time on a CPU and waiting for one, in ms (Linux schedstat; NaN elsewhere). */
const sched = (): [number, number] => {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return [run! / 1e6, wait! / 1e6];
  } catch {
    return [NaN, NaN];
  }
};

const gcs: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
const gcKind = (e: PerformanceEntry) =>
  ({ 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-cb' })[
    (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0
  ] ?? 'gc';

let redis: TestRedis | undefined;
let cluster: TestCluster | undefined;
const open: RedisRecommender[] = [];
const dir = await mkdtemp(join(tmpdir(), 'attune-lagprofile-'));
const file = join(dir, 'state.json');
async function save(): Promise<void> {
  const out = createWriteStream(file);
  for await (const chunk of rec.snapshotChunks()) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}
await save();
if (operation === 'move' || operation === 'train') redis = await startRedis();
if (operation.startsWith('cluster')) cluster = await startCluster();
const target = () => (cluster !== undefined ? { cluster: cluster.urls } : { url: redis!.url });

async function prepare(): Promise<() => Promise<unknown>> {
  switch (operation) {
    case 'background':
      return () => rec.trainInBackground();
    case 'restore-from':
      return () => restoreRecommenderFrom(createReadStream(file));
    case 'save':
      return save;
    case 'move':
    case 'cluster-move':
      return async () =>
        open.push(await connectRecommender({ ...target(), namespace: freshNamespace('p'), snapshot, now }));
    case 'train':
    case 'cluster-train': {
      const r = await connectRecommender({ ...target(), namespace: freshNamespace('p'), snapshot, now });
      open.push(r);
      return () => r.train();
    }
    default:
      throw new Error(`unknown operation ${operation}`);
  }
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 250 });
try {
  for (let round = 1; round <= rounds; round++) {
    const work = await prepare();
    gcs.length = 0;
    await session.post('Profiler.start');
    if (ALLOC)
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 16384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as never);
    const long: { from: number; to: number; run: number; wait: number }[] = [];
    let lastSched = sched();
    let worst = 0;
    let worstCpu = 0;
    let due = performance.now() + 10;
    let last = performance.now();
    let running = true;
    const tick = () => {
      const t = performance.now();
      const lag = t - due;
      worst = Math.max(worst, lag);
      const s = sched();
      worstCpu = Math.max(worstCpu, s[0] - lastSched[0]);
      if (lag > LONG_MS || s[0] - lastSched[0] > LONG_CPU_MS)
        long.push({ from: last, to: t, run: s[0] - lastSched[0], wait: s[1] - lastSched[1] });
      lastSched = s;
      last = t;
      due = t + 10;
      if (running) setTimeout(tick, 10);
    };
    setTimeout(tick, 10);
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    await work();
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 30));
    running = false;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    if (ALLOC) {
      const { profile: heap } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
        profile: { head: HeapNode };
      };
      allocations(heap.head);
    }
    await new Promise((r) => setTimeout(r, 0));
    console.log(
      `\n== ${operation} round ${round}: ${ms.toFixed(0)} ms, worst lag ${worst.toFixed(1)} ms, most on-CPU time between two ticks ${worstCpu.toFixed(1)} ms, ${long.length} ticks over ${LONG_MS} ms (or ${LONG_CPU_MS} ms on CPU); load ${loadavg()[0]!.toFixed(2)}`,
    );
    report(profile, long);
  }
} finally {
  await session.post('Profiler.disable');
  session.disconnect();
  observer.disconnect();
  await Promise.all(open.map((r) => r.close()));
  await redis?.stop();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
}

interface HeapNode {
  callFrame: { functionName: string; url: string; columnNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** The allocation sites (innermost attune frame) that allocated the most bytes, freed or not. */
function allocations(head: HeapNode): void {
  const bySite = new Map<string, number>();
  const walk = (node: HeapNode, owner: string) => {
    const f = node.callFrame;
    const here = f.url.includes('/src/')
      ? `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/src\//, 'src/')}:${f.columnNumber + 1}`
      : owner;
    bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, here);
  };
  walk(head, '(outside attune)');
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  console.log(`allocated ${(total / 1e6).toFixed(0)} MB (sampled), by site:`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`   ${(bytes / 1e6).toFixed(1).padStart(7)} MB  ${site}`);
}

function report(profile: Profile, long: { from: number; to: number; run: number; wait: number }[]): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const file = n.callFrame.url.replace(/^.*\/(src|benchmarks|node_modules)\//, '$1/');
    return `${n.callFrame.functionName || '(anon)'} ${file}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  };
  /** The innermost frame in attune's src/, else the leaf itself. */
  const owner = (id: number) => {
    const leaf = byId.get(id)!;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      if (n.callFrame.url.includes('/src/')) return `${label(n)}  [leaf ${label(leaf)}]`;
    }
    return label(leaf);
  };
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  for (const span of long) {
    const from = toUs(span.from);
    const to = toUs(span.to);
    const weight = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      if (times[i]! < from || times[i]! > to) continue;
      const dt = ((times[i + 1] ?? times[i]!) - times[i]!) / 1000;
      const key = owner(profile.samples[i]!);
      weight.set(key, (weight.get(key) ?? 0) + dt);
    }
    const inSpan = gcs.filter((g) => g.startTime + g.duration >= span.from && g.startTime <= span.to);
    console.log(
      `-- blocked ${(span.to - span.from).toFixed(1)} ms (on CPU ${span.run.toFixed(1)}, waiting for a CPU ${span.wait.toFixed(1)}); GC inside: ${inSpan.map((g) => `${gcKind(g)} ${g.duration.toFixed(1)} ms`).join(', ') || 'none'}`,
    );
    for (const [key, ms] of [...weight].sort((a, b) => b[1] - a[1]).slice(0, 6))
      console.log(`   ${ms.toFixed(1).padStart(6)} ms  ${key}`);
  }
}
