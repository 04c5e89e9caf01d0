/**
 * What every bandit shares, whatever its policy: the arms, the clock (update steps, or ms when
 * updates carry `at`), discounting and the sliding window (Garivier & Moulines 2011), change
 * detection with its resets (Besson et al. 2020), the random stream, validation at the boundary,
 * and the snapshot. The policy, chosen once when the bandit is made, scores and chooses; the
 * evidence it reads (Beta–Bernoulli counts or a linear model per arm) learns.
 */
import { AttuneError, check, describeValue, isFiniteNumber, type AttuneErrorCode } from '../../errors.js';
import { positiveZero, type ArmState, type BanditState, type WindowEntry } from './arms.js';
import { Candidates } from './candidates.js';
import { BANDIT_FORMAT, BANDIT_VERSION } from './constants.js';
import { makeDetector } from './detectors.js';
import type { Evidence } from './evidence.js';
import { checkArmId, commonOptionsToJSON } from './options.js';
import type { BanditKind, Policy, ResolvedBandit } from './policies.js';
import { BanditRandom } from './random.js';
import type {
  AddArmOptions,
  ArmExpectation,
  ArmSnapshot,
  Bandit,
  BanditChoice,
  BanditContext,
  BanditSnapshot,
  RankedArm,
  SelectOptions,
  WindowEntrySnapshot,
} from './types.js';

function fail(code: AttuneErrorCode, message: string): never {
  throw new AttuneError(code, message);
}

/** The implementation behind {@link Bandit}, over one {@link Policy}. */
export class BanditCore implements Bandit {
  readonly kind: BanditKind;
  private readonly policy: Policy;
  private readonly evidence: Evidence;
  private readonly random: BanditRandom;
  private readonly candidates: Candidates;
  private armList: ArmState[];
  private byId = new Map<string, ArmState>();
  private selects: number;
  private steps: number;
  private clock: 'steps' | 'ms' | null;
  private lastAt: number | null;
  private detectionCount: number;
  private win: WindowEntry[];
  private winHead = 0;

  constructor(
    private readonly o: ResolvedBandit,
    state: BanditState,
  ) {
    this.policy = o.policy;
    this.kind = o.policy.kind;
    this.evidence = o.policy.evidence;
    this.random = new BanditRandom(o.common.seed, state.random);
    this.candidates = new Candidates(this.random);
    this.armList = state.arms;
    for (const arm of state.arms) this.byId.set(arm.id, arm);
    this.selects = state.selects;
    this.steps = state.steps;
    this.clock = state.clock;
    this.lastAt = state.lastAt;
    this.detectionCount = state.detections;
    this.win = state.window;
    this.candidates.reserve(this.armList.length);
  }

  /** A bandit with the given arms, none of them with evidence, and no update yet. */
  static create(resolved: ResolvedBandit, ids: ReadonlyArray<string>): BanditCore {
    const bandit = new BanditCore(resolved, {
      random: { block: 0, used: 0, spare: null },
      selects: 0,
      steps: 0,
      clock: null,
      lastAt: null,
      detections: 0,
      arms: [],
      window: [],
    });
    for (const id of ids) bandit.armList.push(bandit.freshArm(id, 0));
    for (const arm of bandit.armList) bandit.byId.set(arm.id, arm);
    bandit.candidates.reserve(ids.length);
    return bandit;
  }

  get arms(): ReadonlyArray<string> {
    return this.armList.map((a) => a.id);
  }

  get detections(): number {
    return this.detectionCount;
  }

  // ---------------------------------------------------------------- choose

  /**
   * Chooses an arm as the policy says: a posterior draw per arm (Thompson 1933; Agrawal & Goyal 2012,
   * 2013), the upper confidence index (Auer et al. 2002; Li et al. 2010), ε-greedy or softmax.
   * @throws AttuneError `INVALID_ARGUMENT` for a bad context, exclude list or time, or when every arm is excluded.
   */
  select(context?: BanditContext, options?: SelectOptions): BanditChoice {
    this.prepare('bandit.select', context, options);
    return this.policy.select(this.candidates);
  }

