/**
 * Half-life arithmetic shared by every decayed statistic in attune.
 *
 * An event's weight is 2^(−age / halfLife). Statistics are stored at a
 * reference time and rescaled lazily when touched; reads never mutate, so a
 * statistic is a pure function of the events applied to it.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Values below this are flushed to zero so decades of decay never reach denormals. */
export const DECAY_FLOOR = 1e-250;

/**
 * The factor by which evidence of age `ageMs` is weighed: 2^(−age / halfLife).
 * A non-positive age gives 1 (evidence never grows); an infinite half-life gives 1.
 */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  if (!(ageMs > 0) || halfLifeMs === Infinity) return 1;
  const f = Math.pow(2, -ageMs / halfLifeMs);
  return f < DECAY_FLOOR ? 0 : f;
}

/** Converts a half-life given in days into milliseconds (Infinity stays Infinity). */
export function halfLifeDaysToMs(days: number): number {
  return days === Infinity ? Infinity : days * DAY_MS;
}

/**
 * A decayed sum kept at a reference time `t`. Adding evidence at `at`:
 * if `at` is later than `t`, the stored value is rescaled to `at` first;
 * if earlier, the new evidence is discounted to `t` instead.
 */
export interface DecayedSum {
  value: number;
  t: number;
}

/** Adds `amount` of evidence observed at `at` to `sum` (mutates). */
export function addDecayed(sum: DecayedSum, amount: number, at: number, halfLifeMs: number): void {
  if (at >= sum.t) {
    sum.value = flush(sum.value * decayFactor(at - sum.t, halfLifeMs)) + amount;
    sum.t = at;
  } else {
    sum.value += amount * decayFactor(sum.t - at, halfLifeMs);
  }
}

/** The value of `sum` read at time `now` (a read never mutates). */
export function readDecayed(sum: DecayedSum, now: number, halfLifeMs: number): number {
  return flush(sum.value * decayFactor(now - sum.t, halfLifeMs));
}

function flush(v: number): number {
  return Math.abs(v) < DECAY_FLOOR ? 0 : v;
}

/**
 * Brings a statistic kept at reference time `holder.t` to an observation at
 * `at`, and returns how much of `amount` to add to it: when `at` is later,
 * the statistic is rescaled to `at` (through `rescale`) and `amount` is added
 * whole; when earlier, `amount` is discounted to the statistic's time.
 */
export function addDecayedAt<T extends { t: number }>(
  holder: T,
  amount: number,
  at: number,
  halfLifeMs: number,
  rescale: (holder: T, factor: number) => void,
): number {
  if (at > holder.t) {
    rescale(holder, decayFactor(at - holder.t, halfLifeMs));
    holder.t = at;
    return amount;
  }
  return amount * decayFactor(holder.t - at, halfLifeMs);
}
