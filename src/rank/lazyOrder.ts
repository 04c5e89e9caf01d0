/**
 * Candidates best first, produced lazily: a binary max-heap built in O(n)
 * over the scores, popped one at a time. A list of k needs O(n + k' log n)
 * work (k' the candidates looked at) instead of a full O(n log n) sort.
 * Ties go to the lower position, as with a stable sort by score.
 */
export class LazyOrder {
  private heap = new Int32Array(0);
  private size = 0;
  private scores: Float64Array = new Float64Array(0);

  /** Orders positions 0..n−1 by `scores` (descending). */
  reset(scores: Float64Array, n: number): void {
    if (this.heap.length < n) this.heap = new Int32Array(n);
    this.scores = scores;
    this.size = n;
    for (let p = 0; p < n; p++) this.heap[p] = p;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** The next best position, or −1 when every position has been produced. */
  next(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0]!;
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size]!;
      this.siftDown(0);
    }
    return top;
  }

  private better(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa > sb || (sa === sb && a < b);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.better(heap[r]!, heap[l]!) ? r : l;
      if (!this.better(heap[c]!, item)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = item;
  }
}
