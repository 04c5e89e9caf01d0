/**
 * The scoring scan over Float32Array item factors: the variant that
 * benchmarks/mf/run.ts compares storage types with (the model stores
 * Float64Array: the benchmark found no speed difference, and Float64 keeps
 * snapshots bit-exact), and that test/models/mf/kernels.test.ts checks
 * against the Float64 scan. Here, not in benchmarks/, so tests never import
 * from benchmarks/.
 */
/** As `scoreAllInto64` (src/models/mf/scoring.ts) over a Float32Array of item factors (sums in double precision). */
export function scoreAllInto32(
  y: Float32Array,
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