  /**
   * Every eligible arm with its score (see {@link RankedArm.score}) and the probability that `select`
   * would choose it now, best score first. Uses a random draw for the sampling kinds.
   * @throws AttuneError `INVALID_ARGUMENT` as {@link select}.
   */
  rank(context?: BanditContext, options?: SelectOptions): RankedArm[] {
    const c = this.prepare('bandit.rank', context, options);
    const probabilities = this.policy.rank(c);
    const scores = Array.from(c.scores.subarray(0, c.m));
    const ids = Array.from({ length: c.m }, (_, k) => c.idAt(k));
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
    this.evidence.checkReward(api, reward, this.kind);
    this.evidence.checkContext(api, context, this.kind);
    reward = positiveZero(reward);
    if (at !== undefined && !isFiniteNumber(at))
      fail('INVALID_ARGUMENT', `${api}: at must be a finite time in ms, got ${describeValue(at)}`);
    const mode = at === undefined ? 'steps' : 'ms';
    if (this.clock !== null && this.clock !== mode) {
      const what =
        mode === 'ms' ? 'at was given, but earlier updates had none' : 'at is missing, but earlier updates had one';
      fail('INVALID_ARGUMENT', `${api}: ${what}; give at on every update or on none`);
    }
    const x = this.evidence.row(context);
    const residual = this.evidence.residual(state, reward, x);
    // the detector refuses a non-finite residual: refuse it here, before anything changes
    if (state.detector !== null && !Number.isFinite(residual)) {
      fail(
        'INVALID_ARGUMENT',
        `${api}: reward minus the predicted reward is not finite (reward ${reward}), so change detection cannot use it; rescale rewards to a smaller range`,
      );
    }
    const fault = this.evidence.add(state, reward, x, at ?? this.steps + 1);
    if (fault !== null) {
      fail(
        'INVALID_ARGUMENT',
        `${api}: this update would leave arm ${describeValue(arm)} unsound (${fault}); rescale contexts and rewards to a smaller range`,
      );
    }
    // learned: from here on nothing throws
    this.clock = mode;
    this.steps += 1;
    if (at !== undefined) this.lastAt = this.lastAt === null ? at : Math.max(this.lastAt, at);
    if (this.o.common.window !== Infinity) this.pushWindow(state, reward, x);
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
    this.evidence.checkContext(api, context, this.kind);
    this.checkAt(api, options);
    const now = this.readNow(options);
    return this.armList.map((arm) => ({ arm: arm.id, ...this.evidence.expectation(arm, context, now) }));
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
    const arm = source === undefined ? this.freshArm(id, this.currentTime()) : this.copyArm(source, id);
    this.armList.push(arm);
    this.byId.set(id, arm);
    this.candidates.reserve(this.armList.length);
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
      this.evidence.writeArm(arm, snap);
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
      options: {
        kind: this.kind,
        ...commonOptionsToJSON(this.o.common),
        changeDetection: this.o.changeDetection,
        ...this.policy.optionsJSON(),
      },
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

  /** An arm with no evidence, its reference time at `now`. */
  private freshArm(id: string, now: number): ArmState {
    return {
      id,
      n: { value: 0, t: now },
      s: { value: 0, t: now },
      lin: this.evidence.fresh(),
      detector: makeDetector(this.o.changeDetection),
    };
  }

  private copyArm(source: ArmState, id: string): ArmState {
    return {
      id,
      n: { ...source.n },
      s: { ...source.s },
      lin: this.evidence.copy(source.lin),
      detector: makeDetector(this.o.changeDetection),
    };
  }

  /** Puts an arm back to the prior, its reference time now, and clears its detector. */
  private forget(arm: ArmState): void {
    const fresh = this.freshArm(arm.id, this.currentTime());
    arm.n = fresh.n;
    arm.s = fresh.s;
    arm.lin = fresh.lin;
    arm.detector?.reset();
  }

  private getArm(api: string, id: string): ArmState {
    checkArmId(id, api);
    const arm = this.byId.get(id);
    check(arm !== undefined, 'UNKNOWN_ARM', `${api}: unknown arm ${describeValue(id)}`);
    return arm;
  }

  /** The clock's present: the step count, or the latest `at`. */
  private currentTime(): number {
    return this.clock === 'ms' ? (this.lastAt as number) : this.steps;
  }

  private readNow(options: { at?: number } | undefined): number {
    if (this.clock === 'ms' && options?.at !== undefined) return options.at;
    return this.currentTime();
  }

  private checkAt(api: string, options: { at?: number } | undefined): void {
    if (options === undefined) return;
    if (typeof options !== 'object' || options === null) fail('INVALID_ARGUMENT', `${api}: options must be an object`);
    if (options.at !== undefined && !isFiniteNumber(options.at))
      fail('INVALID_ARGUMENT', `${api}: at must be a finite time in ms, got ${describeValue(options.at)}`);
  }

  /**
   * Checks a select/rank call, counts it, and fills the candidates — the eligible arms and their
   * evidence at the call's time — for the policy.
   */
  private prepare(api: string, context: BanditContext | undefined, options: SelectOptions | undefined): Candidates {
    this.evidence.checkContext(api, context, this.kind);
    this.checkAt(api, options);
    const exclude = options?.exclude;
    if (exclude !== undefined && !Array.isArray(exclude))
      fail('INVALID_ARGUMENT', `${api}: exclude must be an array of arm ids, got ${describeValue(exclude)}`);
    const c = this.candidates;
    let m = 0;
    if (exclude === undefined || exclude.length === 0) {
      for (const arm of this.armList) c.arms[m++] = arm;
    } else {
      const skip = new Set(exclude);
      for (const arm of this.armList) if (!skip.has(arm.id)) c.arms[m++] = arm;
    }
    if (m === 0) {
      fail(
        'INVALID_ARGUMENT',
        this.armList.length === 0
          ? `${api}: there are no arms; add one with addArm`
          : `${api}: every arm is excluded; leave at least one arm out of exclude`,
      );
    }
    c.m = m;
    const now = this.readNow(options);
    this.selects++;
    this.evidence.gather(c, now, context);
    return c;
  }

  private pushWindow(arm: ArmState, reward: number, x: Float64Array | null): void {
    this.win.push({ arm, reward, context: x });
    if (this.win.length - this.winHead > this.o.common.window) {
      const old = this.win[this.winHead] as WindowEntry;
      this.winHead += 1;
      // removing an extreme observation can cancel what A kept of λ: an arm left unsound starts over
      if (old.arm !== null && this.evidence.remove(old.arm, old.reward, old.context, this.currentTime()) !== null) {
        this.forget(old.arm);
        this.detachFromWindow(old.arm);
      }
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
}
