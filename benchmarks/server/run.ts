/**
 * The example server under load: `npm run bench:server [-- --write]`.
 *
 * The MovieLens-small state (every movie of movies.csv as an item, every
 * rating as feedback — ≥ 3.5 stars `up`, ≤ 2 `down`, else `play` — and
 * `train()` with the default options) is saved to a file. Then, in rounds
 * that alternate so both see the same machine load:
 *
 * - a plain in-process loop: `rec.recommend(user, { count: 10 })` for one
 *   user after another, one call at a time, on the state restored from the file;
 * - the example server (examples/server/main.ts, its own process, started
 *   on the same file) driven by autocannon from this process with 8
 *   connections: `GET /users/:user/recommendations?count=10` for the same
 *   users in the same order.
 *
 * autocannon (a devDependency) keeps a fixed number of connections busy and
 * reports latency percentiles from an HDR histogram; a hand-written client
 * would have to do both. Targets: the server's requests/s at least 70 % of
 * the loop's calls/s (the HTTP layer costs little), and its p99 at most
 * 3 × its p50.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { createRecommender, restoreRecommenderFrom } from '../../src/index.js';
import { readMovies } from '../../examples/server/catalog.js';
import { saveTo } from '../../examples/server/saving.js';
import { machineLine, median, repoRoot, writeReadmeSection } from '../common/readme.js';
import { ratingsAsFeedback, ratingsPath, readRatings } from '../movielens/ratings.js';

const ROUNDS = 3;
const SECONDS = 8;
const CONNECTIONS = 8;
const COUNT = 10;

const path = ratingsPath();
const ratings = readRatings(path).sort((a, b) => a.at - b.at);
const items = readMovies(join(dirname(path), 'movies.csv'));
const rec = createRecommender({ items, seed: 42 });
rec.feedback(ratingsAsFeedback(ratings));
const trained = rec.train();
const users = [...new Set(ratings.map((r) => r.user))];
const dir = await mkdtemp(join(tmpdir(), 'attune-server-bench-'));
const state = join(dir, 'state.json');
await saveTo(rec, state);
console.log(
  `${ratings.length} ratings, ${items.length} movies, ${users.length} people, trained in ${trained.seconds.toFixed(1)} s`,
);

/** The state the loop runs on: the server's, restored from the same file. */
const local = await restoreRecommenderFrom(createReadStream(state));
/** Calls/s and per-call latency of a plain recommend loop for `SECONDS`. */
async function loop(): Promise<{ rate: number; p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) local.recommend(users[i % users.length]!, { count: COUNT });
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < SECONDS * 1000; i++) {
    const t = performance.now();
    local.recommend(users[i % users.length]!, { count: COUNT });
    times.push(performance.now() - t);
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    rate: times.length / elapsed,
    p50: times[Math.floor(times.length * 0.5)]!,
    p99: times[Math.floor(times.length * 0.99)]!,
  };
}

function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/server/main.ts', '--port', '0', '--state', state, '--save-every', '3600'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (base !== undefined) resolve({ child, base });
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
}

/** autocannon against the server for `seconds`: requests/s and latency p50 / p99 (ms). */
async function load(base: string, seconds: number): Promise<{ rate: number; p50: number; p99: number }> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/users/${encodeURIComponent(users[next++ % users.length]!)}/recommendations?count=${COUNT}`,
        }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} answers were not 2xx, ${result.errors} errors`);
  return { rate: result.requests.total / seconds, p50: result.latency.p50, p99: result.latency.p99 };
}

const loops: { rate: number; p50: number; p99: number }[] = [];
const served: { rate: number; p50: number; p99: number }[] = [];
const loads: number[] = [];
const server = await startServer();
try {
  await load(server.base, 2); // warm-up
  for (let round = 1; round <= ROUNDS; round++) {
    loads.push(loadavg()[0]!);
    const a = await loop();
    const b = await load(server.base, SECONDS);
    loops.push(a);
    served.push(b);
    console.log(
      `round ${round}: loop ${a.rate.toFixed(1)} calls/s (p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms); server ${b.rate.toFixed(1)} req/s (p50 ${b.p50} ms, p99 ${b.p99} ms)`,
    );
  }
} finally {
  server.child.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}

const loopRate = median(loops.map((r) => r.rate));
const serverRate = median(served.map((r) => r.rate));
const p50 = median(served.map((r) => r.p50));
const p99 = median(served.map((r) => r.p99));
const ratio = serverRate / loopRate;
const tail = p99 / p50;
const body = [
  `Measured on ${machineLine()}, with \`npm run bench:server\` (1-min load at the start of each round: ${loads.map((l) => l.toFixed(1)).join(', ')}).`,
  `State: ${ratings.length.toLocaleString('en')} MovieLens ratings as feedback, ${items.length.toLocaleString('en')} movies, ${users.length} people, trained (128 factors). Medians of ${ROUNDS} rounds of ${SECONDS} s, loop and server alternating; \`count: ${COUNT}\`, users in turn.`,
  '',
  '| | rate | latency p50 | latency p99 |',
  '| --- | ---: | ---: | ---: |',
  `| in-process loop: \`rec.recommend(user, { count: ${COUNT} })\`, one call at a time | ${loopRate.toFixed(1)} calls/s | ${median(loops.map((r) => r.p50)).toFixed(2)} ms | ${median(loops.map((r) => r.p99)).toFixed(2)} ms |`,
  `| example server, autocannon with ${CONNECTIONS} connections: \`GET /users/:user/recommendations?count=${COUNT}\` | ${serverRate.toFixed(1)} req/s | ${p50.toFixed(1)} ms | ${p99.toFixed(1)} ms |`,
  '',
  `Server / loop: ${(ratio * 100).toFixed(0)} % (target ≥ 70 %: ${ratio >= 0.7 ? 'met' : 'missed'}); server p99 / p50: ${tail.toFixed(2)} (target ≤ 3: ${tail <= 3 ? 'met' : 'missed'}). With 8 connections on one event loop a request waits for the ones ahead of it, so the server's latency is about 8 × the loop's.`,
].join('\n');
console.log(`\n${body}`);
writeReadmeSection('server', body);
