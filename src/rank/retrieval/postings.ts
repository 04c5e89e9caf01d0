/**
 * Which indexed items carry each tag (an inverted index, the sparse side of
 * retrieval). The factor index finds items near the person's collaborative
 * vector; the tags a person likes most can point elsewhere — a favourite
 * artist's quieter songs score by their tags more than by their factors —
 * so the items of the person's best-liked specific tags (those on few
 * items, such as an artist; not a genre a tenth of the catalog shares) are
 * proposed as well, the way hybrid search merges a sparse and a dense list.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { ROWS_PER_YIELD } from './kmeans.js';
import type { Steps } from '../../kernels/steps.js';

export class TagPostings {
  private constructor(
    /** Items of tag t: items[start[t] .. start[t + 1]). */
    private readonly start: Int32Array,
    private readonly items: Int32Array,
  ) {}

  /** Bytes held. */
  get bytes(): number {
    return this.start.byteLength + this.items.byteLength;
  }

  /** Number of tags known when built (tags added later carry only items added later). */
  get tagCount(): number {
    return this.start.length - 1;
  }

  /** The postings of items 0..itemCount−1 over the catalog's tags. */
  static *build(catalog: Catalog, itemCount: number): Steps<TagPostings> {
    const { indptr, indices } = catalog.csr();
    const tags = catalog.tagCount;
    const start = new Int32Array(tags + 1);
    const end = indptr[itemCount]!;
    for (let p = 0; p < end; p++) start[indices[p]! + 1]!++;
    for (let t = 0; t < tags; t++) start[t + 1]! += start[t]!;
    const at = start.slice(0, tags);
    const items = new Int32Array(end);
    for (let i = 0; i < itemCount; i++) {
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) items[at[indices[p]!]!++] = i;
      if (i % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) yield;
    }
    return new TagPostings(start, items);
  }

  /** How many indexed items carry tag t. */
  size(t: number): number {
    return t < this.tagCount ? this.start[t + 1]! - this.start[t]! : 0;
  }

  /** The indexed items carrying tag t, ascending (a view). */
  of(t: number): Int32Array {
    return t < this.tagCount ? this.items.subarray(this.start[t]!, this.start[t + 1]!) : this.items.subarray(0, 0);
  }
}
