/**
 * The shared path of a user's solve (src/models/mf/lowRankUpdate.ts): a user
 * with few entries (n ≤ k/4) is solved through G = YᵀY + λI's factor, which
 * every user shares, with z_i = G⁻¹y_i kept per item (Woodbury), instead of
 * factorising the user's own k×k system. First taken for many factors (issue
 * 26, 8: 1,024 imported factors made a person's first list take a second),
 * now for every size (issue 25: at 128 factors a person's re-solve cost more
 * than scanning a 1,000-item catalog). The same fold-in and the same
 * explanations as the exact solution: 1e-9 relative where the user's system
 * is not worse conditioned than 1e5, and within its condition number's share
 * of rounding beyond.
 */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { CholeskySolver } from '../../../src/models/mf/choleskySolver.js';
import { entryWeights } from '../../../src/models/mf/confidence.js';
import { AlsModel } from '../../../src/models/mf/index.js';
import { ItemSolves, preferShared, SHARED_SOLVE_SHARE, sharedFactor } from '../../../src/models/mf/lowRankUpdate.js';
import type { AlsKind } from '../../../src/models/mf/options.js';

function factors(items: number, k: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: items * k }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) / 4);
}

/** YᵀY + λI over the first `items` rows of y, naively. */
function gramPlus(y: Float64Array, items: number, k: number, lambda: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let i = 0; i < items; i++)
    for (let p = 0; p < k; p++)
      for (let q = 0; q < k; q++) g[p * k + q] = g[p * k + q]! + y[i * k + p]! * y[i * k + q]!;
  for (let p = 0; p < k; p++) g[p * k + p] = g[p * k + p]! + lambda;
  return g;
}

// Double-double arithmetic (Dekker, Knuth): a value as hi + lo, for a reference solve whose
// residual is computed to about 32 digits, so that refining it gives the exact solution to
// double precision wherever cond·2⁻⁵³ ≪ 1.
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function split(a: number): [number, number] {
  const c = 134217729 * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
/** A sum kept as hi + lo. */
class Exactish {
  hi = 0;
  lo = 0;
  add(h: number, l = 0): this {
    const [s, e] = twoSum(this.hi, h);
    const t = e + this.lo + l;
    this.hi = s + t;
    this.lo = t - (this.hi - s);
    return this;
  }
  addProduct(a: number, b: number): this {
    const [p, e] = twoProd(a, b);
    return this.add(p, e);
  }
}
/** xᵀy for x = hi + lo (from `xo`, k numbers) and y (from `yo`), rounded once. */
function dotExact(
  x: { hi: Float64Array; lo: Float64Array },
  xo: number,
  y: ArrayLike<number>,
  yo: number,
  k: number,
): number {
  const s = new Exactish();
  for (let p = 0; p < k; p++) s.addProduct(x.hi[xo + p]!, y[yo + p]!).addProduct(x.lo[xo + p]!, y[yo + p]!);
  return s.hi + s.lo;
}

/**
 * The user's system A = G + Σ a_e·y_e·y_eᵀ (G = YᵀY + λI, or λI for explicit
 * ratings) solved for b and for each of `targets`' y_j: the reference. A is
 * assembled in double-double, solved by Cholesky (the product's
 * CholeskySolver) and refined three times against the double-double A into a
 * double-double solution (`solved`, `x`: hi + lo), so the reference is the
 * exact solution to about 30 digits, not a second rounded solve. A share
 * y_eᵀ·A⁻¹·y_j can be far smaller than A⁻¹·y_j times y_e, and no solution
 * rounded to doubles gives it to 1e-9: the direct solve alone was off by
 * 2.2e-9 of a small share where the shared path was within 9e-11 (issue 25;
 * both checked against 60-digit arithmetic). Also A's condition number.
 */
function direct(
  model: AlsModel,
  y: Float64Array,
  items: number,
  entries: readonly number[],
  confidence: readonly number[],
  preference: readonly number[],
  targets: readonly number[] = [],
) {
  const { factors: k, kind, regularization } = model.options;
  const { curvature, target } = entryWeights(confidence, preference, model.options);
  const hi = new Float64Array(k * k);
  const lo = new Float64Array(k * k);
  for (let p = 0; p < k; p++)
    for (let q = 0; q < k; q++) {
      const s = new Exactish();
      if (kind === 'implicit') for (let i = 0; i < items; i++) s.addProduct(y[i * k + p]!, y[i * k + q]!);
      if (p === q) s.add(regularization);
      entries.forEach((item, e) => {
        const [ph, pl] = twoProd(y[item * k + p]!, y[item * k + q]!);
        s.addProduct(curvature[e]!, ph).add(curvature[e]! * pl);
      });
      hi[p * k + q] = s.hi;
      lo[p * k + q] = s.lo;
    }
  const columns = 1 + targets.length;
  const rhs: Exactish[] = Array.from({ length: columns * k }, () => new Exactish());
  entries.forEach((item, e) => {
    for (let p = 0; p < k; p++) rhs[p]!.addProduct(target[e]!, y[item * k + p]!);
  });
  targets.forEach((item, t) => {
    for (let p = 0; p < k; p++) rhs[(1 + t) * k + p]!.add(y[item * k + p]!);
  });
  const solver = new CholeskySolver(k);
  const out = new Float64Array(columns * k);
  solver.solveInto(
    hi,
    Float64Array.from(rhs, (r) => r.hi + r.lo),
    columns,
    out,
    'test',
  );
  const outLo = new Float64Array(columns * k);
  const residual = new Float64Array(columns * k);
  const step = new Float64Array(columns * k);
  for (let round = 0; round < 3; round++) {
    for (let c = 0; c < columns; c++)
      for (let p = 0; p < k; p++) {
        const s = new Exactish().add(rhs[c * k + p]!.hi, rhs[c * k + p]!.lo);
        for (let q = 0; q < k; q++) {
          const u = out[c * k + q]!;
          s.addProduct(-hi[p * k + q]!, u)
            .add(-lo[p * k + q]! * u)
            .addProduct(-hi[p * k + q]!, outLo[c * k + q]!);
        }
        residual[c * k + p] = s.hi + s.lo;
      }
    solver.solveInto(hi, residual, columns, step, 'test');
    for (let i = 0; i < out.length; i++) {
      const [h, e] = twoSum(out[i]!, step[i]!);
      const l = outLo[i]! + e;
      out[i] = h + l;
      outLo[i] = l - (out[i]! - h);
    }
  }
  // A's condition number, when asked for (an eigendecomposition: slow at hundreds of factors)
  const cond = () => {
    const eigen = new EigenvalueDecomposition(Matrix.from1DArray(k, k, Array.from(hi))).realEigenvalues;
    return Math.max(...eigen) / Math.min(...eigen);
  };
  return { x: out.subarray(0, k), solved: { hi: out, lo: outLo }, target, cond };
}

/** max |got − want| over max |want| (the absolute difference when want is 0). */
function relativeDifference(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i]! - want[i]!));
    den = Math.max(den, Math.abs(want[i]!));
  }
  return den === 0 ? num : num / den;
}

