/**
 * Reasons built from the same numbers as the score. A reason is faithful
 * (DESIGN.md, "Parts"):
 *
 * - its kind names the largest positive part of the score — taste (content
 *   + context, told as `liked-similar`, `tag-affinity` or `context` after the
 *   largest group of its pieces), `collaborative` or `popular`; `exploring`
 *   for an item shown because of the exploration draw; and when no part is
 *   positive it says so (`new-user`, `catalog`) instead of claiming one;
 * - its evidence is netted: the positive pieces of the part are scaled so
 *   that they add up to the part (the negative pieces spread over them), so
 *   what it cites never sums to more than the part it explains, and equal
 *   evidence gets equal credit (the pieces are exact per-record parts, see
 *   attribution.ts);
 * - it names only quotable, nameable items the person did not turn down
 *   (in any scope the request reads) and is not resting;
 * - an item turned down or resting is explained as such.
 *
 * One path for plain lists and stations: on a station the taste part also
 * holds the seed prior, whose pieces are one per seed; when they are the
 * largest group the reason cites the seeds (`station-seed`: "On your Miles
 * Davis Radio, built on “So What”: mellow jazz"), otherwise the reason is
 * said "on your" station.
 *
 * The wording follows the size of the part (below {@link CONFIDENT_POINTS}
 * it is tentative), and the structured fields (`part`, `confident`,
 * evidence `tags` and `count`, `since`, `until`) carry everything the text
 * says, so that an app can write it in another language.
 */
import { describeTags as phrase, tagLabel, tagPhrase, type Catalog } from '../catalog/catalog.js';
import { DEFAULT_ITEM_NOUN } from '../constants.js';
import { DAY_MS } from '../decay/decay.js';
import type { ItemNoun } from '../options.js';
import { contextLabel, describeContexts } from '../feedback/context.js';
import { restUntil, type PersonState } from '../people/person.js';
import { describeSeeds, type StationState } from '../people/stations.js';
import type { Contributions } from '../rank/ranker.js';
import { banOf } from '../score/eligibility.js';
import type { Evidence, Reason, ReasonKind, ReasonPart } from '../types.js';
import {
  attribute,
  attributionIndex,
  byWeight,
  netFactor,
  causeOf,
  type AttributionIndex,
  type AttributionRequest,
  type TastePieces,
} from './attribution.js';
import { citeCollaborative, type CollaborativePiece } from './collaborative.js';

export { attribute, attributionIndex, type AttributionIndex, type TastePieces } from './attribution.js';
export type { CollaborativePiece } from './collaborative.js';

/** Evidence, or a part, below this many score points is not worth citing: it is rounding, not a cause. */
export const CITE_FLOOR = 1e-6;
/** Below this many points of the explained part, wording is tentative ("you might like"). */
export const CONFIDENT_POINTS = 0.5;
const MAX_EVIDENCE = 5;
const MAX_SEEDS_CITED = 3;
/** A person whose latest feedback is older than this is not told what they have been doing "lately". */
const RECENT_DAYS = 30;

export interface ExplainInput extends AttributionRequest {
  item: number;
  contributions: Contributions;
  /** Exploration draw per tag of the item (same order as its tags). */
  noise: Float64Array | undefined;
  explored: boolean;
  /** Whether the user's taste was recently judged to have changed. */
  changing: boolean;
  /** Every per-liked-item piece of the collaborative contribution (HKV), in score points, if any. */
  collaborative?: readonly CollaborativePiece[] | undefined;
  /** Whether the user has any evidence of their own. */
  hasEvidence: boolean;
  /**
   * The attribution index of this user and request, shared by the reasons of one list and built on
   * the first reason that needs it (a taste reason); built for this reason alone when absent.
   */
  index?: (() => AttributionIndex) | undefined;
  /** The station the list is for, if any: its name is said, its seeds may be cited. */
  station?: StationState | undefined;
  /** What the items are called when counted (the `itemNoun` option). @default songs */
  itemNoun?: ItemNoun | undefined;
}

