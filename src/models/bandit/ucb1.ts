/** UCB1 (Auer, Cesa-Bianchi & Fischer 2002): the arm with the largest index mean + c·√(ln N / n). */
import { betaEvidence, type BetaEvidence } from './beta.js';
import type { Candidates } from './candidates.js';
import { nonNegative, type PolicySetting } from './options.js';
import type { Policy } from './policies.js';
import { IndexPolicy } from './rules.js';
import type { BanditCommonOptions, BetaPrior } from './types.js';

/** UCB1 (Auer, Cesa-Bianchi & Fischer 2002): mean + c·√(ln N / n). */
export interface Ucb1Options extends BanditCommonOptions {
  kind: 'ucb1';
  /** Exploration constant c; √2 is Auer et al.'s UCB1. @default Math.SQRT2 */
  c?: number;
  /** Prior used only by `expectations`. @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
}

const DEFAULT_C = Math.SQRT2;

/**
 * Checks and resolves the options of UCB1.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function ucb1(options: Ucb1Options, setting: PolicySetting): Policy {
  const evidence = betaEvidence(options.prior, setting.decay);
  return new Ucb1(evidence, nonNegative(options.c ?? DEFAULT_C, 'c'));
}

class Ucb1 extends IndexPolicy {
  readonly kind = 'ucb1';

  constructor(
    readonly evidence: BetaEvidence,
    private readonly c: number,
  ) {
    super();
  }

  optionsJSON(): Record<string, unknown> {
    return { ...this.evidence.optionsJSON(), c: this.c };
  }

  /** An arm never pulled (n = 0) scores Infinity, so every arm is tried once. */
  protected score(c: Candidates): void {
    let total = 0;
    for (let k = 0; k < c.m; k++) total += c.n[k] as number;
    const logTotal = Math.log(Math.max(total, 1));
    for (let k = 0; k < c.m; k++) {
      const n = c.n[k] as number;
      c.scores[k] = n > 0 ? (c.s[k] as number) / n + this.c * Math.sqrt(logTotal / n) : Infinity;
    }
  }
}
