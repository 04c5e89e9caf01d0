/**
 * Stations (Pandora): several per person, each seeded from items and tags,
 * each learning from the feedback given on it. A station is part of its
 * person's record — its own evidence per (person, station, item), the taste
 * read from it, and its bans — so that erasing the person erases it, and
 * any store that holds the person holds their stations.
 *
 * The seeds lead: each seed is read as a profile of what it says, tag by
 * tag (see {@link seedProfiles}: a tag weighs its pointwise information
 * about the seed, so an artist or a genre says more than a mood a quarter
 * of the catalog shares), and the seed prior puts SEED_POINTS × that share
 * on each tag — an item's similarity to the seeds, in score points, split
 * exactly into one part per seed (what a reason cites). It never decays,
 * so a station never drifts away from its seeds; its thumbs refine it.
 */
import type { Catalog } from '../catalog/catalog.js';
import { DEFINING_SHARE, SEED_POINTS } from '../constants.js';
import type { Decay } from '../decay/decay.js';
import { AttuneError, describeValue } from '../errors.js';
import { newScope, type Scope } from './scope.js';

/** A resolved seed: an item index or a tag index. */
export type SeedRef = { item: number } | { tag: number };

/** One station of one person: a scope of the person (its own evidence, taste and bans) with its seeds. */
export interface StationState extends Scope {
  id: string;
  name: string;
  /** When it was created (ms). */
  created: number;
  /** Seeds in the order they were given (no repeats). */
  seeds: SeedRef[];
}

export function newStation(
  id: string,
  name: string,
  seeds: readonly SeedRef[],
  created: number,
  decay: Decay,
): StationState {
  return { id, name, created, seeds: [...seeds], ...newScope(decay) };
}

/** A seed as a string, equal for the same seed: for sets. */
export function seedKey(s: SeedRef): string {
  return 'item' in s ? `i${s.item}` : `t${s.tag}`;
}

/** `seeds` without the ones already in `existing` or repeated, in O(existing + seeds). */
export function newSeeds(existing: readonly SeedRef[], seeds: readonly SeedRef[]): SeedRef[] {
  const seen = new Set(existing.map(seedKey));
  const out: SeedRef[] = [];
  for (const s of seeds) {
    const key = seedKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/**
 * Validates seeds as given by the app (`{ item }` or `{ tag }`) against the
 * catalog: an unknown item is `UNKNOWN_ITEM`, a tag no item has is
 * `UNKNOWN_TAG`, anything else malformed `INVALID_ARGUMENT`.
 */
export function checkSeeds(api: string, raw: unknown, catalog: Catalog): SeedRef[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: seeds must be a non-empty array of { item } or { tag }, got ${describeValue(raw)}`,
    );
  }
  // Array.from visits holes ([a, , b]) as undefined, which is refused below, never skipped.
  return Array.from(raw as unknown[], (seed: unknown, i): SeedRef => {
    const where = `${api}: seeds[${i}]`;
    if (seed === null || typeof seed !== 'object' || Array.isArray(seed))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${where} must be { item: id } or { tag: 'facet:value' }, got ${describeValue(seed)}`,
      );
    const s = seed as Record<string, unknown>;
    const keys = Object.keys(s).filter((k) => s[k] !== undefined);
    if (keys.length !== 1 || (keys[0] !== 'item' && keys[0] !== 'tag'))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${where} must have exactly one of item or tag, got keys ${keys.join(', ') || 'none'}`,
      );
    const value = s[keys[0]];
    if (typeof value !== 'string' || value === '')
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${where}.${keys[0]} must be a non-empty string, got ${describeValue(value)}`,
      );
    if (keys[0] === 'item') {
      const item = catalog.indexOf(value);
      if (item === undefined)
        throw new AttuneError(
          'UNKNOWN_ITEM',
          `${where}.item ${describeValue(value)} is not in the catalog; add it with addItems first`,
        );
      return { item };
    }
    const tag = catalog.tagIndexOf(value);
    if (tag === undefined || catalog.tagItemCount[tag] === 0)
      throw new AttuneError(
        'UNKNOWN_TAG',
        `${where}.tag ${describeValue(value)} is not a tag of any item; seed with a tag items have`,
      );
    return { tag };
  });
}

