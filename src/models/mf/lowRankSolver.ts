/**
 * Exact solves of short rows by the matrix inversion lemma (Woodbury).
 *
 * A row with n entries has A = G + UUᵀ with U = Yₛᵀ·S, S = diag(√a_e), and
 * b = Yₛᵀt. With z_e = G⁻¹y_e precomputed once per half-sweep for every
 * fixed row,
 *   x = A⁻¹b = Σ_e (t_e − √a_e·w_e)·z_e,  w = (I + S·K·S)⁻¹·S·K·t,  K_ef = z_eᵀy_f,
 * an n×n solve costing O(n²k + n³) instead of O(nk² + k³). For the short rows
 * that dominate real catalogues (most items have a handful of ratings) this is
 * both cheaper than a few conjugate-gradient steps and exact.
 */
import { AttuneError } from '../../errors.js';
import { CholeskySolver } from './choleskySolver.js';
import { dot, symMatVecInto } from './dense.js';

/** True when the exact low-rank solve of an n-entry row is cheaper than `cgSteps` CG steps. */
export function lowRankIsCheaper(n: number, k: number, cgSteps: number): boolean {
  const exact = (n * (n + 1) * k) / 2 + (n * n * n) / 6 + 2 * n * k;
  const iterative = (cgSteps + 1) * (k * k + 2 * n * k);
  return exact < iterative;
}

/** z_r = G⁻¹·y_r for every row of `fixed` (rows × k), via one Cholesky inverse of G. */
export function precomputeInverseProducts(g: Float64Array, fixed: Float64Array, rows: number, k: number, api: string): Float64Array {
  const identity = new Float64Array(k * k);
  for (let f = 0; f < k; f++) identity[f * k + f] = 1;
  const inverse = new Float64Array(k * k);
  new CholeskySolver(k).solveInto(g, identity, k, inverse, api);
  const z = new Float64Array(rows * k);
  const row = new Float64Array(k);
  const out = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < k; f++) row[f] = fixed[r * k + f] as number;
    symMatVecInto(inverse, row, k, out);
    z.set(out, r * k);
  }
  return z;
}

/** Scratch for {@link lowRankSolveRow}, grown on demand. */
export class LowRankWorkspace {
  m = new Float64Array(0);
  kt = new Float64Array(0);
  w = new Float64Array(0);
  scale = new Float64Array(0);

  ensure(n: number): void {
    if (this.w.length >= n) return;
    const size = Math.max(n, 2 * this.w.length);
    this.m = new Float64Array(size * size);
    this.kt = new Float64Array(size);
    this.w = new Float64Array(size);
    this.scale = new Float64Array(size);
  }
}

/** Solves one row exactly; writes x into `x[xOffset .. xOffset + k)`. See the file comment. */
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
): void {
  const n = end - start;
  ws.ensure(n);
  const { m, kt, w, scale } = ws;
  for (let e = 0; e < n; e++) {
    scale[e] = Math.sqrt(curvature[start + e] as number);
    kt[e] = 0;
  }
  // M = I + S·K·S (lower triangle), and K·t on the way (K is symmetric).
  for (let e = 0; e < n; e++) {
    const ze = (cols[start + e] as number) * k;
    for (let f = 0; f <= e; f++) {
      const kef = dot(z, ze, fixed, (cols[start + f] as number) * k, k);
      m[e * n + f] = (e === f ? 1 : 0) + (scale[e] as number) * kef * (scale[f] as number);
      kt[e] = (kt[e] as number) + kef * (target[start + f] as number);
      if (f !== e) kt[f] = (kt[f] as number) + kef * (target[start + e] as number);
    }
  }
  for (let e = 0; e < n; e++) w[e] = (scale[e] as number) * (kt[e] as number);
  choleskyInPlaceSolve(m, n, w, api);
  x.fill(0, xOffset, xOffset + k);
  for (let e = 0; e < n; e++) {
    const q = (target[start + e] as number) - (scale[e] as number) * (w[e] as number);
    const ze = (cols[start + e] as number) * k;
    for (let f = 0; f < k; f++) x[xOffset + f] = (x[xOffset + f] as number) + q * (z[ze + f] as number);
  }
}

/** Solves M·w = rhs in place (M: n×n SPD, lower triangle used and overwritten by L). */
function choleskyInPlaceSolve(m: Float64Array, n: number, rhs: Float64Array, api: string): void {
  for (let j = 0; j < n; j++) {
    let d = m[j * n + j] as number;
    for (let p = 0; p < j; p++) d -= (m[j * n + p] as number) ** 2;
    if (!(d > 0)) throw new AttuneError('NUMERIC_ERROR', `${api}: a row system is not positive definite; check the inputs for non-finite numbers`);
    const ljj = Math.sqrt(d);
    m[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = m[i * n + j] as number;
      for (let p = 0; p < j; p++) s -= (m[i * n + p] as number) * (m[j * n + p] as number);
      m[i * n + j] = s / ljj;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = rhs[i] as number;
    for (let p = 0; p < i; p++) s -= (m[i * n + p] as number) * (rhs[p] as number);
    rhs[i] = s / (m[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i] as number;
    for (let p = i + 1; p < n; p++) s -= (m[p * n + i] as number) * (rhs[p] as number);
    rhs[i] = s / (m[i * n + i] as number);
  }
}
