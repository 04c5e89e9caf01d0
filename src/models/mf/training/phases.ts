/**
 * The order of an ALS fit: a fixed list of phases whose tasks are known
 * before the fit starts (they depend on the data's shape, never on results),
 * and what each phase's results add up to. Who runs the tasks — inline, in
 * time slices, on worker threads that carry the fit from phase to phase by
 * themselves — is the runner's business (runners.ts, workers/), so every way
 * of running gives the same model.
 *
 * Phase 0 starts every row; phase 1 sums YᵀY of the starting items; then
 * each sweep runs the same steps: solve the users, sum XᵀX, solve the items
 * (they also score their entries for the objective), sum YᵀY and the
 * objective after the sweep. A side whose shape asks for a plan (whitened
 * fixed rows, z = G⁻¹y: see sweep.ts's SideShape) gets a step before its
 * solve that builds it across the threads; the Gram step before it factors G.
 */
import type { ResolvedAlsOptions } from '../options.js';
import { rowCostModel, sharedSystem, sideShape, type SideShape, type WeightedRows } from '../sweep.js';
import { factorInto } from '../whitening.js';
import {
  frobenius,
  gramBlockRows,
  TASK_WORK,
  trace,
  type FitArrays,
  type FitSide,
  type FitSums,
  type FitTask,
  type SumsLayout,
  sweepSettings,
} from './fitCore.js';

/** What a finished fit leaves besides the factors: YᵀY of the final items and the loss per sweep. */
export interface FitOutcome {
  itemGram: Float64Array;
  loss: number[];
}

/** Consecutive row ranges whose estimated work stays under {@link TASK_WORK} (a longer row gets a range of its own). */
export function rowRanges(data: WeightedRows, costOfRow: (n: number) => number): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  let work = 0;
  for (let r = 0; r < data.rows; r++) {
    const cost = costOfRow((data.indptr[r + 1] as number) - (data.indptr[r] as number)) + 1;
    if (r > from && work + cost > TASK_WORK) {
      ranges.push([from, r]);
      from = r;
      work = 0;
    }
    work += cost;
  }
  if (data.rows > from) ranges.push([from, data.rows]);
  return ranges;
}

function blocks(rows: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 0; from < rows; from += size) out.push([from, Math.min(rows, from + size)]);
  return out;
}

/** Phases before the first sweep. */
const FIRST_SWEEP = 2;

/** One step of a sweep: its tasks, and the side they work on. */
interface Step {
  tasks: FitTask[];
  op: FitTask['op'];
  side: FitSide;
}

const other = (side: FitSide): FitSide => (side === 'user' ? 'item' : 'user');

/** The phases of a fit of `o.iterations` sweeps (users, then items) on `arrays`; see the file comment. */
export class FitSchedule {
  /** How many phases the fit has. */
  readonly phaseCount: number;
  /** How big the fit's {@link FitSums} must be. */
  readonly layout: SumsLayout;
  private readonly k: number;
  private readonly o: ResolvedAlsOptions;
  private readonly userCount: number;
  private readonly itemCount: number;
  private readonly init: FitTask[];
  private readonly gram: Record<FitSide, FitTask[]>;
  /** The steps of every sweep, in order; the last ends the sweep. */
  private readonly steps: Step[];
  /** What each side's row solves share beyond G (see sweep.ts's SideShape): the fit's cores solve by it. */
  readonly shapes: Record<FitSide, SideShape>;
  /** Whether solving a side needs a plan step first. */
  private readonly planned: Record<FitSide, boolean>;
  /** The observed pairs' part of the objective that does not depend on the factors: Σ t·p. */
  private readonly fixedTotal: number;
  /** Their extra weight Σ a. */
  private readonly observedWeight: number;

