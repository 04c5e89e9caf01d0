/**
 * Exact solves of the k×k symmetric positive-definite ALS systems with
 * `ml-matrix`'s `CholeskyDecomposition` (A = LLᵀ, then two triangular solves).
 */
import { CholeskyDecomposition, Matrix, WrapperMatrix1D } from 'ml-matrix';
import { AttuneError } from '../../errors.js';

/** A reusable k×k Cholesky solver; `solveInto` allocates only inside ml-matrix. */
export class CholeskySolver {
  private readonly k: number;

  constructor(k: number) {
    this.k = k;
  }

  /**
   * Factorises A (flat, row-major, symmetric) and solves A·X = B for the
   * `columns` right-hand sides in `rhs` (flat, column after column of length k),
   * writing X the same way into `out`. Throws `NUMERIC_ERROR` (prefixed by
   * `api`) when A is not positive definite or holds a non-finite number.
   */
  solveInto(a: Float64Array, rhs: Float64Array, columns: number, out: Float64Array, api: string): void {
    const k = this.k;
    let decomposition: CholeskyDecomposition;
    try {
      // A zero-copy row-major view: ml-matrix reads `a` in place, no k² set() calls.
      decomposition = new CholeskyDecomposition(new WrapperMatrix1D(a.subarray(0, k * k), { rows: k }));
    } catch (error) {
      throw numericError(api, error);
    }
    if (!decomposition.isPositiveDefinite())
      throw numericError(api, 'the system is not positive definite (raise regularization)');
    const b = new Matrix(k, columns);
    for (let c = 0; c < columns; c++) for (let i = 0; i < k; i++) b.set(i, c, rhs[c * k + i] as number);
    const x = decomposition.solve(b);
    for (let c = 0; c < columns; c++) {
      for (let i = 0; i < k; i++) {
        const v = x.get(i, c);
        if (!Number.isFinite(v)) throw numericError(api, 'the solve produced a non-finite number');
        out[c * k + i] = v;
      }
    }
  }
}

/** `NUMERIC_ERROR` for a k×k system that could not be solved, saying why. */
export function numericError(api: string, cause: unknown): AttuneError {
  const why = typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : String(cause);
  return new AttuneError(
    'NUMERIC_ERROR',
    `${api}: could not solve the factor system: ${why}; check the inputs for non-finite numbers or raise regularization`,
  );
}

/**
 * Writes the Cholesky factor L of A (flat, row-major, symmetric, A = LLᵀ)
 * into `out`, row-major with zeros above the diagonal. Returns false, leaving
 * `out` unspecified, when A is not positive definite or not finite.
 *
 * Row by row on the flat arrays (the Cholesky–Banachiewicz order: each
 * entry is a dot product of two rows of L already written, both read
 * contiguously), k³/6 multiply-adds and no allocation. A request's reasons
 * factorise one such system, so this sits on the serving path; through
 * ml-matrix's element accessors the same factorisation took about four times
 * as long at k = 128.
 */
export function choleskyLowerInto(a: Float64Array, k: number, out: Float64Array): boolean {
  for (let i = 0; i < k; i++) {
    const rowI = i * k;
    let j = 0;
    // Two entries of row i at a time, (i, j) and (i, j + 1), sharing the reads of row i. Each
    // entry's sums are the same as one at a time: the terms p < j in order, even p in one
    // accumulator and odd p in the other, and for (i, j + 1) the term p = j last, into the
    // accumulator of its parity — the same numbers bit for bit, about 1.5× as fast at k = 128.
    for (; j < i; j += 2) {
      const rowJ = j * k;
      const rowJ1 = rowJ + k;
      let a0 = a[rowI + j]!;
      let a1 = 0;
      let b0 = a[rowI + j + 1]!;
      let b1 = 0;
      let p = 0;
      for (; p + 1 < j; p += 2) {
        const x0 = out[rowI + p]!;
        const x1 = out[rowI + p + 1]!;
        a0 -= x0 * out[rowJ + p]!;
        a1 -= x1 * out[rowJ + p + 1]!;
        b0 -= x0 * out[rowJ1 + p]!;
        b1 -= x1 * out[rowJ1 + p + 1]!;
      }
      if (p < j) {
        const x0 = out[rowI + p]!;
        a0 -= x0 * out[rowJ + p]!;
        b0 -= x0 * out[rowJ1 + p]!;
      }
      const v = (a0 + a1) / out[rowJ + j]!;
      if (!Number.isFinite(v)) return false;
      out[rowI + j] = v;
      if ((j & 1) === 0) b0 -= v * out[rowJ1 + j]!;
      else b1 -= v * out[rowJ1 + j]!;
      const s = b0 + b1;
      if (j + 1 === i) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        out[rowI + i] = Math.sqrt(s);
      } else {
        const w = s / out[rowJ1 + j + 1]!;
        if (!Number.isFinite(w)) return false;
        out[rowI + j + 1] = w;
      }
    }
    if (j === i) {
      // The diagonal, when i is even: the same two sums.
      let s0 = a[rowI + i]!;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < i; p += 2) {
        s0 -= out[rowI + p]! * out[rowI + p]!;
        s1 -= out[rowI + p + 1]! * out[rowI + p + 1]!;
      }
      if (p < i) s0 -= out[rowI + p]! * out[rowI + p]!;
      const s = s0 + s1;
      if (!(s > 0) || !Number.isFinite(s)) return false;
      out[rowI + i] = Math.sqrt(s);
    }
    for (let q = i + 1; q < k; q++) out[rowI + q] = 0;
  }
  return true;
}

