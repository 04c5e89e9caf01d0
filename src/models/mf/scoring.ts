/**
 * The scoring scan: ŷ_ui = x_uᵀy_i for every item, over one flat row-major
 * factor array, writing into a caller-owned buffer (no allocation per item).
 * (benchmarks/mf/scoreFloat32.ts holds the Float32Array variant the benchmark compares against.)
 */

/** out[i] = x·y_i for i < itemCount; `y` is Float64Array row-major (k per row). */
export function scoreAllInto64(
  y: Float64Array,
  itemCount: number,
  k: number,
  x: Float64Array,
  out: Float64Array,
): void {
  const k4 = k - (k % 4);
  for (let i = 0, offset = 0; i < itemCount; i++, offset += k) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      s0 += (y[offset + f] as number) * (x[f] as number);
      s1 += (y[offset + f + 1] as number) * (x[f + 1] as number);
      s2 += (y[offset + f + 2] as number) * (x[f + 2] as number);
      s3 += (y[offset + f + 3] as number) * (x[f + 3] as number);
    }
    for (; f < k; f++) s0 += (y[offset + f] as number) * (x[f] as number);
    out[i] = s0 + s1 + (s2 + s3);
  }
}
