/**
 * Decay: the one holder of a half-life and of the rule that ages evidence.
 *
 * Evidence of age `a` weighs 2^(−a / halfLife). Decayed statistics are kept
 * at a reference time `t` and rescaled lazily when touched (never by a
 * sweep); a read never mutates, so a statistic is a pure function of the
 * evidence applied to it. Every part that ages something — a person's
 * records and taste, popularity, a bandit's arms, the Redis scripts — holds
 * a `Decay` built from the options and asks it; none of them knows the
 * half-life or the rule.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Values below this are flushed to zero so decades of decay never reach denormals. */
export const DECAY_FLOOR = 1e-250;

/**
 * A person's own clock: the wall time of their latest event and their own
 * time at it. A person's evidence ages on their own time, which runs with
 * the wall clock while they are active and stands still while they are
 * away (see {@link Decay.personTime}).
 */
export interface PersonClock {
  /** Wall time (ms) of the person's latest event; −Infinity before any. */
  wall: number;
  /** The person's own time at that event. */
  active: number;
}

/** A clock before any event. */
export function newClock(): PersonClock {
  return { wall: -Infinity, active: -Infinity };
}

/** A decayed sum kept at a reference time `t`. */
export interface DecayedSum {
  value: number;
  t: number;
}

export class Decay {
  /** No decay at all (an infinite half-life). */
  static readonly none = new Decay(Infinity);

  /**
   * @param halfLife the half-life in the unit of the times it will be given
   *   (milliseconds for the recommender; steps or ms for a bandit); Infinity: no decay.
   */
  /**
   * @param halfLife the half-life in the unit of the times it will be given
   *   (milliseconds for the recommender; steps or ms for a bandit); Infinity: no decay.
   * @param counted the longest pause between two of a person's events that
   *   counts in their own time (see {@link personTime}); Infinity: every pause counts.
   */
  constructor(
    readonly halfLife: number,
    readonly counted = Infinity,
  ) {}

  /** A decay whose half-life and counted pause are given in days, for times in milliseconds. */
  static ofDays(days: number, countedDays = Infinity): Decay {
    return days === Infinity && countedDays === Infinity ? Decay.none : new Decay(days * DAY_MS, countedDays * DAY_MS);
  }

  /**
   * The person's own time at wall time `at`: absence is not forgetting.
   * After their latest event it stands still — reading a person a year
   * later reads their taste as they left it — and an event after a pause
   * is placed at most {@link counted} after the latest, so a year away ages
   * their evidence no more than a day of listening would, while newer
   * evidence still outweighs older evidence of the same person. An event
   * older than the latest (arriving late) is placed its full wall-clock
   * distance before it: older evidence is never made younger.
   */
  personTime(clock: PersonClock, at: number): number {
    if (clock.wall === -Infinity) return at;
    return at >= clock.wall ? clock.active + Math.min(at - clock.wall, this.counted) : clock.active - (clock.wall - at);
  }

  /**
   * The person's own time now, for reading their evidence: the time an event
   * given now would have, so a pause ages what they told us by at most
   * {@link counted}, whether they come back or are only read.
   */
  personNow(clock: PersonClock, at: number): number {
    return this.personTime(clock, at);
  }

  /** Places an event at wall time `at` on the person's clock, moving the clock when it is the latest; returns its person time. */
  observe(clock: PersonClock, at: number): number {
    const t = this.personTime(clock, at);
    if (at > clock.wall) {
      clock.wall = at;
      clock.active = t;
    }
    return t;
  }

  /** Whether evidence ever fades. */
  get fades(): boolean {
    return this.halfLife !== Infinity;
  }

  /**
   * The weight of evidence of age `age`: 2^(−age / halfLife), flushed to 0
   * below {@link DECAY_FLOOR}. A non-positive age gives 1 (evidence never
   * grows); an infinite half-life gives 1.
   */
  factor(age: number): number {
    if (!(age > 0) || this.halfLife === Infinity) return 1;
    const f = Math.pow(2, -age / this.halfLife);
    return f < DECAY_FLOOR ? 0 : f;
  }

  /** Adds `amount` observed at `at` to `sum` (mutates): rescaled to `at` when later, discounted to `sum.t` when earlier. */
  add(sum: DecayedSum, amount: number, at: number): void {
    if (at >= sum.t) {
      sum.value = flush(sum.value * this.factor(at - sum.t)) + amount;
      sum.t = at;
    } else {
      sum.value += amount * this.factor(sum.t - at);
    }
  }

  /** The value of `sum` at `now` (a read never mutates). */
  read(sum: DecayedSum, now: number): number {
    return flush(sum.value * this.factor(now - sum.t));
  }

  /**
   * Brings a statistic kept at reference time `holder.t` to an observation at
   * `at`, and returns the factor to weigh the new observation by: when `at`
   * is later, the statistic is rescaled to `at` (through `rescale`) and the
   * factor is 1; when earlier, the factor discounts the observation to the
   * statistic's time.
   */
  bring<T extends { t: number }>(holder: T, at: number, rescale: (holder: T, factor: number) => void): number {
    if (at > holder.t) {
      rescale(holder, this.factor(at - holder.t));
      holder.t = at;
      return 1;
    }
    return this.factor(holder.t - at);
  }

  /**
   * The same rule in Lua, for scripts that age sums inside Redis: a
   * function `decay(age)` with this half-life and floor, so the server and
   * this process age a sum identically.
   */
  lua(): string {
    const body =
      this.halfLife === Infinity
        ? 'return 1'
        : `if not (age > 0) then return 1 end
  local f = 2 ^ (-age / ${String(this.halfLife)})
  if f < ${String(DECAY_FLOOR)} then return 0 end
  return f`;
    return `local function decay(age)\n  ${body}\nend`;
  }
}

function flush(v: number): number {
  return Math.abs(v) < DECAY_FLOOR ? 0 : v;
}
