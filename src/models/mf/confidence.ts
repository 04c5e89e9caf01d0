/**
 * From stored entries to the two per-entry numbers the normal equations need.
 *
 * Every ALS row solve (HKV eq. 4) has the shape
 *   (G + Σ_e a_e·y_e·y_eᵀ) x = Σ_e b_e·y_e
 * where G is shared by all rows. For implicit feedback G = YᵀY + λI,
 * a_e = c_e − 1 and b_e = c_e·p_e (HKV's YᵀCᵘY = YᵀY + Yᵀ(Cᵘ − I)Y);
 * for explicit ratings G = λI, a_e = c_e and b_e = c_e·r_e.
 */
import type { AlsKind, ConfidenceScaling } from './options.js';

/** The confidence-related options that turn stored entries into weights. */
export interface WeightingOptions {
  kind: AlsKind;
  alpha: number;
  confidenceScaling: ConfidenceScaling;
  epsilon: number;
}

/** c_ui from the stored r_ui: HKV eq. 6 (`'linear'`) or eq. 7 (`'log'`). */
export function confidenceWeight(confidence: number, o: WeightingOptions): number {
  return o.confidenceScaling === 'linear' ? 1 + o.alpha * confidence : 1 + o.alpha * Math.log1p(confidence / o.epsilon);
}

/** Per-entry a_e (added curvature) and b_e (right-hand side weight); see the file comment. */
export function entryWeights(
  confidence: ArrayLike<number>,
  preference: ArrayLike<number>,
  o: WeightingOptions,
): { curvature: Float64Array; target: Float64Array } {
  const n = confidence.length;
  const curvature = new Float64Array(n);
  const target = new Float64Array(n);
  const offset = o.kind === 'implicit' ? 1 : 0;
  for (let e = 0; e < n; e++) {
    const c = confidenceWeight(confidence[e] as number, o);
    curvature[e] = c - offset;
    target[e] = c * (preference[e] as number);
  }
  return { curvature, target };
}
