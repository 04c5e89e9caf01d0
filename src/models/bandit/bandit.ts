/**
 * The bandit policies. One class holds the arms, the clock, the sliding
 * window, change detection and the random stream; the kind decides how arms
 * are scored (an exhaustive switch over the options' `kind`).
 *
 * Statistics per arm:
 * - context-free kinds: decayed evidence `n` and reward sum `s` (two
 *   {@link DecayedSum}s sharing their reference time), so a Beta posterior is
 *   Beta(α₀ + s, β₀ + n − s) — discounted TS / D-UCB when `halfLife` is finite
 *   (Garivier & Moulines 2011; Raj & Kalyani 2017);
 * - linear kinds: the design matrix A = λI + Σ w x xᵀ, its inverse (kept by
 *   Sherman–Morrison rank-1 updates), b = Σ w r x and θ̂ = A⁻¹b. Discounting
 *   scales A and b by the decay factor (D-LinUCB, Russac et al. 2019); when the
 *   regulariser has decayed below λ/2 it is restored and A is re-inverted, so
 *   an update is O(d²) amortised.
 */
import { AttuneError, check, describeValue, isFiniteNumber, type AttuneErrorCode } from '../../errors.js';
import { Decay, type DecayedSum } from '../../decay/decay.js';
import { GlrChangeDetector, PageHinkleyDetector, type ChangeDetector } from '../../decay/changeDetection.js';
import { BanditRandom, type BanditRandomState } from './random.js';
import { IndexQuadrature } from './propensity.js';
import { dot, invertSpd, matVec, quadForm, shermanMorrison } from './linearAlgebra.js';
import { BANDIT_FORMAT, BANDIT_VERSION } from './constants.js';
import { checkArmId, isLinearKind, optionsToJSON, type ResolvedBanditOptions } from './options.js';
import type {
  AddArmOptions,
  ArmExpectation,
  ArmSnapshot,
  Bandit,
  BanditChoice,
  BanditContext,
  BanditKind,
  BanditSnapshot,
  RankedArm,
  SelectOptions,
  WindowEntrySnapshot,
} from './types.js';

/** Re-invert A from scratch after this many downdates (sliding window), so rounding never accumulates. */
const REFRESH_EVERY = 1000;

/** Numbers per propensity slab (16 KiB): 3 per eligible arm per Thompson select, so 68 selects of 10 arms. */
const SLAB_SIZE = 2048;

/**
 * A Beta-Bernoulli Thompson index from a posterior draw θ̃ ~ Beta(a, b): θ̃ itself, or with
 * `optimistic` max(θ̃, a / (a + b)), the Optimistic Bayesian Sampling of May, Korda, Lee & Leslie
 * (2012), which never scores an arm below its posterior mean.
 */
function thompsonIndex(draw: number, a: number, b: number, optimistic: boolean): number {
  if (!optimistic) return draw;
  const mean = a / (a + b);
  return draw > mean ? draw : mean;
}

/** @internal One arm's statistics. */
export interface ArmState {
  id: string;
  n: DecayedSum;
  s: DecayedSum;
  lin: LinearStats | null;
  detector: ChangeDetector | null;
}

/** @internal */
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

/** @internal */
export interface WindowEntry {
  arm: ArmState | null;
  reward: number;
  context: Float64Array | null;
}

/** @internal Everything a snapshot restores. */
export interface BanditState {
  random: BanditRandomState;
  selects: number;
  steps: number;
  clock: 'steps' | 'ms' | null;
  lastAt: number | null;
  detections: number;
  arms: ArmState[];
  window: WindowEntry[];
}

function fail(code: AttuneErrorCode, message: string): never {
  throw new AttuneError(code, message);
}

