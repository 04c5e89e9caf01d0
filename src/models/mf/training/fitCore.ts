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
 * - `plan`: for a side whose shape asks for it (see {@link SideShape}), whiten
 *   a block of the fixed rows (and form z = G⁻¹y) with the factor of G the
 *   previous phase left in {@link FitSums.plan}, so the threads share that
 *   work instead of each doing all of it;
 * - `solve`: re-solve a range of rows against the fixed side, whose Gram the
 *   previous phases left in {@link FitSums} (each row depends only on its own
 *   entries and the side's plan, so any split gives the same factors); with
 *   `observed`, it also hands back the rows' part of the objective that
 *   depends on the factors (see {@link solveRows}).
 */
import { AttuneError } from '../../../errors.js';
import { numericError } from '../choleskySolver.js';
import { dot, gramInto } from '../dense.js';
import { factorParts, inverseRowsInto, whitenRowsInto } from '../whitening.js';
import { initialFactorsInto } from '../initialFactors.js';
import type { ResolvedAlsOptions } from '../options.js';
import {
  RowWorkspace,
  sharedSystem,
  solveRows,
  type SidePlan,
  type SideShape,
  type SweepSettings,
  type WeightedRows,
} from '../sweep.js';

/** Which side a task works on: `user` rows (X) or `item` rows (Y). */
export type FitSide = 'user' | 'item';

/** One unit of work; see the file comment. */
export type FitTask =
  | { op: 'init'; side: FitSide; from: number; to: number }
  | { op: 'gram'; side: FitSide; from: number; to: number }
  | { op: 'plan'; side: FitSide; from: number; to: number }
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
  /** The plan of the side solved next, when its shape asks for one (empty otherwise). */
  plan: {
    /** Lᵀ, L⁻ᵀ and L⁻¹ of G = LLᵀ (see whitening.ts's factorInto). */
    factor: Float64Array;
    /** 1 when `factor` holds the factor of this half-sweep's G, 0 when G was not positive definite. */
    ready: Float64Array;
    /** ỹ = L⁻¹y for every fixed row. */
    whitened: Float64Array;
    /** z = G⁻¹y for every fixed row (exact short rows only). */
    inverse: Float64Array;
  };
}

/** How big the sums of a fit are (see {@link FitSchedule}). */
export interface SumsLayout {
  iterations: number;
  /** Numbers the largest phase writes into the partials. */
  partials: number;
  /** Fixed rows of the largest side plan (0: no side needs one). */
  planRows: number;
}

/** Room for the sums of a fit with `k` factors laid out as `layout`. */
export function fitSums(
  k: number,
  layout: SumsLayout,
  allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
): FitSums {
  const planned = layout.planRows > 0;
  return {
    partials: allocate(layout.partials),
    itemGram: allocate(k * k),
    userGram: allocate(k * k),
    observed: allocate(1),
    loss: allocate(layout.iterations),
    plan: {
      factor: allocate(planned ? 3 * k * k : 0),
      ready: allocate(1),
      whitened: allocate(layout.planRows * k),
      inverse: allocate(layout.planRows * k),
    },
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
  private readonly shapes: Record<FitSide, SideShape>;
  private readonly api: string;
  private readonly seed: number | string;

  /** `shapes` are the fit's schedule's (see {@link FitSchedule.shapes}). */
  constructor(
    options: ResolvedAlsOptions,
    arrays: FitArrays,
    sums: FitSums,
    shapes: Record<FitSide, SideShape>,
    api: string,
  ) {
    this.settings = sweepSettings(options);
    this.seed = options.seed;
    this.arrays = arrays;
    this.sums = sums;
    this.workspace = new RowWorkspace(options.factors);
    this.api = api;
    this.shapes = shapes;
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
      case 'plan': {
        const { plan } = this.sums;
        const shape = this.shapes[task.side];
        if (plan.ready[0] !== 1) {
          // without the factor, whitened rows fall back to plain CG; exact rows have no fallback
          if (shape.exact) throw numericError(this.api, 'the system is not positive definite (raise regularization)');
          return;
        }
        const fixed = task.side === 'user' ? y : x;
        whitenRowsInto(plan.factor, k, fixed, task.from, task.to, plan.whitened);
        if (shape.exact) inverseRowsInto(plan.factor, k, plan.whitened, task.from, task.to, plan.inverse);
        return;
      }
      case 'solve': {
        const [data, solved, fixed, fixedGram] =
          task.side === 'user' ? [byUser, x, y, this.sums.itemGram] : [byItem, y, x, this.sums.userGram];
        if (this.plan?.phase !== phase) this.plan = { phase, plan: this.sidePlan(task.side, fixedGram) };
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

  /** The plan of solving `side` against the Gram `fixedGram` of the fixed side, from what the plan phase left in the sums. */
  private sidePlan(side: FitSide, fixedGram: Float64Array): SidePlan {
    const { kind, k, regularization } = this.settings;
    const g = sharedSystem(kind, fixedGram, k, regularization);
    const shape = this.shapes[side];
    const { plan } = this.sums;
    const ready = (shape.whiten || shape.exact) && plan.ready[0] === 1;
    const { upper, upperInverse } = factorParts(plan.factor, k);
    return {
      g,
      whitening: ready && shape.whiten ? { upper, upperInverse, fixed: plan.whitened } : null,
      z: ready && shape.exact ? plan.inverse : null,
    };
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
