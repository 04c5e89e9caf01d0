/**
 * Collaborative entries read from a scope's evidence records (see
 * models/collaborative for what they mean).
 */
import type { UserEntries } from '../models/collaborative/collaborative.js';
import type { Decay } from '../decay/decay.js';
import { SEED_IMPORTANCE } from '../constants.js';
import { SIGNALS } from '../feedback/signals.js';
import { logAboveOne, relativeToTypical } from '../models/mf/confidence.js';
import { LEARNING_SIGNALS, type ItemEvidence } from './evidence.js';
import type { Scope } from './scope.js';

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
 * A scope's collaborative entries: what the crowd's item factors are folded
 * against for that scope — its learned records, each turned-down item a
 * known zero (the same confidence, however often it was played or liked
 * besides), and for every item in `seeds` (a station's usable item seeds)
 * a positive pseudo-entry of SEED_IMPORTANCE, so that a station built on a
 * song reaches the songs that people who like it like, before any thumbs.
 * On a station, what the person gives elsewhere stays out (in an implicit
 * fold-in every liked item pulls, whatever its weight). Confidences are
 * on the scope's own scale (`relativeToTypical`): divided by the median of
 * its records' confidences as given, before their time decay (by the seeds'
 * when it has no records), so a typical item has r = 1. A pure function of
 * the scope, O(n log n) in the scope's n items.
 */
export function scopeEntries(scope: Scope, decay: Decay, seeds: readonly number[] = []): UserEntries {
  let latest = -Infinity;
  scope.evidence.forEachView((_, e) => {
    if (e.learned && e.t > latest) latest = e.t;
  });
  const rows = new Map<number, { pos: number; neg: number }>();
  const given: number[] = [];
  scope.evidence.forEachView((item, e) => {
    if (!e.learned) return;
    const f = decay.factor(latest - e.t);
    const { p, n } = collaborativeParts(e, f);
    const banned = scope.banned.has(item);
    rows.set(item, { pos: banned ? 0 : p, neg: banned ? p + n : n });
    given.push(f === 1 ? p + n : sumOf(collaborativeParts(e, 1)));
  });
  for (const item of seeds) {
    const row = rows.get(item);
    if (row === undefined) rows.set(item, { pos: SEED_IMPORTANCE, neg: 0 });
    else row.pos += SEED_IMPORTANCE;
  }
  const items = Int32Array.from([...rows.keys()].sort((a, b) => a - b));
  const confidence = new Float64Array(items.length);
  const preference = new Float64Array(items.length);
  items.forEach((item, k) => {
    const r = rows.get(item)!;
    confidence[k] = r.pos + r.neg;
    preference[k] = r.pos > r.neg ? 1 : 0;
  });
  relativeToTypical(confidence, given.length > 0 ? given : confidence);
  return { items, confidence, preference };
}

function sumOf(parts: { p: number; n: number }): number {
  return parts.p + parts.n;
}
