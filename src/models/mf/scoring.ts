/**
 * The scoring scan: ŷ_ui = x_uᵀy_i for every item, over one flat row-major
 * factor array, writing into a caller-owned buffer (no allocation per item).
 * {@link scoreAllInto32} is the same scan over a Float32Array (see {@link singleTwin}).
 */

/**
 * The most bytes a model's single-precision twin of its item factors may take (see
 * {@link singleTwin}): 16 MiB, 32,768 items at 128 factors.
 */
export const SINGLE_TWIN_BYTES = 16 * 2 ** 20;

/**
 * The item factors as a Float32Array when every one of them is a single-precision number (factors
 * imported from a float32 file are) and the copy is at most {@link SINGLE_TWIN_BYTES}; otherwise
 * undefined. Scanning the twin ({@link scoreAllInto32}) gives the very numbers the Float64Array
 * scan gives — a Float32Array element is read as the same double — from half the bytes: the
 * factors of a few thousand items then stay in a core's cache, and the scan of 1,000 items at 128
 * factors took about two thirds of the time (best of 80 alternated runs).
 */
export function singleTwin(y: Float64Array): Float32Array | undefined {
  if (y.length * 4 > SINGLE_TWIN_BYTES) return undefined;
  // Factors a fit made are doubles: the first of them ends the look.
  for (let i = 0; i < y.length; i++) if (Math.fround(y[i] as number) !== y[i]) return undefined;
  return Float32Array.from(y);
}

/**
 * out[i] = x·y_i for i < itemCount; `y` is Float64Array row-major (k per row). Four sums, each over
 * every fourth factor in order (s0 takes f = 0, 4, 8, …; the last k mod 4 factors go to s0 too),
 * added as s0 + s1 + (s2 + s3): the sums {@link dot} makes, so the same numbers. Two items a loop
 * pass, four products each, so that each read of x serves both and eight sums run side by side:
 * 0.80 of the time of one item a pass at eight products (1,000 × 128, Float32 twin, medians of 400
 * alternated scans).
 */
export function scoreAllInto64(
  y: Float64Array,
  itemCount: number,
  k: number,
  x: Float64Array,
  out: Float64Array,
): void {
  const k4 = k - (k % 4);
  let i = 0;
  for (let o0 = 0; i + 1 < itemCount; i += 2, o0 += 2 * k) {
    const o1 = o0 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      const x0 = x[f] as number;
      const x1 = x[f + 1] as number;
      const x2 = x[f + 2] as number;
      const x3 = x[f + 3] as number;
      s0 += (y[o0 + f] as number) * x0;
      s1 += (y[o0 + f + 1] as number) * x1;
      s2 += (y[o0 + f + 2] as number) * x2;
      s3 += (y[o0 + f + 3] as number) * x3;
      t0 += (y[o1 + f] as number) * x0;
      t1 += (y[o1 + f + 1] as number) * x1;
      t2 += (y[o1 + f + 2] as number) * x2;
      t3 += (y[o1 + f + 3] as number) * x3;
    }
    for (; f < k; f++) {
      s0 += (y[o0 + f] as number) * (x[f] as number);
      t0 += (y[o1 + f] as number) * (x[f] as number);
    }
    out[i] = s0 + s1 + (s2 + s3);
    out[i + 1] = t0 + t1 + (t2 + t3);
  }
  if (i < itemCount) {
    const o = i * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      s0 += (y[o + f] as number) * (x[f] as number);
      s1 += (y[o + f + 1] as number) * (x[f + 1] as number);
      s2 += (y[o + f + 2] as number) * (x[f + 2] as number);
      s3 += (y[o + f + 3] as number) * (x[f + 3] as number);
    }
    for (; f < k; f++) s0 += (y[o + f] as number) * (x[f] as number);
    out[i] = s0 + s1 + (s2 + s3);
  }
}

/** {@link scoreAllInto64} over the single-precision twin of the same factors: the same sums, the same numbers. */
export function scoreAllInto32(
  y: Float32Array,
  itemCount: number,
  k: number,
  x: Float64Array,
  out: Float64Array,
): void {
  const k4 = k - (k % 4);
  let i = 0;
  for (let o0 = 0; i + 1 < itemCount; i += 2, o0 += 2 * k) {
    const o1 = o0 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      const x0 = x[f] as number;
      const x1 = x[f + 1] as number;
      const x2 = x[f + 2] as number;
      const x3 = x[f + 3] as number;
      s0 += (y[o0 + f] as number) * x0;
      s1 += (y[o0 + f + 1] as number) * x1;
      s2 += (y[o0 + f + 2] as number) * x2;
      s3 += (y[o0 + f + 3] as number) * x3;
      t0 += (y[o1 + f] as number) * x0;
      t1 += (y[o1 + f + 1] as number) * x1;
      t2 += (y[o1 + f + 2] as number) * x2;
      t3 += (y[o1 + f + 3] as number) * x3;
    }
    for (; f < k; f++) {
      s0 += (y[o0 + f] as number) * (x[f] as number);
      t0 += (y[o1 + f] as number) * (x[f] as number);
    }
    out[i] = s0 + s1 + (s2 + s3);
    out[i + 1] = t0 + t1 + (t2 + t3);
  }
  if (i < itemCount) {
    const o = i * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      s0 += (y[o + f] as number) * (x[f] as number);
      s1 += (y[o + f + 1] as number) * (x[f + 1] as number);
      s2 += (y[o + f + 2] as number) * (x[f + 2] as number);
      s3 += (y[o + f + 3] as number) * (x[f + 3] as number);
    }
    for (; f < k; f++) s0 += (y[o + f] as number) * (x[f] as number);
    out[i] = s0 + s1 + (s2 + s3);
  }
}
