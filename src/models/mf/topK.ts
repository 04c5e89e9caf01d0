/**
 * Top-k selection over a score buffer with a bounded min-heap: O(n log k),
 * no allocation per item. Ties go to the lower index, so results are stable.
 */

/** Heap order: true when (sa, ia) ranks below (sb, ib). */
function below(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/**
 * The indices of the `count` highest scores, best first. Items with
 * `skip[i] !== 0` (when given) and non-finite scores are left out.
 */
export function topK(scores: Float64Array, count: number, skip?: Uint8Array): Int32Array {
  const capacity = Math.max(0, Math.min(count, scores.length));
  const heapIndex = new Int32Array(capacity);
  const heapScore = new Float64Array(capacity);
  let size = 0;
  for (let i = 0; i < scores.length; i++) {
    if (skip !== undefined && skip[i] !== 0) continue;
    const s = scores[i] as number;
    if (!Number.isFinite(s)) continue;
    if (size < capacity) {
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!below(s, i, heapScore[parent] as number, heapIndex[parent] as number)) break;
        heapScore[c] = heapScore[parent] as number;
        heapIndex[c] = heapIndex[parent] as number;
        c = parent;
      }
      heapScore[c] = s;
      heapIndex[c] = i;
    } else if (capacity > 0 && below(heapScore[0] as number, heapIndex[0] as number, s, i)) {
      siftDown(heapScore, heapIndex, size, s, i);
    }
  }
  const order = Array.from({ length: size }, (_, j) => j);
  order.sort((a, b) => (heapScore[b] as number) - (heapScore[a] as number) || (heapIndex[a] as number) - (heapIndex[b] as number));
  return Int32Array.from(order, (j) => heapIndex[j] as number);
}

function siftDown(heapScore: Float64Array, heapIndex: Int32Array, size: number, s: number, i: number): void {
  let c = 0;
  for (;;) {
    const left = 2 * c + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && below(heapScore[right] as number, heapIndex[right] as number, heapScore[left] as number, heapIndex[left] as number)) child = right;
    if (!below(heapScore[child] as number, heapIndex[child] as number, s, i)) break;
    heapScore[c] = heapScore[child] as number;
    heapIndex[c] = heapIndex[child] as number;
    c = child;
  }
  heapScore[c] = s;
  heapIndex[c] = i;
}
