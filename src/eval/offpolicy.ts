/**
 * Off-policy estimators: how well would a candidate policy have done, judged
 * only from logs of what the current (logging) policy showed?
 *
 * Each logged record says what was shown, with which propensity π₀ (the
 * probability that the logging policy shows that item in that situation) and
 * which reward followed. The candidate is a function giving π(record), the
 * probability that *it* shows the logged item in the logged situation. The
 * importance weight of a record is w = π / π₀.
 *
 * With exposure logs of ranked lists (one record per shown item, propensity
 * = probability that the item is in the list), the estimates are the mean
 * reward per exposure of the candidate's lists of the same length, assuming an
 * item's reward does not depend on the other items shown with it. The
 * intervals treat records as independent; items of one list are not quite,
 * so read them as slightly optimistic for long lists.
 */
import { createRng } from '../random/rng.js';
import { describeValue } from '../errors.js';
import { checkConfidence, checkRange, checkSeed, checkWhole, fail } from './validate.js';

/** The least an estimator needs from a logged record. */
export interface LoggedReward {
  /** Probability that the logging policy showed this item here, in (0, 1]. */
  readonly propensity: number;
  /** Reward that followed (finite). */
  readonly reward: number;
}

/** π(record): the probability, in [0, 1], that the candidate policy shows the logged item in the logged situation. */
export type CandidateProbability<R> = (record: R) => number;

/** An estimate with its interval. */
export interface OffPolicyEstimate {
  /** The estimated value (mean reward per exposure) of the candidate. */
  value: number;
  /** Lower end of the interval. */
  low: number;
  /** Upper end of the interval. */
  high: number;
  /** Standard error of `value` (normal approximation; the bootstrap's standard deviation with `interval: 'bootstrap'`). */
  standardError: number;
  /**
   * Kish's effective sample size (Σw)² / Σw² of the importance weights: how
   * many on-policy records the estimate is worth. Far below `n` means the
   * candidate is far from the logging policy and the estimate is shaky.
   */
  effectiveSampleSize: number;
  /** Records used. */
  n: number;
}

/** Options shared by the estimators. */
export interface OffPolicyOptions {
  /** Coverage of the interval, in (0, 1). @default 0.95 */
  confidence?: number;
  /** `'normal'`: value ± z·SE. `'bootstrap'`: seeded percentile bootstrap over records. @default 'normal' */
  interval?: 'normal' | 'bootstrap';
  /** Resamples of the bootstrap. @default 1000 */
  bootstrapSamples?: number;
  /** Seed of the bootstrap. @default 0 */
  seed?: number | string;
  /**
   * Propensities below this are raised to it before weighting, which bounds
   * every weight by 1 / minPropensity: less variance for some bias. 0 turns
   * clipping off. @default 0
   */
  minPropensity?: number;
  /** Importance weights above this are cut to it (weight clipping). @default Infinity */
  maxWeight?: number;
}

/** Options of {@link doublyRobust}. */
export interface DoublyRobustOptions<R> extends OffPolicyOptions {
  /** q̂(x, a): the model's predicted reward of the logged item in the logged situation. */
  rewardModel: (record: R) => number;
  /**
   * Σ_a π(a | x) · q̂(x, a): the model's expected reward of what the candidate
   * would show in the logged situation (the "direct method" term).
   */
  candidateModelReward: (record: R) => number;
}

/** Options of {@link replay}. */
export interface ReplayOptions<R> extends Omit<OffPolicyOptions, 'minPropensity' | 'maxWeight'> {
  /**
   * Called, in log order, with every record the candidate would also have
   * shown (π > 0), so a learning candidate can update on it before the next
   * record is replayed — the replay of Li et al. for learning policies.
   */
  onMatch?: (record: R, probability: number) => void;
  /** Relative spread of propensities, in [0, 1], tolerated before the log is refused as not uniform. @default 1e-6 */
  uniformTolerance?: number;
}

interface Resolved {
  z: number;
  alpha: number;
  interval: 'normal' | 'bootstrap';
  samples: number;
  seed: number | string;
  minPropensity: number;
  maxWeight: number;
}

