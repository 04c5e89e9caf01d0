/**
 * Test helpers for a side's plan: the whole whitening of a fixed side from
 * the pieces a fit uses (factorInto, whitenRowsInto), and z = G⁻¹y by a
 * direct Cholesky inverse, an independent route to check the fit's against.
 */
import { CholeskySolver } from '../../../src/models/mf/choleskySolver.js';
import { symMatVecInto } from '../../../src/models/mf/dense.js';
import {
  factorInto,
  factorParts,
  inverseRowsInto,
  whitenRowsInto,
  type Whitening,
} from '../../../src/models/mf/whitening.js';

/** Factors G and whitens all `rows` rows of `fixed`, with z = G⁻¹y as a fit's plan step forms it; null when G is not positive definite. */
export function planOf(
  g: Float64Array,
  fixed: Float64Array,
  rows: number,
  k: number,
): { whitening: Whitening; z: Float64Array } | null {
  const factor = new Float64Array(3 * k * k);
  if (!factorInto(g, k, factor)) return null;
  const whitened = new Float64Array(rows * k);
  whitenRowsInto(factor, k, fixed, 0, rows, whitened);
  const z = new Float64Array(rows * k);
  inverseRowsInto(factor, k, whitened, 0, rows, z);
  const { upper, upperInverse } = factorParts(factor, k);
  return { whitening: { upper, upperInverse, fixed: whitened }, z };
}

/** z_r = G⁻¹·y_r for every row of `fixed`, via one Cholesky inverse of G. */
export function directInverseProducts(g: Float64Array, fixed: Float64Array, rows: number, k: number): Float64Array {
  const identity = new Float64Array(k * k);
  for (let f = 0; f < k; f++) identity[f * k + f] = 1;
  const inverse = new Float64Array(k * k);
  new CholeskySolver(k).solveInto(g, identity, k, inverse, 'test');
  const z = new Float64Array(rows * k);
  const out = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    symMatVecInto(inverse, fixed.subarray(r * k, (r + 1) * k), k, out);
    z.set(out, r * k);
  }
  return z;
}
