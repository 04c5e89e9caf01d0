/**
 * Streamed persistence on MovieLens-small: `npm run bench:persist [-- --write]`.
 *
 * Every rating of ml-latest-small (100,836) is fed as feedback at its own
 * time (≥ 3.5 stars `up`, ≤ 2 `down`, else `play`), and `train()` fits the
 * collaborative model with the default options. Then, in each of a few
 * rounds and in the same process, it saves and restores the state the
 * blocking way — `JSON.stringify(rec.snapshot())` and
 * `restoreRecommender(JSON.parse(text))` — and the streamed way:
 * `snapshotChunks()` written to a file (temporary file, then rename) and
 * `restoreRecommenderFrom(createReadStream(file))`. A 10 ms timer runs
 * throughout; its lag (how much later than due each tick fires) is what a
 * server's requests would wait. The target: no lag over 50 ms while saving
 * or restoring. Both restores must give the original snapshot, byte for byte.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecommender, restoreRecommender, restoreRecommenderFrom, type Recommender } from '../../src/index.js';
import { readMovies } from '../movielens/attune.js';
import { ratingsAsFeedback, ratingsPath, readRatings } from '../movielens/ratings.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';
import { withTimer } from '../common/timerLag.js';

const ROUNDS = 3;
const TARGET_MS = 50;

async function save(rec: Recommender, path: string): Promise<number> {
  const temporary = `${path}.tmp`;
  const out = createWriteStream(temporary);
  let chunks = 0;
  for await (const chunk of rec.snapshotChunks()) {
    chunks++;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  await rename(temporary, path);
  return chunks;
}

const path = ratingsPath();
const ratings = readRatings(path).sort((a, b) => a.at - b.at);
const items = readMovies(
  path,
  ratings.map((r) => r.item),
);
const now = ratings[ratings.length - 1]!.at;
const rec = createRecommender({ items, seed: 1, now: () => now });
rec.feedback(ratingsAsFeedback(ratings));
const trained = rec.train();
const text = JSON.stringify(rec.snapshot());
console.log(
  `${ratings.length} ratings, ${items.length} movies, ${trained.users} people; trained in ${trained.seconds.toFixed(1)} s; snapshot ${(text.length / 1e6).toFixed(1)} MB`,
);

const dir = await mkdtemp(join(tmpdir(), 'attune-persist-'));
const file = join(dir, 'state.json');
type Row = { ms: number; worst: number; p99: number };
const rows: Record<'stringify' | 'parse' | 'chunks' | 'from', Row[]> = {
  stringify: [],
  parse: [],
  chunks: [],
  from: [],
};
let chunkCounts: number[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const blockingSave = await withTimer(() => JSON.stringify(rec.snapshot()));
    const blockingRestore = await withTimer(() => restoreRecommender(JSON.parse(blockingSave.value)));
    const streamedSave = await withTimer(() => save(rec, file));
    const streamedRestore = await withTimer(() => restoreRecommenderFrom(createReadStream(file)));
    const ok =
      blockingSave.value === text &&
      JSON.stringify(blockingRestore.value.snapshot()) === text &&
      JSON.stringify(streamedRestore.value.snapshot()) === text &&
      (await stat(file)).size === Buffer.byteLength(text);
    if (!ok) throw new Error('a save or a restore did not give the original snapshot back');
    rows.stringify.push(blockingSave);
    rows.parse.push(blockingRestore);
    rows.chunks.push(streamedSave);
    rows.from.push(streamedRestore);
    chunkCounts.push(streamedSave.value);
    console.log(
      `round ${round}: save ${blockingSave.ms.toFixed(0)} ms blocking vs ${streamedSave.ms.toFixed(0)} ms streamed (worst lag ${streamedSave.worst.toFixed(1)} ms, ${streamedSave.value} chunks); restore ${blockingRestore.ms.toFixed(0)} ms vs ${streamedRestore.ms.toFixed(0)} ms (worst lag ${streamedRestore.worst.toFixed(1)} ms)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const cell = (list: Row[]) =>
  `${median(list.map((r) => r.ms)).toFixed(0)} ms | ${median(list.map((r) => r.p99)).toFixed(1)} ms | ${Math.max(...list.map((r) => r.worst)).toFixed(1)} ms`;
const worstStreamed = Math.max(...rows.chunks.map((r) => r.worst), ...rows.from.map((r) => r.worst));
chunkCounts = chunkCounts.sort((a, b) => a - b);
const body = [
  `Measured on ${machineLine()}, with \`npm run bench:persist\`.`,
  `State: ${ratings.length.toLocaleString('en')} MovieLens ratings as feedback, ${items.length.toLocaleString('en')} movies, ${trained.users} people, trained (default options: 128 factors); snapshot ${(text.length / 1e6).toFixed(1)} MB of JSON. ${ROUNDS} rounds; a 10 ms timer ticks throughout.`,
  '',
  '| operation | wall time (median) | timer lag p99 (median) | worst timer lag (all rounds) |',
  '| --- | ---: | ---: | ---: |',
  `| save, blocking: \`JSON.stringify(rec.snapshot())\` | ${cell(rows.stringify)} |`,
  `| save, streamed: \`snapshotChunks()\` to a file, then rename (${chunkCounts[0]}–${chunkCounts[chunkCounts.length - 1]} chunks) | ${cell(rows.chunks)} |`,
  `| restore, blocking: \`restoreRecommender(JSON.parse(text))\` | ${cell(rows.parse)} |`,
  `| restore, streamed: \`restoreRecommenderFrom(createReadStream(file))\` | ${cell(rows.from)} |`,
  '',
  `Target: no timer lag over ${TARGET_MS} ms while saving or restoring: ${worstStreamed <= TARGET_MS ? 'met' : 'missed'} (worst ${worstStreamed.toFixed(1)} ms). Both restores gave the original snapshot byte for byte.`,
].join('\n');
console.log(`\n${body}`);
writeReadmeSection('persist', body);
