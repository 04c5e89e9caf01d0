import {
  DEFAULT_EXPLORATION,
  DEFAULT_FACET_CAPS,
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_HOLD_BACK_DAYS,
  DEFAULT_HOLD_BACK_FACETS,
  DEFAULT_IMPLICIT_QUOTE_DELAY_MINUTES,
  DEFAULT_MAX_TAG_SHARE,
  DEFAULT_POOL_SIZE,
  DEFAULT_PROPENSITY_SAMPLES,
  DEFAULT_PROTECTED_ATTRIBUTES,
  DEFAULT_SEED,
  DEFAULT_TIRED_DAYS,
} from './constants.js';
import { AttuneError, describeValue } from './errors.js';
import type { Item } from './types.js';
import type { CollaborativeOptions } from './models/collaborative/collaborative.js';
import { resolveAlsOptions } from './models/mf/options.js';

/** Options of `createRecommender`. Every field is optional. */
export interface RecommenderOptions {
  /** The catalog. More can be added later with `addItems`. @default [] */
  items?: Item[];
  /** Same seed + same calls ⇒ same outputs. @default 0 */
  seed?: number | string;
  /** Every piece of evidence halves in weight every this many days; `Infinity` turns decay off. @default 90 */
  halfLifeDays?: number;
  /** How long `tired` hides an item. @default 30 */
  tiredDays?: number;
  /** How long a `purchase` holds back items of the same category. @default 14 */
  holdBackDays?: number;
  /** Tag facets that name an item's category for purchase hold-back. @default ['category'] */
  holdBackFacets?: string[];
  /** Implicit signals are not quoted in reasons until this many minutes have passed. @default 180 */
  implicitQuoteDelayMinutes?: number;
  /** Injectable clock, ms since epoch. @default Date.now */
  now?: () => number;
  /** Scale of exploration noise (Thompson sampling, tempered); 0 turns it off. @default 0.3 */
  exploration?: number;
  /** Posterior draws used to estimate propensities. @default 32 */
  propensitySamples?: number;
  /**
   * Diversity: per-facet caps (`{ artist: 2 }`), the largest share of a list any
   * one tag may fill (0.7), and an optional MMR trade-off `mmrLambda` in (0, 1]
   * (1 = off; 0.7 trades a little score for less similar neighbours).
   */
  diversity?: { facetCaps?: Record<string, number>; maxTagShare?: number; mmrLambda?: number };
  /**
   * Context keys refused with `PROTECTED_ATTRIBUTE`. `{ extend: [...] }` adds to the
   * default list; `{ replace: [...] }` replaces it and must not be empty.
   */
  protectedAttributes?: { extend?: string[]; replace?: string[] };
  /** Candidates kept for the sampled ranking. @default 200 */
  poolSize?: number;
  /**
   * Watch each user for a change of life stage (a sudden rise in how
   * surprising their feedback is) and, when it fires, fade old evidence and
   * explore more for a while. @default true
   */
  lifeStages?: boolean;
  /**
   * The collaborative model (implicit ALS, fitted by `train()`, folded in
   * after every feedback): factors, regularization, alpha, iterations, solver,
   * and `weight`, its scale in score points. `false` turns it off. At most
   * min(users, items) factors are fitted (a higher rank cannot be learned).
   * @default { factors: 128, regularization: 20, alpha: 0.5, iterations: 15, weight: 60 } (COLLABORATIVE_DEFAULTS; chosen in benchmarks/mf/sweep.ts)
   */
  collaborative?: CollaborativeOptions | false;
}

/** Options with every default filled in; internals never see `undefined`. */
export interface ResolvedOptions {
  seed: number | string;
  halfLifeDays: number;
  tiredDays: number;
  holdBackDays: number;
  holdBackFacets: string[];
  implicitQuoteDelayMinutes: number;
  now: () => number;
  exploration: number;
  propensitySamples: number;
  facetCaps: Map<string, number>;
  maxTagShare: number;
  mmrLambda: number;
  protectedAttributes: string[];
  poolSize: number;
  lifeStages: boolean;
  collaborative: CollaborativeOptions | false;
}

