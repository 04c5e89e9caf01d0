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

export function diversityRules(
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
