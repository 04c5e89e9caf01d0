import {
  DEFAULT_EXPLORATION,
  DEFAULT_FACET_CAPS,
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_PAUSE_DAYS,
  DEFAULT_HOLD_BACK_DAYS,
  DEFAULT_HOLD_BACK_FACETS,
  DEFAULT_ITEM_NOUN,
  DEFAULT_IMPLICIT_QUOTE_DELAY_MINUTES,
  DEFAULT_MAX_TAG_SHARE,
  DEFAULT_POOL_SIZE,
  DEFAULT_PROPENSITY_PATIENCE,
  DEFAULT_PROPENSITY_SAMPLES,
  DEFAULT_PROTECTED_ATTRIBUTES,
  DEFAULT_SEED,
  DEFAULT_TIRED_DAYS,
  APPROXIMATE_RETRIEVAL_FROM,
  MAX_DURATION_DAYS,
  MAX_EXPLORATION,
} from './constants.js';
import { AttuneError, describeValue, everyIndex } from './errors.js';
import type { Item } from './types.js';
import { protectedName } from './feedback/protected.js';
import { MAX_COLLABORATIVE_WEIGHT, type CollaborativeOptions } from './models/collaborative/collaborative.js';
import { ALS_DEFAULTS, resolveAlsOptions } from './models/mf/options.js';

/** Options of `createRecommender`. Every field is optional. */
export interface RecommenderOptions {
  /** The catalog. More can be added later with `addItems`. @default [] */
  items?: Item[];
  /**
   * Keys every random draw: the same seed and the same calls at the same
   * times (the `now` clock, or `at` on each call) give the same outputs.
   * Draws are keyed by the request's time too, so with the default clock
   * two runs differ. @default 0
   */
  seed?: number | string;
  /**
   * A person's evidence halves in weight every this many days of their own
   * time (see `pauseDays`), popularity every this many calendar days;
   * `Infinity` turns decay off. @default 90
   */
  halfLifeDays?: number;
  /**
   * Absence is not forgetting: a pause in a person's feedback (to their next
   * event, or to a read) counts at most this many days of their own time, so
   * a listener back after a year finds their taste as a week away left it.
   * `Infinity`: a person's evidence ages on the calendar. @default 7
   */
  pauseDays?: number;
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
  /** Most fresh draws of the list policy behind one list's propensities (drawn until each shown item appears 4 times; see README). @default 10000 */
  propensitySamples?: number;
  /**
   * Fresh propensity draws after which a shown item seen at least once stops waiting for its 4th
   * appearance (its estimate stays unbiased; a rarely shown item then costs about this many draws
   * plus one over its chance of being shown, not four over it). Raise it to `propensitySamples`
   * for the lowest variance at the cost of a slow tail; see README. @default 128
   */
  propensityPatience?: number;
  /**
   * Diversity: per-facet caps (`{ artist: 2 }`), the largest share of a list any
   * one tag may fill (0.7), and an optional MMR trade-off `mmrLambda` in (0, 1]
   * (1 = off; 0.7 trades a little score for less similar neighbours).
   */
  diversity?: { facetCaps?: Record<string, number>; maxTagShare?: number; mmrLambda?: number };
  /**
   * Context keys refused with `PROTECTED_ATTRIBUTE`, matched as whole words
   * of a key in any spelling (see README, Responsible personalisation).
   * `{ extend: ['caste'] }` adds names to the built-in list; `{ replace: [...] }`
   * is accepted only when it keeps every built-in name (a list can grow,
   * never lose a protected attribute — neither here nor through a snapshot).
   */
  protectedAttributes?: { extend?: string[]; replace?: string[] };
  /** Candidates kept for the sampled ranking. @default 200 */
  poolSize?: number;
  /**
   * Watch each user for a change of life stage (a rise, over sessions, in
   * how surprising their feedback is) and, when it fires, fade old evidence
   * and explore more for a while. @default true
   */
  lifeStages?: boolean;
  /**
   * The collaborative model (implicit ALS, fitted by `train()`, folded in
   * after every feedback): factors, regularization, alpha, iterations, solver,
   * and `weight`, its scale in score points. `false` turns it off. At most
   * min(users, items) factors are fitted (a higher rank cannot be learned).
   * @default { factors: 128, regularization: 20, alpha: 1.25, iterations: 15, weight: 60 } (chosen by a parameter sweep on MovieLens and tuning on generated play-count logs)
   */
  collaborative?: CollaborativeOptions | false;
  /**
   * How `recommend` finds candidates among the items. `'exact'` scores every
   * item; `'approximate'` asks an index over the collaborative item factors
   * (built by `train()`, `trainInBackground()`, `importItemFactors()` and on
   * restore) for the items nearest the person's taste, and scores only those
   * exactly — bans, rests, consent, holds and diversity stay exact; an item
   * the index does not propose can be missed (recall@10 against exact lists:
   * 1.0 at 200,000 and 1,000,000 generated items, benchmarks/README.md).
   * Without the option, catalogs of
   * APPROXIMATE_RETRIEVAL_FROM items or more are served approximately.
   * @default 'exact' below APPROXIMATE_RETRIEVAL_FROM (50,000) items, 'approximate' from there
   */
  retrieval?: RetrievalMode;
  /**
   * What reasons call the items when they count them: "3 other movies you
   * liked" with `{ one: 'movie', many: 'movies' }`.
   * @default { one: 'song', many: 'songs' }
   */
  itemNoun?: ItemNoun;
}

