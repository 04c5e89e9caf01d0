/**
 * Diversity-aware list selection: walk candidates best first and accept one
 * unless it would break a cap — at most `facetCaps[facet]` items sharing one
 * value of that facet (one artist twice), and no tag filling more than
 * `maxTagShare` of the list. If the caps leave the list short, a second pass
 * fills it in score order, so a list is never shorter than it can be.
 */
import { LazyOrder } from './lazyOrder.js';

export interface DiversityRules {
  /** Cap per tag index (Infinity where uncapped), precomputed for the list length. */
  capOf: (tag: number) => number;
  /** The same caps as an array over every tag index, when the maker has one (read instead of calling capOf). */
  caps?: Float64Array;
  /**
   * Maximal marginal relevance (Carbonell & Goldstein 1998): when below 1,
   * each pick maximises λ·score − (1 − λ)·max Jaccard(tags, already picked).
   * 1 (the default) is plain score order.
   */
  mmrLambda: number;
}

/** At least `minimum` picks from the `marked` items (indexed like `items[pos]`), when there are enough. */
export interface Quota {
  marked: Uint8Array;
  minimum: number;
}

/**
 * Each item's tags, row by row: item i's are `tags[start[i] .. start[i + 1])` (a request lays its
 * pool out once this way, where an array a row was an object to make per item and per request).
 */
export interface TagRows {
  start: Int32Array;
  tags: Int32Array;
}

/** {@link TagRows} from one list of tags per item. */
export function tagRows(lists: readonly ArrayLike<number>[]): TagRows {
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i]! + lists[i]!.length;
  const tags = new Int32Array(start[lists.length]!);
  for (let i = 0; i < lists.length; i++) tags.set(lists[i]!, start[i]!);
  return { start, tags };
}

/** Candidate positions best first. */
export interface Candidates {
  /** The next best position, or −1 when there is none. */
  next(): number;
}

/** A fully sorted order as {@link Candidates}. */
class SortedCandidates implements Candidates {
  private r = 0;

  constructor(private readonly order: ArrayLike<number>) {}

  next(): number {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end the order reads undefined, and undefined >= 0 ends the walk as -1 does
    return this.r < this.order.length ? this.order[this.r++]! : -1;
  }
}

/**
 * Candidates passed over in a row, for a cap, before a {@link LazyOrder} drops every remaining
 * candidate that carries a tag already at its cap: a run this long says the list has filled a share
 * that much of the pool carries (a favourite genre), and one pass over the heap then costs less than
 * popping the rest one by one.
 */
const DROP_AFTER = 8;

export class DiverseSelector {
  private counts = new Int32Array(0);
  /** 1 for a tag at its cap (set only while a lazy selection runs). */
  private saturated = new Uint8Array(0);
  private caps = new Float64Array(0);
  private capsOf: DiversityRules | undefined;
  private skipped = new Int32Array(0);
  private deferred = new Int32Array(0);

