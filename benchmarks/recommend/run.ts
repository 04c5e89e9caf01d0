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
  { name: 'recommend (defaults: reasons, 32 propensity draws)', options: {} },
  { name: 'recommend, exploration off (deterministic, 1 draw)', options: { exploration: 0 } },
  { name: 'recommend, 8 propensity draws', options: { propensitySamples: 8 } },
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

function timeMs(fn: () => unknown, calls: number): number {
  const t = performance.now();
  for (let c = 0; c < calls; c++) fn();
  return (performance.now() - t) / calls;
}

const results = new Map<string, number[]>();
const users = Array.from({ length: CALLS }, (_, c) => `u${(c * 37) % USERS}`);
for (let run = 0; run < RUNS + 1; run++) {
  const base = timeMs(rawScan, CALLS);
  if (run > 0) (results.get('baseline') ?? results.set('baseline', []).get('baseline')!).push(base);
  variants.forEach((v, k) => {
    let c = 0;
    const ms = timeMs(() => recs[k]!.recommend(users[c++ % CALLS], { count: 10, at: now }), CALLS);
    if (run > 0) (results.get(v.name) ?? results.set(v.name, []).get(v.name)!).push(ms);
  });
}
const base = median(results.get('baseline')!);
const rows = [
  `| raw Float32Array dot-product scan + top-10 (baseline) | ${base.toFixed(3)} ms | 1.00× |`,
  ...variants.map((v) => {
    const m = median(results.get(v.name)!);
    return `| ${v.name} | ${m.toFixed(3)} ms | ${(m / base).toFixed(2)}× |`;
  }),
];
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
  `Command: \`npm run bench:recommend\`. ${n.toLocaleString('en')} items (generated catalog, 4 tags each), ${FACTORS} collaborative factors trained on ${events.length.toLocaleString('en')} events from ${USERS} users; count 10; median of ${RUNS} runs of ${CALLS} calls after a warm-up run, every call for a different user.`,
  '',
  '| case | median per call | vs baseline |',
  '| --- | ---: | ---: |',
  ...rows,
  '',
  'Goal (issue 4): the default `recommend` within 1.5× of the raw scan — **not met** (about 1.8–2.1× across runs on this machine). Where a call goes, timed stage by stage during development (20,000 items, 64 factors): the collaborative scan x_u·y_i over every item 1.9–2.2 ms (the same work as the baseline); the ranking pass over 20,000 items (tag, popularity and collaborative parts, candidate pool by bounded heap) about 0.5 ms; 32 Thompson draws over the 200-item pool for the propensities about 0.9 ms; exact HKV reasons for the shown items (one k×k Cholesky per request) about 0.5 ms. The last two are what every recommendation carries (an honest propensity and an exact reason); the scan and the ranking pass alone add up to about 1.1–1.2× the baseline.',
].join('\n');
console.log(body);
writeReadmeSection('recommend', body);
