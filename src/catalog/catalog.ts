import { AttuneError, describeValue, everyIndex } from '../errors.js';
import type { Item } from '../types.js';

/**
 * The items, their interned tag vocabulary and sparse item → tag features.
 * Items and tags get dense indices in insertion order; features are kept as
 * one `Int32Array` of tag indices per item (a CSR row).
 */
/** The fields of an item. */
const ITEM_KEYS: readonly string[] = ['id', 'title', 'tags', 'sensitive'];

export class Catalog {
  private readonly itemIndex = new Map<string, number>();
  private readonly tagIndex = new Map<string, number>();
  readonly ids: string[] = [];
  readonly titles: (string | undefined)[] = [];
  readonly itemTags: Int32Array[] = [];
  readonly itemSensitive: (readonly string[])[] = [];
  readonly tags: string[] = [];
  /** Facet of each tag (`genre` of `genre:jazz`; the whole tag when it has no colon). */
  readonly tagFacets: string[] = [];
  /** Items per tag, for profile summaries and hold-back. */
  readonly tagItemCount: number[] = [];

  private flat: { indptr: Int32Array; indices: Int32Array } | undefined;

  get size(): number {
    return this.ids.length;
  }

  /** Item → tag features as one CSR matrix (row i: indices[indptr[i]..indptr[i+1]]), for hot loops. */
  csr(): { indptr: Int32Array; indices: Int32Array } {
    if (this.flat === undefined) {
      const indptr = new Int32Array(this.ids.length + 1);
      this.itemTags.forEach((tags, i) => (indptr[i + 1] = indptr[i]! + tags.length));
      const indices = new Int32Array(indptr[this.ids.length]!);
      this.itemTags.forEach((tags, i) => indices.set(tags, indptr[i]!));
      this.flat = { indptr, indices };
    }
    return this.flat;
  }

  get tagCount(): number {
    return this.tags.length;
  }

  indexOf(id: string): number | undefined {
    return this.itemIndex.get(id);
  }

  tagIndexOf(tag: string): number | undefined {
    return this.tagIndex.get(tag);
  }

  has(id: string): boolean {
    return this.itemIndex.has(id);
  }

