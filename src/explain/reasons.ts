/**
 * Reasons built from the same numbers as the score.
 *
 * The content part of a score splits exactly into per-item parts (see
 * Taste.tagSlope): the part each liked item contributes through the tags it
 * shares with the recommended item, the rest of each tag's weight, and each
 * context feature's effect. Popularity, collaborative and exploration parts are
 * pieces of their own. Evidence lists the largest positive pieces, in score
 * points; the pieces it does not list (negative ones, tiny ones, and implicit
 * events younger than the quoting delay) are simply not cited — nothing is
 * cited that did not move the score, and an item the user turned down is
 * never cited as a reason to like something.
 */
import { describeTags as phrase, tagLabel, type Catalog } from '../catalog/catalog.js';
import { contextLabel, describeContexts } from '../feedback/context.js';
import { evidenceDecay, isQuotable } from '../people/evidence.js';
import { contribution } from '../people/learning.js';
import type { PersonState } from '../people/person.js';
import type { Contributions } from '../rank/ranker.js';
import type { Evidence, Reason } from '../types.js';

/** Evidence below this many score points is not worth citing. */
const CITE_FLOOR = 1e-6;
/** Below this, wording is tentative ("you might like"). */
const CONFIDENT_POINTS = 0.5;
const MAX_EVIDENCE = 5;

export interface ExplainInput {
  catalog: Catalog;
  user: PersonState | undefined;
  item: number;
  contributions: Contributions;
  /** Exploration draw per tag of the item (same order as its tags). */
  noise: Float64Array | undefined;
  explored: boolean;
  contexts: readonly string[];
  now: number;
  halfLifeMs: number;
  quoteDelayMs: number;
  /** Whether the user's taste was recently judged to have changed. */
  changing: boolean;
  /** Collaborative contributions per liked item (faithful HKV decomposition), if any. */
  collaborative?: { item: number; weight: number }[];
  /** Whether the user has any evidence of their own. */
  hasEvidence: boolean;
  /** Whether the item may be named for this user (consent). */
  mayName: (item: number) => boolean;
  /** A prebuilt attribution index for this user and request (built on demand otherwise). */
  index?: AttributionIndex;
}

interface Pieces {
  byItem: Map<number, number>;
  /** liked item → tag → weight (the cells behind `byItem`). */
  byItemTag: Map<number, Map<number, number>>;
  byTag: Map<number, number>;
  byContext: Map<string, number>;
}

/** Per-tag pieces of a user's taste at one time, built once per request. */
export interface AttributionIndex {
  /** tag → liked item → weight (citable positive events). */
  items: Map<number, Map<number, number>>;
  /** tag → weight of everything else (negatives, uncitable items). */
  rest: Map<number, number>;
  /** tag → context feature → weight. */
  contexts: Map<number, Map<string, number>>;
}

/**
 * Splits the person's taste, decayed to `now`, into exact per-item parts by
 * tag: an item's part of a tag's weight is the tag's slope times the item's
 * net evidence (see Taste.tagSlope), so equal evidence gets equal credit and
 * the parts add up to the weight. Items that may not be cited (not net
 * positive, turned down, not nameable, implicit evidence younger than the
 * quoting delay) go to the tag's rest.
 */
export function attributionIndex(input: Pick<ExplainInput, 'catalog' | 'user' | 'now' | 'halfLifeMs' | 'quoteDelayMs' | 'contexts' | 'mayName'>): AttributionIndex {
  const { catalog, user, now, halfLifeMs, quoteDelayMs } = input;
  const index: AttributionIndex = { items: new Map(), rest: new Map(), contexts: new Map() };
  if (user === undefined) return index;
  const slopes = new Map<number, number>();
  user.evidence.forEachView((item, record) => {
    if (!record.learned) return;
    const part = contribution(record);
    const net = (part.pos - part.neg) * evidenceDecay(record, now, halfLifeMs);
    if (net === 0) return;
    const citable = net > 0 && isQuotable(record, now, quoteDelayMs) && !user.banned.has(item) && input.mayName(item);
    for (const tag of catalog.itemTags[item]!) {
      let slope = slopes.get(tag);
      if (slope === undefined) slopes.set(tag, (slope = user.taste.tagSlope(tag, now)));
      const w = slope * net;
      if (citable) {
        let byItem = index.items.get(tag);
        if (byItem === undefined) index.items.set(tag, (byItem = new Map()));
        byItem.set(item, w);
      } else {
        index.rest.set(tag, (index.rest.get(tag) ?? 0) + w);
      }
    }
  });
  for (const c of new Set(input.contexts)) {
    for (const tag of user.taste.crosses.get(c)?.keys() ?? []) {
      let byContext = index.contexts.get(tag);
      if (byContext === undefined) index.contexts.set(tag, (byContext = new Map()));
      byContext.set(c, user.taste.crossMean(c, tag, now));
    }
  }
  return index;
}

