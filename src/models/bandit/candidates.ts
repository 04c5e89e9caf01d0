/**
 * The eligible arms of one `select` or `rank`, as flat arrays reused across calls: their evidence
 * at the call's time (filled by the bandit's `Evidence`), the scores a policy gives them, and
 * the random stream and share slab the policy draws with.
 */
import type { ArmState } from './arms.js';
import type { BanditRandom } from './random.js';
import { ShareSlab } from './shares.js';

export class Candidates {
  /** How many arms are eligible in this call. */
  m = 0;
  /** The eligible arms, in `[0, m)`; entries past `m` are stale. */
  readonly arms: ArmState[] = [];
  /** Context-free kinds: each arm's discounted count n and reward sum s (0 ≤ s ≤ n) now. */
  n = new Float64Array(16);
  s = new Float64Array(16);
  /** Linear kinds: each arm's mean θ̂ᵀx and standard deviation √(xᵀA⁻¹x) now. */
  mean = new Float64Array(16);
  sd = new Float64Array(16);
  /** The policy's score of each arm. */
  scores = new Float64Array(16);
  /** Per arm: 1 when tied for the top score (after {@link countTies}), or a softmax probability. */
  aux = new Float64Array(16);
  /** The sampled kinds' posterior parameters and lazy propensities. */
  readonly slab = new ShareSlab();

  constructor(readonly random: BanditRandom) {}

  /** Makes room for `count` arms. */
  reserve(count: number): void {
    if (this.scores.length >= count) return;
    const size = Math.max(count, this.scores.length * 2);
    this.n = new Float64Array(size);
    this.s = new Float64Array(size);
    this.mean = new Float64Array(size);
    this.sd = new Float64Array(size);
    this.scores = new Float64Array(size);
    this.aux = new Float64Array(size);
  }

  /** The id of candidate `k`. */
  idAt(k: number): string {
    return (this.arms[k] as ArmState).id;
  }

  /** Marks the arms with the top score in `aux` (1/0) and returns how many there are. */
  countTies(): number {
    const { m, scores, aux } = this;
    let best = -Infinity;
    for (let k = 0; k < m; k++) if ((scores[k] as number) > best) best = scores[k] as number;
    let ties = 0;
    for (let k = 0; k < m; k++) {
      const top = (scores[k] as number) === best ? 1 : 0;
      aux[k] = top;
      ties += top;
    }
    return ties;
  }

  /** One of the `ties` marked arms, uniformly (no draw when there is only one). */
  pickTie(ties: number): number {
    let r = ties > 1 ? this.random.int(ties) : 0;
    for (let k = 0; k < this.m; k++) {
      if (this.aux[k] === 1) {
        if (r === 0) return k;
        r -= 1;
      }
    }
    return 0;
  }
}
