/**
 * Popularity across everyone: a decayed Beta–Bernoulli posterior per item.
 * Positive signals add to α, negative ones to β, each weighed by its
 * importance and decayed by the half-life. Used for guests, opted-out
 * users, cold starts, and as a small prior for everyone else.
 *
 * The statistics are sums of the people's per-item records: a person's part
 * can be taken out at once (`remove`), and `rebuild` recomputes every sum
 * from the records in a fixed order, so that after an erasure the result is
 * exactly what it would have been had the person never existed.
 */
import type { Decay } from '../../decay/decay.js';

/** Prior pseudo-counts: an unknown item is assumed to please one time in four. */
export const POPULARITY_PRIOR_ALPHA = 1;
export const POPULARITY_PRIOR_BETA = 3;

/** JSON of the per-item sums: [item, positive, negative, t, records]. */
export type PopularityJson = [number, number, number, number, number][];

/** One person's learned record as popularity sees it: its contribution at time `t`. */
export interface PopularityRecord {
  item: number;
  positive: number;
  negative: number;
  t: number;
}

/**
 * Popularity sums recomputed from records in two passes: every record's time
 * first (each item's sums are kept at its latest time), then the decayed
 * sums. Each pass may be fed in pieces, so a rebuild can run in slices.
 */
export class PopularitySums {
  readonly pos: number[];
  readonly neg: number[];
  readonly t: number[];
  readonly n: number[];

  constructor(
    itemCount: number,
    private readonly decay: Decay,
  ) {
    this.pos = new Array<number>(itemCount).fill(0);
    this.neg = new Array<number>(itemCount).fill(0);
    this.t = new Array<number>(itemCount).fill(-Infinity);
    this.n = new Array<number>(itemCount).fill(0);
  }

  /** Pass 1: the latest time of each item. */
  addTimes(records: Iterable<PopularityRecord>): void {
    for (const r of records) if (r.t > this.t[r.item]!) this.t[r.item] = r.t;
  }

  /** Pass 2 (after every record's time): the sums, decayed to each item's latest time. */
  addSums(records: Iterable<PopularityRecord>): void {
    for (const r of records) {
      const f = this.decay.factor(this.t[r.item]! - r.t);
      this.pos[r.item] = this.pos[r.item]! + r.positive * f;
      this.neg[r.item] = this.neg[r.item]! + r.negative * f;
      this.n[r.item] = this.n[r.item]! + 1;
    }
  }
}

export class PopularityModel {
  private pos: number[] = [];
  private neg: number[] = [];
  private t: number[] = [];
  /** Records contributing to each item (an item with none is exactly the prior). */
  private n: number[] = [];

  /** Items changed since {@link track} (undefined: not tracking). */
  private changed: Set<number> | undefined;

  constructor(private readonly decay: Decay) {}

  /** Grows the arrays to `itemCount` items. */
  resize(itemCount: number): void {
    while (this.pos.length < itemCount) {
      this.pos.push(0);
      this.neg.push(0);
      this.t.push(-Infinity);
      this.n.push(0);
    }
  }

  private bring(item: number, at: number): number {
    const t = this.t[item]!;
    if (at > t) {
      const f = this.decay.factor(at - t);
      this.pos[item] = this.pos[item]! * f;
      this.neg[item] = this.neg[item]! * f;
      this.t[item] = at;
      return 1;
    }
    return this.decay.factor(t - at);
  }

  /**
   * Adds positive and negative importance for `item` observed at `at`;
   * `newRecord` when a person's record starts contributing.
   */
  add(item: number, positive: number, negative: number, at: number, newRecord: boolean): void {
    this.changed?.add(item);
    const f = this.bring(item, at);
    this.pos[item] = this.pos[item]! + positive * f;
    this.neg[item] = this.neg[item]! + negative * f;
    if (newRecord) this.n[item] = this.n[item]! + 1;
  }

