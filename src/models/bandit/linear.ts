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
import type { Decay } from '../../decay/decay.js';
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
  decay: Decay,
  keepsContexts: boolean,
): LinearEvidence {
  check(
    Number.isInteger(dimension) && (dimension as number) >= 1 && (dimension as number) <= MAX_DIMENSION,
    'INVALID_OPTIONS',
    `createBandit: dimension must be a whole number from 1 to ${MAX_DIMENSION} (the length of every context vector), got ${describeValue(dimension)}`,
  );
  const l = positive(lambda ?? BANDIT_DEFAULTS.lambda, 'lambda');
  return new LinearEvidence(dimension as number, l, decay, keepsContexts);
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
  /**
   * Whether the last {@link learn} inverted A from scratch — where an ill-conditioned A can lose
   * A⁻¹ — and whether A was positive definite then.
   */
  // Stryker disable next-line StringLiteral: every learn sets it before checked reads it
  private reinverted: 'no' | 'yes' | 'not positive definite' = 'no';
  /** The arm's regression and clock before the observation {@link add} is trying. */
  private readonly saved: { stats: LinearStats; n: number; t: number; st: number };

  constructor(
    readonly dimension: number,
    /** Ridge regularisation λ. */
    readonly lambda: number,
    private readonly decay: Decay,
    private readonly keepsContexts: boolean,
  ) {
    this.x = new Float64Array(dimension);
    this.vec = new Float64Array(dimension);
    this.saved = { stats: this.fresh(), n: 0, t: 0, st: 0 };
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
    // Stryker disable next-line EqualityOperator: one index past the end writes past the typed arrays' end, which drops it
    for (let i = 0; i < d; i++) {
      a[i * d + i] = this.lambda;
      inv[i * d + i] = 1 / this.lambda;
    }
    return { a, inv, b: new Float64Array(d), theta: new Float64Array(d), prior: this.lambda, refresh: 0 };
  }

  copy(lin: LinearStats | null): LinearStats | null {
    // Stryker disable next-line ConditionalExpression: a linear arm always holds its model; null is the context-free kinds' (the Evidence interface)
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
      const f = this.decay.factor(now - arm.n.t);
      const variance = f > 0 ? quadForm(lin.inv, x, this.vec, d) / f : Infinity;
      c.mean[k] = dot(lin.theta, x, d);
      c.sd[k] = Math.sqrt(Math.max(0, variance));
    }
  }

  /** With a window, a copy (−0 written as +0, so a snapshot is exact); otherwise the scratch row serves. */
  row(context: BanditContext | undefined): Float64Array {
    // Stryker disable next-line ConditionalExpression: copying a context no window keeps costs an allocation and changes no result (never copying fails the window tests)
    if (this.keepsContexts) return Float64Array.from(context as BanditContext, positiveZero);
    this.x.set(context as BanditContext);
    return this.x;
  }

  residual(arm: ArmState, reward: number, x: Float64Array | null): number {
    return reward - dot((arm.lin as LinearStats).theta, x as Float64Array, this.dimension);
  }

  /**
   * Learns the observation, or — when an extreme context or reward (or λ) would make A, A⁻¹, b or θ̂
   * overflow, or A⁻¹ no longer the inverse of some A ⪰ prior·I — puts the arm back as it was and says why.
   */
  add(arm: ArmState, reward: number, x: Float64Array | null, now: number): string | null {
    const lin = arm.lin as LinearStats;
    const saved = this.saved;
    copyStats(lin, saved.stats);
    saved.n = arm.n.value;
    saved.t = arm.n.t;
    saved.st = arm.s.t;
    this.learn(arm, reward, x, now, 1);
    // Stryker disable next-line BooleanLiteral: after an added observation A⁻¹ is positive definite, so checking every entry finds what the diagonals find
    const fault = this.checked(lin, false);
    if (fault !== null) {
      copyStats(saved.stats, lin);
      arm.n.value = saved.n;
      arm.n.t = saved.t;
      arm.s.t = saved.st;
    }
    return fault;
  }

  remove(arm: ArmState, reward: number, x: Float64Array | null, now: number): string | null {
    this.learn(arm, reward, x, now, -1);
    return this.checked(arm.lin as LinearStats, true);
  }

  /**
   * After a step: {@link faultOf}, and when A was inverted from scratch, that A⁻¹ is still its
   * inverse. A step that adds evidence without re-inverting keeps A and A⁻¹ positive definite, so
   * their diagonals bound every entry, and any overflow in b or A⁻¹ reaches θ̂ = A⁻¹b (as ±∞ or NaN):
   * there the diagonals and θ̂ are checked, in O(d) (`everyEntry` false).
   */
  private checked(lin: LinearStats, everyEntry: boolean): string | null {
    if (this.reinverted === 'not positive definite')
      return 'A is no longer numerically positive definite (rounding has eaten its regulariser), so it has no inverse to trust';
    // Stryker disable next-line BooleanLiteral: A was inverted by Cholesky, so A⁻¹ is positive definite and its diagonal bounds every entry
    if (this.reinverted === 'yes') return this.faultOf(lin, true) ?? this.inconsistency(lin);
    return this.faultOf(lin, everyEntry);
  }

  /**
   * Why a regression is unsound, or null. Sound: the regulariser still inside A is from λ/2 to λ
   * (it is restored below λ/2), the re-inversion count below its period, A, b and θ̂ finite, and
   * every entry of A⁻¹ at most 2/prior in magnitude: A ⪰ prior·I, so |A⁻¹ᵢⱼ| ≤ 1/prior, and twice
   * that leaves room for rounding, not for an inverse no A could have. O(d²).
   */
  private faultOf(lin: LinearStats, everyEntry = true): string | null {
    if (!(lin.prior >= this.lambda / 2 && lin.prior <= this.lambda))
      return `prior must be from lambda/2 to lambda (${this.lambda / 2} to ${this.lambda}), got ${lin.prior}`;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: readArm refuses a refresh count that is not a whole number >= 0 before this, and learn only adds 1 or sets 0, so only the period is ever tested
    if (!(Number.isInteger(lin.refresh) && lin.refresh >= 0 && lin.refresh < REFRESH_EVERY))
      return `refresh must be a whole number below ${REFRESH_EVERY}, got ${lin.refresh}`;
    const d = this.dimension;
    const step = everyEntry ? 1 : d + 1;
    const bound = 2 / lin.prior;
    let zero = 0;
    for (let i = 0; i < d * d; i += step) {
      const v = lin.inv[i] as number;
      if (!(Math.abs(v) <= bound))
        return `every entry of A⁻¹ must be at most 2/prior = ${bound} in magnitude (A ⪰ prior·I), got ${v}`;
      // Stryker disable next-line AssignmentOperator: x − x is 0 or NaN, and 0 − NaN is NaN as 0 + NaN is
      zero += (lin.a[i] as number) - (lin.a[i] as number);
    }
    // x − x is 0 exactly when x is finite, and the sum stays 0 only if every term is
    if (zero !== 0) return 'A has an entry that is not finite';
    // Stryker disable next-line AssignmentOperator: x − x is 0 or NaN, and 0 − NaN is NaN as 0 + NaN is
    for (let i = 0; i < d; i++) zero += (lin.b[i] as number) - (lin.b[i] as number);
    if (zero !== 0) return 'b has an entry that is not finite';
    // Stryker disable next-line AssignmentOperator: x − x is 0 or NaN, and 0 − NaN is NaN as 0 + NaN is
    for (let i = 0; i < d; i++) zero += (lin.theta[i] as number) - (lin.theta[i] as number);
    if (zero !== 0) return 'θ̂ = A⁻¹b has an entry that is not finite';
    return null;
  }

  /**
   * Why A⁻¹ is not the inverse of A, or null: the residual of A·(A⁻¹·1) against 1 must be within
   * 1e−6·‖A‖·‖A⁻¹‖ (∞-norms), the backward error of an inverse kept by rank-1 updates and
   * re-inversions, however ill-conditioned A is. An update keeps them together (a downdate that
   * fails this re-inverts A), so only a snapshot changed by hand can fail it on reading; O(d²),
   * where comparing A·A⁻¹ with I would be O(d³).
   */
  private inconsistency(lin: LinearStats): string | null {
    const d = this.dimension;
    const ones = new Float64Array(d).fill(1);
    const invOnes = new Float64Array(d);
    const back = new Float64Array(d);
    matVec(lin.inv, ones, invOnes, d);
    matVec(lin.a, invOnes, back, d);
    let residual = 0;
    for (let i = 0; i < d; i++) residual = Math.max(residual, Math.abs((back[i] as number) - 1));
    const tolerance = 1e-6 * rowNorm(lin.a, d) * rowNorm(lin.inv, d);
    if (residual <= tolerance) return null;
    return `Ainv must be the inverse of A, but A·(Ainv·1) is off 1 by ${residual} (more than ${tolerance})`;
  }

  /** Adds (w = 1) or removes (w = −1, sliding window) one observation at `now`. */
  private learn(arm: ArmState, reward: number, x: Float64Array | null, now: number, w: number): void {
    const lin = arm.lin as LinearStats;
    const d = this.dimension;
    // Stryker disable next-line StringLiteral: any value but 'yes' and 'not positive definite' reads as no re-inversion
    this.reinverted = 'no';
    let weight = w;
    // Stryker disable next-line EqualityOperator: w is +1 or −1
    if (w > 0 && this.decay.fades) {
      // Stryker disable next-line EqualityOperator: at the arm's own time both branches weigh by a factor of 1 (the other differs only in s.t, which a linear arm never reads)
      if (now >= arm.n.t) {
        this.rescale(lin, this.decay.factor(now - arm.n.t));
        this.decay.add(arm.n, 1, now);
        arm.s.t = now;
      } else {
        weight = this.decay.factor(arm.n.t - now);
        this.decay.add(arm.n, 1, now);
      }
    } else {
      arm.n.value = Math.max(0, arm.n.value + w);
      // Stryker disable next-line EqualityOperator: w is +1 or −1
      arm.n.t = arm.s.t = w > 0 ? now : arm.n.t;
    }
    const xv = x as Float64Array;
    // Stryker disable next-line EqualityOperator: w is +1 or −1
    if (w < 0) lin.refresh += 1;
    const applied = shermanMorrison(lin.a, lin.inv, xv, weight, this.vec, d);
    if (!applied) {
      // numerically singular rank-1 step: shermanMorrison changed nothing, so apply it to A here and re-invert
      // Stryker disable next-line EqualityOperator: one row past the end writes past the typed array's end, which drops it
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++)
          lin.a[i * d + j] = (lin.a[i * d + j] as number) + weight * (xv[i] as number) * (xv[j] as number);
    }
    // A downdate (w < 0) can cancel most of A⁻¹'s digits while its denominator stays above the
    // floor shermanMorrison checks, leaving an A⁻¹ that no longer inverts A: check it (O(d²)).
    if (!applied || lin.refresh >= REFRESH_EVERY || (w < 0 && this.inconsistency(lin) !== null)) {
      this.reinvert(lin);
    }
    // Stryker disable next-line EqualityOperator: one index past the end writes past the typed array's end, which drops it
    for (let i = 0; i < d; i++) lin.b[i] = (lin.b[i] as number) + weight * reward * (xv[i] as number);
    matVec(lin.inv, lin.b, lin.theta, d);
  }

  private reinvert(lin: LinearStats): void {
    this.reinverted = invertSpd(lin.a, lin.inv, this.dimension) ? 'yes' : 'not positive definite';
    lin.refresh = 0;
  }

  /** Scales A, b by f (A⁻¹ by 1/f); restores the regulariser λI and re-inverts once it decays below λ/2. */
  private rescale(lin: LinearStats, f: number): void {
    // Stryker disable next-line EqualityOperator,ConditionalExpression: an age is never negative, so f ≤ 1, and scaling by f = 1 changes nothing
    if (f >= 1) return;
    const d = this.dimension;
    const prior = lin.prior * f;
    // Stryker disable next-line EqualityOperator: one index past the end writes past the typed array's end, which drops it
    for (let i = 0; i < d * d; i++) lin.a[i] = (lin.a[i] as number) * f;
    // Stryker disable next-line EqualityOperator: one index past the end writes past the typed array's end, which drops it
    for (let i = 0; i < d; i++) lin.b[i] = (lin.b[i] as number) * f;
    if (prior < this.lambda / 2) {
      // Stryker disable next-line EqualityOperator: one index past the end writes past the typed array's end, which drops it
      for (let i = 0; i < d; i++) lin.a[i * d + i] = (lin.a[i * d + i] as number) + this.lambda - prior;
      lin.prior = this.lambda;
      this.reinvert(lin);
    } else {
      const g = 1 / f;
      // Stryker disable next-line EqualityOperator: one index past the end writes past the typed array's end, which drops it
      for (let i = 0; i < d * d; i++) lin.inv[i] = (lin.inv[i] as number) * g;
      lin.prior = prior;
    }
    matVec(lin.inv, lin.b, lin.theta, d);
  }

  expectation(arm: ArmState, context: BanditContext | undefined, now: number): { mean: number; evidence: number } {
    const lin = arm.lin as LinearStats;
    return {
      mean: dot(lin.theta, context as BanditContext, this.dimension),
      evidence: arm.n.value * this.decay.factor(now - arm.n.t),
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
    if (json['s'] !== 0) bad(`${what}.s must be 0 for a linear arm, got ${describeValue(json['s'])}`);
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
    const fault = this.faultOf(lin) ?? this.inconsistency(lin);
    if (fault !== null) bad(`${what}: ${fault}`);
    return lin;
  }

  readContext(json: unknown, what: string): Float64Array {
    return numbers(json, this.dimension, what);
  }
}

/** Copies one regression into another of the same dimension. */
function copyStats(from: LinearStats, to: LinearStats): void {
  to.a.set(from.a);
  to.inv.set(from.inv);
  to.b.set(from.b);
  to.theta.set(from.theta);
  to.prior = from.prior;
  to.refresh = from.refresh;
}

/** The ∞-norm of a d×d matrix: its largest absolute row sum. */
function rowNorm(m: Float64Array, d: number): number {
  let norm = 0;
  for (let i = 0; i < d; i++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += Math.abs(m[i * d + j] as number);
    norm = Math.max(norm, sum);
  }
  return norm;
}
