/**
 * Change-point detectors for any stream of numbers (a reward stream, a
 * user's "surprise" stream). Each is a small standalone class:
 * `update(x)` returns true when a change is detected (the detector then
 * restarts on its own), `reset()` forgets, `toJSON()` / `fromJSON()` persist.
 *
 * - {@link GlrChangeDetector}: the generalised likelihood-ratio test of
 *   Besson, Kaufmann, Maillard & Seznec (2020), "Efficient change-point
 *   detection for tackling piecewise-stationary bandits" (GLR-klUCB), with a
 *   Bernoulli or Gaussian observation model.
 * - {@link PageHinkleyDetector}: the two-sided Page–Hinkley / CUSUM test
 *   (Page 1954; Hinkley 1971).
 * - {@link SessionGlrDetector}: the Bernoulli GLR over sessions (batches of
 *   observations that are not independent of each other), as a
 *   quasi-likelihood ratio: the ratio is divided by the sessions'
 *   over-dispersion (McCullagh & Nelder 1989, §4.5), and it tests one side.
 */
import { AttuneError, check, describeValue, isFiniteNumber } from '../errors.js';

/** What every detector offers. */
export interface ChangeDetector {
  /** Feeds one observation; true when a change is detected (the detector has then restarted). */
  update(x: number): boolean;
  /** Forgets every observation. */
  reset(): void;
  /** Observations since the last reset or detection. */
  readonly count: number;
  toJSON(): ChangeDetectorSnapshot;
}

/** Options of {@link GlrChangeDetector}. */
export interface GlrOptions {
  /**
   * False-alarm level δ ∈ (0, 1): the threshold is β(n, δ) = ln(3·n^{3/2} / δ), the practical
   * threshold of Besson et al. (2020), under which the probability of any false alarm on a
   * stationary stream is about δ. Smaller δ: fewer false alarms, later detections.
   * @default 0.01
   */
  delta?: number;
  /**
   * `'bernoulli'`: observations in [0, 1], KL of Bernoulli laws (sub-Bernoulli GLR).
   * `'gaussian'`: any finite observation with noise scale `sigma`.
   * @default 'bernoulli'
   */
  model?: 'bernoulli' | 'gaussian';
  /** Noise standard deviation σ of the Gaussian model (1/2 bounds any [0, 1] stream). @default 0.5 */
  sigma?: number;
  /**
   * The test looks back over at most this many recent observations. An update adds them up once
   * (O(maxHistory) additions) but evaluates the likelihood ratio only at O(log maxHistory) splits.
   * @default 1000
   */
  maxHistory?: number;
  /** Fewest observations on each side of a candidate change point. @default 5 */
  minSamples?: number;
}

/** Options of {@link PageHinkleyDetector}. */
export interface PageHinkleyOptions {
  /** Drift tolerated without alarm (half the smallest mean shift worth detecting). @default 0.05 */
  delta?: number;
  /** Alarm threshold λ: the false-alarm parameter (larger: fewer false alarms, later detections). @default 10 */
  threshold?: number;
  /** Fewest observations before an alarm may sound. @default 5 */
  minSamples?: number;
}

/** The JSON form of a detector; `kind` says which class reads it. */
export type ChangeDetectorSnapshot =
  | ({ kind: 'glr' } & Required<GlrOptions> & { values: number[] })
  | ({ kind: 'page-hinkley' } & Required<PageHinkleyOptions> & {
        n: number;
        mean: number;
        up: number;
        upMin: number;
        down: number;
        downMax: number;
      });

function klBernoulli(p: number, q: number): number {
  const eps = 1e-12;
  const pp = Math.min(Math.max(p, eps), 1 - eps);
  const qq = Math.min(Math.max(q, eps), 1 - eps);
  return pp * Math.log(pp / qq) + (1 - pp) * Math.log((1 - pp) / (1 - qq));
}

