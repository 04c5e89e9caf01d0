/**
 * Defaults of the options several kinds share (see the option types for what each means); each
 * policy's own defaults live in its file.
 */
export const BANDIT_DEFAULTS = {
  seed: 0,
  halfLife: Infinity,
  window: Infinity,
  priorAlpha: 1,
  priorBeta: 1,
  lambda: 1,
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
