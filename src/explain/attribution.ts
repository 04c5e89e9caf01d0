/**
 * The taste part of a score (content + context), split exactly into pieces
 * a reason can cite — over every layer of taste the request read (see
 * score/lens: the person's own taste, and on a station the station's taste
 * and its seed prior).
 *
 * A tag's weight in one layer is `slope · (P − N)` (see Taste.tagSlope), so
 * each record of that layer carries `slope · (its net evidence)` of every
 * tag it has, times the layer's weight: an exact, order-free split in which
 * equal evidence gets equal credit. A record's net evidence is what it
 * taught its scope's taste (for the person's own records, less most of
 * what was given on stations, see people/spill). For one explained item the pieces are
 *
 * - per citable record (net positive, quotable, not turned down in a scope
 *   the request reads, not resting, nameable): the sum of its parts over
 *   the tags it shares with the item — positive;
 * - per tag, the positive parts of records that may not be cited (implicit
 *   evidence inside the quoting delay, a resting item) — positive, cited as
 *   the tag;
 * - the parts of net-negative records — negative, the pieces that a reason
 *   must net out (see {@link netFactor});
 * - per context feature, its effect summed over the item's tags — either sign;
 * - per station seed, its exact part of the seed prior — positive.
 *
 * They add up to content + context exactly.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Decay } from '../decay/decay.js';
import { evidenceDecay, isQuotable, type ItemEvidence } from '../people/evidence.js';
import { restUntil, type PersonState } from '../people/person.js';
import { tasteContribution } from '../people/spill.js';
import { HALF_EVIDENCE, type Lens } from '../score/blend.js';
import { banOf } from '../score/eligibility.js';

/** What attribution reads: the person, the scopes the score read, the request and what may be named. */
export interface AttributionRequest {
  catalog: Catalog;
  user: PersonState | undefined;
  /** The layers of taste (and a station's seeds) the score read; the person's own taste when undefined. */
  lens: Lens | undefined;
  /** The request's wall time: what may be quoted yet, what is resting. */
  now: number;
  /** The person's own time for the request (see Decay.personNow): the taste and its records are read at it. */
  personNow: number;
  decay: Decay;
  quoteDelayMs: number;
  contexts: readonly string[];
  /** Whether the item may be named for this user (consent). */
  mayName: (item: number) => boolean;
}

/** Per-tag pieces of a person's taste at one time, built once per request. */
export interface AttributionIndex {
  /** tag → citable record → its part of the tag's weight (> 0). */
  items: Map<number, Map<number, number>>;
  /** tag → positive parts of records that may not be cited. */
  uncited: Map<number, number>;
  /** tag → parts of net-negative records (≤ 0). */
  against: Map<number, number>;
  /** tag → context feature → effect. */
  contexts: Map<number, Map<string, number>>;
  /** tag → station seed (its position) → its part of the seed prior. */
  seeds: Map<number, Map<number, number>>;
  /** tag → citable record → how much the tag's weight and its context effects would fall were the record undone (see {@link causeOf}). */
  causes: Map<number, Map<number, number>>;
  /** Citable record → how much the lens's evidence (which weighs popularity down) would fall were it undone. */
  evidence: Map<number, number>;
}

/** The taste part of one item's score, in pieces that add up to it. */
export interface TastePieces {
  /** Citable record → its part (> 0). May hold the explained item itself (includeSeen, explain). */
  byItem: Map<number, number>;
  /** Citable record → shared tag → part (the cells behind `byItem`). */
  byItemTag: Map<number, Map<number, number>>;
  /** Tag → positive parts that may not be cited by item (≥ 0). */
  byTag: Map<number, number>;
  /** Sum of the parts of net-negative records (≤ 0). */
  against: number;
  /** Context feature → effect (either sign). */
  byContext: Map<string, number>;
  /** Station seed (its position) → its part of the seed prior (> 0). */
  bySeed: Map<number, number>;
  /** Station seed → tag → part (the cells behind `bySeed`). */
  bySeedTag: Map<number, Map<number, number>>;
  /** Citable record → how much the taste part would fall were it undone (over the item's tags). */
  causeByItem: Map<number, number>;
}