  /**
   * Validates a batch of items against the catalog and each other; throws before changing anything.
   * `firstIndex`: where the batch starts in a longer list (errors name `items[firstIndex + i]`).
   */
  static validate(api: string, items: unknown, existing?: Catalog, firstIndex = 0): Item[] {
    if (!Array.isArray(items))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: items must be an array of { id, title?, tags?, sensitive? }, got ${describeValue(items)}`,
      );
    const seen = new Set<string>();
    // An index loop, not forEach: a hole ([a, , b]) is refused, not skipped.
    for (let i = 0; i < items.length; i++) {
      const raw: unknown = items[i];
      const where = `${api}: items[${firstIndex + i}]`;
      if (raw === null || typeof raw !== 'object')
        throw new AttuneError('INVALID_ARGUMENT', `${where} must be an object with an id, got ${describeValue(raw)}`);
      const item = raw as Record<string, unknown>;
      if (typeof item['id'] !== 'string' || item['id'] === '')
        throw new AttuneError(
          'INVALID_ARGUMENT',
          `${where}.id must be a non-empty string, got ${describeValue(item['id'])}`,
        );
      const id = item['id'];
      if (seen.has(id) || existing?.has(id))
        throw new AttuneError(
          'DUPLICATE_ITEM',
          `${where}: an item with id ${describeValue(id)} already exists; ids must be unique`,
        );
      seen.add(id);
      if (item['title'] !== undefined && typeof item['title'] !== 'string')
        throw new AttuneError('INVALID_ARGUMENT', `${where}.title must be a string when given`);
      for (const field of ['tags', 'sensitive'] as const) {
        const list = item[field];
        if (list === undefined) continue;
        if (!Array.isArray(list) || !everyIndex(list, (t) => typeof t === 'string' && t !== '')) {
          throw new AttuneError('INVALID_ARGUMENT', `${where}.${field} must be an array of non-empty strings`);
        }
      }
      for (const key of Object.keys(item)) {
        if (!ITEM_KEYS.includes(key))
          throw new AttuneError(
            'INVALID_ARGUMENT',
            `${where} has an unknown field ${describeValue(key)}; an item has ${ITEM_KEYS.join(', ')}`,
          );
      }
    }
    // A copy: a caller changing its objects afterwards changes nothing here.
    return items.map((x: Item) => ({
      id: x.id,
      ...(x.title !== undefined ? { title: x.title } : {}),
      ...(x.tags !== undefined ? { tags: [...x.tags] } : {}),
      ...(x.sensitive !== undefined ? { sensitive: [...x.sensitive] } : {}),
    }));
  }

  /** Adds already validated items. */
  add(items: readonly Item[]): void {
    this.flat = undefined;
    for (const item of items) {
      const index = this.ids.length;
      this.itemIndex.set(item.id, index);
      this.ids.push(item.id);
      this.titles.push(item.title);
      const tagIds = [...new Set(item.tags ?? [])].map((t) => this.intern(t));
      for (const t of tagIds) this.tagItemCount[t] = (this.tagItemCount[t] ?? 0) + 1;
      this.itemTags.push(Int32Array.from(tagIds));
      this.itemSensitive.push(Object.freeze([...new Set(item.sensitive ?? [])]));
    }
  }

  /** The item as given (for snapshots). */
  item(index: number): Item {
    const out: Item = { id: this.ids[index]! };
    const title = this.titles[index];
    if (title !== undefined) out.title = title;
    const tags = this.itemTags[index]!;
    if (tags.length > 0) out.tags = Array.from(tags, (t) => this.tags[t]!);
    const sensitive = this.itemSensitive[index]!;
    if (sensitive.length > 0) out.sensitive = [...sensitive];
    return out;
  }

  /** A readable name for an item: its title, else its id. */
  label(index: number): string {
    return this.titles[index] ?? this.ids[index]!;
  }

  private intern(tag: string): number {
    let t = this.tagIndex.get(tag);
    if (t === undefined) {
      t = this.tags.length;
      this.tagIndex.set(tag, t);
      this.tags.push(tag);
      const colon = tag.indexOf(':');
      this.tagFacets.push(colon > 0 ? tag.slice(0, colon) : tag);
      this.tagItemCount.push(0);
    }
    return t;
  }
}

/** The readable part of a tag: `mellow` for `mood:mellow`, dashes as spaces. */
export function tagLabel(tag: string): string {
  const colon = tag.indexOf(':');
  return (colon >= 0 ? tag.slice(colon + 1) : tag).replace(/[-_]+/g, ' ');
}

const capitalise = (text: string) => text.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/** One tag as a person would name it on its own: `the 1950s`, `Miles Davis`, `jazz`. */
export function tagPhrase(tag: string): string {
  const facet = tag.slice(0, Math.max(0, tag.indexOf(':')));
  const label = tagLabel(tag);
  if (facet === 'artist') return capitalise(label);
  if (facet === 'era' || facet === 'decade') return `the ${label}`;
  return label;
}

/**
 * A phrase a person would write for a few tags: moods before the genre,
 * then the artist and the era — `mellow jazz by Mara Quinn from the 1960s`.
 */
export function describeTags(tags: readonly string[]): string {
  // One pass, each tag to its group in the order given (a filter per facet and a set of the
  // known facets a call were most of its cost).
  const moods: string[] = [];
  const genres: string[] = [];
  const others: string[] = [];
  const artists: string[] = [];
  const eras: string[] = [];
  for (const t of tags) {
    const facet = t.slice(0, Math.max(0, t.indexOf(':')));
    if (facet === 'mood') moods.push(tagLabel(t));
    else if (facet === 'genre') genres.push(tagLabel(t));
    else if (facet === 'artist') artists.push(capitalise(tagLabel(t)));
    else if (facet === 'era') eras.push(tagLabel(t));
    else others.push(tagLabel(t));
  }
  let phrase = [...moods, ...others, ...genres].join(' ');
  if (artists.length > 0)
    phrase = phrase === '' ? `songs by ${artists.join(' and ')}` : `${phrase} by ${artists.join(' and ')}`;
  if (eras.length > 0)
    phrase = phrase === '' ? `songs from the ${eras.join(' and ')}` : `${phrase} from the ${eras.join(' and ')}`;
  return phrase === '' ? 'this' : phrase;
}