/** The bound the shared path's difference from the exact solution must meet at condition number `cond`. */
const allowed = (cond: number): number => Math.max(1e-9, 1e-14 * cond);

describe('which users take the shared path', () => {
  it('those with at most a quarter as many entries as factors, whatever the number of factors', () => {
    expect(SHARED_SOLVE_SHARE).toBe(0.25);
    expect(preferShared(128, 20)).toBe(true);
    expect(preferShared(128, 32)).toBe(true);
    expect(preferShared(128, 33)).toBe(false);
    expect(preferShared(1024, 256)).toBe(true);
    expect(preferShared(8, 2)).toBe(true);
    expect(preferShared(8, 3)).toBe(false);
    expect(preferShared(128, 0)).toBe(false);
  });
});

describe('a user solve through the shared factor', () => {
  const k = 300;
  const items = 60;
  const y = factors(items, k, 7);
  const model = AlsModel.fromItemFactors(y, items, { kind: 'implicit', factors: k, regularization: 2, alpha: 0.5 });
  const entries = [3, 17, 22, 40, 59];
  const confidence = [1, 4, 0.5, 12, 2];
  const preference = [1, 1, 0, 1, 1];

  it('folds in the same vector as the direct solve, to rounding', () => {
    const want = direct(model, y, items, entries, confidence, preference).x;
    const got = model.foldIn(entries, confidence, preference);
    expect(relativeDifference(got, want)).toBeLessThan(1e-12);
    // every entry's z_i was solved once and kept
    expect(model.sharedSolves?.kept).toBe(5);
  });

  it('explains each score exactly: the per-item terms add up to it', () => {
    const targets = [0, 5, 17, 33];
    for (const x of model.explainMany(entries, confidence, preference, targets)) {
      expect(Math.abs(x.remainder)).toBeLessThan(1e-10);
      expect(Math.abs(x.sum + x.remainder - x.score)).toBeLessThan(1e-12);
    }
  });
});

