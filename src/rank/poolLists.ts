/**
 * The lists one request can draw from its candidate pool: each draw samples
 * the exploration noise of every tag in the pool (one normal per tag, shared
 * by the items that carry it), adds it to each item's posterior mean, and
 * selects a diverse top `count` (see `diversity.ts`). A request makes one such
 * draw for the list it shows and then, for the propensities, as many more as
 * the rarest shown item needs (often hundreds; see `ranker.ts`), so a draw is
 * kept tight: the pool's items and tags are renumbered densely (position p,
 * local tag j), their tags and caps are laid out once per request, and a draw
 * touches only those arrays.
 *
 * Relabelling changes nothing a draw produces: normals are drawn for the
 * pool's tags in ascending catalog order, each item sums its noise in its own
 * tag order, and the selection depends on which tags items share, not on
 * their numbers — the lists, and so the propensities, are those of the
 * catalog-indexed draw this replaced, bit for bit.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Rng } from '../random/rng.js';
import { DiverseSelector, type DiversityRules, type Quota } from './diversity.js';
import { LazyOrder } from './lazyOrder.js';

export class PoolLists {
  /** Catalog index of the tag at each local index, ascending. */
  readonly tags: Int32Array;
  /** Positions of the list the last draw (or {@link chooseByMean}) selected, best first. */
  readonly picked: Int32Array;
  /** The noise of each local tag in the last draw. */
  readonly noise: Float64Array;
  private readonly tagSd: Float64Array;
  private readonly mean: Float64Array;
  /** Local tags of position p: tagList[tagStart[p] .. tagStart[p + 1]). */
  private readonly tagStart: Int32Array;
  private readonly tagList: Int32Array;
  private readonly drawn: Float64Array;
  private readonly positions: Int32Array;
  private readonly selector: DiverseSelector;
  private readonly rules: DiversityRules;
  private readonly quota: Quota | undefined;
  private readonly lazy = new LazyOrder();
  /** With a limit on exploration: 1 for the positions of the list the means alone select. */
  private readonly inMean: Uint8Array | undefined;

  /**
   * @param pool catalog indices of the candidates, ascending
   * @param mean posterior mean score per catalog index
   * @param tagSdOf noise scale of a catalog tag (0: no noise, no draw)
   * @param localOf scratch over every catalog tag, all −1; left all −1
   * @param maxExplored most picks of a draw outside the list the means select (see {@link draw})
   */
  constructor(
    catalog: Catalog,
    pool: Int32Array,
    mean: Float64Array,
    tagSdOf: (tag: number) => number,
    private readonly count: number,
    rules: DiversityRules,
    anchor: Quota | undefined,
    localOf: Int32Array,
    private readonly maxExplored?: number,
  ) {
    const { indptr, indices } = catalog.csr();
    const n = pool.length;
    const found: number[] = [];
    let total = 0;
    for (let p = 0; p < n; p++) {
      const i = pool[p]!;
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
        const t = indices[q]!;
        if (localOf[t] === -1) {
          localOf[t] = 0;
          found.push(t);
        }
        total++;
      }
    }
    this.tags = Int32Array.from(found).sort();
    const tagCount = this.tags.length;
    this.tagSd = new Float64Array(tagCount);
    const caps = new Float64Array(tagCount);
    for (let j = 0; j < tagCount; j++) {
      const t = this.tags[j]!;
      localOf[t] = j;
      this.tagSd[j] = tagSdOf(t);
      caps[j] = rules.capOf(t);
    }
    this.noise = new Float64Array(tagCount);
    this.tagStart = new Int32Array(n + 1);
    this.tagList = new Int32Array(total);
    this.mean = new Float64Array(n);
    this.positions = new Int32Array(n);
    let at = 0;
    for (let p = 0; p < n; p++) {
      const i = pool[p]!;
      this.tagStart[p] = at;
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) this.tagList[at++] = localOf[indices[q]!]!;
      this.mean[p] = mean[i]!;
      this.positions[p] = p;
    }
    this.tagStart[n] = at;
    this.rules = { capOf: (j) => caps[j]!, caps, mmrLambda: rules.mmrLambda };
    this.quota =
      anchor === undefined
        ? undefined
        : { marked: Uint8Array.from(pool, (i) => anchor.marked[i]!), minimum: anchor.minimum };
    for (let j = 0; j < tagCount; j++) localOf[this.tags[j]!] = -1;
    this.drawn = new Float64Array(n);
    this.selector = new DiverseSelector({ start: this.tagStart, tags: this.tagList });
    this.picked = new Int32Array(count);
    if (maxExplored !== undefined) {
      this.inMean = new Uint8Array(n);
      const k = this.chooseByMean();
      for (let r = 0; r < k; r++) this.inMean[this.picked[r]!] = 1;
    }
  }

  /** Positions in the pool. */
  get size(): number {
    return this.drawn.length;
  }

  /** One draw: fresh noise per tag, then the list it selects into {@link picked}; returns its length. */
  draw(rng: Rng): number {
    const { noise, tagSd, mean, drawn, tagStart, tagList } = this;
    for (let j = 0; j < noise.length; j++) noise[j] = tagSd[j]! === 0 ? 0 : tagSd[j]! * rng.normal();
    for (let p = 0; p < drawn.length; p++) {
      let s = mean[p]!;
      const end = tagStart[p + 1]!;
      for (let q = tagStart[p]!; q < end; q++) s += noise[tagList[q]!]!;
      drawn[p] = s;
    }
    const k = this.choose(drawn);
    return this.inMean === undefined ? k : this.limitExplored(k);
  }

  /**
   * Keeps a draw within `maxExplored` picks outside the means' list, and
   * (with an anchor) those picks marked: the picks beyond the limit, last
   * first, lose their place (their drawn score becomes −∞) and the list is
   * selected again, until it holds. When a pick that lost its place comes
   * back (the caps leave no other way to fill the list), the exploring
   * picks kept so far lose theirs too, so that the means' own picks (a
   * list within the caps) can come in. A function of the draw's noise
   * alone, so propensities estimated over draws stay those of the lists
   * shown.
   */
  private limitExplored(k: number): number {
    const { inMean, picked, drawn, quota } = this;
    const most = this.maxExplored!;
    for (;;) {
      let explored = 0;
      let changed = false;
      let back = false;
      for (let r = 0; r < k; r++) {
        const p = picked[r]!;
        if (inMean![p] === 1) continue;
        const far = quota !== undefined && quota.marked[p] === 0;
        if (!far) explored++;
        if (!far && explored <= most) continue;
        if (drawn[p] === -Infinity) back = true;
        else {
          drawn[p] = -Infinity;
          changed = true;
        }
      }
      if (!changed && back) {
        for (let r = 0; r < k; r++) {
          const p = picked[r]!;
          if (inMean![p] === 0 && drawn[p] !== -Infinity) {
            drawn[p] = -Infinity;
            changed = true;
          }
        }
      }
      if (!changed) return k;
      k = this.choose(drawn);
    }
  }

  /** The list the posterior means alone select, into {@link picked}; returns its length. */
  chooseByMean(): number {
    return this.choose(this.mean);
  }

  private choose(scores: Float64Array): number {
    const n = scores.length;
    const tagCount = this.tags.length;
    if (this.rules.mmrLambda < 1) {
      const order = Array.from({ length: n }, (_, p) => p).sort((a, b) => scores[b]! - scores[a]! || a - b);
      return this.selector.select(
        order,
        this.positions,
        this.count,
        this.rules,
        tagCount,
        this.picked,
        scores,
        this.quota,
      );
    }
    // candidates looked at lazily, best first (no full sort)
    this.lazy.reset(scores, n);
    return this.selector.selectLazy(
      this.lazy,
      this.positions,
      this.count,
      this.rules,
      tagCount,
      this.picked,
      this.quota,
    );
  }
}
