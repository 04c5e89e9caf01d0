/** Defaults of every bandit option, in one place (see the option types for what each means). */
export const BANDIT_DEFAULTS = {
  seed: 0,
  halfLife: Infinity,
  window: Infinity,
  priorAlpha: 1,
  priorBeta: 1,
  /** Optimistic Bayesian Sampling on by default: lower regret in every benchmark world (benchmarks/README.md). */
  optimistic: true,
  c: Math.SQRT2,
  epsilon: 0.1,
  temperature: 0.1,
  lambda: 1,
  alpha: 1,
  /** Swept in benchmarks/bandits/sweep.ts: 0.1 had the lowest regret on tuning and report worlds (0.5 cost about 3×). */
  v: 0.1,
  propensitySamples: 1000,
  glrDelta: 0.01,
  glrSigma: 0.5,
  glrMaxHistory: 1000,
  pageHinkleyDelta: 0.05,
  pageHinkleyThreshold: 10,
} as const;

/** Largest context dimension accepted (the linear kinds keep d×d matrices per arm). */
export const MAX_DIMENSION = 1000;

/** Snapshot format tag and version. */
export const BANDIT_FORMAT = 'attune.bandit';
export const BANDIT_VERSION = 1;