/**
 * Whether an item the person gave feedback on may be named as a reason to
 * like something: quotable (a thumb, or implicit evidence older than the
 * delay), not turned down in a scope the request reads, not resting, and
 * nameable (consent).
 */
export function isCitable(
  request: Pick<AttributionRequest, 'now' | 'quoteDelayMs' | 'mayName' | 'lens'>,
  user: PersonState,
  item: number,
  record: ItemEvidence,
): boolean {
  return (
    isQuotable(record, request.now, request.quoteDelayMs) &&
    banOf(user, request.lens, item) === undefined &&
    !((restUntil(user, item) ?? -Infinity) > request.now) &&
    request.mayName(item)
  );
}

function addTo<K>(map: Map<K, number>, key: K, w: number): void {
  map.set(key, (map.get(key) ?? 0) + w);
}

function inner<K, L>(map: Map<K, Map<L, number>>, key: K): Map<L, number> {
  let m = map.get(key);
  if (m === undefined) map.set(key, (m = new Map()));
  return m;
}

/** Splits the taste the request read, decayed to `now`, into exact per-record parts by tag. O(records × tags). */
export function attributionIndex(request: AttributionRequest): AttributionIndex {
  const { catalog, user, personNow: now, decay } = request;
  const index: AttributionIndex = {
    items: new Map(),
    uncited: new Map(),
    against: new Map(),
    contexts: new Map(),
    seeds: new Map(),
    causes: new Map(),
    evidence: new Map(),
  };
  if (user === undefined) return index;
  const layers = request.lens?.layers ?? [{ scope: user, weight: 1 }];
  const contexts = [...new Set(request.contexts)];
  for (const { scope, weight } of layers) {
    if (weight === 0) continue;
    const slopes = new Map<number, number>();
    scope.evidence.forEachView((item, record) => {
      if (!record.learned) return;
      const part = tasteContribution(user, scope, item, record, decay);
      const net = (part.pos - part.neg) * evidenceDecay(record, now, decay);
      // Stryker disable next-line ConditionalExpression: a record with no net evidence adds parts of 0 to `against`, which changes no sum
      if (net === 0) return;
      // Stryker disable next-line EqualityOperator: net is not 0 here (returned above), so > 0 and >= 0 agree
      const citable = net > 0 && isCitable(request, user, item, record);
      const f = citable ? evidenceDecay(record, now, decay) : 0;
      // The lens's evidence counts the person's layer at its weight and a station's whole (see score/lens).
      if (citable) addTo(index.evidence, item, (scope === user ? weight : 1) * (part.pos + part.neg) * f);
      for (const tag of catalog.itemTags[item]!) {
        let slope = slopes.get(tag);
        // Stryker disable next-line ConditionalExpression: a cache; reading the slope again gives the same number
        if (slope === undefined) slopes.set(tag, (slope = scope.taste.tagSlope(tag, now)));
        const w = weight * slope * net;
        if (citable) {
          addTo(inner(index.items, tag), item, w);
          let drop = scope.taste.tagWeightDrop(tag, now, part.pos * f, part.neg * f);
          for (const c of contexts) {
            const [inPos, inNeg] = part.ctx?.[c] ?? [0, 0];
            drop += scope.taste.crossMeanDrop(c, tag, now, part.pos * f, part.neg * f, inPos * f, inNeg * f);
          }
          addTo(inner(index.causes, tag), item, weight * drop);
        } else {
          // Stryker disable next-line EqualityOperator: net is not 0 here, so > 0 and >= 0 agree
          addTo(net > 0 ? index.uncited : index.against, tag, w);
        }
      }
    });
    for (const c of new Set(request.contexts)) {
      // Stryker disable next-line ArrayDeclaration: a context without statistics has effect 0 on any key, and a non-numeric key is never an item's tag
      for (const tag of scope.taste.crosses.get(c)?.keys() ?? [])
        addTo(inner(index.contexts, tag), c, weight * scope.taste.crossMean(c, tag, now));
    }
  }
  for (const [tag, bySeed] of request.lens?.seeds?.parts ?? []) index.seeds.set(tag, bySeed);
  return index;
}

