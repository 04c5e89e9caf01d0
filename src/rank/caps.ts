/**
 * Diversity caps of one list: no tag may fill more than `maxTagShare` of
 * it — rounded down, so the cap holds for small lists too (a next-track
 * request for 3 gets at most 2 of one genre, for 2 at most 1) — and a facet
 * may have a cap of its own (`{ artist: 2 }`). When the eligible items cannot
 * satisfy the caps (a catalog of one genre), the list is filled with the best
 * of the items the caps held back rather than returned short. Tags in
 * `shareExempt` (those a station was seeded on) have no share cap; their
 * facet's cap still holds.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { DiversityRules } from './diversity.js';

/** The last rules made per catalog without exempt tags, with what they were made from. */
const lastRules = new WeakMap<
  Catalog,
  {
    facetCaps: ReadonlyMap<string, number>;
    maxTagShare: number;
    mmrLambda: number;
    count: number;
    tags: number;
    rules: DiversityRules;
  }
>();

/**
 * The rules of a list of `count` (see the file comment). Without exempt tags the rules of the
 * last request with the same inputs are given again (a catalog only ever gains tags, and a tag's
 * facet never changes): at a million items, 5,000 tags' caps a request were a share of its time.
 */
export function diversityRules(
  catalog: Catalog,
  facetCaps: ReadonlyMap<string, number>,
  maxTagShare: number,
  mmrLambda: number,
  count: number,
  shareExempt?: ReadonlySet<number>,
): DiversityRules {
  if (shareExempt === undefined || shareExempt.size === 0) {
    const last = lastRules.get(catalog);
    const tags = catalog.tagFacets.length;
    if (
      last !== undefined &&
      last.facetCaps === facetCaps &&
      last.maxTagShare === maxTagShare &&
      last.mmrLambda === mmrLambda &&
      last.count === count &&
      last.tags === tags
    )
      return last.rules;
    const rules = makeRules(catalog, facetCaps, maxTagShare, mmrLambda, count);
    lastRules.set(catalog, { facetCaps, maxTagShare, mmrLambda, count, tags, rules });
    return rules;
  }
  return makeRules(catalog, facetCaps, maxTagShare, mmrLambda, count, shareExempt);
}

function makeRules(
  catalog: Catalog,
  facetCaps: ReadonlyMap<string, number>,
  maxTagShare: number,
  mmrLambda: number,
  count: number,
  shareExempt?: ReadonlySet<number>,
): DiversityRules {
  const shareCap = Math.max(1, Math.floor(maxTagShare * count + 1e-9));
  const caps = Float64Array.from(catalog.tagFacets, (facet) => Math.min(shareCap, facetCaps.get(facet) ?? Infinity));
  for (const t of shareExempt ?? []) caps[t] = facetCaps.get(catalog.tagFacets[t]!) ?? Infinity;
  return { capOf: (t) => caps[t] ?? shareCap, caps, mmrLambda };
}
