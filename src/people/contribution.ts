/**
 * What one record teaches: its saturated contribution to a taste (the
 * person's or a station's) and to popularity, and whether the person may be
 * learned from on an item at all (consent). Pure functions of a record.
 */
import type { Catalog } from '../catalog/catalog.js';
import { EVIDENCE_SATURATION } from '../constants.js';
import type { RecordContribution } from '../models/content/taste.js';
import { negativeOf, positiveOf, type ItemEvidence } from './evidence.js';
import type { PersonState } from './person.js';

/** Whether the person consented to every sensitive category of `item`. */
export function consented(catalog: Catalog, person: PersonState, item: number): boolean {
  for (const category of catalog.itemSensitive[item]!) if (!person.consent.has(category)) return false;
  return true;
}

/** Whether a record holds any learning signal (a thumb or an implicit signal). */
export function hasLearning(e: ItemEvidence): boolean {
  return e.thumb !== 0 || e.implicitSince !== Infinity;
}

/** Importance x as the taste counts it: x / (1 + x/S), at most S (EVIDENCE_SATURATION). */
export function saturate(x: number): number {
  return x / (1 + x / EVIDENCE_SATURATION);
}

/** A record's contribution: to its scope's taste at `t` (the person's own time), to popularity at `wt` (wall time). */
export interface Contribution extends RecordContribution {
  wt: number;
}

/**
 * What a record contributes to the person's taste and to popularity, at the
 * record's reference time: its saturated positive and negative importance,
 * and per context feature the same share of it as of the raw importance.
 * A pure function of the record, so it is order-free, and taking it out
 * again is exact.
 */
export function contribution(e: ItemEvidence): Contribution {
  const pos = positiveOf(e);
  const neg = negativeOf(e);
  const sp = saturate(pos);
  const sn = saturate(neg);
  let ctx: Record<string, [number, number]> | undefined;
  if (e.ctx !== undefined) {
    const rp = pos > 0 ? sp / pos : 0;
    const rn = neg > 0 ? sn / neg : 0;
    ctx = {};
    for (const [c, [p, n]] of Object.entries(e.ctx)) ctx[c] = [p * rp, n * rn];
  }
  return { pos: sp, neg: sn, t: e.t, wt: e.wt, ctx };
}
