/**
 * `recommend` at catalog scale, exact and approximate retrieval, beside the
 * floor for this work in JavaScript — a raw Float32Array dot-product scan
 * of the same catalog at the model's dimension (128) with a top-10 —
 * measured in the same rounds. Each catalog is generated (12 genres, about
 * 200 songs an artist) with 128-dimensional item factors planted around
 * artists and genres and imported as a `.npy` file (`importItemFactors`);
 * 2,000 people give feedback that follows the same structure.
 *
 * For each size: p50 / p99 per call of the raw scan, of `recommend` with
 * `retrieval: 'exact'` and with `'approximate'`, each with the propensities
 * not read and read, and of a guest's list (popularity only); recall@10 of
 * the approximate lists against the exact ones (same people, same draws);
 * the index's build time and memory.
 *
 * `npm run bench:recommend` (all sizes), `-- --sizes 1000,20000` for some;
 * `--write` puts the results between the recommend markers of
 * benchmarks/README.md.
 */
import { createRecommender, type Recommender } from '../../src/index.js';
import { Retrieval } from '../../src/rank/retrieval/retrieval.js';
import type { World as State } from '../../src/world.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';
import { buildWorld, FACTORS } from './world.js';

const PEOPLE = 2000;
const EVENTS_PER_PERSON = 20;
const COUNT = 10;
const NOW = Date.UTC(2026, 0, 1);

const argSizes = process.argv.indexOf('--sizes');
const SIZES =
  argSizes >= 0 ? process.argv[argSizes + 1]!.split(',').map(Number) : [1_000, 20_000, 50_000, 200_000, 1_000_000];

/** Rounds and calls per round: fewer where one exact call takes a large part of a second. */
function plan(size: number): { rounds: number; calls: number } {
  if (size >= 500_000) return { rounds: 4, calls: 25 };
  if (size >= 100_000) return { rounds: 5, calls: 40 };
  return { rounds: 7, calls: 60 };
}

const percentile = (xs: readonly number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

interface Row {
  size: number;
  name: string;
  p50: number;
  p99: number;
  ratio: number;
  p99OverP50: number;
}

interface SizeResult {
  size: number;
  rows: Row[];
  recall: number;
  recallMin: number;
  recallDrawn: number;
  buildSeconds: number;
  indexBytes: number;
  factorBytes: number;
  lists: number;
  setupSeconds: number;
  exactP50: number;
  approximateP50: number;
  approximateP99: number;
  scanP50: number;
}

function stateOf(rec: Recommender): State {
  return (rec as unknown as { world: State }).world;
}

function measure(size: number): SizeResult {
  const setupStart = performance.now();
  const world = buildWorld(size, PEOPLE, EVENTS_PER_PERSON, NOW);
  const n = world.items.length;
  const make = (retrieval: 'exact' | 'approximate', exploration?: number): Recommender => {
    const rec = createRecommender({
      items: world.items,
      seed: 1,
      now: () => NOW,
      retrieval,
      ...(exploration === undefined ? {} : { exploration }),
    });
    rec.feedback(world.events);
    rec.importItemFactors({ format: 'npy', data: world.npy, ids: world.items.map((i) => i.id) });
    return rec;
  };
  let exact = make('exact');
  let approximate = make('approximate');
  const setupSeconds = (performance.now() - setupStart) / 1000;

  // The index's own build, timed apart (the approximate recommender built the same one on import).
  const state = stateOf(approximate);
  const probe = new Retrieval('approximate', 1);
  const buildStart = performance.now();
  probe.follow(state.model, state.catalog);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const index = probe.indexFor(state.model)!;
  const indexBytes = probe.bytesFor(state.model);
  const factorBytes = n * FACTORS * 4;

  // The floor: a raw scan of the n × 128 float32 factors with a top-10 by insertion.
  const factors = world.factors;
  const scores = new Float32Array(n);
  const topIdx = new Int32Array(10);
  const topVal = new Float64Array(10);
  const query = new Float32Array(FACTORS);
  let q = 0;
  const rawScan = (): number => {
    // a different query each call (a row of the factors), as each call is for a different person
    const row = (q++ * 7919) % n;
    query.set(factors.subarray(row * FACTORS, (row + 1) * FACTORS));
    // four accumulators, as the library's own kernels sum (one chain would wait on every add)
    for (let i = 0, o = 0; i < n; i++, o += FACTORS) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < FACTORS; f += 4) {
        s0 += factors[o + f]! * query[f]!;
        s1 += factors[o + f + 1]! * query[f + 1]!;
        s2 += factors[o + f + 2]! * query[f + 2]!;
        s3 += factors[o + f + 3]! * query[f + 3]!;
      }
      scores[i] = s0 + s1 + (s2 + s3);
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
  };

  const { rounds, calls } = plan(n);
  const people = (round: number, c: number) => `p${(round * calls * 37 + c * 53) % PEOPLE}`;
  const read = (list: { propensity: number }[]) => {
    let s = 0;
    for (const r of list) s += r.propensity;
    return s;
  };
  let guestCalls = 0;
  const cases: { name: string; call: (user: string) => unknown }[] = [
    { name: 'raw Float32Array scan, 128 dims + top-10 (baseline)', call: () => rawScan() },
    { name: "`retrieval: 'exact'`, propensities not read", call: (u) => exact.recommend(u, { count: COUNT }) },
    { name: "`retrieval: 'exact'`, propensities read", call: (u) => read(exact.recommend(u, { count: COUNT })) },
    {
      name: "`retrieval: 'approximate'`, propensities not read",
      call: (u) => approximate.recommend(u, { count: COUNT }),
    },
    {
      name: "`retrieval: 'approximate'`, propensities read",
      call: (u) => read(approximate.recommend(u, { count: COUNT })),
    },
    // A guest (popularity only), each call a second later than the last, as in a live service.
    {
      name: 'guest (no person)',
      call: () => exact.recommend(undefined, { count: COUNT, at: NOW + ++guestCalls * 1000 }),
    },
  ];
  const each = cases.map(() => [] as number[]);
  // A warm-up round (people's vectors folded in, code compiled), then the measured rounds, cases interleaved.
  for (let round = 0; round <= rounds; round++) {
    cases.forEach((c, k) => {
      for (let j = 0; j < calls; j++) {
        const user = people(round, j);
        const s = performance.now();
        c.call(user);
        if (round > 0) each[k]!.push(performance.now() - s);
      }
    });
  }
  const base = median(each[0]!);
  const rows = cases.map((c, k) => {
    const p50 = median(each[k]!);
    const p99 = percentile(each[k]!, 0.99);
    return { size: n, name: c.name, p50, p99, ratio: p50 / base, p99OverP50: p99 / p50 };
  });

  // recall@10: the same people at the same moment, so the same draws on both sides. The lists of
  // the default policy are one Thompson draw over the candidate pool, and a pool that differs in one
  // item draws other noise for its tags, so the recall that says what the index misses is that of
  // the deterministic lists (exploration off): the top of the ranking the index must reproduce.
  const at = NOW + 3_600_000;
  const sample = Math.min(PEOPLE, n >= 500_000 ? 100 : 300);
  const recallOf = (): number[] => {
    const out: number[] = [];
    for (let u = 0; u < sample; u++) {
      const user = `p${(u * 97) % PEOPLE}`;
      const a = exact.recommend(user, { count: COUNT, at }).map((r) => r.item);
      const b = new Set(approximate.recommend(user, { count: COUNT, at }).map((r) => r.item));
      out.push(a.filter((i) => b.has(i)).length / a.length);
    }
    return out;
  };
  const drawn = recallOf();
  globalThis.gc?.();
  exact = make('exact', 0);
  approximate = make('approximate', 0);
  const ranked = recallOf();
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const recall = mean(ranked);
  const recallDrawn = mean(drawn);
  return {
    size: n,
    rows,
    recall,
    recallMin: Math.min(...ranked),
    recallDrawn,
    buildSeconds,
    indexBytes,
    factorBytes,
    lists: index.lists,
    setupSeconds,
    exactP50: rows[1]!.p50,
    approximateP50: rows[3]!.p50,
    approximateP99: rows[3]!.p99,
    scanP50: base,
  };
}

