/**
 * attune — a Pandora-style feedback-loop recommender with an honest reason
 * for every recommendation. This file is the whole public surface.
 */
export { createRecommender, restoreRecommender, Recommender } from './recommender.js';
export type { ExplainedRecommendation, TrainOptions, TrainReport } from './recommender.js';
export type { BackgroundTrainOptions, TrainProgress } from './train/backgroundOptions.js';
export type { ImportFactorsOptions, ImportReport } from './train/importFactors.js';
export type { ItemFactorSource } from './models/mf/import/itemFactors.js';
export { AttuneError } from './errors.js';
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
export { GlrChangeDetector, PageHinkleyDetector, changeDetectorFromJSON } from './decay/changeDetection.js';
export type { ChangeDetector, ChangeDetectorSnapshot, GlrOptions, PageHinkleyOptions } from './decay/changeDetection.js';
export type { AttuneErrorCode } from './errors.js';
export type { RecommenderOptions } from './options.js';
export type { Profile, TagAffinity, DatedItem } from './profile/describe.js';
export type { Contributions } from './rank/ranker.js';
export type { Snapshot } from './persist/snapshot.js';
export type {
  Context,
  Evidence,
  FeedbackEvent,
  Item,
  Preferences,
  Reason,
  ReasonKind,
  RecommendOptions,
  Recommendation,
  Signal,
} from './types.js';
