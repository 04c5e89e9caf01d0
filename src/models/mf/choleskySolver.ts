/**
 * Exact solves of the k×k symmetric positive-definite ALS systems with
 * `ml-matrix`'s `CholeskyDecomposition` (A = LLᵀ, then two triangular solves).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { AttuneError } from '../../errors.js';

/** A reusable k×k Cholesky solver; `solveInto` allocates only inside ml-matrix. */
export class CholeskySolver {
  private readonly k: number;
  private readonly matrix: Matrix;

  constructor(k: number) {
    this.k = k;
    this.matrix = new Matrix(k, k);
  }

  /**
   * Factorises A (flat, row-major, symmetric) and solves A·X = B for the
   * `columns` right-hand sides in `rhs` (flat, column after column of length k),
   * writing X the same way into `out`. Throws `NUMERIC_ERROR` (prefixed by
   * `api`) when A is not positive definite or holds a non-finite number.
   */
  solveInto(a: Float64Array, rhs: Float64Array, columns: number, out: Float64Array, api: string): void {
    const k = this.k;
    const m = this.matrix;
    for (let i = 0; i < k; i++) {
      const row = i * k;
      for (let j = 0; j < k; j++) m.set(i, j, a[row + j] as number);
    }
    let decomposition: CholeskyDecomposition;
    try {
      decomposition = new CholeskyDecomposition(m);
    } catch (error) {
      throw numericError(api, error);
    }
    if (!decomposition.isPositiveDefinite()) throw numericError(api, 'the system is not positive definite (raise regularization)');
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

function numericError(api: string, cause: unknown): AttuneError {
  const why = typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : String(cause);
  return new AttuneError('NUMERIC_ERROR', `${api}: could not solve the factor system: ${why}; check the inputs for non-finite numbers or raise regularization`);
}