/** Splits the content + context parts of `item`'s score into quotable pieces. */
export function attribute(input: ExplainInput): Pieces {
  const { catalog, item } = input;
  const byItem = new Map<number, number>();
  const byTag = new Map<number, number>();
  const byContext = new Map<string, number>();
  const byItemTag = new Map<number, Map<number, number>>();
  const index = input.index ?? attributionIndex(input);
  for (const tag of catalog.itemTags[item]!) {
    const rest = index.rest.get(tag);
    if (rest !== undefined) byTag.set(tag, rest);
    for (const [j, w] of index.items.get(tag) ?? []) {
      if (j === item) {
        byTag.set(tag, (byTag.get(tag) ?? 0) + w); // an item is not a reason for itself
        continue;
      }
      byItem.set(j, (byItem.get(j) ?? 0) + w);
      let cells = byItemTag.get(j);
      if (cells === undefined) byItemTag.set(j, (cells = new Map()));
      cells.set(tag, (cells.get(tag) ?? 0) + w);
    }
    for (const [c, w] of index.contexts.get(tag) ?? []) byContext.set(c, (byContext.get(c) ?? 0) + w);
  }
  return { byItem, byItemTag, byTag, byContext };
}

function top<K>(map: Map<K, number>, n: number): [K, number][] {
  return [...map.entries()].filter(([, w]) => w > CITE_FLOOR).sort((a, b) => b[1] - a[1]).slice(0, n);
}

function describeTags(catalog: Catalog, tags: number[]): string {
  return phrase(tags.map((t) => catalog.tags[t]!));
}

function quote(catalog: Catalog, item: number): string {
  return `“${catalog.label(item)}”`;
}