  /** Takes one person's whole record (sums at `t`) out of `item`. */
  remove(item: number, positive: number, negative: number, t: number): void {
    this.changed?.add(item);
    const left = this.n[item]! - 1;
    if (left <= 0) {
      this.pos[item] = 0;
      this.neg[item] = 0;
      this.t[item] = -Infinity;
      this.n[item] = 0;
      return;
    }
    const f = this.bring(item, t);
    this.pos[item] = Math.max(0, this.pos[item]! - positive * f);
    this.neg[item] = Math.max(0, this.neg[item]! - negative * f);
    this.n[item] = left;
  }

  /**
   * Recomputes every sum from `records` (item, positive, negative, t), in
   * the order given: two recommenders with the same records in the same order
   * get bit-identical statistics, whatever history led to them.
   */
  rebuild(itemCount: number, records: Iterable<PopularityRecord>): void {
    const list = [...records];
    const sums = new PopularitySums(itemCount, this.decay);
    sums.addTimes(list);
    sums.addSums(list);
    this.pos = sums.pos;
    this.neg = sums.neg;
    this.t = sums.t;
    this.n = sums.n;
  }

  /** Empty sums over `itemCount` items with this model's half-life, for a rebuild in slices. */
  emptySums(itemCount: number): PopularitySums {
    return new PopularitySums(itemCount, this.decay);
  }

  /**
   * Starts collecting the items whose sums change (by {@link add} or
   * {@link remove}) while a rebuild runs in slices; {@link adopt} ends it.
   */
  track(): void {
    this.changed = new Set();
  }

  /** Stops collecting changed items without installing anything (a rebuild in slices was given up). */
  stopTracking(): void {
    this.changed = undefined;
  }

  /**
   * Installs the sums of a rebuild that ran in slices since {@link track}
   * for every item nothing changed meanwhile; an item that changed keeps its
   * incrementally kept sums (equal up to rounding: the rebuild may have read
   * its records before or after the change). With no change meanwhile the
   * result is bit for bit {@link rebuild} on the same records in the same order.
   */
  adopt(sums: PopularitySums): { kept: number } {
    const changed = this.changed ?? new Set<number>();
    this.changed = undefined;
    const size = Math.min(sums.pos.length, this.pos.length);
    for (let i = 0; i < size; i++) {
      if (changed.has(i)) continue;
      this.pos[i] = sums.pos[i]!;
      this.neg[i] = sums.neg[i]!;
      this.t[i] = sums.t[i]!;
      this.n[i] = sums.n[i]!;
    }
    return { kept: changed.size };
  }

  /** Decayed positive and negative evidence of `item` at `now`. */
  counts(item: number, now: number): { positive: number; negative: number } {
    const f = this.decay.factor(now - this.t[item]!);
    return { positive: this.pos[item]! * f, negative: this.neg[item]! * f };
  }

  /** Whether anyone's evidence touches `item`. */
  touched(item: number): boolean {
    return this.n[item]! > 0;
  }

  /**
   * Score on the log-odds scale relative to the prior:
   * logit(E[θ]) − logit(prior mean), so an unknown item scores 0, a liked one
   * more, a disliked one less. No allocation.
   */
  logOddsLift(item: number, now: number): number {
    if (this.n[item] === 0) return 0;
    const f = this.decay.factor(now - this.t[item]!);
    const a = POPULARITY_PRIOR_ALPHA + this.pos[item]! * f;
    const b = POPULARITY_PRIOR_BETA + this.neg[item]! * f;
    return Math.log(a / b) - Math.log(POPULARITY_PRIOR_ALPHA / POPULARITY_PRIOR_BETA);
  }

  toJSON(): PopularityJson {
    const out: PopularityJson = [];
    for (let i = 0; i < this.pos.length; i++)
      if (this.n[i]! > 0) out.push([i, this.pos[i]!, this.neg[i]!, this.t[i]!, this.n[i]!]);
    return out;
  }

  /** Restores sums written by {@link toJSON} (validated by the caller). */
  load(itemCount: number, json: PopularityJson): void {
    this.rebuild(itemCount, []);
    for (const [item, pos, neg, t, n] of json) {
      this.pos[item] = pos;
      this.neg[item] = neg;
      this.t[item] = t;
      this.n[item] = n;
    }
  }
}