/** @internal The implementation behind {@link Bandit}. */
export class BanditPolicy implements Bandit {
  readonly kind: BanditKind;
  private readonly o: ResolvedBanditOptions;
  /** Ages arm statistics by the bandit's own half-life (in steps, or ms with `at`). */
  private readonly decay: Decay;
  private readonly d: number;
  private readonly linear: boolean;
  private random: BanditRandom;
  private armList: ArmState[];
  private byId = new Map<string, ArmState>();
  private selects: number;
  private steps: number;
  private clock: 'steps' | 'ms' | null;
  private lastAt: number | null;
  private detectionCount: number;
  private win: WindowEntry[];
  private winHead = 0;
  // scratch, reused across calls
  private scores = new Float64Array(16);
  private aux = new Float64Array(16);
  private eligible = new Int32Array(16);
  private vec: Float64Array;
  /**
   * The posterior parameters behind each Thompson choice's lazy propensity, and the propensities once read, packed into a shared
   * slab (a fresh slab when this one is full) so that `select` allocates no typed array per call.
   * Empty until the first Thompson select, so the other kinds never hold one.
   */
  private slab = new Float64Array(0);
  private slabUsed = 0;
  /** The validated context of the current select/rank, copied so the kernels see one array type. */
  private ctx: Float64Array;

  constructor(options: ResolvedBanditOptions, state: BanditState) {
    this.o = options;
    this.decay = new Decay(options.halfLife);
    this.kind = options.kind;
    this.d = options.dimension;
    this.linear = isLinearKind(options.kind);
    this.random = new BanditRandom(options.seed, state.random);
    this.armList = state.arms;
    for (const arm of state.arms) this.byId.set(arm.id, arm);
    this.selects = state.selects;
    this.steps = state.steps;
    this.clock = state.clock;
    this.lastAt = state.lastAt;
    this.detectionCount = state.detections;
    this.win = state.window;
    this.vec = new Float64Array(Math.max(1, this.d));
    this.ctx = new Float64Array(Math.max(1, this.d));
    this.ensureScratch();
  }

  get arms(): ReadonlyArray<string> {
    return this.armList.map((a) => a.id);
  }

  get detections(): number {
    return this.detectionCount;
  }

  // ---------------------------------------------------------------- choose

  /**
   * Chooses an arm: a posterior draw per arm (Thompson 1933; Agrawal & Goyal 2012, 2013), the upper
   * confidence index (Auer et al. 2002; Li et al. 2010), ε-greedy or softmax.
   * @throws AttuneError `INVALID_ARGUMENT` for a bad context, exclude list or time, or when every arm is excluded.
   */
  select(context?: BanditContext, options?: SelectOptions): BanditChoice {
    const m = this.prepare('bandit.select', context, options);
    const now = this.readNow(options);
    const o = this.o;
    this.selects++;
    switch (o.kind) {
      case 'thompson':
      case 'linear-thompson': {
        const at = this.reserveParams(m);
        this.fillScores(m, now, true, at);
        const best = this.argmaxTies(m);
        return new SampledChoice(this.armAt(best), this.shareEstimate(at, m), best);
      }
      case 'ucb1':
      case 'linucb': {
        this.fillScores(m, now, false);
        const ties = this.countTies(m);
        const pick = this.pickTie(m, ties);
        return { arm: this.armAt(pick), propensity: 1 / ties };
      }
      case 'epsilon-greedy': {
        this.fillScores(m, now, false);
        const ties = this.countTies(m);
        const explore = this.random.uniform() < o.epsilon;
        const pick = explore ? this.random.int(m) : this.pickTie(m, ties);
        const isTop = (this.aux[pick] as number) === 1;
        return { arm: this.armAt(pick), propensity: (isTop ? (1 - o.epsilon) / ties : 0) + o.epsilon / m };
      }
      case 'softmax': {
        this.fillScores(m, now, false);
        this.softmaxInto(m);
        let u = this.random.uniform();
        let pick = m - 1;
        for (let i = 0; i < m; i++) {
          u -= this.aux[i] as number;
          if (u < 0) {
            pick = i;
            break;
          }
        }
        return { arm: this.armAt(pick), propensity: this.aux[pick] as number };
      }
      default: {
        const _: never = o.kind;
        throw _;
      }
    }
  }

