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

/**
 * The default treatment of large evidence weights: linear up to 1, logarithmic
 * above, w ↦ w for w ≤ 1 and 1 + ln w above (continuous, slope 1 at 1).
 * Applied by the collaborative model to each signal's decayed sum of
 * `weight`s on an item before the signal's strength multiplies it, so one
 * play of weight 10,000 and 10,000 plays of weight 1 count alike, as about
 * 10 plays; an app that passes raw play counts as `weight` gets nearly what
 * log(1 + count) would give, and weights ≤ 1 are untouched.
 */
export function logAboveOne(weight: number): number {
  return weight <= 1 ? weight : 1 + Math.log(weight);
}

/**
 * Puts one person's confidences on their own scale: every r_ui divided by
 * the median of `given` (in place) — the person's entries as they were
 * given, before their time decay — so a typical entry of anyone's has r = 1
 * and confidence c = 1 + α, and decayed entries stay below it (dividing by
 * the median of decayed entries would lift a long history's recent items
 * far above 1: measured, a 30-day half-life then fell to NDCG@10 0.02). What an app passes as a
 * signal's scale — every watch a `play` (strength 0.5) or an `up` (3),
 * raw play counts or log(1 + count) as `weight` — then changes only how a
 * person's items compare with each other, not how far they stand above the
 * items the person never touched: α means the same whatever scale an app
 * uses. Measured (benchmarks/mf/tune.ts, tuning data only): on MovieLens
 * fed as plays, the best typical confidence is about 2.25 and fed as ups
 * about 2.5, where the absolute scale gave plays 1.25; on a generated
 * Last.fm-style log, raw counts and log(1 + count) land within 1 % of each
 * other. A person's ratios are kept: an up still weighs six plays.
 */
export function relativeToTypical(confidence: Float64Array, given: ArrayLike<number> = confidence): void {
  const n = given.length;
  if (n === 0) return;
  const sorted = Float64Array.from(given).sort();
  const mid = n >> 1;
  const typical = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  if (!(typical > 0)) return;
  for (let e = 0; e < confidence.length; e++) confidence[e] = confidence[e]! / typical;
}

/** The confidence-related options that turn stored entries into weights. */
export interface WeightingOptions {
  kind: AlsKind;
  alpha: number;
  confidenceScaling: ConfidenceScaling;
  epsilon: number;
}

/**
 * c_ui from the stored r_ui: HKV eq. 6 (`'linear'`), eq. 7 (`'log'`), or
 * linear up to ε and logarithmic above (`'linear-log'`, see `AlsOptions`).
 */
export function confidenceWeight(confidence: number, o: WeightingOptions): number {
  switch (o.confidenceScaling) {
    case 'linear':
      return 1 + o.alpha * confidence;
    case 'log':
      return 1 + o.alpha * Math.log1p(confidence / o.epsilon);
    case 'linear-log':
      return 1 + o.alpha * (confidence <= o.epsilon ? confidence : o.epsilon * (1 + Math.log(confidence / o.epsilon)));
    default: {
      const unknown: never = o.confidenceScaling;
      throw new Error(`unknown confidence scaling ${String(unknown)}`);
    }
  }
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
