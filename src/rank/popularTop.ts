/**
 * The most popular items, kept per popularity version, so that a guest's
 * list (or an opted-out person's: popularity only, no exploration) scores a
 * few hundred items instead of the whole catalog — with the same result.
 *
 * A guest's candidate pool is the best `pool` eligible items by popularity
 * lift at the request's time (ties to the lower index; see the ranker). The
 * order kept is the best `KEPT_PER_POOL × pool` items by lift at the time
 * it was taken, t0, and the lift of the best item left out, τ. A lift only
 * moves toward 0 as time goes on — lift = log((α + P·f)/(β + N·f)) −
 * log(α/β) is monotone in the decay factor f, its sign fixed by β·P − α·N —
 * so at any later time every item left out lifts at most max(τ, 0). When at
 * least `pool` kept items that the request may show lift more than that,
 * the pool is among the kept items, and ranking them alone gives the list
 * the full scan gives. Otherwise (many kept items excluded or held, a
 * request dated before t0, a new popularity version) the order is taken
 * again at the request's time, and if that still cannot decide, the request
 * scans everything.
 */
import { TopK } from '../kernels/topk.js';

/** Kept items per pool item: room for exclusions, holds and the drift of lifts over time. */
export const KEPT_PER_POOL = 3;

/** What the order reads of popularity. */
export interface LiftSource {
  logOddsLift(item: number, now: number): number;
}

export interface PopularCandidates {
  /** The items to rank (ascending catalog indices). */
  items: Int32Array;
  /** Their eligibility, as `judge` gave it. */
  eligible: Uint8Array;
}

export class PopularTop {
  /** Best first, as of `t0`. */
  private order = new Int32Array(0);
  /** The lift at t0 of the best item left out (−Infinity: none left out). */
  private left = -Infinity;
  private version = -1;
  private size = -1;
  private t0 = Infinity;
  private capacity = 0;
  /** Requests served from the kept order, and those that scanned (for tests and benchmarks). */
  served = 0;
  scanned = 0;
  /** False: every request scans (the path the kept order must agree with). */
  enabled = true;

  /**
   * Items that hold the best `pool` eligible items by lift at `now`, and their eligibility
   * (`judge(items)`), or undefined when the request must score every item.
   */
  propose(
    popularity: LiftSource,
    version: number,
    size: number,
    now: number,
    pool: number,
    judge: (items: Int32Array) => Uint8Array,
  ): PopularCandidates | undefined {
    const keep = Math.min(size, KEPT_PER_POOL * pool);
    if (!this.enabled || keep >= size) return this.scan();
    const fresh = version === this.version && size === this.size && keep <= this.capacity && now >= this.t0;
    if (fresh) {
      const found = this.decide(popularity, now, pool, judge);
      if (found !== undefined || now === this.t0) return found ?? this.scan();
    }
    this.take(popularity, version, size, now, keep);
    return this.decide(popularity, now, pool, judge) ?? this.scan();
  }

  private scan(): undefined {
    this.scanned++;
    return undefined;
  }

  /** Takes the order again at `now`: one pass over the catalog. */
  private take(popularity: LiftSource, version: number, size: number, now: number, keep: number): void {
    const top = new TopK(keep + 1);
    for (let i = 0; i < size; i++) {
      const lift = popularity.logOddsLift(i, now);
      if (!top.rejects(lift)) top.push(i, lift);
    }
    const best = top.sorted();
    const last = best.length > keep ? best.pop()! : undefined;
    this.order = Int32Array.from(best);
    this.left = last === undefined ? -Infinity : popularity.logOddsLift(last, now);
    this.version = version;
    this.size = size;
    this.t0 = now;
    this.capacity = keep;
  }

  private decide(
    popularity: LiftSource,
    now: number,
    pool: number,
    judge: (items: Int32Array) => Uint8Array,
  ): PopularCandidates | undefined {
    const items = this.order.slice().sort();
    const eligible = judge(items);
    if (this.left !== -Infinity) {
      // What any item left out can lift at `now` (at t0: what it did), with room for rounding.
      const bound = now === this.t0 ? this.left : Math.max(this.left, 0);
      const above = bound + 1e-12 * (1 + Math.abs(bound));
      let sure = 0;
      for (let c = 0; c < items.length && sure < pool; c++) {
        const i = items[c]!;
        if (eligible[i] === 1 && popularity.logOddsLift(i, now) > above) sure++;
      }
      if (sure < pool) return undefined;
    }
    this.served++;
    return { items, eligible };
  }
}
