import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  averagePrecisionAtK,
  catalogCoverage,
  evaluateRankings,
  hitRateAtK,
  intraListDiversity,
  itemPopularity,
  listNovelty,
  mapAtK,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  tagIndex,
} from '../../src/eval/metrics';
import { AttuneError } from '../../src/errors';

const rel = (...ids: string[]): Set<string> => new Set(ids);

describe('accuracy metrics on hand-computed cases', () => {
  const ranked = ['a', 'b', 'c', 'd', 'e'];
  const relevant = rel('a', 'c', 'x');

  it('precision, recall and hit rate', () => {
    expect(precisionAtK(ranked, relevant, 3)).toBeCloseTo(2 / 3, 12);
    expect(precisionAtK(ranked, relevant, 10)).toBeCloseTo(2 / 10, 12); // short list padded
    expect(recallAtK(ranked, relevant, 3)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, relevant, 1)).toBeCloseTo(1 / 3, 12);
    expect(hitRateAtK(ranked, relevant, 1)).toBe(1);
    expect(hitRateAtK(['b', 'd'], relevant, 2)).toBe(0);
  });

  it('NDCG with a log2 discount and ideal over min(k, |R|)', () => {
    // hits at ranks 0 and 2: 1/log2(2) + 1/log2(4) = 1.5
    // ideal for k=3, |R|=3: 1 + 1/log2(3) + 1/2
    expect(ndcgAtK(ranked, relevant, 3)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3) + 0.5), 12);
    // k=2: only rank 0 hits; ideal 1 + 1/log2(3)
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    // |R| = 1 < k: ideal is a single hit at rank 0
    expect(ndcgAtK(['q', 'a'], rel('a'), 5)).toBeCloseTo(1 / Math.log2(3), 12);
  });

  it('AP normalised by min(k, |R|)', () => {
    // hits at positions 1 and 3: (1/1 + 2/3) / min(5, 3)
    expect(averagePrecisionAtK(ranked, relevant, 5)).toBeCloseTo((1 + 2 / 3) / 3, 12);
    // k=2: one hit at 1 → 1 / min(2, 3)
    expect(mapAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2, 12);
    expect(mapAtK(['a'], rel('a'), 10)).toBe(1);
  });

  it('empty relevant set scores 0 everywhere', () => {
    for (const f of [precisionAtK, recallAtK, ndcgAtK, mapAtK, hitRateAtK]) expect(f(ranked, rel(), 3)).toBe(0);
  });

  it('refuses a k that is not a whole number ≥ 1', () => {
    expect(() => ndcgAtK(ranked, relevant, 0)).toThrow(AttuneError);
    expect(() => precisionAtK(ranked, relevant, 1.5)).toThrow(/^precisionAtK: k must be a whole number/);
  });
});

describe('beyond-accuracy metrics', () => {
  it('catalog coverage counts distinct catalog items in the top k', () => {
    const catalog = rel('a', 'b', 'c', 'd');
    expect(
      catalogCoverage(
        [
          ['a', 'b'],
          ['b', 'z', 'c'],
        ],
        catalog,
      ),
    ).toBe(3 / 4);
    expect(
      catalogCoverage(
        [
          ['a', 'b'],
          ['b', 'c'],
        ],
        catalog,
        1,
      ),
    ).toBe(2 / 4);
  });

  it('novelty is the mean self-information −log2 p', () => {
    const pop = itemPopularity([
      { user: 'u1', item: 'a' },
      { user: 'u2', item: 'a' },
      { user: 'u2', item: 'a' },
      { user: 'u3', item: 'a' },
      { user: 'u4', item: 'a' },
      { user: 'u1', item: 'b' },
    ]);
    expect(pop.get('a')).toBe(1);
    expect(pop.get('b')).toBe(0.25);
    expect(listNovelty(['a', 'b'], pop)).toBeCloseTo((0 + 2) / 2, 12);
    expect(novelty([['a'], ['b', 'b']], pop)).toBeCloseTo(4 / 3, 12);
    // unseen items default to the smallest known popularity
    expect(listNovelty(['zzz'], pop)).toBeCloseTo(2, 12);
    expect(listNovelty(['zzz'], pop, { unseenPopularity: 0.125 })).toBeCloseTo(3, 12);
  });

  it('intra-list diversity is the mean pairwise Jaccard distance', () => {
    const tags = tagIndex([
      { id: 'a', tags: ['x', 'y'] },
      { id: 'b', tags: ['y', 'z'] },
      { id: 'c', tags: ['x', 'y'] },
      { id: 'd', tags: ['w'] },
    ]);
    // a-b: 1 - 1/3, a-c: 0, b-c: 1 - 1/3
    expect(intraListDiversity(['a', 'b', 'c'], tags)).toBeCloseTo((2 / 3 + 0 + 2 / 3) / 3, 12);
    expect(intraListDiversity(['a', 'd'], tags)).toBe(1);
    expect(intraListDiversity(['a', 'c'], tags)).toBe(0);
    expect(intraListDiversity(['a'], tags)).toBe(0);
  });
});

