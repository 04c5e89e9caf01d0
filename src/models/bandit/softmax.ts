/** Softmax / Boltzmann exploration (Luce 1959; Sutton & Barto 1998): p ∝ exp(mean / τ). */
import type { BetaEvidence } from './beta.js';
import { betaEvidence } from './beta.js';
import type { Candidates } from './candidates.js';
import { positive, type PolicySetting } from './options.js';
import type { Policy } from './policies.js';
import type { BanditChoice, BanditCommonOptions, BetaPrior } from './types.js';

/** Softmax / Boltzmann exploration (Luce 1959; Sutton & Barto 1998). */
export interface SoftmaxOptions extends BanditCommonOptions {
  kind: 'softmax';
  /** Temperature τ of p ∝ exp(mean / τ). @default 0.1 */
  temperature?: number;
  /** Prior pseudo-counts of the mean estimate. @default { alpha: 1, beta: 1 } */
  prior?: BetaPrior;
}

const DEFAULT_TEMPERATURE = 0.1;

/**
 * Checks and resolves the options of softmax exploration.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function softmax(options: SoftmaxOptions, setting: PolicySetting): Policy {
  const evidence = betaEvidence(options.prior, setting.decay);
  return new Softmax(evidence, positive(options.temperature ?? DEFAULT_TEMPERATURE, 'temperature'));
}

class Softmax implements Policy {
  readonly kind = 'softmax';

  constructor(
    readonly evidence: BetaEvidence,
    private readonly temperature: number,
  ) {}

  select(c: Candidates): BanditChoice {
    this.probabilities(c);
    let u = c.random.uniform();
    let pick = c.m - 1;
    for (let k = 0; k < c.m; k++) {
      u -= c.aux[k] as number;
      if (u < 0) {
        pick = k;
        break;
      }
    }
    return { arm: c.idAt(pick), propensity: c.aux[pick] as number };
  }

  rank(c: Candidates): () => ArrayLike<number> {
    this.probabilities(c);
    const p = Array.from(c.aux.subarray(0, c.m));
    return () => p;
  }

  optionsJSON(): Record<string, unknown> {
    return { ...this.evidence.optionsJSON(), temperature: this.temperature };
  }

  /** Scores each arm by its posterior mean, and writes their softmax probabilities into `aux`. */
  private probabilities(c: Candidates): void {
    this.evidence.scoreMeans(c);
    const { m, scores, aux } = c;
    let best = -Infinity;
    for (let k = 0; k < m; k++) if ((scores[k] as number) > best) best = scores[k] as number;
    let z = 0;
    for (let k = 0; k < m; k++) {
      const e = Math.exp(((scores[k] as number) - best) / this.temperature);
      aux[k] = e;
      z += e;
    }
    for (let k = 0; k < m; k++) aux[k] = (aux[k] as number) / z;
  }
}