/**
 * Bernoulli / Gaussian GLR change detector (Besson et al. 2020). After n observations it
 * detects a change when, for some split s,
 * `s·kl(μ̂₁..ₛ, μ̂₁..ₙ) + (n−s)·kl(μ̂ₛ₊₁..ₙ, μ̂₁..ₙ) > ln(3·n^{3/2}/δ)`
 * (Gaussian: kl(a, b) = (a−b)²/(2σ²)). On a detection it forgets the past and returns true.
 * The splits s tested are thinned to a geometric grid of tail lengths n − s (after the
 * split-point thinning "Δs" of Besson et al. 2020), which can only lower the statistic, so false alarms can
 * only become rarer; detection may come a few observations later for an old change.
 */
export class GlrChangeDetector implements ChangeDetector {
  private readonly options: Required<GlrOptions>;
  private values: number[] = [];
  private head = 0;
  private total = 0;

  /** @throws AttuneError `INVALID_OPTIONS` on a bad option. */
  constructor(options: GlrOptions = {}) {
    this.options = resolveGlrOptions(options, 'GlrChangeDetector');
  }

  get count(): number {
    return this.values.length - this.head;
  }

  /** @throws AttuneError `INVALID_ARGUMENT` when x is not finite, or outside [0, 1] for the Bernoulli model. */
  update(x: number): boolean {
    check(
      isFiniteNumber(x),
      'INVALID_ARGUMENT',
      `GlrChangeDetector.update: x must be a finite number, got ${describeValue(x)}`,
    );
    check(
      this.options.model === 'gaussian' || (x >= 0 && x <= 1),
      'INVALID_ARGUMENT',
      `GlrChangeDetector.update: x must be in [0, 1] for the Bernoulli model, got ${x}; use model 'gaussian' for other values`,
    );
    this.values.push(x);
    this.total += x;
    if (this.count > this.options.maxHistory) {
      this.total -= this.values[this.head] as number;
      this.head += 1;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,ArithmeticOperator: compacting only reclaims memory: the window and its total read the same whenever it runs
      if (this.head > 4096 && this.head * 2 > this.values.length) this.compact();
    }
    if (this.statistic() > threshold(this.count, this.options.delta)) {
      this.reset();
      return true;
    }
    return false;
  }

  /**
   * The largest GLR statistic over the candidate split points (0 if too few observations).
   * Candidates are thinned to a geometric grid of tail lengths (see `nextSplit`), the
   * split-point thinning of Besson et al. (2020, "Δs"): O(log maxHistory) statistics per
   * update instead of O(maxHistory).
   */
  statistic(): number {
    const n = this.count;
    const m = this.options.minSamples;
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a shortcut: with n < 2m no split has m observations on each side, so the loop below tests none and returns 0 too
    if (n < 2 * m) return 0;
    const mean = this.total / n;
    const bernoulli = this.options.model === 'bernoulli';
    const scale = 1 / (2 * this.options.sigma * this.options.sigma);
    let tail = 0;
    let best = 0;
    const values = this.values;
    const end = values.length;
    let split = m;
    // walk the split point from the end, accumulating the tail sum; test only the grid's splits
    for (let k = 1; k <= n - m; k++) {
      tail += values[end - k] as number;
      if (k !== split) continue;
      split = nextSplit(k);
      const s = n - k;
      const mu1 = (this.total - tail) / s;
      const mu2 = tail / k;
      const g = bernoulli
        ? s * klBernoulli(mu1, mean) + k * klBernoulli(mu2, mean)
        : ((s * k) / n) * (mu1 - mu2) * (mu1 - mu2) * scale;
      // Stryker disable next-line EqualityOperator: on a tie the best is the same number
      if (g > best) best = g;
    }
    return best;
  }

  reset(): void {
    this.values = [];
    this.head = 0;
    this.total = 0;
  }

  toJSON(): ChangeDetectorSnapshot {
    return { kind: 'glr', ...this.options, values: this.values.slice(this.head) };
  }

