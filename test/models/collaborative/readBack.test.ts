/**
 * CollaborativeModel.readBackSteps: the model a process gets by reading a
 * published model's JSON text back, made from the model itself — what a
 * store-backed train() serves in the process that trained, so that it
 * answers as every other process (which reads the text) to the last bit.
 */
import { describe, expect, it } from 'vitest';
import { finishSteps } from '../../../src/kernels/steps.js';
import { CollaborativeModel } from '../../../src/models/collaborative/collaborative.js';
import { createRecommender } from '../../../src/index.js';
import type { Signal } from '../../../src/types.js';
import { T0 } from '../../__helpers__/catalog.js';

/** The bits of every number the model serves from: its factors and its fold-in base (G = YᵀY + λI, or its explicit twin). */
function bitsOf(model: CollaborativeModel): { factors: number[]; base: number[] } {
  const als = (model as unknown as { als: { itemFactors: Float64Array; foldInBase: Float64Array } }).als;
  const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));
  return { factors: bits(als.itemFactors), base: bits(als.foldInBase) };
}

function readFromText(model: CollaborativeModel): CollaborativeModel {
  return CollaborativeModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
}

describe('CollaborativeModel.readBackSteps', () => {
  it('gives the model its JSON text reads back to, bit for bit, where the fitted model differs', () => {
    const items = Array.from({ length: 600 }, (_, i) => ({ id: `i${i}`, tags: [`g:${i % 11}`] }));
    let t = T0;
    const rec = createRecommender({ items, seed: 5, now: () => t, collaborative: { factors: 64, iterations: 3 } });
    let s = 11;
    const draw = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    rec.feedback(
      Array.from({ length: 4000 }, (_, k) => ({
        user: `u${k % 120}`,
        item: `i${Math.floor(draw() * items.length)}`,
        signal: (draw() < 0.8 ? 'up' : 'down') as Signal,
        at: (t += 1000),
      })),
    );
    rec.train();
    const fitted = (rec as unknown as { world: { model: CollaborativeModel } }).world.model;
    const read = readFromText(fitted);
    // The fit sums its Gram matrix in another order than a read: not the same bits (why readBackSteps exists).
    expect(bitsOf(fitted).base).not.toEqual(bitsOf(read).base);
    const made = finishSteps(CollaborativeModel.readBackSteps(fitted));
    expect(bitsOf(made)).toEqual(bitsOf(read));
    expect(made.weight).toBe(read.weight);
    expect(made.toJSON()).toStrictEqual(read.toJSON());
  });

  it('copies -0 as 0 (as JSON text writes it), keeps an imported mark, and refuses what reading the text refuses', () => {
    const json = (factors: number[], extra: Record<string, unknown> = {}) => ({
      weight: 0.5,
      ...extra,
      als: {
        format: 'attune.als',
        version: 1,
        options: { factors: 2 },
        userCount: 0,
        itemCount: 2,
        userFactors: [],
        itemFactors: factors,
      },
    });
    const withNegativeZero = CollaborativeModel.fromJSON(json([-0, 1, 2, -0], { imported: true }));
    const made = finishSteps(CollaborativeModel.readBackSteps(withNegativeZero));
    expect(bitsOf(made)).toEqual(bitsOf(readFromText(withNegativeZero)));
    const written = made.toJSON() as { imported?: boolean; als: { itemFactors: number[] } };
    expect(Object.is(written.als.itemFactors[0], 0)).toBe(true);
    expect(written.imported).toBe(true);
    // A model whose factors are too large to be read back is refused here as its text would be.
    const large = CollaborativeModel.fromJSON(json([1, 2, 3, 4]));
    (large as unknown as { als: { itemFactors: Float64Array } }).als.itemFactors[3] = 1e300;
    let refusal = '';
    try {
      readFromText(large);
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/at most/);
    expect(() => finishSteps(CollaborativeModel.readBackSteps(large))).toThrow(refusal);
  });
});