/** The singular and plural of what the catalog holds ("movie", "movies"). */
export interface ItemNoun {
  one: string;
  many: string;
}

/** How `recommend` finds candidates: every item scored, or an index's proposals (see {@link RecommenderOptions.retrieval}). */
export type RetrievalMode = 'exact' | 'approximate';

/** Options with every default filled in; internals never see `undefined`. */
export interface ResolvedOptions {
  seed: number | string;
  halfLifeDays: number;
  pauseDays: number;
  tiredDays: number;
  holdBackDays: number;
  holdBackFacets: string[];
  implicitQuoteDelayMinutes: number;
  now: () => number;
  exploration: number;
  propensitySamples: number;
  propensityPatience: number;
  facetCaps: Map<string, number>;
  maxTagShare: number;
  mmrLambda: number;
  protectedAttributes: string[];
  poolSize: number;
  lifeStages: boolean;
  collaborative: CollaborativeOptions | false;
  itemNoun: ItemNoun;
  /** The mode asked for, or `'by-size'`: approximate from {@link APPROXIMATE_RETRIEVAL_FROM} items. */
  retrieval: RetrievalMode | 'by-size';
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

function bounded(name: string, value: unknown, max: number): number {
  const x = positive(name, value, false, true);
  if (x > max)
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: ${name} must be at most ${max}, got ${describeValue(value)}`,
    );
  return x;
}

function wholeInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: ${name} must be a whole number from ${min} to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function resolveCollaborative(value: unknown): CollaborativeOptions | false {
  if (value === false) return false;
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object')
    throw new AttuneError('INVALID_OPTIONS', 'createRecommender: collaborative must be an options object or false');
  refuseUnknown('collaborative.', value, ['weight', ...Object.keys(ALS_DEFAULTS)]);
  const { weight, ...als } = value as CollaborativeOptions;
  if (weight !== undefined && !(typeof weight === 'number' && weight >= 0 && weight <= MAX_COLLABORATIVE_WEIGHT)) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: collaborative.weight must be a number from 0 to ${MAX_COLLABORATIVE_WEIGHT}, got ${describeValue(weight)}`,
    );
  }
  try {
    resolveAlsOptions(als, 'createRecommender: collaborative');
  } catch (error) {
    throw new AttuneError('INVALID_OPTIONS', (error as Error).message);
  }
  return { ...(value as CollaborativeOptions) };
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: ${name} must be true or false, got ${describeValue(value)}`,
    );
  return value;
}

/** Every option `createRecommender` knows (a misspelt one is refused, not ignored). */
const KNOWN_OPTIONS: readonly string[] = [
  'items',
  'seed',
  'halfLifeDays',
  'pauseDays',
  'tiredDays',
  'holdBackDays',
  'holdBackFacets',
  'implicitQuoteDelayMinutes',
  'now',
  'exploration',
  'propensitySamples',
  'propensityPatience',
  'diversity',
  'protectedAttributes',
  'poolSize',
  'lifeStages',
  'collaborative',
  'itemNoun',
  'retrieval',
];

function refuseUnknown(what: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `createRecommender: ${what}${describeValue(key)} is not an option; the options are ${known.join(', ')}`,
      );
  }
}

function duration(name: string, value: unknown): number {
  const days = positive(name, value, true, true);
  if (days !== Infinity && days > MAX_DURATION_DAYS) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: ${name} must be at most ${MAX_DURATION_DAYS} days (or Infinity for ever), got ${describeValue(value)}`,
    );
  }
  return days;
}

