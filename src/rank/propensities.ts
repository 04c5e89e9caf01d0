/**
 * The propensities of one shown list, estimated only when first read.
 *
 * The probability p that the ranker's policy (a posterior draw of every tag
 * weight in the pool, then a diverse top `count`) shows an item cannot be
 * written down: tag noise is shared between items, and the caps couple them.
 * It is estimated from fresh independent draws of the same policy, made after
 * the list shown, and reported so that 1/propensity is an unbiased estimate
 * of 1/p — what inverse-propensity estimators (IPS, SNIPS, DR) need: they
 * divide by the propensity, and an unbiased p itself would not do, since
 * E[1/p̂] ≠ 1/p.
 *
 * The draws follow one stopping rule per shown item, with B = `patience`:
 * - an item that appears {@link PROPENSITY_HITS} times within B draws stops
 *   at its r-th appearance, draw T: inverse binomial sampling (Haldane 1945),
 *   1/propensity = T / r;
 * - an item that has appeared s times, 1 ≤ s < r, after B draws stops there:
 *   1/propensity = (B + 1) / (s + 1);
 * - an item not seen in B draws stops at its first appearance, draw T:
 *   1/propensity = T.
 * Each value is the expected draw of the item's first appearance given where
 * it stopped (every sequence of appearances that stops at the same place is
 * equally likely whatever p is, and the s appearances among B draws are
 * placed uniformly: the first is at (B + 1)/(s + 1) on average). That draw,
 * a geometric variable, has mean 1/p, so each value does too (Rao–Blackwell).
 *
 * Without the second and third rules (B ≥ `samples`) this is plain inverse
 * binomial sampling, whose relative standard deviation of 1/propensity is
 * √((1 − p)/r) ≤ 50% but whose cost is r/p draws: an item shown 0.3% of the
 * time costs about 1,300 draws, and the rare requests that show one are the
 * slow tail of a read. With B, a rarely shown item costs about B + 1/p draws
 * instead, at a relative standard deviation up to 100% for items with p well
 * below r/B; items with p above about 2r/B are unaffected.
 *
 * The draws stop at `samples`: an item still waiting then reports
 * (s + 1)/(samples + 1) if it was seen (the second rule, at `samples`), or
 * 1/samples if not. Only that last value is biased (1/propensity too low by
 * a share (1 − p)^samples: 5% at p = 3/samples, 0.7% at 5/samples).
 *
 * Those draws are most of what a list costs, and most callers never log a
 * propensity, so they run on the first read of any of the list's
 * propensities and are kept for the others. They continue the request's own
 * random stream, which nothing else draws from after the shown list: whenever
 * they run, they are the draws an eager estimate would have made, and the
 * values are the same bit for bit.
 */
import type { Rng } from '../random/rng.js';
import type { PoolLists } from './poolLists.js';

/** Appearances of each shown item the propensity draws wait for within the patience (the r of inverse binomial sampling). */
export const PROPENSITY_HITS = 4;

export class ShownPropensities {
  /** 1/propensity per pool position of a shown item, once estimated. */
  private inverse: Float64Array | undefined;
  private draws = 0;

  /**
   * @param lists the request's list policy, after the shown draw
   * @param shown pool positions of the shown list, in list order
   * @param rng the request's stream, right after the shown draw
   * @param samples most fresh draws (`propensitySamples`)
   * @param patience draws after which an item seen at least once stops (`propensityPatience`)
   */
  constructor(
    private readonly lists: PoolLists,
    private readonly shown: readonly number[],
    private readonly rng: Rng,
    private readonly samples: number,
    private readonly patience: number,
  ) {}

  /** The propensity of the `rank`-th shown item (0-based). */
  of(rank: number): number {
    return 1 / this.estimate()[this.shown[rank]!]!;
  }

  /** Fresh draws the estimate took (the same for every item of the list). */
  drawCount(): number {
    this.estimate();
    return this.draws;
  }

  private estimate(): Float64Array {
    if (this.inverse !== undefined) return this.inverse;
    const { lists, rng, samples } = this;
    const size = lists.size;
    const settleAt = Math.min(this.patience, samples);
    const hits = new Int32Array(size);
    const inverse = new Float64Array(size);
    // 1: shown and still drawing
    const waitingAt = new Uint8Array(size);
    for (const p of this.shown) waitingAt[p] = 1;
    const picked = lists.picked;
    let waiting = this.shown.length;
    let draws = 0;
    while (waiting > 0 && draws < samples) {
      const k = lists.draw(rng);
      draws++;
      for (let r = 0; r < k; r++) {
        const p = picked[r]!;
        if (waitingAt[p] === 0) continue;
        const h = ++hits[p]!;
        // within the patience an item waits for its r-th appearance; after it, only unseen ones wait, for their first
        if (h === PROPENSITY_HITS || draws > settleAt) {
          inverse[p] = draws / h;
          waitingAt[p] = 0;
          waiting--;
        }
      }
      if (draws === settleAt) {
        for (const p of this.shown) {
          if (waitingAt[p] === 0 || hits[p] === 0) continue;
          inverse[p] = (settleAt + 1) / (hits[p]! + 1);
          waitingAt[p] = 0;
          waiting--;
        }
      }
    }
    // never seen in `samples` draws
    for (const p of this.shown) if (waitingAt[p] === 1) inverse[p] = samples;
    this.draws = draws;
    this.inverse = inverse;
    return inverse;
  }
}
