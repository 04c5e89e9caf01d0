/**
 * Seeded spherical k-means (Dhillon & Modha 2001) over rows of a flat
 * row-major matrix: rows are compared by direction (cosine), centroids are
 * unit vectors, seeded by k-means++ (Arthur & Vassilvitskii 2007) and
 * refined by Lloyd iterations. The retrieval index uses it to cut the item
 * factors into lists (see `ivf.ts`): by direction, not by length, because
 * collaborative factors of one kind of song differ mostly in length (a hit
 * and a deep cut of one artist point the same way), and lists cut by
 * Euclidean distance would separate them by popularity.
 *
 * Written as generators that yield every {@link ROWS_PER_YIELD} rows or so,
 * so that an index can be built in slices beside a serving event loop
 * (`trainInBackground`); run to the end at once, they are plain functions.
 * Same rows, same k, same random stream: the same centroids, bit for bit.
 */
import type { Steps } from '../../kernels/steps.js';
import type { Rng } from '../../random/rng.js';

/** Rows handled between two yields (a few milliseconds of work at 128 dimensions and 32 centroids). */
export const ROWS_PER_YIELD = 2048;

/** x · row `offset` of `m` over `dim` numbers (four accumulators). */
export function dotRow(x: Float64Array, xOffset: number, m: Float64Array, offset: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 3 < dim; f += 4) {
    s0 += x[xOffset + f]! * m[offset + f]!;
    s1 += x[xOffset + f + 1]! * m[offset + f + 1]!;
    s2 += x[xOffset + f + 2]! * m[offset + f + 2]!;
    s3 += x[xOffset + f + 3]! * m[offset + f + 3]!;
  }
  for (; f < dim; f++) s0 += x[xOffset + f]! * m[offset + f]!;
  return s0 + s1 + (s2 + s3);
}

/** The centroid (unit vectors, k × dim) pointing most nearly the way of row `offset / dim` of `values`. */
export function nearestCentroid(
  values: Float64Array,
  offset: number,
  dim: number,
  centroids: Float64Array,
  k: number,
): number {
  let best = 0;
  let bestCosine = -Infinity;
  for (let c = 0; c < k; c++) {
    const cosine = dotRow(values, offset, centroids, c * dim, dim);
    if (cosine > bestCosine) {
      bestCosine = cosine;
      best = c;
    }
  }
  return best;
}

/** The length of each row of `values` (dim numbers a row). */
export function rowNorms(values: Float64Array, rows: number, dim: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = Math.sqrt(dotRow(values, r * dim, values, r * dim, dim));
  return out;
}

/** Scales row `c` of `m` to length 1 (a zero row stays zero). */
function normalise(m: Float64Array, c: number, dim: number): void {
  const norm = Math.sqrt(dotRow(m, c * dim, m, c * dim, dim));
  if (norm > 0) for (let f = 0, o = c * dim; f < dim; f++, o++) m[o] = m[o]! / norm;
}

/**
 * k unit centroids of the rows `members` (row indices into `values`, `dim` numbers a row, lengths
 * `norms`), written into `centroids` (k × dim). Fewer members than k: every member is a centroid.
 * A centroid left without members keeps its place. Returns the number of centroids filled.
 */
export function* kmeans(
  values: Float64Array,
  norms: Float64Array,
  dim: number,
  members: Int32Array,
  k: number,
  iterations: number,
  rng: Rng,
  centroids: Float64Array,
): Steps<number> {
  const m = members.length;
  if (m <= k) {
    for (let j = 0; j < m; j++) {
      centroids.set(values.subarray(members[j]! * dim, (members[j]! + 1) * dim), j * dim);
      normalise(centroids, j, dim);
    }
    return m;
  }
  yield* seedPlusPlus(values, norms, dim, members, k, rng, centroids);
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    sizes.fill(0);
    for (let j = 0; j < m; j++) {
      const row = members[j]!;
      const norm = norms[row]!;
      if (norm === 0) continue;
      const o = row * dim;
      const c = nearestCentroid(values, o, dim, centroids, k);
      sizes[c]!++;
      for (let f = 0, so = c * dim; f < dim; f++) sums[so + f]! += values[o + f]! / norm;
      if (j % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) yield;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) continue;
      centroids.set(sums.subarray(c * dim, (c + 1) * dim), c * dim);
      normalise(centroids, c, dim);
    }
    yield;
  }
  return k;
}

/** k-means++ under cosine distance: each next centroid a member drawn with probability ∝ 1 − its best cosine so far. */
function* seedPlusPlus(
  values: Float64Array,
  norms: Float64Array,
  dim: number,
  members: Int32Array,
  k: number,
  rng: Rng,
  centroids: Float64Array,
): Steps<void> {
  const m = members.length;
  const distance = new Float64Array(m).fill(Infinity);
  let chosen = members[rng.int(m)]!;
  for (let c = 0; c < k; c++) {
    centroids.set(values.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    normalise(centroids, c, dim);
    if (c === k - 1) break;
    let total = 0;
    for (let j = 0; j < m; j++) {
      const row = members[j]!;
      const norm = norms[row]!;
      const d = norm === 0 ? 0 : Math.max(0, 1 - dotRow(values, row * dim, centroids, c * dim, dim) / norm);
      if (d < distance[j]!) distance[j] = d;
      total += distance[j]!;
      if (j % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) yield;
    }
    let pick = rng.int(m);
    if (total > 0) {
      let target = rng.next() * total;
      for (let j = 0; j < m; j++) {
        target -= distance[j]!;
        if (target < 0) {
          pick = j;
          break;
        }
      }
    }
    chosen = members[pick]!;
  }
}
