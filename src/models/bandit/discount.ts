/**
 * The one place the bandits meet the decay arithmetic: every discounted statistic of an arm is
 * read and written through the {@link Discount} of its bandit's `halfLife`.
 */
import { addDecayed, decayFactor, readDecayed, type DecayedSum } from '../../decay/halfLife.js';

/** Discounting by a half-life in the bandit's clock (steps or ms): evidence of age `a` weighs 2^(−a / halfLife). */
export class Discount {
  /** False when the half-life is infinite: nothing is ever discounted. */
  readonly finite: boolean;

  constructor(private readonly halfLife: number) {
    this.finite = halfLife !== Infinity;
  }

  /** The weight of evidence of age `age` (1 for a non-positive age). */
  factor(age: number): number {
    return decayFactor(age, this.halfLife);
  }

  /** Adds `amount` observed at `at` to `sum`, bringing the sum to `at` when it is later. */
  add(sum: DecayedSum, amount: number, at: number): void {
    addDecayed(sum, amount, at, this.halfLife);
  }

  /** The value of `sum` at `now` (a read never mutates). */
  read(sum: DecayedSum, now: number): number {
    return readDecayed(sum, now, this.halfLife);
  }
}