  constructor(o: ResolvedAlsOptions, arrays: FitArrays) {
    const k = o.factors;
    const { byUser, byItem } = arrays;
    this.k = k;
    this.o = o;
    this.userCount = byUser.rows;
    this.itemCount = byItem.rows;
    const settings = sweepSettings(o);
    const gramTasks = (side: FitSide, rows: number): FitTask[] =>
      blocks(rows, gramBlockRows(k)).map(([from, to]) => ({ op: 'gram', side, from, to }));
    const solveTasks = (side: FitSide, data: WeightedRows, fixedRows: number): FitTask[] =>
      rowRanges(data, rowCostModel(data, fixedRows, settings)).map(([from, to]) => ({
        op: 'solve',
        side,
        from,
        to,
        observed: side === 'item',
      }));
    // A seeded row start costs about 400·k multiply-adds' time (a keyed generator per row).
    const initTasks = (side: FitSide, rows: number): FitTask[] =>
      blocks(rows, Math.max(1, Math.floor(TASK_WORK / (400 * k)))).map(([from, to]) => ({
        op: 'init',
        side,
        from,
        to,
      }));
    // Whitening a fixed row and forming its z cost about k² multiply-adds.
    const planTasks = (side: FitSide, fixedRows: number): FitTask[] =>
      blocks(fixedRows, Math.max(1, Math.floor(TASK_WORK / (4 * k * k)))).map(([from, to]) => ({
        op: 'plan',
        side,
        from,
        to,
      }));
    this.shapes = {
      user: sideShape(byUser, this.itemCount, settings),
      item: sideShape(byItem, this.userCount, settings),
    };
    this.planned = {
      user: this.shapes.user.whiten || this.shapes.user.exact,
      item: this.shapes.item.whiten || this.shapes.item.exact,
    };
    this.init = [...initTasks('user', this.userCount), ...initTasks('item', this.itemCount)];
    this.gram = { user: gramTasks('user', this.userCount), item: gramTasks('item', this.itemCount) };
    const solve = {
      user: solveTasks('user', byUser, this.itemCount),
      item: solveTasks('item', byItem, this.userCount),
    };
    const fixedRows = { user: this.itemCount, item: this.userCount };
    const step = (tasks: FitTask[], op: FitTask['op'], side: FitSide): Step => ({ tasks, op, side });
    this.steps = (['user', 'item'] as const).flatMap((side) => [
      ...(this.planned[side] ? [step(planTasks(side, fixedRows[side]), 'plan', side)] : []),
      step(solve[side], 'solve', side),
      step(this.gram[side], 'gram', side),
    ]);
    this.phaseCount = FIRST_SWEEP + this.steps.length * o.iterations;
    this.layout = {
      iterations: o.iterations,
      partials: Math.max(1, Math.max(this.gram.user.length, this.gram.item.length) * k * k, solve.item.length),
      planRows: Math.max(this.planned.user ? fixedRows.user : 0, this.planned.item ? fixedRows.item : 0),
    };
    let fixedTotal = 0;
    let observedWeight = 0;
    for (let e = 0; e < arrays.preference.length; e++) {
      fixedTotal += (byUser.target[e] as number) * (arrays.preference[e] as number);
      observedWeight += byUser.curvature[e] as number;
    }
    this.fixedTotal = fixedTotal;
    this.observedWeight = observedWeight;
  }

  /** The tasks of phase `phase` (0 ≤ phase < {@link phaseCount}). */
  tasks(phase: number): readonly FitTask[] {
    return this.step(phase).tasks;
  }

  private step(phase: number): Step {
    if (phase === 0) return { tasks: this.init, op: 'init', side: 'user' };
    if (phase < FIRST_SWEEP) return { tasks: this.gram.item, op: 'gram', side: 'item' };
    return this.steps[(phase - FIRST_SWEEP) % this.steps.length] as Step;
  }

  /**
   * Adds up what the tasks of phase `phase` wrote into `sums.partials`, in
   * task order: a Gram into `itemGram` / `userGram` (and, when the other
   * side is solved next with a plan, the factor of its G into `plan`), the
   * item solves' parts into `observed`, and at the end of a sweep its
   * objective into `loss`. Returns the number of the sweep the phase ended, or 0.
   */
  finish(phase: number, sums: FitSums): number {
    const { tasks, op, side } = this.step(phase);
    if (op === 'gram') {
      const gram = side === 'user' ? sums.userGram : sums.itemGram;
      sumGramsInto(sums.partials, tasks.length, this.k, gram);
      if (phase + 1 < this.phaseCount && this.planned[other(side)]) {
        const { o, k } = this;
        const g = sharedSystem(o.kind, gram, k, o.regularization);
        sums.plan.ready[0] = factorInto(g, k, sums.plan.factor) ? 1 : 0;
      }
    }
    if (op === 'solve' && side === 'item') {
      let observed = 0;
      for (let i = 0; i < tasks.length; i++) observed += sums.partials[i] as number;
      sums.observed[0] = observed;
    }
    if (phase < FIRST_SWEEP || (phase - FIRST_SWEEP + 1) % this.steps.length !== 0) return 0;
    const sweep = (phase - FIRST_SWEEP + 1) / this.steps.length;
    sums.loss[sweep - 1] = this.loss(sums);
    return sweep;
  }

  /** The normalised objective of the factors as they stand (see loss.ts), from the sums of the sweep just ended. */
  private loss(sums: FitSums): number {
    const { o, k } = this;
    const implicit = o.kind === 'implicit';
    // Implicit: every pair weighs 1 (⟨XᵀX, YᵀY⟩ over all pairs) plus the observed extra; explicit: observed pairs only.
    let total = this.fixedTotal + (sums.observed[0] as number);
    if (implicit) total += frobenius(sums.userGram, sums.itemGram, k);
    total += o.regularization * (trace(sums.userGram, k) + trace(sums.itemGram, k));
    const weight = (implicit ? this.userCount * this.itemCount : 0) + this.observedWeight;
    return weight > 0 ? total / weight : 0;
  }
}

/** The outcome of a finished fit, copied out of its sums (which may be shared with threads that serve other fits next). */
export function fitOutcome(sums: FitSums): FitOutcome {
  return { itemGram: Float64Array.from(sums.itemGram), loss: Array.from(sums.loss) };
}

/** out = Σ_i partials[i·k² ..] over `count` partial Grams, in order (from zero, so the bits never depend on who summed). */
function sumGramsInto(partials: Float64Array, count: number, k: number, out: Float64Array): void {
  out.fill(0);
  for (let t = 0; t < count; t++) {
    const at = t * k * k;
    for (let i = 0; i < k * k; i++) out[i] = (out[i] as number) + (partials[at + i] as number);
  }
}
