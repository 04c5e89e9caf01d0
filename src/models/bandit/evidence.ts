/**
 * How the arms of a bandit hold their evidence — the one thing that differs between the
 * context-free kinds (Beta–Bernoulli counts, `beta.ts`) and the linear kinds (a ridge regression
 * per arm, `linear.ts`). Policies read it through {@link Evidence.gather}; the bandit's core learns,
 * forgets, snapshots and restores through the rest.
 */
import type { ArmState } from './arms.js';
import type { Candidates } from './candidates.js';
import type { LinearStats } from './linear.js';
import type { ArmExpectation, ArmSnapshot, BanditContext } from './types.js';

export interface Evidence {
  /** Length of every context; 0 for the context-free kinds. */
  readonly dimension: number;
  /** The options this evidence was made from, as a snapshot writes them (`prior`, or `dimension` and `lambda`). */
  optionsJSON(): Record<string, unknown>;
  /** Refuses a context this evidence cannot read; `kind` names the bandit in the message. */
  checkContext(api: string, context: unknown, kind: string): void;
  /** Refuses a finite reward this evidence cannot learn. */
  checkReward(api: string, reward: number, kind: string): void;
  /** A fresh arm's linear model (the prior), or null for the context-free kinds. */
  fresh(): LinearStats | null;
  /** A copy of an arm's linear model, or null. */
  copy(lin: LinearStats | null): LinearStats | null;
  /** Writes each candidate's evidence at `now` into `c` (`n`, `s` or `mean`, `sd`); `context` is checked. */
  gather(c: Candidates, now: number, context: BanditContext | undefined): void;
  /** The checked context of an update as the arm learns it (kept by the window when there is one), or null. */
  row(context: BanditContext | undefined): Float64Array | null;
  /** Reward minus the arm's prediction for `x`: what change detection watches. */
  residual(arm: ArmState, reward: number, x: Float64Array | null): number;
  /**
   * Adds one observation at `now`. When it would leave the arm's statistics unsound — not what
   * {@link readArm} accepts — changes nothing and says why; otherwise returns null.
   */
  add(arm: ArmState, reward: number, x: Float64Array | null, now: number): string | null;
  /** Removes an observation the sliding window lets go of; says why the arm is unsound after it, or returns null. */
  remove(arm: ArmState, reward: number, x: Float64Array | null, now: number): string | null;
  /** The arm's point estimate for a checked context, and its effective evidence, at `now`. */
  expectation(arm: ArmState, context: BanditContext | undefined, now: number): Omit<ArmExpectation, 'arm'>;
  /** Adds the arm's model to its snapshot. */
  writeArm(arm: ArmState, snapshot: ArmSnapshot): void;
  /**
   * Reads an arm's model from its snapshot, refusing one that no sequence of updates could give
   * (which {@link add} and {@link remove} never leave).
   * @throws AttuneError `BAD_SNAPSHOT` naming `what`.
   */
  readArm(json: Record<string, unknown>, what: string): LinearStats | null;
  /** Reads the context of a window entry from a snapshot. @throws AttuneError `BAD_SNAPSHOT`. */
  readContext(json: unknown, what: string): Float64Array | null;
}
