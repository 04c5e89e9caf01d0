import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlsModel } from '../../../src/models/mf/index.js';
import { plantedWorld, rowOf, WORLD_SEED } from './plantedWorld.js';

const world = plantedWorld({ seed: WORLD_SEED + 1, users: 200, items: 150 });
const { model } = AlsModel.fit(world.train, { factors: 8, iterations: 10, alpha: 2, seed: 3 });
const itemCount = model.itemCount;

/** A user's entries: distinct items, some liked (p = 1) and some turned down (p = 0). */
const entriesArb = fc
  .uniqueArray(fc.integer({ min: 0, max: itemCount - 1 }), { minLength: 0, maxLength: 30 })
  .chain((items) =>
    fc.record({
      items: fc.constant(items),
      confidence: fc.array(fc.double({ min: 0, max: 50, noNaN: true }), {
        minLength: items.length,
        maxLength: items.length,
      }),
      preference: fc.array(fc.constantFrom(0, 1, 0.5), { minLength: items.length, maxLength: items.length }),
    }),
  );

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));

describe('AlsModel.explain (HKV section 5)', () => {
  it('contributions plus remainder give the score, for any user vector', () => {
    fc.assert(
      fc.property(
        entriesArb,
        fc.integer({ min: 0, max: itemCount - 1 }),
        fc.integer({ min: 0, max: model.userCount - 1 }),
        (e, item, u) => {
          const trained = model.userVector(u);
          const ex = model.explain(e.items, e.confidence, e.preference, item, trained);
          const sum = ex.contributions.reduce((s, c) => s + c.weight, 0);
          expect(close(ex.sum, sum)).toBe(true);
          expect(close(ex.sum + ex.remainder, ex.score)).toBe(true);
          expect(close(ex.score, model.score(trained, item))).toBe(true);
        },
      ),
    );
  });

  it('has remainder ≈ 0 for the folded-in user, and never cites a turned-down item', () => {
    fc.assert(
      fc.property(entriesArb, fc.integer({ min: 0, max: itemCount - 1 }), (e, item) => {
        const ex = model.explain(e.items, e.confidence, e.preference, item);
        const folded = model.foldIn(e.items, e.confidence, e.preference);
        expect(close(ex.score, model.score(folded, item), 1e-8)).toBe(true);
        expect(Math.abs(ex.remainder)).toBeLessThan(1e-9 * (1 + Math.abs(ex.score)));
        const disliked = new Set(e.items.filter((_, j) => e.preference[j] === 0));
        for (const c of ex.contributions) expect(disliked.has(c.item)).toBe(false);
        expect(ex.contributions.length).toBe(e.items.length - disliked.size);
        for (let j = 1; j < ex.contributions.length; j++) {
          expect(ex.contributions[j - 1]!.weight).toBeGreaterThanOrEqual(ex.contributions[j]!.weight);
        }
      }),
    );
  });
});

describe('AlsModel.explainMany', () => {
  it('equals explain item by item, for the fold-in and for a given user vector', () => {
    const row = rowOf(world.train, 4);
    const targets = [0, 7, itemCount - 1];
    const trained = model.userVector(4);
    const many = model.explainMany(row.items, row.confidence, row.preference, targets);
    const manyTrained = model.explainMany(row.items, row.confidence, row.preference, targets, trained);
    targets.forEach((item, t) => {
      expect(many[t]).toEqual(model.explain(row.items, row.confidence, row.preference, item));
      expect(manyTrained[t]).toEqual(model.explain(row.items, row.confidence, row.preference, item, trained));
    });
  });

  it('refuses a bad target or user vector with INVALID_ARGUMENT naming the call', () => {
    const row = rowOf(world.train, 4);
    const bad = [
      () => model.explainMany(row.items, row.confidence, row.preference, [itemCount]),
      () => model.explainMany(row.items, row.confidence, row.preference, [1], [1, 2]),
      () => model.explainMany(row.items, row.confidence, row.preference, [1], new Array(8).fill(Number.NaN)),
    ];
    for (const call of bad)
      expect(call).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/^AlsModel\.explainMany: /),
        }),
      );
    expect(() => model.explain(row.items, row.confidence, row.preference, -1)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^AlsModel\.explain: /) }),
    );
  });
});

describe('AlsModel.foldIn', () => {
  it('adding a liked item raises the scores of that item’s neighbours', () => {
    const before = new Float64Array(itemCount);
    const after = new Float64Array(itemCount);
    for (let u = 0; u < 20; u++) {
      const row = rowOf(world.train, u);
      const owned = new Set(row.items);
      const added = (world.heldOut[u] as number[])[0] as number;
      model.scoreInto(model.foldIn(row.items, row.confidence, row.preference), before);
      model.scoreInto(model.foldIn([...row.items, added], [...row.confidence, 2], [...row.preference, 1]), after);
      const neighbours = nearestItems(added, 5, owned);
      const lift = (ids: number[]) =>
        ids.reduce((s, i) => s + (after[i] as number) - (before[i] as number), 0) / ids.length;
      const everyone = Array.from({ length: itemCount }, (_, i) => i).filter((i) => i !== added);
      expect(lift(neighbours)).toBeGreaterThan(0);
      expect(lift(neighbours)).toBeGreaterThan(lift(everyone));
      expect((after[added] as number) > (before[added] as number)).toBe(true);
    }
  });

  it('is the exact minimiser of the user’s HKV objective (eq. 3) against fixed items', () => {
    const lambda = model.options.regularization;
    const alpha = model.options.alpha;
    fc.assert(
      fc.property(
        entriesArb,
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (e, direction) => {
          const objective = (x: ArrayLike<number>) => {
            const c = new Float64Array(itemCount).fill(1);
            const p = new Float64Array(itemCount);
            e.items.forEach((i, j) => {
              c[i] = 1 + alpha * (e.confidence[j] as number);
              p[i] = e.preference[j] as number;
            });
            let total = 0;
            for (let i = 0; i < itemCount; i++) total += (c[i] as number) * ((p[i] as number) - model.score(x, i)) ** 2;
            return total + lambda * Array.from(x).reduce((s, v) => s + v * v, 0);
          };
          const best = model.foldIn(e.items, e.confidence, e.preference);
          const nudged = best.map((v, f) => v + 1e-3 * (direction[f] as number));
          expect(objective(best)).toBeLessThanOrEqual(objective(nudged) + 1e-12);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('returns the zero vector with no entries and validates its arguments', () => {
    expect(Array.from(model.foldIn([], [], []))).toEqual(new Array(8).fill(0));
    expect(() => model.foldIn([itemCount], [1], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => model.foldIn([1], [-1], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => model.foldIn([1], [1], [Number.NaN])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => model.foldIn([1, 2], [1], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('is finite for any valid entries', () => {
    fc.assert(
      fc.property(entriesArb, (e) => {
        expect(model.foldIn(e.items, e.confidence, e.preference).every(Number.isFinite)).toBe(true);
      }),
    );
  });
});

function nearestItems(item: number, count: number, leaveOut: ReadonlySet<number>): number[] {
  const y = model.itemVector(item);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const cosine: { i: number; c: number }[] = [];
  for (let i = 0; i < itemCount; i++) {
    if (i === item || leaveOut.has(i)) continue;
    const v = model.itemVector(i);
    cosine.push({ i, c: v.reduce((s, x, f) => s + x * (y[f] as number), 0) / (norm(v) * norm(y) || 1) });
  }
  return cosine
    .sort((a, b) => b.c - a.c)
    .slice(0, count)
    .map((x) => x.i);
}
