/**
 * The small dense kernels of the linear bandits, over flat row-major
 * Float64Array d×d matrices. Rank-1 updates of the inverse follow
 * Sherman & Morrison (1950), so learning one observation is O(d²).
 */
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';

/** out = M x (M is d×d). */
export function matVec(m: Float64Array, x: ArrayLike<number>, out: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += (m[row + j] as number) * (x[j] as number);
    out[i] = s;
  }
}

/** xᵀ M x, using `scratch` (length d) for M x. */
export function quadForm(m: Float64Array, x: ArrayLike<number>, scratch: Float64Array, d: number): number {
  matVec(m, x, scratch, d);
  let q = 0;
  for (let i = 0; i < d; i++) q += (x[i] as number) * (scratch[i] as number);
  return q;
}

/** a · b over the first d entries. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Sherman–Morrison: replaces `inv` = A⁻¹ by (A + w x xᵀ)⁻¹ and `a` by A + w x xᵀ.
 * Returns false (changing nothing) when the update would be numerically singular.
 */
export function shermanMorrison(
  a: Float64Array,
  inv: Float64Array,
  x: ArrayLike<number>,
  w: number,
  scratch: Float64Array,
  d: number,
): boolean {
  matVec(inv, x, scratch, d); // u = A⁻¹x (A⁻¹ is symmetric)
  const denom = 1 + w * dot(x, scratch, d);
  if (!(denom > 1e-10)) return false;
  const k = w / denom;
  for (let i = 0; i < d; i++) {
    const ui = (scratch[i] as number) * k;
    const xi = (x[i] as number) * w;
    const row = i * d;
    for (let j = 0; j < d; j++) {
      inv[row + j] = (inv[row + j] as number) - ui * (scratch[j] as number);
      a[row + j] = (a[row + j] as number) + xi * (x[j] as number);
    }
  }
  return true;
}

/**
 * Writes A⁻¹ of a symmetric positive-definite A into `out` (Cholesky; LU/SVD fallback). A is read
 * as (A + Aᵀ)/2: a rank-1 step of weight w ≠ ±1 rounds (x_i·w)·x_j and (x_j·w)·x_i apart, and the
 * Cholesky decomposition refuses a matrix that is not exactly symmetric. For a symmetric A this is A.
 */
export function invertSpd(a: Float64Array, out: Float64Array, d: number): void {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) {
    const row = new Array<number>(d);
    for (let j = 0; j < d; j++) {
      const upper = a[i * d + j] as number;
      const lower = a[j * d + i] as number;
      row[j] = upper === lower ? upper : upper / 2 + lower / 2;
    }
    rows.push(row);
  }
  const m = new Matrix(rows);
  const chol = new CholeskyDecomposition(m);
  const inv = chol.isPositiveDefinite() ? chol.solve(Matrix.eye(d)) : inverse(m, true);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = inv.get(i, j);
}
