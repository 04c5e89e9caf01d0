/**
 * The in-memory front: implements {@link RecommenderApi} by wiring each
 * call to one use case (serve/, train/, persist/) over the recommender's
 * {@link World}. It holds no algorithm; the methods are documented once, in
 * api.ts.
 */
import type { ExplainOptions, RecommenderApi } from './api.js';
import { Catalog } from './catalog/catalog.js';
import { AttuneError, describeValue } from './errors.js';
import type { ItemFactorSource } from './models/mf/import/itemFactors.js';
import { resolveOptions, type RecommenderOptions, type ResolvedOptions } from './options.js';
import { snapshotChunks } from './persist/chunks.js';
import { snapshotOf, worldFromSnapshot } from './persist/restore.js';
import type { Snapshot } from './persist/snapshot.js';
import type { Profile } from './profile/describe.js';
import { forget, removeFeedback, setPreferences } from './serve/control.js';
import { feedback } from './serve/feedback.js';
import { profile } from './serve/profile.js';
import { explain, recommend } from './serve/recommend.js';
import { addStationSeeds, createStation, removeStation, stations } from './serve/stations.js';
import type { BackgroundTrainOptions } from './train/backgroundOptions.js';
import type { ImportFactorsOptions, ImportReport } from './train/importFactors.js';
import { importItemFactors, train, trainInBackground, type TrainOptions, type TrainReport } from './train/train.js';
import type {
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
import { World } from './world.js';

export type { TrainOptions, TrainReport } from './train/train.js';
export type { ExplainedRecommendation } from './types.js';

/** A recommender whose state lives in this process (see {@link RecommenderApi} for every method). */
export class Recommender implements RecommenderApi {
  /** @internal use {@link createRecommender} or {@link restoreRecommender} */
  constructor(private readonly world: World) {}

  get options(): Readonly<ResolvedOptions> {
    return this.world.options;
  }

  get itemCount(): number {
    return this.world.catalog.size;
  }

  feedback(events: FeedbackEvent | readonly FeedbackEvent[]): void {
    feedback(this.world, events);
  }

  recommend(user: string | undefined, options: RecommendOptions = {}): ExplainedRecommendation[] {
    return recommend(this.world, user, options);
  }

  explain(user: string | undefined, item: string, options: ExplainOptions = {}): Reason {
    return explain(this.world, user, item, options);
  }

  profile(user: string): Profile {
    return profile(this.world, user);
  }

  setPreferences(user: string, preferences: Preferences): void {
    setPreferences(this.world, user, preferences);
  }

  removeFeedback(user: string, item: string): boolean {
    return removeFeedback(this.world, user, item);
  }

  forget(user: string): boolean {
    return forget(this.world, user);
  }

  createStation(user: string, options: StationOptions): Station {
    return createStation(this.world, user, options);
  }

  addStationSeeds(user: string, station: string, seeds: StationSeed[]): Station {
    return addStationSeeds(this.world, user, station, seeds);
  }

  stations(user: string): Station[] {
    return stations(this.world, user);
  }

  removeStation(user: string, station: string): void {
    removeStation(this.world, user, station);
  }

  addItems(items: Item[]): void {
    this.world.addItems(Catalog.validate('addItems', items, this.world.catalog));
  }

  train(options: TrainOptions = {}): TrainReport {
    return train(this.world, options);
  }

  trainInBackground(options: BackgroundTrainOptions = {}): Promise<TrainReport> {
    return trainInBackground(this.world, options);
  }

  importItemFactors(source: ItemFactorSource, options: ImportFactorsOptions = {}): ImportReport {
    return importItemFactors(this.world, source, options);
  }

  snapshot(): Snapshot {
    return snapshotOf(this.world);
  }

  /**
   * The snapshot as JSON text in chunks, for saving while serving: their
   * concatenation is `JSON.stringify(rec.snapshot())` of the state when the
   * first chunk is asked for (feedback arriving meanwhile goes into the next
   * save), and the event loop gets a turn between chunks, each a few
   * milliseconds of work. `restoreRecommenderFrom` reads them back.
   */
  snapshotChunks(): AsyncIterable<string> {
    return snapshotChunks(this.world);
  }
}

/** Creates a recommender over a catalog; every option is described on {@link RecommenderOptions}. */
export function createRecommender(options: RecommenderOptions = {}): Recommender {
  if (options === null || typeof options !== 'object')
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: options must be an object, got ${describeValue(options)}`,
    );
  const resolved = resolveOptions(options);
  return new Recommender(new World(resolved, Catalog.validate('createRecommender', options.items ?? [])));
}

/**
 * Restores a recommender from a snapshot (after a JSON round trip).
 * Validates everything and refuses a corrupt or unknown-version snapshot
 * with `BAD_SNAPSHOT`; `now` replaces the clock (a function is not JSON).
 */
export function restoreRecommender(snapshot: unknown, options: { now?: () => number } = {}): Recommender {
  return new Recommender(worldFromSnapshot(snapshot, options));
}