function resolve(fn: string, options: OffPolicyOptions): Resolved {
  const confidence = options.confidence ?? 0.95;
  checkConfidence(fn, confidence);
  const interval = options.interval ?? 'normal';
  if (interval !== 'normal' && interval !== 'bootstrap')
    fail(fn, `interval must be 'normal' or 'bootstrap', got ${describeValue(interval)}`);
  const samples = options.bootstrapSamples ?? 1000;
  checkWhole(fn, 'bootstrapSamples', samples, 10);
  const seed = options.seed ?? 0;
  checkSeed(fn, seed);
  const minPropensity = options.minPropensity ?? 0;
  checkRange(fn, 'minPropensity', minPropensity, 0, 1);
  const maxWeight = options.maxWeight ?? Infinity;
  if (!(maxWeight > 0)) fail(fn, `maxWeight must be a positive number, got ${describeValue(maxWeight)}`);
  return {
    z: normalQuantile(1 - (1 - confidence) / 2),
    alpha: 1 - confidence,
    interval,
    samples,
    seed,
    minPropensity,
    maxWeight,
  };
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation,
 * relative error below 1.2e-9), for the z of any confidence level.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) fail('normalQuantile', `p must be strictly between 0 and 1, got ${describeValue(p)}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number): number =>
    (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** Weights and rewards of a log, checked once. */
interface Weighted {
  weight: Float64Array;
  reward: Float64Array;
  n: number;
}

/** Throws unless record `i` has a propensity in (0, 1] and a finite reward. */
function checkRecord(fn: string, record: LoggedReward, i: number): void {
  if (!(record.propensity > 0 && record.propensity <= 1))
    fail(fn, `record ${i} needs a propensity in (0, 1], got ${describeValue(record.propensity)}`);
  if (!Number.isFinite(record.reward))
    fail(fn, `record ${i} needs a finite reward, got ${describeValue(record.reward)}`);
}

/** π(record), checked to be a probability. */
function probabilityOf<R>(fn: string, candidate: CandidateProbability<R>, record: R, i: number): number {
  const p = candidate(record);
  if (!(p >= 0 && p <= 1))
    fail(fn, `the candidate must return a probability in [0, 1]; for record ${i} it returned ${describeValue(p)}`);
  return p;
}

function weigh<R extends LoggedReward>(
  fn: string,
  records: readonly R[],
  candidate: CandidateProbability<R>,
  opts: Resolved,
): Weighted {
  const n = records.length;
  if (n === 0) fail(fn, 'records must hold at least one logged record');
  const weight = new Float64Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const record = records[i] as R;
    checkRecord(fn, record, i);
    const p = probabilityOf(fn, candidate, record, i);
    weight[i] = Math.min(p / Math.max(record.propensity, opts.minPropensity), opts.maxWeight);
    reward[i] = record.reward;
  }
  return { weight, reward, n };
}

function effectiveSampleSize(weight: Float64Array): number {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i] as number;
    sum += w;
    sumSq += w * w;
  }
  return sumSq === 0 ? 0 : (sum * sum) / sumSq;
}

/** Mean and standard error of the mean of `terms`. */
function meanAndError(terms: Float64Array): [number, number] {
  const n = terms.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += terms[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((terms[i] as number) - mean) ** 2;
  return [mean, n > 1 ? Math.sqrt(ss / (n - 1) / n) : Infinity];
}

/**
 * A statistic of a resampled log: given how many times each record was
 * drawn, returns the estimate.
 */
type Statistic = (counts: Uint32Array) => number;

function bootstrap(
  n: number,
  statistic: Statistic,
  opts: Resolved,
  label: string,
): { low: number; high: number; sd: number } {
  const rng = createRng(opts.seed, 'bootstrap', label);
  const counts = new Uint32Array(n);
  const values = new Float64Array(opts.samples);
  for (let b = 0; b < opts.samples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      counts[j] = (counts[j] as number) + 1;
    }
    values[b] = statistic(counts);
  }
  values.sort();
  const at = (q: number): number =>
    values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))] as number;
  const [, errorOfMean] = meanAndError(values);
  return { low: at(opts.alpha / 2), high: at(1 - opts.alpha / 2), sd: errorOfMean * Math.sqrt(values.length) };
}

function finish(
  value: number,
  se: number,
  ess: number,
  n: number,
  opts: Resolved,
  statistic: Statistic,
  label: string,
): OffPolicyEstimate {
  if (opts.interval === 'bootstrap') {
    const { low, high, sd } = bootstrap(n, statistic, opts, label);
    return { value, low, high, standardError: sd, effectiveSampleSize: ess, n };
  }
  return { value, low: value - opts.z * se, high: value + opts.z * se, standardError: se, effectiveSampleSize: ess, n };
}

/** Weighted mean Σ c_i t_i / Σ c_i of per-record terms under bootstrap counts. */
function resampledMean(terms: Float64Array): Statistic {
  return (counts) => {
    let sum = 0;
    let total = 0;
    for (let i = 0; i < terms.length; i++) {
      const c = counts[i] as number;
      sum += c * (terms[i] as number);
      total += c;
    }
    return sum / total;
  };
}

/**
 * Inverse propensity scoring (the Horvitz–Thompson estimator, Horvitz &
 * Thompson 1952, applied to logged bandit feedback):
 *
 * V̂_IPS = (1/n) · Σ_i w_i · r_i,   w_i = π(x_i, a_i) / π₀(x_i, a_i)
 *
 * Unbiased when every π₀ > 0 where π > 0 (and no clipping), but its variance
 * grows with the weights. The normal interval uses the sample standard
 * deviation of w_i · r_i.
 */
export function ips<R extends LoggedReward>(
  records: readonly R[],
  candidate: CandidateProbability<R>,
  options: OffPolicyOptions = {},
): OffPolicyEstimate {
  const opts = resolve('ips', options);
  const { weight, reward, n } = weigh('ips', records, candidate, opts);
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = (weight[i] as number) * (reward[i] as number);
  const [value, se] = meanAndError(terms);
  return finish(value, se, effectiveSampleSize(weight), n, opts, resampledMean(terms), 'ips');
}

function selfNormalised(weight: Float64Array, reward: Float64Array): Statistic {
  return (counts) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < weight.length; i++) {
      const cw = (counts[i] as number) * (weight[i] as number);
      num += cw * (reward[i] as number);
      den += cw;
    }
    return den === 0 ? 0 : num / den;
  };
}

/** Σ w r / Σ w with its delta-method standard error √(Σ w²(r − V)²) / Σ w. */
function ratioEstimate(weight: Float64Array, reward: Float64Array): [number, number] {
  let num = 0;
  let den = 0;
  for (let i = 0; i < weight.length; i++) {
    num += (weight[i] as number) * (reward[i] as number);
    den += weight[i] as number;
  }
  if (den === 0) return [0, Infinity];
  const value = num / den;
  let ss = 0;
  for (let i = 0; i < weight.length; i++) ss += ((weight[i] as number) * ((reward[i] as number) - value)) ** 2;
  const n = weight.length;
  // n / (n − 1) is the usual small-sample correction of the variance
  return [value, n > 1 ? Math.sqrt((ss * n) / (n - 1)) / den : Infinity];
}

/**
 * Self-normalised IPS (the weighted importance sampling estimator studied
 * for counterfactual learning by Swaminathan & Joachims, "The Self-Normalized
 * Estimator for Counterfactual Learning", NeurIPS 2015):
 *
 * V̂_SNIPS = Σ_i w_i · r_i / Σ_i w_i
 *
 * Slightly biased but consistent, always within the range of the rewards,
 * and usually far less variable than IPS. The normal interval uses the
 * delta-method standard error √(Σ w_i² (r_i − V̂)²) / Σ w_i.
 */
export function snips<R extends LoggedReward>(
  records: readonly R[],
  candidate: CandidateProbability<R>,
  options: OffPolicyOptions = {},
): OffPolicyEstimate {
  const opts = resolve('snips', options);
  const { weight, reward, n } = weigh('snips', records, candidate, opts);
  const [value, se] = ratioEstimate(weight, reward);
  return finish(value, se, effectiveSampleSize(weight), n, opts, selfNormalised(weight, reward), 'snips');
}

/**
 * Doubly robust estimation (Dudík, Langford & Li, "Doubly Robust Policy
 * Evaluation and Learning", ICML 2011):
 *
 * V̂_DR = (1/n) · Σ_i [ q̂_π(x_i) + w_i · (r_i − q̂(x_i, a_i)) ],   q̂_π(x) = Σ_a π(a | x) · q̂(x, a)
 *
 * A reward model q̂ gives the direct estimate q̂_π; importance weighting of
 * the model's residuals corrects its bias. Unbiased when either the
 * propensities or the reward model are right, and less variable than IPS
 * when the model is good.
 */
export function doublyRobust<R extends LoggedReward>(
  records: readonly R[],
  candidate: CandidateProbability<R>,
  options: DoublyRobustOptions<R>,
): OffPolicyEstimate {
  const fn = 'doublyRobust';
  const opts = resolve(fn, options);
  if (typeof options.rewardModel !== 'function' || typeof options.candidateModelReward !== 'function') {
    fail(fn, 'options.rewardModel and options.candidateModelReward must be functions (record) => number');
  }
  const { weight, reward, n } = weigh(fn, records, candidate, opts);
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const record = records[i] as R;
    const predicted = options.rewardModel(record);
    const direct = options.candidateModelReward(record);
    if (!Number.isFinite(predicted) || !Number.isFinite(direct)) {
      fail(
        fn,
        `the reward model must return finite numbers; for record ${i} it returned ${describeValue(predicted)} and ${describeValue(direct)}`,
      );
    }
    terms[i] = direct + (weight[i] as number) * ((reward[i] as number) - predicted);
  }
  const [value, se] = meanAndError(terms);
  return finish(value, se, effectiveSampleSize(weight), n, opts, resampledMean(terms), 'dr');
}

/**
 * The replay method (Li, Chu, Langford & Wang, "Unbiased Offline Evaluation
 * of Contextual-bandit-based News Article Recommendation Algorithms", WSDM
 * 2011) for logs collected with uniformly random exploration: walk the log
 * in order, keep the records where the candidate would have shown the same
 * item, and average their rewards.
 *
 * V̂_replay = Σ_i π_i · r_i / Σ_i π_i
 *
 * For a deterministic candidate (π ∈ {0, 1}) this is the mean reward of the
 * matching records; a stochastic candidate counts each record by its
 * probability. Because the log is uniform, this is unbiased for the
 * candidate's value. A log whose propensities are not all equal is refused:
 * use {@link snips} for it. `effectiveSampleSize` is the number of matches
 * (Kish's formula with the π as weights).
 */
export function replay<R extends LoggedReward>(
  records: readonly R[],
  candidate: CandidateProbability<R>,
  options: ReplayOptions<R> = {},
): OffPolicyEstimate {
  const fn = 'replay';
  const opts = resolve(fn, options);
  const tolerance = options.uniformTolerance ?? 1e-6;
  checkRange(fn, 'uniformTolerance', tolerance, 0, 1);
  const n = records.length;
  if (n === 0) fail(fn, 'records must hold at least one logged record');
  const first = (records[0] as R).propensity;
  const weight = new Float64Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const record = records[i] as R;
    checkRecord(fn, record, i);
    if (Math.abs(record.propensity - first) > tolerance * first) {
      fail(
        fn,
        `the log must come from uniform exploration (equal propensities), but record ${i} has ${record.propensity} and record 0 has ${first}; use snips for non-uniform logs`,
      );
    }
    const p = probabilityOf(fn, candidate, record, i);
    weight[i] = p;
    reward[i] = record.reward;
    if (p > 0) options.onMatch?.(record, p);
  }
  const [value, se] = ratioEstimate(weight, reward);
  return finish(value, se, effectiveSampleSize(weight), n, opts, selfNormalised(weight, reward), 'replay');
}
