import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CholeskySolver } from '../../../src/models/mf/choleskySolver.js';
import { LowRankWorkspace, lowRankSolveRow } from '../../../src/models/mf/lowRankSolver.js';
import { directInverseProducts } from './planHelpers.js';
import { CgWorkspace, cgUpdateRow } from '../../../src/models/mf/conjugateGradient.js';
import { assembleSystemInto } from '../../../src/models/mf/normalEquations.js';
import { dot, gramInto } from '../../../src/models/mf/dense.js';
import { AlsModel } from '../../../src/models/mf/alsModel.js';
import { scoreAllInto32, scoreAllInto64, SINGLE_TWIN_BYTES, singleTwin } from '../../../src/models/mf/scoring.js';
import { topK } from '../../../src/models/mf/topK.js';
import { createRng } from '../../../src/random/rng.js';

const k = 6;
const rows = 30;

function setup(seed: number, n: number) {
  const rng = createRng(seed, 'kernels');
  const fixed = Float64Array.from({ length: rows * k }, () => rng.normal());
  const g = new Float64Array(k * k);
  gramInto(fixed, rows, k, 0.5, g);
  const cols = Int32Array.from({ length: n }, () => rng.int(rows));
  const curvature = Float64Array.from({ length: n }, () => 3 * rng.next());
  const target = Float64Array.from({ length: n }, () => rng.next());
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  assembleSystemInto(g, fixed, k, cols, 0, n, curvature, target, a, b);
  const exact = new Float64Array(k);
  new CholeskySolver(k).solveInto(a, b, 1, exact, 'test');
  return { fixed, g, cols, curvature, target, exact };
}

describe('row solvers agree with the exact Cholesky solve', () => {
  it('the low-rank (Woodbury) solve is exact', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 12 }), (seed, n) => {
        const s = setup(seed, n);
        const z = directInverseProducts(s.g, s.fixed, rows, k);
        const x = new Float64Array(k);
        lowRankSolveRow(s.fixed, z, k, s.cols, 0, n, s.curvature, s.target, x, 0, new LowRankWorkspace(), 'test');
        for (let f = 0; f < k; f++) expect(x[f]).toBeCloseTo(s.exact[f] as number, 8);
      }),
    );
  });

  it('conjugate gradient converges to it in k steps', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 12 }), (seed, n) => {
        const s = setup(seed, n);
        const x = new Float64Array(k);
        cgUpdateRow(s.g, 0.5, s.fixed, k, s.cols, 0, n, s.curvature, s.target, x, 0, 3 * k, new CgWorkspace(k));
        for (let f = 0; f < k; f++) expect(x[f]).toBeCloseTo(s.exact[f] as number, 6);
      }),
    );
  });
});

describe('scoring and top-k kernels', () => {
  it('Float32 and Float64 scans agree with a naive dot product', () => {
    const rng = createRng(1, 'scan');
    const n = 50;
    const y = Float64Array.from({ length: n * 7 }, () => rng.normal());
    const x = Float64Array.from({ length: 7 }, () => rng.normal());
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    scoreAllInto64(y, n, 7, x, a);
    scoreAllInto32(Float32Array.from(y), n, 7, x, b);
    for (let i = 0; i < n; i++) {
      let naive = 0;
      for (let f = 0; f < 7; f++) naive += (y[i * 7 + f] as number) * (x[f] as number);
      expect(a[i]).toBeCloseTo(naive, 12);
      expect(b[i]).toBeCloseTo(naive, 5);
    }
  });

  it('both scans give every item the bits dot gives, two items a pass or one (odd counts, every remainder of k)', () => {
    const rng = createRng(3, 'scan-pairs');
    for (const k of [1, 3, 4, 7, 8, 13, 128]) {
      for (const n of [0, 1, 2, 5, 40]) {
        const y = Float64Array.from(Float32Array.from({ length: n * k }, () => rng.normal()));
        const x = Float64Array.from({ length: k }, () => rng.normal());
        const a = new Float64Array(n).fill(NaN);
        const b = new Float64Array(n).fill(NaN);
        scoreAllInto64(y, n, k, x, a);
        scoreAllInto32(Float32Array.from(y), n, k, x, b);
        for (let i = 0; i < n; i++) {
          expect(a[i]).toBe(dot(x, 0, y, i * k, k));
          expect(b[i]).toBe(a[i]);
        }
      }
    }
  });

  it('factors that are single-precision numbers have a twin whose scan gives the same bits; others none', () => {
    const rng = createRng(2, 'twin');
    for (const k of [7, 8, 13, 128]) {
      const n = 40;
      const y = Float64Array.from(Float32Array.from({ length: n * k }, () => rng.normal()));
      const x = Float64Array.from({ length: k }, () => rng.normal());
      const twin = singleTwin(y)!;
      expect(twin).toBeInstanceOf(Float32Array);
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      scoreAllInto64(y, n, k, x, a);
      scoreAllInto32(twin, n, k, x, b);
      expect(Array.from(b)).toEqual(Array.from(a));
      // the model's scan takes the twin, and still scores as score() does, bit for bit
      const model = AlsModel.fromItemFactors(y, n, { factors: k });
      const out = new Float64Array(n);
      model.scoreInto(x, out);
      for (let i = 0; i < n; i++) expect(Object.is(out[i], model.score(x, i))).toBe(true);
      expect(Array.from(out)).toEqual(Array.from(a));
    }
    const doubles = Float64Array.from({ length: 64 }, () => rng.normal());
    expect(singleTwin(doubles)).toBeUndefined();
    expect(singleTwin(new Float64Array(SINGLE_TWIN_BYTES / 4 + 1))).toBeUndefined();
    expect(singleTwin(new Float64Array(SINGLE_TWIN_BYTES / 4))).toBeInstanceOf(Float32Array);
  });

  it('topK equals a full sort (ties to the lower index), honouring skip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 60 }),
        fc.nat({ max: 70 }),
        (values, count) => {
          const scores = Float64Array.from(values);
          const skip = Uint8Array.from(values, (_, i) => (i % 5 === 0 ? 1 : 0));
          const expected = values
            .map((s, i) => ({ s, i }))
            .filter(({ i }) => i % 5 !== 0)
            .sort((p, q) => q.s - p.s || p.i - q.i)
            .slice(0, count)
            .map(({ i }) => i);
          expect(Array.from(topK(scores, count, skip))).toEqual(expected);
        },
      ),
    );
  });

  it('topK leaves out non-finite scores and returns nothing for a count ≤ 0', () => {
    const scores = Float64Array.from([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 2, Number.NEGATIVE_INFINITY]);
    expect(Array.from(topK(scores, 10))).toEqual([2, 4, 0]);
    expect(Array.from(topK(scores, 0))).toEqual([]);
    expect(Array.from(topK(scores, -2))).toEqual([]);
  });
});
