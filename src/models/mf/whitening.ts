/**
 * Conjugate gradient in whitened coordinates: the shared part G of every row
 * system is factored once per half-sweep, G = LLᵀ, and the fixed factors are
 * mapped to ỹ = L⁻¹y. With u = Lᵀx a row's system (G + Σ_e a_e·y_e·y_eᵀ)x = b
 * becomes (I + Σ_e a_e·ỹ_e·ỹ_eᵀ)u = Σ_e b_e·ỹ_e.
 *
 * This is CG preconditioned by G (Golub & Van Loan, "Matrix Computations",
 * 4th ed., ch. 11): a step costs O(n·k) instead of O(k² + n·k), and since the
 * whitened matrix is the identity plus a rank-n term, CG is exact (in exact
 * arithmetic) after n + 1 steps and closer than plain CG before that. The
 * warm start and the result need one change of coordinates each, O(k²) per
 * row, so it pays when solved rows far outnumber fixed rows — the item side
 * of a catalogue with few users per item.
 */
import { choleskyLowerInto } from './choleskySolver.js';
import { CgWorkspace, cgUpdateRow } from './conjugateGradient.js';
import { matVecInto } from './dense.js';

/** The factor of G and the whitened fixed factors of one half-sweep. */
export interface Whitening {
  /** Lᵀ, upper triangular, row-major: u = Lᵀx. */
  upper: Float64Array;
  /** L⁻ᵀ, upper triangular, row-major: x = L⁻ᵀu (a product, not a substitution, so it streams). */
  upperInverse: Float64Array;
  /** ỹ_r = L⁻¹·y_r for every fixed row, row-major. */
  fixed: Float64Array;
}

/**
 * True when whitening costs less than the G·v products it saves: R·k²/2 to
 * whiten R fixed rows (plus the k³/6 factorisation) against `steps`·k² per
 * solved row.
 */
export function whiteningPays(fixedRows: number, solvedRows: number, k: number, steps: number): boolean {
  return (fixedRows * k * k) / 2 + (k * k * k) / 6 < solvedRows * steps * k * k;
}

/**
 * Factors G = LLᵀ into `factor` (3k² numbers): Lᵀ, L⁻ᵀ and L⁻¹, each k×k
 * row-major (see {@link factorParts}). Returns false, leaving `factor`
 * unspecified, when G is not positive definite. O(k³), once per half-sweep.
 */
export function factorInto(g: Float64Array, k: number, factor: Float64Array): boolean {
  const lower = new Float64Array(k * k);
  if (!choleskyLowerInto(g, k, lower)) return false;
  const { upper, upperInverse, lowerInverse } = factorParts(factor, k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) upper[j * k + i] = j <= i ? (lower[i * k + j] as number) : 0;
  // Lᵀ·M = I by back substitution, one column of M at a time.
  upperInverse.fill(0);
  for (let c = 0; c < k; c++) {
    for (let i = c; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let j = i + 1; j <= c; j++) s -= (upper[i * k + j] as number) * (upperInverse[j * k + c] as number);
      upperInverse[i * k + c] = s / (upper[i * k + i] as number);
    }
  }
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) lowerInverse[i * k + j] = j <= i ? (upperInverse[j * k + i] as number) : 0;
  return true;
}

/** The three k×k parts of a factor written by {@link factorInto}: views, not copies. */
export function factorParts(
  factor: Float64Array,
  k: number,
): { upper: Float64Array; upperInverse: Float64Array; lowerInverse: Float64Array } {
  return {
    upper: factor.subarray(0, k * k),
    upperInverse: factor.subarray(k * k, 2 * k * k),
    lowerInverse: factor.subarray(2 * k * k, 3 * k * k),
  };
}

/**
 * ỹ_r = L⁻¹·y_r for rows `from .. to - 1` of `fixed` into the same rows of
 * `out`: a product with L⁻¹, eight outputs per pass (not a substitution, whose
 * dot products of growing length cost a call each). Rows are independent, so
 * threads can share the work.
 */
export function whitenRowsInto(
  factor: Float64Array,
  k: number,
  fixed: Float64Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const { lowerInverse } = factorParts(factor, k);
  for (let r = from; r < to; r++) matVecInto(lowerInverse, 'lower', fixed, r * k, k, out, r * k);
}

/** z_r = G⁻¹·y_r = L⁻ᵀ·ỹ_r for rows `from .. to - 1` of the whitened rows, into the same rows of `out`. */
export function inverseRowsInto(
  factor: Float64Array,
  k: number,
  whitened: Float64Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const { upperInverse } = factorParts(factor, k);
  for (let r = from; r < to; r++) matVecInto(upperInverse, 'upper', whitened, r * k, k, out, r * k);
}

/**
 * {@link cgUpdateRow} on the whitened system of one row: u = Lᵀx, `steps` CG
 * steps on (I + Σ a_e·ỹ_e·ỹ_eᵀ)u = Σ b_e·ỹ_e, then x = L⁻ᵀu, written back into
 * `x[xOffset .. xOffset + k)`.
 */
export function whitenedCgUpdateRow(
  w: Whitening,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  curvature: Float64Array,
  target: Float64Array,
  x: Float64Array,
  xOffset: number,
  steps: number,
  ws: CgWorkspace,
): void {
  const u = ws.whitened;
  matVecInto(w.upper, 'upper', x, xOffset, k, u, 0);
  cgUpdateRow(null, 1, w.fixed, k, cols, start, end, curvature, target, u, 0, steps, ws);
  matVecInto(w.upperInverse, 'upper', u, 0, k, x, xOffset);
}
