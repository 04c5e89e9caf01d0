/**
 * `recommend` latency at catalog scale: 20,000 items, 64 collaborative
 * factors, against the floor for this work in JavaScript — a raw
 * Float32Array dot-product scan with a top-10 — measured in the same run.
 * `npm run bench:recommend`. Prints the results; with `--write` they also go
 * between the recommend markers of benchmarks/README.md.
 */
import { createRecommender, type FeedbackEvent } from '../../src/index.js';
import { generateCatalog } from '../../src/eval/index.js';
import { createRng } from '../../src/random/rng.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';

const ITEMS_PER_GENRE = 1667; // × 12 genres ≈ 20,000 items
const FACTORS = 64;
const USERS = 1500;
const EVENTS_PER_USER = 30;
const RUNS = 7;
const CALLS = 60;

const catalog = generateCatalog({ seed: 1, genres: 12, itemsPerGenre: ITEMS_PER_GENRE, artistsPerGenre: 40 });
const n = catalog.length;
const now = Date.UTC(2026, 0, 1);
const rng = createRng(7, 'bench');
const events: FeedbackEvent[] = [];
for (let u = 0; u < USERS; u++) {
  const home = rng.int(12);
  for (let e = 0; e < EVENTS_PER_USER; e++) {
    const genre = rng.next() < 0.8 ? home : rng.int(12);
    const item = catalog[genre * ITEMS_PER_GENRE + rng.int(ITEMS_PER_GENRE)]!;
    events.push({
      user: `u${u}`,
      item: item.id,
      signal: rng.next() < 0.85 ? ('play' as const) : ('skip' as const),
      at: now - rng.int(90) * 86_400_000,
    });
  }
}

const variants = [
  {
    name: 'recommend (defaults: reasons; propensities by fresh draws until each shown item appears 4 times)',
    options: {},
  },
  {
    name: 'recommend, `propensitySamples: 1` (the shown list and one more draw: propensities not estimated)',
    options: { propensitySamples: 1 },
  },
  { name: 'recommend, exploration off (deterministic, 1 draw)', options: { exploration: 0 } },
];

const setupStart = performance.now();
const recs = variants.map((v) => {
  const rec = createRecommender({
    items: catalog,
    seed: 1,
    now: () => now,
    collaborative: { factors: FACTORS, iterations: 5 },
    ...v.options,
  });
  rec.feedback(events);
  rec.train();
  return rec;
});
console.log(
  `setup (feedback ${events.length} events + train, ×${variants.length}): ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
);

// The floor: a raw scan of n × 64 Float32 factors with a top-10 by insertion.
const itemFactors = new Float32Array(n * FACTORS);
for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = rng.normal() * 0.1;
const userVector = new Float32Array(FACTORS).map(() => rng.normal() * 0.1);
const scores = new Float32Array(n);
const topIdx = new Int32Array(10);
const topVal = new Float64Array(10);
function rawScan(): number {
  for (let i = 0, o = 0; i < n; i++, o += FACTORS) {
    let s = 0;
    for (let f = 0; f < FACTORS; f++) s += itemFactors[o + f]! * userVector[f]!;
    scores[i] = s;
  }
  topVal.fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s <= topVal[9]!) continue;
    let j = 9;
    while (j > 0 && topVal[j - 1]! < s) {
      topVal[j] = topVal[j - 1]!;
      topIdx[j] = topIdx[j - 1]!;
      j--;
    }
    topVal[j] = s;
    topIdx[j] = i;
  }
  return topIdx[0]!;
}

/** Mean ms per call over `calls` calls; each call's own time goes to `each`. */
function timeMs(fn: () => unknown, calls: number, each: number[]): number {
  const t = performance.now();
  for (let c = 0; c < calls; c++) {
    const s = performance.now();
    fn();
    each.push(performance.now() - s);
  }
  return (performance.now() - t) / calls;
}

const results = new Map<string, number[]>();
const perCall = new Map<string, number[]>();
const users = Array.from({ length: CALLS }, (_, c) => `u${(c * 37) % USERS}`);
for (let run = 0; run < RUNS + 1; run++) {
  const scratch: number[] = [];
  const base = timeMs(
    rawScan,
    CALLS,
    run > 0 ? (perCall.get('baseline') ?? perCall.set('baseline', []).get('baseline')!) : scratch,
  );
  if (run > 0) (results.get('baseline') ?? results.set('baseline', []).get('baseline')!).push(base);
  variants.forEach((v, k) => {
    let c = 0;
    const each = run > 0 ? (perCall.get(v.name) ?? perCall.set(v.name, []).get(v.name)!) : scratch;
    const ms = timeMs(() => recs[k]!.recommend(users[c++ % CALLS], { count: 10, at: now }), CALLS, each);
    if (run > 0) (results.get(v.name) ?? results.set(v.name, []).get(v.name)!).push(ms);
  });
}
const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const base = median(results.get('baseline')!);
const row = (name: string, key: string): string => {
  const m = median(results.get(key)!);
  const each = perCall.get(key)!;
  return `| ${name} | ${m.toFixed(3)} ms | ${(m / base).toFixed(2)}× | ${percentile(each, 0.5).toFixed(2)} / ${percentile(each, 0.99).toFixed(2)} ms |`;
};
const rows = [
  row('raw Float32Array dot-product scan + top-10 (baseline)', 'baseline'),
  ...variants.map((v) => row(v.name, v.name)),
];
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
  `Command: \`npm run bench:recommend\`. ${n.toLocaleString('en')} items (generated catalog, 4 tags each), ${FACTORS} collaborative factors trained on ${events.length.toLocaleString('en')} events from ${USERS} users; count 10; median of ${RUNS} runs of ${CALLS} calls after a warm-up run, every call for a different user.`,
  '',
  '| case | median per call | vs baseline | call p50 / p99 |',
  '| --- | ---: | ---: | ---: |',
  ...rows,
  '',
  'Goal (issue 4): the default `recommend` within 1.5× of the raw scan — **not met** (about 2.3–2.5× across runs on this machine, 1.5× without the propensities). ' +
    'Where a call goes, timed stage by stage (20,000 items, 64 factors): the collaborative scan x_u·y_i over every item 1.9–2.2 ms (the same work as the baseline); ' +
    'the ranking pass over 20,000 items (tag, popularity and collaborative parts, candidate pool by bounded heap) about 0.5 ms; exact HKV reasons for the shown items (one k×k Cholesky per request) about 0.5 ms; ' +
    'and the propensities (issue 15): fresh draws of the list until every shown item has appeared 4 times — 132 draws at the median call, 670 at the 99th percentile — ' +
    'at about 12 µs a draw over the 200-item pool (36 tag normals 1 µs, item sums 2 µs, diverse selection 9 µs), so about 1.7 ms at the median and most of the 99th percentile. ' +
    'Before the draws were laid out per pool (`src/rank/poolLists.ts`) and the selection learned to drop a filled genre share in one pass, a draw cost about 25 µs: ' +
    'default p50 7.37 ms and p99 20.1 ms against 5.12 and 10.3 ms now, both versions in one process, 500 interleaved calls each, load 1.4. ' +
    'The lists and propensities are the same bit for bit. The `propensitySamples: 1` row is what the list costs without them.',
].join('\n');
console.log(body);
writeReadmeSection('recommend', body);