/** Builds the reason for one recommended (or explained) item. */
export function buildReason(input: ExplainInput): Reason {
  const { catalog, item, contributions: c } = input;
  const itemTags = Array.from(catalog.itemTags[item]!);
  const tagEvidence = (t: number, w: number): Evidence => ({ type: 'tag', id: catalog.tags[t]!, label: tagLabel(catalog.tags[t]!), weight: w });

  if (input.explored) {
    const noise = input.noise ?? new Float64Array(itemTags.length);
    const pushed = itemTags.map((t, j) => [t, noise[j]!] as [number, number]).filter(([, w]) => w > CITE_FLOOR).sort((a, b) => b[1] - a[1]);
    const named = (pushed.length > 0 ? pushed.map(([t]) => t) : itemTags).slice(0, 2);
    const what = named.length > 0 ? describeTags(catalog, named) : 'something you have not tried';
    const text = input.changing
      ? `Your taste seems to have changed lately — trying something new: ${what}`
      : `Something new for you: ${what}, to learn what you think of it`;
    return { kind: 'exploring', text, evidence: pushed.slice(0, MAX_EVIDENCE).map(([t, w]) => tagEvidence(t, w)) };
  }

  if (!input.hasEvidence || input.user === undefined) {
    const evidence: Evidence[] = c.popularity > CITE_FLOOR ? [{ type: 'people', id: 'popularity', label: 'listeners overall', weight: c.popularity }] : [];
    if (input.user === undefined || input.user.optOut) {
      return { kind: 'popular', text: 'Popular with listeners right now', evidence };
    }
    return { kind: 'new-user', text: 'Popular with listeners — give a thumbs up or down to tune your picks', evidence };
  }

  const pieces = attribute(input);
  const items = top(pieces.byItem, 2);
  const itemTotal = items.reduce((s, [, w]) => s + w, 0);
  const contextTop = top(pieces.byContext, 2);
  const contextTotal = contextTop.reduce((s, [, w]) => s + w, 0);
  const collab = (input.collaborative ?? []).filter((x) => x.weight > CITE_FLOOR && input.mayName(x.item) && !input.user!.banned.has(x.item));
  const collabTop = collab.sort((a, b) => b.weight - a.weight).slice(0, 2);
  const collabTotal = collabTop.reduce((s, x) => s + x.weight, 0);
  const tagsTop = top(pieces.byTag, 3);
  const tagTotal = tagsTop.reduce((s, [, w]) => s + w, 0);
  const popularity = Math.max(0, c.popularity);

  const candidates: [string, number][] = [
    ['liked-similar', itemTotal],
    ['tag-affinity', tagTotal],
    ['context', contextTotal],
    ['collaborative', collabTotal],
    ['popular', popularity],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  const [kind, strength] = candidates[0]!;
  const confident = strength >= CONFIDENT_POINTS;

  // Tags the cited items share with this one, by how much they carry.
  const sharedTags = (fromItems: number[]): number[] => {
    const weights = new Map<number, number>();
    for (const j of fromItems) for (const [t, w] of pieces.byItemTag.get(j) ?? []) weights.set(t, (weights.get(t) ?? 0) + w);
    return top(weights, 2).map(([t]) => t);
  };

  if (kind === 'liked-similar' && items.length > 0) {
    const liked = items.map(([j]) => j);
    const shared = sharedTags(liked);
    const evidence: Evidence[] = items.map(([j, w]) => ({ type: 'item', id: catalog.ids[j]!, label: catalog.label(j), weight: w }));
    for (const [t, w] of tagsTop) if (evidence.length < MAX_EVIDENCE) evidence.push(tagEvidence(t, w));
    const both = shared.length > 0 ? `: both are ${describeTags(catalog, shared)}` : '';
    const text = confident ? `Because you liked ${quote(catalog, liked[0]!)}${both}` : `You might like this — it is a little like ${quote(catalog, liked[0]!)}${both}`;
    return { kind: 'liked-similar', text, evidence };
  }
  if (kind === 'context' && contextTop.length > 0) {
    const evidence: Evidence[] = contextTop.map(([f, w]) => ({ type: 'context', id: f, label: contextLabel(f), weight: w }));
    const what = describeTags(catalog, itemTags.slice(0, 2));
    const when = describeContexts(contextTop.map(([f]) => f));
    const text = confident ? `You often enjoy ${what} on ${when}` : `You might like ${what} on ${when}`;
    return { kind: 'context', text, evidence };
  }
  if (kind === 'collaborative' && collabTop.length > 0) {
    const evidence: Evidence[] = collabTop.map((x) => ({ type: 'item', id: catalog.ids[x.item]!, label: catalog.label(x.item), weight: x.weight }));
    const text = confident
      ? `Because you liked ${quote(catalog, collabTop[0]!.item)}: listeners who like it like this too`
      : `You might like this: some listeners who like ${quote(catalog, collabTop[0]!.item)} do`;
    return { kind: 'collaborative', text, evidence };
  }
  if (kind === 'tag-affinity' && tagsTop.length > 0) {
    const evidence = tagsTop.map(([t, w]) => tagEvidence(t, w));
    const what = describeTags(catalog, tagsTop.slice(0, 2).map(([t]) => t));
    const text = confident ? `You have been enjoying ${what}` : `You might like this: you have enjoyed some ${what}`;
    return { kind: 'tag-affinity', text, evidence };
  }
  const evidence: Evidence[] = popularity > CITE_FLOOR ? [{ type: 'people', id: 'popularity', label: 'listeners overall', weight: popularity }] : [];
  return { kind: 'popular', text: 'Popular with listeners right now', evidence };
}
