/**
 * `attune/bandit`: the bandit policies on their own — for a page that picks
 * a headline, a banner or an explanation style and needs nothing of the
 * recommender. The same exports as in `attune`, from a smaller entry.
 */
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
export { AttuneError } from './errors.js';
export type { AttuneErrorCode } from './errors.js';
export { GlrChangeDetector, PageHinkleyDetector, changeDetectorFromJSON } from './decay/changeDetection.js';
export type { ChangeDetector, ChangeDetectorSnapshot, GlrOptions, PageHinkleyOptions } from './decay/changeDetection.js';
