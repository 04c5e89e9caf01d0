/**
 * What a collaborative reason cites. The collaborative part splits exactly
 * into per-liked-item pieces (HKV section 5); some are negative. The
 * positive pieces are netted (see netFactor) so that they add up to the
 * part, then named largest first until they cover {@link COVERAGE} of it;
 * when a few names cannot, the rest is counted as a group ("and 14 other
 * songs you played") rather than left unsaid. A turned-down item is never
 * named nor counted.
 */
import type { ItemEvidence } from '../people/evidence.js';
import type { PersonState } from '../people/person.js';
import type { Lens } from '../score/blend.js';
import { banOf } from '../score/eligibility.js';
import { byWeight, isCitable, netFactor, type AttributionRequest } from './attribution.js';

/** Share of the collaborative part a reason accounts for with what it cites. */
export const COVERAGE = 0.8;
/** Items named one by one at most; the rest is counted. */
const MAX_NAMED = 3;

/** One liked item's piece of the collaborative part, in score points. */
export interface CollaborativePiece {
  item: number;
  weight: number;
}

export interface CollaborativeCitation {
  /** Named items, largest first, netted weights. */
  named: CollaborativePiece[];
  /** The rest counted, when the named items cover less than {@link COVERAGE}. */
  group: { count: number; weight: number; thumbs: number } | undefined;
}

/**
 * Picks what a collaborative reason cites for `part` (the collaborative
 * contribution, > 0) from every piece of it (including ones that may not be
 * named: they are counted, never named).
 */
export function citeCollaborative(
  request: Pick<AttributionRequest, 'now' | 'quoteDelayMs' | 'mayName' | 'lens'>,
  user: PersonState,
  part: number,
  pieces: readonly CollaborativePiece[],
): CollaborativeCitation {
  const positive = pieces.filter((p) => p.weight > 0);
  const f = netFactor(
    part,
    positive.reduce((s, p) => s + p.weight, 0),
  );
  const netted = positive
    .map((p) => ({ item: p.item, weight: p.weight * f }))
    .sort((a, b) => byWeight(a.weight, b.weight) || a.item - b.item);
  const named: CollaborativePiece[] = [];
  const rest: CollaborativePiece[] = [];
  let covered = 0;
  for (const p of netted) {
    const record = recordOf(user, request.lens, p.item);
    if (banOf(user, request.lens, p.item) !== undefined || !request.mayName(p.item) || record === undefined) continue;
    if (named.length < MAX_NAMED && covered < COVERAGE * part && isCitable(request, user, p.item, record)) {
      named.push(p);
      covered += p.weight;
    } else {
      rest.push(p);
    }
  }
  if (covered >= COVERAGE * part || rest.length === 0) return { named, group: undefined };
  const thumbs = rest.filter((p) => recordOf(user, request.lens, p.item)?.thumb === 1).length;
  return { named, group: { count: rest.length, weight: rest.reduce((s, p) => s + p.weight, 0), thumbs } };
}

/**
 * The records read for one request, by its lens (a lens is made for one request: see serve/view),
 * so that the reasons of a list — whose collaborative pieces are over the same liked items — read
 * each record once instead of once an item. Read only.
 */
const requestRecords = new WeakMap<Lens, Map<number, ItemEvidence | undefined>>();

/** The record of `item` in the innermost scope the request reads that holds one (a station's before the person's). */
function recordOf(user: PersonState, lens: Lens | undefined, item: number): ItemEvidence | undefined {
  if (lens === undefined) return readRecord(user, lens, item);
  let records = requestRecords.get(lens);
  if (records === undefined) requestRecords.set(lens, (records = new Map()));
  if (records.has(item)) return records.get(item);
  const record = readRecord(user, lens, item);
  records.set(item, record);
  return record;
}

function readRecord(user: PersonState, lens: Lens | undefined, item: number): ItemEvidence | undefined {
  const layers = lens?.layers ?? [{ scope: user }];
  for (let l = layers.length - 1; l >= 0; l--) {
    const record = layers[l]!.scope.evidence.get(item);
    if (record !== undefined) return record;
  }
  return undefined;
}