/** Resolves options once, validating each; throws `INVALID_OPTIONS` with what to fix. */
export function resolveOptions(options: RecommenderOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: options must be an object, got ${describeValue(options)}`,
    );
  }
  refuseUnknown('', options, KNOWN_OPTIONS);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: seed must be a finite number or a string, got ${describeValue(seed)}`,
    );
  }
  const now = options.now ?? (() => Date.now());
  if (typeof now !== 'function')
    throw new AttuneError('INVALID_OPTIONS', 'createRecommender: now must be a function returning ms since epoch');
  const holdBackFacets = options.holdBackFacets ?? [...DEFAULT_HOLD_BACK_FACETS];
  if (!Array.isArray(holdBackFacets) || holdBackFacets.some((f) => typeof f !== 'string' || f === '')) {
    throw new AttuneError('INVALID_OPTIONS', 'createRecommender: holdBackFacets must be an array of non-empty strings');
  }
  const caps = new Map(Object.entries(DEFAULT_FACET_CAPS));
  const div = options.diversity ?? {};
  if (div === null || typeof div !== 'object')
    throw new AttuneError(
      'INVALID_OPTIONS',
      'createRecommender: diversity must be an object such as { maxTagShare: 0.7 }',
    );
  refuseUnknown('diversity.', div, ['facetCaps', 'maxTagShare', 'mmrLambda']);
  if (div.facetCaps !== undefined) {
    if (div.facetCaps === null || typeof div.facetCaps !== 'object') {
      throw new AttuneError(
        'INVALID_OPTIONS',
        'createRecommender: diversity.facetCaps must be an object such as { artist: 2 }',
      );
    }
    caps.clear();
    for (const [facet, cap] of Object.entries(div.facetCaps))
      caps.set(facet, wholeInRange(`diversity.facetCaps.${facet}`, cap, 1, 1000));
  }
  const maxTagShare = div.maxTagShare ?? DEFAULT_MAX_TAG_SHARE;
  if (typeof maxTagShare !== 'number' || !(maxTagShare > 0 && maxTagShare <= 1)) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: diversity.maxTagShare must be in (0, 1], got ${describeValue(maxTagShare)}`,
    );
  }
  const mmrLambda = div.mmrLambda ?? 1;
  if (typeof mmrLambda !== 'number' || !(mmrLambda > 0 && mmrLambda <= 1)) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: diversity.mmrLambda must be in (0, 1], got ${describeValue(mmrLambda)}`,
    );
  }
  let protectedAttributes = DEFAULT_PROTECTED_ATTRIBUTES.map(protectedName);
  const pa = options.protectedAttributes;
  if (pa !== undefined) {
    if (pa === null || typeof pa !== 'object') {
      throw new AttuneError(
        'INVALID_OPTIONS',
        'createRecommender: protectedAttributes must be { extend: [...] } or { replace: [...] }',
      );
    }
    for (const key of Object.keys(pa)) {
      if (key !== 'extend' && key !== 'replace')
        throw new AttuneError(
          'INVALID_OPTIONS',
          `createRecommender: protectedAttributes.${key} is not an option; use extend (or replace)`,
        );
    }
    const validList = (name: string, list: unknown): string[] => {
      if (!Array.isArray(list) || !everyIndex(list, (k) => typeof k === 'string' && protectedName(k) !== '')) {
        throw new AttuneError(
          'INVALID_OPTIONS',
          `createRecommender: protectedAttributes.${name} must be an array of names with letters, such as ["caste"]`,
        );
      }
      return list.map(protectedName);
    };
    if (pa.replace !== undefined) {
      // A list may grow, never lose a protected attribute: not by an option, not by a snapshot.
      const replaced = validList('replace', pa.replace);
      const missing = DEFAULT_PROTECTED_ATTRIBUTES.map(protectedName).filter((k) => !replaced.includes(k));
      if (missing.length > 0) {
        throw new AttuneError(
          'INVALID_OPTIONS',
          `createRecommender: protectedAttributes.replace must keep every built-in protected attribute (missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); to add names use { extend: [...] }`,
        );
      }
      protectedAttributes = replaced;
    }
    if (pa.extend !== undefined) protectedAttributes = [...protectedAttributes, ...validList('extend', pa.extend)];
  }
  return {
    seed,
    halfLifeDays: positive('halfLifeDays', options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS, true),
    pauseDays: positive('pauseDays', options.pauseDays ?? DEFAULT_PAUSE_DAYS, true),
    tiredDays: duration('tiredDays', options.tiredDays ?? DEFAULT_TIRED_DAYS),
    holdBackDays: duration('holdBackDays', options.holdBackDays ?? DEFAULT_HOLD_BACK_DAYS),
    holdBackFacets: [...holdBackFacets],
    implicitQuoteDelayMinutes: bounded(
      'implicitQuoteDelayMinutes',
      options.implicitQuoteDelayMinutes ?? DEFAULT_IMPLICIT_QUOTE_DELAY_MINUTES,
      MAX_DURATION_DAYS * 1440,
    ),
    now,
    exploration: bounded('exploration', options.exploration ?? DEFAULT_EXPLORATION, MAX_EXPLORATION),
    propensitySamples: wholeInRange(
      'propensitySamples',
      options.propensitySamples ?? DEFAULT_PROPENSITY_SAMPLES,
      1,
      10_000,
    ),
    propensityPatience: wholeInRange(
      'propensityPatience',
      options.propensityPatience ?? DEFAULT_PROPENSITY_PATIENCE,
      1,
      10_000,
    ),
    facetCaps: caps,
    maxTagShare,
    mmrLambda,
    protectedAttributes: [...new Set(protectedAttributes)],
    poolSize: wholeInRange('poolSize', options.poolSize ?? DEFAULT_POOL_SIZE, 1, 1_000_000),
    lifeStages: flag('lifeStages', options.lifeStages ?? true),
    collaborative: resolveCollaborative(options.collaborative),
    itemNoun: resolveItemNoun(options.itemNoun),
    retrieval: resolveRetrieval(options.retrieval),
  };
}

