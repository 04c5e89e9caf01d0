/**
 * Assembles one row's normal equations (HKV eq. 4):
 *   A = G + Σ_e a_e·y_e·y_eᵀ,   b = Σ_e b_e·y_e
 * over the entries `start .. end - 1` of a CSR row (see confidence.ts for a, b).
 * The cost is O(n_u·k²), independent of the catalogue size — HKV's trick.
 */
import { addRank1LowerInto, addRank4LowerInto, axpy4Into, mirrorLowerTriangle } from './dense.js';

/** Writes A (full, exactly symmetric) into `outA` and b into `outB`; `base` is G. */
export function assembleSystemInto(
  base: Float64Array,
  y: Float64Array,
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
  outB.fill(0, 0, k);
  let e = start;
  // Four entries per pass over A and b (see addRank4LowerInto); a_e = 0 adds exact zeros.
  for (const end4 = end - ((end - start) % 4); e < end4; e += 4) {
    const o0 = (cols[e] as number) * k;
    const o1 = (cols[e + 1] as number) * k;
    const o2 = (cols[e + 2] as number) * k;
    const o3 = (cols[e + 3] as number) * k;
    addRank4LowerInto(
      outA,
      k,
      y,
      o0,
      curvature[e] as number,
      o1,
      curvature[e + 1] as number,
      o2,
      curvature[e + 2] as number,
      o3,
      curvature[e + 3] as number,
    );
    const t0 = target[e] as number;
    const t1 = target[e + 1] as number;
    const t2 = target[e + 2] as number;
    const t3 = target[e + 3] as number;
    axpy4Into(y, k, o0, t0, o1, t1, o2, t2, o3, t3, outB);
  }
  for (; e < end; e++) {
    const o = (cols[e] as number) * k;
    const a = curvature[e] as number;
    const t = target[e] as number;
    if (a !== 0) addRank1LowerInto(outA, k, y, o, a);
    for (let p = 0; p < k; p++) outB[p] = (outB[p] as number) + t * (y[o + p] as number);
  }
  mirrorLowerTriangle(outA, k);
}
