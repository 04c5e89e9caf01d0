/**
 * One user's system A = G + Σ_e a_e·y_e·y_eᵀ solved through G's Cholesky
 * factor, which every user shares, by the matrix inversion lemma (Woodbury):
 * with U = Yₛ·S (S = diag(√a_e)) and Z = G⁻¹·Yₛ,
 *
 *   A⁻¹·V = G⁻¹·V − Z·S·(I + S·K·S)⁻¹·S·Zᵀ·V,   K = Yₛᵀ·Z,
 *
 * an n×n solve beside (n + columns) substitutions with the shared factor:
 * O((n + columns)·k² + n²·k + n³) instead of the O(k³) factorisation of A.
 * For many factors and few entries — 1,024 imported factors, a person with
 * 20 thumbs — that is a few milliseconds where factorising A took a second.
 */
import { choleskyLowerInto, solveWithLowerInto } from './choleskySolver.js';
import { dot } from './dense.js';

/** G's Cholesky factor L and its transpose, both row-major, so that both substitutions read rows. */
export interface SharedFactor {
  lower: Float64Array;
  upper: Float64Array;
}

/** L and Lᵀ of G (k×k, symmetric positive definite); undefined when G cannot be factorised. */
export function sharedFactor(g: Float64Array, k: number): SharedFactor | undefined {
  const lower = new Float64Array(k * k);
  if (!choleskyLowerInto(g, k, lower)) return undefined;
  const upper = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) upper[j * k + i] = lower[i * k + j]!;
  return { lower, upper };
}

/**
 * Solves L·Lᵀ·X = B for `columns` right-hand sides (columns of length k).
 * Each row of L (and of Lᵀ) is read once for all columns: at k = 1,024 the
 * factor is 8 MB, and streaming it once per column was what the solve cost.
 */
function solveShared(f: SharedFactor, k: number, rhs: Float64Array, columns: number, out: Float64Array): void {
  const { lower, upper } = f;
  out.set(rhs.subarray(0, columns * k));
  for (let i = 0; i < k; i++) {
    const row = i * k;
    const d = lower[row + i]!;
    for (let c = 0; c < columns; c++) {
      const o = c * k;
      let s = out[o + i]!;
      for (let j = 0; j < i; j++) s -= lower[row + j]! * out[o + j]!;
      out[o + i] = s / d;
    }
  }
  for (let i = k - 1; i >= 0; i--) {
    const row = i * k;
    const d = upper[row + i]!;
    for (let c = 0; c < columns; c++) {
      const o = c * k;
      let s = out[o + i]!;
      for (let j = i + 1; j < k; j++) s -= upper[row + j]! * out[o + j]!;
      out[o + i] = s / d;
    }
  }
}

/** Below this many factors, factorising a user's k×k system is cheap and stays the one path. */
export const LOW_RANK_MIN_FACTORS = 256;

/**
 * Whether the low-rank solve is worth it: k large enough that A's
 * factorisation dominates (smaller models keep the direct solve, bit for
 * bit), and the estimated work less than half the direct one's.
 */
export function preferLowRank(k: number, n: number, columns: number): boolean {
  if (k < LOW_RANK_MIN_FACTORS || n === 0) return false;
  const direct = (k * k * k) / 3 + (n / 2 + columns) * k * k;
  const lowRank = (n + columns) * k * k + n * n * k + (n * n * n) / 3;
  return 2 * lowRank < direct;
}

/**
 * Writes A⁻¹·V into `out` (columns of length k, as `rhs`) for the entries
 * `items` with curvatures `a` ≥ 0, given G's factor `g`. Returns
 * false (leaving `out` unspecified) when a curvature is negative or a
 * system cannot be factorised; the caller then solves A directly.
 */
export function lowRankUpdateSolveInto(
  g: SharedFactor,
  k: number,
  y: Float64Array,
  items: ArrayLike<number>,
  a: ArrayLike<number>,
  rhs: Float64Array,
  columns: number,
  out: Float64Array,
): boolean {
  const n = items.length;
  const s = new Float64Array(n);
  const ys = new Float64Array(n * k);
  for (let e = 0; e < n; e++) {
    const ae = a[e] as number;
    if (!(ae >= 0)) return false;
    s[e] = Math.sqrt(ae);
    ys.set(y.subarray((items[e] as number) * k, (items[e] as number) * k + k), e * k);
  }
  const z = new Float64Array(n * k);
  solveShared(g, k, ys, n, z);
  // M = I + S·K·S, K_ef = y_eᵀ·z_f (symmetric).
  const m = new Float64Array(n * n);
  for (let e = 0; e < n; e++) {
    for (let f = 0; f <= e; f++) {
      const v = s[e]! * dot(ys, e * k, z, f * k, k) * s[f]!;
      m[e * n + f] = v;
      m[f * n + e] = v;
    }
    m[e * n + e] = m[e * n + e]! + 1;
  }
  const mLower = new Float64Array(n * n);
  if (!choleskyLowerInto(m, n, mLower)) return false;
  solveShared(g, k, rhs, columns, out);
  // q = S·Zᵀ·V, then r = M⁻¹·q, then out −= Z·S·r.
  const q = new Float64Array(n * columns);
  for (let c = 0; c < columns; c++) for (let e = 0; e < n; e++) q[c * n + e] = s[e]! * dot(z, e * k, rhs, c * k, k);
  const r = new Float64Array(n * columns);
  solveWithLowerInto(mLower, n, q, columns, r);
  for (let c = 0; c < columns; c++) {
    const o = c * k;
    for (let e = 0; e < n; e++) {
      const w = s[e]! * r[c * n + e]!;
      if (w === 0) continue;
      const ze = e * k;
      for (let p = 0; p < k; p++) out[o + p] = out[o + p]! - w * z[ze + p]!;
    }
  }
  return true;
}
