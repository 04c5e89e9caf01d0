/**
 * Public types of the bandit policies: options as plain data (a tagged union
 * on `kind`), results, and the snapshot format.
 */

/** A numeric feature vector for the contextual kinds. */
export type BanditContext = ReadonlyArray<number> | Float64Array;

/**
 * Change detection on each arm's reward stream, with a reset on a detection
 * (GLR-klUCB / GLR-TS style, Besson et al. 2020; Page–Hinkley, Page 1954).
 */
export type BanditChangeDetectionOptions =
  | {
      kind: 'glr';
      /**
       * False-alarm level δ of the GLR test: smaller means fewer false alarms and later detections.
       * @default 0.01
       */
      delta?: number;
      /**
       * Observation model. Bernoulli (rewards in [0, 1]) for the context-free kinds; the linear
       * kinds watch residuals (reward − predicted) with the Gaussian model.
       * @default 'bernoulli' for context-free kinds, 'gaussian' for linear kinds
       */
      model?: 'bernoulli' | 'gaussian';
      /** Noise scale σ of the Gaussian model. @default 0.5 */
      sigma?: number;
      /** Most recent observations the test looks back over. @default 1000 */
      maxHistory?: number;
      /** Forget one arm (`'arm'`, local restart) or every arm (`'all'`, global restart). @default 'arm' */
      reset?: 'arm' | 'all';
    }
  | {
      kind: 'page-hinkley';
      /** Magnitude of change tolerated without alarm. @default 0.05 */
      delta?: number;
      /** Alarm threshold λ: larger means fewer false alarms and later detections. @default 10 */
      threshold?: number;
      /** Forget one arm (`'arm'`) or every arm (`'all'`). @default 'arm' */
      reset?: 'arm' | 'all';
    };

/** Options shared by every kind. */
export interface BanditCommonOptions {
  /** Arm ids, unique, non-empty strings. May be empty; add arms later with `addArm`. */
  arms: ReadonlyArray<string>;
  /** Seed of every random draw (same seed and same calls give the same choices). @default 0 */
  seed?: number | string;
  /**
   * Half-life of evidence, in update steps — or in milliseconds when updates carry `at`.
   * Discounted TS / discounted UCB (Garivier & Moulines 2011) / D-LinUCB (Russac et al. 2019).
   * `Infinity` keeps all evidence. Exclusive with `window`. Guidance from a sweep over generated
   * piecewise-stationary worlds (benchmarks/README.md, "Defaults by sweep"): for Thompson sampling
   * about 300 steps (some 15% of the time between changes, for changes every 1,000–4,000 steps),
   * while 1,000–1,500 cost 1.4–1.8× the regret; for UCB1 discounting only hurt (no discount was best).
   * @default Infinity
   */
  halfLife?: number;
  /**
   * Sliding window: only the last `window` updates (over all arms) count
   * (SW-UCB, Garivier & Moulines 2011). `Infinity` keeps all. Exclusive with `halfLife`.
   * @default Infinity
   */
  window?: number;
  /** Reset an arm (or all arms) when its reward stream changes. @default undefined (off) */
  changeDetection?: BanditChangeDetectionOptions;
}

/** Prior Beta(alpha, beta) of the Bernoulli kinds. */
export interface BetaPrior {
  /** @default 1 */
  alpha?: number;
  /** @default 1 */
  beta?: number;
}

/** Thompson sampling with Beta-Bernoulli posteriors (Thompson 1933; Agrawal & Goyal 2012). */
export interface ThompsonOptions extends BanditCommonOptions {
  kind: 'thompson';
  /** @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
  /**
   * Optimistic Bayesian Sampling (May, Korda, Lee & Leslie 2012, JMLR 13): score each arm by
   * max(θ̃, posterior mean) instead of the draw θ̃, so a draw never ranks an arm below its mean.
   * On by default because it explores less on arms already known to be poor: on the benchmark
   * worlds it lowered mean regret by about 5–10 % (stationary 10-arm world, tuning seeds and a
   * numpy cross-check; every piecewise variant), see benchmarks/README.md. `false` gives plain
   * Thompson sampling (Thompson 1933; Agrawal & Goyal 2012). Snapshots written before this
   * option existed restore with `false`.
   * @default true
   */
  optimistic?: boolean;
  /**
   * Ignored: propensities are computed by quadrature, not sampled (see {@link BanditChoice.propensity}).
   * Still accepted, and kept in snapshots, so existing options and snapshots work unchanged.
   * @deprecated
   * @default 1000
   */
  propensitySamples?: number;
}

