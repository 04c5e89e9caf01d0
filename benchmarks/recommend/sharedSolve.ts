/**
 * Where a person's solve through G's shared factor (Woodbury,
 * src/models/mf/lowRankUpdate.ts) stops paying against factorising the
 * person's own k×k system: both paths timed on the same inputs — one
 * fold-in plus the shares of ten listed items (what a list's reasons need) —
 * by the number of entries n, at k = 64, 128, 256 and 512. The shared path
 * twice: with every z_e = G⁻¹·y_e already kept (a warm model) and with none
 * kept (each entry pays its k² solve). The kernels are the ones AlsModel
 * calls; the ratio direct / shared above 1 means the shared path is faster.
 * Sets SHARED_SOLVE_SHARE (the largest n/k that takes the shared path).
 *
 * `npx tsx benchmarks/recommend/sharedSolve.ts` (prints a table; writes nothing).
 */
import { cpus, loadavg } from 'node:os';
import {
  choleskyLowerInto,
  keepFactor,
  solveWithKeptInto,
  solveWithLowerInto,
} from '../../src/models/mf/choleskySolver.js';
import { gramInto } from '../../src/models/mf/dense.js';
import {
  ItemSolves,
  SHARED_SOLVE_SHARE,
  sharedFactor,
  sharedFoldIn,
  sharedSharesInto,
} from '../../src/models/mf/lowRankUpdate.js';
import { assembleSystemInto } from '../../src/models/mf/normalEquations.js';
import { median } from '../common/readme.js';

const ITEMS = 4000;
const TARGETS = 10;
const REGULARIZATION = 20;

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
}

/** Milliseconds of `fn` per call: the median of `rounds` rounds of `calls` calls each. */
function time(fn: (call: number) => void, calls: number, rounds = 7): number {
  for (let c = 0; c < calls; c++) fn(c);
  const each: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let c = 0; c < calls; c++) fn(c);
    each.push((performance.now() - t) / calls);
  }
  return median(each);
}

console.log(`load ${loadavg()[0]!.toFixed(2)}, ${cpus().length} cores, Node ${process.version}`);
console.log(
  '| k | n | n/k | direct ms | shared ms, z kept | shared ms, none kept | direct / kept | direct / none kept |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const k of [64, 128, 256, 512]) {
  const r = rng(k);
  const y = Float64Array.from({ length: ITEMS * k }, () => r() / Math.sqrt(k));
  const g = new Float64Array(k * k);
  gramInto(y, ITEMS, k, REGULARIZATION, g);
  const factor = sharedFactor(g, k)!;
  const system = new Float64Array(k * k);
  const lower = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  const x = new Float64Array(k);
  const targets = new Float64Array(TARGETS * k);
  const solved = new Float64Array(TARGETS * k);
  const shares = new Float64Array(k);
  for (const share of [1 / 16, 1 / 8, 3 / 16, 1 / 4, 5 / 16, 3 / 8, 1 / 2, 3 / 4, 1]) {
    const n = Math.max(1, Math.round(share * k));
    const calls = Math.max(3, Math.round(4e7 / (k * k * k)));
    // Entries of call c: n distinct items, a different set each call; ten listed items.
    const itemsOf = (c: number) => Int32Array.from({ length: n }, (_, e) => (c * 7919 + e * 131) % ITEMS).sort();
    const sets = Array.from({ length: calls }, (_, c) => itemsOf(c));
    const curvature = Float64Array.from({ length: n }, () => 1.25 * (1 + r()));
    const target = Float64Array.from(curvature, (a) => a + 1);
    const listed = Array.from({ length: TARGETS }, (_, t) => (t * 977 + 5) % ITEMS);
    const direct = time((c) => {
      const items = sets[c]!;
      assembleSystemInto(g, y, k, items, 0, n, curvature, target, system, rhs);
      choleskyLowerInto(system, k, lower);
      solveWithLowerInto(lower, k, rhs, 1, x);
      const kept = keepFactor(lower, k);
      listed.forEach((item, t) => targets.set(y.subarray(item * k, item * k + k), t * k));
      solveWithKeptInto(kept, targets, TARGETS, solved);
    }, calls);
    const shared = (solves: () => ItemSolves) =>
      time((c) => {
        const fold = sharedFoldIn(solves(), y, k, sets[c]!, curvature, target, x)!;
        for (const item of listed) sharedSharesInto(fold, y, k, item, shares);
      }, calls);
    const warm = new ItemSolves(factor, y, k, ITEMS);
    const kept = shared(() => warm);
    const cold = shared(() => new ItemSolves(factor, y, k, ITEMS));
    console.log(
      `| ${k} | ${n} | ${(n / k).toFixed(3)} | ${direct.toFixed(3)} | ${kept.toFixed(3)} | ${cold.toFixed(3)} | ${(direct / kept).toFixed(2)} | ${(direct / cold).toFixed(2)} |`,
    );
  }
}
console.log(`SHARED_SOLVE_SHARE = ${SHARED_SOLVE_SHARE}; load after: ${loadavg()[0]!.toFixed(2)}`);