  /** @throws AttuneError `BAD_SNAPSHOT` when `json` is not a GLR detector snapshot. */
  static fromJSON(json: unknown): GlrChangeDetector {
    const o = json as Record<string, unknown> | null;
    check(
      typeof o === 'object' && o !== null && o['kind'] === 'glr',
      'BAD_SNAPSHOT',
      'GlrChangeDetector.fromJSON: expected an object with kind "glr"',
    );
    const { kind: _kind, values, ...options } = o;
    let detector: GlrChangeDetector;
    try {
      detector = new GlrChangeDetector(options as GlrOptions);
    } catch (e) {
      throw new AttuneError('BAD_SNAPSHOT', `GlrChangeDetector.fromJSON: bad options (${(e as Error).message})`);
    }
    const ok =
      Array.isArray(values) &&
      values.length <= detector.options.maxHistory &&
      values.every((v) => isFiniteNumber(v) && (detector.options.model === 'gaussian' || (v >= 0 && v <= 1)));
    check(
      ok,
      'BAD_SNAPSHOT',
      'GlrChangeDetector.fromJSON: values must be an array of valid observations no longer than maxHistory',
    );
    detector.values = (values as number[]).slice();
    detector.total = detector.values.reduce((a, b) => a + b, 0);
    return detector;
  }

  private compact(): void {
    this.values = this.values.slice(this.head);
    this.head = 0;
    // recompute the total so rounding errors of many subtractions never accumulate
    this.total = this.values.reduce((a, b) => a + b, 0);
  }
}

/**
 * Tail lengths between tested splits grow by 1/{@link GRID_RATIO} of the tail: every split among
 * the last GRID_RATIO observations, then a geometric grid, so the tested split nearest any change
 * puts at most 1/GRID_RATIO of the tail on the wrong side of it. A change is caught while its
 * tail is short (where the grid is dense); old changes have large statistics that a few percent
 * of dilution does not hide. With maxHistory 1000 that is about 85 splits instead of 1000.
 */
const GRID_RATIO = 16;

/** The next tested tail length after `k`. */
function nextSplit(k: number): number {
  return k + Math.max(1, Math.floor(k / GRID_RATIO));
}

function threshold(n: number, delta: number): number {
  return Math.log((3 * n * Math.sqrt(n)) / delta);
}

function resolveGlrOptions(options: GlrOptions, api: string): Required<GlrOptions> {
  check(typeof options === 'object' && options !== null, 'INVALID_OPTIONS', `${api}: options must be an object`);
  const r: Required<GlrOptions> = {
    delta: options.delta ?? 0.01,
    model: options.model ?? 'bernoulli',
    sigma: options.sigma ?? 0.5,
    maxHistory: options.maxHistory ?? 1000,
    minSamples: options.minSamples ?? 5,
  };
  checkDelta(api, r.delta);
  check(
    r.model === 'bernoulli' || r.model === 'gaussian',
    'INVALID_OPTIONS',
    `${api}: model must be 'bernoulli' or 'gaussian', got ${describeValue(r.model)}`,
  );
  check(
    isFiniteNumber(r.sigma) && r.sigma > 0,
    'INVALID_OPTIONS',
    `${api}: sigma must be a positive number, got ${describeValue(r.sigma)}`,
  );
  checkWholeAtLeast(api, 'maxHistory', r.maxHistory, 2);
  check(
    Number.isInteger(r.minSamples) && r.minSamples >= 1 && 2 * r.minSamples <= r.maxHistory,
    'INVALID_OPTIONS',
    `${api}: minSamples must be a whole number from 1 to maxHistory / 2, got ${describeValue(r.minSamples)}`,
  );
  return r;
}

/**
 * Two-sided Page–Hinkley test (Page 1954; Hinkley 1971). With the running mean x̄,
 * `U = Σ (x − x̄ − δ)` and `D = Σ (x − x̄ + δ)`; a rise is detected when `U − min U > λ`,
 * a fall when `max D − D > λ`. `λ` (`threshold`) is the false-alarm parameter.
 */
export class PageHinkleyDetector implements ChangeDetector {
  private readonly options: Required<PageHinkleyOptions>;
  private n = 0;
  private mean = 0;
  private up = 0;
  private upMin = 0;
  private down = 0;
  private downMax = 0;