  /**
   * Every eligible arm with its score (see {@link RankedArm.score}) and the probability that `select`
   * would choose it now, best score first. Uses a random draw for the sampling kinds.
   * @throws AttuneError `INVALID_ARGUMENT` as {@link select}.
   */
  rank(context?: BanditContext, options?: SelectOptions): RankedArm[] {
    const m = this.prepare('bandit.rank', context, options);
    const now = this.readNow(options);
    const o = this.o;
    this.selects++;
    const sampled = o.kind === 'thompson' || o.kind === 'linear-thompson';
    const at = sampled ? this.reserveParams(m) : -1;
    this.fillScores(m, now, sampled, at);
    const scores = Array.from(this.scores.subarray(0, m));
    const ids = Array.from(this.eligible.subarray(0, m), (i) => (this.armList[i] as ArmState).id);
    let probabilities: () => ArrayLike<number>;
    switch (o.kind) {
      case 'thompson':
      case 'linear-thompson':
        {
          const estimate = this.shareEstimate(at, m);
          probabilities = () => estimate.all();
        }
        break;
      case 'ucb1':
      case 'linucb': {
        const ties = this.countTies(m);
        const p = Array.from(this.aux.subarray(0, m), (top) => (top === 1 ? 1 / ties : 0));
        probabilities = () => p;
        break;
      }
      case 'epsilon-greedy': {
        const ties = this.countTies(m);
        const p = Array.from(
          this.aux.subarray(0, m),
          (top) => (top === 1 ? (1 - o.epsilon) / ties : 0) + o.epsilon / m,
        );
        probabilities = () => p;
        break;
      }
      case 'softmax': {
        this.softmaxInto(m);
        const p = Array.from(this.aux.subarray(0, m));
        probabilities = () => p;
        break;
      }
      default: {
        const _: never = o.kind;
        throw _;
      }
    }
    const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    return order.map((i) => {
      const entry = { arm: ids[i] as string, score: scores[i] as number } as RankedArm;
      Object.defineProperty(entry, 'propensity', { enumerable: true, get: () => probabilities()[i] as number });
      return entry;
    });
  }

  // ---------------------------------------------------------------- learn

  /**
   * Learns one reward for `arm`. With a finite `halfLife`, older evidence is discounted by
   * 2^(−age/halfLife) (age in update steps, or in ms when `at` is given). With a finite `window`,
   * the update that falls out of the window is removed. Change detection, if on, may reset the arm.
   * @throws AttuneError `UNKNOWN_ARM`, or `INVALID_ARGUMENT` for a bad reward, context or time.
   */
  update(arm: string, reward: number, context?: BanditContext, at?: number): void {
    const api = 'bandit.update';
    const state = typeof arm === 'string' ? this.byId.get(arm) : undefined;
    if (state === undefined) {
      checkArmId(arm, api);
      fail('UNKNOWN_ARM', `${api}: unknown arm ${describeValue(arm)}; add it with addArm first`);
    }
    if (!isFiniteNumber(reward))
      fail('INVALID_ARGUMENT', `${api}: reward must be a finite number, got ${describeValue(reward)}`);
    if (!this.linear && !(reward >= 0 && reward <= 1))
      fail('INVALID_ARGUMENT', `${api}: reward must be in [0, 1] for kind "${this.kind}", got ${reward}`);
    if (this.linear) this.checkContext(api, context);
    reward = positiveZero(reward);
    if (at !== undefined && !isFiniteNumber(at))
      fail('INVALID_ARGUMENT', `${api}: at must be a finite time in ms, got ${describeValue(at)}`);
    const mode = at === undefined ? 'steps' : 'ms';
    if (this.clock !== null && this.clock !== mode) {
      const what =
        mode === 'ms' ? 'at was given, but earlier updates had none' : 'at is missing, but earlier updates had one';
      fail('INVALID_ARGUMENT', `${api}: ${what}; give at on every update or on none`);
    }
    const x = this.linear ? this.contextRow(context as BanditContext) : null;
    const residual = x !== null && state.lin !== null ? reward - dot(state.lin.theta, x, this.d) : reward;
    // the detector refuses a non-finite residual: refuse it here, before anything changes
    if (state.detector !== null && !Number.isFinite(residual)) {
      fail(
        'INVALID_ARGUMENT',
        `${api}: reward minus the predicted reward is not finite (reward ${reward}), so change detection cannot use it; rescale rewards to a smaller range`,
      );
    }
    // validated: from here on nothing throws
    this.clock = mode;
    this.steps += 1;
    let now: number;
    if (at === undefined) now = this.steps;
    else {
      now = at;
      this.lastAt = this.lastAt === null ? at : Math.max(this.lastAt, at);
    }
    this.learn(state, reward, x, now, 1);
    if (this.o.window !== Infinity) this.pushWindow(state, reward, x);
    if (state.detector !== null && state.detector.update(residual)) {
      this.detectionCount += 1;
      if (this.o.changeDetection?.reset === 'all') this.restart();
      else {
        this.forget(state);
        this.detachFromWindow(state);
      }
    }
  }

