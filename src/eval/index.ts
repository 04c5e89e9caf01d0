/**
 * `attune/eval` — evaluation tools for recommenders: ranking metrics,
 * train/test splits, exposure logs, off-policy estimators, experiment
 * assignment, and a seeded simulated listener with a music-like catalog.
 * This file is the whole public surface of the entry point.
 *
 * @module attune/eval
 */
export {
  averagePrecisionAtK,
  catalogCoverage,
  evaluateRankings,
  hitRateAtK,
  intraListDiversity,
  itemPopularity,
  listNovelty,
  mapAtK,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  tagIndex,
} from './metrics.js';
export type { EvaluateRankingsOptions, NoveltyOptions, RankingCase, RankingSummary, TagIndex } from './metrics.js';

export { leaveLastOut, randomSplit, temporalSplit } from './splits.js';
export type { LeaveLastOutOptions, RandomSplitOptions, Split, SplitRecord, TemporalSplitOptions } from './splits.js';

export {
  DEFAULT_NO_FEEDBACK_REWARD,
  DEFAULT_SIGNAL_REWARDS,
  logExposures,
  signalReward,
  toLogRecord,
} from './logging.js';
export type { Exposure, ExposureLogRecord, RewardOptions, ShownItem, SignalRewards } from './logging.js';

export { doublyRobust, ips, normalQuantile, replay, snips } from './offpolicy.js';
export type {
  CandidateProbability,
  DoublyRobustOptions,
  LoggedReward,
  OffPolicyEstimate,
  OffPolicyOptions,
  ReplayOptions,
} from './offpolicy.js';

export { assign, compareVariants } from './experiments.js';
export type {
  CompareVariantsOptions,
  VariantComparison,
  VariantDifference,
  VariantObservation,
  VariantSummary,
  VariantWeights,
} from './experiments.js';

export { createListener, shareAccount, tasteMatch } from './listener.js';
export type { Listener, ListenerOptions, SharedAccountOptions, Taste, TasteChange } from './listener.js';

export { BUILT_IN_GENRES, generateCatalog } from './catalogGenerator.js';
export type { GenerateCatalogOptions, GenreStyle } from './catalogGenerator.js';
export type { Rng } from '../random/rng.js';

export { sessionTime, simulateListening } from './simulateListening.js';
export type {
  Adaptation,
  ListeningRecommender,
  ListeningReport,
  SimulateListeningOptions,
} from './simulateListening.js';

export { banditPolicy, simulate, uniformPolicy } from './harness.js';
export type { Policy, SeedResult, SimulateOptions, SimulationReport, World } from './harness.js';

export { bernoulliWorld, linearWorld, piecewiseBernoulliWorld } from './worlds.js';
export type { LinearWorldOptions } from './worlds.js';
/** The one error class of attune (the same class `attune` exports). */
export { AttuneError } from '../errors.js';
export type { AttuneErrorCode } from '../errors.js';