  /** @throws AttuneError `INVALID_OPTIONS` on a bad option. */
  constructor(options: PageHinkleyOptions = {}) {
    const api = 'PageHinkleyDetector';
    check(typeof options === 'object' && options !== null, 'INVALID_OPTIONS', `${api}: options must be an object`);
    const r = { delta: options.delta ?? 0.05, threshold: options.threshold ?? 10, minSamples: options.minSamples ?? 5 };
    check(
      isFiniteNumber(r.delta) && r.delta >= 0,
      'INVALID_OPTIONS',
      `${api}: delta must be a number >= 0, got ${describeValue(r.delta)}`,
    );
    check(
      isFiniteNumber(r.threshold) && r.threshold > 0,
      'INVALID_OPTIONS',
      `${api}: threshold must be a positive number, got ${describeValue(r.threshold)}`,
    );
    checkWholeAtLeast(api, 'minSamples', r.minSamples, 1);
    this.options = r;
  }

  get count(): number {
    return this.n;
  }

  /** @throws AttuneError `INVALID_ARGUMENT` when x is not finite. */
  update(x: number): boolean {
    check(
      isFiniteNumber(x),
      'INVALID_ARGUMENT',
      `PageHinkleyDetector.update: x must be a finite number, got ${describeValue(x)}`,
    );
    this.n += 1;
    this.mean += (x - this.mean) / this.n;
    this.up += x - this.mean - this.options.delta;
    this.down += x - this.mean + this.options.delta;
    // Stryker disable next-line EqualityOperator: on a tie the minimum is the same number
    if (this.up < this.upMin) this.upMin = this.up;
    // Stryker disable next-line EqualityOperator: on a tie the maximum is the same number
    if (this.down > this.downMax) this.downMax = this.down;
    const alarm = this.up - this.upMin > this.options.threshold || this.downMax - this.down > this.options.threshold;
    if (alarm && this.n >= this.options.minSamples) {
      this.reset();
      return true;
    }
    return false;
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.up = 0;
    this.upMin = 0;
    this.down = 0;
    this.downMax = 0;
  }

  toJSON(): ChangeDetectorSnapshot {
    return {
      kind: 'page-hinkley',
      ...this.options,
      n: this.n,
      mean: this.mean,
      up: this.up,
      upMin: this.upMin,
      down: this.down,
      downMax: this.downMax,
    };
  }

  /** @throws AttuneError `BAD_SNAPSHOT` when `json` is not a Page–Hinkley snapshot. */
  static fromJSON(json: unknown): PageHinkleyDetector {
    const o = json as Record<string, unknown> | null;
    check(
      typeof o === 'object' && o !== null && o['kind'] === 'page-hinkley',
      'BAD_SNAPSHOT',
      'PageHinkleyDetector.fromJSON: expected an object with kind "page-hinkley"',
    );
    let d: PageHinkleyDetector;
    try {
      d = new PageHinkleyDetector({
        delta: o['delta'] as number,
        threshold: o['threshold'] as number,
        minSamples: o['minSamples'] as number,
      });
    } catch (e) {
      throw new AttuneError('BAD_SNAPSHOT', `PageHinkleyDetector.fromJSON: bad options (${(e as Error).message})`);
    }
    const fields = ['n', 'mean', 'up', 'upMin', 'down', 'downMax'] as const;
    check(
      fields.every((f) => isFiniteNumber(o[f])) && Number.isInteger(o['n']) && (o['n'] as number) >= 0,
      'BAD_SNAPSHOT',
      'PageHinkleyDetector.fromJSON: n, mean, up, upMin, down, downMax must be finite numbers',
    );
    for (const f of fields) d[f] = o[f] as number;
    return d;
  }
}

/** Options of {@link SessionGlrDetector}. */
export interface SessionGlrOptions {
  /** False-alarm level δ ∈ (0, 1); threshold ln(3·m^{3/2}/δ) for m sessions. @default 0.001 */
  delta?: number;
  /** Closed sessions looked back over, at most. @default 120 */
  maxSessions?: number;
  /** Fewest sessions before a candidate change. @default 5 */
  minBefore?: number;
  /** Fewest sessions after it (the open one included), at least 2: one odd session is not a change. @default 2 */
  minAfter?: number;
  /** A change must raise the mean to at least this (and above the mean before it). @default 0 */
  minMean?: number;
  /** The open session takes part in the test once it holds this many observations (one reaction is no session yet). @default 3 */
  minOpen?: number;
}

