/**
 * `attune/bandit`: the bandit policies on their own — for a page that picks
 * a headline, a banner or an explanation style and needs nothing of the
 * recommender. The bandit exports of `attune` and the option and snapshot
 * type of each policy, from an entry that leaves the recommender out.
 *
 * @module attune/bandit
 */
export { createBandit, restoreBandit } from './models/bandit/index.js';
export type {
  AddArmOptions,
  ArmExpectation,
  ArmSnapshot,
  Bandit,
  BanditChangeDetectionOptions,
  BanditChoice,
  BanditCommonOptions,
  BanditContext,
  BanditKind,
  BanditOptions,
  BanditSnapshot,
  BetaPrior,
  DetectorSnapshot,
  EpsilonGreedyOptions,
  LinearCommonOptions,
  LinearThompsonOptions,
  LinUcbOptions,
  RankedArm,
  SelectOptions,
  SoftmaxOptions,
  ThompsonOptions,
  Ucb1Options,
  WindowEntrySnapshot,
} from './models/bandit/index.js';
export { AttuneError } from './errors.js';
export type { AttuneErrorCode } from './errors.js';
export { GlrChangeDetector, PageHinkleyDetector, changeDetectorFromJSON } from './decay/changeDetection.js';
export type {
  ChangeDetector,
  ChangeDetectorSnapshot,
  GlrOptions,
  PageHinkleyOptions,
} from './decay/changeDetection.js';
