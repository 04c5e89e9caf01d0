/**
 * Assembles one row's normal equations (HKV eq. 4):
 *   A = G + Σ_e a_e·y_e·y_eᵀ,   b = Σ_e b_e·y_e
 * over the entries `start .. end - 1` of a CSR row (see confidence.ts for a, b).
 * The cost is O(n_u·k²), independent of the catalogue size — HKV's trick.
 */
import type { FactorArray } from './dense.js';

/** Writes A (full, exactly symmetric) into `outA` and b into `outB`; `base` is G. */
export function assembleSystemInto(
  base: Float64Array,
  y: FactorArray,
  k: number,
  cols: ArrayLike<number>,
  start: number,
  end: number,
  curvature: ArrayLike<number>,
  target: ArrayLike<number>,
  outA: Float64Array,
  outB: Float64Array,
): void {
  outA.set(base);
  outB.fill(0);
  for (let e = start; e < end; e++) {
    const offset = (cols[e] as number) * k;
    const a = curvature[e] as number;
    const t = target[e] as number;
    for (let p = 0; p < k; p++) {
      const yp = y[offset + p] as number;
      outB[p] = (outB[p] as number) + t * yp;
      if (a === 0) continue;
      const ayp = a * yp;
      const row = p * k;
      for (let q = 0; q <= p; q++) outA[row + q] = (outA[row + q] as number) + ayp * (y[offset + q] as number);
    }
  }
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < p; q++) outA[q * k + p] = outA[p * k + q] as number;
  }
}