/** A model over random item factors, some nearly collinear (ρ near 1) and λ down to 1e-3: ill-conditioned systems. */
const caseArb = fc
  .record({
    k: fc.integer({ min: 4, max: 40 }),
    itemsPerFactor: fc.double({ min: 0.5, max: 3, noNaN: true }),
    logLambda: fc.double({ min: Math.log(1e-3), max: Math.log(100), noNaN: true }),
    collinear: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.9999, noNaN: true })),
    alpha: fc.double({ min: 0.1, max: 10, noNaN: true }),
    kind: fc.constantFrom<AlsKind>('implicit', 'implicit', 'explicit'),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .chain((c) => {
    const items = Math.max(2, Math.round(c.k * c.itemsPerFactor));
    const maxEntries = Math.min(items, Math.floor(c.k * SHARED_SOLVE_SHARE));
    return fc.record({
      c: fc.constant({ ...c, items }),
      entries: fc.uniqueArray(fc.integer({ min: 0, max: items - 1 }), { minLength: 1, maxLength: maxEntries }),
      confidence: fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), {
        minLength: maxEntries,
        maxLength: maxEntries,
      }),
      preference: fc.array(fc.constantFrom(0, 0.5, 1), { minLength: maxEntries, maxLength: maxEntries }),
      targets: fc.uniqueArray(fc.integer({ min: 0, max: items - 1 }), { minLength: 1, maxLength: 6 }),
    });
  })
  .map(({ c, entries, confidence, preference, targets }) => {
    let s = c.seed;
    const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
    const shared = Float64Array.from({ length: c.k }, rnd);
    const y = Float64Array.from(
      { length: c.items * c.k },
      (_, i) => c.collinear * shared[i % c.k]! + (1 - c.collinear) * rnd(),
    );
    const model = AlsModel.fromItemFactors(y, c.items, {
      kind: c.kind,
      factors: c.k,
      regularization: Math.exp(c.logLambda),
      alpha: c.alpha,
    });
    const sorted = [...entries].sort((a, b) => a - b);
    const n = sorted.length;
    return {
      model,
      y,
      items: c.items,
      entries: sorted,
      confidence: confidence.slice(0, n),
      preference: preference.slice(0, n),
      targets,
    };
  });

