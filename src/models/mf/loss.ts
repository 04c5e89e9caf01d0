/**
 * The ALS objective, evaluated without visiting all user × item pairs.
 *
 * Implicit (HKV eq. 3): Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²).
 * Split the sum into "every pair with weight 1" plus the observed pairs'
 * extra: Σ_u x_uᵀ(YᵀY)x_u + Σ_obs [c·p² − 2c·p·s + (c − 1)·s²], s = x_uᵀy_i.
 * Explicit: Σ_obs c (r − s)², the same observed-pair formula with a = c.
 * Reported divided by the total weight, so it reads as a weighted mean squared error.
 */
import { dot, symMatVecInto } from './dense.js';
import type { AlsKind } from './options.js';
import type { WeightedRows } from './sweep.js';

/** The normalised objective for users `x` (CSR `byUser`) and items `y`; `itemGram` = YᵀY. */
export function alsLoss(
  kind: AlsKind,
  byUser: WeightedRows,
  preference: Float64Array,
  x: Float64Array,
  y: Float64Array,
  itemCount: number,
  itemGram: Float64Array,
  k: number,
  lambda: number,
): number {
  const { indptr, indices, curvature, target } = byUser;
  let total = 0;
  let weight = kind === 'implicit' ? byUser.rows * itemCount : 0;
  const scratch = new Float64Array(k);
  const row = new Float64Array(k);
  for (let u = 0; u < byUser.rows; u++) {
    const xOffset = u * k;
    if (kind === 'implicit') {
      for (let f = 0; f < k; f++) row[f] = x[xOffset + f] as number;
      symMatVecInto(itemGram, row, k, scratch);
      total += dot(row, 0, scratch, 0, k);
    }
    for (let e = indptr[u] as number, end = indptr[u + 1] as number; e < end; e++) {
      const s = dot(x, xOffset, y, (indices[e] as number) * k, k);
      const a = curvature[e] as number;
      const t = target[e] as number;
      total += t * (preference[e] as number) - 2 * t * s + a * s * s;
      weight += a;
    }
  }
  total += lambda * (dot(x, 0, x, 0, x.length) + dot(y, 0, y, 0, y.length));
  return weight > 0 ? total / weight : 0;
}
