/**
 * Candidates best first, produced lazily: a binary max-heap built in O(n)
 * over the scores, popped one at a time. A list of k needs O(n + k' log n)
 * work (k' the candidates looked at) instead of a full O(n log n) sort.
 * Ties go to the lower position, as with a stable sort by score.
 *
 * A diverse list can pass over most candidates (once its favourite genre has
 * filled its share, every other item of that genre is skipped), so the heap
 * can also drop, in one O(n) pass and a rebuild, every remaining candidate
 * that carries a tag the list can take no more of: popping them one by one
 * would cost O(log n) each (see `DiverseSelector.selectLazy`).
 */
import type { TagRows } from './diversity.js';

export class LazyOrder {
  private heap = new Int32Array(0);
  private size = 0;
  private scores: Float64Array = new Float64Array(0);
  /** Positions dropped since the last reset, in no particular order. */
  private dropped = new Int32Array(0);
  private droppedCount = 0;

  /** Orders positions 0..n−1 by `scores` (descending). */
  reset(scores: Float64Array, n: number): void {
    if (this.heap.length < n) {
      this.heap = new Int32Array(n);
      this.dropped = new Int32Array(n);
    }
    this.scores = scores;
    this.size = n;
    this.droppedCount = 0;
    const heap = this.heap;
    for (let p = 0; p < n; p++) heap[p] = p;
    this.heapify();
  }

  /** The next best position, or −1 when every position has been produced. */
  next(): number {
    if (this.size === 0) return -1;
    const heap = this.heap;
    const top = heap[0]!;
    const size = --this.size;
    if (size > 0) {
      heap[0] = heap[size]!;
      this.siftDown(0);
    }
    return top;
  }

  /** Whether position a comes before position b: a higher score, or the same score and a lower position. */
  precedes(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa > sb || (sa === sb && a < b);
  }

  /**
   * Drops every remaining position p whose item `items[p]` has a tag t (in `rows`) with `saturated[t]` = 1,
   * keeping the rest in order. Returns how many were dropped.
   */
  dropTagged(items: ArrayLike<number>, rows: TagRows, saturated: Uint8Array): number {
    const heap = this.heap;
    const { start, tags } = rows;
    let kept = 0;
    for (let h = 0; h < this.size; h++) {
      const p = heap[h]!;
      const item = items[p]!;
      const end = start[item + 1]!;
      let blocked = false;
      for (let j = start[item]!; j < end; j++) {
        if (saturated[tags[j]!] === 1) {
          blocked = true;
          break;
        }
      }
      if (blocked) this.dropped[this.droppedCount++] = p;
      else heap[kept++] = p;
    }
    const gone = this.size - kept;
    this.size = kept;
    if (gone > 0) this.heapify();
    return gone;
  }

  /** Whether {@link dropTagged} dropped anything since the last reset. */
  hasDropped(): boolean {
    return this.droppedCount > 0;
  }

  /**
   * Starts over, best first by the same scores, from `passed[0..count)` (positions already produced)
   * and every position dropped since the last reset.
   */
  restartWith(passed: Int32Array, count: number): void {
    const heap = this.heap;
    for (let r = 0; r < count; r++) heap[r] = passed[r]!;
    for (let r = 0; r < this.droppedCount; r++) heap[count + r] = this.dropped[r]!;
    this.size = count + this.droppedCount;
    this.droppedCount = 0;
    this.heapify();
  }

  private heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const scores = this.scores;
    const size = this.size;
    let i = start;
    const item = heap[i]!;
    const score = scores[item]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      let child = heap[c]!;
      let childScore = scores[child]!;
      const r = c + 1;
      if (r < size) {
        const right = heap[r]!;
        const rightScore = scores[right]!;
        if (rightScore > childScore || (rightScore === childScore && right < child)) {
          c = r;
          child = right;
          childScore = rightScore;
        }
      }
      if (!(childScore > score || (childScore === score && child < item))) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = item;
  }
}
