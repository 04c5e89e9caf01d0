/** Validation of bandit options at the public boundary, resolved once into {@link ResolvedBanditOptions}. */
import { check, describeValue, isFiniteNumber } from '../../errors.js';
import { BANDIT_DEFAULTS, MAX_DIMENSION } from './constants.js';
import type { BanditChangeDetectionOptions, BanditKind, BanditOptions } from './types.js';

/** Change detection with every default filled in. */
export type ResolvedChangeDetection =
  | {
      kind: 'glr';
      delta: number;
      model: 'bernoulli' | 'gaussian';
      sigma: number;
      maxHistory: number;
      reset: 'arm' | 'all';
    }
  | { kind: 'page-hinkley'; delta: number; threshold: number; reset: 'arm' | 'all' };

/** Every option of every kind, resolved: internals never see `undefined`. */
export interface ResolvedBanditOptions {
  kind: BanditKind;
  seed: number | string;
  halfLife: number;
  window: number;
  changeDetection: ResolvedChangeDetection | null;
  priorAlpha: number;
  priorBeta: number;
  /** Thompson: score max(draw, posterior mean) (May et al. 2012). */
  optimistic: boolean;
  c: number;
  epsilon: number;
  temperature: number;
  /** 0 for the context-free kinds. */
  dimension: number;
  lambda: number;
  alpha: number;
  v: number;
  propensitySamples: number;
}

const API = 'createBandit';
const KINDS: ReadonlyArray<BanditKind> = ['thompson', 'ucb1', 'epsilon-greedy', 'softmax', 'linucb', 'linear-thompson'];

function positive(value: unknown, name: string, allowInfinity = false): number {
  const ok =
    typeof value === 'number' && value > 0 && (Number.isFinite(value) || (allowInfinity && value === Infinity));
  check(
    ok,
    'INVALID_OPTIONS',
    `${API}: ${name} must be a positive number${allowInfinity ? ' or Infinity' : ''}, got ${describeValue(value)}`,
  );
  return value as number;
}

/** Is `kind` one of the linear (contextual) kinds? */
export function isLinearKind(kind: BanditKind): kind is 'linucb' | 'linear-thompson' {
  return kind === 'linucb' || kind === 'linear-thompson';
}

/** Checks an arm id. */
export function checkArmId(id: unknown, api: string): asserts id is string {
  check(
    typeof id === 'string' && id.length > 0,
    'INVALID_ARGUMENT',
    `${api}: an arm id must be a non-empty string, got ${describeValue(id)}`,
  );
}

/**
 * Validates and resolves options.
 * @throws AttuneError `INVALID_OPTIONS` (or `DUPLICATE_ARM`) saying which option to fix.
 */
