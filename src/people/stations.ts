/**
 * Stations (Pandora): several per person, each seeded from items and tags,
 * each learning from the feedback given on it. A station is part of its
 * person's record — its own evidence per (person, station, item), the taste
 * read from it, and its bans — so that erasing the person erases it, and
 * any store that holds the person holds their stations.
 *
 * Seeds are pseudo-evidence that never decays: a tag seed puts
 * SEED_IMPORTANCE of positive importance on its tag, an item seed on each
 * of the item's tags in proportion to how specific the tag is (see
 * `specificity`), and the seed prior of a tag is the same shrunk rate as a
 * taste weight,
 *
 *   s_t = κ · S_t / (A + S_t),
 *
 * so its weight splits exactly into one part per seed (slope κ/(A + S_t)
 * times the seed's importance), which is what a reason cites.
 */
import type { Catalog } from '../catalog/catalog.js';
import { SEED_IMPORTANCE, TAG_PSEUDO_COUNT, TASTE_SCALE } from '../constants.js';
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

/** Tags a seed puts weight on. */
export function seedTags(catalog: Catalog, seed: SeedRef): ArrayLike<number> & Iterable<number> {
  return 'item' in seed ? catalog.itemTags[seed.item]! : [seed.tag];
}

/** The seed prior of a station: per tag, its weight and each seed's exact part of it. */
export interface SeedPrior {
  /** tag → weight in score points. */
  weight: Map<number, number>;
  /** tag → (seed position → part of the weight). */
  parts: Map<number, Map<number, number>>;
}

/**
 * The seed prior, skipping item seeds `usable` refuses (a sensitive item
 * without consent). O(seeds × tags of a seed).
 */
export function seedPrior(catalog: Catalog, station: StationState, usable: (item: number) => boolean): SeedPrior {
  const mass = new Map<number, Map<number, number>>();
  station.seeds.forEach((seed, k) => {
    if ('item' in seed && !usable(seed.item)) return;
    const tags = Array.from(seedTags(catalog, seed));
    const share = specificity(catalog, tags);
    tags.forEach((t, j) => {
      let bySeed = mass.get(t);
      if (bySeed === undefined) mass.set(t, (bySeed = new Map()));
      bySeed.set(k, (bySeed.get(k) ?? 0) + SEED_IMPORTANCE * share[j]!);
    });
  });
  const prior: SeedPrior = { weight: new Map(), parts: new Map() };
  for (const [t, bySeed] of mass) {
    let total = 0;
    for (const m of bySeed.values()) total += m;
    const slope = TASTE_SCALE / (TAG_PSEUDO_COUNT + total);
    prior.weight.set(t, slope * total);
    prior.parts.set(t, new Map([...bySeed].map(([k, m]) => [k, slope * m])));
  }
  return prior;
}

/**
 * How much each of a seed's tags says about it, the rarest 1: a tag's
 * inverse document frequency log(N / n_t) over the largest of the seed's.
 * An item seed leans on what sets it apart (its artist, its genre) more
 * than on what half the catalog shares (a mood, a decade); a tag seed's
 * one tag is 1.
 */
function specificity(catalog: Catalog, tags: readonly number[]): number[] {
  const idf = tags.map((t) => Math.log((catalog.size + 1) / Math.max(1, catalog.tagItemCount[t]!)));
  const top = Math.max(...idf);
  return idf.map((x) => (top > 0 ? x / top : 1));
}

/** 1 for every item that shares a tag with a seed (or is a seed). O(catalog). */
export function seedTagged(catalog: Catalog, station: StationState): Uint8Array {
  const tags = new Set<number>();
  const marked = new Uint8Array(catalog.size);
  for (const seed of station.seeds) {
    if ('item' in seed) marked[seed.item] = 1;
    for (const t of seedTags(catalog, seed)) tags.add(t);
  }
  for (let i = 0; i < catalog.size; i++) {
    if (marked[i] === 1) continue;
    for (const t of catalog.itemTags[i]!) {
      if (tags.has(t)) {
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
