/**
 * The ALS objective, evaluated without visiting all user × item pairs.
 *
 * Implicit (HKV eq. 3): Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²).
 * Split the sum into "every pair with weight 1" plus the observed pairs'
 * extra: Σ_u x_uᵀ(YᵀY)x_u + Σ_obs [c·p² − 2c·p·s + (c − 1)·s²], s = x_uᵀy_i.
 * The first term is the Frobenius product ⟨XᵀX, YᵀY⟩, O(k²) from the two
 * Gram matrices the sweep has already computed.
 * Explicit: Σ_obs c (r − s)², the same observed-pair formula with a = c.
 * Reported divided by the total weight, so it reads as a weighted mean squared error.
 *
 * A fit assembles this same objective after every sweep without a pass of its
 * own (training/phases.ts: the item solves score their entries as they go);
 * this is the plain form, one pass over the entries, that checks it.
 */
import { dot, gatheredDotsInto } from './dense.js';
import type { AlsKind } from './options.js';
import type { WeightedRows } from './sweep.js';

/** The normalised objective for users `x` (CSR `byUser`) and items `y`; `userGram` = XᵀX and `itemGram` = YᵀY. */
export function alsLoss(
  kind: AlsKind,
  byUser: WeightedRows,
  preference: Float64Array,
  x: Float64Array,
  y: Float64Array,
  itemCount: number,
  userGram: Float64Array,
  itemGram: Float64Array,
  k: number,
  lambda: number,
): number {
  const observed = observedLoss(byUser, preference, x, y, k, 0, byUser.rows);
  let total = observed.total + (kind === 'implicit' ? dot(userGram, 0, itemGram, 0, k * k) : 0);
  const weight = observed.weight + (kind === 'implicit' ? byUser.rows * itemCount : 0);
  total += lambda * (dot(x, 0, x, 0, x.length) + dot(y, 0, y, 0, y.length));
  return weight > 0 ? total / weight : 0;
}

/**
 * The observed pairs' part of the objective for users `from` to `to`:
 * Σ_obs [t·p − 2t·s + a·s²] (t the target weight, a the curvature, s = x_uᵀy_i)
 * and the sum of `a`. A fit splits its users into tasks and adds their parts.
 */
function observedLoss(
  byUser: WeightedRows,
  preference: Float64Array,
  x: Float64Array,
  y: Float64Array,
  k: number,
  from: number,
  to: number,
): { total: number; weight: number } {
  const { indptr, indices, curvature, target } = byUser;
  let longest = 0;
  for (let u = from; u < to; u++) longest = Math.max(longest, (indptr[u + 1] as number) - (indptr[u] as number));
  const scores = new Float64Array(longest);
  const row = new Float64Array(k);
  let total = 0;
  let weight = 0;
  for (let u = from; u < to; u++) {
    const start = indptr[u] as number;
    const end = indptr[u + 1] as number;
    for (let f = 0; f < k; f++) row[f] = x[u * k + f] as number;
    gatheredDotsInto(y, k, indices, start, end, row, scores);
    for (let e = start; e < end; e++) {
      const s = scores[e - start] as number;
      const a = curvature[e] as number;
      const t = target[e] as number;
      total += t * (preference[e] as number) - 2 * t * s + a * s * s;
      weight += a;
    }
  }
  return { total, weight };
}
