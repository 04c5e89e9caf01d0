/**
 * An inverted-file index over the item factors (IVF; Jégou, Douze & Schmid
 * 2011, "Product quantization for nearest neighbor search", §III-A): the
 * items are cut into lists by k-means on their factor vectors, and a query
 * scans only the lists whose centroids score best against it, in that order,
 * until it has looked at a given number of items. Each list keeps its items'
 * vectors together as 32-bit floats, so a scan reads memory in order; the
 * scores it gives are approximate (single precision) and are only used to
 * propose candidates — the ranker scores what it keeps exactly (the re-rank).
 *
 * Why IVF: it is a few hundred lines of plain loops, builds in one pass of
 * k-means, takes half the memory of the model's own factors (HNSW's graph
 * would need more, and its build is far slower in JavaScript), and its one
 * knob — how many items a query scans — trades speed for recall smoothly.
 *
 * The lists come from two levels of k-means (√lists coarse cells, each cut
 * into lists in proportion to its size), so a build costs about
 * n · 2√lists · dim multiply-adds instead of n · lists · dim.
 */
import type { Rng } from '../../random/rng.js';
import { dotRow, kmeans, nearestCentroid, ROWS_PER_YIELD, rowNorms } from './kmeans.js';
import type { Steps } from '../../kernels/steps.js';

/** Rows k-means trains on per centroid (a sample; every row is then assigned). */
const SAMPLE_PER_CENTROID = 32;
/** Lloyd iterations per level. */
const ITERATIONS = 5;

export class IvfIndex {
  /** Scratch of a query: each list's centroid score, and the lists in scan order. */
  private readonly listScore: Float64Array;
  private readonly order: Int32Array;
  /** The most items one list holds. */
  readonly largestList: number;
  /** Where each item's vector is (its position in list order). */
  private readonly positionOf: Int32Array;

  private constructor(
    /** Numbers per factor vector. */
    readonly dim: number,
    /** Items 0..itemCount−1 are indexed. */
    readonly itemCount: number,
    private readonly centroids: Float64Array,
    /** List l holds listItems[listStart[l] .. listStart[l + 1]). */
    private readonly listStart: Int32Array,
    private readonly listItems: Int32Array,
    /** The items' vectors in list order, single precision. */
    private readonly vectors: Float32Array,
  ) {
    const lists = listStart.length - 1;
    this.listScore = new Float64Array(lists);
    this.order = new Int32Array(lists);
    let largest = 0;
    for (let l = 0; l < lists; l++) largest = Math.max(largest, listStart[l + 1]! - listStart[l]!);
    this.largestList = largest;
    this.positionOf = new Int32Array(itemCount);
    for (let p = 0; p < listItems.length; p++) this.positionOf[listItems[p]!] = p;
  }

  /** Number of lists. */
  get lists(): number {
    return this.listStart.length - 1;
  }

  /** Bytes the index holds (vectors, item ids, list bounds, centroids, query scratch). */
  get bytes(): number {
    return (
      this.vectors.byteLength +
      this.listItems.byteLength +
      this.listStart.byteLength +
      this.centroids.byteLength +
      this.listScore.byteLength +
      this.order.byteLength +
      this.positionOf.byteLength
    );
  }

  /**
   * Builds the index over the first `itemCount` rows of `factors` (row-major, `dim` a row) with
   * about `lists` lists. Deterministic for the same factors and random stream.
   */
  static *build(factors: Float64Array, itemCount: number, dim: number, lists: number, rng: Rng): Steps<IvfIndex> {
    const n = itemCount;
    const target = Math.max(1, Math.min(lists, n));
    const coarseCount = Math.max(1, Math.round(Math.sqrt(target)));
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const norms = rowNorms(factors, n, dim);
    // Coarse cells, trained on a sample and assigned every row.
    const coarse = new Float64Array(coarseCount * dim);
    const k1 = yield* kmeans(
      factors,
      norms,
      dim,
      sample(all, coarseCount * SAMPLE_PER_CENTROID, rng),
      coarseCount,
      ITERATIONS,
      rng,
      coarse,
    );
    const cellOf = yield* assign(factors, dim, all, coarse, k1);
    const cells = groupBy(all, cellOf, k1);
    // Each cell cut into lists in proportion to its size.
    const listOf = new Int32Array(n);
    let listCount = 0;
    const fine = new Float64Array(target * dim + dim);
    for (let c = 0; c < k1; c++) {
      const members = cells.items.subarray(cells.start[c]!, cells.start[c + 1]!);
      if (members.length === 0) continue;
      const k2 = Math.max(1, Math.round((target * members.length) / n));
      const centroids = fine.length >= k2 * dim ? fine : new Float64Array(k2 * dim);
      const k = yield* kmeans(
        factors,
        norms,
        dim,
        sample(members, k2 * SAMPLE_PER_CENTROID, rng),
        k2,
        ITERATIONS,
        rng,
        centroids,
      );
      const local = yield* assign(factors, dim, members, centroids, k);
      for (let j = 0; j < members.length; j++) listOf[members[j]!] = listCount + local[j]!;
      listCount += k;
    }
    // Lists in order, empty ones dropped; centroids are their members' means. Within a list the
    // longest vectors come first, so that a query that cuts a list (see probe's `limit`) scans
    // those that can score highest.
    const grouped = groupBy(all, listOf, listCount);
    for (let l = 0; l < listCount; l++) {
      const segment = grouped.items.subarray(grouped.start[l]!, grouped.start[l + 1]!);
      segment.sort((a, b) => norms[b]! - norms[a]! || a - b);
      yield;
    }
    const kept: number[] = [];
    for (let l = 0; l < listCount; l++) if (grouped.start[l + 1]! > grouped.start[l]!) kept.push(l);
    const listStart = new Int32Array(kept.length + 1);
    const centroids = new Float64Array(kept.length * dim);
    const vectors = new Float32Array(n * dim);
    for (let r = 0; r < kept.length; r++) {
      const from = grouped.start[kept[r]!]!;
      const to = grouped.start[kept[r]! + 1]!;
      listStart[r + 1] = to;
      for (let p = from; p < to; p++) {
        const o = grouped.items[p]! * dim;
        for (let f = 0; f < dim; f++) {
          const v = factors[o + f]!;
          vectors[p * dim + f] = v;
          centroids[r * dim + f]! += v;
        }
        if (p % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) yield;
      }
      for (let f = 0; f < dim; f++) centroids[r * dim + f]! /= to - from;
    }
    return new IvfIndex(dim, n, centroids, listStart, grouped.items, vectors);
  }

