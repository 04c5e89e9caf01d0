/**
 * Evidence of the linear kinds: per arm a ridge regression — the design matrix
 * A = λI + Σ w x xᵀ, its inverse (kept by Sherman–Morrison rank-1 updates), b = Σ w r x and
 * θ̂ = A⁻¹b. Discounting scales A and b by the decay factor (D-LinUCB, Russac et al. 2019); when
 * the regulariser has decayed below λ/2 it is restored and A is re-inverted, so an update is O(d²)
 * amortised.
 */
import { AttuneError, check, describeValue, isFiniteNumber } from '../../errors.js';
import { positiveZero, type ArmState } from './arms.js';
import type { Candidates } from './candidates.js';
import { BANDIT_DEFAULTS, MAX_DIMENSION } from './constants.js';
import type { Discount } from './discount.js';
import type { Evidence } from './evidence.js';
import { dot, invertSpd, matVec, quadForm, shermanMorrison } from './linearAlgebra.js';
import { positive } from './options.js';
import type { ArmSnapshot, BanditContext } from './types.js';

/** Re-invert A from scratch after this many downdates (sliding window), so rounding never accumulates. */
const REFRESH_EVERY = 1000;

/** One arm's regression. */
export interface LinearStats {
  a: Float64Array;
  inv: Float64Array;
  b: Float64Array;
  theta: Float64Array;
  /** The part of λ still inside A after decay. */
  prior: number;
  /** Downdates since A was last inverted from scratch. */
  refresh: number;
}