/**
 * Solves A·X = B given A's lower Cholesky factor L (flat, row-major, from
 * {@link choleskyLowerInto}): forward substitution L·Z = B, then back
 * substitution Lᵀ·X = Z, for `columns` right-hand sides laid out as in
 * {@link CholeskySolver.solveInto}. O(columns · k²) on flat arrays.
 */
export function solveWithLowerInto(
  l: Float64Array,
  k: number,
  rhs: Float64Array,
  columns: number,
  out: Float64Array,
): void {
  for (let c = 0; c < columns; c++) {
    const o = c * k;
    for (let i = 0; i < k; i++) {
      let s = rhs[o + i]!;
      const row = i * k;
      for (let j = 0; j < i; j++) s -= l[row + j]! * out[o + j]!;
      out[o + i] = s / l[row + i]!;
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = out[o + i]!;
      for (let j = i + 1; j < k; j++) s -= l[j * k + i]! * out[o + j]!;
      out[o + i] = s / l[i * k + i]!;
    }
  }
}

/**
 * A Cholesky factor kept for later solves (see {@link keepFactor}): L's rows
 * and Lᵀ's rows, each packed (k(k + 1) numbers in all, the size of one full
 * k×k matrix), so that both substitutions read contiguously.
 */
export interface KeptFactor {
  readonly k: number;
  /** Row i of L, entries 0..i, at i(i + 1)/2. */
  readonly lower: Float64Array;
  /** Row i of Lᵀ, entries i..k − 1, at i·k − i(i − 1)/2. */
  readonly upper: Float64Array;
}

/** Packs L (as written by {@link choleskyLowerInto}) for {@link solveWithKeptInto}. */
export function keepFactor(l: Float64Array, k: number): KeptFactor {
  const size = (k * (k + 1)) / 2;
  const both = new Float64Array(2 * size);
  const lower = both.subarray(0, size);
  const upper = both.subarray(size);
  for (let i = 0; i < k; i++) {
    const row = (i * (i + 1)) / 2;
    // L[i][j] is Lᵀ[j][i]: row j of Lᵀ starts at j·k − j(j − 1)/2 (its diagonal), so entry i is i − j further.
    for (let j = 0, start = 0; j <= i; start += k - j, j++) {
      const v = l[i * k + j]!;
      lower[row + j] = v;
      upper[start + i - j] = v;
    }
  }
  return { k, lower, upper };
}

/**
 * {@link solveWithLowerInto} with a kept factor: the same operations in the
 * same order, so the same numbers bit for bit, with the back substitution
 * reading Lᵀ's rows instead of L's columns.
 */
export function solveWithKeptInto(f: KeptFactor, rhs: Float64Array, columns: number, out: Float64Array): void {
  let c = 0;
  // Four columns at a time: four independent chains of the same operations (one chain waits on
  // every subtraction), each column's in the same order as alone, so the same numbers.
  for (; c + 3 < columns; c += 4) solveFourKept(f, rhs, c * f.k, out);
  for (; c < columns; c++) solveOneKept(f, rhs, c * f.k, out);
}

function solveOneKept(f: KeptFactor, rhs: Float64Array, o: number, out: Float64Array): void {
  const { k, lower, upper } = f;
  for (let i = 0; i < k; i++) {
    let s = rhs[o + i]!;
    const row = (i * (i + 1)) / 2;
    for (let j = 0; j < i; j++) s -= lower[row + j]! * out[o + j]!;
    out[o + i] = s / lower[row + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = out[o + i]!;
    const row = i * k - (i * (i - 1)) / 2 - i;
    for (let j = i + 1; j < k; j++) s -= upper[row + j]! * out[o + j]!;
    out[o + i] = s / upper[row + i]!;
  }
}

function solveFourKept(f: KeptFactor, rhs: Float64Array, o0: number, out: Float64Array): void {
  const { k, lower, upper } = f;
  const o1 = o0 + k;
  const o2 = o1 + k;
  const o3 = o2 + k;
  for (let i = 0; i < k; i++) {
    let s0 = rhs[o0 + i]!;
    let s1 = rhs[o1 + i]!;
    let s2 = rhs[o2 + i]!;
    let s3 = rhs[o3 + i]!;
    const row = (i * (i + 1)) / 2;
    for (let j = 0; j < i; j++) {
      const l = lower[row + j]!;
      s0 -= l * out[o0 + j]!;
      s1 -= l * out[o1 + j]!;
      s2 -= l * out[o2 + j]!;
      s3 -= l * out[o3 + j]!;
    }
    const d = lower[row + i]!;
    out[o0 + i] = s0 / d;
    out[o1 + i] = s1 / d;
    out[o2 + i] = s2 / d;
    out[o3 + i] = s3 / d;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s0 = out[o0 + i]!;
    let s1 = out[o1 + i]!;
    let s2 = out[o2 + i]!;
    let s3 = out[o3 + i]!;
    const row = i * k - (i * (i - 1)) / 2 - i;
    for (let j = i + 1; j < k; j++) {
      const u = upper[row + j]!;
      s0 -= u * out[o0 + j]!;
      s1 -= u * out[o1 + j]!;
      s2 -= u * out[o2 + j]!;
      s3 -= u * out[o3 + j]!;
    }
    const d = upper[row + i]!;
    out[o0 + i] = s0 / d;
    out[o1 + i] = s1 / d;
    out[o2 + i] = s2 / d;
    out[o3 + i] = s3 / d;
  }
}