/** The JSON form of a {@link SessionGlrDetector}. */
export interface SessionGlrSnapshot extends Required<SessionGlrOptions> {
  kind: 'session-glr';
  /** Closed sessions, oldest first, as flat pairs [sum, count]. */
  sessions: number[];
  /** The open session: [sum, count]. */
  open: [number, number];
}

/**
 * One-sided Bernoulli GLR over sessions. Observations in [0, 1] arrive in
 * sessions (one list heard, one visit): within a session they share a cause
 * (the same list, the same mood, the same person at the keyboard), so they
 * are over-dispersed compared with independent draws, and a GLR that counts
 * every observation as independent (Besson et al. 2020) over-states the
 * evidence of a few odd sessions. This one splits only between sessions and
 * divides the likelihood ratio by the over-dispersion φ̂ ≥ 1 — the Pearson
 * χ² of the session sums around their segment means over its degrees of
 * freedom (a quasi-likelihood ratio, McCullagh & Nelder 1989, §4.5 and
 * §9.2): for each split with s sessions before and k after,
 *
 *   G = N₁·kl(μ₁, μ) + N₂·kl(μ₂, μ),
 *   φ̂ = max(1, X²_pooled / (m − 2), X²_after / (k − 1)),
 *
 * (the dispersion after the split counted on its own too, so that a rise
 * carried by one session of the k — a guest's list — is discounted as the
 * inconsistency it is; before the split each session's share of X² is
 * capped, so that one old odd session does not make the test deaf),
 * and a change is detected when μ₂ > μ₁, μ₂ ≥ `minMean` and
 * G / φ̂ > ln(3·m^{3/2}/δ) (the threshold of Besson et al. with the m
 * sessions as the observations). The open session takes part, so a change
 * can be detected while it happens (once it holds `minOpen` observations);
 * it must span `minAfter` sessions.
 */
export class SessionGlrDetector {
  private readonly options: Required<SessionGlrOptions>;
  private sessions: number[] = [];
  private open: [number, number] = [0, 0];

  /** @throws AttuneError `INVALID_OPTIONS` on a bad option. */
  constructor(options: SessionGlrOptions = {}) {
    const api = 'SessionGlrDetector';
    check(typeof options === 'object' && options !== null, 'INVALID_OPTIONS', `${api}: options must be an object`);
    const r = {
      delta: options.delta ?? 0.001,
      maxSessions: options.maxSessions ?? 120,
      minBefore: options.minBefore ?? 5,
      minAfter: options.minAfter ?? 2,
      minMean: options.minMean ?? 0,
      minOpen: options.minOpen ?? 3,
    };
    checkDelta(api, r.delta);
    checkWholeAtLeast(api, 'minBefore', r.minBefore, 1);
    checkWholeAtLeast(api, 'minAfter', r.minAfter, 2);
    check(
      Number.isInteger(r.maxSessions) && r.maxSessions >= r.minBefore + r.minAfter,
      'INVALID_OPTIONS',
      `${api}: maxSessions must be a whole number >= minBefore + minAfter, got ${describeValue(r.maxSessions)}`,
    );
    checkWholeAtLeast(api, 'minOpen', r.minOpen, 1);
    check(
      isFiniteNumber(r.minMean) && r.minMean >= 0 && r.minMean <= 1,
      'INVALID_OPTIONS',
      `${api}: minMean must be in [0, 1], got ${describeValue(r.minMean)}`,
    );
    this.options = r;
  }

  /** Sessions the test reads: the closed ones held, plus the open one once it holds `minOpen` observations. */
  get count(): number {
    return this.sessions.length / 2 + (this.open[1] >= this.options.minOpen ? 1 : 0);
  }

