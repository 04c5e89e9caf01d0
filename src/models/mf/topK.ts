/**
 * Top-k selection over a whole score buffer, on the library's bounded heap
 * ({@link TopK}, src/kernels/topk.ts): O(n log k), no allocation per item. Ties
 * go to the lower index, so results are stable.
 */
import { TopK } from '../../kernels/topk.js';

/**
 * The indices of the `count` highest scores, best first. Items with
 * `skip[i] !== 0` (when given) and non-finite scores are left out.
 */
export function topK(scores: Float64Array, count: number, skip?: Uint8Array): Int32Array {
  const heap = new TopK(Math.max(0, Math.min(count, scores.length)));
  for (let i = 0; i < scores.length; i++) {
    if (skip !== undefined && skip[i] !== 0) continue;
    const s = scores[i] as number;
    if (Number.isFinite(s) && !heap.rejects(s)) heap.push(i, s);
  }
  return Int32Array.from(heap.sorted());
}
