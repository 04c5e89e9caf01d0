/** Every default of attune lives here, so a reader finds them in one place. */

export const DEFAULT_SEED = 0;
export const DEFAULT_HALF_LIFE_DAYS = 90;
export const DEFAULT_TIRED_DAYS = 30;
export const DEFAULT_HOLD_BACK_DAYS = 14;
export const DEFAULT_HOLD_BACK_FACETS: readonly string[] = ['category'];
export const DEFAULT_IMPLICIT_QUOTE_DELAY_MINUTES = 180;
export const DEFAULT_COUNT = 10;
export const MAX_COUNT = 1000;
/** Most fresh draws of a list for its propensities (inverse binomial sampling, src/rank/ranker.ts). */
export const DEFAULT_PROPENSITY_SAMPLES = 10_000;
/** Scale of Thompson-sampling noise (a tempered posterior, Chapelle & Li 2011 §4); 0 turns exploration off. */
export const DEFAULT_EXPLORATION = 0.3;
/** Candidates kept for the sampled ranking: at least this many, or 4 × count. */
export const DEFAULT_POOL_SIZE = 200;
/** No single tag may fill more than this share of one list. */
export const DEFAULT_MAX_TAG_SHARE = 0.7;
/** Per-facet caps on items sharing one value (one artist at most twice). */
export const DEFAULT_FACET_CAPS: Readonly<Record<string, number>> = { artist: 2 };

/** Prior precision of a tag weight in the content model (prior N(0, 1/q0)). */
export const TAG_PRIOR_PRECISION = 2;
/** Prior precision of a tag × context weight: context effects need more evidence. */
export const CONTEXT_PRIOR_PRECISION = 12;

/**
 * Context keys that must never be used for targeting. Matched case- and
 * separator-insensitively anywhere in a key (`Gender`, `user_gender`).
 */
export const DEFAULT_PROTECTED_ATTRIBUTES: readonly string[] = [
  'gender',
  'sex',
  'race',
  'ethnicity',
  'ethnic',
  'religion',
  'religious',
  'sexualorientation',
  'orientation',
  'disability',
  'disabled',
  'age',
  'birthyear',
  'dateofbirth',
  'nationality',
  'pregnancy',
  'pregnant',
  'maritalstatus',
];

/** Life stages: false-alarm level δ of the per-user GLR detector (Besson et al. 2020). */
export const LIFE_STAGE_DETECTOR_DELTA = 0.001;
/** Life stages: how many recent surprises the detector looks back over. */
export const LIFE_STAGE_HISTORY = 200;
/** Life stages: labelled events before the detector starts listening (a new user is surprising by nature). */
export const LIFE_STAGE_WARMUP = 12;
/** Life stages: share of old evidence kept when a change is detected. */
export const LIFE_STAGE_KEEP = 0.2;
/** Life stages: how long exploration stays doubled after a change. */
export const LIFE_STAGE_BOOST_DAYS = 14;
