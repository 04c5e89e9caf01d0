import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiverseSelector, tagRows, type DiversityRules } from '../../src/rank/diversity.js';
import { LazyOrder } from '../../src/rank/lazyOrder.js';

/** Items as tag-index lists; `items[pos]` of the selector is the identity here. */
const tagsOf = (lists: number[][]) => tagRows(lists);
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

/**
 * The documented rules as a plain model: walk the candidates best first, accept one unless it would
 * break a cap or take a place the quota needs for a marked item; when the list is short with a
 * quota, the caps win: the passed-over candidates that fit under the caps come in, in order; then
 * fill what is left from the passed-over candidates in order (marked first while the quota needs
 * them). MMR first picks `count`
 * candidates greedily by λ·score − (1 − λ)·(largest Jaccard similarity to what it picked before).
 */
function modelSelect(
  order: number[],
  lists: number[][],
  count: number,
  capOf: (t: number) => number,
  marked?: number[],
  minimum = 0,
): number[] {
  const out: number[] = [];
  const passed: number[] = [];
  const counts = new Map<number, number>();
  let need = minimum;
  const isMarked = (p: number) => marked?.includes(p) === true;
  const needed = (p: number) => need > 0 && count - out.length <= need && !isMarked(p);
  for (const p of order) {
    if (out.length === count) break;
    if (needed(p) || lists[p]!.some((t) => (counts.get(t) ?? 0) + 1 > capOf(t))) {
      passed.push(p);
      continue;
    }
    for (const t of lists[p]!) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (isMarked(p)) need--;
    out.push(p);
  }
  if (out.length < count && marked !== undefined) {
    for (const p of [...passed]) {
      if (out.length === count) break;
      if (lists[p]!.some((t) => (counts.get(t) ?? 0) + 1 > capOf(t))) continue;
      for (const t of lists[p]!) counts.set(t, (counts.get(t) ?? 0) + 1);
      if (isMarked(p)) need--;
      out.push(p);
      passed.splice(passed.indexOf(p), 1);
    }
  }
  const deferred: number[] = [];
  for (const p of passed) {
    if (out.length === count) break;
    if (needed(p)) deferred.push(p);
    else {
      if (isMarked(p)) need--;
      out.push(p);
    }
  }
  for (const p of deferred) if (out.length < count) out.push(p);
  return out;
}

function modelMmr(order: number[], lists: number[][], scores: number[], lambda: number, count: number): number[] {
  const lo = Math.min(...order.map((p) => scores[p]!));
  const hi = Math.max(...order.map((p) => scores[p]!));
  const range = hi > lo ? hi - lo : 1;
  const jaccard = (a: number[], b: number[]) => {
    if (a.length === 0 && b.length === 0) return 0;
    const shared = a.filter((x) => b.includes(x)).length;
    return shared / (a.length + b.length - shared);
  };
  const left = [...order];
  const chosen: number[] = [];
  while (left.length > 0 && chosen.length < count) {
    let best = 0;
    let bestValue = -Infinity;
    left.forEach((p, r) => {
      const sim = Math.max(0, ...chosen.map((c) => jaccard(lists[p]!, lists[c]!)));
      const value = (lambda * (scores[p]! - lo)) / range - (1 - lambda) * sim;
      if (value > bestValue) {
        bestValue = value;
        best = r;
      }
    });
    chosen.push(left.splice(best, 1)[0]!);
  }
  return [...chosen, ...left]; // the first `count` picks by MMR, the rest as they were
}