export function resolveBanditOptions(options: BanditOptions): { resolved: ResolvedBanditOptions; arms: string[] } {
  check(
    typeof options === 'object' && options !== null,
    'INVALID_OPTIONS',
    `${API}: options must be an object like { kind: 'thompson', arms: ['a', 'b'] }`,
  );
  const kind = options.kind;
  check(
    KINDS.includes(kind),
    'INVALID_OPTIONS',
    `${API}: kind must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}, got ${describeValue(kind)}`,
  );
  check(
    Array.isArray(options.arms),
    'INVALID_OPTIONS',
    `${API}: arms must be an array of arm ids, got ${describeValue(options.arms)}`,
  );
  const arms: string[] = [];
  const seen = new Set<string>();
  for (const id of options.arms) {
    check(
      typeof id === 'string' && id.length > 0,
      'INVALID_OPTIONS',
      `${API}: every arm id must be a non-empty string, got ${describeValue(id)}`,
    );
    check(!seen.has(id), 'DUPLICATE_ARM', `${API}: arm ${describeValue(id)} is listed twice; arm ids must be unique`);
    seen.add(id);
    arms.push(id);
  }
  const seed = options.seed ?? BANDIT_DEFAULTS.seed;
  check(
    (typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string',
    'INVALID_OPTIONS',
    `${API}: seed must be a finite number or a string, got ${describeValue(seed)}`,
  );
  const halfLife = positive(options.halfLife ?? BANDIT_DEFAULTS.halfLife, 'halfLife', true);
  const window = options.window ?? BANDIT_DEFAULTS.window;
  check(
    window === Infinity || (Number.isInteger(window) && window >= 1),
    'INVALID_OPTIONS',
    `${API}: window must be a whole number >= 1 or Infinity, got ${describeValue(window)}`,
  );
  check(
    halfLife === Infinity || window === Infinity,
    'INVALID_OPTIONS',
    `${API}: give either halfLife or window, not both`,
  );

  const resolved: ResolvedBanditOptions = {
    kind,
    seed,
    halfLife,
    window,
    changeDetection: resolveChangeDetection(options.changeDetection, kind),
    priorAlpha: BANDIT_DEFAULTS.priorAlpha,
    priorBeta: BANDIT_DEFAULTS.priorBeta,
    optimistic: BANDIT_DEFAULTS.optimistic,
    c: BANDIT_DEFAULTS.c,
    epsilon: BANDIT_DEFAULTS.epsilon,
    temperature: BANDIT_DEFAULTS.temperature,
    dimension: 0,
    lambda: BANDIT_DEFAULTS.lambda,
    alpha: BANDIT_DEFAULTS.alpha,
    v: BANDIT_DEFAULTS.v,
    propensitySamples: BANDIT_DEFAULTS.propensitySamples,
  };
  switch (options.kind) {
    case 'thompson':
      resolvePrior(options.prior, resolved);
      resolved.optimistic = options.optimistic ?? BANDIT_DEFAULTS.optimistic;
      check(
        typeof resolved.optimistic === 'boolean',
        'INVALID_OPTIONS',
        `${API}: optimistic must be true or false, got ${describeValue(resolved.optimistic)}`,
      );
      resolved.propensitySamples = resolveSamples(options.propensitySamples);
      break;
    case 'ucb1':
      resolvePrior(options.prior, resolved);
      resolved.c = nonNegative(options.c ?? BANDIT_DEFAULTS.c, 'c');
      break;
    case 'epsilon-greedy': {
      resolvePrior(options.prior, resolved);
      const e = options.epsilon ?? BANDIT_DEFAULTS.epsilon;
      check(
        isFiniteNumber(e) && e >= 0 && e <= 1,
        'INVALID_OPTIONS',
        `${API}: epsilon must be in [0, 1], got ${describeValue(e)}`,
      );
      resolved.epsilon = e;
      break;
    }
    case 'softmax':
      resolvePrior(options.prior, resolved);
      resolved.temperature = positive(options.temperature ?? BANDIT_DEFAULTS.temperature, 'temperature');
      break;
    case 'linucb':
      resolveLinear(options.dimension, options.lambda, resolved);
      resolved.alpha = nonNegative(options.alpha ?? BANDIT_DEFAULTS.alpha, 'alpha');
      break;
    case 'linear-thompson':
      resolveLinear(options.dimension, options.lambda, resolved);
      resolved.v = nonNegative(options.v ?? BANDIT_DEFAULTS.v, 'v');
      resolved.propensitySamples = resolveSamples(options.propensitySamples);
      break;
    default: {
      const _: never = options;
      throw _;
    }
  }
  return { resolved, arms };
}

function nonNegative(value: unknown, name: string): number {
  check(
    isFiniteNumber(value) && value >= 0,
    'INVALID_OPTIONS',
    `${API}: ${name} must be a finite number >= 0, got ${describeValue(value)}`,
  );
  return value;
}

function resolveSamples(value: unknown): number {
  const n = value ?? BANDIT_DEFAULTS.propensitySamples;
  check(
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 1e6,
    'INVALID_OPTIONS',
    `${API}: propensitySamples must be a whole number from 1 to 1000000, got ${describeValue(n)}`,
  );
  return n as number;
}

/** The largest Beta prior pseudo-count. */
const MAX_PRIOR = 1e6;

function resolvePrior(prior: unknown, into: ResolvedBanditOptions): void {
  if (prior === undefined) return;
  check(
    typeof prior === 'object' && prior !== null,
    'INVALID_OPTIONS',
    `${API}: prior must be an object like { alpha: 1, beta: 1 }, got ${describeValue(prior)}`,
  );
  const p = prior as Record<string, unknown>;
  into.priorAlpha = positive(p['alpha'] ?? BANDIT_DEFAULTS.priorAlpha, 'prior.alpha');
  into.priorBeta = positive(p['beta'] ?? BANDIT_DEFAULTS.priorBeta, 'prior.beta');
  check(
    into.priorAlpha <= MAX_PRIOR && into.priorBeta <= MAX_PRIOR,
    'INVALID_OPTIONS',
    `${API}: prior.alpha and prior.beta must be at most ${MAX_PRIOR} (pseudo-counts; a larger prior would never let data move the arm)`,
  );
}

function resolveLinear(dimension: unknown, lambda: unknown, into: ResolvedBanditOptions): void {
  check(
    Number.isInteger(dimension) && (dimension as number) >= 1 && (dimension as number) <= MAX_DIMENSION,
    'INVALID_OPTIONS',
    `${API}: dimension must be a whole number from 1 to ${MAX_DIMENSION} (the length of every context vector), got ${describeValue(dimension)}`,
  );
  into.dimension = dimension as number;
  into.lambda = positive(lambda ?? BANDIT_DEFAULTS.lambda, 'lambda');
}

function resolveChangeDetection(
  cd: BanditChangeDetectionOptions | undefined,
  kind: BanditKind,
): ResolvedChangeDetection | null {
  if (cd === undefined) return null;
  const name = 'changeDetection';
  check(
    typeof cd === 'object' && cd !== null,
    'INVALID_OPTIONS',
    `${API}: ${name} must be an object like { kind: 'glr' }, got ${describeValue(cd)}`,
  );
  const reset = cd.reset ?? 'arm';
  check(
    reset === 'arm' || reset === 'all',
    'INVALID_OPTIONS',
    `${API}: ${name}.reset must be 'arm' or 'all', got ${describeValue(reset)}`,
  );
  switch (cd.kind) {
    case 'glr': {
      const delta = cd.delta ?? BANDIT_DEFAULTS.glrDelta;
      check(
        isFiniteNumber(delta) && delta > 0 && delta < 1,
        'INVALID_OPTIONS',
        `${API}: ${name}.delta must be in (0, 1), got ${describeValue(delta)}`,
      );
      const model = cd.model ?? (isLinearKind(kind) ? 'gaussian' : 'bernoulli');
      check(
        model === 'bernoulli' || model === 'gaussian',
        'INVALID_OPTIONS',
        `${API}: ${name}.model must be 'bernoulli' or 'gaussian', got ${describeValue(model)}`,
      );
      check(
        !(isLinearKind(kind) && model === 'bernoulli'),
        'INVALID_OPTIONS',
        `${API}: ${name}.model 'bernoulli' does not fit kind "${kind}" (it watches residuals); use 'gaussian'`,
      );
      const sigma = positive(cd.sigma ?? BANDIT_DEFAULTS.glrSigma, `${name}.sigma`);
      const maxHistory = cd.maxHistory ?? BANDIT_DEFAULTS.glrMaxHistory;
      check(
        Number.isInteger(maxHistory) && maxHistory >= 10,
        'INVALID_OPTIONS',
        `${API}: ${name}.maxHistory must be a whole number >= 10, got ${describeValue(maxHistory)}`,
      );
      return { kind: 'glr', delta, model, sigma, maxHistory, reset };
    }
    case 'page-hinkley': {
      const delta = cd.delta ?? BANDIT_DEFAULTS.pageHinkleyDelta;
      check(
        isFiniteNumber(delta) && delta >= 0,
        'INVALID_OPTIONS',
        `${API}: ${name}.delta must be a number >= 0, got ${describeValue(delta)}`,
      );
      const threshold = positive(cd.threshold ?? BANDIT_DEFAULTS.pageHinkleyThreshold, `${name}.threshold`);
      return { kind: 'page-hinkley', delta, threshold, reset };
    }
    default: {
      const _: never = cd;
      check(
        false,
        'INVALID_OPTIONS',
        `${API}: ${name}.kind must be 'glr' or 'page-hinkley', got ${describeValue((_ as { kind: unknown }).kind)}`,
      );
    }
  }
}

/** The public options that re-create `resolved` (Infinity written as null, for JSON). */
export function optionsToJSON(r: ResolvedBanditOptions): Record<string, unknown> {
  const common = {
    kind: r.kind,
    seed: r.seed,
    halfLife: r.halfLife === Infinity ? null : r.halfLife,
    window: r.window === Infinity ? null : r.window,
    changeDetection: r.changeDetection,
  };
  switch (r.kind) {
    case 'thompson':
      return {
        ...common,
        prior: { alpha: r.priorAlpha, beta: r.priorBeta },
        optimistic: r.optimistic,
        propensitySamples: r.propensitySamples,
      };
    case 'ucb1':
      return { ...common, prior: { alpha: r.priorAlpha, beta: r.priorBeta }, c: r.c };
    case 'epsilon-greedy':
      return { ...common, prior: { alpha: r.priorAlpha, beta: r.priorBeta }, epsilon: r.epsilon };
    case 'softmax':
      return { ...common, prior: { alpha: r.priorAlpha, beta: r.priorBeta }, temperature: r.temperature };
    case 'linucb':
      return { ...common, dimension: r.dimension, lambda: r.lambda, alpha: r.alpha };
    case 'linear-thompson':
      return { ...common, dimension: r.dimension, lambda: r.lambda, v: r.v, propensitySamples: r.propensitySamples };
    default: {
      const _: never = r.kind;
      throw _;
    }
  }
}

/** Reads options written by {@link optionsToJSON} back into createBandit options (null → Infinity, no changeDetection when null). */
export function optionsFromJSON(json: Record<string, unknown>, arms: string[]): BanditOptions {
  const o: Record<string, unknown> = { ...json, arms };
  if (o['halfLife'] === null) o['halfLife'] = Infinity;
  if (o['window'] === null) o['window'] = Infinity;
  if (o['changeDetection'] === null) delete o['changeDetection'];
  // snapshots from before the option existed were plain Thompson sampling
  if (o['kind'] === 'thompson' && o['optimistic'] === undefined) o['optimistic'] = false;
  return o as unknown as BanditOptions;
}
