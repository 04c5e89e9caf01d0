import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestAscending, TopK } from '../../src/kernels/topk.js';

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

  it('bestAscending keeps what a TopK offered the same items in order keeps (ties, signed zeros, infinities)', () => {
    const score = fc.oneof(
      fc.integer({ min: -4, max: 4 }),
      fc.constantFrom(0, -0, Infinity, -Infinity),
      fc.double({ noNaN: true, min: -1, max: 1 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(score, fc.boolean()), { maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (rows, capacity) => {
          const keys = Float64Array.from(rows, ([s]) => s);
          const items = Int32Array.from(rows.flatMap(([, offered], i) => (offered ? [i] : [])));
          const heap = new TopK(capacity);
          for (const i of items) heap.push(i, keys[i]!);
          const got = bestAscending(items, items.length, keys, capacity, new Float64Array(items.length));
          expect(Array.from(got!)).toEqual(Array.from(heap.indicesAscending()));
        },
      ),
    );
    // a NaN score: no answer (the caller uses a TopK)
    expect(
      bestAscending(Int32Array.of(0, 1, 2), 3, Float64Array.of(1, NaN, 2), 2, new Float64Array(3)),
    ).toBeUndefined();
  });
});
