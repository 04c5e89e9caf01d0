import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiverseSelector, type DiversityRules } from '../../src/rank/diversity.js';
import { LazyOrder } from '../../src/rank/lazyOrder.js';

/** Items as tag-index lists; `items[pos]` of the selector is the identity here. */
const tagsOf = (lists: number[][]) => lists.map((l) => Int32Array.from(l));
const identity = (n: number) => Array.from({ length: n }, (_, i) => i);
const caps = (perTag: Record<number, number>, mmrLambda = 1): DiversityRules => ({
  capOf: (t) => perTag[t] ?? Infinity,
  mmrLambda,
});

function pick(
  selector: DiverseSelector,
  order: number[],
  count: number,
  rules: DiversityRules,
  tagCount: number,
  scores?: number[],
): number[] {
  const out = new Int32Array(count);
  const n = selector.select(order, identity(order.length), count, rules, tagCount, out, scores);
  return Array.from(out.subarray(0, n));
}

describe('DiverseSelector', () => {
  it('walks the order and skips an item that would break a cap', () => {
    // tag 0 = artist A (cap 1), tag 1 = artist B
    const selector = new DiverseSelector(tagsOf([[0], [0], [1], [0], [1]]));
    expect(pick(selector, [0, 1, 2, 3, 4], 3, caps({ 0: 1, 1: 1 }), 2)).toEqual([0, 2, 1]);
  });

  it('fills a short list from the skipped items in score order, so it is never shorter than it can be', () => {
    const selector = new DiverseSelector(tagsOf([[0], [0], [0], [0]]));
    expect(pick(selector, [3, 1, 0, 2], 3, caps({ 0: 1 }), 1)).toEqual([3, 1, 0]);
  });

  it('respects every cap when the candidates allow it, and leaves no counts behind between calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 4 }),
        (lists, count, cap) => {
          const unique = lists.map((l) => [...new Set(l)]);
          const selector = new DiverseSelector(tagsOf(unique));
          const order = identity(unique.length);
          const rules = caps(Object.fromEntries(identity(6).map((t) => [t, cap])));
          const first = pick(selector, order, count, rules, 6);
          expect(first).toHaveLength(Math.min(count, unique.length));
          expect(new Set(first).size).toBe(first.length);
          // the first pass accepts items in order while they fit; its picks never break a cap
          const counts = new Map<number, number>();
          const accepted: number[] = [];
          for (const pos of order) {
            if (accepted.length === count) break;
            if (unique[pos]!.every((t) => (counts.get(t) ?? 0) < cap)) {
              accepted.push(pos);
              for (const t of unique[pos]!) counts.set(t, (counts.get(t) ?? 0) + 1);
            }
          }
          expect(first.slice(0, accepted.length)).toEqual(accepted);
          expect(pick(selector, order, count, rules, 6)).toEqual(first);
        },
      ),
    );
  });

  it('selectLazy gives what select gives on the fully sorted order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.double({ min: -5, max: 5, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 8 }),
        (rows, count) => {
          const selector = new DiverseSelector(tagsOf(rows.map(([tag]) => [tag])));
          const order = identity(rows.length).sort((a, b) => rows[b]![1] - rows[a]![1] || a - b);
          const rules = caps({ 0: 1, 1: 2 });
          let r = 0;
          const out = new Int32Array(count);
          const n = selector.selectLazy(
            { next: () => (r < order.length ? order[r++]! : -1) },
            identity(rows.length),
            count,
            rules,
            5,
            out,
          );
          expect(Array.from(out.subarray(0, n))).toEqual(pick(selector, order, count, rules, 5));
        },
      ),
    );
  });

  it('selectLazy from a LazyOrder (dropping capped candidates in bulk) gives what select gives, short lists and quotas included', () => {
    fc.assert(
      fc.property(
        // most items share tag 0 (a favourite genre), so its cap fills early and the rest is passed over
        fc.array(
          fc.tuple(
            fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
            fc.integer({ min: -4, max: 4 }),
            fc.boolean(),
            fc.integer({ min: 0, max: 4 }),
          ),
          { minLength: 1, maxLength: 80 },
        ),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (rows, count, perTag, minimum) => {
          const selector = new DiverseSelector(
            tagsOf(rows.map(([tags, , , genre]) => (genre > 0 && !tags.includes(0) ? [0, ...tags] : tags))),
          );
          const scores = Float64Array.from(rows, ([, score]) => score);
          const order = identity(rows.length).sort((a, b) => scores[b]! - scores[a]! || a - b);
          const rules = caps(Object.fromEntries(perTag.map((cap, t) => [t, cap])));
          const quota =
            minimum === 0 ? undefined : { marked: Uint8Array.from(rows, ([, , marked]) => (marked ? 1 : 0)), minimum };
          const expected = new Int32Array(count);
          const k = selector.select(order, identity(rows.length), count, rules, 6, expected, undefined, quota);
          const lazy = new LazyOrder();
          lazy.reset(scores, rows.length);
          const out = new Int32Array(count);
          const n = selector.selectLazy(lazy, identity(rows.length), count, rules, 6, out, quota);
          expect(Array.from(out.subarray(0, n))).toEqual(Array.from(expected.subarray(0, k)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('with MMR (λ < 1) trades a little score for a different item', () => {
    // 0 and 1 share both tags; 2 shares none with them and scores a little lower
    const selector = new DiverseSelector(
      tagsOf([
        [0, 1],
        [0, 1],
        [2, 3],
      ]),
    );
    const scores = [1, 0.95, 0.8];
    expect(pick(selector, [0, 1, 2], 2, caps({}, 1), 4, scores)).toEqual([0, 1]);
    expect(pick(selector, [0, 1, 2], 2, caps({}, 0.5), 4, scores)).toEqual([0, 2]);
  });
});

describe('diversity caps hold for small lists', () => {
  it('a list of 2 to 6 never holds more than 70% of one genre when the catalog has others', async () => {
    const { createRecommender } = await import('../../src/index.js');
    const items = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `jazz-${i}`, tags: ['genre:jazz'] })),
      ...Array.from({ length: 10 }, (_, i) => ({ id: `rock-${i}`, tags: ['genre:rock'] })),
    ];
    const rec = createRecommender({ items, seed: 1, exploration: 0, now: () => Date.UTC(2026, 0, 1) });
    for (let i = 0; i < 5; i++) rec.feedback({ user: 'ann', item: `jazz-${i}`, signal: 'up' });
    for (let count = 2; count <= 6; count++) {
      const jazz = rec.recommend('ann', { count }).filter((r) => r.item.startsWith('jazz')).length;
      expect(jazz / count, `count ${count}`).toBeLessThanOrEqual(0.7);
      expect(jazz, `count ${count}: the favourite genre still leads`).toBeGreaterThanOrEqual(Math.floor(count / 2));
    }
  });

  it('fills the list from held-back items when the catalog cannot satisfy the cap', async () => {
    const { createRecommender } = await import('../../src/index.js');
    const items = Array.from({ length: 5 }, (_, i) => ({ id: `jazz-${i}`, tags: ['genre:jazz'] }));
    const rec = createRecommender({ items, seed: 1, now: () => Date.UTC(2026, 0, 1) });
    expect(rec.recommend('ann', { count: 3 })).toHaveLength(3);
  });
});
