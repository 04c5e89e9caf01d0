/**
 * Exact solves of short rows by the matrix inversion lemma (Woodbury).
 *
 * A row with n entries has A = G + UUᵀ with U = Yₛᵀ·S, S = diag(√a_e), and
 * b = Yₛᵀt. With z_e = G⁻¹y_e precomputed once per half-sweep for every
 * fixed row,
 *   x = A⁻¹b = Σ_e (t_e − √a_e·w_e)·z_e,  w = (I + S·K·S)⁻¹·S·K·t,  K_ef = z_eᵀy_f,
 * an n×n solve costing O(n²k + n³) instead of O(nk² + k³). For the shortest
 * rows it is both cheaper than a few plain conjugate-gradient steps and exact;
 * at k = 64 it takes the rows of up to 14 entries (on MovieLens, 85% of the
 * items), whitened CG (whitening.ts) the longer ones.
 */
import { AttuneError } from '../../errors.js';
import { dot, gatheredAxpyInto, gatheredLowerCrossInto } from './dense.js';

/**
 * How much more the exact solve's short loops (cross products of a few
 * gathered rows, an n×n Cholesky) cost per multiply-add than conjugate
 * gradient's streaming passes. Chosen by timing the whole fit (MovieLens,
 * k = 64, 15 sweeps, one thread, Node 20): 8 → 2.25 s, 3 → 2.15 s,
 * 1.5 → 2.08 s, 1 → 2.04 s, 0.5 → 2.18 s; quality is the same (the exact
 * solve is the limit CG tends to). Checked on generated worlds it was not
 * chosen on (6,000 users × 4,000 items with 25 or 6 likes each, no long tail
 * of rare items): 1.25 and 8 time the same within 3%, so the gain is
 * MovieLens's long tail, not a general one. Timed again after the cross
 * products went to 2×4 blocks (gatheredLowerCrossInto): 0.75, 1, 1.25 and 1.5
 * all give 1.67–1.73 s, so it stays.
 */
const EXACT_SLOWDOWN = 1.25;

/**
 * Estimated cost of the exact low-rank solve of an n-entry row, in units of
 * one streaming multiply-add: n(n+1)/2 dot products of length k, the n×n
 * Cholesky and the O(nk) rest, times {@link EXACT_SLOWDOWN}.
 */
export function lowRankRowCost(n: number, k: number): number {
  return EXACT_SLOWDOWN * ((n * (n + 1) * k) / 2 + (n * n * n) / 6 + 2 * n * k);
}

/**
 * Estimated multiply-adds of `steps` conjugate-gradient steps on an n-entry
 * row (plus the residual); `whitened` rows trade the k² of every G·v product
 * for one k² change of coordinates (see whitening.ts).
 */
export function cgRowCost(n: number, k: number, steps: number, whitened: boolean): number {
  return whitened ? k * k + (steps + 1) * 2 * n * k : (steps + 1) * (k * k + 2 * n * k);
}

/** Scratch for {@link lowRankSolveRow}, grown on demand. */
export class LowRankWorkspace {
  m = new Float64Array(0);
  /** K (lower triangle). */
  kernel = new Float64Array(0);
  kt = new Float64Array(0);
  w = new Float64Array(0);
  q = new Float64Array(0);
  scale = new Float64Array(0);
  xRow = new Float64Array(0);

  ensure(n: number, k: number): void {
    if (this.xRow.length !== k) {
      this.xRow = new Float64Array(k);
    }
    if (this.w.length >= n) return;
    const size = Math.max(n, 2 * this.w.length);
    this.m = new Float64Array(size * size);
    this.kernel = new Float64Array(size * size);
    this.kt = new Float64Array(size);
    this.w = new Float64Array(size);
    this.q = new Float64Array(size);
    this.scale = new Float64Array(size);
  }
}

/**
 * Solves one row exactly; writes x into `x[xOffset .. xOffset + k)`. See the
 * file comment. When `scores` is given it receives y_f·x for every entry f:
 * with x = Σ_e q_e·z_e that is Σ_e K_fe·q_e, an n×n product instead of n dot
 * products of length k.
 */
