import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from '../../src/kernels/topk.js';

describe('TopK', () => {
  it('equals a full sort, ties to the lower index', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (scores, k) => {
          const heap = new TopK(k);
          scores.forEach((s, i) => heap.push(i, s));
          const expected = scores
            .map((s, i) => [s, i] as const)
            .sort((a, b) => b[0] - a[0] || a[1] - b[1])
            .slice(0, k)
            .map(([, i]) => i);
          expect(heap.sorted()).toEqual(expected);
        },
      ),
    );
  });
});
