/**
 * HKV section 5: an implicit-ALS score as a sum over the user's liked items,
 * ŷ_ui = Σ_j s_ij·c_uj·p_uj with s_ij = y_iᵀ·W·y_j and W = (YᵀCᵘY + λI)⁻¹.
 */
import { dot } from './dense.js';

/** One liked item's share of a score. */
export interface Contribution {
  item: number;
  weight: number;
}

/** A score split into per-item contributions; `sum + remainder === score`. */
export interface Explanation {
  /** One per entry with p > 0, largest weight first (ties: lower item first). */
  contributions: Contribution[];
  sum: number;
  score: number;
  remainder: number;
}

/**
 * Builds the explanation from z = W·y_i (in `solution` at `zOffset`): the
 * contribution of entry j is (zᵀy_j)·c_uj·p_uj, where `target[j]` = c_uj·p_uj.
 */
export function explainFromSolve(
  items: ArrayLike<number>,
  preference: ArrayLike<number>,
  target: Float64Array,
  y: Float64Array,
  k: number,
  solution: Float64Array,
  zOffset: number,
  score: number,
): Explanation {
  const shares = new Float64Array(items.length);
  for (let e = 0; e < items.length; e++)
    if ((preference[e] as number) > 0) shares[e] = dot(solution, zOffset, y, (items[e] as number) * k, k);
  return explainFromShares(items, preference, target, shares, score);
}

/**
 * Builds the explanation from the similarities s_ij = y_iᵀ·W·y_j of the
 * explained item i with each entry j (`shares[j]`): the contribution of
 * entry j is s_ij·c_uj·p_uj, where `target[j]` = c_uj·p_uj.
 */
export function explainFromShares(
  items: ArrayLike<number>,
  preference: ArrayLike<number>,
  target: Float64Array,
  shares: ArrayLike<number>,
  score: number,
): Explanation {
  const contributions: Contribution[] = [];
  let sum = 0;
  for (let e = 0; e < items.length; e++) {
    if (!((preference[e] as number) > 0)) continue;
    const weight = (shares[e] as number) * (target[e] as number);
    contributions.push({ item: items[e] as number, weight });
    sum += weight;
  }
  contributions.sort((a, b) => b.weight - a.weight || a.item - b.item);
  return { contributions, sum, score, remainder: score - sum };
}