describe('DiverseSelector against the model of its rules', () => {
  const world = fc.record({
    lists: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }), { minLength: 1, maxLength: 30 }),
    count: fc.integer({ min: 1, max: 12 }),
    perTag: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }),
    markedBits: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    minimum: fc.integer({ min: 0, max: 6 }),
    scores: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 30, maxLength: 30 }),
    lambda: fc.constantFrom(0.2, 0.5, 0.8, 1),
  });

  it('selects what the rules say: caps, the short-list fill, the quota and MMR', () => {
    const selector = new DiverseSelector(tagsOf(Array.from({ length: 30 }, (_, i) => [i % 6])));
    fc.assert(
      fc.property(world, ({ lists, count, perTag, markedBits, minimum, scores, lambda }) => {
        const n = lists.length;
        const own = new DiverseSelector(tagsOf(lists));
        const order = identity(n).sort((a, b) => scores[b]! - scores[a]! || a - b);
        const capOf = (t: number) => perTag[t]!;
        const marked = identity(n).filter((p) => markedBits[p]);
        const quota =
          minimum > 0 ? { marked: Uint8Array.from(identity(n), (p) => (markedBits[p] ? 1 : 0)), minimum } : undefined;
        const rules: DiversityRules = { capOf, mmrLambda: lambda };
        const out = new Int32Array(count);
        const k = own.select(order, identity(n), count, rules, 6, out, scores, quota);
        const got = Array.from(out.subarray(0, k));
        const candidates = lambda < 1 ? modelMmr(order, lists, scores, lambda, count) : order;
        expect(got).toEqual(modelSelect(candidates, lists, count, capOf, quota && marked, minimum));
        expect(got).toHaveLength(Math.min(count, n));
        // The quota holds, unless the caps forbid it: then every marked candidate left out breaks a cap.
        const shortOfQuota =
          got.filter((p) => markedBits[p]).length < (quota === undefined ? 0 : Math.min(minimum, marked.length, count));
        const counts = new Map<number, number>();
        for (const p of got) for (const t of lists[p]!) counts.set(t, (counts.get(t) ?? 0) + 1);
        if (shortOfQuota)
          for (const p of marked)
            if (!got.includes(p)) expect(lists[p]!.some((t) => (counts.get(t) ?? 0) >= capOf(t))).toBe(true);
        // A selector shared between calls (as the ranker does) answers the same.
        expect(selector.select(identity(30), identity(30), 1, caps({}), 6, new Int32Array(1))).toBe(1);
      }),
    );
  });

  it('reads caps from the rules’ array when it has one, and re-reads capOf for other rules or more tags', () => {
    const selector = new DiverseSelector(tagsOf([[0], [0], [1], [1], [2], [2]]));
    const order = identity(6);
    const run = (rules: DiversityRules, tagCount: number) => {
      const out = new Int32Array(4);
      return Array.from(out.subarray(0, selector.select(order, order, 4, rules, tagCount, out)));
    };
    expect(run({ capOf: () => 1, caps: Float64Array.from([1, 1, 1]), mmrLambda: 1 }, 3)).toEqual([0, 2, 4, 1]);
    expect(run({ capOf: () => 2, caps: Float64Array.from([2, 2, 2]), mmrLambda: 1 }, 3)).toEqual([0, 1, 2, 3]);
    // An array too short for the tags in use is not read: capOf is.
    expect(run({ capOf: () => 1, caps: Float64Array.from([2]), mmrLambda: 1 }, 3)).toEqual([0, 2, 4, 1]);
    const one = caps({ 0: 1, 1: 1, 2: 1 });
    expect(run(one, 3)).toEqual([0, 2, 4, 1]);
    expect(run(caps({ 0: 2 }), 3)).toEqual([0, 1, 2, 3]);
    expect(run(one, 3)).toEqual([0, 2, 4, 1]);
    // More tags than before: the caps of the new tags are read too.
    const wide = new DiverseSelector(tagsOf([[0], [40], [40], [1]]));
    const out = new Int32Array(3);
    expect(Array.from(out.subarray(0, wide.select([0, 1, 2, 3], [0, 1, 2, 3], 3, caps({ 0: 1 }), 2, out)))).toEqual([
      0, 1, 2,
    ]);
    expect(Array.from(out.subarray(0, wide.select([0, 1, 2, 3], [0, 1, 2, 3], 3, caps({ 40: 1 }), 41, out)))).toEqual([
      0, 1, 3,
    ]);
  });
});