  /**
   * The point estimate and effective evidence of every arm: the posterior mean
   * (α₀ + s)/(α₀ + β₀ + n) for the Bernoulli kinds, θ̂ᵀx for the linear kinds.
   * @throws AttuneError `INVALID_ARGUMENT` for a bad context (linear kinds) or time.
   */
  expectations(context?: BanditContext, options?: { at?: number }): ArmExpectation[] {
    const api = 'bandit.expectations';
    if (this.linear) this.checkContext(api, context);
    this.checkAt(api, options);
    const now = this.readNow(options);
    return this.armList.map((arm) => {
      const f = this.factor(arm, now);
      if (arm.lin !== null)
        return { arm: arm.id, mean: dot(arm.lin.theta, context as BanditContext, this.d), evidence: arm.n.value * f };
      const n = this.decay.read(arm.n, now);
      const s = this.decay.read(arm.s, now);
      return { arm: arm.id, mean: (this.o.priorAlpha + s) / (this.o.priorAlpha + this.o.priorBeta + n), evidence: n };
    });
  }

  // ---------------------------------------------------------------- arms

  /**
   * Adds an arm, with no evidence or with a copy of another arm's statistics.
   * @throws AttuneError `DUPLICATE_ARM`, `UNKNOWN_ARM` (warmStartFrom), `INVALID_ARGUMENT`.
   */
  addArm(id: string, options?: AddArmOptions): void {
    const api = 'bandit.addArm';
    checkArmId(id, api);
    check(!this.byId.has(id), 'DUPLICATE_ARM', `${api}: arm ${describeValue(id)} already exists; pick a new id`);
    check(
      options === undefined || (typeof options === 'object' && options !== null),
      'INVALID_ARGUMENT',
      `${api}: options must be an object like { warmStartFrom: 'a' }`,
    );
    const from = options?.warmStartFrom;
    let source: ArmState | undefined;
    if (from !== undefined) {
      checkArmId(from, api);
      source = this.byId.get(from);
      check(source !== undefined, 'UNKNOWN_ARM', `${api}: warmStartFrom names unknown arm ${describeValue(from)}`);
    }
    const arm = source === undefined ? freshArm(id, this.o, this.currentTime()) : copyArm(source, id, this.o);
    this.armList.push(arm);
    this.byId.set(id, arm);
    this.ensureScratch();
  }

  /** Removes an arm; it is never selected again. @throws AttuneError `UNKNOWN_ARM`. */
  removeArm(id: string): void {
    const arm = this.getArm('bandit.removeArm', id);
    this.armList.splice(this.armList.indexOf(arm), 1);
    this.byId.delete(id);
    this.detachFromWindow(arm);
  }

  /** Forgets one arm's statistics (back to the prior), e.g. after a detected change (Besson et al. 2020). @throws AttuneError `UNKNOWN_ARM`. */
  resetArm(id: string): void {
    const arm = this.getArm('bandit.resetArm', id);
    this.forget(arm);
    this.detachFromWindow(arm);
  }

  /** Forgets every arm's statistics and the window (a global restart); arms and the random stream stay. */
  restart(): void {
    for (const arm of this.armList) this.forget(arm);
    this.win = [];
    this.winHead = 0;
  }

  // ---------------------------------------------------------------- persist