  /** x · y of one indexed item, from the index's single-precision copy (as {@link probe} gives it). */
  approximateDot(x: Float64Array, item: number): number {
    return dotRow32(x, this.vectors, this.positionOf[item]! * this.dim, this.dim);
  }

  /** The items of list `l` (a view). */
  members(l: number): Int32Array {
    return this.listItems.subarray(this.listStart[l]!, this.listStart[l + 1]!);
  }

  /**
   * Scans lists best first by `weight` · x · centroid + `bonus[l]` until at least `budget` items
   * have been looked at (whole lists, so up to `budget + largestList − 1`), but never more than
   * `limit` items: the list that would cross it is cut there (its longest vectors are first),
   * writing each item and its approximate x · y into `items` and `dots`. Returns how many were
   * written.
   */
  probe(
    x: Float64Array,
    weight: number,
    bonus: Float64Array | undefined,
    budget: number,
    items: Int32Array,
    dots: Float64Array,
    limit = Infinity,
  ): number {
    const { dim, centroids, listScore, order, listStart, listItems, vectors } = this;
    const lists = this.lists;
    for (let l = 0; l < lists; l++) {
      listScore[l] = weight * dotRow(x, 0, centroids, l * dim, dim) + (bonus === undefined ? 0 : bonus[l]!);
      order[l] = l;
    }
    order.sort((a, b) => listScore[b]! - listScore[a]! || a - b);
    let count = 0;
    for (let r = 0; r < lists && count < budget; r++) {
      const l = order[r]!;
      const end = Math.min(listStart[l + 1]!, listStart[l]! + (limit - count));
      for (let p = listStart[l]!; p < end; p++) {
        items[count] = listItems[p]!;
        dots[count] = dotRow32(x, vectors, p * dim, dim);
        count++;
      }
    }
    return count;
  }
}

/** x · row `offset` of the single-precision `m` (its own function: the scan's loads stay of one kind). */
function dotRow32(x: Float64Array, m: Float32Array, offset: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 3 < dim; f += 4) {
    s0 += x[f]! * m[offset + f]!;
    s1 += x[f + 1]! * m[offset + f + 1]!;
    s2 += x[f + 2]! * m[offset + f + 2]!;
    s3 += x[f + 3]! * m[offset + f + 3]!;
  }
  for (; f < dim; f++) s0 += x[f]! * m[offset + f]!;
  return s0 + s1 + (s2 + s3);
}

/** The nearest of k centroids for each of `members`, in member order. */
function* assign(
  values: Float64Array,
  dim: number,
  members: Int32Array,
  centroids: Float64Array,
  k: number,
): Steps<Int32Array> {
  const out = new Int32Array(members.length);
  for (let j = 0; j < members.length; j++) {
    out[j] = nearestCentroid(values, members[j]! * dim, dim, centroids, k);
    if (j % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) yield;
  }
  return out;
}

/** `items` grouped by `groupOf` (aligned with items), stable: group g is items[start[g] .. start[g + 1]). */
function groupBy(items: Int32Array, groupOf: Int32Array, groups: number): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let j = 0; j < items.length; j++) start[groupOf[j]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const at = start.slice(0, groups);
  const out = new Int32Array(items.length);
  for (let j = 0; j < items.length; j++) out[at[groupOf[j]!]!++] = items[j]!;
  return { start, items: out };
}

/** Up to `size` of `from`, drawn without replacement (a partial Fisher–Yates shuffle of a copy), ascending. */
function sample(from: Int32Array, size: number, rng: Rng): Int32Array {
  if (size >= from.length) return from;
  const pool = Int32Array.from(from);
  for (let j = 0; j < size; j++) {
    const r = j + rng.int(pool.length - j);
    const t = pool[j]!;
    pool[j] = pool[r]!;
    pool[r] = t;
  }
  return pool.subarray(0, size).sort();
}
