/**
 * attune — a Pandora-style feedback-loop recommender with an honest reason
 * for every recommendation. This file is the whole public surface of the
 * main entry point:
 *
 * - {@link createRecommender} / {@link restoreRecommender}: learn from
 *   thumbs, plays and skips; {@link Recommender.recommend} answers with the
 *   items and a {@link Reason} for each;
 * - {@link createBandit} / {@link restoreBandit}: the bandit policies on their
 *   own (also from `attune/bandit`, which leaves the recommender out);
 * - {@link AttuneError}: every refusal, with a stable `code`.
 *
 * - {@link Recommender.snapshotChunks} / {@link restoreRecommenderFrom}:
 *   persistence that never holds the event loop for long;
 * - {@link SIGNALS}, {@link feedbackEventSchema}, {@link recommendOptionsSchema},
 *   {@link httpStatusOf}: what an HTTP edge in front of attune needs.
 *
 * Evaluation tools (metrics, splits, off-policy estimators, simulators) are
 * in `attune/eval`; the recommender over Redis in `attune/redis`. The README
 * (in the package) says how it works and what every option does.
 *
 * @module attune
 */
export { createRecommender, restoreRecommender, Recommender } from './recommender.js';
export { restoreRecommenderFrom } from './persist/restoreFrom.js';
export type { SnapshotText } from './persist/restoreFrom.js';
export type { ExplainedRecommendation, TrainOptions, TrainReport } from './recommender.js';
export type { ExplainOptions, Promised, RecommenderApi } from './api.js';
export { RemoteRecommender } from './remote/front.js';
export type { RemoteOptions } from './remote/front.js';
export type { PersonWrite, ReadState, RemoteStore, StoredPerson } from './remote/store.js';
export type { PopularityOp } from './remote/sharedPopularity.js';
export type { BackgroundTrainOptions, TrainProgress } from './train/backgroundOptions.js';
export type { ImportFactorsOptions, ImportReport } from './train/importFactors.js';
export type { ItemFactorSource } from './models/mf/import/itemFactors.js';
export { AttuneError } from './errors.js';
export {
  SIGNALS,
  contextSchema,
  feedbackEventSchema,
  recommendOptionsSchema,
  HTTP_STATUS,
  httpStatusOf,
} from './schemas.js';
export { createBandit, restoreBandit } from './models/bandit/index.js';
export type {
  AddArmOptions,
  ArmExpectation,
  Bandit,
  BanditChangeDetectionOptions,
  BanditChoice,
  BanditCommonOptions,
  BanditContext,
  BanditKind,
  BanditOptions,
  BanditSnapshot,
  BetaPrior,
  LinearCommonOptions,
  RankedArm,
  SelectOptions,
} from './models/bandit/index.js';
export {
  GlrChangeDetector,
  PageHinkleyDetector,
  SessionGlrDetector,
  changeDetectorFromJSON,
} from './decay/changeDetection.js';
export type {
  ChangeDetector,
  ChangeDetectorSnapshot,
  GlrOptions,
  PageHinkleyOptions,
  SessionGlrOptions,
  SessionGlrSnapshot,
} from './decay/changeDetection.js';
export type { AttuneErrorCode } from './errors.js';
export type { ItemNoun, RecommenderOptions, RetrievalMode } from './options.js';
export type { Profile, StationProfile, TagAffinity, DatedItem } from './profile/describe.js';
export type { Snapshot } from './persist/snapshot.js';
export type { PersonJson, StationJson } from './people/json.js';
export type { EvidenceColumns, EvidenceColumnsBase } from './people/evidenceTable.js';
export type { LearningSignal } from './feedback/signals.js';
export type { TasteJson, TagStatColumns } from './models/content/taste.js';
export type { OptionsJson, JsonNumber } from './options.js';
export type { PopularityJson } from './models/popularity/popularity.js';
export type { LifeStageWatchJson } from './decay/lifeStages.js';
export type { ConfidenceScaling } from './models/mf/options.js';
export type {
  Context,
  Contributions,
  Evidence,
  FeedbackEvent,
  Item,
  Preferences,
  Reason,
  ReasonKind,
  ReasonPart,
  RecommendOptions,
  Recommendation,
  Signal,
  Station,
  StationOptions,
  StationSeed,
} from './types.js';
