/**
 * Guardrails: which items may be shown to a person in one request. Never a
 * turned-down or bought item, never one resting after `tired`, never a
 * sensitive item without consent (never one to a guest), never a muted or
 * held-back tag, and items already given feedback on only when asked —
 * in every scope the request reads (on a station, never an item turned
 * down on that station either).
 */
import type { Catalog } from '../catalog/catalog.js';
import { consented } from '../people/contribution.js';
import { heldTags } from '../people/holds.js';
import { purchasesOf, restsOf, type PersonState } from '../people/person.js';
import type { Scope } from '../people/scope.js';
import type { Lens } from './blend.js';

export interface GuardrailRequest {
  at: number;
  exclude: readonly string[];
  includeSeen: boolean;
}

export interface HoldBack {
  holdBackMs: number;
  holdBackFacets: readonly string[];
}

/**
 * The catalog's sensitive items, ascending, and a mask (1 = sensitive) over every item, kept while
 * the catalog (which only grows, its items never changing) keeps its size. The mask is what a
 * request that judges candidates reads: one byte an item, where each item's own list of
 * categories is an object to reach (at a million items, a cache miss per candidate).
 */
const sensitiveOf = new WeakMap<Catalog, { size: number; items: Int32Array; mask: Uint8Array }>();

function sensitive(catalog: Catalog): { items: Int32Array; mask: Uint8Array } {
  const known = sensitiveOf.get(catalog);
  if (known !== undefined && known.size === catalog.size) return known;
  const items: number[] = [];
  const mask = new Uint8Array(catalog.size);
  for (let i = 0; i < catalog.size; i++)
    if (catalog.itemSensitive[i]!.length > 0) {
      items.push(i);
      mask[i] = 1;
    }
  const kept = { size: catalog.size, items: Int32Array.from(items), mask };
  sensitiveOf.set(catalog, kept);
  return kept;
}

/** The scopes a request reads: the lens's layers, or the person's own. */
export function scopesOf(person: PersonState, lens: Lens | undefined): readonly Scope[] {
  return lens === undefined ? [person] : lens.layers.map((l) => l.scope);
}

/** When `item` was turned down in a scope the request reads (the latest), or undefined. */
export function banOf(person: PersonState, lens: Lens | undefined, item: number): number | undefined {
  if (lens === undefined) return person.banned.get(item);
  let at: number | undefined;
  for (const { scope } of lens.layers) {
    const t = scope.banned.get(item);
    if (t !== undefined && (at === undefined || t > at)) at = t;
  }
  return at;
}

/**
 * A verdict array reused by the requests that judge candidates only: a new request's array is
 * the last one with the last request's candidates set back to 0 (O(candidates), where a new
 * array is O(catalog) — a megabyte a request at a million items, and the garbage collections
 * it brings). Only for a verdict read before the next request is judged.
 */
export class CandidateVerdicts {
  private verdicts = new Uint8Array(0);
  private last = new Int32Array(0);
  private lastCount = 0;

  /** All zeros, `n` long; the candidates it is taken for are set back to 0 at the next take. */
  take(n: number, candidates: Int32Array): Uint8Array {
    if (this.verdicts.length !== n) {
      this.verdicts = new Uint8Array(n);
    } else {
      for (let c = 0; c < this.lastCount; c++) this.verdicts[this.last[c]!] = 0;
    }
    if (this.last.length < candidates.length)
      this.last = new Int32Array(Math.max(candidates.length, 2 * this.last.length));
    this.last.set(candidates);
    this.lastCount = candidates.length;
    return this.verdicts;
  }
}

/**
 * 1 = may be shown. O(catalog + the person's items). `lens`: the scopes the request reads (default:
 * the person's own). `candidates` (the items approximate retrieval found, any order): only these
 * items are judged, in O(candidates + the person's items), and every other item is 0; with
 * `reuse`, into its array (see {@link CandidateVerdicts}) instead of a new one.
 */
export function eligibility(
  catalog: Catalog,
  person: PersonState | undefined,
  req: GuardrailRequest,
  hold: HoldBack,
  lens?: Lens,
  candidates?: Int32Array,
  reuse?: CandidateVerdicts,
): Uint8Array {
  const n = catalog.size;
  const eligible = candidates !== undefined && reuse !== undefined ? reuse.take(n, candidates) : new Uint8Array(n);
  if (candidates === undefined) eligible.fill(1);
  else for (let c = 0; c < candidates.length; c++) eligible[candidates[c]!] = 1;
  for (const id of req.exclude) {
    const i = catalog.indexOf(id);
    if (i !== undefined) eligible[i] = 0;
  }
  const muted = new Set<number>();
  if (person !== undefined) {
    for (const tag of person.mutedTags) {
      const t = catalog.tagIndexOf(tag);
      if (t !== undefined) muted.add(t);
    }
    for (const [t, until] of heldTags(catalog, person, hold.holdBackMs, hold.holdBackFacets))
      if (until > req.at) muted.add(t);
  }
  const personal = person !== undefined && !person.optOut;
  const { items: sensitiveItems, mask: sensitiveMask } = sensitive(catalog);
  if (candidates === undefined && muted.size === 0) {
    // Every item: only the sensitive ones can be refused here (most catalogs hold few).
    for (const i of sensitiveItems) if (!(personal && consented(catalog, person, i))) eligible[i] = 0;
  } else {
    const judged = candidates === undefined ? n : candidates.length;
    for (let c = 0; c < judged; c++) {
      const i = candidates === undefined ? c : candidates[c]!;
      if (eligible[i] === 0) continue;
      if (sensitiveMask[i] === 1 && !(personal && consented(catalog, person, i))) {
        eligible[i] = 0;
        continue;
      }
      if (muted.size > 0) for (const t of catalog.itemTags[i]!) if (muted.has(t)) eligible[i] = 0;
    }
  }
  if (person !== undefined) {
    for (const i of purchasesOf(person).keys()) eligible[i] = 0;
    // A rest holds on every station, wherever it was given.
    for (const [i, until] of restsOf(person)) if (until > req.at) eligible[i] = 0;
    for (const scope of scopesOf(person, lens)) {
      for (const i of scope.banned.keys()) eligible[i] = 0;
      if (!req.includeSeen) for (const i of scope.evidence.keys()) eligible[i] = 0;
    }
  }
  return eligible;
}