  /**
   * Adds one observation to the open session. Returns true when a change is
   * detected (the detector has then restarted).
   * @throws AttuneError `INVALID_ARGUMENT` when x is not in [0, 1].
   */
  update(x: number): boolean {
    check(
      isFiniteNumber(x) && x >= 0 && x <= 1,
      'INVALID_ARGUMENT',
      `SessionGlrDetector.update: x must be a number in [0, 1], got ${describeValue(x)}`,
    );
    this.open[0] += x;
    this.open[1] += 1;
    if (this.statistic() > this.threshold()) {
      this.reset();
      return true;
    }
    return false;
  }

  /** Closes the open session (a no-op when it is empty). */
  closeSession(): void {
    if (this.open[1] === 0) return;
    this.sessions.push(this.open[0], this.open[1]);
    if (this.sessions.length > 2 * this.options.maxSessions) this.sessions.splice(0, 2);
    this.open = [0, 0];
  }

  /** ln(3·m^{3/2}/δ) for the sessions held now. */
  threshold(): number {
    return threshold(Math.max(this.count, 2), this.options.delta);
  }

  /** The largest G / φ̂ over the splits that would mean a rise (0 when none qualifies). */
  statistic(): number {
    const { minBefore, minAfter, minMean, minOpen } = this.options;
    const pairs = this.open[1] >= minOpen ? [...this.sessions, this.open[0], this.open[1]] : this.sessions;
    const m = pairs.length / 2;
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a shortcut: with fewer sessions no split qualifies, so the loop below returns 0 too
    if (m < minBefore + minAfter) return 0;
    let x = 0;
    let n = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      x += pairs[i] as number;
      n += pairs[i + 1] as number;
    }
    const mean = x / n;
    let x2 = 0;
    let n2 = 0;
    let q2 = 0;
    let best = 0;
    for (let k = 1; k <= m - minBefore; k++) {
      const xi = pairs[2 * (m - k)] as number;
      const ni = pairs[2 * (m - k) + 1] as number;
      x2 += xi;
      n2 += ni;
      q2 += (xi * xi) / ni;
      if (k < minAfter) continue;
      const mu2 = x2 / n2;
      const n1 = n - n2;
      const mu1 = (x - x2) / n1;
      if (mu2 <= mu1 || mu2 < minMean) continue;
      const g = n1 * klBernoulli(mu1, mean) + n2 * klBernoulli(mu2, mean);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut: G/φ̂ ≤ G ≤ best could not raise the best anyway
      if (g <= best) continue; // φ̂ ≥ 1 can only lower it
      const after = pearsonOf(q2, x2, n2, mu2);
      const pooled = (cappedPearson(pairs, m - k, x - x2, n1, mu1) + after) / (m - 2);
      const phi = Math.max(1, pooled, after / (k - 1));
      // Stryker disable next-line EqualityOperator: on a tie the best is the same number
      if (g / phi > best) best = g / phi;
    }
    return best;
  }

  reset(): void {
    this.sessions = [];
    this.open = [0, 0];
  }

  toJSON(): SessionGlrSnapshot {
    return {
      kind: 'session-glr',
      ...this.options,
      sessions: this.sessions.slice(),
      open: [this.open[0], this.open[1]],
    };
  }

  /** @throws AttuneError `BAD_SNAPSHOT` when `json` is not a session GLR snapshot. */
  static fromJSON(json: unknown): SessionGlrDetector {
    const o = json as Record<string, unknown> | null;
    check(
      typeof o === 'object' && o !== null && o['kind'] === 'session-glr',
      'BAD_SNAPSHOT',
      'SessionGlrDetector.fromJSON: expected an object with kind "session-glr"',
    );
    const { kind: _kind, sessions, open, ...options } = o;
    let d: SessionGlrDetector;
    try {
      d = new SessionGlrDetector(options as SessionGlrOptions);
    } catch (e) {
      throw new AttuneError('BAD_SNAPSHOT', `SessionGlrDetector.fromJSON: bad options (${(e as Error).message})`);
    }
    const pair = (xi: unknown, ni: unknown, openPair: boolean) =>
      // Stryker disable next-line ConditionalExpression,LogicalOperator: NaN and ±∞ fail 0 <= sum <= count below, and Number.isInteger needs a finite count
      isFiniteNumber(xi) &&
      isFiniteNumber(ni) &&
      Number.isInteger(ni) &&
      (openPair ? ni >= 0 : ni >= 1) &&
      xi >= 0 &&
      xi <= ni;
    const ok =
      Array.isArray(sessions) &&
      sessions.length % 2 === 0 &&
      sessions.length <= 2 * d.options.maxSessions &&
      sessions.every((_, i) => i % 2 === 1 || pair(sessions[i], sessions[i + 1], false)) &&
      Array.isArray(open) &&
      open.length === 2 &&
      pair(open[0], open[1], true);
    check(
      ok,
      'BAD_SNAPSHOT',
      'SessionGlrDetector.fromJSON: sessions must be [sum, count] pairs (0 <= sum <= count, count a whole number) no more than maxSessions, open one such pair',
    );
    d.sessions = (sessions as number[]).slice();
    d.open = [(open as number[])[0]!, (open as number[])[1]!];
    return d;
  }
}

