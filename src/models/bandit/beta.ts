/**
 * Evidence of the context-free kinds: per arm a discounted count n and reward sum s, so that with
 * a Beta(α₀, β₀) prior the posterior is Beta(α₀ + s, β₀ + n − s) — discounted when `halfLife` is
 * finite (discounted TS / D-UCB: Garivier & Moulines 2011; Raj & Kalyani 2017).
 */
import { AttuneError, check, describeValue } from '../../errors.js';
import type { ArmState } from './arms.js';
import type { Candidates } from './candidates.js';
import { BANDIT_DEFAULTS } from './constants.js';
import type { Decay } from '../../decay/decay.js';
import type { Evidence } from './evidence.js';
import { positive } from './options.js';

/** The largest Beta prior pseudo-count. */
const MAX_PRIOR = 1e6;

/**
 * Checks a `prior` option (`{ alpha, beta }`, each defaulting to 1) and makes the evidence.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function betaEvidence(prior: unknown, decay: Decay): BetaEvidence {
  if (prior === undefined) return new BetaEvidence(BANDIT_DEFAULTS.priorAlpha, BANDIT_DEFAULTS.priorBeta, decay);
  check(
    typeof prior === 'object' && prior !== null,
    'INVALID_OPTIONS',
    `createBandit: prior must be an object like { alpha: 1, beta: 1 }, got ${describeValue(prior)}`,
  );
  const p = prior as Record<string, unknown>;
  const alpha = positive(p['alpha'] ?? BANDIT_DEFAULTS.priorAlpha, 'prior.alpha');
  const beta = positive(p['beta'] ?? BANDIT_DEFAULTS.priorBeta, 'prior.beta');
  check(
    alpha <= MAX_PRIOR && beta <= MAX_PRIOR,
    'INVALID_OPTIONS',
    `createBandit: prior.alpha and prior.beta must be at most ${MAX_PRIOR} (pseudo-counts; a larger prior would never let data move the arm)`,
  );
  return new BetaEvidence(alpha, beta, decay);
}

export class BetaEvidence implements Evidence {
  readonly dimension = 0;

  constructor(
    /** Prior pseudo-count of successes α₀. */
    readonly alpha: number,
    /** Prior pseudo-count of failures β₀. */
    readonly beta: number,
    private readonly decay: Decay,
  ) {}

  /** The posterior mean (α₀ + s) / (α₀ + β₀ + n). */
  mean(n: number, s: number): number {
    return (this.alpha + s) / (this.alpha + this.beta + n);
  }

  /** Scores each candidate by its posterior mean (the greedy estimate of ε-greedy and softmax). */
  scoreMeans(c: Candidates): void {
    for (let k = 0; k < c.m; k++) c.scores[k] = this.mean(c.n[k] as number, c.s[k] as number);
  }

  optionsJSON(): Record<string, unknown> {
    return { prior: { alpha: this.alpha, beta: this.beta } };
  }

  checkContext(): void {}

  checkReward(api: string, reward: number, kind: string): void {
    if (!(reward >= 0 && reward <= 1))
      throw new AttuneError('INVALID_ARGUMENT', `${api}: reward must be in [0, 1] for kind "${kind}", got ${reward}`);
  }

  fresh(): null {
    return null;
  }

  copy(): null {
    return null;
  }

  gather(c: Candidates, now: number): void {
    for (let k = 0; k < c.m; k++) {
      const arm = c.arms[k] as ArmState;
      const f = this.decay.factor(now - arm.n.t);
      const n = arm.n.value * f;
      c.n[k] = n;
      c.s[k] = Math.min(n, Math.max(0, arm.s.value * f));
    }
  }

  row(): null {
    return null;
  }

  residual(_arm: ArmState, reward: number): number {
    return reward;
  }

  /** Counts stay finite (n grows by at most 1 an update), so an observation is always learned. */
  add(arm: ArmState, reward: number, _x: Float64Array | null, now: number): null {
    this.decay.add(arm.n, 1, now);
    this.decay.add(arm.s, reward, now);
    return null;
  }

  remove(arm: ArmState, reward: number): null {
    arm.n.value = Math.max(0, arm.n.value - 1);
    arm.s.value = Math.min(arm.n.value, Math.max(0, arm.s.value - reward));
    return null;
  }

  expectation(arm: ArmState, _context: unknown, now: number): { mean: number; evidence: number } {
    const n = this.decay.read(arm.n, now);
    const s = this.decay.read(arm.s, now);
    return { mean: this.mean(n, s), evidence: n };
  }

  writeArm(): void {}

  /** Rewards are in [0, 1] and discounting scales s and n alike, so 0 ≤ s ≤ n. */
  readArm(json: Record<string, unknown>, what: string): null {
    const n = json['n'] as number;
    const s = json['s'] as number;
    if (!(s >= 0 && s <= n))
      throw new AttuneError(
        'BAD_SNAPSHOT',
        `restoreBandit: ${what}.s must be from 0 to n = ${n} (a sum of rewards in [0, 1]), got ${s}`,
      );
    return null;
  }

  readContext(): null {
    return null;
  }
}