function resolveRetrieval(value: unknown): RetrievalMode | 'by-size' {
  if (value === undefined) return 'by-size';
  if (value === 'exact' || value === 'approximate') return value;
  throw new AttuneError(
    'INVALID_OPTIONS',
    `createRecommender: retrieval must be 'exact' or 'approximate' (or left out: approximate from ${APPROXIMATE_RETRIEVAL_FROM.toLocaleString('en')} items), got ${describeValue(value)}`,
  );
}

function resolveItemNoun(value: unknown): ItemNoun {
  if (value === undefined) return DEFAULT_ITEM_NOUN;
  const o = value as Record<string, unknown> | null;
  const word = (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= 40;
  if (o === null || typeof o !== 'object' || Object.keys(o).length !== 2 || !word(o['one']) || !word(o['many']))
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: itemNoun must be { one, many }, two words of up to 40 characters such as { one: 'movie', many: 'movies' }, got ${describeValue(value)}`,
    );
  return Object.freeze({ one: o['one'] as string, many: o['many'] as string });
}

/** A number that JSON can hold: `Infinity` is written as the string 'Infinity'. */
export type JsonNumber = number | 'Infinity';

/** The options as plain JSON: what a snapshot stores (everything but the catalog and the clock). */
export interface OptionsJson {
  seed: number | string;
  halfLifeDays: JsonNumber;
  /** Absent from snapshots of attune 0.2 (the default then applies). */
  pauseDays?: JsonNumber;
  tiredDays: JsonNumber;
  holdBackDays: JsonNumber;
  holdBackFacets: string[];
  implicitQuoteDelayMinutes: number;
  exploration: number;
  propensitySamples: number;
  /** Present only when not the default (absent from snapshots written before the option). */
  propensityPatience?: number;
  diversity: { facetCaps: Record<string, number>; maxTagShare: number; mmrLambda: number };
  protectedAttributes: { replace: string[] } | { extend: string[] };
  poolSize: number;
  lifeStages: boolean;
  collaborative: CollaborativeOptions | false;
  /** Present only when not the default (so snapshots of the default are as before). */
  itemNoun?: ItemNoun;
  /** Present only when the mode was chosen (snapshots written before the option had none). */
  retrieval?: RetrievalMode;
}

const toJsonNumber = (x: number): JsonNumber => (x === Infinity ? 'Infinity' : x);

/** The JSON form of resolved options; {@link optionsFromJSON} reads it back through {@link resolveOptions}. */
export function optionsToJSON(o: ResolvedOptions): OptionsJson {
  return {
    seed: o.seed,
    halfLifeDays: toJsonNumber(o.halfLifeDays),
    pauseDays: toJsonNumber(o.pauseDays),
    tiredDays: toJsonNumber(o.tiredDays),
    holdBackDays: toJsonNumber(o.holdBackDays),
    holdBackFacets: [...o.holdBackFacets],
    implicitQuoteDelayMinutes: o.implicitQuoteDelayMinutes,
    exploration: o.exploration,
    propensitySamples: o.propensitySamples,
    ...(o.propensityPatience === DEFAULT_PROPENSITY_PATIENCE ? {} : { propensityPatience: o.propensityPatience }),
    diversity: { facetCaps: Object.fromEntries(o.facetCaps), maxTagShare: o.maxTagShare, mmrLambda: o.mmrLambda },
    protectedAttributes: { replace: [...o.protectedAttributes] },
    poolSize: o.poolSize,
    lifeStages: o.lifeStages,
    collaborative: o.collaborative === false ? false : { ...o.collaborative },
    ...(o.itemNoun.one !== DEFAULT_ITEM_NOUN.one || o.itemNoun.many !== DEFAULT_ITEM_NOUN.many
      ? { itemNoun: { ...o.itemNoun } }
      : {}),
    ...(o.retrieval === 'by-size' ? {} : { retrieval: o.retrieval }),
  };
}

/** The options a snapshot holds: every option but the catalog and the clock (one list, KNOWN_OPTIONS). */
const OPTION_KEYS = KNOWN_OPTIONS.filter((k) => k !== 'items' && k !== 'now') as readonly (keyof OptionsJson)[];
/** Options a snapshot may leave out (it was written before they existed, or they were left at their default). */
const OPTIONAL_KEYS: readonly (keyof OptionsJson)[] = ['itemNoun', 'pauseDays', 'retrieval', 'propensityPatience'];

/**
 * Reads options written by {@link optionsToJSON}, validated exactly as
 * `createRecommender` validates them (unknown or missing keys refused).
 * Throws `INVALID_OPTIONS`; a restore reports it as `BAD_SNAPSHOT`.
 */
export function optionsFromJSON(raw: unknown, now: (() => number) | undefined): ResolvedOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new AttuneError('INVALID_OPTIONS', 'options must be an object');
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!(OPTION_KEYS as readonly string[]).includes(key))
      throw new AttuneError('INVALID_OPTIONS', `options.${key} is not an option attune knows`);
  for (const key of OPTION_KEYS)
    if (!(key in o) && !OPTIONAL_KEYS.includes(key))
      throw new AttuneError('INVALID_OPTIONS', `options.${key} is missing`);
  const fromJsonNumber = (v: unknown) => (v === 'Infinity' ? Infinity : v);
  return resolveOptions({
    ...(o as unknown as RecommenderOptions),
    halfLifeDays: fromJsonNumber(o['halfLifeDays']) as number,
    ...('pauseDays' in o ? { pauseDays: fromJsonNumber(o['pauseDays']) as number } : {}),
    tiredDays: fromJsonNumber(o['tiredDays']) as number,
    holdBackDays: fromJsonNumber(o['holdBackDays']) as number,
    ...(now !== undefined ? { now } : {}),
  });
}
