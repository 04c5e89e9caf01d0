/**
 * The propensities of one shown list, estimated only when first read.
 *
 * The probability p that the ranker's policy (a posterior draw of every tag
 * weight in the pool, then a diverse top `count`) shows an item cannot be
 * written down: tag noise is shared between items, and the caps couple them.
 * It is estimated by inverse binomial sampling (Haldane 1945): after the list
 * shown, fresh independent draws of the same policy are made until every
 * shown item has appeared {@link PROPENSITY_HITS} more times; for an item that
 * took N draws, `propensity` = hits / N. The number of draws to the r-th
 * success has mean r/p, so 1/propensity is an unbiased estimate of 1/p —
 * exactly what inverse-propensity estimators (IPS, SNIPS, DR) need (they
 * divide by the propensity; an unbiased p itself would not do, since
 * E[1/p̂] ≠ 1/p). It has no floor: an item shown 0.3% of the time costs about
 * 1,300 draws when it is shown, which is rare. The draws stop at `samples`;
 * an item not yet seen `hits` times by then reports max(seen, 1) / samples,
 * biased (too high) only for items whose p is below about 2·hits / samples
 * (p < 8e-4 at the default 10,000). Relative standard deviation of
 * 1/propensity: √((1 − p) / hits) ≤ 50%.
 *
 * Those draws are most of what a list costs (hundreds of them at the median
 * request), and most callers never log a propensity, so they run on the
 * first read of any of the list's propensities and are kept for the others.
 * They continue the request's own random stream, which nothing else draws
 * from after the shown list: whenever they run, they are the draws an eager
 * estimate would have made, and the values are the same bit for bit.
 */
import type { Rng } from '../random/rng.js';
import type { PoolLists } from './poolLists.js';

/** Appearances of each shown item the propensity draws wait for (the r of inverse binomial sampling). */
export const PROPENSITY_HITS = 4;

export class ShownPropensities {
  private hits: Int32Array | undefined;
  private drawsTaken = new Int32Array(0);
  private draws = 0;

  /**
   * @param lists the request's list policy, after the shown draw
   * @param shown pool positions of the shown list, in list order
   * @param rng the request's stream, right after the shown draw
   * @param samples most fresh draws (`propensitySamples`)
   */
  constructor(
    private readonly lists: PoolLists,
    private readonly shown: readonly number[],
    private readonly rng: Rng,
    private readonly samples: number,
  ) {}

  /** The propensity of the `rank`-th shown item (0-based). */
  of(rank: number): number {
    const hits = this.estimate();
    const p = this.shown[rank]!;
    if (hits[p] === PROPENSITY_HITS) return PROPENSITY_HITS / this.drawsTaken[p]!;
    return Math.min(1, Math.max(hits[p]!, 1) / this.draws);
  }

  /** Fresh draws the estimate took (the same for every item of the list). */
  drawCount(): number {
    this.estimate();
    return this.draws;
  }

  private estimate(): Int32Array {
    if (this.hits !== undefined) return this.hits;
    const { lists, rng } = this;
    const size = lists.size;
    const hits = new Int32Array(size);
    const drawsTaken = new Int32Array(size);
    const shown = new Uint8Array(size);
    for (const p of this.shown) shown[p] = 1;
    const picked = lists.picked;
    let waiting = this.shown.length;
    let draws = 0;
    while (waiting > 0 && draws < this.samples) {
      const k = lists.draw(rng);
      draws++;
      for (let r = 0; r < k; r++) {
        const p = picked[r]!;
        if (shown[p] === 1 && hits[p]! < PROPENSITY_HITS) {
          hits[p]!++;
          if (hits[p] === PROPENSITY_HITS) {
            drawsTaken[p] = draws;
            waiting--;
          }
        }
      }
    }
    this.drawsTaken = drawsTaken;
    this.draws = draws;
    this.hits = hits;
    return hits;
  }
}
