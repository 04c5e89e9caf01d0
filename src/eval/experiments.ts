/**
 * Online experiments: deterministic assignment of users to variants, and a
 * summary of what each variant earned.
 *
 * Assignment is a pure function of (experiment, user, weights) — a hash, no
 * state, no randomness — so a user sees the same variant in every process,
 * after every restart, on every device that uses the same id, and no
 * assignment table needs to be stored.
 */
import { hashString } from '../random/rng.js';
import { describeValue } from '../errors.js';
import { checkConfidence, fail } from './validate.js';
import { normalQuantile } from './offpolicy.js';

/** Weight per variant name; weights need not sum to 1 (they are normalised). */
export type VariantWeights = Readonly<Record<string, number>>;

const TWO_TO_32 = 4294967296;

/**
 * The variant of `user` in `experiment`: the user's bucket
 * u = hash(experiment, user) / 2³² ∈ [0, 1) falls into one variant's share of
 * [0, 1), the shares laid out in the alphabetical order of the variant names
 * (so the order of keys in `weights` does not matter) with sizes
 * proportional to the weights.
 *
 * The hash is `hashString` (32-bit FNV-1a with a murmur3 finaliser),
 * pure JavaScript, so assignments are identical in Node and browsers. The
 * experiment name salts the hash, so a user's variants in different
 * experiments are independent. Changing the weights moves only the users
 * whose bucket crosses a boundary.
 *
 * @param weights variant name → weight ≥ 0, at least one positive.
 */
export function assign(user: string, experimentName: string, weights: VariantWeights): string {
  const fn = 'assign';
  if (typeof user !== 'string') fail(fn, `user must be a string id, got ${describeValue(user)}`);
  if (typeof experimentName !== 'string' || experimentName === '')
    fail(fn, `experimentName must be a non-empty string, got ${describeValue(experimentName)}`);
  const names = Object.keys(weights).sort();
  let total = 0;
  for (const name of names) {
    const w = weights[name];
    if (typeof w !== 'number' || !(w >= 0) || w === Infinity)
      fail(fn, `weights.${name} must be a finite number ≥ 0, got ${describeValue(w)}`);
    total += w;
  }
  if (!(total > 0)) fail(fn, 'weights must give at least one variant a positive weight');
  const bucket = (hashString(`${experimentName.length}:${experimentName}:${user}`) / TWO_TO_32) * total;
  let edge = 0;
  let last = '';
  for (const name of names) {
    const w = weights[name] as number;
    if (w === 0) continue;
    edge += w;
    last = name;
    if (bucket < edge) return name;
  }
  return last; // only reached through rounding at the very top of [0, total)
}

/** One observation of an experiment: the variant a user was in and the reward earned. */
export interface VariantObservation {
  readonly variant: string;
  readonly reward: number;
}

/** A variant's mean reward with its interval. */
export interface VariantSummary {
  variant: string;
  n: number;
  mean: number;
  standardError: number;
  low: number;
  high: number;
}

/** The difference of a variant's mean reward from the control's. */
export interface VariantDifference {
  variant: string;
  control: string;
  /** mean(variant) − mean(control). */
  difference: number;
  standardError: number;
  low: number;
  high: number;
  /** True when the interval excludes 0. */
  significant: boolean;
}

/** What {@link compareVariants} returns. */
export interface VariantComparison {
  control: string;
  confidence: number;
  /** Every variant, in order of first appearance. */
  variants: VariantSummary[];
  /** Every non-control variant against the control, in order of first appearance. */
  differences: VariantDifference[];
}

/** Options of {@link compareVariants}. */
export interface CompareVariantsOptions {
  /** The baseline variant. @default 'control' if observed, else the first variant observed */
  control?: string;
  /** Coverage of the intervals, in (0, 1). @default 0.95 */
  confidence?: number;
}

/**
 * Summarises an experiment: each variant's mean reward with a normal
 * interval mean ± z·s/√n, and each variant's difference from the control
 * with Welch's standard error √(s_v²/n_v + s_c²/n_c) — a large-sample
 * interval that does not assume equal variances.
 *
 * Observations should be independent: when a user contributes many
 * exposures, pass one observation per user (e.g. their mean reward) for
 * honest intervals.
 */
export function compareVariants(
  observations: Iterable<VariantObservation>,
  options: CompareVariantsOptions = {},
): VariantComparison {
  const fn = 'compareVariants';
  const confidence = options.confidence ?? 0.95;
  checkConfidence(fn, confidence);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const stats = new Map<string, { n: number; sum: number; sumSq: number }>();
  let index = 0;
  for (const { variant, reward } of observations) {
    if (typeof variant !== 'string')
      fail(fn, `observation ${index} needs a string variant, got ${describeValue(variant)}`);
    if (!Number.isFinite(reward)) fail(fn, `observation ${index} needs a finite reward, got ${describeValue(reward)}`);
    let s = stats.get(variant);
    if (s === undefined) stats.set(variant, (s = { n: 0, sum: 0, sumSq: 0 }));
    s.n++;
    s.sum += reward;
    s.sumSq += reward * reward;
    index++;
  }
  if (stats.size === 0) fail(fn, 'observations must hold at least one { variant, reward }');
  const control = options.control ?? (stats.has('control') ? 'control' : (stats.keys().next().value as string));
  if (!stats.has(control))
    fail(
      fn,
      `control ${JSON.stringify(control)} has no observations; observed variants are ${[...stats.keys()].join(', ')}`,
    );
  const variants: VariantSummary[] = [];
  const variance = new Map<string, number>();
  for (const [variant, s] of stats) {
    const mean = s.sum / s.n;
    const v = s.n > 1 ? Math.max(0, (s.sumSq - s.n * mean * mean) / (s.n - 1)) : Infinity;
    variance.set(variant, v);
    const se = Math.sqrt(v / s.n);
    variants.push({ variant, n: s.n, mean, standardError: se, low: mean - z * se, high: mean + z * se });
  }
  const base = variants.find((v) => v.variant === control) as VariantSummary;
  const differences: VariantDifference[] = [];
  for (const v of variants) {
    if (v.variant === control) continue;
    const difference = v.mean - base.mean;
    const se = Math.sqrt((variance.get(v.variant) as number) / v.n + (variance.get(control) as number) / base.n);
    const low = difference - z * se;
    const high = difference + z * se;
    differences.push({
      variant: v.variant,
      control,
      difference,
      standardError: se,
      low,
      high,
      significant: low > 0 || high < 0,
    });
  }
  return { control, confidence, variants, differences };
}
