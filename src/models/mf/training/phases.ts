/**
 * The order of an ALS fit as a generator of phases: it yields the tasks of
 * one phase, receives their results (in task order) and goes on. Who runs
 * the tasks — inline, in time slices, on worker threads — is the caller's
 * business (see runners.ts), so every way of running gives the same model.
 */
import type { ResolvedAlsOptions } from '../options.js';
import { rowCostModel, type WeightedRows } from '../sweep.js';
import {
  frobenius,
  gramBlockRows,
  TASK_WORK,
  trace,
  type FitArrays,
  type FitResult,
  type FitSide,
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

function sumGrams(results: readonly FitResult[], k: number): Float64Array {
  const total = new Float64Array(k * k);
  for (const r of results) {
    const gram = (r as { gram: Float64Array }).gram;
    for (let i = 0; i < total.length; i++) total[i] = (total[i] as number) + (gram[i] as number);
  }
  return total;
}

/**
 * The phases of a fit of `o.iterations` sweeps (users, then items) on `arrays`
 * with `userCount` users and `itemCount` items; calls `onProgress` after each sweep.
 */
export function* fitPhases(
  o: ResolvedAlsOptions,
  arrays: FitArrays,
  onProgress?: (progress: SweepProgress) => void,
): Generator<FitTask[], FitOutcome, FitResult[]> {
  const k = o.factors;
  const { byUser, byItem } = arrays;
  const userCount = byUser.rows;
  const itemCount = byItem.rows;
  const gramSize = gramBlockRows(k);
  const gramTasks = (side: FitSide, rows: number): FitTask[] =>
    blocks(rows, gramSize).map(([from, to]) => ({ op: 'gram', side, from, to }));
  const settings = sweepSettings(o);
  const userRanges = rowRanges(byUser, rowCostModel(byUser, itemCount, settings));
  const itemRanges = rowRanges(byItem, rowCostModel(byItem, userCount, settings));
  const solveTasks = (side: FitSide, ranges: [number, number][], sweep: number, fixedGram: Float64Array): FitTask[] =>
    ranges.map(([from, to]) => ({ op: 'solve', side, from, to, sweep, fixedGram, observed: side === 'item' }));
  // The observed pairs' part of the objective that does not depend on the factors: Σ t·p, and their extra weight Σ a.
  let fixedTotal = 0;
  let observedWeight = 0;
  for (let e = 0; e < arrays.preference.length; e++) {
    fixedTotal += (byUser.target[e] as number) * (arrays.preference[e] as number);
    observedWeight += byUser.curvature[e] as number;
  }

  // A seeded row start costs about 400·k multiply-adds' time (a keyed generator per row).
  const initTasks = (side: FitSide, rows: number): FitTask[] =>
    blocks(rows, Math.max(1, Math.floor(TASK_WORK / (400 * k)))).map(([from, to]) => ({ op: 'init', side, from, to }));
  yield [...initTasks('user', userCount), ...initTasks('item', itemCount)];
  let itemGram = sumGrams(yield gramTasks('item', itemCount), k);
  const loss: number[] = [];
  for (let iteration = 1; iteration <= o.iterations; iteration++) {
    yield solveTasks('user', userRanges, iteration, itemGram);
    const userGram = sumGrams(yield gramTasks('user', userCount), k);
    // The item solves also hand back Σ (a·s² − 2t·s) over the observed pairs, s scored with the new factors.
    let total = fixedTotal;
    for (const r of yield solveTasks('item', itemRanges, iteration, userGram))
      total += (r as { observed: number }).observed;
    itemGram = sumGrams(yield gramTasks('item', itemCount), k);
    // Implicit: every pair weighs 1 (⟨XᵀX, YᵀY⟩ over all pairs) plus the observed extra; explicit: observed pairs only.
    if (o.kind === 'implicit') total += frobenius(userGram, itemGram, k);
    const weight = (o.kind === 'implicit' ? userCount * itemCount : 0) + observedWeight;
    total += o.regularization * (trace(userGram, k) + trace(itemGram, k));
    const value = weight > 0 ? total / weight : 0;
    loss.push(value);
    onProgress?.({ iteration, iterations: o.iterations, loss: value });
  }
  return { itemGram, loss };
}
