/**
 * Purchase hold-backs, derived from the person's purchases (never stored, so
 * an undone purchase takes its hold with it): nobody wants six phone cases
 * after buying one.
 */
import type { Catalog } from '../catalog/catalog.js';
import { purchasesOf, type PersonState } from './person.js';

/** tag index → until (ms) for every category tag of a purchased item. */
export function heldTags(
  catalog: Catalog,
  person: PersonState,
  holdBackMs: number,
  facets: readonly string[],
): Map<number, number> {
  const held = new Map<number, number>();
  for (const [item, at] of purchasesOf(person)) {
    const until = at + holdBackMs;
    for (const t of catalog.itemTags[item]!) {
      if (facets.includes(catalog.tagFacets[t]!)) held.set(t, Math.max(held.get(t) ?? -Infinity, until));
    }
  }
  return held;
}
