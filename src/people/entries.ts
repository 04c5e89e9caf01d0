/**
 * A person's collaborative entries, read from their evidence records (see
 * models/collaborative for what they mean). O(the person's items).
 */
import type { UserEntries } from '../models/collaborative/collaborative.js';
import { decayFactor } from '../decay/halfLife.js';
import { negativeOf, positiveOf } from './evidence.js';
import type { PersonState } from './person.js';

export function personEntries(person: PersonState, halfLifeMs: number): UserEntries {
  let latest = -Infinity;
  const rows: { item: number; t: number; pos: number; neg: number }[] = [];
  person.evidence.forEachView((item, e) => {
    if (!e.learned) return;
    // A turned-down item is a known zero (same confidence), however often it was played or liked besides.
    const banned = person.banned.has(item);
    rows.push({
      item,
      t: e.t,
      pos: banned ? 0 : positiveOf(e),
      neg: banned ? positiveOf(e) + negativeOf(e) : negativeOf(e),
    });
    if (e.t > latest) latest = e.t;
  });
  rows.sort((a, b) => a.item - b.item);
  const confidence = new Float64Array(rows.length);
  const preference = new Float64Array(rows.length);
  rows.forEach((r, k) => {
    const f = decayFactor(latest - r.t, halfLifeMs);
    const p = r.pos * f;
    const n = r.neg * f;
    confidence[k] = p + n;
    preference[k] = p > n ? 1 : 0;
  });
  return { items: Int32Array.from(rows, (r) => r.item), confidence, preference };
}