const results: SizeResult[] = [];
for (const size of SIZES) {
  const r = measure(size);
  results.push(r);
  console.log(
    `${r.size} items (setup ${r.setupSeconds.toFixed(1)} s): ` +
      r.rows.map((x) => `${x.name}: ${x.p50.toFixed(3)} / ${x.p99.toFixed(3)} ms (${x.ratio.toFixed(2)}×)`).join('; ') +
      `; recall@10 ${r.recall.toFixed(3)} (min ${r.recallMin.toFixed(1)}; drawn lists ${r.recallDrawn.toFixed(3)}); index ${r.lists} lists, build ${r.buildSeconds.toFixed(2)} s, ${(r.indexBytes / 2 ** 20).toFixed(1)} MiB = ${(r.indexBytes / r.factorBytes).toFixed(2)}× the float32 factors`,
  );
  globalThis.gc?.();
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
  `Command: \`npm run bench:recommend\`. Generated catalogs (12 genres, about 200 songs an artist, 4 tags an item); ${FACTORS}-dimensional item factors planted around artists and genres, imported as a .npy file; ${PEOPLE.toLocaleString('en')} people × ${EVENTS_PER_PERSON} events; count ${COUNT}; every call for a different person; a warm-up round, then the cases interleaved in rounds (calls per size: ${SIZES.map((s) => `${s.toLocaleString('en')}: ${plan(s).rounds} × ${plan(s).calls}`).join(', ')}). The ratio is the p50 over the raw scan's p50 in the same rounds.`,
  '',
  '| items | case | p50 | p99 | p50 vs raw scan | p99 / p50 |',
  '| ---: | --- | ---: | ---: | ---: | ---: |',
  ...results.flatMap((r) =>
    r.rows.map(
      (x) =>
        `| ${x.size.toLocaleString('en')} | ${x.name} | ${x.p50.toFixed(3)} ms | ${x.p99.toFixed(3)} ms | ${x.ratio.toFixed(2)}× | ${x.p99OverP50.toFixed(2)} |`,
    ),
  ),
  '',
  '| items | recall@10 of approximate vs exact, exploration off (mean, min) | overlap of the drawn lists (default exploration) | approximate p50 / exact p50 | approximate p99 / exact p50 | index lists | index build | index memory | vs float32 factors |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.size.toLocaleString('en')} | ${r.recall.toFixed(3)}, ${r.recallMin.toFixed(1)} | ${r.recallDrawn.toFixed(3)} | ${(r.approximateP50 / r.exactP50).toFixed(3)} | ${(r.approximateP99 / r.exactP50).toFixed(3)} | ${r.lists} | ${r.buildSeconds.toFixed(2)} s | ${mb(r.indexBytes)} | ${(r.indexBytes / r.factorBytes).toFixed(2)}× |`,
  ),
].join('\n');
console.log(body);
writeReadmeSection('recommend', body);