  constructor(private readonly rows: TagRows) {}

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
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: MMR at λ = 1 ranks by score alone, which is the order given; every caller with λ < 1 passes scores
    if (rules.mmrLambda < 1 && scores !== undefined)
      return this.selectMmr(order, items, count, rules, tagCount, out, scores, quota);
    return this.selectLazy(new SortedCandidates(order), items, count, rules, tagCount, out, quota);
  }

  /**
   * {@link select} over a lazy best-first order (`candidates.next()` gives positions, −1 when done):
   * the same result as selecting from the fully sorted order, looking only at as many candidates as
   * the caps need. With a `quota`, an unmarked candidate is passed over once the places left are all
   * needed for marked ones; when the caps and the quota conflict, the caps win (a station near its
   * seeds, but never one artist's songs over the artist cap), and only a list the caps cannot fill
   * takes marked candidates first.
   *
   * From a {@link LazyOrder}, once {@link DROP_AFTER} candidates in a row were passed over for a cap,
   * every remaining candidate with a tag at its cap is dropped at once: counts only grow while the
   * list fills, so each of them would be passed over too, and the list is the same.
   */
  selectLazy(
    candidates: Candidates,
    items: ArrayLike<number>,
    count: number,
    rules: DiversityRules,
    tagCount: number,
    out: Int32Array,
    quota?: Quota,
  ): number {
    // Buffers: any length from tagCount up serves (they are zero between calls), so growing more or less often is equivalent.
    // Stryker disable next-line EqualityOperator: a buffer of exactly tagCount is large enough; a new one is zero too
    if (this.counts.length < tagCount) {
      // Stryker disable next-line ArithmeticOperator: the max with tagCount keeps it large enough
      this.counts = new Int32Array(Math.max(tagCount, this.counts.length * 2));
      this.saturated = new Uint8Array(this.counts.length);
    }
    // Stryker disable next-line EqualityOperator: a buffer of exactly items.length is large enough
    if (this.skipped.length < items.length) {
      // Stryker disable next-line ArithmeticOperator: the max with items.length keeps it large enough
      this.skipped = new Int32Array(Math.max(items.length, this.skipped.length * 2));
      this.deferred = new Int32Array(this.skipped.length);
    }
    const counts = this.counts;
    const saturated = this.saturated;
    const { start, tags } = this.rows;
    const caps = this.capsFor(rules, tagCount);
    const lazy = candidates instanceof LazyOrder ? candidates : undefined;
    const skipped = this.skipped;
    let skippedCount = 0;
    let n = 0;
    let pos = 0;
    let need = quota?.minimum ?? 0;
    const marked = quota?.marked;
    let capped = 0; // passed over for a cap in a row
    // When a LazyOrder drops capped candidates changes how many it pops, never the list (see selectLazy's
    // doc; test: "selectLazy from a LazyOrder … gives what select gives"): the marks below say so.
    // Stryker disable next-line BooleanLiteral: an early first drop drops only candidates a cap would pass over
    let newlyFull = false; // a tag reached its cap since the last drop
    while (n < count && (pos = candidates.next()) >= 0) {
      const item = items[pos]!;
      const isMarked = marked !== undefined && marked[item] === 1;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with need 0, count − n ≤ 0 never holds inside the loop
      if (need > 0 && count - n <= need && !isMarked) {
        skipped[skippedCount++] = pos;
        continue;
      }
      const first = start[item]!;
      const end = start[item + 1]!;
      let ok = true;
      for (let j = first; j < end; j++) {
        const t = tags[j]!;
        if (counts[t]! + 1 > caps[t]!) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        skipped[skippedCount++] = pos;
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,UpdateOperator,BlockStatement: when to drop (perf only, see above)
        if (++capped >= DROP_AFTER && newlyFull && lazy !== undefined) {
          lazy.dropTagged(items, this.rows, saturated);
          capped = 0;
          // Stryker disable next-line BooleanLiteral: perf only, see above
          newlyFull = false;
        }
        continue;
      }
      capped = 0;
      for (let j = first; j < end; j++) {
        const t = tags[j]!;
        const c = counts[t]! + 1;
        counts[t] = c;
        // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: which tags are full only steers the drop (perf only, see above)
        if (c >= caps[t]!) {
          saturated[t] = 1;
          // Stryker disable next-line BooleanLiteral: perf only, see above
          newlyFull = true;
        }
      }
      if (isMarked) need--;
      out[n++] = pos;
    }
    // Short with a quota: every marked candidate within the caps is in, so the caps win — what the
    // quota passed over comes in next, in score order, within the caps.
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: the pass adds nothing when the list is full, nor without a quota (what a cap passed over still breaks it: counts only grow)
    if (n < count && quota !== undefined) {
      let kept = 0;
      for (let r = 0; r < skippedCount; r++) {
        const p = skipped[r]!;
        if (n < count && this.fits(items[p]!, caps)) {
          this.take(items[p]!, caps);
          out[n++] = p;
        } else skipped[kept++] = p;
      }
      skippedCount = kept;
    }
    // Short of the caps or the quota: every candidate was looked at. Fill in score order from those
    // passed over, marked ones first while the quota needs them; what was dropped was passed over
    // too, so the order starts over from both.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with the list full the fill below takes nothing, in either order
    const reordered = n < count && lazy !== undefined && lazy.hasDropped();
    if (reordered) lazy.restartWith(skipped, skippedCount);
    const deferred = this.deferred;
    let deferredCount = 0;
    for (let r = 0; n < count; r++) {
      const p = reordered ? lazy.next() : r < skippedCount ? skipped[r]! : -1;
      if (p < 0) break;
      const isMarked = marked !== undefined && marked[items[p]!] === 1;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with need 0, count − n ≤ 0 never holds inside the loop
      if (need > 0 && count - n <= need && !isMarked) {
        deferred[deferredCount++] = p;
        continue;
      }
      if (isMarked) need--;
      out[n++] = p;
    }
    for (let r = 0; r < deferredCount && n < count; r++) out[n++] = deferred[r]!;
    for (let i = 0; i < n; i++) {
      const item = items[out[i]!]!;
      const end = start[item + 1]!;
      for (let j = start[item]!; j < end; j++) {
        counts[tags[j]!] = 0;
        saturated[tags[j]!] = 0;
      }
    }
    return n;
  }

  /** Whether `item` fits under the caps with the counts so far. */
  private fits(item: number, caps: Float64Array): boolean {
    const { start, tags } = this.rows;
    const end = start[item + 1]!;
    for (let j = start[item]!; j < end; j++) if (this.counts[tags[j]!]! + 1 > caps[tags[j]!]!) return false;
    return true;
  }

  /** Counts `item`'s tags in. */
  private take(item: number, caps: Float64Array): void {
    const { start, tags } = this.rows;
    const end = start[item + 1]!;
    for (let j = start[item]!; j < end; j++) {
      const c = ++this.counts[tags[j]!]!;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: which tags are full only steers the drop (perf only)
      if (c >= caps[tags[j]!]!) this.saturated[tags[j]!] = 1;
    }
  }

  /** The caps of `rules` over tags 0..tagCount−1, as an array (read from the rules, or filled once per rules object). */
  private capsFor(rules: DiversityRules, tagCount: number): Float64Array {
    // The array and capOf hold the same caps (DiversityRules): which one is read, and how often, changes no list.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the same caps from capOf
    if (rules.caps !== undefined && rules.caps.length >= tagCount) return rules.caps;
    // Stryker disable next-line ConditionalExpression: filling again gives the same caps
    if (this.capsOf !== rules || this.caps.length < tagCount) {
      // Stryker disable next-line EqualityOperator,ArithmeticOperator: any length from tagCount up serves
      if (this.caps.length < tagCount) this.caps = new Float64Array(Math.max(tagCount, this.caps.length * 2));
      // Stryker disable next-line EqualityOperator: one past the tags writes nothing that is read
      for (let t = 0; t < tagCount; t++) this.caps[t] = rules.capOf(t);
      this.capsOf = rules;
    }
    return this.caps;
  }

  /** The tags of `item`. */
  private tagsOf(item: number): Int32Array {
    return this.rows.tags.subarray(this.rows.start[item]!, this.rows.start[item + 1]!);
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
    const picks = Math.min(count, remaining.length);
    while (reordered.length < picks) {
      // Stryker disable next-line UnaryOperator: every value is finite, so the first candidate always replaces it
      let best = -1;
      let bestValue = -Infinity;
      for (let r = 0; r < remaining.length; r++) {
        const pos = remaining[r]!;
        const tags = this.tagsOf(items[pos]!);
        let maxSim = 0;
        for (const c of chosen) maxSim = Math.max(maxSim, jaccard(tags, this.tagsOf(c)));
        // Stryker disable next-line ArithmeticOperator: + lo shifts every candidate's value alike (argmax unchanged)
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
  if (a.length + b.length === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.includes(x)) shared++;
  return shared / (a.length + b.length - shared);
}