function positive(name: string, value: unknown, allowInfinity = false, allowZero = false): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (allowInfinity || Number.isFinite(value)) &&
    (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number${allowInfinity ? ' (or Infinity)' : ''}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function wholeInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AttuneError('INVALID_OPTIONS', `createRecommender: ${name} must be a whole number from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

function resolveCollaborative(value: unknown): CollaborativeOptions | false {
  if (value === false) return false;
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new AttuneError('INVALID_OPTIONS', 'createRecommender: collaborative must be an options object or false');
  const { weight, ...als } = value as CollaborativeOptions;
  if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
    throw new AttuneError('INVALID_OPTIONS', `createRecommender: collaborative.weight must be a non-negative number, got ${describeValue(weight)}`);
  }
  try {
    resolveAlsOptions(als, 'createRecommender: collaborative');
  } catch (error) {
    throw new AttuneError('INVALID_OPTIONS', (error as Error).message);
  }
  return { ...(value as CollaborativeOptions) };
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new AttuneError('INVALID_OPTIONS', `createRecommender: ${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Resolves options once, validating each; throws `INVALID_OPTIONS` with what to fix. */
export function resolveOptions(options: RecommenderOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new AttuneError('INVALID_OPTIONS', `createRecommender: options must be an object, got ${describeValue(options)}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    throw new AttuneError('INVALID_OPTIONS', `createRecommender: seed must be a finite number or a string, got ${describeValue(seed)}`);
  }
  const now = options.now ?? (() => Date.now());
  if (typeof now !== 'function') throw new AttuneError('INVALID_OPTIONS', 'createRecommender: now must be a function returning ms since epoch');
  const holdBackFacets = options.holdBackFacets ?? [...DEFAULT_HOLD_BACK_FACETS];
  if (!Array.isArray(holdBackFacets) || holdBackFacets.some((f) => typeof f !== 'string' || f === '')) {
    throw new AttuneError('INVALID_OPTIONS', 'createRecommender: holdBackFacets must be an array of non-empty strings');
  }
  const caps = new Map(Object.entries(DEFAULT_FACET_CAPS));
  const div = options.diversity ?? {};
  if (div.facetCaps !== undefined) {
    if (div.facetCaps === null || typeof div.facetCaps !== 'object') {
      throw new AttuneError('INVALID_OPTIONS', 'createRecommender: diversity.facetCaps must be an object such as { artist: 2 }');
    }
    caps.clear();
    for (const [facet, cap] of Object.entries(div.facetCaps)) caps.set(facet, wholeInRange(`diversity.facetCaps.${facet}`, cap, 1, 1000));
  }
  const maxTagShare = div.maxTagShare ?? DEFAULT_MAX_TAG_SHARE;
  if (typeof maxTagShare !== 'number' || !(maxTagShare > 0 && maxTagShare <= 1)) {
    throw new AttuneError('INVALID_OPTIONS', `createRecommender: diversity.maxTagShare must be in (0, 1], got ${describeValue(maxTagShare)}`);
  }
  const mmrLambda = div.mmrLambda ?? 1;
  if (typeof mmrLambda !== 'number' || !(mmrLambda > 0 && mmrLambda <= 1)) {
    throw new AttuneError('INVALID_OPTIONS', `createRecommender: diversity.mmrLambda must be in (0, 1], got ${describeValue(mmrLambda)}`);
  }
  let protectedAttributes = [...DEFAULT_PROTECTED_ATTRIBUTES];
  const pa = options.protectedAttributes;
  if (pa !== undefined) {
    if (pa === null || typeof pa !== 'object') {
      throw new AttuneError('INVALID_OPTIONS', 'createRecommender: protectedAttributes must be { extend: [...] } or { replace: [...] }');
    }
    const validList = (name: string, list: unknown): string[] => {
      if (!Array.isArray(list) || list.some((k) => typeof k !== 'string' || normaliseKey(k) === '')) {
        throw new AttuneError('INVALID_OPTIONS', `createRecommender: protectedAttributes.${name} must be an array of non-empty strings`);
      }
      return list.map(normaliseKey);
    };
    if (pa.replace !== undefined) {
      const replaced = validList('replace', pa.replace);
      if (replaced.length === 0) {
        throw new AttuneError('INVALID_OPTIONS', 'createRecommender: protectedAttributes.replace must not be empty; to add keys use { extend: [...] }');
      }
      protectedAttributes = replaced;
    }
    if (pa.extend !== undefined) protectedAttributes = [...protectedAttributes, ...validList('extend', pa.extend)];
  }
  return {
    seed,
    halfLifeDays: positive('halfLifeDays', options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS, true),
    tiredDays: positive('tiredDays', options.tiredDays ?? DEFAULT_TIRED_DAYS, true, true),
    holdBackDays: positive('holdBackDays', options.holdBackDays ?? DEFAULT_HOLD_BACK_DAYS, true, true),
    holdBackFacets: [...holdBackFacets],
    implicitQuoteDelayMinutes: positive('implicitQuoteDelayMinutes', options.implicitQuoteDelayMinutes ?? DEFAULT_IMPLICIT_QUOTE_DELAY_MINUTES, false, true),
    now,
    exploration: positive('exploration', options.exploration ?? DEFAULT_EXPLORATION, false, true),
    propensitySamples: wholeInRange('propensitySamples', options.propensitySamples ?? DEFAULT_PROPENSITY_SAMPLES, 1, 10_000),
    facetCaps: caps,
    maxTagShare,
    mmrLambda,
    protectedAttributes: [...new Set(protectedAttributes)],
    poolSize: wholeInRange('poolSize', options.poolSize ?? DEFAULT_POOL_SIZE, 1, 1_000_000),
    lifeStages: flag('lifeStages', options.lifeStages ?? true),
    collaborative: resolveCollaborative(options.collaborative),
  };
}

export { normaliseKey };