/** The `n` largest pieces above the floor; near-equal pieces (rounding apart) keep their key order, so equal evidence is cited the same whatever order it arrived in. */
function top<K>(map: Map<K, number>, n: number): [K, number][] {
  return [...map.entries()]
    .filter(([, w]) => w > CITE_FLOOR)
    .sort((a, b) => byWeight(a[1], b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n);
}

function sumPositive(values: Iterable<number>): number {
  let s = 0;
  // Stryker disable next-line EqualityOperator: adding a 0 changes no sum
  for (const v of values) if (v > 0) s += v;
  return s;
}

/** A date as YYYY-MM-DD (a function, not a constant built at load: see README, "Mutation testing"). */
function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

class Writer {
  constructor(private readonly input: ExplainInput) {}

  get catalog(): Catalog {
    return this.input.catalog;
  }

  quote(item: number): string {
    return `“${this.catalog.label(item)}”`;
  }

  describe(tags: readonly number[]): string {
    return phrase(tags.map((t) => this.catalog.tags[t]!));
  }

  tag(t: number, weight: number): Evidence {
    const id = this.catalog.tags[t]!;
    return { type: 'tag', id, label: tagLabel(id), weight };
  }

  item(j: number, weight: number, tags?: readonly number[]): Evidence {
    const e: Evidence = { type: 'item', id: this.catalog.ids[j]!, label: this.catalog.label(j), weight };
    if (tags !== undefined) e.tags = tags.map((t) => this.catalog.tags[t]!);
    return e;
  }

  reason(
    kind: ReasonKind,
    part: ReasonPart,
    points: number,
    text: string,
    evidence: Evidence[],
    confident = points >= CONFIDENT_POINTS,
  ): Reason {
    return { kind, text, evidence, part: { name: part, points }, confident };
  }
}

/** Builds the reason for one recommended (or explained) item; on a station, in the station's words. */
export function buildReason(input: ExplainInput): Reason {
  const reason = partReason(input);
  const station = input.station;
  if (station === undefined || reason.kind === 'station-seed') return reason;
  return { ...reason, text: `On your ${station.name} — ${lowerFirst(reason.text)}` };
}

function partReason(input: ExplainInput): Reason {
  const w = new Writer(input);
  const status = statusReason(w, input);
  if (status !== undefined) return status;
  if (input.explored) return exploringReason(w, input);
  const c = input.contributions;
  const parts: [ReasonPart, number][] = [
    ['taste', c.content + c.context],
    ['collaborative', c.collaborative],
    ['popularity', c.popularity],
  ];
  // The largest positive part (above the floor: rounding is not a cause); ties go to the person's own evidence first.
  const [largest, points] = parts.reduce((best, p) => (p[1] > best[1] ? p : best), ['none', CITE_FLOOR] as [
    ReasonPart,
    number,
  ]);
  if (largest === 'taste' && input.user !== undefined) return tasteReason(w, input, input.user, points);
  if (largest === 'collaborative' && input.user !== undefined) return collaborativeReason(w, input, input.user, points);
  if (largest === 'popularity') return popularReason(w, input, points);
  return nothingYetReason(w, input);
}

/** An item the person turned down, or is resting: said plainly, whatever its score. */
function statusReason(w: Writer, input: ExplainInput): Reason | undefined {
  const user = input.user;
  if (user === undefined || user.optOut) return undefined;
  const since = banOf(user, input.lens, input.item);
  if (since !== undefined) {
    const text = `You turned ${w.quote(input.item)} down on ${iso(since)}: it will not be played for you again unless you undo that`;
    return { ...w.reason('turned-down', 'none', 0, text, [], true), since };
  }
  const until = restUntil(user, input.item);
  // Stryker disable next-line ConditionalExpression: undefined > now is false too; the check narrows the type
  if (until !== undefined && until > input.now) {
    const text = `${w.quote(input.item)} is resting until ${iso(until)}: you said you were tired of it`;
    return { ...w.reason('resting', 'none', 0, text, [], true), until };
  }
  return undefined;
}

function exploringReason(w: Writer, input: ExplainInput): Reason {
  const itemTags = Array.from(w.catalog.itemTags[input.item]!);
  const noise = input.noise ?? new Float64Array(itemTags.length);
  const pushes = new Map<number, number>();
  itemTags.forEach((t, j) => pushes.set(t, (pushes.get(t) ?? 0) + noise[j]!));
  const points = Math.max(0, input.contributions.exploration);
  const f = netFactor(points, sumPositive(pushes.values()));
  const pushed = top(pushes, MAX_EVIDENCE)
    .map(([t, x]) => [t, x * f] as [number, number])
    .filter(([, x]) => x > CITE_FLOOR);
  const named = (pushed.length > 0 ? pushed.map(([t]) => t) : itemTags).slice(0, 2);
  const what = named.length > 0 ? w.describe(named) : 'something you have not tried';
  const text = input.changing
    ? `Your taste seems to have changed lately — trying something new: ${what}`
    : `Something new for you: ${what}, to learn what you think of it`;
  return w.reason(
    'exploring',
    'exploration',
    points,
    text,
    pushed.map(([t, x]) => w.tag(t, x)),
  );
}

/**
 * Taste (content + context) is the largest part. Its pieces are netted;
 * the kind follows the largest group of them: the liked items it comes from
 * (`liked-similar`), tags whose evidence may not be quoted by item yet
 * (`tag-affinity`), or the request's context (`context`).
 */
function tasteReason(w: Writer, input: ExplainInput, user: PersonState, points: number): Reason {
  const index = input.index?.() ?? attributionIndex(input);
  const pieces = attribute(w.catalog, index, input.item);
  // A seed the person turned down (here or everywhere) or is resting still anchors the station but is not cited.
  const seeds = new Map([...pieces.bySeed].filter(([k]) => citableSeed(input, user, k)));
  const groups: [ReasonKind, number][] = [
    ['station-seed', sumPositive(seeds.values())],
    ['liked-similar', sumPositive(pieces.byItem.values())],
    ['tag-affinity', sumPositive(pieces.byTag.values())],
    ['context', sumPositive(pieces.byContext.values())],
  ];
  const f = netFactor(
    points,
    groups.reduce((s, [, x]) => s + x, 0),
  );
  const scaled = <K>(map: Map<K, number>) => new Map([...map].map(([k, x]) => [k, x * f] as [K, number]));
  // A record is cited only if undoing it would lower the score (see causeOf).
  const evidence = input.lens?.evidence ?? user.taste.evidenceAt(input.personNow);
  const causes = new Map(
    [...pieces.byItem].filter(([j]) => causeOf(index, pieces, j, input.contributions.popularity, evidence) > 0),
  );
  const items = top(scaled(causes), 2);
  const tags = top(scaled(pieces.byTag), 3);
  const contexts = top(scaled(pieces.byContext), 2);
  const seedsCited = top(scaled(seeds), MAX_SEEDS_CITED);
  const cited = {
    'station-seed': seedsCited.length,
    'liked-similar': items.length,
    'tag-affinity': tags.length,
    context: contexts.length,
  } as Record<ReasonKind, number>;
  // The largest group that has something to cite (largest first; ties keep the order above).
  const citing = groups.filter(([k]) => cited[k]! > 0);
  const [kind] = citing.reduce((best, g) => (g[1] > best[1] ? g : best), ['tag-affinity', -1] as [ReasonKind, number]);
  const confident = points >= CONFIDENT_POINTS;
  // Nothing may be cited, and the part is the seeds' (seeds the person is tired of or turned down, or each
  // too small to cite): it is said to be the station's, naming no seed — never a taste the person did not show.
  const seedMass = sumPositive(pieces.bySeed.values());
  // Stryker disable next-line EqualityOperator,ConditionalExpression: with no seed part every group is 0 only if the taste part (their sum, above the floor) had no positive piece, which attribution never gives
  const seeded = seedMass > 0;
  if (citing.length === 0 && seeded && seedMass >= groups.reduce((m, [, x]) => Math.max(m, x), 0))
    return seedReason(w, input, pieces, [], [], points);
  if (kind === 'station-seed') return seedReason(w, input, pieces, seedsCited, items, points);
  if (kind === 'liked-similar') return likedSimilar(w, input, pieces, items, tags, points);
  if (kind === 'context') {
    const what = w.describe(Array.from(w.catalog.itemTags[input.item]!).slice(0, 2));
    const when = describeContexts(contexts.map(([c]) => c));
    const text = confident ? `You often enjoy ${what} on ${when}` : `You might like ${what} on ${when}`;
    const evidence: Evidence[] = contexts.map(([c, x]) => ({
      type: 'context',
      id: c,
      label: contextLabel(c),
      weight: x,
    }));
    return w.reason('context', 'taste', points, text, evidence);
  }
  const named = tags.length > 0 ? tags.map(([t]) => t) : Array.from(w.catalog.itemTags[input.item]!);
  const what = w.describe(named.slice(0, 2));
  // Evidence keeps its weight while the person is away (absence is not forgetting), but a pause is not "lately".
  const lately = input.now - user.clock.wall <= RECENT_DAYS * DAY_MS;
  const text = confident
    ? lately
      ? `You have been enjoying ${what}`
      : `You enjoyed ${what}`
    : `You might like this: you have enjoyed some ${what}`;
  return w.reason(
    'tag-affinity',
    'taste',
    points,
    text,
    tags.map(([t, x]) => w.tag(t, x)),
  );
}

/** Whether station seed `k` may be cited: not an item the person turned down (here or everywhere) or is resting. */
function citableSeed(input: ExplainInput, user: PersonState, k: number): boolean {
  // Seed parts come from the station the request is for: `k` is one of its seeds.
  const seed = input.station!.seeds[k]!;
  if (!('item' in seed)) return true;
  return banOf(user, input.lens, seed.item) === undefined && !((restUntil(user, seed.item) ?? -Infinity) > input.now);
}

/**
 * The station's seeds are the largest group of the taste part: "On your …
 * Radio, built on “So What”: mellow jazz", and the songs liked that count
 * next (", like “Blue in Green”, which you liked"), each at its netted part.
 */
function seedReason(
  w: Writer,
  input: ExplainInput,
  pieces: TastePieces,
  cited: [number, number][],
  liked: [number, number][],
  points: number,
): Reason {
  const station = input.station!;
  const { catalog, item } = input;
  const evidence: Evidence[] = cited.map(([k, x]) => {
    const seed = station.seeds[k]!;
    return 'item' in seed ? w.item(seed.item, x) : w.tag(seed.tag, x);
  });
  // What the item is: the tags it shares with the cited seeds first, then its others, three at most.
  const shared = new Map<number, number>();
  // (With no seed cited, the tags it shares with every seed: what the station is, naming none.)
  const from = cited.length > 0 ? cited.map(([k]) => k) : [...pieces.bySeed.keys()];
  for (const k of from) for (const [t, x] of pieces.bySeedTag.get(k) ?? []) shared.set(t, (shared.get(t) ?? 0) + x);
  const first = [...shared].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([t]) => t);
  const others = Array.from(catalog.itemTags[item]!).filter((t) => !shared.has(t));
  const what = w.describe([...first, ...others].slice(0, 3));
  const seeds = describeSeeds(
    catalog,
    cited.map(([k]) => station.seeds[k]!),
    tagPhrase,
  );
  const also = liked.filter(([j]) => j !== item);
  const sharedOf = (j: number) => top(pieces.byItemTag.get(j) ?? new Map<number, number>(), Infinity).map(([t]) => t);
  for (const [j, x] of also) evidence.push(w.item(j, x, sharedOf(j)));
  const like = also.length === 0 ? '' : `, like ${also.map(([j]) => w.quote(j)).join(' and ')}, which you liked`;
  const built = cited.length === 0 ? '' : `, built on ${seeds}`;
  return w.reason('station-seed', 'taste', points, `On your ${station.name}${built}: ${what}${like}`, evidence);
}

