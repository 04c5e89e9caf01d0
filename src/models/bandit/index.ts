/**
 * Bandit policies as plain data: Thompson sampling (Thompson 1933; Agrawal & Goyal 2012),
 * UCB1 (Auer et al. 2002), ε-greedy, softmax, LinUCB (Li et al. 2010) and linear Thompson
 * sampling (Agrawal & Goyal 2013), each optionally discounted (Garivier & Moulines 2011;
 * Russac et al. 2019), windowed (Garivier & Moulines 2011) or change-detecting (Besson et al. 2020).
 */
import { BanditPolicy, freshArm } from './bandit.js';
import { resolveBanditOptions } from './options.js';
import type { Bandit, BanditOptions } from './types.js';

/**
 * Makes a bandit from plain-data options, e.g. `createBandit({ kind: 'thompson', arms: ['a', 'b'], seed: 1 })`.
 * @throws AttuneError `INVALID_OPTIONS` or `DUPLICATE_ARM` saying which option to fix.
 */
export function createBandit(options: BanditOptions): Bandit {
  const { resolved, arms } = resolveBanditOptions(options);
  return new BanditPolicy(resolved, {
    random: { block: 0, used: 0, spare: null },
    selects: 0,
    steps: 0,
    clock: null,
    lastAt: null,
    detections: 0,
    arms: arms.map((id) => freshArm(id, resolved, 0)),
    window: [],
  });
}

export { restoreBandit } from './snapshot.js';
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
} from './types.js';
