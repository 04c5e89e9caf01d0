/**
 * Approximate ALS row updates by conjugate gradient, warm-started from the
 * previous factor (Takács, Pilászy & Tikk 2011, "Applications of the
 * conjugate gradient method for implicit feedback collaborative filtering").
 * A·v is applied as G·v + Σ_e a_e·(y_eᵀv)·y_e without forming A, so a step
 * costs O(k² + n_u·k) instead of the O(n_u·k² + k³) of an exact solve.
 */
import { dot, symMatVecInto, type FactorArray } from './dense.js';

/** Scratch vectors for {@link cgUpdateRow}, reused across rows. */
export class CgWorkspace {
  readonly residual: Float64Array;
  readonly direction: Float64Array;
  readonly product: Float64Array;
  readonly row: Float64Array;

  constructor(k: number) {
    this.residual = new Float64Array(k);
    this.direction = new Float64Array(k);
    this.product = new Float64Array(k);
    this.row = new Float64Array(k);
  }
}

const TOLERANCE = 1e-20;

/** out = A·v with A = G + Σ a_e y_e y_eᵀ; `g === null` means G = λI. */
function applySystem(
  g: Float64Array | null,
  lambda: number,
  y: FactorArray,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  curvature: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  if (g === null) for (let f = 0; f < k; f++) out[f] = lambda * (v[f] as number);
  else symMatVecInto(g, v, k, out);
  for (let e = start; e < end; e++) {
    const a = curvature[e] as number;
    if (a === 0) continue;
    const offset = (cols[e] as number) * k;
    axpyInto(a * dot(y, offset, v, 0, k), y, offset, out, k);
  }
}

/** out += w·y[offset .. offset + k). */
function axpyInto(w: number, y: FactorArray, offset: number, out: Float64Array, k: number): void {
  let f = 0;
  for (const k4 = k - (k % 4); f < k4; f += 4) {
    out[f] = (out[f] as number) + w * (y[offset + f] as number);
    out[f + 1] = (out[f + 1] as number) + w * (y[offset + f + 1] as number);
    out[f + 2] = (out[f + 2] as number) + w * (y[offset + f + 2] as number);
    out[f + 3] = (out[f + 3] as number) + w * (y[offset + f + 3] as number);
  }
  for (; f < k; f++) out[f] = (out[f] as number) + w * (y[offset + f] as number);
}

/**
 * Runs `steps` CG iterations on one row's system (see normalEquations.ts),
 * updating `x[xOffset .. xOffset + k)` in place.
 */
export function cgUpdateRow(
  g: Float64Array | null,
  lambda: number,
  y: FactorArray,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  curvature: Float64Array,
  target: Float64Array,
  x: Float64Array,
  xOffset: number,
  steps: number,
  ws: CgWorkspace,
): void {
  const { residual: r, direction: p, product: ap, row } = ws;
  for (let f = 0; f < k; f++) row[f] = x[xOffset + f] as number;
  // r = b − A·x = −G·x + Σ_e (t_e − a_e·y_eᵀx)·y_e, one pass over the entries
  if (g === null) for (let f = 0; f < k; f++) r[f] = -lambda * (row[f] as number);
  else {
    symMatVecInto(g, row, k, r);
    for (let f = 0; f < k; f++) r[f] = -(r[f] as number);
  }
  for (let e = start; e < end; e++) {
    const offset = (cols[e] as number) * k;
    const a = curvature[e] as number;
    const w = (target[e] as number) - (a === 0 ? 0 : a * dot(y, offset, row, 0, k));
    if (w !== 0) axpyInto(w, y, offset, r, k);
  }
  p.set(r);
  let rsOld = dot(r, 0, r, 0, k);
  for (let step = 0; step < steps && rsOld > TOLERANCE; step++) {
    applySystem(g, lambda, y, k, cols, start, end, curvature, p, ap);
    const curvatureAlong = dot(p, 0, ap, 0, k);
    if (!(curvatureAlong > 0)) break;
    const stepSize = rsOld / curvatureAlong;
    for (let f = 0; f < k; f++) {
      row[f] = (row[f] as number) + stepSize * (p[f] as number);
      r[f] = (r[f] as number) - stepSize * (ap[f] as number);
    }
    const rsNew = dot(r, 0, r, 0, k);
    const beta = rsNew / rsOld;
    for (let f = 0; f < k; f++) p[f] = (r[f] as number) + beta * (p[f] as number);
    rsOld = rsNew;
  }
  for (let f = 0; f < k; f++) x[xOffset + f] = row[f] as number;
}