describe('the shared path against the direct solve (property, random and ill-conditioned systems)', () => {
  it('folds in the same vector: 1e-9 relative up to condition number 1e5, a condition number’s share of rounding beyond', () => {
    fc.assert(
      fc.property(caseArb, ({ model, y, items, entries, confidence, preference }) => {
        expect(preferShared(model.factors, entries.length)).toBe(true);
        const want = direct(model, y, items, entries, confidence, preference);
        const got = model.foldIn(entries, confidence, preference);
        expect(relativeDifference(got, want.x)).toBeLessThanOrEqual(allowed(want.cond()));
      }),
      { numRuns: 150 },
    );
  });

  it('explains with the same per-item shares, which add up to the score, kept or not', () => {
    fc.assert(
      fc.property(caseArb, ({ model, y, items, entries, confidence, preference, targets }) => {
        const k = model.factors;
        const want = direct(model, y, items, entries, confidence, preference, targets);
        const folded = model.foldInKeeping(entries, confidence, preference);
        expect(folded.factor).toBeUndefined();
        expect(folded.shared?.n).toBe(entries.length);
        const uncached = model.explainMany(entries, confidence, preference, targets);
        // the kept small system gives the same numbers, bit for bit
        expect(model.explainMany(entries, confidence, preference, targets, undefined, folded)).toEqual(uncached);
        const cond = want.cond();
        uncached.forEach((x, t) => {
          const item = targets[t]!;
          // the reference: s_ij = y_jᵀ·A⁻¹·y_i from the direct solve of A·v = y_i
          const reference = entries.flatMap((j, e) => {
            if (!(preference[e]! > 0)) return [];
            const s = dotExact(want.solved, (1 + t) * k, y, j * k, k);
            return [{ item: j, weight: s * want.target[e]! }];
          });
          const byItem = new Map(x.contributions.map((c) => [c.item, c.weight]));
          expect([...byItem.keys()].sort((a, b) => a - b)).toEqual(reference.map((c) => c.item));
          const scale = Math.max(...reference.map((c) => Math.abs(c.weight)), Math.abs(x.score), 1e-300);
          for (const c of reference)
            expect(Math.abs(byItem.get(c.item)! - c.weight) / scale).toBeLessThanOrEqual(allowed(cond));
          const score = dotExact(want.solved, 0, y, item * k, k);
          expect(Math.abs(x.score - score) / scale).toBeLessThanOrEqual(allowed(cond));
          // faithful: the shares add up to the score they explain
          expect(Math.abs(x.remainder) / scale).toBeLessThanOrEqual(allowed(cond));
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('entries that weigh much (√a_e·K_ee·√a_e ≫ 1)', () => {
  it('leave the shares and the score within 1e-9 of the exact values (a difference from v_e lost 5e-8 here)', () => {
    // explicit ratings at λ = 1e-3: each rated item's own weight shrinks its share a million-fold
    const k = 8;
    const items = 12;
    const y = factors(items, k, 11).map((v) => 4 * v); // factors of up to ±0.5
    const model = AlsModel.fromItemFactors(y, items, { kind: 'explicit', factors: k, regularization: 1e-3, alpha: 1 });
    const entries = [2, 5];
    const confidence = [10_000, 0];
    const preference = [0, 0.5];
    const targets = [2, 5, 0, 7];
    const want = direct(model, y, items, entries, confidence, preference, targets);
    const explained = model.explainMany(entries, confidence, preference, targets);
    explained.forEach((x, t) => {
      const item = targets[t]!;
      const score = dotExact(want.solved, 0, y, item * k, k);
      const shares = entries.map((j, e) => dotExact(want.solved, (1 + t) * k, y, j * k, k) * want.target[e]!);
      const scale = Math.max(...shares.map(Math.abs), Math.abs(score));
      expect(Math.abs(x.score - score) / scale).toBeLessThan(1e-9);
      // the rated item is cited (its preference is above 0); the other is not
      expect(x.contributions.map((c) => c.item)).toEqual([5]);
      expect(Math.abs(x.contributions[0]!.weight - shares[1]!) / scale).toBeLessThan(1e-9);
    });
  });
});

describe('the kept z_i = G⁻¹y_i (ItemSolves)', () => {
  it('are bounded, and a z_i solved again is the same bits as the one kept', () => {
    const k = 16;
    const items = 50;
    const y = factors(items, k, 3);
    const g = gramPlus(y, items, k, 1);
    const factor = sharedFactor(g, k)!;
    const whole = new ItemSolves(factor, y, k, items);
    const small = new ItemSolves(factor, y, k, items, 8 * k * 6); // room for six rows
    const all = Array.from({ length: items }, (_, i) => i);
    const want = new Float64Array(items * k);
    whole.gatherInto(all, want);
    expect(whole.kept).toBe(items);
    expect(whole.misses).toBe(items);
    const again = new Float64Array(items * k);
    whole.gatherInto(all, again);
    expect(whole.hits).toBe(items);
    expect(again).toEqual(want);
    for (let round = 0; round < 3; round++)
      for (let from = 0; from < items; from += 4) {
        const some = all.slice(from, from + 4 + round);
        const got = new Float64Array(some.length * k);
        small.gatherInto(some, got);
        expect(small.kept).toBeLessThanOrEqual(6);
        some.forEach((item, e) =>
          expect(got.subarray(e * k, e * k + k)).toEqual(want.subarray(item * k, item * k + k)),
        );
      }
    // a row alone, or in a group of four, or twice in one gather: the same bits
    const twice = new Float64Array(5 * k);
    new ItemSolves(factor, y, k, items).gatherInto([7, 9, 7, 11, 13], twice);
    expect(twice.subarray(0, k)).toEqual(want.subarray(7 * k, 8 * k));
    expect(twice.subarray(2 * k, 3 * k)).toEqual(want.subarray(7 * k, 8 * k));
    expect(twice.subarray(4 * k, 5 * k)).toEqual(want.subarray(13 * k, 14 * k));
  });

  it('G⁻¹y_i solves G·z = y_i', () => {
    const k = 12;
    const items = 30;
    const y = factors(items, k, 5);
    const g = gramPlus(y, items, k, 0.5);
    const z = new Float64Array(items * k);
    new ItemSolves(sharedFactor(g, k)!, y, k, items).gatherInto(
      Array.from({ length: items }, (_, i) => i),
      z,
    );
    for (let i = 0; i < items; i++)
      for (let p = 0; p < k; p++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += g[p * k + q]! * z[i * k + q]!;
        expect(Math.abs(s - y[i * k + p]!)).toBeLessThan(1e-12);
      }
  });
});
