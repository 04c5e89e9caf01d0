/**
 * The one place the bandits meet the decay arithmetic: every discounted statistic of an arm is
 * read and written through the {@link Discount} of its bandit's `halfLife`.
 */
import { addDecayed, decayFactor, readDecayed, type DecayedSum } from '../../decay/halfLife.js';

/** Discounting by a half-life: evidence of age `a` weighs 2^(−a / halfLife). */
export interface Discount {
  /** False when the half-life is infinite: nothing is ever discounted. */
  readonly finite: boolean;
  /** The weight of evidence of age `age` (1 for a non-positive age). */
  factor(age: number): number;
  /** Adds `amount` observed at `at` to `sum`, bringing the sum to `at` when it is later. */
  add(sum: DecayedSum, amount: number, at: number): void;
  /** The value of `sum` at `now` (a read never mutates). */
  read(sum: DecayedSum, now: number): number;
}

/** The discount of a half-life in the bandit's clock (steps or ms); Infinity keeps all evidence. */
export function discountOf(halfLife: number): Discount {
  return {
    finite: halfLife !== Infinity,
    factor: (age) => decayFactor(age, halfLife),
    add: (sum, amount, at) => addDecayed(sum, amount, at, halfLife),
    read: (sum, now) => readDecayed(sum, now, halfLife),
  };
}
