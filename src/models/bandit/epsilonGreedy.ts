/**
 * ε-greedy (Sutton & Barto 1998; analysed in Auer et al. 2002): with probability ε a uniformly
 * random arm, otherwise the best posterior mean (ties split uniformly).
 */
import { check, describeValue, isFiniteNumber } from '../../errors.js';
import { betaEvidence, type BetaEvidence } from './beta.js';
import type { Candidates } from './candidates.js';
import type { PolicySetting } from './options.js';
import type { Policy } from './policies.js';
import type { BanditChoice, BanditCommonOptions, BetaPrior } from './types.js';

/** ε-greedy (Sutton & Barto 1998; analysed in Auer et al. 2002). */
export interface EpsilonGreedyOptions extends BanditCommonOptions {
  kind: 'epsilon-greedy';
  /** Probability of a uniformly random arm. @default 0.1 */
  epsilon?: number;
  /** Prior pseudo-counts of the mean estimate. @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
}

const DEFAULT_EPSILON = 0.1;

/**
 * Checks and resolves the options of ε-greedy.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function epsilonGreedy(options: EpsilonGreedyOptions, setting: PolicySetting): Policy {
  const evidence = betaEvidence(options.prior, setting.decay);
  const epsilon = options.epsilon ?? DEFAULT_EPSILON;
  check(
    isFiniteNumber(epsilon) && epsilon >= 0 && epsilon <= 1,
    'INVALID_OPTIONS',
    `createBandit: epsilon must be in [0, 1], got ${describeValue(epsilon)}`,
  );
  return new EpsilonGreedy(evidence, epsilon);
}

class EpsilonGreedy implements Policy {
  readonly kind = 'epsilon-greedy';

  constructor(
    readonly evidence: BetaEvidence,
    private readonly epsilon: number,
  ) {}

  select(c: Candidates): BanditChoice {
    this.evidence.scoreMeans(c);
    const ties = c.countTies();
    const explore = c.random.uniform() < this.epsilon;
    const pick = explore ? c.random.int(c.m) : c.pickTie(ties);
    const isTop = (c.aux[pick] as number) === 1;
    return { arm: c.idAt(pick), propensity: this.propensity(isTop, ties, c.m) };
  }

  rank(c: Candidates): () => ArrayLike<number> {
    this.evidence.scoreMeans(c);
    const ties = c.countTies();
    const p = Array.from(c.aux.subarray(0, c.m), (top) => this.propensity(top === 1, ties, c.m));
    return () => p;
  }

  optionsJSON(): Record<string, unknown> {
    return { ...this.evidence.optionsJSON(), epsilon: this.epsilon };
  }

  /** (1 − ε) split over the tied best arms, plus ε / m for every arm. */
  private propensity(isTop: boolean, ties: number, m: number): number {
    return (isTop ? (1 - this.epsilon) / ties : 0) + this.epsilon / m;
  }
}
