/**
 * The tags of each list of an {@link IvfIndex}, summarised so that a query
 * can bound, per list and in time proportional to the summary, what content,
 * context and the exploration bonus can add to any one item of the list.
 *
 * A request's score adds, for every tag of an item, s_t (its content and
 * context mean) and, for exploration, 3·scale·√(Σ v_t) over the item's
 * tags. An item carries at most `mult` tags of one facet (`artist`, `genre`,
 * …; usually one), so within a list no item can get more from a facet than
 * mult × the best s_t among that facet's tags there: summed over the list's
 * facets, an upper bound on the item's tag part, and likewise for the
 * variance. The index orders lists by these bounds added to the
 * collaborative score of their centroids, so a list that holds a favourite
 * artist is scanned early even when its centroid is not among the nearest.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { IvfIndex } from './ivf.js';
import { ROWS_PER_YIELD } from './kmeans.js';
import type { Steps } from '../../kernels/steps.js';

export class ListTags {
  private constructor(
    /** Groups of list l: groupStart[l] .. groupStart[l + 1]. */
    private readonly groupStart: Int32Array,
    /** Tags of group g: tags[tagStart[g] .. tagStart[g + 1]). */
    private readonly tagStart: Int32Array,
    private readonly tags: Int32Array,
    /** The most tags of the group's facet any one item of the list carries. */
    private readonly mult: Int32Array,
  ) {}

  /** Bytes held. */
  get bytes(): number {
    return this.groupStart.byteLength + this.tagStart.byteLength + this.tags.byteLength + this.mult.byteLength;
  }

  /** Summarises the tags of every list of `index` (items are the catalog's, tags as they are now). */
  static *build(catalog: Catalog, index: IvfIndex): Steps<ListTags> {
    const facetIds = new Map<string, number>();
    const facetOf = Int32Array.from(catalog.tagFacets, (facet) => {
      let id = facetIds.get(facet);
      if (id === undefined) facetIds.set(facet, (id = facetIds.size));
      return id;
    });
    const tagSeen = new Int32Array(catalog.tagCount).fill(-1);
    const facetSeen = new Int32Array(facetIds.size).fill(-1);
    const facetMult = new Int32Array(facetIds.size);
    const { indptr, indices } = catalog.csr();
    const groupStart = [0];
    const tagStart = [0];
    const tags: number[] = [];
    const mult: number[] = [];
    let visited = 0;
    for (let l = 0; l < index.lists; l++) {
      const listTags: number[] = [];
      const members = index.members(l);
      for (let j = 0; j < members.length; j++) {
        const i = members[j]!;
        const end = indptr[i + 1]!;
        for (let p = indptr[i]!; p < end; p++) {
          const t = indices[p]!;
          const f = facetOf[t]!;
          let inItem = 0;
          for (let q = indptr[i]!; q < end; q++) if (facetOf[indices[q]!] === f) inItem++;
          if (facetSeen[f] !== l) {
            facetSeen[f] = l;
            facetMult[f] = 0;
          }
          if (inItem > facetMult[f]!) facetMult[f] = inItem;
          if (tagSeen[t] !== l) {
            tagSeen[t] = l;
            listTags.push(t);
          }
        }
        if (++visited % ROWS_PER_YIELD === 0) yield;
      }
      listTags.sort((a, b) => facetOf[a]! - facetOf[b]! || a - b);
      for (let r = 0; r < listTags.length; r++) {
        const t = listTags[r]!;
        tags.push(t);
        const last = r + 1 === listTags.length || facetOf[listTags[r + 1]!] !== facetOf[t];
        if (last) {
          tagStart.push(tags.length);
          mult.push(facetMult[facetOf[t]!]!);
        }
      }
      groupStart.push(mult.length);
    }
    return new ListTags(
      Int32Array.from(groupStart),
      Int32Array.from(tagStart),
      Int32Array.from(tags),
      Int32Array.from(mult),
    );
  }

  /**
   * For each list, the most its tags can add to one item's score: Σ over facets of
   * mult × max(0, best s_t), plus `spread` × √(Σ over facets of mult × the largest v_t).
   */
  boundsInto(tagScore: Float64Array, tagVariance: Float64Array, spread: number, out: Float64Array): void {
    const { groupStart, tagStart, tags, mult } = this;
    const lists = groupStart.length - 1;
    for (let l = 0; l < lists; l++) {
      let score = 0;
      let variance = 0;
      for (let g = groupStart[l]!; g < groupStart[l + 1]!; g++) {
        let best = 0;
        let widest = 0;
        for (let q = tagStart[g]!; q < tagStart[g + 1]!; q++) {
          const t = tags[q]!;
          if (tagScore[t]! > best) best = tagScore[t]!;
          if (tagVariance[t]! > widest) widest = tagVariance[t]!;
        }
        score += mult[g]! * best;
        variance += mult[g]! * widest;
      }
      out[l] = spread > 0 ? score + spread * Math.sqrt(variance) : score;
    }
  }
}
