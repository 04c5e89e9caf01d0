/**
 * One half of an ALS sweep: re-solve every row of one side (users or items)
 * against the fixed factors of the other side (HKV section 4).
 */
import { AttuneError } from '../../errors.js';
import { CholeskySolver } from './choleskySolver.js';
import { CgWorkspace, cgUpdateRow } from './conjugateGradient.js';
import { finiteAndNormalised, gatheredDotsInto } from './dense.js';
import { cgRowCost, LowRankWorkspace, lowRankRowCost, lowRankSolveRow } from './lowRankSolver.js';
import { assembleSystemInto } from './normalEquations.js';
import type { AlsKind, AlsSolver } from './options.js';
import { whitenedCgUpdateRow, whiteningPays, type Whitening } from './whitening.js';

/** A CSR side of the data with its per-entry weights (see confidence.ts). */
export interface WeightedRows {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  curvature: Float64Array;
  target: Float64Array;
}

/** What one half-sweep needs besides the data. */
export interface SweepSettings {
  kind: AlsKind;
  k: number;
  regularization: number;
  solver: AlsSolver;
  cgSteps: number;
}

/**
 * The shared part G of every row system: YᵀY + λI for implicit feedback
 * (from the raw Gram `fixedGram` = YᵀY), λI for explicit ratings.
 */
export function sharedSystem(kind: AlsKind, fixedGram: Float64Array, k: number, lambda: number): Float64Array {
  const g = kind === 'implicit' ? Float64Array.from(fixedGram) : new Float64Array(k * k);
  for (let f = 0; f < k; f++) g[f * k + f] = (g[f * k + f] as number) + lambda;
  return g;
}

function nonEmptyRows(data: WeightedRows): number {
  let count = 0;
  for (let r = 0; r < data.rows; r++) if ((data.indptr[r + 1] as number) > (data.indptr[r] as number)) count++;
  return count;
}

/**
 * True when solving the short rows exactly pays for z = G⁻¹y (R·k² for the R
 * fixed rows): each row takes the cheaper of CG and the exact low-rank solve.
 */
function exactShortRowsPay(
  data: WeightedRows,
  fixedRows: number,
  k: number,
  cgSteps: number,
  whitened: boolean,
): boolean {
  let saving = 0;
  for (let r = 0; r < data.rows; r++) {
    const n = (data.indptr[r + 1] as number) - (data.indptr[r] as number);
    if (n > 0) saving += Math.max(0, cgRowCost(n, k, cgSteps, whitened) - lowRankRowCost(n, k));
  }
  return saving > fixedRows * k * k;
}

/** Whether a side's CG rows are solved in whitened coordinates (see whitening.ts): a matter of its shape only. */
function wantsWhitening(data: WeightedRows, fixedRows: number, s: SweepSettings): boolean {
  return s.kind === 'implicit' && whiteningPays(fixedRows, nonEmptyRows(data), s.k, s.cgSteps);
}

/**
 * What a side's row solves share beyond G, decided by the data's shape alone
 * (so known before a fit starts): whether its CG rows run in whitened
 * coordinates (whitening.ts), and whether its short rows are solved exactly
 * (lowRankSolver.ts), which needs z = G⁻¹y for every fixed row. Either needs
 * the factor of G and a pass over the fixed rows once per half-sweep: the
 * side's plan.
 */
export interface SideShape {
  whiten: boolean;
  exact: boolean;
}

/** The {@link SideShape} of solving the rows of `data` against `fixedRows` fixed rows. */
export function sideShape(data: WeightedRows, fixedRows: number, s: SweepSettings): SideShape {
  if (s.solver !== 'cg') return { whiten: false, exact: false };
  const whiten = wantsWhitening(data, fixedRows, s);
  return { whiten, exact: exactShortRowsPay(data, fixedRows, s.k, s.cgSteps, whiten) };
}

/**
 * The estimated multiply-adds of solving a row of n entries on this side, as
 * {@link solveRows} will solve it (see {@link sideShape}). Used to cut a side
 * into tasks of even work.
 */
export function rowCostModel(data: WeightedRows, fixedRows: number, s: SweepSettings): (n: number) => number {
  const { k, cgSteps } = s;
  if (s.solver !== 'cg') return (n) => n * k * k + (k * k * k) / 3;
  const { whiten, exact } = sideShape(data, fixedRows, s);
  return (n) => {
    const cg = cgRowCost(n, k, cgSteps, whiten);
    return exact ? Math.min(cg, lowRankRowCost(n, k)) : cg;
  };
}