  /** A JSON-safe snapshot; `restoreBandit(snapshot)` continues with exactly the same choices. */
  toJSON(): BanditSnapshot {
    const arms: ArmSnapshot[] = this.armList.map((arm) => {
      const snap: ArmSnapshot = {
        id: arm.id,
        t: arm.n.t,
        n: positiveZero(arm.n.value),
        s: positiveZero(arm.s.value),
        detector: arm.detector === null ? null : { ...arm.detector.toJSON() },
      };
      if (arm.lin !== null) {
        snap.A = Array.from(arm.lin.a, positiveZero);
        snap.Ainv = Array.from(arm.lin.inv, positiveZero);
        snap.b = Array.from(arm.lin.b, positiveZero);
        snap.prior = arm.lin.prior;
        snap.refresh = arm.lin.refresh;
      }
      return snap;
    });
    const window: WindowEntrySnapshot[] = [];
    for (let i = this.winHead; i < this.win.length; i++) {
      const e = this.win[i] as WindowEntry;
      const entry: WindowEntrySnapshot = { arm: e.arm === null ? null : e.arm.id, reward: positiveZero(e.reward) };
      if (e.context !== null) entry.context = Array.from(e.context, positiveZero);
      window.push(entry);
    }
    return {
      format: BANDIT_FORMAT,
      version: BANDIT_VERSION,
      options: optionsToJSON(this.o),
      random: this.random.state(),
      selects: this.selects,
      steps: this.steps,
      clock: this.clock,
      lastAt: this.lastAt,
      detections: this.detectionCount,
      arms,
      window,
    };
  }

  // ---------------------------------------------------------------- internals

  private getArm(api: string, id: string): ArmState {
    checkArmId(id, api);
    const arm = this.byId.get(id);
    check(arm !== undefined, 'UNKNOWN_ARM', `${api}: unknown arm ${describeValue(id)}`);
    return arm;
  }

  private armAt(k: number): string {
    return (this.armList[this.eligible[k] as number] as ArmState).id;
  }

  /** The clock's present: the step count, or the latest `at`. */
  private currentTime(): number {
    return this.clock === 'ms' ? (this.lastAt as number) : this.steps;
  }

  private readNow(options: { at?: number } | undefined): number {
    if (this.clock === 'ms' && options?.at !== undefined) return options.at;
    return this.currentTime();
  }

  private factor(arm: ArmState, now: number): number {
    return this.decay.factor(now - arm.n.t);
  }

  private checkAt(api: string, options: { at?: number } | undefined): void {
    if (options === undefined) return;
    if (typeof options !== 'object' || options === null) fail('INVALID_ARGUMENT', `${api}: options must be an object`);
    if (options.at !== undefined && !isFiniteNumber(options.at))
      fail('INVALID_ARGUMENT', `${api}: at must be a finite time in ms, got ${describeValue(options.at)}`);
  }

  private checkContext(api: string, context: unknown): void {
    const d = this.d;
    if (!((Array.isArray(context) || context instanceof Float64Array) && context.length === d)) {
      fail(
        'INVALID_ARGUMENT',
        `${api}: context must be a number[] or Float64Array of length ${d} for kind "${this.kind}", got ${describeValue(context)}`,
      );
    }
    const c = context as ArrayLike<unknown>;
    for (let i = 0; i < d; i++) {
      const v = c[i];
      if (!(typeof v === 'number' && v - v === 0))
        fail('INVALID_ARGUMENT', `${api}: context[${i}] must be a finite number, got ${describeValue(v)}`);
    }
  }

  /**
   * The validated context of an update as a row. The window keeps it, so then it is a copy
   * (−0 written as +0, so a snapshot is exact); otherwise the scratch row serves.
   */
  private contextRow(context: BanditContext): Float64Array {
    if (this.o.window !== Infinity) return Float64Array.from(context, positiveZero);
    this.ctx.set(context);
    return this.ctx;
  }

  /** Puts an arm back to the prior, its reference time now, and clears its detector. */
  private forget(arm: ArmState): void {
    const fresh = freshArm(arm.id, this.o, this.currentTime());
    arm.n = fresh.n;
    arm.s = fresh.s;
    arm.lin = fresh.lin;
    arm.detector?.reset();
  }

  /** Validates a select/rank call and fills `eligible`; returns how many arms are eligible. */
  private prepare(api: string, context: BanditContext | undefined, options: SelectOptions | undefined): number {
    if (this.linear) this.checkContext(api, context);
    this.checkAt(api, options);
    const exclude = options?.exclude;
    if (exclude !== undefined && !Array.isArray(exclude))
      fail('INVALID_ARGUMENT', `${api}: exclude must be an array of arm ids, got ${describeValue(exclude)}`);
    let m = 0;
    if (exclude === undefined || exclude.length === 0) {
      for (let i = 0; i < this.armList.length; i++) this.eligible[m++] = i;
    } else {
      const skip = new Set(exclude);
      for (let i = 0; i < this.armList.length; i++)
        if (!skip.has((this.armList[i] as ArmState).id)) this.eligible[m++] = i;
    }
    if (m === 0) {
      fail(
        'INVALID_ARGUMENT',
        this.armList.length === 0
          ? `${api}: there are no arms; add one with addArm`
          : `${api}: every arm is excluded; leave at least one arm out of exclude`,
      );
    }
    if (this.linear) this.ctx.set(context as BanditContext);
    return m;
  }

