/**
 * One request's ranking. Every score is a sum of named contributions:
 *
 *   score = content + context + collaborative + popularity + exploration
 *
 * `content` and `context` come from the user's taste (tag weights and
 * tag × context weights), `collaborative` from matrix factorisation,
 * `popularity` from the shared Beta model (weighted down as the user's own
 * evidence grows), and `exploration` is the Thompson-sampling draw's
 * deviation from the posterior mean.
 *
 * Policy: (1) a deterministic candidate pool — the best `poolSize` eligible
 * items by an upper bound mean + 3·scale·sd, found by selecting the threshold;
 * (2) one posterior draw of every tag weight in the pool, summed per item;
 * (3) diversity-aware selection of the top `count`.
 *
 * Propensity: estimated by fresh draws of steps (2)–(3), and only when the
 * caller reads it (see `propensities.ts`).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Contributions } from '../types.js';

export type { Contributions } from '../types.js';
import type { Rng } from '../random/rng.js';
import type { DiversityRules } from './diversity.js';
import { PoolLists } from './poolLists.js';
import { ShownPropensities } from './propensities.js';
import { bestAscending, TopK } from '../kernels/topk.js';

export { PROPENSITY_HITS } from './propensities.js';

/** Per-request inputs, dense over the tag vocabulary and the catalog. */
export interface RankInput {
  catalog: Catalog;
  /** Eligible items (guardrails already applied): 1 = may be shown. */
  eligible: Uint8Array;
  /** Posterior mean of each tag's own weight. */
  tagMean: Float64Array;
  /** Sum over the request's context features of the tag × context mean. */
  contextMean: Float64Array;
  /** Posterior variance of each tag's (own + context) weight. */
  tagVariance: Float64Array;
  /** Raw collaborative score per item, or undefined. */
  collaborative: Float64Array | undefined;
  /** Scale of the collaborative scores in this request. */
  collaborativeWeight: number;
  /** Raw popularity lift per item. */
  popularity: Float64Array;
  /** Scale of the popularity lift in this request. */
  popularityWeight: number;
  count: number;
  poolSize: number;
  /** Scale of exploration noise (0 = none). */
  exploration: number;
  /** Most fresh draws made for the propensities of one list (see the file comment). */
  propensitySamples: number;
  /** Draws after which a shown item seen at least once stops (see `propensities.ts`). */
  propensityPatience: number;
  rules: DiversityRules;
  rng: Rng;
  /**
   * A station's anchor: at least `minimum` of every list (each draw, and
   * so the propensities too) from the `marked` items — those sharing a tag
   * with a seed — whenever enough of them are eligible; the best marked
   * items always reach the candidate pool.
   */
  anchor?: Anchor;
  /**
   * The only items this request scores (ascending catalog indices), when approximate retrieval
   * proposed them (see `retrieval/retrieval.ts`); `eligible`, `collaborative` and `popularity` are
   * then read at these items only. Undefined: every item.
   */
  candidates?: Int32Array;
  /**
   * The most picks of a list (each draw, and so the propensities too) that
   * the posterior means alone would not make — exploration; with an anchor,
   * those picks come from its marked items only. Undefined: no limit.
   */
  maxExplored?: number;
}

/** Items a list must mostly come from, and how many at least. */
export interface Anchor {
  marked: Uint8Array;
  minimum: number;
}

export interface RankedItem {
  item: number;
  score: number;
  contributions: Contributions;
  explored: boolean;
  /**
   * Estimated probability that this policy shows the item in this request, in (0, 1], from fresh
   * draws of the policy so that 1 / propensity is an unbiased estimate of 1 / P(shown) (inverse
   * binomial sampling with a patience, see `propensities.ts`). 1 when exploration is off. Computed
   * on first read.
   */
  readonly propensity: number;
  /** Fresh draws the propensity took (0 when exploration is off). Computed on first read. */
  readonly propensityDraws: number;
  /** The exploration draw per tag of this item (same order as the item's tags). */
  noise: Float64Array;
}

/**
 * The best `capacity` of `items[0..offered)` (ascending indices) by `keys`, ties to the lower
 * index, in ascending order, through a TopK; with `only`, among the items marked 1 in it.
 */
function heapBest(
  items: Int32Array,
  offered: number,
  keys: Float64Array,
  capacity: number,
  only?: Uint8Array,
): Int32Array {
  const heap = new TopK(capacity);
  for (let j = 0; j < offered; j++) {
    const i = items[j]!;
    if ((only === undefined || only[i] === 1) && !heap.rejects(keys[i]!)) heap.push(i, keys[i]!);
  }
  return heap.indicesAscending();
}

export class Ranker {
  private scratchMean = new Float64Array(0);
  /** Scratch: each eligible item's pool key, its index, and room for the threshold's selection. */
  private scratchKey = new Float64Array(0);
  private scratchSelect = new Float64Array(0);
  private scratchItems = new Int32Array(0);
  private tagScore = new Float64Array(0);
  /** Scratch for {@link PoolLists}: −1 for every catalog tag between requests. */
  private localTag = new Int32Array(0);
  /** Scratch: the shown draw's noise by catalog tag (see rank). */
  private shownNoise = new Float64Array(0);

  constructor(private readonly catalog: Catalog) {}

