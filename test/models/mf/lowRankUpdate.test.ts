/**
 * The low-rank path of a user's solve (src/models/mf/lowRankUpdate.ts),
 * taken for many factors and few entries (issue 26, 8: 1,024 imported
 * factors made a person's first list take a second): the same fold-in and
 * the same explanations as factorising the user's k×k system directly.
 */
import { describe, expect, it } from 'vitest';
import { CholeskySolver } from '../../../src/models/mf/choleskySolver.js';
import { entryWeights } from '../../../src/models/mf/confidence.js';
import { AlsModel } from '../../../src/models/mf/index.js';
import { LOW_RANK_MIN_FACTORS, preferLowRank } from '../../../src/models/mf/lowRankUpdate.js';
import { resolveAlsOptions } from '../../../src/models/mf/options.js';

function factors(items: number, k: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: items * k }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) / 4);
}

/** The user's system A = YᵀY + λI + Σ a_e·y_e·y_eᵀ and b, assembled naively and solved by Cholesky. */
function directFoldIn(
  y: Float64Array,
  items: number,
  k: number,
  entries: number[],
  confidence: number[],
  preference: number[],
) {
  const o = resolveAlsOptions({ kind: 'implicit', factors: k, regularization: 2, alpha: 0.5 }, 'test');
  const { curvature, target } = entryWeights(confidence, preference, o);
  const a = new Float64Array(k * k);
  for (let i = 0; i < items; i++)
    for (let p = 0; p < k; p++)
      for (let q = 0; q < k; q++) a[p * k + q] = a[p * k + q]! + y[i * k + p]! * y[i * k + q]!;
  for (let p = 0; p < k; p++) a[p * k + p] = a[p * k + p]! + 2;
  const b = new Float64Array(k);
  entries.forEach((item, e) => {
    for (let p = 0; p < k; p++) {
      b[p] = b[p]! + target[e]! * y[item * k + p]!;
      for (let q = 0; q < k; q++) a[p * k + q] = a[p * k + q]! + curvature[e]! * (y[item * k + p]! * y[item * k + q]!);
    }
  });
  const x = new Float64Array(k);
  new CholeskySolver(k).solveInto(a, b, 1, x, 'test');
  return x;
}

describe('a user solve through the shared factor (many factors, few entries)', () => {
  const k = LOW_RANK_MIN_FACTORS + 44;
  const items = 60;
  const y = factors(items, k, 7);
  const model = AlsModel.fromItemFactors(y, items, { kind: 'implicit', factors: k, regularization: 2, alpha: 0.5 });
  const entries = [3, 17, 22, 40, 59];
  const confidence = [1, 4, 0.5, 12, 2];
  const preference = [1, 1, 0, 1, 1];

  it('is the path taken only where it saves most of the work', () => {
    expect(preferLowRank(k, entries.length, 11)).toBe(true);
    expect(preferLowRank(128, 5, 11)).toBe(false);
    expect(preferLowRank(k, 400, 11)).toBe(false);
  });

  it('folds in the same vector as the direct solve, to rounding', () => {
    const want = directFoldIn(y, items, k, entries, confidence, preference);
    const got = model.foldIn(entries, confidence, preference);
    let worst = 0;
    for (let p = 0; p < k; p++) worst = Math.max(worst, Math.abs(got[p]! - want[p]!));
    expect(worst).toBeLessThan(1e-10);
  });

  it('explains each score exactly: the per-item terms add up to it', () => {
    const targets = [0, 5, 17, 33];
    for (const x of model.explainMany(entries, confidence, preference, targets)) {
      expect(Math.abs(x.remainder)).toBeLessThan(1e-10);
      expect(Math.abs(x.sum + x.remainder - x.score)).toBeLessThan(1e-12);
    }
  });
});