function likedSimilar(
  w: Writer,
  input: ExplainInput,
  pieces: TastePieces,
  items: [number, number][],
  tags: [number, number][],
  points: number,
): Reason {
  const sharedOf = (j: number) => top(pieces.byItemTag.get(j) ?? new Map<number, number>(), Infinity).map(([t]) => t);
  // Two items and three tags at most (see tasteReason): never more than MAX_EVIDENCE.
  const evidence: Evidence[] = [
    ...items.map(([j, x]) => w.item(j, x, sharedOf(j))),
    ...tags.map(([t, x]) => w.tag(t, x)),
  ];
  const confident = points >= CONFIDENT_POINTS;
  const first = items[0]![0];
  if (first === input.item) {
    const text = confident ? `You liked ${w.quote(first)} before` : `You might like ${w.quote(first)} again`;
    return w.reason('liked-similar', 'taste', points, text, evidence);
  }
  const shared = sharedOf(first).slice(0, 2);
  const both = shared.length > 0 ? `: both are ${w.describe(shared)}` : '';
  const text = confident
    ? `Because you liked ${w.quote(first)}${both}`
    : `You might like this — it is a little like ${w.quote(first)}${both}`;
  return w.reason('liked-similar', 'taste', points, text, evidence);
}

function collaborativeReason(w: Writer, input: ExplainInput, user: PersonState, points: number): Reason {
  const { named, group } = citeCollaborative(input, user, points, input.collaborative ?? []);
  const evidence: Evidence[] = named.map((p) => w.item(p.item, p.weight));
  const confident = points >= CONFIDENT_POINTS;
  let others = '';
  if (group !== undefined) {
    const verb = group.thumbs === group.count ? 'liked' : group.thumbs === 0 ? 'played' : 'liked or played';
    const noun = input.itemNoun ?? DEFAULT_ITEM_NOUN;
    const label = `${group.count} ${named.length > 0 ? 'other ' : ''}${group.count === 1 ? noun.one : noun.many} you ${verb}`;
    evidence.push({ type: 'items', id: 'other-items', label, weight: group.weight, count: group.count });
    others = label;
  }
  if (evidence.length === 0) {
    const text = confident
      ? 'Listeners with tastes like yours like this'
      : 'Some listeners with tastes like yours like this';
    return w.reason('collaborative', 'collaborative', points, text, [
      { type: 'people', id: 'similar-listeners', label: 'listeners with tastes like yours', weight: points },
    ]);
  }
  const self = named.some((p) => p.item === input.item);
  const list = [
    ...named.filter((p) => p.item !== input.item).map((p) => w.quote(p.item)),
    ...(others !== '' ? [others] : []),
  ];
  const what = list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]!}`;
  const them = list.length === 1 && group === undefined ? 'it' : 'them';
  let text: string;
  if (self) {
    const also = what !== '' ? `; listeners who like ${what} like it too` : '';
    text = confident ? `You liked this before${also}` : `You might like this again${also}`;
  } else {
    text = confident
      ? `Because you liked ${what}: listeners who like ${them} like this too`
      : `You might like this: some listeners who like ${what} do`;
  }
  return w.reason('collaborative', 'collaborative', points, text, evidence);
}

function popularReason(w: Writer, input: ExplainInput, points: number): Reason {
  const evidence: Evidence[] = [{ type: 'people', id: 'popularity', label: 'listeners overall', weight: points }];
  const confident = points >= CONFIDENT_POINTS;
  const base = confident ? 'Popular with listeners right now' : 'Some listeners have enjoyed this lately';
  const personal = input.user !== undefined && !input.user.optOut;
  const text = personal && !input.hasEvidence ? `${base} — a thumbs up or down tunes your picks` : base;
  return w.reason('popular', 'popularity', points, text, evidence);
}

/** No part of the score is positive: nothing known points to this item, and the reason says so. */
function nothingYetReason(w: Writer, input: ExplainInput): Reason {
  const personal = input.user !== undefined && !input.user.optOut;
  if (personal && !input.hasEvidence) {
    return w.reason(
      'new-user',
      'none',
      0,
      'New here: a pick from the catalog to start — a thumbs up or down tunes your picks',
      [],
      false,
    );
  }
  const text = personal
    ? 'A pick from the catalog: nothing you have told us points to it yet'
    : 'A pick from the catalog';
  return w.reason('catalog', 'none', 0, text, [], false);
}

function lowerFirst(text: string): string {
  // Quoted titles and names keep their case; only an opening word is lowered.
  // Stryker disable next-line Regex: without the anchor the test differs only on a text that opens with a quote (“), which lowering leaves as it is
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
