/** Small dense kernels over flat row-major typed arrays (no allocation). */

/** Factor matrix: `rows` vectors of length `k`, row-major. */
export type FactorArray = Float64Array | Float32Array;

/** x·y over `k` numbers starting at `xOffset` and `yOffset` (four accumulators, to hide add latency). */
export function dot(x: FactorArray, xOffset: number, y: FactorArray, yOffset: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (const k4 = k - (k % 4); f < k4; f += 4) {
    s0 += (x[xOffset + f] as number) * (y[yOffset + f] as number);
    s1 += (x[xOffset + f + 1] as number) * (y[yOffset + f + 1] as number);
    s2 += (x[xOffset + f + 2] as number) * (y[yOffset + f + 2] as number);
    s3 += (x[xOffset + f + 3] as number) * (y[yOffset + f + 3] as number);
  }
  for (; f < k; f++) s0 += (x[xOffset + f] as number) * (y[yOffset + f] as number);
  return s0 + s1 + (s2 + s3);
}

/**
 * Writes YᵀY + λI (k×k, full and exactly symmetric) into `out`; `lambda`
 * may be 0. This is the Gram matrix HKV precompute once per sweep. Y is
 * transposed first so each entry is one long contiguous dot product.
 */
export function gramInto(y: Float64Array, rows: number, k: number, lambda: number, out: Float64Array): void {
  const columns = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < k; f++) columns[f * rows + i] = y[i * k + f] as number;
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      const value = dot(columns, a * rows, columns, b * rows, rows);
      out[a * k + b] = value;
      out[b * k + a] = value;
    }
    out[a * k + a] = (out[a * k + a] as number) + lambda;
  }
}

/** out = M·v for a k×k row-major M; four rows at a time so each v[b] load serves four sums. */
export function symMatVecInto(m: Float64Array, v: Float64Array, k: number, out: Float64Array): void {
  let a = 0;
  for (const k4 = k - (k % 4); a < k4; a += 4) {
    const r0 = a * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let b = 0; b < k; b++) {
      const vb = v[b] as number;
      s0 += (m[r0 + b] as number) * vb;
      s1 += (m[r1 + b] as number) * vb;
      s2 += (m[r2 + b] as number) * vb;
      s3 += (m[r3 + b] as number) * vb;
    }
    out[a] = s0;
    out[a + 1] = s1;
    out[a + 2] = s2;
    out[a + 3] = s3;
  }
  for (; a < k; a++) out[a] = dot(m, a * k, v, 0, k);
}

/** True when every number is finite; turns −0 into +0 so a JSON round trip is bit-exact. */
export function finiteAndNormalised(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) return false;
    if (v === 0) values[i] = 0;
  }
  return true;
}