describe('DiverseSelector: the quota pass, caps read again, MMR edges', () => {
  it('what the quota passed over comes in within the caps, counting each one it takes', () => {
    // 0 is the only marked item; 1 and 2 share tag 1 (cap 1); 3 has tag 2.
    const selector = new DiverseSelector(tagsOf([[0], [1], [1], [2]]));
    const out = new Int32Array(4);
    const quota = { marked: Uint8Array.from([1, 0, 0, 0]), minimum: 4 };
    const n = selector.select([0, 1, 2, 3], identity(4), 4, caps({ 1: 1 }), 3, out, undefined, quota);
    // The quota passes 1, 2 and 3 over; then 1 and 3 fit the caps (2 would be tag 1's second), and 2 fills last.
    expect(Array.from(out.subarray(0, n))).toEqual([0, 1, 3, 2]);
  });

  it('reads the caps of new tags when the same rules meet more tags', () => {
    const selector = new DiverseSelector(tagsOf([[0], [40], [40], [1]]));
    const rules = caps({ 40: 1 });
    const out = new Int32Array(3);
    expect(selector.select([0, 3], [0, 1, 2, 3], 2, rules, 2, out)).toBe(2);
    const n = selector.select([0, 1, 2, 3], [0, 1, 2, 3], 3, rules, 41, out);
    expect(Array.from(out.subarray(0, n))).toEqual([0, 1, 3]);
  });

  it('MMR with equal scores picks by dissimilarity alone, the first in order first', () => {
    const selector = new DiverseSelector(tagsOf([[0, 1], [0, 1], [2], [0, 2]]));
    expect(pick(selector, [0, 1, 2, 3], 3, caps({}, 0.5), 3, [5, 5, 5, 5])).toEqual([0, 2, 3]);
  });

  it('MMR reorders the first `count` picks only; a cap reaching past them takes the rest in score order', () => {
    // Tag 2 may never be played: the second MMR pick (2) is passed over, and the next comes in score order (1), not by MMR (3).
    const selector = new DiverseSelector(tagsOf([[0], [0], [1, 2], [1]]));
    const rules: DiversityRules = { capOf: (t) => (t === 2 ? 0 : Infinity), mmrLambda: 0.2 };
    expect(pick(selector, [0, 1, 2, 3], 2, rules, 3, [10, 9, 8, 7])).toEqual([0, 1]);
  });
});

describe('DiverseSelector: never more than `count`, the quota kept to the end', () => {
  /** select with a quota into an `out` of exactly `count`; the list, and what a second call on the same selector gives. */
  function quotaPick(
    lists: number[][],
    perTag: Record<number, number>,
    count: number,
    marked: number[],
    minimum: number,
  ) {
    const selector = new DiverseSelector(tagsOf(lists));
    const run = (s: DiverseSelector) => {
      const out = new Int32Array(count);
      const n = s.select(identity(lists.length), identity(lists.length), count, caps(perTag), 5, out, undefined, {
        marked: Uint8Array.from(marked),
        minimum,
      });
      return { n, list: Array.from(out.subarray(0, Math.min(n, count))) };
    };
    const first = run(selector);
    // The same call again on the same selector gives the same list: nothing is left counted between calls.
    expect(run(selector)).toEqual(first);
    expect(run(new DiverseSelector(tagsOf(lists)))).toEqual(first);
    return first;
  }

  it('the quota pass stops at `count`', () => {
    // No caps; 4 is the one marked item and 2 are needed: 1, 2 and 3 are passed over for it, then 1 fills the list.
    expect(quotaPick([[0], [1], [2], [3], [4]], {}, 3, [0, 0, 0, 0, 1], 2)).toEqual({ n: 3, list: [0, 4, 1] });
  });

  it('the fill from the items a cap passed over stops at `count`', () => {
    const selector = new DiverseSelector(tagsOf([[0], [0], [0]]));
    const out = new Int32Array(2);
    expect(selector.select([0, 1, 2], identity(3), 2, caps({ 0: 1 }), 1, out)).toBe(2);
    expect(Array.from(out)).toEqual([0, 1]);
  });

  it('the fill counts the marked items it takes toward the quota, and no other', () => {
    // Tag 0 may never be played and tag 1 once: 0 and 2 are tag 1's, 1 and 3 (marked) tag 0's. The fill takes
    // 1 (marked: the quota of 1 is met), then 2 in score order, not the marked 3.
    expect(quotaPick([[1], [0], [1], [0]], { 0: 0, 1: 1 }, 3, [0, 1, 0, 1], 1)).toEqual({ n: 3, list: [0, 1, 2] });
    // Tag 0 once, tag 1 never: 0 comes in, then the fill keeps the last places for the marked 3 and 4.
    expect(quotaPick([[0], [0], [0], [1], [1]], { 0: 1, 1: 0 }, 4, [0, 0, 0, 1, 1], 2)).toEqual({
      n: 4,
      list: [0, 1, 3, 4],
    });
  });

  it('candidates deferred for the quota come in last, up to `count`', () => {
    // Tag 0 once, tag 1 never: the fill defers 1 for the marked 2, takes 2, and the list is full.
    expect(quotaPick([[0], [0], [1]], { 0: 1, 1: 0 }, 2, [0, 0, 1], 1)).toEqual({ n: 2, list: [0, 2] });
  });

  it('an item the quota pass takes counts its own tags only', () => {
    // Only 0 is marked and 4 are needed: 1, 2 and 3 are passed over, then come in, in score order, within tag 2's cap of 1.
    expect(quotaPick([[0], [1], [2], [3]], { 2: 1 }, 4, [1, 0, 0, 0], 4)).toEqual({ n: 4, list: [0, 1, 2, 3] });
  });
});
