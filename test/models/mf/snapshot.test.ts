import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlsModel } from '../../../src/models/mf/index.js';
import { plantedWorld, WORLD_SEED } from './plantedWorld.js';

const world = plantedWorld({ seed: WORLD_SEED + 2, users: 60, items: 40, likesPerUser: 10 });
const { model } = AlsModel.fit(world.train, { factors: 5, iterations: 4, seed: 'snap' });

describe('AlsModel.toJSON / fromJSON', () => {
  it('round-trips through JSON text with bit-exact factors', () => {
    const text = JSON.stringify(model.toJSON());
    const restored = AlsModel.fromJSON(JSON.parse(text));
    expect(JSON.stringify(restored.toJSON())).toBe(text);
    for (let u = 0; u < model.userCount; u++) {
      const a = model.userVector(u);
      const b = restored.userVector(u);
      for (let f = 0; f < a.length; f++) expect(Object.is(a[f], b[f])).toBe(true);
    }
    for (let i = 0; i < model.itemCount; i++) expect(restored.itemVector(i)).toEqual(model.itemVector(i));
    const e = { items: [1, 2, 3], confidence: [1, 2, 0], preference: [1, 0, 1] };
    expect(restored.foldIn(e.items, e.confidence, e.preference)).toEqual(
      model.foldIn(e.items, e.confidence, e.preference),
    );
  });

  it('restores a model whose fold-in and explanations are bit-identical to the fitted one', () => {
    // The fitted model reuses fit's last YᵀY; the restored one recomputes it.
    const restored = AlsModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const e = { items: [0, 3, 5, 8, 13, 21, 34], confidence: [1, 2, 0, 4, 1, 3, 2], preference: [1, 0, 1, 1, 1, 0, 1] };
    const a = model.foldIn(e.items, e.confidence, e.preference);
    const b = restored.foldIn(e.items, e.confidence, e.preference);
    for (let f = 0; f < a.length; f++) expect(Object.is(a[f], b[f])).toBe(true);
    expect(restored.explain(e.items, e.confidence, e.preference, 2)).toEqual(
      model.explain(e.items, e.confidence, e.preference, 2),
    );
  });

  it('refuses anything malformed with BAD_SNAPSHOT', () => {
    const good = model.toJSON();
    const corruptions: unknown[] = [
      null,
      42,
      [],
      { ...good, format: 'other' },
      { ...good, version: 2 },
      { ...good, options: { ...good.options, factors: 0 } },
      { ...good, options: 'x' },
      { ...good, userCount: -1 },
      { ...good, itemCount: 1.5 },
      { ...good, userFactors: good.userFactors.slice(1) },
      { ...good, itemFactors: [...good.itemFactors.slice(1), Number.NaN] },
      { ...good, itemFactors: [...good.itemFactors.slice(1), '1'] },
      { ...good, userFactors: 'nope' },
    ];
    for (const bad of corruptions)
      expect(() => AlsModel.fromJSON(bad)).toThrow(expect.objectContaining({ code: 'BAD_SNAPSHOT' }));
  });

  it('refuses any single corrupted factor (property)', () => {
    const good = model.toJSON();
    fc.assert(
      fc.property(
        fc.nat({ max: good.itemFactors.length - 1 }),
        fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, null, '0.5', undefined, {}),
        (index, value) => {
          const itemFactors: unknown[] = good.itemFactors.slice();
          itemFactors[index] = value;
          expect(() => AlsModel.fromJSON({ ...good, itemFactors })).toThrow(
            expect.objectContaining({ code: 'BAD_SNAPSHOT' }),
          );
        },
      ),
    );
  });
});
