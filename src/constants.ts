/** Every default of attune lives here, so a reader finds them in one place. */

export const DEFAULT_SEED = 0;
export const DEFAULT_HALF_LIFE_DAYS = 90;
/**
 * Absence is not forgetting: a pause between two of a person's events (or
 * between their latest event and a read) counts at most this many days of
 * their own time (see Decay.personTime; the `pauseDays` option). Someone who
 * listens weekly ages with the calendar; a year away ages their evidence
 * like a week (95 % of its weight kept with the default half-life). Chosen
 * on tuning splits (benchmarks/decay/tunePause.ts).
 */
export const DEFAULT_PAUSE_DAYS = 7;
export const DEFAULT_TIRED_DAYS = 30;
export const DEFAULT_HOLD_BACK_DAYS = 14;
export const DEFAULT_HOLD_BACK_FACETS: readonly string[] = ['category'];
export const DEFAULT_IMPLICIT_QUOTE_DELAY_MINUTES = 180;
export const DEFAULT_COUNT = 10;
export const MAX_COUNT = 1000;
/** What reasons call the items when they count them ("3 songs you liked"). */
export const DEFAULT_ITEM_NOUN = Object.freeze({ one: 'song', many: 'songs' });
/** Most fresh draws of a list for its propensities (inverse binomial sampling, src/rank/ranker.ts). */
export const DEFAULT_PROPENSITY_SAMPLES = 10_000;
/**
 * Propensity draws after which a shown item seen at least once stops (src/rank/propensities.ts):
 * unbiased either way; it bounds the slow tail of a read (measured in benchmarks/README.md).
 */
export const DEFAULT_PROPENSITY_PATIENCE = 128;
/** Scale of Thompson-sampling noise (a tempered posterior, Chapelle & Li 2011 §4); 0 turns exploration off. */
export const DEFAULT_EXPLORATION = 0.3;
/** Candidates kept for the sampled ranking: at least this many, or 4 × count. */
export const DEFAULT_POOL_SIZE = 200;
/**
 * Catalogs of at least this many items are served by approximate retrieval
 * unless `retrieval: 'exact'` is asked for (src/rank/retrieval/; where it
 * pays and what it recalls: benchmarks/README.md, `npm run bench:recommend`).
 */
export const APPROXIMATE_RETRIEVAL_FROM = 50_000;
/** No single tag may fill more than this share of one list. */
export const DEFAULT_MAX_TAG_SHARE = 0.7;
/** Per-facet caps on items sharing one value (one artist at most twice). */
export const DEFAULT_FACET_CAPS: Readonly<Record<string, number>> = { artist: 2 };

/** Prior precision of a tag weight in the content model (prior N(0, 1/q0)). */
export const TAG_PRIOR_PRECISION = 2;
/**
 * How much one item can teach the taste: a record's importance x counts as
 * x / (1 + x / S), so one thumb (3) counts 2, two thumbs 3, and no amount of
 * replays more than S. A favourite played 10,000 times is one favourite.
 */
export const EVIDENCE_SATURATION = 6;
/** Score points of a tag liked every time (the content model's scale). */
export const TASTE_SCALE = 1;
/** Pseudo-importance that shrinks a tag's net like-rate towards 0: one thumb (counted 2) gives a third of the scale. */
export const TAG_PSEUDO_COUNT = 4;
/** Pseudo-importance with which an in-context rate is shrunk towards the tag's overall rate. */
export const CONTEXT_PSEUDO_COUNT = 12;
/** Prior precision of a tag × context weight: context effects need more evidence. */
export const CONTEXT_PRIOR_PRECISION = 12;

/**
 * Context keys that must never be used for targeting. Matched as whole words
 * of a key, in any spelling (`Gender`, `user_gender`, `yearOfBirth`, `DOB`,
 * `gendér`, full-width or Cyrillic look-alike letters) and in the plural
 * (`genders`, `races`): see feedback/protected, which also knows the few
 * names with another sense (`ageRating`, `raceDay`, `screen_orientation`).
 */
export const DEFAULT_PROTECTED_ATTRIBUTES: readonly string[] = [
  'gender',
  'sex',
  'race',
  'racial',
  'ethnicity',
  'ethnic',
  'ethnic origin',
  'national origin',
  'nationality',
  'citizenship',
  'religion',
  'religious',
  'sexual orientation',
  'orientation',
  'sexuality',
  'sexual preference',
  'disability',
  'disabled',
  'handicap',
  'age',
  'age group',
  'birth year',
  'year of birth',
  'yob',
  'born',
  'date of birth',
  'birth date',
  'birthdate',
  'birthday',
  'dob',
  'pregnancy',
  'pregnant',
  'marital',
  'marital status',
  'skin color',
  'skin colour',
  'skin tone',
  'caste',
  'political opinion',
  'political affiliation',
  'political party',
  'political view',
  'political leaning',
  'politics',
  'party affiliation',
  'trade union',
];

/**
 * Words that can only name a protected group, refused as context values
 * (`{ segment: 'female' }`) and as keys (a flag `{ female: true }`); matched as
 * whole words, singular or plural. Colours (`black`, `white`) are left out:
 * as values they are mostly colours.
 */