/**
 * Pearson χ² of sessions around a segment mean μ, from the segment's sums
 * Σx²/n (q), Σx and Σn: Σ (x − nμ)² / (n·v). The variance v is read at a
 * mean shrunk half an observation towards 1/2, so a segment without a
 * single surprise does not divide by zero.
 */
function pearsonOf(q: number, x: number, n: number, mu: number): number {
  return Math.max(0, q - 2 * mu * x + mu * mu * n) / shrunkVariance(x, n);
}

function shrunkVariance(x: number, n: number): number {
  const shrunk = (x + 0.5) / (n + 1);
  return shrunk * (1 - shrunk);
}

/**
 * Largest share of the Pearson χ² that one session before a split may
 * bring: the 0.999 quantile of χ²₁. The sessions before a change are the
 * baseline; one wild session among them (a guest's list, long ago) would
 * otherwise inflate φ̂ and leave the detector deaf for as long as it is
 * remembered. A Huber-type cap: no session moves φ̂ by more than
 * SESSION_TERM_CAP / (m − 2).
 */
const SESSION_TERM_CAP = 10.83;

/** Pearson χ² of the first `count` sessions of `pairs` around μ, each session's term capped at SESSION_TERM_CAP. */
function cappedPearson(pairs: readonly number[], count: number, x: number, n: number, mu: number): number {
  const v = shrunkVariance(x, n);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const xi = pairs[2 * i] as number;
    const ni = pairs[2 * i + 1] as number;
    const d = xi - ni * mu;
    sum += Math.min(SESSION_TERM_CAP, (d * d) / (ni * v));
  }
  return sum;
}

/** Restores either detector from its snapshot. @throws AttuneError `BAD_SNAPSHOT`. */
export function changeDetectorFromJSON(json: unknown): ChangeDetector {
  const kind = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['kind'] : undefined;
  if (kind === 'glr') return GlrChangeDetector.fromJSON(json);
  if (kind === 'page-hinkley') return PageHinkleyDetector.fromJSON(json);
  throw new AttuneError(
    'BAD_SNAPSHOT',
    `changeDetectorFromJSON: kind must be "glr" or "page-hinkley", got ${describeValue(kind)}`,
  );
}

/** `INVALID_OPTIONS` unless the false-alarm level `delta` is in (0, 1). */
function checkDelta(api: string, delta: unknown): void {
  check(
    isFiniteNumber(delta) && delta > 0 && delta < 1,
    'INVALID_OPTIONS',
    `${api}: delta must be in (0, 1), got ${describeValue(delta)}`,
  );
}

/** `INVALID_OPTIONS` unless option `name` is a whole number at least `min` (`minLabel` says how min is made). */
function checkWholeAtLeast(api: string, name: string, value: unknown, min: number, minLabel = String(min)): void {
  check(
    Number.isInteger(value) && (value as number) >= min,
    'INVALID_OPTIONS',
    `${api}: ${name} must be a whole number >= ${minLabel}, got ${describeValue(value)}`,
  );
}
