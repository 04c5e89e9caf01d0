/**
 * Approximate ALS row updates by conjugate gradient, warm-started from the
 * previous factor (Takács, Pilászy & Tikk 2011, "Applications of the
 * conjugate gradient method for implicit feedback collaborative filtering").
 * A·v is applied as G·v + Σ_e a_e·(y_eᵀv)·y_e without forming A, so a step
 * costs O(k² + n_u·k) instead of the O(n_u·k² + k³) of an exact solve.
 */
import { dot, gatheredDotAxpyInto, symMatVecInto } from './dense.js';

/** Scratch vectors for {@link cgUpdateRow}, reused across rows. */
export class CgWorkspace {
  readonly residual: Float64Array;
  readonly direction: Float64Array;
  readonly product: Float64Array;
  readonly row: Float64Array;
  /** The row's factor in whitened coordinates (see whitening.ts). */
  readonly whitened: Float64Array;

  constructor(k: number) {
    this.residual = new Float64Array(k);
    this.direction = new Float64Array(k);
    this.product = new Float64Array(k);
    this.row = new Float64Array(k);
    this.whitened = new Float64Array(k);
  }
}

const TOLERANCE = 1e-20;

/** out = A·v with A = G + Σ a_e y_e y_eᵀ; `g === null` means G = λI. */
function applySystem(
  g: Float64Array | null,
  lambda: number,
  y: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  curvature: Float64Array,
  target: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  if (g === null) for (let f = 0; f < k; f++) out[f] = lambda * (v[f] as number);
  else symMatVecInto(g, v, k, out);
  accumulateEntriesInto(y, k, cols, start, end, curvature, target, 1, 0, v, out);
}

/**
 * out += Σ_e (β·t_e + α·a_e·(y_eᵀv))·y_e over the entries `start .. end - 1`.
 * With α = 1, β = 0 this adds Yᵀ(C − I)Y·v; with α = −1, β = 1 it adds the
 * residual's sum Σ_e (t_e − a_e·y_eᵀv)·y_e. One fused gathered pass (see
 * {@link gatheredDotAxpyInto}).
 */
function accumulateEntriesInto(
  y: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  curvature: Float64Array,
  target: Float64Array,
  alpha: number,
  beta: number,
  v: Float64Array,
  out: Float64Array,
): void {
  gatheredDotAxpyInto(y, k, cols, start, end, v, curvature, target, alpha, beta, out);
}

/**
 * Runs `steps` CG iterations on one row's system (see normalEquations.ts),
 * updating `x[xOffset .. xOffset + k)` in place.
 */
export function cgUpdateRow(
  g: Float64Array | null,
  lambda: number,
  y: Float64Array,
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
  accumulateEntriesInto(y, k, cols, start, end, curvature, target, -1, 1, row, r);
  p.set(r);
  let rsOld = dot(r, 0, r, 0, k);
  for (let step = 0; step < steps && rsOld > TOLERANCE; step++) {
    applySystem(g, lambda, y, k, cols, start, end, curvature, target, p, ap);
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