/** UCB1 (Auer, Cesa-Bianchi & Fischer 2002): mean + c·√(ln N / n). */
export interface Ucb1Options extends BanditCommonOptions {
  kind: 'ucb1';
  /** Exploration constant c; √2 is Auer et al.'s UCB1. @default Math.SQRT2 */
  c?: number;
  /** Prior used only by `expectations`. @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
}

/** ε-greedy (Sutton & Barto 1998; analysed in Auer et al. 2002). */
export interface EpsilonGreedyOptions extends BanditCommonOptions {
  kind: 'epsilon-greedy';
  /** Probability of a uniformly random arm. @default 0.1 */
  epsilon?: number;
  /** Prior pseudo-counts of the mean estimate. @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
}

/** Softmax / Boltzmann exploration (Luce 1959; Sutton & Barto 1998). */
export interface SoftmaxOptions extends BanditCommonOptions {
  kind: 'softmax';
  /** Temperature τ of p ∝ exp(mean / τ). @default 0.1 */
  temperature?: number;
  /** Prior pseudo-counts of the mean estimate. @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
}

/** Options shared by the linear (contextual) kinds. */
export interface LinearCommonOptions extends BanditCommonOptions {
  /** Length d of every context vector. */
  dimension: number;
  /** Ridge regularisation λ (the prior precision). @default 1 */
  lambda?: number;
}

/** Disjoint LinUCB (Li, Chu, Langford & Schapire 2010). */
export interface LinUcbOptions extends LinearCommonOptions {
  kind: 'linucb';
  /** Width α of the confidence bonus α·√(xᵀA⁻¹x). @default 1 */
  alpha?: number;
}

/** Linear Thompson sampling (Agrawal & Goyal 2013). */
export interface LinearThompsonOptions extends LinearCommonOptions {
  kind: 'linear-thompson';
  /**
   * Posterior scale v: θ̃ ~ N(θ̂, v²A⁻¹) (Agrawal & Goyal 2013 take v of the order of the reward
   * noise). Chosen by a sweep over generated linear worlds (benchmarks/README.md, "Defaults by
   * sweep"): 0.1 had the lowest mean regret on the tuning worlds and on other report worlds; 0.5,
   * the earlier default, cost about 3× the regret. Raise it for noisier rewards.
   * @default 0.1
   */
  v?: number;
  /**
   * Ignored: propensities are computed by quadrature, not sampled (see {@link BanditChoice.propensity}).
   * @deprecated
   * @default 1000
   */
  propensitySamples?: number;
}

/** Options of {@link createBandit}: plain data, a tagged union on `kind`. */
export type BanditOptions =
  ThompsonOptions | Ucb1Options | EpsilonGreedyOptions | SoftmaxOptions | LinUcbOptions | LinearThompsonOptions;

export type BanditKind = BanditOptions['kind'];

/** Options of `select` and `rank`. */
export interface SelectOptions {
  /** Arms not to choose this time (unknown ids are ignored). */
  exclude?: ReadonlyArray<string>;
  /** Time of the request (ms) when updates carry `at`; defaults to the latest `at` seen. */
  at?: number;
}

/** The arm chosen by `select`. */
export interface BanditChoice {
  arm: string;
  /**
   * Probability that `select` picks this arm in this state (same arms, same exclusions), in (0, 1]:
   * what an off-policy estimator divides by (log it with the choice). Exact for ε-greedy, softmax
   * and the deterministic kinds (1 / number of tied arms). For the Thompson kinds it is
   * P(this arm's index is the largest) = ∫ f_i Π_{j≠i} F_j over the posteriors of the choice —
   * Beta posteriors, with the optimistic index's point mass at the mean, or the Gaussian scores of
   * the context for linear Thompson sampling — computed by quadrature on first read: no sampling,
   * no floor, within 1% relative of a 10⁶-point integration down to 1e−6 (in practice about 1e−4),
   * and reading it draws no random number, so it never changes later choices. A probability below
   * the smallest double is reported as that double, so it is never 0.
   */
  propensity: number;
}

/** One arm in `rank`'s list, best score first. */
export interface RankedArm {
  arm: string;
  /** The policy's index: a posterior draw (Thompson kinds; with `optimistic`, max(draw, mean)), the UCB index, or the mean estimate. */
  score: number;
  /** Probability that `select` would pick this arm now, in [0, 1] (see {@link BanditChoice.propensity}); for the Thompson kinds they sum to 1 within about 1e−5. */
  propensity: number;
}

/** The point estimate of one arm. */
export interface ArmExpectation {
  arm: string;
  /** Expected reward (posterior mean; θ̂·x for linear kinds). */
  mean: number;
  /** Effective number of observations after decay / windowing. */
  evidence: number;
}

/** Options of `addArm`. */
export interface AddArmOptions {
  /** Copy the statistics of this arm (a new variant of a known item). */
  warmStartFrom?: string;
}

/** A bandit policy. Every method validates its input; a call that throws changes nothing. */
export interface Bandit {
  readonly kind: BanditKind;
  /** Current arm ids, in insertion order. */
  readonly arms: ReadonlyArray<string>;
  /** Chooses one arm. Context is required (length `dimension`) for linear kinds and ignored otherwise. */
  select(context?: BanditContext, options?: SelectOptions): BanditChoice;
  /** Every eligible arm with its score and selection probability, best score first. */
  rank(context?: BanditContext, options?: SelectOptions): RankedArm[];
  /**
   * Learns one reward: in [0, 1] for the Bernoulli kinds, any finite number for the linear kinds.
   * `at` (ms) switches the clock of `halfLife` from steps to time; give it on every update or none.
   */
  update(arm: string, reward: number, context?: BanditContext, at?: number): void;
  /** The point estimate and effective evidence of every arm. */
  expectations(context?: BanditContext, options?: { at?: number }): ArmExpectation[];
  addArm(id: string, options?: AddArmOptions): void;
  removeArm(id: string): void;
  /** Forgets an arm's statistics (back to the prior); keeps the arm. */
  resetArm(id: string): void;
  /** Forgets every arm's statistics (after a detected change); keeps arms and the random stream. */
  restart(): void;
  /** How many resets change detection has triggered. */
  readonly detections: number;
  /** A JSON-safe snapshot; {@link restoreBandit} continues exactly where this one is. */
  toJSON(): BanditSnapshot;
}

/** Serialised change-detector state (what a detector's `toJSON` gives and `changeDetectorFromJSON` reads). */
export type DetectorSnapshot = Record<string, unknown>;

/** One arm in a snapshot. Context-free kinds use `n`, `s`; linear kinds add `A`, `Ainv`, `b`, `prior`. */
export interface ArmSnapshot {
  id: string;
  t: number;
  n: number;
  s: number;
  A?: number[];
  Ainv?: number[];
  b?: number[];
  prior?: number;
  refresh?: number;
  detector: DetectorSnapshot | null;
}

/** A window entry: the arm (null if since removed), reward and context. */
export interface WindowEntrySnapshot {
  arm: string | null;
  reward: number;
  context?: number[];
}

/** The JSON snapshot of a bandit. Infinity is written as null. */
export interface BanditSnapshot {
  format: 'attune.bandit';
  version: 1;
  options: Record<string, unknown>;
  random: { block: number; used: number; spare: number | null };
  selects: number;
  steps: number;
  clock: 'steps' | 'ms' | null;
  lastAt: number | null;
  detections: number;
  arms: ArmSnapshot[];
  window: WindowEntrySnapshot[];
}
