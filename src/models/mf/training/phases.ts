/**
 * The order of an ALS fit: a fixed list of phases whose tasks are known
 * before the fit starts (they depend on the data's shape, never on results),
 * and what each phase's results add up to. Who runs the tasks — inline, in
 * time slices, on worker threads that carry the fit from phase to phase by
 * themselves — is the runner's business (runners.ts, workers/), so every way
 * of running gives the same model.
 *
 * Phase 0 starts every row; phase 1 sums YᵀY of the starting items; sweep t
 * (1-based) is the four phases from 2 + 4(t − 1): solve the users, sum XᵀX,
 * solve the items (they also score their entries for the objective), sum YᵀY
 * and the objective after the sweep.
 */
import type { ResolvedAlsOptions } from '../options.js';
import { rowCostModel, type WeightedRows } from '../sweep.js';
import {
  frobenius,
  gramBlockRows,
  TASK_WORK,
  trace,
  type FitArrays,
  type FitSide,
  type FitSums,
  type FitTask,
  sweepSettings,
} from './fitCore.js';

/** Reported after every sweep. */
export interface SweepProgress {
  /** 1-based number of the sweep just finished. */
  iteration: number;
  iterations: number;
  /** The normalised objective after this sweep (see loss.ts). */
  loss: number;
}

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

/** Phases before the first sweep, and per sweep. */
const FIRST_SWEEP = 2;
const PER_SWEEP = 4;

/** The phases of a fit of `o.iterations` sweeps (users, then items) on `arrays`; see the file comment. */
export class FitSchedule {
  /** How many phases the fit has. */
  readonly phaseCount: number;
  /** Numbers {@link FitSums.partials} must hold for the largest phase. */
  readonly partialsLength: number;
  private readonly k: number;
  private readonly o: ResolvedAlsOptions;
  private readonly userCount: number;
  private readonly itemCount: number;
  private readonly init: FitTask[];
  private readonly gram: Record<FitSide, FitTask[]>;
  private readonly solve: Record<FitSide, FitTask[]>;
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
    this.phaseCount = FIRST_SWEEP + PER_SWEEP * o.iterations;
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
    this.init = [...initTasks('user', this.userCount), ...initTasks('item', this.itemCount)];
    this.gram = { user: gramTasks('user', this.userCount), item: gramTasks('item', this.itemCount) };
    this.solve = { user: solveTasks('user', byUser, this.itemCount), item: solveTasks('item', byItem, this.userCount) };
    this.partialsLength = Math.max(
      1,
      Math.max(this.gram.user.length, this.gram.item.length) * k * k,
      this.solve.item.length,
    );
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
    if (phase === 0) return this.init;
    if (phase < FIRST_SWEEP) return this.gram.item;
    switch ((phase - FIRST_SWEEP) % PER_SWEEP) {
      case 0:
        return this.solve.user;
      case 1:
        return this.gram.user;
      case 2:
        return this.solve.item;
      default:
        return this.gram.item;
    }
  }

  /**
   * Adds up what the tasks of phase `phase` wrote into `sums.partials`, in
   * task order: a Gram into `itemGram` / `userGram`, the item solves' parts
   * into `observed`, and at the end of a sweep its objective into `loss`.
   * Returns the number of the sweep the phase ended, or 0.
   */
  finish(phase: number, sums: FitSums): number {
    const tasks = this.tasks(phase);
    const op = tasks[0]?.op;
    const side = tasks[0]?.side;
    if (op === 'gram')
      sumGramsInto(sums.partials, tasks.length, this.k, side === 'user' ? sums.userGram : sums.itemGram);
    if (op === 'solve' && side === 'item') {
      let observed = 0;
      for (let i = 0; i < tasks.length; i++) observed += sums.partials[i] as number;
      sums.observed[0] = observed;
    }
    if (phase < FIRST_SWEEP || (phase - FIRST_SWEEP) % PER_SWEEP !== PER_SWEEP - 1) return 0;
    const sweep = (phase - FIRST_SWEEP - (PER_SWEEP - 1)) / PER_SWEEP + 1;
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
