/**
 * Bounded min-heap top-k selection over a score array: O(n log k) time,
 * O(k) memory, no allocation per item. Ties go to the lower index, so the
 * result is deterministic.
 */
export class TopK {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private n = 0;

  constructor(readonly capacity: number) {
    this.idx = new Int32Array(Math.max(1, capacity));
    this.val = new Float64Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.n;
  }

  /**
   * Whether an item with this score, offered after every item already held
   * (so with a higher index), would be rejected: lets hot loops skip the call.
   */
  rejects(score: number): boolean {
    return this.n === this.capacity && score <= this.val[0]!;
  }

  /** Offers item `index` with `score`; keeps it if it is among the best `capacity` seen. */
  push(index: number, score: number): void {
    if (this.n < this.capacity) {
      let i = this.n++;
      // sift up
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, index, this.val[parent]!, this.idx[parent]!)) break;
        this.idx[i] = this.idx[parent]!;
        this.val[i] = this.val[parent]!;
        i = parent;
      }
      this.idx[i] = index;
      this.val[i] = score;
      return;
    }
    if (this.capacity === 0 || !this.worse(this.val[0]!, this.idx[0]!, score, index)) return;
    // replace root, sift down
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      let c = l;
      if (r < this.n && this.worse(this.val[r]!, this.idx[r]!, this.val[l]!, this.idx[l]!)) c = r;
      if (!this.worse(this.val[c]!, this.idx[c]!, score, index)) break;
      this.idx[i] = this.idx[c]!;
      this.val[i] = this.val[c]!;
      i = c;
    }
    this.idx[i] = index;
    this.val[i] = score;
  }

  /** The held indices in ascending index order (not by score). */
  indicesAscending(): Int32Array {
    return this.idx.slice(0, this.n).sort();
  }

  /** Indices, best first. */
  sorted(): number[] {
    const order = Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => (this.worse(this.val[a]!, this.idx[a]!, this.val[b]!, this.idx[b]!) ? 1 : -1));
    return order.map((i) => this.idx[i]!);
  }

  /** true when (s1, i1) ranks below (s2, i2). */
  private worse(s1: number, i1: number, s2: number, i2: number): boolean {
    return s1 < s2 || (s1 === s2 && i1 > i2);
  }
}

/**
 * What a {@link TopK} of `capacity` keeps when offered `items[0..count)` (ascending indices) with
 * the scores `keys[item]`, in ascending index order — the best by score, ties to the lower index —
 * found by one selection of the threshold (O(count)) instead of a heap push per item that beats
 * the heap's worst (O(count · log capacity)). `scratch` holds at least `count` numbers. Undefined
 * when a score offered is NaN (the heap's order is then the only definition: use a TopK).
 */
export function bestAscending(
  items: Int32Array,
  count: number,
  keys: Float64Array,
  capacity: number,
  scratch: Float64Array,
): Int32Array | undefined {
  if (count <= capacity) return items.slice(0, count);
  for (let j = 0; j < count; j++) {
    const key = keys[items[j]!]!;
    if (key !== key) return undefined;
    scratch[j] = key;
  }
  const threshold = kthLargest(scratch, count, capacity);
  let above = 0;
  for (let j = 0; j < count; j++) if (keys[items[j]!]! > threshold) above++;
  // Of the items at the threshold, the lowest indices fill the places left.
  let ties = capacity - above;
  const out = new Int32Array(capacity);
  let o = 0;
  for (let j = 0; j < count; j++) {
    const item = items[j]!;
    const key = keys[item]!;
    if (key > threshold) out[o++] = item;
    else if (key === threshold && ties > 0) {
      out[o++] = item;
      ties--;
    }
  }
  return out;
}

/** The k-th largest (1-based) of a[0..n) (no NaN), reordering a (Hoare's selection, median-of-three pivot). */
function kthLargest(a: Float64Array, n: number, k: number): number {
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const x = a[lo]!;
    const y = a[(lo + hi) >> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] ≥ pivot ≥ a[i..hi], and a[j + 1..i − 1] = pivot
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target]!;
  }
  return a[target]!;
}
