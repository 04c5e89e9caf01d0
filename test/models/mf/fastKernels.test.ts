/**
 * The blocked kernels behind the speed work agree with naive reference loops,
 * on sizes that exercise both the blocked part and the remainder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskyLowerInto, CholeskySolver } from '../../../src/models/mf/choleskySolver.js';
import { CgWorkspace, cgUpdateRow } from '../../../src/models/mf/conjugateGradient.js';
import {
  crossDotsInto,
  dot,
  gatheredAxpyInto,
  gatheredDotAxpyInto,
  gatheredDotsInto,
  gatheredLowerCrossInto,
  gramInto,
} from '../../../src/models/mf/dense.js';
import { alsLoss } from '../../../src/models/mf/loss.js';
import { assembleSystemInto } from '../../../src/models/mf/normalEquations.js';
import { whitenedCgUpdateRow, whiteningPays } from '../../../src/models/mf/whitening.js';
import { directInverseProducts, planOf } from './planHelpers.js';
import { createRng } from '../../../src/random/rng.js';

const close = (a: number, b: number, tol = 1e-10) => Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));

function randomRows(seed: number, rows: number, k: number): Float64Array {
  const rng = createRng(seed, 'fast-kernels');
  return Float64Array.from({ length: rows * k }, () => rng.normal());
}

describe('gathered row kernels', () => {
  it('gatheredDotsInto and gatheredAxpyInto match naive loops', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 21 }), (seed, k, n) => {
        const rows = 12;
        const y = randomRows(seed, rows, k);
        const rng = createRng(seed, 'gathered');
        const cols = Int32Array.from({ length: n + 3 }, () => rng.int(rows));
        const v = Float64Array.from({ length: k }, () => rng.normal());
        const w = Float64Array.from({ length: n }, () => rng.normal());
        const dots = new Float64Array(n);
        gatheredDotsInto(y, k, cols, 3, n + 3, v, dots);
        const sum = Float64Array.from({ length: k }, () => 1);
        gatheredAxpyInto(y, k, cols, 3, n + 3, w, sum);
        const naiveSum = Float64Array.from({ length: k }, () => 1);
        for (let e = 0; e < n; e++) {
          const o = (cols[e + 3] as number) * k;
          let d = 0;
          for (let f = 0; f < k; f++) {
            d += (y[o + f] as number) * (v[f] as number);
            naiveSum[f] = (naiveSum[f] as number) + (w[e] as number) * (y[o + f] as number);
          }
          expect(close(dots[e] as number, d)).toBe(true);
        }
        for (let f = 0; f < k; f++) expect(close(sum[f] as number, naiveSum[f] as number)).toBe(true);
      }),
    );
  });

  it('gatheredDotAxpyInto adds Σ (β·t_e + α·a_e·(y_e·v))·y_e as a naive loop does, for every remainder', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 21 }), (seed, k, n) => {
        const rows = 12;
        const y = randomRows(seed, rows, k);
        const rng = createRng(seed, 'fused');
        const cols = Int32Array.from({ length: n + 3 }, () => rng.int(rows));
        const v = Float64Array.from({ length: k }, () => rng.normal());
        const curvature = Float64Array.from({ length: n + 3 }, () => rng.next());
        const target = Float64Array.from({ length: n + 3 }, () => rng.normal());
        const [alpha, beta] = [rng.normal(), rng.normal()];
        const out = Float64Array.from({ length: k }, () => 1);
        gatheredDotAxpyInto(y, k, cols, 3, n + 3, v, curvature, target, alpha, beta, out);
        const naive = Float64Array.from({ length: k }, () => 1);
        for (let e = 3; e < n + 3; e++) {
          const o = (cols[e] as number) * k;
          let d = 0;
          for (let f = 0; f < k; f++) d += (y[o + f] as number) * (v[f] as number);
          const w = beta * (target[e] as number) + alpha * (curvature[e] as number) * d;
          for (let f = 0; f < k; f++) naive[f] = (naive[f] as number) + w * (y[o + f] as number);
        }
        for (let f = 0; f < k; f++) expect(close(out[f] as number, naive[f] as number)).toBe(true);
      }),
    );
  });

  it('crossDotsInto gives every z_e·y_row the very bits dot gives, for every remainder and an odd row count', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        (seed, k, n, m) => {
          const y = randomRows(seed, 12, k);
          const z = randomRows(seed + 1, n, k);
          const rng = createRng(seed, 'cross-dots');
          const rows = Array.from({ length: m }, () => rng.int(12));
          const out = new Float64Array(m * n).fill(NaN);
          crossDotsInto(z, n, y, rows, k, out);
          for (let t = 0; t < m; t++)
            for (let e = 0; e < n; e++) expect(out[t * n + e]).toBe(dot(z, e * k, y, (rows[t] as number) * k, k));
        },
      ),
    );
  });

  it('gatheredLowerCrossInto fills the lower triangle of the gathered cross products', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 15 }), (seed, k, n) => {
        const rows = 12;
        const a = randomRows(seed, rows, k);
        const b = randomRows(seed + 1, rows, k);
        const rng = createRng(seed, 'cross');
        const cols = Int32Array.from({ length: n + 2 }, () => rng.int(rows));
        const m = new Float64Array(n * n).fill(Number.NaN);
        gatheredLowerCrossInto(a, b, k, cols, 2, n, m);
        for (let e = 0; e < n; e++) {
          for (let f = 0; f <= e; f++) {
            let d = 0;
            for (let t = 0; t < k; t++)
              d += (a[(cols[e + 2] as number) * k + t] as number) * (b[(cols[f + 2] as number) * k + t] as number);
            expect(close(m[e * n + f] as number, d)).toBe(true);
          }
        }
      }),
    );
  });

  it('gramInto and assembleSystemInto match naive sums and are exactly symmetric', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 11 }), (seed, k, n) => {
        const rows = 11;
        const y = randomRows(seed, rows, k);
        const gram = new Float64Array(k * k);
        gramInto(y, n, k, 0.25, gram);
        const rng = createRng(seed, 'assemble');
        const cols = Int32Array.from({ length: n }, () => rng.int(rows));
        const curvature = Float64Array.from({ length: n }, (_, e) => (e % 3 === 0 ? 0 : 3 * rng.next()));
        const target = Float64Array.from({ length: n }, () => rng.next());
        const a = new Float64Array(k * k);
        const b = new Float64Array(k);
        assembleSystemInto(gram, y, k, cols, 0, n, curvature, target, a, b);
        for (let p = 0; p < k; p++) {
          let bp = 0;
          for (let e = 0; e < n; e++) bp += (target[e] as number) * (y[(cols[e] as number) * k + p] as number);
          expect(close(b[p] as number, bp)).toBe(true);
          for (let q = 0; q < k; q++) {
            let g = p === q ? 0.25 : 0;
            for (let r = 0; r < n; r++) g += (y[r * k + p] as number) * (y[r * k + q] as number);
            let apq = g;
            for (let e = 0; e < n; e++)
              apq +=
                (curvature[e] as number) *
                (y[(cols[e] as number) * k + p] as number) *
                (y[(cols[e] as number) * k + q] as number);
            expect(close(gram[p * k + q] as number, g)).toBe(true);
            expect(close(a[p * k + q] as number, apq)).toBe(true);
            expect(Object.is(a[p * k + q], a[q * k + p])).toBe(true);
            expect(Object.is(gram[p * k + q], gram[q * k + p])).toBe(true);
          }
        }
      }),
    );
  });
});

describe('whitened conjugate gradient (preconditioned by G = LLᵀ)', () => {
  const k = 6;
  const rows = 30;

  function system(seed: number, n: number, k = 6) {
    const fixed = randomRows(seed, rows, k);
    const g = new Float64Array(k * k);
    gramInto(fixed, rows, k, 0.5, g);
    const rng = createRng(seed, 'whitened');
    const cols = Int32Array.from({ length: n }, () => rng.int(rows));
    const curvature = Float64Array.from({ length: n }, () => 3 * rng.next());
    const target = Float64Array.from({ length: n }, () => rng.next());
    const a = new Float64Array(k * k);
    const b = new Float64Array(k);
    assembleSystemInto(g, fixed, k, cols, 0, n, curvature, target, a, b);
    const exact = new Float64Array(k);
    new CholeskySolver(k).solveInto(a, b, 1, exact, 'test');
    const start = Float64Array.from({ length: k }, () => rng.normal());
    return { fixed, g, cols, curvature, target, exact, start };
  }

  it('is exact after n + 1 steps for a row of n < k entries, from any warm start', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(6, 11, 16), fc.integer({ min: 1, max: 4 }), (seed, k, n) => {
        const s = system(seed, n, k);
        const plan = planOf(s.g, s.fixed, rows, k);
        expect(plan).not.toBeNull();
        const x = Float64Array.from(s.start);
        whitenedCgUpdateRow(plan!.whitening, k, s.cols, 0, n, s.curvature, s.target, x, 0, n + 1, new CgWorkspace(k));
        for (let f = 0; f < k; f++) expect(x[f]).toBeCloseTo(s.exact[f] as number, 8);
      }),
    );
  });

  it('is closer to the exact solve than plain CG with the same number of steps', () => {
    let whitenedError = 0;
    let plainError = 0;
    for (let seed = 0; seed < 40; seed++) {
      const s = system(seed, 12);
      const w = planOf(s.g, s.fixed, rows, k)!.whitening;
      const a = Float64Array.from(s.start);
      const b = Float64Array.from(s.start);
      whitenedCgUpdateRow(w, k, s.cols, 0, 12, s.curvature, s.target, a, 0, 2, new CgWorkspace(k));
      cgUpdateRow(s.g, 0.5, s.fixed, k, s.cols, 0, 12, s.curvature, s.target, b, 0, 2, new CgWorkspace(k));
      for (let f = 0; f < k; f++) {
        whitenedError += ((a[f] as number) - (s.exact[f] as number)) ** 2;
        plainError += ((b[f] as number) - (s.exact[f] as number)) ** 2;
      }
    }
    expect(whitenedError).toBeLessThan(plainError);
  });

  it('declines a G that is not positive definite, and pays only when rows outnumber fixed rows', () => {
    const singular = new Float64Array(k * k);
    expect(planOf(singular, new Float64Array(rows * k), rows, k)).toBeNull();
    expect(choleskyLowerInto(singular, k, new Float64Array(k * k))).toBe(false);
    expect(whiteningPays(706, 8552, 64, 3)).toBe(true);
    expect(whiteningPays(8552, 706, 64, 3)).toBe(false);
  });

  it('gives the low-rank solver the same z = G⁻¹y as a direct inverse', () => {
    const s = system(11, 4);
    const fromWhitening = planOf(s.g, s.fixed, rows, k)!.z;
    const direct = directInverseProducts(s.g, s.fixed, rows, k);
    for (let i = 0; i < direct.length; i++)
      expect(close(fromWhitening[i] as number, direct[i] as number, 1e-9)).toBe(true);
  });

  it('choleskyLowerInto returns L with LLᵀ = A', () => {
    const s = system(7, 3);
    const l = new Float64Array(k * k);
    expect(choleskyLowerInto(s.g, k, l)).toBe(true);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let v = 0;
        for (let f = 0; f < k; f++) v += (l[i * k + f] as number) * (l[j * k + f] as number);
        expect(close(v, s.g[i * k + j] as number)).toBe(true);
        if (j > i) expect(l[i * k + j]).toBe(0);
      }
    }
  });
});

describe('alsLoss', () => {
  it('equals the brute-force HKV objective over every user × item pair, and the explicit one over the stored entries', () => {
    const users = 5;
    const items = 7;
    const k = 3;
    const x = randomRows(1, users, k);
    const y = randomRows(2, items, k);
    const rng = createRng(3, 'loss');
    const indptr = new Int32Array(users + 1);
    const indices: number[] = [];
    for (let u = 0; u < users; u++) {
      for (let i = 0; i < items; i++) if (rng.next() < 0.4) indices.push(i);
      indptr[u + 1] = indices.length;
    }
    const nnz = indices.length;
    const c = Float64Array.from({ length: nnz }, () => 1 + 4 * rng.next());
    const p = Float64Array.from({ length: nnz }, () => (rng.next() < 0.8 ? 1 : 0));
    const lambda = 0.3;
    const score = (u: number, i: number) => {
      let s = 0;
      for (let f = 0; f < k; f++) s += (x[u * k + f] as number) * (y[i * k + f] as number);
      return s;
    };
    const gram = (m: Float64Array, rows: number) => {
      const out = new Float64Array(k * k);
      gramInto(m, rows, k, 0, out);
      return out;
    };
    const penalty = lambda * ([...x].reduce((s, v) => s + v * v, 0) + [...y].reduce((s, v) => s + v * v, 0));
    for (const kind of ['implicit', 'explicit'] as const) {
      const curvature = c.map((v) => (kind === 'implicit' ? v - 1 : v));
      const target = c.map((v, e) => v * (p[e] as number));
      const byUser = { rows: users, indptr, indices: Int32Array.from(indices), curvature, target };
      let total = 0;
      let weight = 0;
      for (let u = 0; u < users; u++) {
        const stored = new Map<number, number>();
        for (let e = indptr[u] as number; e < (indptr[u + 1] as number); e++) stored.set(indices[e] as number, e);
        for (let i = 0; i < items; i++) {
          const e = stored.get(i);
          if (e === undefined && kind === 'explicit') continue;
          const ce = e === undefined ? 1 : (c[e] as number);
          const pe = e === undefined ? 0 : (p[e] as number);
          total += ce * (pe - score(u, i)) ** 2;
          weight += kind === 'implicit' ? (e === undefined ? 1 : ce) : ce;
        }
      }
      // The implicit weight counts every pair once plus each stored entry's extra c − 1.
      const expected =
        (total + penalty) / (kind === 'implicit' ? users * items + curvature.reduce((s, v) => s + v, 0) : weight);
      const got = alsLoss(kind, byUser, p, x, y, items, gram(x, users), gram(y, items), k, lambda);
      expect(close(got, expected, 1e-12)).toBe(true);
    }
  });
});
