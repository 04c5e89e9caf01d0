/**
 * Diversity-aware list selection: walk candidates best first and accept one
 * unless it would break a cap — at most `facetCaps[facet]` items sharing one
 * value of that facet (one artist twice), and no tag filling more than
 * `maxTagShare` of the list. If the caps leave the list short, a second pass
 * fills it in score order, so a list is never shorter than it can be.
 */
export interface DiversityRules {
  /** Cap per tag index (Infinity where uncapped), precomputed for the list length. */
  capOf: (tag: number) => number;
  /**
   * Maximal marginal relevance (Carbonell & Goldstein 1998): when below 1,
   * each pick maximises λ·score − (1 − λ)·max Jaccard(tags, already picked).
   * 1 (the default) is plain score order.
   */
  mmrLambda: number;
}

/** At least `minimum` picks from the `marked` items (by catalog index), when there are enough. */
export interface Quota {
  marked: Uint8Array;
  minimum: number;
}

export class DiverseSelector {
  private counts = new Int32Array(0);

  constructor(private readonly itemTags: readonly Int32Array[]) {}

  /**
   * Selects up to `count` of `order` (candidate positions sorted best first;
   * `items[pos]` is the catalog index). Writes positions into `out`, returns how many.
   */
  select(
    order: ArrayLike<number>,
    items: ArrayLike<number>,
    count: number,
    rules: DiversityRules,
    tagCount: number,
    out: Int32Array,
    scores?: ArrayLike<number>,
    quota?: Quota,
  ): number {
    if (rules.mmrLambda < 1 && scores !== undefined)
      return this.selectMmr(order, items, count, rules, tagCount, out, scores, quota);
    let r = 0;
    return this.selectLazy(() => (r < order.length ? order[r++]! : -1), items, count, rules, tagCount, out, quota);
  }

  /**
   * {@link select} over a lazy best-first order (`next()` gives positions, −1
   * when done): the same result as selecting from the fully sorted order,
   * looking only at as many candidates as the caps need. With a `quota`,
   * an unmarked candidate is passed over once the places left are all
   * needed for marked ones; when the caps and the quota conflict, the
   * quota wins (a station stays near its seeds).
   */
  selectLazy(
    next: () => number,
    items: ArrayLike<number>,
    count: number,
    rules: DiversityRules,
    tagCount: number,
    out: Int32Array,
    quota?: Quota,
  ): number {
    if (this.counts.length < tagCount) this.counts = new Int32Array(Math.max(tagCount, this.counts.length * 2));
    const counts = this.counts;
    const skipped: number[] = [];
    let n = 0;
    let pos = 0;
    let need = quota?.minimum ?? 0;
    const marked = (p: number) => quota !== undefined && quota.marked[items[p]!] === 1;
    while (n < count && (pos = next()) >= 0) {
      if (need > 0 && count - n <= need && !marked(pos)) {
        skipped.push(pos);
        continue;
      }
      const tags = this.itemTags[items[pos]!]!;
      let ok = true;
      for (const t of tags) {
        if (counts[t]! + 1 > rules.capOf(t)) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        skipped.push(pos);
        continue;
      }
      for (const t of tags) counts[t] = counts[t]! + 1;
      if (marked(pos)) need--;
      out[n++] = pos;
    }
    // Short of the caps or the quota: fill in score order, marked candidates first while the quota needs them.
    const deferred: number[] = [];
    for (const p of skipped) {
      if (n >= count) break;
      if (need > 0 && count - n <= need && !marked(p)) {
        deferred.push(p);
        continue;
      }
      if (marked(p)) need--;
      out[n++] = p;
    }
    for (let r = 0; r < deferred.length && n < count; r++) out[n++] = deferred[r]!;
    while (n < count && (pos = next()) >= 0) out[n++] = pos;
    for (let i = 0; i < n; i++) for (const t of this.itemTags[items[out[i]!]!]!) counts[t] = 0;
    return n;
  }

  /**
   * Greedy MMR under the same caps. O(count × candidates × tags). Scores are
   * rescaled to [0, 1] over the candidates first, so that λ trades relevance
   * against similarity (also in [0, 1]) whatever the scale of the scores.
   */
  private selectMmr(
    order: ArrayLike<number>,
    items: ArrayLike<number>,
    count: number,
    rules: DiversityRules,
    tagCount: number,
    out: Int32Array,
    scores: ArrayLike<number>,
    quota?: Quota,
  ): number {
    const lambda = rules.mmrLambda;
    const remaining = Array.from(order);
    let lo = Infinity;
    let hi = -Infinity;
    for (const pos of remaining) {
      lo = Math.min(lo, scores[pos]!);
      hi = Math.max(hi, scores[pos]!);
    }
    const range = hi > lo ? hi - lo : 1;
    const chosen: number[] = [];
    const reordered: number[] = [];
    while (reordered.length < Math.min(count, remaining.length + reordered.length) && remaining.length > 0) {
      let best = -1;
      let bestValue = -Infinity;
      for (let r = 0; r < remaining.length; r++) {
        const pos = remaining[r]!;
        const tags = this.itemTags[items[pos]!]!;
        let maxSim = 0;
        for (const c of chosen) maxSim = Math.max(maxSim, jaccard(tags, this.itemTags[c]!));
        const value = (lambda * (scores[pos]! - lo)) / range - (1 - lambda) * maxSim;
        if (value > bestValue) {
          bestValue = value;
          best = r;
        }
      }
      const pos = remaining.splice(best, 1)[0]!;
      chosen.push(items[pos]!);
      reordered.push(pos);
    }
    return this.select(
      [...reordered, ...remaining],
      items,
      count,
      { ...rules, mmrLambda: 1 },
      tagCount,
      out,
      undefined,
      quota,
    );
  }
}

function jaccard(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.includes(x)) shared++;
  return shared / (a.length + b.length - shared);
}
