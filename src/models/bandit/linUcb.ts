/** Disjoint LinUCB (Li, Chu, Langford & Schapire 2010): the arm with the largest θ̂ᵀx + α·√(xᵀA⁻¹x). */
import type { Candidates } from './candidates.js';
import { linearEvidence, type LinearEvidence } from './linear.js';
import { nonNegative, type PolicySetting } from './options.js';
import type { Policy } from './policies.js';
import { IndexPolicy } from './rules.js';
import type { LinearCommonOptions } from './types.js';

/** Disjoint LinUCB (Li, Chu, Langford & Schapire 2010). */
export interface LinUcbOptions extends LinearCommonOptions {
  kind: 'linucb';
  /** Width α of the confidence bonus α·√(xᵀA⁻¹x). @default 1 */
  alpha?: number;
}

const DEFAULT_ALPHA = 1;

/**
 * Checks and resolves the options of LinUCB.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function linUcb(options: LinUcbOptions, setting: PolicySetting): Policy {
  const evidence = linearEvidence(options.dimension, options.lambda, setting.decay, setting.window !== Infinity);
  return new LinUcb(evidence, nonNegative(options.alpha ?? DEFAULT_ALPHA, 'alpha'));
}

class LinUcb extends IndexPolicy {
  readonly kind = 'linucb';

  constructor(
    readonly evidence: LinearEvidence,
    private readonly alpha: number,
  ) {
    super();
  }

  optionsJSON(): Record<string, unknown> {
    return { ...this.evidence.optionsJSON(), alpha: this.alpha };
  }

  protected score(c: Candidates): void {
    for (let k = 0; k < c.m; k++) c.scores[k] = (c.mean[k] as number) + this.alpha * (c.sd[k] as number);
  }
}
