/**
 * The one contract of a recommender: every public method, documented once.
 * The in-memory recommender (`createRecommender`) implements
 * {@link RecommenderApi}; the store-backed one (`connectRecommender` from
 * `attune/redis`) implements `Promised<RecommenderApi>` — the same methods
 * with the same arguments and errors, returning promises — so that the two
 * cannot drift: a method missing from either, or with other arguments, is a
 * compile error.
 */
import type { BackgroundTrainOptions } from './train/backgroundOptions.js';
import type { ImportFactorsOptions, ImportReport } from './train/importFactors.js';
import type { TrainOptions, TrainReport } from './train/train.js';
import type { ItemFactorSource } from './models/mf/import/itemFactors.js';
import type { ResolvedOptions } from './options.js';
import type { Snapshot } from './persist/snapshot.js';
import type { Profile } from './profile/describe.js';
import type {
  Context,
  ExplainedRecommendation,
  FeedbackEvent,
  Item,
  Preferences,
  Reason,
  RecommendOptions,
  Station,
  StationOptions,
  StationSeed,
} from './types.js';

/** Options of `explain`. */
export interface ExplainOptions {
  /** The time of the request (ms since epoch). @default now() */
  at?: number;
  context?: Context;
  /** Explain the item as it would be on this station of the user's. */
  station?: string;
}

export interface RecommenderApi {
  /** The resolved options (read-only view). */
  readonly options: Readonly<ResolvedOptions>;
  /** Number of items in the catalog. */
  readonly itemCount: number;

  /**
   * Learns from one event or a batch. A batch is all-or-nothing: every event
   * is validated before any is applied (`INVALID_EVENT`, `UNKNOWN_ITEM`,
   * `UNKNOWN_STATION`, `PROTECTED_ATTRIBUTE`). Feedback from an opted-out
   * user is neither learned nor stored. On a station (`station`), the event
   * teaches that station and the person; a `down` there bans the item on that
   * station only.
   */
  feedback(events: FeedbackEvent | readonly FeedbackEvent[]): void;

  /**
   * Recommends up to `count` items, each with a score and its named
   * contributions, an honest reason, an exploration flag and a propensity.
   * `user` undefined is a guest: a non-personalised list that teaches
   * nothing. With `station`, the list is that station's. Reading never
   * creates state: a person with no record is served as a newcomer.
   */
  recommend(user: string | undefined, options?: RecommendOptions): ExplainedRecommendation[];

  /**
   * The reason `item` would be recommended to `user` now (no exploration),
   * built by the same code as `recommend`'s; an item turned down or resting
   * is said to be so. With `station`, as on that station.
   */
  explain(user: string | undefined, item: string, options?: ExplainOptions): Reason;

  /** What attune knows about `user`, in words a person can read (tag affinities, thumbs, bans, rests, consent, stations, changes). */
  profile(user: string): Profile;

  /** Opt out or in, set consent per sensitive category, mute tags, or start a new life stage (`reset`, `keepBans`). */
  setPreferences(user: string, preferences: Preferences): void;

  /** Undoes every signal `user` gave on `item`, on every station too: the models forget it. Returns whether anything was removed. */
  removeFeedback(user: string, item: string): boolean;

  /** Erases `user` completely: their record, their stations and their part of shared statistics. Returns whether the user was known. */
  forget(user: string): boolean;

  /**
   * Creates a station for `user` (Pandora): seeded from items and tags, it
   * plays the music of its seeds, learns from the feedback given on it
   * (`feedback({ …, station })`) and shares what attune knows of the person.
   * Refuses a duplicate id (`DUPLICATE_STATION`), an unknown item
   * (`UNKNOWN_ITEM`), a tag no item has (`UNKNOWN_TAG`), a sensitive item
   * seed without consent and an opted-out user (`INVALID_ARGUMENT`).
   */
  createStation(user: string, options: StationOptions): Station;

  /** "Add variety": widens a station with more seeds (seeds it already has are ignored). Returns the station. */
  addStationSeeds(user: string, station: string, seeds: StationSeed[]): Station;

  /** The user's stations in creation order, with their seeds (an unknown user has none). */
  stations(user: string): Station[];

  /**
   * Removes a station and the feedback given on it: its records and bans,
   * and their part of the person's taste and of shared statistics.
   * An unknown station is `UNKNOWN_STATION`.
   */
  removeStation(user: string, station: string): void;

  /** Adds items to the catalog; a duplicate id is refused (`INVALID_ITEM`) and nothing is added. */
  addItems(items: Item[]): void;

  /**
   * Batch (re)fit on all evidence: popularity is recomputed from every
   * person's records (an erased person's part is gone to the last bit), and
   * the collaborative model (implicit ALS) is fitted anew. `onProgress` is
   * called after each sweep. After `importItemFactors` the imported factors
   * are kept unless `replaceImportedFactors` is true.
   */
  train(options?: TrainOptions): TrainReport;

  /**
   * `train` without blocking the event loop: the same model, bit for bit, as
   * `train()` on the same evidence. In Node the sweeps run on worker threads
   * (every core by default); in browsers, or with `threads: 1`, on this
   * thread in slices of a few milliseconds. The new model replaces the old
   * one only when the promise resolves. If feedback is undone or a person
   * erased while it runs, the fit is redone, so nobody erased leaves a trace.
   * Rejects with `ABORTED` when `signal` fires (nothing changes) and
   * `TRAINING_IN_PROGRESS` when another background training is running;
   * `train()` refuses to run meanwhile.
   */
  trainInBackground(options?: BackgroundTrainOptions): Promise<TrainReport>;

  /**
   * Loads item factors trained elsewhere — Spark MLlib ALS (`model.itemFactors`
   * as JSON lines) or the Python `implicit` library (`numpy.save` of
   * `model.item_factors` plus the item ids) — as the collaborative model.
   * Every person is then folded in against them from their own evidence.
   * Catalog items the source lacks get no collaborative score. Throws
   * `BAD_FACTORS` (malformed, wrong shape, non-finite), `UNKNOWN_ITEM` or
   * `INVALID_OPTIONS`.
   */
  importItemFactors(source: ItemFactorSource, options?: ImportFactorsOptions): ImportReport;

  /** Plain JSON of everything learned — state, not history; a pure function of it (restore with `restoreRecommender`). */
  snapshot(): Snapshot;
}

/**
 * The asynchronous twin of an API: every method with the same arguments,
 * returning a promise of what the original returns; other members as they are.
 */
export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};