  /**
   * Fills `scores[0..m)` for the eligible arms: a draw (sampled kinds), the UCB index, or the mean.
   * With `paramsAt` ≥ 0 it also writes each arm's posterior parameters to `slab[paramsAt..)` —
   * (α, β) for Thompson, (mean, sd) for linear Thompson — for the lazy propensity.
   */
  private fillScores(m: number, now: number, draw: boolean, paramsAt = -1): void {
    const o = this.o;
    const params = this.slab;
    if (this.linear) {
      const x = this.ctx;
      for (let k = 0; k < m; k++) {
        const arm = this.armList[this.eligible[k] as number] as ArmState;
        const lin = arm.lin as LinearStats;
        const f = this.factor(arm, now);
        const mean = dot(lin.theta, x, this.d);
        const variance = f > 0 ? quadForm(lin.inv, x, this.vec, this.d) / f : Infinity;
        const sd = Math.sqrt(Math.max(0, variance));
        this.scores[k] =
          o.kind === 'linucb' ? mean + o.alpha * sd : draw ? mean + o.v * sd * this.random.normal() : mean;
        if (paramsAt >= 0) {
          params[paramsAt + 2 * k] = mean;
          params[paramsAt + 2 * k + 1] = o.v * sd;
        }
      }
      return;
    }
    let total = 0;
    if (o.kind === 'ucb1') {
      for (let k = 0; k < m; k++) {
        const arm = this.armList[this.eligible[k] as number] as ArmState;
        total += arm.n.value * this.factor(arm, now);
      }
    }
    const logTotal = Math.log(Math.max(total, 1));
    for (let k = 0; k < m; k++) {
      const arm = this.armList[this.eligible[k] as number] as ArmState;
      const f = this.factor(arm, now);
      const n = arm.n.value * f;
      const s = Math.min(n, Math.max(0, arm.s.value * f));
      switch (o.kind) {
        case 'thompson': {
          const a = o.priorAlpha + s;
          const b = o.priorBeta + n - s;
          if (paramsAt >= 0) {
            params[paramsAt + 2 * k] = a;
            params[paramsAt + 2 * k + 1] = b;
          }
          this.scores[k] = draw ? thompsonIndex(this.random.beta(a, b), a, b, o.optimistic) : a / (a + b);
          break;
        }
        case 'ucb1':
          this.scores[k] = n > 0 ? s / n + o.c * Math.sqrt(logTotal / n) : Infinity;
          break;
        default:
          this.scores[k] = (o.priorAlpha + s) / (o.priorAlpha + o.priorBeta + n);
      }
    }
  }

  /** Marks the arms with the top score in `aux` (1/0) and returns how many there are. */
  private countTies(m: number): number {
    let best = -Infinity;
    for (let k = 0; k < m; k++) if ((this.scores[k] as number) > best) best = this.scores[k] as number;
    let ties = 0;
    for (let k = 0; k < m; k++) {
      const top = (this.scores[k] as number) === best ? 1 : 0;
      this.aux[k] = top;
      ties += top;
    }
    return ties;
  }

  /** One of the `ties` marked arms, uniformly (no draw when there is only one). */
  private pickTie(m: number, ties: number): number {
    let r = ties > 1 ? this.random.int(ties) : 0;
    for (let k = 0; k < m; k++) {
      if (this.aux[k] === 1) {
        if (r === 0) return k;
        r -= 1;
      }
    }
    return 0;
  }

  private argmaxTies(m: number): number {
    return this.pickTie(m, this.countTies(m));
  }

  /** Softmax probabilities of `scores[0..m)` at the temperature, into `aux`. */
  private softmaxInto(m: number): void {
    let best = -Infinity;
    for (let k = 0; k < m; k++) if ((this.scores[k] as number) > best) best = this.scores[k] as number;
    let z = 0;
    for (let k = 0; k < m; k++) {
      const e = Math.exp(((this.scores[k] as number) - best) / this.o.temperature);
      this.aux[k] = e;
      z += e;
    }
    for (let k = 0; k < m; k++) this.aux[k] = (this.aux[k] as number) / z;
  }

