/**
 * Popularity across everyone: a decayed Beta–Bernoulli posterior per item.
 * Positive signals add to α, negative ones to β, each weighed by its
 * importance and decayed by the half-life. Used for guests, opted-out
 * users, cold starts, and as a small prior for everyone else.
 */
import { decayFactor } from '../../decay/halfLife.js';

/** Prior pseudo-counts: an unknown item is assumed to please one time in four. */
export const POPULARITY_PRIOR_ALPHA = 1;
export const POPULARITY_PRIOR_BETA = 3;

export class PopularityModel {
  private readonly pos: number[] = [];
  private readonly neg: number[] = [];
  private readonly t: number[] = [];

  constructor(private readonly halfLifeMs: number) {}

  /** Grows the arrays to `itemCount` items. */
  resize(itemCount: number): void {
    while (this.pos.length < itemCount) {
      this.pos.push(0);
      this.neg.push(0);
      this.t.push(-Infinity);
    }
  }

  /** Adds evidence for `item` observed at `at`: label 1 to α, label 0 to β. */
  add(item: number, label: 0 | 1, importance: number, at: number): void {
    const t = this.t[item]!;
    if (at > t) {
      const f = decayFactor(at - t, this.halfLifeMs);
      this.pos[item] = this.pos[item]! * f;
      this.neg[item] = this.neg[item]! * f;
      this.t[item] = at;
    }
    const c = importance * decayFactor(this.t[item]! - at, this.halfLifeMs);
    if (label === 1) this.pos[item] = this.pos[item]! + c;
    else this.neg[item] = this.neg[item]! + c;
  }

  /** Decayed positive and negative evidence of `item` at `now`. */
  counts(item: number, now: number): { positive: number; negative: number } {
    const f = decayFactor(now - this.t[item]!, this.halfLifeMs);
    return { positive: this.pos[item]! * f, negative: this.neg[item]! * f };
  }

  /**
   * Score on the log-odds scale relative to the prior:
   * logit(E[θ]) − logit(prior mean), so an unknown item scores 0, a liked one
   * more, a disliked one less. No allocation.
   */
  logOddsLift(item: number, now: number): number {
    const f = decayFactor(now - this.t[item]!, this.halfLifeMs);
    const a = POPULARITY_PRIOR_ALPHA + this.pos[item]! * f;
    const b = POPULARITY_PRIOR_BETA + this.neg[item]! * f;
    return Math.log(a / b) - Math.log(POPULARITY_PRIOR_ALPHA / POPULARITY_PRIOR_BETA);
  }
}