/**
 * Checks the `dimension` and `lambda` options and makes the evidence; `keepsContexts` when a
 * sliding window must subtract each update again later.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function linearEvidence(
  dimension: unknown,
  lambda: unknown,
  discount: Discount,
  keepsContexts: boolean,
): LinearEvidence {
  check(
    Number.isInteger(dimension) && (dimension as number) >= 1 && (dimension as number) <= MAX_DIMENSION,
    'INVALID_OPTIONS',
    `createBandit: dimension must be a whole number from 1 to ${MAX_DIMENSION} (the length of every context vector), got ${describeValue(dimension)}`,
  );
  const l = positive(lambda ?? BANDIT_DEFAULTS.lambda, 'lambda');
  return new LinearEvidence(dimension as number, l, discount, keepsContexts);
}

function bad(what: string): never {
  throw new AttuneError('BAD_SNAPSHOT', `restoreBandit: ${what}`);
}

function numbers(value: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(value) || value.length !== length || !value.every(isFiniteNumber))
    bad(`${what} must be an array of ${length} finite numbers`);
  return Float64Array.from(value as number[]);
}

export class LinearEvidence implements Evidence {
  /** The checked context of the current call, copied so the kernels see one array type. */
  private readonly x: Float64Array;
  /** Scratch of length d. */
  private readonly vec: Float64Array;

  constructor(
    readonly dimension: number,
    /** Ridge regularisation λ. */
    readonly lambda: number,
    private readonly discount: Discount,
    private readonly keepsContexts: boolean,
  ) {
    this.x = new Float64Array(dimension);
    this.vec = new Float64Array(dimension);
  }

  optionsJSON(): Record<string, unknown> {
    return { dimension: this.dimension, lambda: this.lambda };
  }

  checkContext(api: string, context: unknown, kind: string): void {
    const d = this.dimension;
    if (!((Array.isArray(context) || context instanceof Float64Array) && context.length === d)) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: context must be a number[] or Float64Array of length ${d} for kind "${kind}", got ${describeValue(context)}`,
      );
    }
    const c = context as ArrayLike<unknown>;
    for (let i = 0; i < d; i++) {
      const v = c[i];
      if (!(typeof v === 'number' && v - v === 0))
        throw new AttuneError(
          'INVALID_ARGUMENT',
          `${api}: context[${i}] must be a finite number, got ${describeValue(v)}`,
        );
    }
  }

  checkReward(): void {}

  fresh(): LinearStats {
    const d = this.dimension;
    const a = new Float64Array(d * d);
    const inv = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      a[i * d + i] = this.lambda;
      inv[i * d + i] = 1 / this.lambda;
    }
    return { a, inv, b: new Float64Array(d), theta: new Float64Array(d), prior: this.lambda, refresh: 0 };
  }

  copy(lin: LinearStats | null): LinearStats | null {
    if (lin === null) return null;
    return {
      a: lin.a.slice(),
      inv: lin.inv.slice(),
      b: lin.b.slice(),
      theta: lin.theta.slice(),
      prior: lin.prior,
      refresh: lin.refresh,
    };
  }

  /** Each candidate's mean θ̂ᵀx and sd √(xᵀA⁻¹x / f), f the discount since the arm's reference time. */
  gather(c: Candidates, now: number, context: BanditContext | undefined): void {
    const d = this.dimension;
    const x = this.x;
    x.set(context as BanditContext);
    for (let k = 0; k < c.m; k++) {
      const arm = c.arms[k] as ArmState;
      const lin = arm.lin as LinearStats;
      const f = this.discount.factor(now - arm.n.t);
      const variance = f > 0 ? quadForm(lin.inv, x, this.vec, d) / f : Infinity;
      c.mean[k] = dot(lin.theta, x, d);
      c.sd[k] = Math.sqrt(Math.max(0, variance));
    }
  }

  /** With a window, a copy (−0 written as +0, so a snapshot is exact); otherwise the scratch row serves. */
  row(context: BanditContext | undefined): Float64Array {
    if (this.keepsContexts) return Float64Array.from(context as BanditContext, positiveZero);
    this.x.set(context as BanditContext);
    return this.x;
  }

  residual(arm: ArmState, reward: number, x: Float64Array | null): number {
    return reward - dot((arm.lin as LinearStats).theta, x as Float64Array, this.dimension);
  }

  learn(arm: ArmState, reward: number, x: Float64Array | null, now: number, w: number): void {
    const lin = arm.lin as LinearStats;
    const d = this.dimension;
    let weight = w;
    if (w > 0 && this.discount.finite) {
      if (now >= arm.n.t) {
        this.rescale(lin, this.discount.factor(now - arm.n.t));
        this.discount.add(arm.n, 1, now);
        arm.s.t = now;
      } else {
        weight = this.discount.factor(arm.n.t - now);
        this.discount.add(arm.n, 1, now);
      }
    } else {
      arm.n.value = Math.max(0, arm.n.value + w);
      arm.n.t = arm.s.t = w > 0 ? now : arm.n.t;
    }
    const xv = x as Float64Array;
    if (w < 0) lin.refresh += 1;
    const applied = shermanMorrison(lin.a, lin.inv, xv, weight, this.vec, d);
    if (!applied) {
      // numerically singular rank-1 step: shermanMorrison changed nothing, so apply it to A here and re-invert
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++)
          lin.a[i * d + j] = (lin.a[i * d + j] as number) + weight * (xv[i] as number) * (xv[j] as number);
    }
    if (!applied || lin.refresh >= REFRESH_EVERY) {
      invertSpd(lin.a, lin.inv, d);
      lin.refresh = 0;
    }
    for (let i = 0; i < d; i++) lin.b[i] = (lin.b[i] as number) + weight * reward * (xv[i] as number);
    matVec(lin.inv, lin.b, lin.theta, d);
  }

  /** Scales A, b by f (A⁻¹ by 1/f); restores the regulariser λI and re-inverts once it decays below λ/2. */
  private rescale(lin: LinearStats, f: number): void {
    if (f >= 1) return;
    const d = this.dimension;
    const prior = lin.prior * f;
    for (let i = 0; i < d * d; i++) lin.a[i] = (lin.a[i] as number) * f;
    for (let i = 0; i < d; i++) lin.b[i] = (lin.b[i] as number) * f;
    if (prior < this.lambda / 2) {
      for (let i = 0; i < d; i++) lin.a[i * d + i] = (lin.a[i * d + i] as number) + this.lambda - prior;
      lin.prior = this.lambda;
      invertSpd(lin.a, lin.inv, d);
      lin.refresh = 0;
    } else {
      const g = 1 / f;
      for (let i = 0; i < d * d; i++) lin.inv[i] = (lin.inv[i] as number) * g;
      lin.prior = prior;
    }
    matVec(lin.inv, lin.b, lin.theta, d);
  }

  expectation(arm: ArmState, context: BanditContext | undefined, now: number): { mean: number; evidence: number } {
    const lin = arm.lin as LinearStats;
    return {
      mean: dot(lin.theta, context as BanditContext, this.dimension),
      evidence: arm.n.value * this.discount.factor(now - arm.n.t),
    };
  }

  writeArm(arm: ArmState, snapshot: ArmSnapshot): void {
    const lin = arm.lin as LinearStats;
    snapshot.A = Array.from(lin.a, positiveZero);
    snapshot.Ainv = Array.from(lin.inv, positiveZero);
    snapshot.b = Array.from(lin.b, positiveZero);
    snapshot.prior = lin.prior;
    snapshot.refresh = lin.refresh;
  }

  readArm(json: Record<string, unknown>, what: string): LinearStats {
    const d = this.dimension;
    const prior = json['prior'];
    const refresh = json['refresh'];
    if (!isFiniteNumber(prior) || prior <= 0 || !(Number.isInteger(refresh) && (refresh as number) >= 0))
      bad(`${what} must have a positive prior and a whole refresh count`);
    const lin: LinearStats = {
      a: numbers(json['A'], d * d, `${what}.A`),
      inv: numbers(json['Ainv'], d * d, `${what}.Ainv`),
      b: numbers(json['b'], d, `${what}.b`),
      theta: new Float64Array(d),
      prior,
      refresh: refresh as number,
    };
    // θ̂ = A⁻¹b is derived, recomputed with the same kernel the updates use
    matVec(lin.inv, lin.b, lin.theta, d);
    return lin;
  }

  readContext(json: unknown, what: string): Float64Array {
    return numbers(json, this.dimension, what);
  }
}