  rank(input: RankInput): RankedItem[] {
    const { catalog } = this;
    const n = catalog.size;
    if (this.scratchMean.length < n) {
      this.scratchMean = new Float64Array(Math.max(n, this.scratchMean.length * 2));
      this.scratchKey = new Float64Array(this.scratchMean.length);
      this.scratchSelect = new Float64Array(this.scratchMean.length);
      this.scratchItems = new Int32Array(this.scratchMean.length);
    }
    const mean = this.scratchMean;
    const keys = this.scratchKey;
    const items = this.scratchItems;
    const poolSize = Math.min(n, Math.max(input.poolSize, 4 * input.count));
    const anchor = input.anchor;
    const explore = input.exploration > 0;
    const spread = 3 * input.exploration;
    const popWeight = input.popularityWeight;
    const popularity = input.popularity;
    const collab = input.collaborative;
    const collabWeight = collab === undefined ? 0 : input.collaborativeWeight;
    const eligible = input.eligible;
    const { indptr, indices } = catalog.csr();
    // Each tag's own and context weight summed once, so the item loop reads one array.
    if (this.tagScore.length < catalog.tagCount)
      this.tagScore = new Float64Array(Math.max(catalog.tagCount, this.tagScore.length * 2));
    const tagScore = this.tagScore;
    for (let t = 0; t < catalog.tagCount; t++) tagScore[t] = input.tagMean[t]! + input.contextMean[t]!;
    const tagVariance = input.tagVariance;
    const candidates = input.candidates;
    const scored = candidates === undefined ? n : candidates.length;
    // Every eligible item's mean and pool key (mean + spread · sd), in ascending index order.
    let offered = 0;
    for (let c = 0; c < scored; c++) {
      const i = candidates === undefined ? c : candidates[c]!;
      if (eligible[i] === 0) continue;
      let m = popWeight * popularity[i]!;
      if (collab !== undefined) m += collabWeight * collab[i]!;
      let v = 0;
      const end = indptr[i + 1]!;
      for (let p = indptr[i]!; p < end; p++) {
        const t = indices[p]!;
        m += tagScore[t]!;
        v += tagVariance[t]!;
      }
      mean[i] = m;
      keys[i] = m + spread * (explore ? Math.sqrt(v) : 0);
      items[offered++] = i;
    }
    // The pool: the best `poolSize` keys, ties to the lower index, in catalog order (so ties between
    // equal scores go to the lower index later too); with an anchor, also the best marked items.
    const top =
      bestAscending(items, offered, keys, poolSize, this.scratchSelect) ?? heapBest(items, offered, keys, poolSize);
    const pool =
      anchor === undefined
        ? top
        : union(top, heapBest(items, offered, keys, Math.min(n, 4 * input.count), anchor.marked));
    if (pool.length === 0) return [];
    const count = Math.min(input.count, pool.length);
    if (this.localTag.length < catalog.tagCount) {
      this.localTag = new Int32Array(Math.max(catalog.tagCount, this.localTag.length * 2)).fill(-1);
    }
    // The lists this request can draw: noise for the pool's tags only, each with its own scale.
    const lists = new PoolLists(
      catalog,
      pool,
      mean,
      (t) => input.exploration * Math.sqrt(input.tagVariance[t]!),
      count,
      input.rules,
      anchor === undefined ? undefined : { marked: anchor.marked, minimum: Math.min(anchor.minimum, count) },
      this.localTag,
      input.maxExplored,
    );
    const picked = lists.picked;
    // the list shown
    const shownCount = lists.draw(input.rng);
    const actual = Array.from(picked.subarray(0, shownCount));
    // The shown draw's noise by catalog tag: written for every tag of the pool, and only those are read.
    if (this.shownNoise.length < catalog.tagCount)
      this.shownNoise = new Float64Array(Math.max(catalog.tagCount, this.shownNoise.length * 2));
    const actualNoise = this.shownNoise;
    for (let j = 0; j < lists.tags.length; j++) actualNoise[lists.tags[j]!] = lists.noise[j]!;
    // The list the posterior means alone would give: what is not in it was explored.
    const kMean = lists.chooseByMean();
    const meanList = picked.slice(0, kMean);
    // Drawn on first read, from the stream right after the shown list.
    const propensities = explore
      ? new ShownPropensities(lists, actual, input.rng, input.propensitySamples, input.propensityPatience)
      : undefined;

    return actual.map((p, rank) => {
      const item = pool[p]!;
      const tags = catalog.itemTags[item]!;
      const noise = new Float64Array(tags.length);
      let content = 0;
      let context = 0;
      let exploration = 0;
      for (let j = 0; j < tags.length; j++) {
        const t = tags[j]!;
        content += input.tagMean[t]!;
        context += input.contextMean[t]!;
        noise[j] = actualNoise[t]!;
        exploration += actualNoise[t]!;
      }
      const contributions: Contributions = {
        content,
        context,
        collaborative: input.collaborativeWeight * (input.collaborative?.[item] ?? 0),
        popularity: input.popularityWeight * input.popularity[item]!,
        exploration,
      };
      const score =
        contributions.content +
        contributions.context +
        contributions.collaborative +
        contributions.popularity +
        contributions.exploration;
      return new Ranked(item, score, contributions, !meanList.includes(p), noise, propensities, rank);
    });
  }
}

/** A {@link RankedItem} whose propensity is estimated when first read (with its list's others). */
class Ranked implements RankedItem {
  constructor(
    readonly item: number,
    readonly score: number,
    readonly contributions: Contributions,
    readonly explored: boolean,
    readonly noise: Float64Array,
    private readonly propensities: ShownPropensities | undefined,
    private readonly rank: number,
  ) {}

  get propensity(): number {
    return this.propensities === undefined ? 1 : this.propensities.of(this.rank);
  }

  get propensityDraws(): number {
    return this.propensities === undefined ? 0 : this.propensities.drawCount();
  }
}

/** The sorted union of two ascending index lists. */
function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) i++;
    if (y <= x) j++;
    out[n++] = Math.min(x, y);
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}
