/**
 * What the recommend path reuses from one request to the next instead of
 * making it again at catalog size (issue 25, the tail at a million items):
 * the verdict array of a request that judges candidates only, and a list's
 * diversity rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { diversityRules } from '../../src/rank/caps.js';
import { CandidateVerdicts } from '../../src/score/eligibility.js';
import { musicCatalog } from '../__helpers__/catalog.js';

describe('CandidateVerdicts', () => {
  it('hands out an array of zeros each time, whatever the last request set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 199 }), { maxLength: 60 }), { minLength: 1, maxLength: 8 }),
        (requests) => {
          const verdicts = new CandidateVerdicts();
          let previous: Uint8Array | undefined;
          for (const found of requests) {
            const candidates = Int32Array.from(found);
            const v = verdicts.take(200, candidates);
            expect(v.length).toBe(200);
            expect(v.every((x) => x === 0)).toBe(true);
            if (previous !== undefined) expect(v).toBe(previous); // the same array, not a new one
            previous = v;
            // what a request does: its candidates may be shown
            for (const i of candidates) v[i] = 1;
          }
        },
      ),
    );
  });

  it('makes a new array when the catalog size changes', () => {
    const verdicts = new CandidateVerdicts();
    const a = verdicts.take(10, Int32Array.of(1, 2));
    a[1] = 1;
    const b = verdicts.take(12, Int32Array.of(3));
    expect(b).not.toBe(a);
    expect(b.length).toBe(12);
    expect(b.every((x) => x === 0)).toBe(true);
  });
});

describe('diversityRules', () => {
  const facetCaps = new Map([['artist', 2]]);
  const catalogOf = (perGenre: number) => {
    const catalog = new Catalog();
    catalog.add(musicCatalog(perGenre));
    return catalog;
  };

  it('gives the same rules again for the same inputs, new ones when an input changes', () => {
    const catalog = catalogOf(4);
    const a = diversityRules(catalog, facetCaps, 0.5, 0.3, 10);
    expect(diversityRules(catalog, facetCaps, 0.5, 0.3, 10)).toBe(a);
    const b = diversityRules(catalog, facetCaps, 0.5, 0.3, 6);
    expect(b).not.toBe(a);
    expect(b.caps).not.toEqual(a.caps);
    expect(diversityRules(catalog, facetCaps, 0.4, 0.3, 6)).not.toBe(b);
    // exempt tags: never the kept rules
    const exempt = diversityRules(catalog, facetCaps, 0.4, 0.3, 6, new Set([0]));
    expect(exempt).not.toBe(diversityRules(catalog, facetCaps, 0.4, 0.3, 6, new Set([0])));
  });

  it('makes new rules once the catalog has new tags, with a cap for each', () => {
    const catalog = catalogOf(2);
    const before = diversityRules(catalog, facetCaps, 0.5, 0.3, 10);
    const tags = catalog.tagFacets.length;
    catalog.add([{ id: 'new-1', tags: ['genre:zydeco', 'artist:new-band'] }]);
    expect(catalog.tagFacets.length).toBe(tags + 2);
    const after = diversityRules(catalog, facetCaps, 0.5, 0.3, 10);
    expect(after).not.toBe(before);
    expect(after.caps!.length).toBe(tags + 2);
    expect(after.capOf(catalog.tagIndexOf('artist:new-band')!)).toBe(2);
    expect(after.capOf(catalog.tagIndexOf('genre:zydeco')!)).toBe(5);
  });
});
