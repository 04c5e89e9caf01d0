/**
 * The small dense kernels of the linear bandits, over flat row-major
 * Float64Array d×d matrices. Rank-1 updates of the inverse follow
 * Sherman & Morrison (1950), so learning one observation is O(d²).
 */

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
 * Writes A⁻¹ of a symmetric positive-definite A into `out` by the Cholesky decomposition A = LLᵀ
 * (Cholesky–Banachiewicz, row by row), then L Y = I forward and Lᵀ X = Y backward, column by
 * column. Returns false, leaving `out` as it was, when a pivot is not positive: A is then not
 * numerically positive definite (rounding has eaten its regulariser), and no inverse of it can be
 * trusted. A is read as (A + Aᵀ)/2: a rank-1 step of weight w ≠ ±1 rounds (x_i·w)·x_j and
 * (x_j·w)·x_i apart. The order of every sum is the one ml-matrix's CholeskyDecomposition used, so
 * inverses, and the snapshots holding them, are the same to the last bit.
 */
export function invertSpd(a: Float64Array, out: Float64Array, d: number): boolean {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += (l[k * d + i] as number) * (l[j * d + i] as number);
      s = (symmetricAt(a, j, k, d) - s) / (l[k * d + k] as number);
      l[j * d + k] = s;
      sum = sum + s * s;
    }
    const pivot = (a[j * d + j] as number) - sum;
    if (!(pivot > 0)) return false;
    l[j * d + j] = Math.sqrt(pivot);
  }
  const x = new Float64Array(d * d);
  for (let i = 0; i < d; i++) x[i * d + i] = 1;
  for (let k = 0; k < d; k++) {
    const pivot = l[k * d + k] as number;
    for (let j = 0; j < d; j++) {
      let v = x[k * d + j] as number;
      for (let i = 0; i < k; i++) v = v - (x[i * d + j] as number) * (l[k * d + i] as number);
      x[k * d + j] = v / pivot;
    }
  }
  for (let k = d - 1; k >= 0; k--) {
    const pivot = l[k * d + k] as number;
    for (let j = 0; j < d; j++) {
      let v = x[k * d + j] as number;
      for (let i = k + 1; i < d; i++) v = v - (x[i * d + j] as number) * (l[i * d + k] as number);
      x[k * d + j] = v / pivot;
    }
  }
  out.set(x);
  return true;
}

/** Entry (i, j) of (A + Aᵀ)/2: the entry itself when A(i, j) = A(j, i). */
function symmetricAt(a: Float64Array, i: number, j: number, d: number): number {
  const upper = a[i * d + j] as number;
  const lower = a[j * d + i] as number;
  return upper === lower ? upper : upper / 2 + lower / 2;
}