export function lowRankSolveRow(
  fixed: Float64Array,
  z: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  curvature: Float64Array,
  target: Float64Array,
  x: Float64Array,
  xOffset: number,
  ws: LowRankWorkspace,
  api: string,
  scores: Float64Array | null = null,
): void {
  const n = end - start;
  ws.ensure(n, k);
  const { m, kt, w, scale, q, xRow } = ws;
  for (let e = 0; e < n; e++) {
    scale[e] = Math.sqrt(curvature[start + e] as number);
    kt[e] = 0;
  }
  // M = I + S·K·S (lower triangle), and K·t on the way (K is symmetric).
  kernelFromDots(fixed, z, k, cols, start, n, target, ws);
  for (let e = 0; e < n; e++) w[e] = (scale[e] as number) * (kt[e] as number);
  choleskyInPlaceSolve(m, n, w, api);
  for (let e = 0; e < n; e++) q[e] = (target[start + e] as number) - (scale[e] as number) * (w[e] as number);
  xRow.fill(0);
  gatheredAxpyInto(z, k, cols, start, end, q, xRow);
  x.set(xRow, xOffset);
  if (scores !== null) {
    const { kernel } = ws;
    for (let e = 0; e < n; e++) {
      const qe = q[e] as number;
      let se = 0;
      for (let f = 0; f < e; f++) {
        const kef = kernel[e * n + f] as number;
        se += kef * (q[f] as number);
        scores[f] = (scores[f] as number) + kef * qe;
      }
      scores[e] = se + (kernel[e * n + e] as number) * qe;
    }
  }
}

/** Computes K (lower triangle, K_ef = z_eᵀy_f for f ≤ e) into `ws.kernel`, then M (lower triangle) and K·t from it. */
function kernelFromDots(
  fixed: Float64Array,
  z: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  n: number,
  target: Float64Array,
  ws: LowRankWorkspace,
): void {
  const { m, kt, scale, kernel } = ws;
  gatheredLowerCrossInto(z, fixed, k, cols, start, n, kernel);
  for (let e = 0; e < n; e++) {
    const te = target[start + e] as number;
    const se = scale[e] as number;
    for (let f = 0; f <= e; f++)
      addKernelEntry(m, kt, n, e, f, kernel[e * n + f] as number, se, te, scale, target, start);
  }
}

/** Stores K_ef = `kef` (f ≤ e) into M = I + S·K·S and adds it to K·t at both e and f. */
function addKernelEntry(
  m: Float64Array,
  kt: Float64Array,
  n: number,
  e: number,
  f: number,
  kef: number,
  se: number,
  te: number,
  scale: Float64Array,
  target: Float64Array,
  start: number,
): void {
  m[e * n + f] = (e === f ? 1 : 0) + se * kef * (scale[f] as number);
  kt[e] = (kt[e] as number) + kef * (target[start + f] as number);
  if (f !== e) kt[f] = (kt[f] as number) + kef * te;
}

/** Solves M·w = rhs in place (M: n×n SPD, lower triangle used and overwritten by L). */
function choleskyInPlaceSolve(m: Float64Array, n: number, rhs: Float64Array, api: string): void {
  // Row-oriented: every inner product runs along two contiguous rows of L (dot's four accumulators).
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++)
      m[ri + j] = ((m[ri + j] as number) - dot(m, ri, m, j * n, j)) / (m[j * n + j] as number);
    const d = (m[ri + i] as number) - dot(m, ri, m, ri, i);
    if (!(d > 0))
      throw new AttuneError(
        'NUMERIC_ERROR',
        `${api}: a row system is not positive definite; check the inputs for non-finite numbers`,
      );
    m[ri + i] = Math.sqrt(d);
  }
  for (let i = 0; i < n; i++) rhs[i] = ((rhs[i] as number) - dot(m, i * n, rhs, 0, i)) / (m[i * n + i] as number);
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i] as number;
    for (let p = i + 1; p < n; p++) s -= (m[p * n + i] as number) * (rhs[p] as number);
    rhs[i] = s / (m[i * n + i] as number);
  }
}
