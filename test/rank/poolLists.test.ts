import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { createRng } from '../../src/random/rng.js';
import { diversityRules } from '../../src/rank/caps.js';
import { DiverseSelector } from '../../src/rank/diversity.js';
import { PoolLists } from '../../src/rank/poolLists.js';
import { musicCatalog } from '../__helpers__/catalog.js';

/**
 * The draw PoolLists replaced, written plainly over catalog indices: one normal per pool tag in
 * ascending catalog order, each item's noise summed in its own tag order, the diverse selection on
 * the fully sorted order.
 */
function referenceDraw(
  catalog: Catalog,
  pool: Int32Array,
  mean: Float64Array,
  tagSd: Float64Array,
  scores: Float64Array | undefined,
  rng: ReturnType<typeof createRng> | undefined,
  select: (order: number[], scores: Float64Array) => number[],
): number[] {
  const tags = [...new Set(Array.from(pool).flatMap((i) => Array.from(catalog.itemTags[i]!)))].sort((a, b) => a - b);
  const noise = new Float64Array(catalog.tagCount);
  if (rng !== undefined) for (const t of tags) noise[t] = tagSd[t]! === 0 ? 0 : tagSd[t]! * rng.normal();
  const drawn =
    scores ??
    Float64Array.from(pool, (i) => {
      let s = mean[i]!;
      for (const t of catalog.itemTags[i]!) s += noise[t]!;
      return s;
    });
  const order = Array.from(pool, (_, p) => p).sort((a, b) => drawn[b]! - drawn[a]! || a - b);
  return select(order, drawn);
}

describe('PoolLists', () => {
  const catalog = new Catalog();
  catalog.add(musicCatalog(12));

  it('draws, bit for bit, the lists of the plain catalog-indexed draw (caps, MMR and quotas included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom(1, 0.7),
        fc.boolean(),
        (seed, count, mmrLambda, anchored) => {
          const rng = createRng(seed, 'pool-lists-world');
          const pool = Int32Array.from(
            Array.from({ length: catalog.size }, (_, i) => i).filter(() => rng.next() < 0.3),
          );
          fc.pre(pool.length > 0);
          // a favourite genre: most of its items score higher, as in a real pool
          const mean = Float64Array.from({ length: catalog.size }, (_, i) => rng.normal() + (i < 12 ? 2 : 0));
          const tagSd = Float64Array.from({ length: catalog.tagCount }, () => (rng.next() < 0.2 ? 0 : rng.next()));
          const k = Math.min(count, pool.length);
          const rules = diversityRules(catalog, new Map([['artist', 2]]), 0.7, mmrLambda, k);
          const quota = anchored
            ? {
                marked: Uint8Array.from({ length: catalog.size }, () => (rng.next() < 0.3 ? 1 : 0)),
                minimum: Math.ceil(k / 2),
              }
            : undefined;
          const localOf = new Int32Array(catalog.tagCount).fill(-1);
          const lists = new PoolLists(catalog, pool, mean, (t) => tagSd[t]!, k, rules, quota, localOf);
          expect(Array.from(localOf).every((v) => v === -1)).toBe(true);
          const { indptr, indices } = catalog.csr();
          const selector = new DiverseSelector({ start: indptr, tags: indices });
          const select = (order: number[], scores: Float64Array): number[] => {
            const out = new Int32Array(k);
            const n = selector.select(order, pool, k, rules, catalog.tagCount, out, scores, quota);
            return Array.from(out.subarray(0, n));
          };
          const ours = createRng(seed, 'draws');
          const theirs = createRng(seed, 'draws');
          for (let d = 0; d < 4; d++) {
            const n = lists.draw(ours);
            expect(Array.from(lists.picked.subarray(0, n))).toEqual(
              referenceDraw(catalog, pool, mean, tagSd, undefined, theirs, select),
            );
          }
          const n = lists.chooseByMean();
          expect(Array.from(lists.picked.subarray(0, n))).toEqual(
            referenceDraw(
              catalog,
              pool,
              mean,
              tagSd,
              Float64Array.from(pool, (i) => mean[i]!),
              undefined,
              select,
            ),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
