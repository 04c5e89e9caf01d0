/**
 * ALS fitting cut into independent tasks, so that one fit can run inline
 * (`AlsModel.fit`), in time slices on the main thread, or spread over worker
 * threads — with the same numbers in every case.
 *
 * A fit is a fixed list of phases (phases.ts); the tasks of one phase are
 * independent, and each writes what it hands back into its own slot of
 * {@link FitSums.partials}:
 * - `init`: the seeded start of a block of rows, each row keyed by its own id;
 * - `gram`: the partial Gram YᵀY of a fixed block of rows (blocks depend only
 *   on the row count and k, and partials are summed in block order);
 * - `solve`: re-solve a range of rows against the fixed side, whose Gram the
 *   previous phases left in {@link FitSums} (each row depends only on its own
 *   entries and the side's plan, so any split gives the same factors); with
 *   `observed`, it also hands back the rows' part of the objective that
 *   depends on the factors (see {@link solveRows}).
 */
import { AttuneError } from '../../../errors.js';
import { dot, gramInto } from '../dense.js';
import { initialFactorsInto } from '../initialFactors.js';
import type { ResolvedAlsOptions } from '../options.js';
import { planSide, RowWorkspace, solveRows, type SidePlan, type SweepSettings, type WeightedRows } from '../sweep.js';

/** Which side a task works on: `user` rows (X) or `item` rows (Y). */
export type FitSide = 'user' | 'item';

/** One unit of work; see the file comment. */
export type FitTask =
  | { op: 'init'; side: FitSide; from: number; to: number }
  | { op: 'gram'; side: FitSide; from: number; to: number }
  | { op: 'solve'; side: FitSide; from: number; to: number; observed: boolean };

/** The arrays a fit works on; typed arrays, so they can live on shared memory. */
export interface FitArrays {
  /** Stable ids that key each row's seeded start (row numbers when absent). */
  userKeys?: readonly string[] | undefined;
  itemKeys?: readonly string[] | undefined;
  byUser: WeightedRows;
  byItem: WeightedRows;
  /** p_ui of each entry of `byUser`. */
  preference: Float64Array;
  /** User factors, userCount × k, row-major (updated in place). */
  x: Float64Array;
  /** Item factors, itemCount × k, row-major (updated in place). */
  y: Float64Array;
}

/**
 * What the phases of a fit hand to each other, beside the factors: typed
 * arrays, so that worker threads can share them and carry a fit from phase
 * to phase without the main thread.
 */
export interface FitSums {
  /** The phase under way: task i's partial Gram at i·k², or its part of the objective at i. */
  partials: Float64Array;
  /** YᵀY of the items as they stand (k × k). */
  itemGram: Float64Array;
  /** XᵀX of the users as they stand (k × k). */
  userGram: Float64Array;
  /** The last item solves' Σ (a·s² − 2t·s) over the observed pairs (one number). */
  observed: Float64Array;
  /** The objective after each sweep. */
  loss: Float64Array;
}

/** Room for the sums of a fit of `iterations` sweeps whose largest phase needs `partials` numbers. */
export function fitSums(
  k: number,
  iterations: number,
  partials: number,
  allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
): FitSums {
  return {
    partials: allocate(partials),
    itemGram: allocate(k * k),
    userGram: allocate(k * k),
    observed: allocate(1),
    loss: allocate(iterations),
  };
}

/** Multiply-adds a task should take at most (a few milliseconds): short enough to yield between, long enough to amortise a message. */
export const TASK_WORK = 1_000_000;

/** Rows per Gram block for `k` factors: fixed by k alone so the sum order never depends on threads. */
export function gramBlockRows(k: number): number {
  return Math.max(16, Math.floor(TASK_WORK / ((k * (k + 1)) / 2)));
}

/** Settings every task needs, from the resolved options. */
export function sweepSettings(o: ResolvedAlsOptions): SweepSettings {
  return { kind: o.kind, k: o.factors, regularization: o.regularization, solver: o.solver, cgSteps: o.cgSteps };
}

/** Runs tasks over one set of {@link FitArrays} and {@link FitSums}; a worker builds one over shared memory. */
export class FitCore {
  readonly settings: SweepSettings;
  private readonly arrays: FitArrays;
  private readonly sums: FitSums;
  private readonly workspace: RowWorkspace;
  /** Room for a Gram block's transposed rows, reused from task to task. */
  private columns = new Float64Array(0);
  /** The plan of the half-sweep under way (one per phase; a worker builds its own: the same numbers). */
  private plan: { phase: number; plan: SidePlan } | undefined;
  private readonly api: string;
  private readonly seed: number | string;

  constructor(options: ResolvedAlsOptions, arrays: FitArrays, sums: FitSums, api: string) {
    this.settings = sweepSettings(options);
    this.seed = options.seed;
    this.arrays = arrays;
    this.sums = sums;
    this.workspace = new RowWorkspace(options.factors);
    this.api = api;
  }

  /** Runs `task`, task number `slot` of phase number `phase`, writing what it hands back into its slot of the partials. */
  run(task: FitTask, phase: number, slot: number): void {
    const { k } = this.settings;
    const { x, y, byUser, byItem } = this.arrays;
    const { partials } = this.sums;
    switch (task.op) {
      case 'init': {
        const [rows, keys] = task.side === 'user' ? [x, this.arrays.userKeys] : [y, this.arrays.itemKeys];
        initialFactorsInto(rows, task.from, task.to, k, this.seed, task.side, keys);
        return;
      }
      case 'gram': {
        const rows = task.side === 'user' ? x : y;
        const count = task.to - task.from;
        if (this.columns.length < count * k) this.columns = new Float64Array(count * k);
        const gram = partials.subarray(slot * k * k, (slot + 1) * k * k);
        gramInto(rows.subarray(task.from * k, task.to * k), count, k, 0, gram, this.columns);
        return;
      }
      case 'solve': {
        const [data, solved, fixed, fixedGram] =
          task.side === 'user' ? [byUser, x, y, this.sums.itemGram] : [byItem, y, x, this.sums.userGram];
        if (this.plan?.phase !== phase)
          this.plan = { phase, plan: planSide(data, fixed, fixedGram, this.settings, this.api) };
        const { from, to, observed } = task;
        const { plan } = this.plan;
        const part = solveRows(data, solved, fixed, plan, this.settings, from, to, this.workspace, this.api, observed);
        if (observed) partials[slot] = part;
        return;
      }
      default: {
        const unknown: never = task;
        throw new AttuneError('INVALID_ARGUMENT', `${this.api}: unknown task ${JSON.stringify(unknown)}`);
      }
    }
  }
}

/** Trace of a k×k row-major matrix: Σ‖y_r‖² from a Gram. */
export function trace(m: Float64Array, k: number): number {
  let s = 0;
  for (let f = 0; f < k; f++) s += m[f * k + f] as number;
  return s;
}

/** ⟨A, B⟩ = Σ a_ij·b_ij for two k×k matrices. */
export function frobenius(a: Float64Array, b: Float64Array, k: number): number {
  return dot(a, 0, b, 0, k * k);
}
