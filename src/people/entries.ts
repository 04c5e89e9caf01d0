/**
 * A person's collaborative entries, read from their evidence records (see
 * models/collaborative for what they mean). O(the person's items).
 */
import type { UserEntries } from '../models/collaborative/collaborative.js';
import { decayFactor } from '../decay/halfLife.js';
import { SIGNALS } from '../feedback/signals.js';
import { logAboveOne, relativeToTypical } from '../models/mf/confidence.js';
import { LEARNING_SIGNALS, type ItemEvidence } from './evidence.js';
import type { PersonState } from './person.js';

/**
 * A record's positive and negative confidence for the collaborative model,
 * its sums decayed by `f`: per signal, strength × logAboveOne(decayed sum of
 * its weights), so an app that passes raw play counts as `weight` gets about
 * what log(1 + count) would give, and weights up to 1 are untouched.
 */
export function collaborativeParts(e: Readonly<ItemEvidence>, f: number): { p: number; n: number } {
  let p = 0;
  let n = 0;
  for (const signal of LEARNING_SIGNALS) {
    const importance = e[signal] * f;
    if (!(importance > 0)) continue;
    const { strength, label } = SIGNALS[signal];
    const part = strength * logAboveOne(importance / strength);
    if (label === 1) p += part;
    else n += part;
  }
  return { p, n };
}

/**
 * The person's collaborative entries: per learned item, the confidence of
 * {@link collaborativeParts} relative to the person's typical entry
 * (`relativeToTypical`: a typical item has r = 1) and whether it is liked.
 */
function sumOf(parts: { p: number; n: number }): number {
  return parts.p + parts.n;
}

export function personEntries(person: PersonState, halfLifeMs: number): UserEntries {
  let latest = -Infinity;
  person.evidence.forEachView((_, e) => {
    if (e.learned && e.t > latest) latest = e.t;
  });
  const rows: { item: number; pos: number; neg: number; given: number }[] = [];
  person.evidence.forEachView((item, e) => {
    if (!e.learned) return;
    const f = decayFactor(latest - e.t, halfLifeMs);
    const { p, n } = collaborativeParts(e, f);
    const undecayed = f === 1 ? p + n : sumOf(collaborativeParts(e, 1));
    // A turned-down item is a known zero (same confidence), however often it was played or liked besides.
    const banned = person.banned.has(item);
    rows.push({ item, pos: banned ? 0 : p, neg: banned ? p + n : n, given: undecayed });
  });
  rows.sort((a, b) => a.item - b.item);
  const confidence = new Float64Array(rows.length);
  const preference = new Float64Array(rows.length);
  rows.forEach((r, k) => {
    confidence[k] = r.pos + r.neg;
    preference[k] = r.pos > r.neg ? 1 : 0;
  });
  relativeToTypical(
    confidence,
    rows.map((r) => r.given),
  );
  return { items: Int32Array.from(rows, (r) => r.item), confidence, preference };
}