  /** Room for `m` arms' posterior parameters and probabilities (NaN: not yet computed) in the slab; returns the offset. */
  private reserveParams(m: number): number {
    if (this.slabUsed + 3 * m > this.slab.length) {
      // earlier choices keep the old slab alive for as long as they live
      this.slab = new Float64Array(Math.max(SLAB_SIZE, 3 * m));
      this.slabUsed = 0;
    }
    const at = this.slabUsed;
    this.slabUsed += 3 * m;
    this.slab.fill(NaN, at + 2 * m, at + 3 * m);
    return at;
  }

  /** The lazy selection probabilities over the parameters that {@link fillScores} wrote at `at`. */
  private shareEstimate(at: number, m: number): ExactShares {
    const o = this.o;
    return new ExactShares(this.slab, at, m, this.linear, o.kind === 'thompson' && o.optimistic);
  }

  /** Adds (w = 1) or removes (w = −1, sliding window) one observation. */
  private learn(arm: ArmState, reward: number, x: Float64Array | null, now: number, w: number): void {
    const decay = this.decay;
    if (arm.lin === null) {
      if (w > 0) {
        decay.add(arm.n, 1, now);
        decay.add(arm.s, reward, now);
      } else {
        arm.n.value = Math.max(0, arm.n.value - 1);
        arm.s.value = Math.min(arm.n.value, Math.max(0, arm.s.value - reward));
      }
      return;
    }
    const lin = arm.lin;
    const d = this.d;
    let weight = w;
    if (w > 0 && decay.fades) {
      if (now >= arm.n.t) {
        this.rescale(lin, decay.factor(now - arm.n.t));
        decay.add(arm.n, 1, now);
        arm.s.t = now;
      } else {
        weight = decay.factor(arm.n.t - now);
        decay.add(arm.n, 1, now);
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
    const d = this.d;
    const prior = lin.prior * f;
    for (let i = 0; i < d * d; i++) lin.a[i] = (lin.a[i] as number) * f;
    for (let i = 0; i < d; i++) lin.b[i] = (lin.b[i] as number) * f;
    if (prior < this.o.lambda / 2) {
      for (let i = 0; i < d; i++) lin.a[i * d + i] = (lin.a[i * d + i] as number) + this.o.lambda - prior;
      lin.prior = this.o.lambda;
      invertSpd(lin.a, lin.inv, d);
      lin.refresh = 0;
    } else {
      const g = 1 / f;
      for (let i = 0; i < d * d; i++) lin.inv[i] = (lin.inv[i] as number) * g;
      lin.prior = prior;
    }
    matVec(lin.inv, lin.b, lin.theta, d);
  }

  private pushWindow(arm: ArmState, reward: number, x: Float64Array | null): void {
    this.win.push({ arm, reward, context: x });
    if (this.win.length - this.winHead > this.o.window) {
      const old = this.win[this.winHead] as WindowEntry;
      this.winHead += 1;
      if (old.arm !== null) this.learn(old.arm, old.reward, old.context, this.currentTime(), -1);
      if (this.winHead > 1024 && this.winHead * 2 > this.win.length) {
        this.win = this.win.slice(this.winHead);
        this.winHead = 0;
      }
    }
  }

  /** Window entries of a removed or reset arm must never be subtracted later. */
  private detachFromWindow(arm: ArmState): void {
    for (let i = this.winHead; i < this.win.length; i++) {
      const e = this.win[i] as WindowEntry;
      if (e.arm === arm) e.arm = null;
    }
  }

  private ensureScratch(): void {
    const k = this.armList.length;
    if (this.scores.length >= k) return;
    const size = Math.max(k, this.scores.length * 2);
    this.scores = new Float64Array(size);
    this.aux = new Float64Array(size);
    this.eligible = new Int32Array(size);
  }
}

/** @internal An arm with no evidence, its reference time at `now`. */
export function freshArm(id: string, o: ResolvedBanditOptions, now: number): ArmState {
  return {
    id,
    n: { value: 0, t: now },
    s: { value: 0, t: now },
    lin: isLinearKind(o.kind) ? freshLinear(o) : null,
    detector: makeDetector(o),
  };
}

function freshLinear(o: ResolvedBanditOptions): LinearStats {
  const d = o.dimension;
  const a = new Float64Array(d * d);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    a[i * d + i] = o.lambda;
    inv[i * d + i] = 1 / o.lambda;
  }
  return { a, inv, b: new Float64Array(d), theta: new Float64Array(d), prior: o.lambda, refresh: 0 };
}

function copyArm(source: ArmState, id: string, o: ResolvedBanditOptions): ArmState {
  const lin = source.lin;
  return {
    id,
    n: { ...source.n },
    s: { ...source.s },
    lin:
      lin === null
        ? null
        : {
            a: lin.a.slice(),
            inv: lin.inv.slice(),
            b: lin.b.slice(),
            theta: lin.theta.slice(),
            prior: lin.prior,
            refresh: lin.refresh,
          },
    detector: makeDetector(o),
  };
}

/** The detector the options ask for, or null. */
function makeDetector(o: ResolvedBanditOptions): ChangeDetector | null {
  const cd = o.changeDetection;
  if (cd === null) return null;
  switch (cd.kind) {
    case 'glr':
      return new GlrChangeDetector({ delta: cd.delta, model: cd.model, sigma: cd.sigma, maxHistory: cd.maxHistory });
    case 'page-hinkley':
      return new PageHinkleyDetector({ delta: cd.delta, threshold: cd.threshold });
    default: {
      const _: never = cd;
      throw new AttuneError('INVALID_OPTIONS', `createBandit: unknown changeDetection ${describeValue(_)}`);
    }
  }
}

/** One workspace for every bandit: reads are synchronous, so they never overlap. */
const quadrature = new IndexQuadrature();

/**
 * Selection probabilities of the Thompson kinds, computed by quadrature over the posteriors of the
 * choice (see `propensity.ts`): exact to the quadrature's accuracy, with no floor and no sampling,
 * so reading them never draws a random number. Computed on first read: one arm's for a select,
 * every arm's for a rank.
 */
class ExactShares {
  private everything = false;

