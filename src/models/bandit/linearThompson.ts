/**
 * Linear Thompson sampling (Agrawal & Goyal 2013): each arm scores θ̃ᵀx with θ̃ ~ N(θ̂, v²A⁻¹), that
 * is N(θ̂ᵀx, v²·xᵀA⁻¹x); the propensity is computed on read.
 */
import type { Candidates } from './candidates.js';
import { linearEvidence, type LinearEvidence } from './linear.js';
import { nonNegative, resolveSamples, type PolicySetting } from './options.js';
import type { Policy } from './policies.js';
import { SampledPolicy } from './rules.js';
import type { LinearCommonOptions } from './types.js';

/** Linear Thompson sampling (Agrawal & Goyal 2013). */
export interface LinearThompsonOptions extends LinearCommonOptions {
  kind: 'linear-thompson';
  /**
   * Posterior scale v: θ̃ ~ N(θ̂, v²A⁻¹) (Agrawal & Goyal 2013 take v of the order of the reward
   * noise). Chosen by a sweep over generated linear worlds (benchmarks/README.md, "Defaults by
   * sweep"): 0.1 had the lowest mean regret on the tuning worlds and on other report worlds; 0.5,
   * the earlier default, cost about 3× the regret. Raise it for noisier rewards.
   * @default 0.1
   */
  v?: number;
  /**
   * Ignored: propensities are computed by quadrature, not sampled (see `BanditChoice.propensity`).
   * @deprecated
   * @default 1000
   */
  propensitySamples?: number;
}

/** Swept in benchmarks/bandits/sweep.ts: 0.1 had the lowest regret on tuning and report worlds (0.5 cost about 3×). */
const DEFAULT_V = 0.1;

/**
 * Checks and resolves the options of linear Thompson sampling.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function linearThompson(options: LinearThompsonOptions, setting: PolicySetting): Policy {
  const evidence = linearEvidence(options.dimension, options.lambda, setting.decay, setting.window !== Infinity);
  const v = nonNegative(options.v ?? DEFAULT_V, 'v');
  return new LinearThompson(evidence, v, resolveSamples(options.propensitySamples));
}

class LinearThompson extends SampledPolicy {
  readonly kind = 'linear-thompson';
  protected readonly law = 'gaussian';

  constructor(
    readonly evidence: LinearEvidence,
    private readonly v: number,
    private readonly propensitySamples: number,
  ) {
    super();
  }

  optionsJSON(): Record<string, unknown> {
    return { ...this.evidence.optionsJSON(), v: this.v, propensitySamples: this.propensitySamples };
  }

  /** Scores each candidate by a draw of θ̃ᵀx ~ N(θ̂ᵀx, v²·xᵀA⁻¹x); the laws are Gaussian (mean, sd). */
  protected draw(c: Candidates): number {
    const at = c.slab.reserve(c.m);
    const params = c.slab.params;
    for (let k = 0; k < c.m; k++) {
      const mean = c.mean[k] as number;
      const sd = c.sd[k] as number;
      c.scores[k] = mean + this.v * sd * c.random.normal();
      params[at + 2 * k] = mean;
      params[at + 2 * k + 1] = this.v * sd;
    }
    return at;
  }
}