describe('evaluateRankings', () => {
  it('averages over users and skips users with nothing relevant', () => {
    const s = evaluateRankings(
      [
        { ranked: ['a', 'b'], relevant: rel('a') },
        { ranked: ['c', 'd'], relevant: rel('x') },
        { ranked: ['a', 'c'], relevant: rel() },
      ],
      { k: 2, catalog: rel('a', 'b', 'c', 'd', 'e') },
    );
    expect(s.users).toBe(2);
    expect(s.hitRate).toBe(0.5);
    expect(s.ndcg).toBe(0.5);
    expect(s.precision).toBe(0.25);
    expect(s.coverage).toBe(4 / 5);
    expect(s.novelty).toBeUndefined();
  });
});

const ids = fc.uniqueArray(
  fc.integer({ min: 0, max: 40 }).map((n) => `i${n}`),
  { maxLength: 30 },
);

describe('properties', () => {
  it('NDCG and AP are in [0, 1]', () => {
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 1, max: 40 }), (ranked, relevant, k) => {
        const r = new Set(relevant);
        for (const v of [
          ndcgAtK(ranked, r, k),
          mapAtK(ranked, r, k),
          precisionAtK(ranked, r, k),
          recallAtK(ranked, r, k),
        ]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });

  it('a perfect ranking scores 1', () => {
    fc.assert(
      fc.property(
        ids.filter((a) => a.length > 0),
        ids,
        fc.integer({ min: 1, max: 40 }),
        (relevant, others, k) => {
          const r = new Set(relevant);
          const ranked = [...relevant, ...others.filter((o) => !r.has(o))];
          expect(ndcgAtK(ranked, r, k)).toBeCloseTo(1, 12);
          expect(mapAtK(ranked, r, k)).toBeCloseTo(1, 12);
          expect(hitRateAtK(ranked, r, k)).toBe(1);
        },
      ),
    );
  });

  it('items after position k do not matter', () => {
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 1, max: 30 }), (ranked, relevant, k) => {
        const r = new Set(relevant);
        const cut = ranked.slice(0, k);
        const tail = ['late-1', 'late-2', ...relevant];
        const extended = [...cut, ...tail.filter((t) => !cut.includes(t))];
        for (const f of [precisionAtK, recallAtK, ndcgAtK, mapAtK, hitRateAtK]) {
          if (cut.length === k) expect(f(extended, r, k)).toBe(f(cut, r, k));
          expect(f(ranked, r, k)).toBe(f(cut, r, k));
        }
      }),
    );
  });

  it('diversity is in [0, 1]', () => {
    const tagSets = fc.array(fc.uniqueArray(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 4 }), {
      minLength: 0,
      maxLength: 12,
    });
    fc.assert(
      fc.property(tagSets, (sets) => {
        const tags = tagIndex(sets.map((t, i) => ({ id: `i${i}`, tags: t })));
        const d = intraListDiversity(
          sets.map((_, i) => `i${i}`),
          tags,
        );
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
      }),
    );
  });
});