  /**
   * `params[at..at + 2m)` holds (α, β) per arm, or (mean, sd) per arm for the linear kind;
   * `params[at + 2m..at + 3m)` the probabilities, NaN until computed.
   */
  constructor(
    private readonly params: Float64Array,
    private readonly at: number,
    private readonly m: number,
    private readonly linear: boolean,
    private readonly optimistic: boolean,
  ) {}

  /** P(arm k is chosen). */
  one(k: number): number {
    const slot = this.at + 2 * this.m + k;
    if (Number.isNaN(this.params[slot])) this.compute(k);
    return this.params[slot] as number;
  }

  /** Every arm's probability. */
  all(): Float64Array {
    const from = this.at + 2 * this.m;
    if (!this.everything) {
      this.compute(-1);
      this.everything = true;
    }
    return this.params.slice(from, from + this.m);
  }

  private compute(target: number): void {
    const { params, at, m } = this;
    const out = quadrature.output(m);
    if (this.linear) quadrature.gaussianShares(params, at, m, target, out);
    else quadrature.betaShares(params, at, m, this.optimistic, target, out);
    for (let k = target < 0 ? 0 : target; k < (target < 0 ? m : target + 1); k++) {
      params[at + 2 * m + k] = Math.min(1, Math.max(0, out[k] as number));
    }
  }
}

/** A Thompson choice whose propensity is computed on first read (see {@link ExactShares}). */
class SampledChoice implements BanditChoice {
  readonly #shares: ExactShares;
  readonly #index: number;

  constructor(
    readonly arm: string,
    shares: ExactShares,
    index: number,
  ) {
    this.#shares = shares;
    this.#index = index;
  }

  /** Never 0 for the arm chosen: a value below the smallest double is reported as that double. */
  get propensity(): number {
    return Math.max(this.#shares.one(this.#index), Number.MIN_VALUE);
  }

  toJSON(): { arm: string; propensity: number } {
    return { arm: this.arm, propensity: this.propensity };
  }
}

/** JSON has no −0: write +0 so a snapshot and its restored copy serialise alike. */
function positiveZero(v: number): number {
  return v + 0;
}
