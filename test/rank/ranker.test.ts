import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { createRng } from '../../src/random/rng.js';
import { Ranker, type RankInput, type RankedItem } from '../../src/rank/ranker.js';
import type { Item } from '../../src/types.js';

const ITEMS: Item[] = [
  { id: 'a', tags: ['genre:jazz', 'artist:x'] },
  { id: 'b', tags: ['genre:jazz', 'artist:x'] },
  { id: 'c', tags: ['genre:rock', 'artist:y'] },
  { id: 'd', tags: ['genre:rock', 'artist:z'] },
  { id: 'e', tags: ['genre:folk', 'artist:w'] },
  { id: 'f', tags: [] },
];

function setup(items: Item[] = ITEMS) {
  const catalog = new Catalog();
  catalog.add(items);
  return { catalog, ranker: new Ranker(catalog) };
}

/** A request with every weight zero and no exploration; `over` sets what a test needs. */
function input(catalog: Catalog, over: Partial<RankInput> = {}): RankInput {
  return {
    catalog,
    eligible: new Uint8Array(catalog.size).fill(1),
    tagMean: new Float64Array(catalog.tagCount),
    contextMean: new Float64Array(catalog.tagCount),
    tagVariance: new Float64Array(catalog.tagCount).fill(1),
    collaborative: undefined,
    collaborativeWeight: 0,
    popularity: new Float64Array(catalog.size),
    popularityWeight: 0,
    count: 3,
    poolSize: 200,
    exploration: 0,
    propensitySamples: 16,
    propensityPatience: 16,
    rules: { capOf: () => Infinity, mmrLambda: 1 },
    rng: createRng(1, 'ranker-test'),
    ...over,
  };
}

const tag = (catalog: Catalog, name: string) => catalog.tagIndexOf(name)!;
const ids = (catalog: Catalog, ranked: RankedItem[]) => ranked.map((r) => catalog.ids[r.item]);
const sumOf = (r: RankedItem) =>
  r.contributions.content +
  r.contributions.context +
  r.contributions.collaborative +
  r.contributions.popularity +
  r.contributions.exploration;

describe('Ranker', () => {
  it('without exploration ranks by the sum of the parts, each part where it belongs', () => {
    const { catalog, ranker } = setup();
    const tagMean = new Float64Array(catalog.tagCount);
    tagMean[tag(catalog, 'genre:rock')] = 1;
    const contextMean = new Float64Array(catalog.tagCount);
    contextMean[tag(catalog, 'artist:z')] = 0.5;
    const popularity = Float64Array.from([0, 0, 0, 0, 3, 0]);
    const collaborative = Float64Array.from([2, 0, 0, 0, 0, 0]);
    const ranked = ranker.rank(
      input(catalog, {
        tagMean,
        contextMean,
        popularity,
        popularityWeight: 0.1,
        collaborative,
        collaborativeWeight: 0.6,
        count: 4,
      }),
    );
    expect(ids(catalog, ranked)).toEqual(['d', 'a', 'c', 'e']);
    const [d, a, c, e] = ranked;
    expect(d!.contributions).toEqual({ content: 1, context: 0.5, collaborative: 0, popularity: 0, exploration: 0 });
    expect(a!.contributions.collaborative).toBeCloseTo(1.2, 12);
    expect(c!.score).toBe(1);
    expect(e!.contributions.popularity).toBeCloseTo(0.3, 12);
    for (const r of ranked) {
      expect(r.explored).toBe(false);
      expect(r.propensity).toBe(1);
    }
  });

  it('never returns an ineligible item, and returns nothing when nothing is eligible', () => {
    const { catalog, ranker } = setup();
    const eligible = Uint8Array.from([0, 1, 0, 1, 0, 1]);
    const ranked = ranker.rank(input(catalog, { eligible, count: 6, exploration: 1 }));
    expect(ids(catalog, ranked).sort()).toEqual(['b', 'd', 'f']);
    expect(ranker.rank(input(catalog, { eligible: new Uint8Array(catalog.size) }))).toEqual([]);
  });

  it('breaks ties towards the earlier item of the catalog', () => {
    const { catalog, ranker } = setup();
    expect(ids(catalog, ranker.rank(input(catalog, { count: 6 })))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('applies the diversity caps it is given', () => {
    const { catalog, ranker } = setup();
    const tagMean = new Float64Array(catalog.tagCount);
    tagMean[tag(catalog, 'genre:jazz')] = 2;
    const x = tag(catalog, 'artist:x');
    const ranked = ranker.rank(
      input(catalog, { tagMean, count: 2, rules: { capOf: (t) => (t === x ? 1 : Infinity), mmrLambda: 1 } }),
    );
    expect(ids(catalog, ranked)).toEqual(['a', 'c']);
  });

  it('with exploration: scores still add up, propensities are probabilities, and the same seed gives the same list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (means, variances, count, seed) => {
          const { catalog, ranker } = setup();
          const request = () =>
            input(catalog, {
              tagMean: Float64Array.from(means.slice(0, catalog.tagCount)),
              tagVariance: Float64Array.from(variances.slice(0, catalog.tagCount)),
              exploration: 0.5,
              count,
              rng: createRng(seed, 'ranker-property'),
            });
          const ranked = ranker.rank(request());
          expect(ranked).toHaveLength(count);
          expect(new Set(ranked.map((r) => r.item)).size).toBe(count);
          for (const r of ranked) {
            expect(r.score).toBeCloseTo(sumOf(r), 10);
            // see test/rank/ranker.propensity.test.ts for what the value estimates
            expect(r.propensity).toBeGreaterThan(0);
            expect(r.propensity).toBeLessThanOrEqual(1);
            expect(r.noise).toHaveLength(catalog.itemTags[r.item]!.length);
          }
          const again = setup().ranker.rank(request());
          expect(again.map((r) => [r.item, r.score, r.propensity])).toEqual(
            ranked.map((r) => [r.item, r.score, r.propensity]),
          );
        },
      ),
    );
  });

  it('marks as explored an item the posterior means alone would not have shown', () => {
    // 'e' has a low mean but a huge variance: some draws lift it into a list of one
    const { catalog, ranker } = setup();
    const tagMean = new Float64Array(catalog.tagCount);
    tagMean[tag(catalog, 'genre:jazz')] = 1;
    const tagVariance = new Float64Array(catalog.tagCount);
    tagVariance[tag(catalog, 'genre:folk')] = 100;
    let explored = 0;
    for (let seed = 0; seed < 40; seed++) {
      const [top] = ranker.rank(
        input(catalog, { tagMean, tagVariance, exploration: 1, count: 1, rng: createRng(seed, 'explore') }),
      );
      if (catalog.ids[top!.item] === 'e') {
        explored++;
        expect(top!.explored).toBe(true);
        expect(top!.contributions.exploration).toBeGreaterThan(1);
        expect(top!.propensity).toBeLessThan(1);
      } else {
        expect(top!.explored).toBe(false);
      }
    }
    expect(explored).toBeGreaterThan(5);
    expect(explored).toBeLessThan(35);
  });
});