/** The seed prior of a station: per tag, its weight and each seed's exact part of it. */
export interface SeedPrior {
  /** tag → weight in score points. */
  weight: Map<number, number>;
  /** tag → (seed position → part of the weight). */
  parts: Map<number, Map<number, number>>;
}

/**
 * What one seed says, tag by tag: each tag's share of the seed's
 * information, the most telling tag 1 (see {@link seedProfiles}).
 */
export type SeedProfile = Map<number, number>;

/**
 * What each seed says (one profile per seed, in seed order; an item seed
 * `usable` refuses gets an empty one). A seed is read as the tags a song
 * of it carries: an item seed carries its own tags; a tag seed t carries t
 * and, with frequency f(u | t), the tags its items carry (an artist seed
 * carries the artist's genre). A tag u weighs what it tells about the seed,
 *
 *   f(u | seed) · max(0, log(f(u | seed) / p(u))),   p(u) = n_u / (N + 1),
 *
 * its frequency times its pointwise mutual information with the seed: a
 * genre or an artist says more than a mood a quarter of the catalog shares,
 * and a tag that comes with the seed no more often than anywhere else says
 * nothing. For an item seed (f = 1) this is the tag's inverse document
 * frequency. Each profile is scaled so that its most telling tag is 1.
 * O(seeds × tags of a seed), plus one pass over the catalog when there are
 * tag seeds.
 */
export function seedProfiles(
  catalog: Catalog,
  seeds: readonly SeedRef[],
  usable: (item: number) => boolean,
): SeedProfile[] {
  const cooccurrence = tagCooccurrence(catalog, seeds);
  const information = (tag: number, f: number) =>
    f * Math.max(0, Math.log((f * (catalog.size + 1)) / Math.max(1, catalog.tagItemCount[tag]!)));
  return seeds.map((seed) => {
    const raw = new Map<number, number>();
    if ('item' in seed) {
      if (usable(seed.item)) for (const t of catalog.itemTags[seed.item]!) raw.set(t, information(t, 1));
    } else {
      const n = Math.max(1, catalog.tagItemCount[seed.tag]!);
      for (const [u, count] of cooccurrence.get(seed.tag)!) raw.set(u, information(u, count / n));
      raw.set(seed.tag, information(seed.tag, 1));
    }
    let top = 0;
    for (const x of raw.values()) top = Math.max(top, x);
    const profile: SeedProfile = new Map();
    // A seed whose tags every item shares tells nothing apart: its tags count alike.
    for (const [t, x] of raw) if (top <= 0 || x > 0) profile.set(t, top > 0 ? x / top : 1);
    return profile;
  });
}

