import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  choleskyLowerInto,
  keepFactor,
  solveWithKeptInto,
  solveWithLowerInto,
} from '../../../src/models/mf/choleskySolver.js';
import { AlsModel } from '../../../src/models/mf/index.js';
import { plantedWorld, WORLD_SEED } from './plantedWorld.js';

const world = plantedWorld({ seed: WORLD_SEED + 2, users: 200, items: 150 });
const { model } = AlsModel.fit(world.train, { factors: 8, iterations: 6, alpha: 2, seed: 3 });
const itemCount = model.itemCount;

const entriesArb = fc
  .uniqueArray(fc.integer({ min: 0, max: itemCount - 1 }), { minLength: 1, maxLength: 30 })
  .chain((items) =>
    fc.record({
      items: fc.constant(items),
      confidence: fc.array(fc.double({ min: 0, max: 50, noNaN: true }), {
        minLength: items.length,
        maxLength: items.length,
      }),
      preference: fc.array(fc.constantFrom(0, 1, 0.5), { minLength: items.length, maxLength: items.length }),
      targets: fc.uniqueArray(fc.integer({ min: 0, max: itemCount - 1 }), { minLength: 1, maxLength: 12 }),
    }),
  );

/** The factorisation one entry at a time (as it was before entries were paired): the reference. */
function choleskyOneByOne(a: Float64Array, k: number, out: Float64Array): boolean {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s0 = a[i * k + j]!;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < j; p += 2) {
        s0 -= out[i * k + p]! * out[j * k + p]!;
        s1 -= out[i * k + p + 1]! * out[j * k + p + 1]!;
      }
      if (p < j) s0 -= out[i * k + p]! * out[j * k + p]!;
      const s = s0 + s1;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        out[i * k + i] = Math.sqrt(s);
      } else {
        const v = s / out[j * k + j]!;
        if (!Number.isFinite(v)) return false;
        out[i * k + j] = v;
      }
    }
    for (let j = i + 1; j < k; j++) out[i * k + j] = 0;
  }
  return true;
}

describe('choleskyLowerInto (entries of a row in pairs)', () => {
  it('writes the same factor, bit for bit, as one entry at a time, and fails where it fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        fc.double({ min: -2, max: 3, noNaN: true }),
        (k, seed, shift) => {
          let s = seed + 1;
          const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
          const b = Float64Array.from({ length: k * k }, rnd);
          // B·Bᵀ + shift·I: positive definite for most shifts, not for some negative ones
          const a = new Float64Array(k * k);
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              let v = i === j ? shift : 0;
              for (let p = 0; p < k; p++) v += b[i * k + p]! * b[j * k + p]!;
              a[i * k + j] = v;
            }
          const paired = new Float64Array(k * k);
          const single = new Float64Array(k * k);
          const ok = choleskyOneByOne(a, k, single);
          expect(choleskyLowerInto(a, k, paired)).toBe(ok);
          if (ok) expect(paired).toEqual(single);
        },
      ),
    );
  });
});

describe('a kept factorisation (fold-in, then explain without factorising again)', () => {
  it('solves with the same numbers, bit for bit, as the factor it was packed from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (k, columns, seed) => {
        let s = seed + 1;
        const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
        // A = B·Bᵀ + I: symmetric positive definite.
        const b = Float64Array.from({ length: k * k }, rnd);
        const a = new Float64Array(k * k);
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) {
            let v = i === j ? 1 : 0;
            for (let p = 0; p < k; p++) v += b[i * k + p]! * b[j * k + p]!;
            a[i * k + j] = v;
          }
        const lower = new Float64Array(k * k);
        expect(choleskyLowerInto(a, k, lower)).toBe(true);
        const rhs = Float64Array.from({ length: k * columns }, rnd);
        const direct = new Float64Array(k * columns);
        const kept = new Float64Array(k * columns);
        solveWithLowerInto(lower, k, rhs, columns, direct);
        solveWithKeptInto(keepFactor(lower, k), rhs, columns, kept);
        expect(kept).toEqual(direct);
      }),
    );
  });

  it('explainMany with the kept fold-in equals the uncached explanation (to 1e-9; in fact exactly)', () => {
    fc.assert(
      fc.property(entriesArb, (e) => {
        const folded = model.foldInKeeping(e.items, e.confidence, e.preference);
        // A's factor, or the small system of the shared solve (at most two entries at 8 factors)
        expect(folded.factor === undefined).toBe(folded.shared !== undefined);
        expect(folded.vector).toEqual(model.foldIn(e.items, e.confidence, e.preference));
        const uncached = model.explainMany(e.items, e.confidence, e.preference, e.targets);
        const cached = model.explainMany(e.items, e.confidence, e.preference, e.targets, undefined, folded);
        expect(cached.length).toBe(uncached.length);
        cached.forEach((x, t) => {
          const u = uncached[t]!;
          expect(x.contributions.map((c) => c.item)).toEqual(u.contributions.map((c) => c.item));
          x.contributions.forEach((c, j) =>
            expect(Math.abs(c.weight - u.contributions[j]!.weight)).toBeLessThanOrEqual(1e-9),
          );
          expect(Math.abs(x.score - u.score)).toBeLessThanOrEqual(1e-9);
        });
        expect(cached).toEqual(uncached);
      }),
    );
  });

  it('keeps the small system instead when the fold-in goes through the shared factor (few entries)', () => {
    const k = 256;
    const items = 300;
    let s = 11;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.2;
    const big = AlsModel.fromItemFactors(Float64Array.from({ length: items * k }, rnd), items, {
      factors: k,
      regularization: 5,
    });
    const e = { items: [3, 40, 41], confidence: [2, 1, 4], preference: [1, 1, 0] };
    const folded = big.foldInKeeping(e.items, e.confidence, e.preference);
    expect(folded.factor).toBeUndefined();
    expect(folded.shared?.n).toBe(3);
    expect(big.explainMany(e.items, e.confidence, e.preference, [5, 6], undefined, folded)).toEqual(
      big.explainMany(e.items, e.confidence, e.preference, [5, 6]),
    );
  });
});
