/**
 * The bandit policies as plain data: the contract every policy file implements, the union of
 * their options (a tagged union on `kind`), and the one exhaustive switch that turns options into
 * the policy that does the work. A new policy is one file and one case here.
 */
import { check, describeValue } from '../../errors.js';
import type { Candidates } from './candidates.js';
import { epsilonGreedy, type EpsilonGreedyOptions } from './epsilonGreedy.js';
import type { Evidence } from './evidence.js';
import { linearThompson, type LinearThompsonOptions } from './linearThompson.js';
import { linUcb, type LinUcbOptions } from './linUcb.js';
import { resolveChangeDetection, type ResolvedChangeDetection } from './detectors.js';
import { resolveCommonOptions, type PolicySetting, type ResolvedCommonOptions } from './options.js';
import { softmax, type SoftmaxOptions } from './softmax.js';
import { thompson, type ThompsonOptions } from './thompson.js';
import type { BanditChoice } from './types.js';
import { ucb1, type Ucb1Options } from './ucb1.js';

/** Options of {@link createBandit}: plain data, a tagged union on `kind`. */
export type BanditOptions =
  ThompsonOptions | Ucb1Options | EpsilonGreedyOptions | SoftmaxOptions | LinUcbOptions | LinearThompsonOptions;

export type BanditKind = BanditOptions['kind'];

/** What a policy does; the rest of a bandit (arms, clock, window, detectors, draws) is shared. */
export interface Policy {
  readonly kind: BanditKind;
  /** How its arms hold their evidence; the bandit has gathered it into the candidates before a choice. */
  readonly evidence: Evidence;
  /** Scores the candidates and chooses one, with the probability of that choice. */
  select(c: Candidates): BanditChoice;
  /** Scores the candidates (into `c.scores`) and gives the probability that `select` would choose each. */
  rank(c: Candidates): () => ArrayLike<number>;
  /** Its own options as a snapshot writes them (after the shared ones), so that restoring re-creates it. */
  optionsJSON(): Record<string, unknown>;
}

/** Every kind (`satisfies` fails to compile when one is missing). */
export const BANDIT_KINDS = Object.keys({
  thompson: true,
  ucb1: true,
  'epsilon-greedy': true,
  softmax: true,
  linucb: true,
  'linear-thompson': true,
} satisfies Record<BanditKind, true>) as ReadonlyArray<BanditKind>;

/** `INVALID_OPTIONS` unless `kind` names a policy. */
export function checkKind(kind: unknown): asserts kind is BanditKind {
  check(
    BANDIT_KINDS.includes(kind as BanditKind),
    'INVALID_OPTIONS',
    `createBandit: kind must be one of ${BANDIT_KINDS.map((k) => `"${k}"`).join(', ')}, got ${describeValue(kind)}`,
  );
}

/**
 * The policy of the options' kind, its own options checked and resolved.
 * @throws AttuneError `INVALID_OPTIONS` saying which option to fix.
 */
export function policyFor(options: BanditOptions, setting: PolicySetting): Policy {
  switch (options.kind) {
    case 'thompson':
      return thompson(options, setting);
    case 'ucb1':
      return ucb1(options, setting);
    case 'epsilon-greedy':
      return epsilonGreedy(options, setting);
    case 'softmax':
      return softmax(options, setting);
    case 'linucb':
      return linUcb(options, setting);
    case 'linear-thompson':
      return linearThompson(options, setting);
    default: {
      const _: never = options;
      throw _;
    }
  }
}

/** A bandit's options, checked and resolved: the shared ones, change detection, and the policy. */
export interface ResolvedBandit {
  common: ResolvedCommonOptions;
  changeDetection: ResolvedChangeDetection | null;
  policy: Policy;
}

/**
 * Checks and resolves a bandit's options (`restoring` when they come from a snapshot).
 * @throws AttuneError `INVALID_OPTIONS` (or `DUPLICATE_ARM`) saying which option to fix.
 */
export function resolveBandit(options: BanditOptions, restoring = false): { resolved: ResolvedBandit; arms: string[] } {
  check(
    typeof options === 'object' && options !== null,
    'INVALID_OPTIONS',
    `createBandit: options must be an object like { kind: 'thompson', arms: ['a', 'b'] }`,
  );
  checkKind(options.kind);
  const { common, arms } = resolveCommonOptions(options);
  const policy = policyFor(options, { decay: common.decay, window: common.window, restoring });
  const changeDetection = resolveChangeDetection(options.changeDetection, policy.kind, policy.evidence.dimension > 0);
  return { resolved: { common, changeDetection, policy }, arms };
}