/** For each tag seed t: how many items carrying t carry each other tag. O(catalog) when there are tag seeds. */
function tagCooccurrence(catalog: Catalog, seeds: readonly SeedRef[]): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  // Stryker disable next-line ConditionalExpression: an item seed would add a key `undefined`, which no tag index matches
  for (const seed of seeds) if ('tag' in seed) out.set(seed.tag, new Map());
  // Stryker disable next-line ConditionalExpression: a shortcut: with no tag seed the pass below counts nothing
  if (out.size === 0) return out;
  for (let i = 0; i < catalog.size; i++) {
    const tags = catalog.itemTags[i]!;
    for (const t of tags) {
      const counts = out.get(t);
      if (counts === undefined) continue;
      // Stryker disable next-line ConditionalExpression: a tag seed's count of itself is never read: seedProfiles sets the seed's own tag at frequency 1 after the others
      for (const u of tags) if (u !== t) counts.set(u, (counts.get(u) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * The seed prior: seed k puts SEED_POINTS × its profile's share on each of
 * its tags, so an item's seed part is its similarity to the seeds in score
 * points (a song of the seed's artist and genre most, one that only shares
 * its mood little), and the weight of a tag splits exactly into one part
 * per seed, which is what a reason cites. The prior never fades: a
 * station's thumbs refine it, never replace it.
 */
export function seedPrior(profiles: readonly SeedProfile[]): SeedPrior {
  const prior: SeedPrior = { weight: new Map(), parts: new Map() };
  profiles.forEach((profile, k) => {
    for (const [t, share] of profile) {
      const part = SEED_POINTS * share;
      prior.weight.set(t, (prior.weight.get(t) ?? 0) + part);
      let bySeed = prior.parts.get(t);
      if (bySeed === undefined) prior.parts.set(t, (bySeed = new Map()));
      bySeed.set(k, part);
    }
  });
  return prior;
}

/**
 * The tags that define a station: those that carry at least
 * {@link DEFINING_SHARE} of some seed's information — a tag seed's own tag,
 * an item seed's artist and genre, not a mood or a decade that much of the
 * catalog shares. A station list is built from the items that carry them
 * (see {@link nearSeeds}). O(tags of the seeds' profiles).
 */
export function definingTags(profiles: readonly SeedProfile[]): Set<number> {
  const out = new Set<number>();
  for (const profile of profiles) for (const [t, share] of profile) if (share >= DEFINING_SHARE) out.add(t);
  return out;
}

/**
 * The tags no share cap holds back on a station: the tags it was seeded on
 * (a jazz station may play only jazz; the artist cap still holds) and any
 * tag every song of one of them carries (a genre's only era: capping it
 * would cap the genre). An item seed's tags keep their caps: a station on
 * one song plays mostly its genre, within the share cap of any list.
 * O(catalog × tags of an item) when there are tag seeds.
 */
export function uncappedTags(catalog: Catalog, seeds: readonly SeedRef[]): Set<number> {
  const named = new Set<number>();
  for (const seed of seeds) if ('tag' in seed) named.add(seed.tag);
  // Stryker disable next-line ConditionalExpression: a shortcut: with no tag seed the pass below adds nothing
  if (named.size === 0) return named;
  const together = new Map<number, Map<number, number>>([...named].map((t) => [t, new Map()]));
  for (let i = 0; i < catalog.size; i++) {
    const tags = catalog.itemTags[i]!;
    for (const t of tags) {
      const counts = together.get(t);
      if (counts !== undefined) for (const u of tags) counts.set(u, (counts.get(u) ?? 0) + 1);
    }
  }
  const out = new Set(named);
  for (const [t, counts] of together) for (const [u, n] of counts) if (n === catalog.tagItemCount[t]) out.add(u);
  return out;
}

/** 1 for every item near the seeds: an item seed itself, or an item with a defining tag. O(catalog). */
export function nearSeeds(catalog: Catalog, seeds: readonly SeedRef[], defining: ReadonlySet<number>): Uint8Array {
  const marked = new Uint8Array(catalog.size);
  // Stryker disable next-line ConditionalExpression: a tag seed would write marked[undefined], which a typed array drops
  for (const seed of seeds) if ('item' in seed) marked[seed.item] = 1;
  for (let i = 0; i < catalog.size; i++) {
    // Stryker disable next-line ConditionalExpression: a shortcut: scanning a marked item again marks it 1 again
    if (marked[i] === 1) continue;
    for (const t of catalog.itemTags[i]!) {
      if (defining.has(t)) {
        marked[i] = 1;
        break;
      }
    }
  }
  return marked;
}

/** How a station is named in words: `“So What” and jazz`. */
export function describeSeeds(catalog: Catalog, seeds: readonly SeedRef[], tagName: (tag: string) => string): string {
  const names = seeds.map((s) => ('item' in s ? `“${catalog.label(s.item)}”` : tagName(catalog.tags[s.tag]!)));
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

/** A seed as the app gave it. */
export function seedToPublic(catalog: Catalog, seed: SeedRef): { item: string } | { tag: string } {
  return 'item' in seed ? { item: catalog.ids[seed.item]! } : { tag: catalog.tags[seed.tag]! };
}
