/**
 * Bandit policies as plain data: Thompson sampling (Thompson 1933; Agrawal & Goyal 2012),
 * UCB1 (Auer et al. 2002), ε-greedy, softmax, LinUCB (Li et al. 2010) and linear Thompson
 * sampling (Agrawal & Goyal 2013), each optionally discounted (Garivier & Moulines 2011;
 * Russac et al. 2019), windowed (Garivier & Moulines 2011) or change-detecting (Besson et al. 2020).
 * One policy a file over a shared core (`core.ts`), reached from one switch (`policies.ts`).
 */
import { BanditCore } from './core.js';
import { resolveBandit, type BanditOptions } from './policies.js';
import type { Bandit } from './types.js';

/**
 * Makes a bandit from plain-data options, e.g. `createBandit({ kind: 'thompson', arms: ['a', 'b'], seed: 1 })`.
 * @throws AttuneError `INVALID_OPTIONS` or `DUPLICATE_ARM` saying which option to fix.
 */
export function createBandit(options: BanditOptions): Bandit {
  const { resolved, arms } = resolveBandit(options);
  return BanditCore.create(resolved, arms);
}

export { restoreBandit } from './snapshot.js';
export type { BanditKind, BanditOptions } from './policies.js';
export type { EpsilonGreedyOptions } from './epsilonGreedy.js';
export type { LinearThompsonOptions } from './linearThompson.js';
export type { LinUcbOptions } from './linUcb.js';
export type { SoftmaxOptions } from './softmax.js';
export type { ThompsonOptions } from './thompson.js';
export type { Ucb1Options } from './ucb1.js';
export type {
  AddArmOptions,
  ArmExpectation,
  ArmSnapshot,
  Bandit,
  BanditChangeDetectionOptions,
  BanditChoice,
  BanditCommonOptions,
  BanditContext,
  BanditSnapshot,
  BetaPrior,
  DetectorSnapshot,
  LinearCommonOptions,
  RankedArm,
  SelectOptions,
  WindowEntrySnapshot,
} from './types.js';
