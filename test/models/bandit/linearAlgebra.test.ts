import fc from 'fast-check';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { invertSpd, shermanMorrison } from '../../../src/models/bandit/linearAlgebra.js';

/** A = λI + Σ w x xᵀ built by the bandit's own rank-1 steps (so off-diagonal pairs may differ in the last bit). */
function designMatrix(d: number, lambda: number, steps: Array<{ x: number[]; w: number }>): Float64Array {
  const a = new Float64Array(d * d);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    a[i * d + i] = lambda;
    inv[i * d + i] = 1 / lambda;
  }
  for (const { x, w } of steps) shermanMorrison(a, inv, x, w, new Float64Array(d), d);
  return a;
}

describe('invertSpd', () => {
  it('gives, to the last bit, the inverse of ml-matrix’s Cholesky decomposition (the earlier kernel, kept in snapshots)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((d) =>
          fc.record({
            d: fc.constant(d),
            lambda: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
            steps: fc.array(
              fc.record({
                x: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: d, maxLength: d }),
                w: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
              }),
              { maxLength: 30 },
            ),
          }),
        ),
        ({ d, lambda, steps }) => {
          const a = designMatrix(d, lambda, steps);
          const out = new Float64Array(d * d);
          expect(invertSpd(a, out, d)).toBe(true);
          // the reference reads the matrix the same way: each off-diagonal pair as their mean
          const rows = Array.from({ length: d }, (_, i) =>
            Array.from({ length: d }, (_, j) => {
              const [u, l] = [a[i * d + j]!, a[j * d + i]!];
              return u === l ? u : u / 2 + l / 2;
            }),
          );
          const reference = new CholeskyDecomposition(new Matrix(rows)).solve(Matrix.eye(d));
          expect(Array.from(out)).toEqual(reference.to1DArray());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a matrix that is not positive definite, leaving the output as it was', () => {
    const out = new Float64Array([7, 7, 7, 7]);
    expect(invertSpd(new Float64Array([1, 2, 2, 1]), out, 2)).toBe(false);
    expect(invertSpd(new Float64Array([0, 0, 0, 1]), out, 2)).toBe(false);
    expect(Array.from(out)).toEqual([7, 7, 7, 7]);
  });
});