export const DEFAULT_PROTECTED_VALUES: readonly string[] = [
  // gender and sexuality
  'female',
  'male',
  'woman',
  'women',
  'man',
  'men',
  'transgender',
  'cisgender',
  'nonbinary',
  'non binary',
  'genderqueer',
  'intersex',
  'gay',
  'lesbian',
  'bisexual',
  'heterosexual',
  'homosexual',
  'asexual',
  'pansexual',
  'queer',
  'lgbt',
  'lgbtq',
  'lgbtqia',
  // religion
  'muslim',
  'jewish',
  'jew',
  'christian',
  'catholic',
  'protestant',
  'mormon',
  'hindu',
  'buddhist',
  'sikh',
  'atheist',
  'agnostic',
  // race and ethnicity
  'hispanic',
  'latino',
  'latina',
  'latinx',
  'asian',
  'african american',
  'native american',
  'pacific islander',
  'arab',
  'aboriginal',
  'caucasian',
  // age, disability, pregnancy
  'elderly',
  'millennial',
  'boomer',
  'handicapped',
  'pregnant',
];

/** Life stages: false-alarm level δ of the per-person session GLR detector (Besson et al. 2020). */
export const LIFE_STAGE_DETECTOR_DELTA = 0.001;
/** Life stages: how many recent sessions the detector looks back over. */
export const LIFE_STAGE_HISTORY = 120;
/** Life stages: labelled events further apart than this start a new session. */
export const LIFE_STAGE_SESSION_GAP_MINUTES = 30;
/** Life stages: labelled events before the detector starts listening (a new user is surprising by nature). */
export const LIFE_STAGE_WARMUP = 12;
/** Life stages: a change must make at least this share of reactions surprising. */
export const LIFE_STAGE_MIN_SURPRISE = 0.4;
/**
 * Life stages: how much the taste's prediction of an item weighs against what the person
 * did with that very item before, when judging whether a reaction is surprising (in
 * importance units: one skip or play is 0.5). A song skipped last week and skipped again
 * says nothing new about the person, however well its tags match their taste.
 */
export const LIFE_STAGE_ITEM_PRIOR = 1;
/** Life stages: share of old evidence kept when a change is detected (at most; see LIFE_STAGE_KEPT_EVIDENCE). */
export const LIFE_STAGE_KEEP = 0.05;
/** Life stages: after a detected change no tag keeps more than this importance of old evidence (two plays). */
export const LIFE_STAGE_KEPT_EVIDENCE = 1;
/** Life stages: how long exploration stays doubled after a change. */
export const LIFE_STAGE_BOOST_DAYS = 14;
/** Life stages: exploration is multiplied by this for LIFE_STAGE_BOOST_DAYS after a change. */
export const LIFE_STAGE_BOOST = 2;

/**
 * Times attune accepts, in ms since epoch: from March 1973 (anything earlier
 * is almost surely seconds, not ms) to the year 100,000 (far inside what a
 * JavaScript Date can show, with room for the longest rest or hold-back).
 */
export const MIN_TIME_MS = 1e11;
export const MAX_TIME_MS = 3e15;
/** The largest `weight` of one event (e.g. a raw play count); larger is refused. */
export const MAX_WEIGHT = 1e6;
/** The longest finite `tiredDays` / `holdBackDays` (a century); `Infinity` means for ever. */
export const MAX_DURATION_DAYS = 36_500;
/** The largest `exploration` scale. */
export const MAX_EXPLORATION = 10;

/**
 * Stations: the evidence a seed stands for where evidence weighs a part of
 * the score (popularity fades, the collaborative part counts, as with four
 * thumbs): a seed says what the station is for.
 */
export const SEED_IMPORTANCE = 8;
/**
 * Stations: score points a seed puts on its most telling tag (the others by
 * their share of what the seed says, see people/stations). Twice a tag the
 * person likes every time (TASTE_SCALE), so that the seeds lead a station's
 * list and its thumbs, and the person's taste, refine it.
 */
export const SEED_POINTS = 2;
/**
 * Stations: a tag that carries at least this share of what a seed says
 * (its genre, its artist; not a mood a quarter of the catalog shares)
 * defines the station: its items are near the seeds, and no share cap
 * holds it back.
 */
export const DEFINING_SHARE = 0.5;
/** Stations: weight of the station's own taste in its scores. */
export const STATION_TASTE_WEIGHT = 1;
/**
 * Stations: weight of the person's overall taste on a new station, a prior
 * that fades as the station earns evidence e of its own: this / (1 + e/5).
 */
export const STATION_PRIOR_WEIGHT = 0.5;
/**
 * Stations: share of every station list (rounded up, so always a majority)
 * near the seeds, whenever enough such items may be shown within the caps.
 */
export const STATION_SEED_SHARE = 0.6;
/**
 * Stations: the most of a station list (rounded down, at least one) that
 * may be exploration — picks the posterior means alone would not make —
 * and those only near the seeds.
 */
export const STATION_EXPLORE_SHARE = 0.3;
/**
 * Stations: the share of what was liked on a station that reaches the
 * person's overall taste (the rest stays on the station). What was turned
 * down or skipped on a station stays there whole: a down there says "not
 * here", not "never" (popularity leaves it out too, see people/spill);
 * the collaborative model counts every event whole.
 */
export const STATION_SPILL = 0.2;

/**
 * Stations: the most one person may have. Pandora's own limit for a
 * listener is 100; a person's record (and `profile`) grows with each.
 * More is refused with `LIMIT_EXCEEDED`.
 */
export const MAX_STATIONS_PER_PERSON = 100;
/**
 * Stations: the most seeds one station may hold. Every request on a station
 * reads its seed prior (O(seeds × tags of a seed)) and its reasons and
 * profile name the seeds; a hundred seeds is a station of a whole genre. More
 * is refused with `LIMIT_EXCEEDED`.
 */
export const MAX_SEEDS_PER_STATION = 100;
/** Stations: the longest name, in UTF-16 code units (a name is quoted in reasons). Longer is `LIMIT_EXCEEDED`. */
export const MAX_STATION_NAME_LENGTH = 200;
