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
  const standings = standingsOf(request, user);
  for (const p of netted) {
    const standing = standings.of(p.item);
    if (!standing.counted) continue;
    if (named.length < MAX_NAMED && covered < COVERAGE * part && standing.citable) {
      named.push(p);
      covered += p.weight;
    } else {
      rest.push(p);
    }
  }
  if (covered >= COVERAGE * part || rest.length === 0) return { named, group: undefined };
  const thumbs = rest.filter((p) => standings.of(p.item).record?.thumb === 1).length;
  return { named, group: { count: rest.length, weight: rest.reduce((s, p) => s + p.weight, 0), thumbs } };
}

/** What a collaborative reason may do with one liked item in one request. */
interface Standing {
  /** Its record in the innermost scope the request reads that holds one. */
  record: ItemEvidence | undefined;
  /** Whether it may be counted: a record, not turned down in a scope the request reads, nameable (consent). */
  counted: boolean;
  /** Whether it may be named (see isCitable). */
  citable: boolean;
}

type CiteRequest = Pick<AttributionRequest, 'now' | 'quoteDelayMs' | 'mayName' | 'lens'>;

/** The standings of the liked items of one request, each worked out once for the reasons of a whole list. */
class Standings {
  private readonly known = new Map<number, Standing>();

  constructor(
    readonly request: CiteRequest,
    readonly user: PersonState,
  ) {}

  of(item: number): Standing {
    let standing = this.known.get(item);
    if (standing === undefined) {
      const { request, user } = this;
      const record = readRecord(user, request.lens, item);
      const counted = record !== undefined && banOf(user, request.lens, item) === undefined && request.mayName(item);
      standing = { record, counted, citable: counted && isCitable(request, user, item, record) };
      this.known.set(item, standing);
    }
    return standing;
  }
}

/**
 * The standings of a request, by its lens (a lens is made for one request: see serve/view), so that
 * the reasons of a list — whose collaborative pieces are over the same liked items — judge each
 * item once instead of once a reason. Kept only while the request's time, quoting delay and consent
 * test are the ones it was made with.
 */
const requestStandings = new WeakMap<Lens, Standings>();

function standingsOf(request: CiteRequest, user: PersonState): Standings {
  const lens = request.lens;
  if (lens === undefined) return new Standings(request, user);
  const kept = requestStandings.get(lens);
  if (
    kept !== undefined &&
    kept.user === user &&
    kept.request.now === request.now &&
    kept.request.quoteDelayMs === request.quoteDelayMs &&
    kept.request.mayName === request.mayName
  )
    return kept;
  const standings = new Standings(request, user);
  requestStandings.set(lens, standings);
  return standings;
}

/** The record of `item` in the innermost scope the request reads that holds one (a station's before the person's). */
function readRecord(user: PersonState, lens: Lens | undefined, item: number): ItemEvidence | undefined {
  const layers = lens?.layers ?? [{ scope: user }];
  for (let l = layers.length - 1; l >= 0; l--) {
    const record = layers[l]!.scope.evidence.get(item);
    if (record !== undefined) return record;
  }
  return undefined;
}