/**
 * What every row solve of one half-sweep shares: the system G, and when the
 * side's shape asks for them (see {@link SideShape}), the whitened fixed
 * factors and the products z = G⁻¹y.
 */
export interface SidePlan {
  g: Float64Array;
  whitening: Whitening | null;
  z: Float64Array | null;
}

/** Scratch of {@link solveRows}, reused across calls. */
export class RowWorkspace {
  readonly cg: CgWorkspace;
  readonly lowRank = new LowRankWorkspace();
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly x: Float64Array;
  readonly cholesky: CholeskySolver;
  /** y_e·x of the row just solved, per entry (grown on demand). */
  scores = new Float64Array(0);

  constructor(k: number) {
    this.cg = new CgWorkspace(k);
    this.a = new Float64Array(k * k);
    this.b = new Float64Array(k);
    this.x = new Float64Array(k);
    this.cholesky = new CholeskySolver(k);
  }
}

/**
 * Re-solves rows `from .. to - 1` of `solved` in place against `fixed`. Each
 * row depends only on its own entries, the fixed side and the plan, so any
 * split of the rows (threads, time slices) gives the same numbers.
 *
 * With `observed` it also returns the rows' part of the objective that
 * depends on the factors, Σ_e (a_e·s_e² − 2·t_e·s_e) with s_e = x·y_e of the
 * solved row (see loss.ts), from scores the solvers follow as they go (CG's
 * own dot products, the exact solve's kernel) rather than from another pass
 * over the entries; without it, 0.
 */
export function solveRows(
  data: WeightedRows,
  solved: Float64Array,
  fixed: Float64Array,
  plan: SidePlan,
  s: SweepSettings,
  from: number,
  to: number,
  ws: RowWorkspace,
  api: string,
  observed = false,
): number {
  const { k } = s;
  const { indptr, indices, curvature, target } = data;
  const { g, whitening, z } = plan;
  let longest = 0;
  if (observed)
    for (let r = from; r < to; r++) longest = Math.max(longest, (indptr[r + 1] as number) - (indptr[r] as number));
  if (ws.scores.length < longest) ws.scores = new Float64Array(longest);
  const scores = observed ? ws.scores : null;
  let part = 0;
  for (let r = from; r < to; r++) {
    const start = indptr[r] as number;
    const end = indptr[r + 1] as number;
    const n = end - start;
    if (n === 0) {
      solved.fill(0, r * k, r * k + k);
      continue;
    }
    if (s.solver === 'cg') {
      const exact = z !== null && lowRankRowCost(n, k) < cgRowCost(n, k, s.cgSteps, whitening !== null);
      if (exact)
        lowRankSolveRow(fixed, z, k, indices, start, end, curvature, target, solved, r * k, ws.lowRank, api, scores);
      else if (whitening !== null)
        whitenedCgUpdateRow(whitening, k, indices, start, end, curvature, target, solved, r * k, s.cgSteps, ws.cg);
      else
        cgUpdateRow(
          s.kind === 'implicit' ? g : null,
          s.regularization,
          fixed,
          k,
          indices,
          start,
          end,
          curvature,
          target,
          solved,
          r * k,
          s.cgSteps,
          ws.cg,
        );
      // the exact solve had the scores from its kernel; a CG row gets them from one pass over its (still cached) entries
      if (scores !== null && !exact) {
        for (let f = 0; f < k; f++) ws.x[f] = solved[r * k + f] as number;
        gatheredDotsInto(fixed, k, indices, start, end, ws.x, scores);
      }
    } else {
      assembleSystemInto(g, fixed, k, indices, start, end, curvature, target, ws.a, ws.b);
      ws.cholesky.solveInto(ws.a, ws.b, 1, ws.x, api);
      solved.set(ws.x, r * k);
      if (scores !== null) gatheredDotsInto(fixed, k, indices, start, end, ws.x, scores);
    }
    if (scores !== null)
      for (let e = 0; e < n; e++) {
        const se = scores[e] as number;
        part += (curvature[start + e] as number) * se * se - 2 * (target[start + e] as number) * se;
      }
  }
  if (!finiteAndNormalised(solved.subarray(from * k, to * k))) {
    throw new AttuneError(
      'NUMERIC_ERROR',
      `${api}: a factor became non-finite; check the inputs for extreme values or raise regularization`,
    );
  }
  return part;
}