/** The taste part of `item`'s score in citable pieces (they add up to content + context). */
export function attribute(catalog: Catalog, index: AttributionIndex, item: number): TastePieces {
  const pieces: TastePieces = {
    byItem: new Map(),
    byItemTag: new Map(),
    byTag: new Map(),
    against: 0,
    byContext: new Map(),
    bySeed: new Map(),
    bySeedTag: new Map(),
    causeByItem: new Map(),
  };
  for (const tag of catalog.itemTags[item]!) {
    const uncited = index.uncited.get(tag);
    if (uncited !== undefined) addTo(pieces.byTag, tag, uncited);
    pieces.against += index.against.get(tag) ?? 0;
    for (const [j, w] of index.items.get(tag) ?? []) {
      addTo(pieces.byItem, j, w);
      addTo(inner(pieces.byItemTag, j), tag, w);
    }
    for (const [j, w] of index.causes.get(tag) ?? []) addTo(pieces.causeByItem, j, w);
    for (const [c, w] of index.contexts.get(tag) ?? []) addTo(pieces.byContext, c, w);
    for (const [k, w] of index.seeds.get(tag) ?? []) {
      addTo(pieces.bySeed, k, w);
      addTo(inner(pieces.bySeedTag, k), tag, w);
    }
  }
  return pieces;
}

/**
 * Whether undoing record `record` would lower the score whose taste part
 * `pieces` split: its taste falls by more than its popularity part rises.
 * Popularity weighs less as the person tells more (score/blend), so a
 * record whose taste part is small beside the item's popularity part can
 * raise the score when undone: citing it would name a cause that is not
 * one. `popularity` is the item's popularity part, `evidence` the lens's.
 * The taste part's fall counts its context effects; the collaborative part
 * is left out (a liked item undone lowers the person's vector along it), and
 * so is a station's overall weight, which rises a little as the station's
 * own evidence falls.
 */
export function causeOf(
  index: AttributionIndex,
  pieces: TastePieces,
  record: number,
  popularity: number,
  evidence: number,
): number {
  const fall = pieces.causeByItem.get(record) ?? 0;
  // Stryker disable next-line EqualityOperator: at popularity 0 the formula below gives fall − 0 = fall too (its denominator is at least HALF_EVIDENCE)
  if (!(popularity > 0)) return fall;
  const less = Math.min(evidence, index.evidence.get(record) ?? 0);
  // w = H/(H + E), so undoing moves it by (H + E)/(H + E − ΔE).
  return fall - popularity * ((HALF_EVIDENCE + evidence) / (HALF_EVIDENCE + evidence - less) - 1);
}

/**
 * The factor that nets a part's negative pieces out of its positive ones:
 * `part / (sum of positive pieces)`, in [0, 1]. Every positive piece scaled
 * by it, the pieces add up to the part itself, so whatever subset a reason
 * cites never sums to more than the part; equal pieces stay equal.
 */
export function netFactor(part: number, positiveMass: number): number {
  // Stryker disable next-line EqualityOperator: at part = 0 both branches give 0 (min(1, 0 / mass))
  if (!(part > 0) || !(positiveMass > 0)) return 0;
  return Math.min(1, part / positiveMass);
}

/** Largest first; weights equal to rounding (1e-9 relative) compare equal, so that ties break by key, not by summation order. */
export function byWeight(a: number, b: number): number {
  // Stryker disable next-line MethodExpression: weights within 1e-9 of each other have magnitudes within 1e-9 too; min and max differ only in a window of relative width 1e-18
  const scale = Math.max(Math.abs(a), Math.abs(b));
  // Stryker disable next-line EqualityOperator: < and <= differ only where |a − b| is exactly 1e-9·scale (at a = b = 0 both give 0)
  return Math.abs(a - b) <= 1e-9 * scale ? 0 : b - a;
}
