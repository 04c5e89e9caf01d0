/**
 * A person's evidence about one item: decayed sums per learning signal, plus
 * what reasons and profiles must quote (when it was first and last given,
 * the latest thumb, whether an implicit signal is still inside the quoting
 * delay). One record per (person, item) — a song played 10,000 times holds
 * one record — and a plain object, so that any store can hold it.
 *
 * Sums are kept at a reference time `t` and rescaled lazily with the
 * half-life (see decay/halfLife): the value of a sum at `now` is
 * `sum · 2^(−(now − t)/halfLife)`, the same for every sum of the record, so
 * the records of a person add up exactly to the person's per-tag statistics.
 */
import type { Decay } from '../decay/decay.js';
import { LEARNING_SIGNALS, SIGNALS, type LearningSignal } from '../feedback/signals.js';
import type { Signal } from '../types.js';

export { LEARNING_SIGNALS, type LearningSignal } from '../feedback/signals.js';

/** Decayed importance (strength × weight) per learning signal, at the record's reference time. */
export type SignalSums = Record<LearningSignal, number>;

/** One (person, item) record. */
export interface ItemEvidence extends SignalSums {
  /** Reference time of the sums, in the person's own time (see Decay.personTime); −Infinity until the first learning signal. */
  t: number;
  /** The wall time (ms) at `t`: when the event that set it happened. Popularity ages the record's part from it. */
  wt: number;
  /** Events received on this item (every signal, `tired` included). */
  count: number;
  first: number;
  last: number;
  /** The latest thumb: 1 up, −1 down, 0 none. */
  thumb: -1 | 0 | 1;
  /** When the latest thumb was given (NaN when none). */
  thumbAt: number;
  /**
   * When the latest thumbs-up given off any station was given, on the person's own record (NaN when
   * none, and always on a station's); −Infinity when not known (a record written before attune kept
   * it, which may hold one). Removing a station brings the thumb back to it (the down given off any
   * station is the person's ban).
   */
  upAt: number;
  /** Earliest implicit learning signal (`play`, `skip`, `purchase`); Infinity when none. */
  implicitSince: number;
  /** Whether the record is part of the person's taste and the shared statistics (consent). */
  learned: boolean;
  /** Per context feature, [positive, negative] importance at `t` (only when contexts were given). */
  ctx: Record<string, [number, number]> | undefined;
}

export function newItemEvidence(at: number): ItemEvidence {
  return {
    t: -Infinity,
    wt: -Infinity,
    ...zeroSums(),
    count: 0,
    first: at,
    last: at,
    thumb: 0,
    thumbAt: Number.NaN,
    upAt: Number.NaN,
    implicitSince: Infinity,
    learned: false,
    ctx: undefined,
  };
}

function zeroSums(): SignalSums {
  return Object.fromEntries(LEARNING_SIGNALS.map((s) => [s, 0])) as SignalSums;
}

const POSITIVE = LEARNING_SIGNALS.filter((s) => SIGNALS[s].label === 1);
const NEGATIVE = LEARNING_SIGNALS.filter((s) => SIGNALS[s].label === 0);

/** Positive importance (the signals labelled 1: up, play, purchase) at the record's reference time. */
export function positiveOf(e: Readonly<SignalSums>): number {
  let x = 0;
  for (const s of POSITIVE) x += e[s];
  return x;
}

/** Negative importance (the signals labelled 0: down, skip) at the record's reference time. */
export function negativeOf(e: Readonly<SignalSums>): number {
  let x = 0;
  for (const s of NEGATIVE) x += e[s];
  return x;
}

/** Rescales every sum of `e` by `factor` (decay to a new reference time, or a life-stage fade). */
export function scaleEvidence(e: ItemEvidence, factor: number): void {
  if (factor === 1) return;
  for (const s of LEARNING_SIGNALS) e[s] *= factor;
  if (e.ctx !== undefined) {
    for (const pair of Object.values(e.ctx)) {
      pair[0] *= factor;
      pair[1] *= factor;
    }
  }
}

/**
 * Records one event on the record: given at wall time `at`, which is `t` in
 * the person's own time. Returns the importance added to the sums,
 * discounted to the record's reference time when it arrived late (0 for
 * `tired`).
 */
export function recordSignal(
  e: ItemEvidence,
  signal: Signal,
  importance: number,
  at: number,
  t: number,
  contexts: readonly string[],
  decay: Decay,
): number {
  e.count++;
  e.first = Math.min(e.first, at);
  e.last = Math.max(e.last, at);
  if (signal === 'up' || signal === 'down') {
    // The latest thumb wins; at the same instant a down wins, whatever the arrival order.
    if (!(at <= e.thumbAt) || (at === e.thumbAt && signal === 'down')) {
      e.thumb = signal === 'up' ? 1 : -1;
      e.thumbAt = at;
    }
  }
  const semantics = SIGNALS[signal];
  if (semantics.label === null) return 0;
  if (!semantics.explicit) e.implicitSince = Math.min(e.implicitSince, at);
  if (t > e.t) e.wt = at;
  const amount = importance * decay.bring(e, t, scaleEvidence);
  e[signal as LearningSignal] += amount;
  if (contexts.length > 0) {
    e.ctx ??= {};
    for (const c of contexts) {
      const pair = (e.ctx[c] ??= [0, 0]);
      pair[semantics.label === 1 ? 0 : 1] += amount;
    }
  }
  return amount;
}

/**
 * The record's `upAt` after a thumbs-up given off any station at `at`.
 * When the time was not known (an older record), it is known from now on
 * only if no event on the record came after this one.
 */
export function withOffStationUp(e: Readonly<ItemEvidence>, at: number): number {
  if (e.upAt === -Infinity) return at >= e.last ? at : -Infinity;
  return at > e.upAt || Number.isNaN(e.upAt) ? at : e.upAt;
}

/** Decay factor that brings the record's sums from its reference time to `now`. */
export function evidenceDecay(e: ItemEvidence, now: number, decay: Decay): number {
  return decay.factor(now - e.t);
}

/**
 * Whether the record may be quoted in a reason at `now`: a thumb is quoted
 * at once, implicit evidence only once its oldest signal is older than the
 * quoting delay (a reason like "because you bought socks 2 minutes ago" is
 * creepy).
 */
export function isQuotable(e: ItemEvidence, now: number, quoteDelayMs: number): boolean {
  return e.thumb !== 0 || now - e.implicitSince >= quoteDelayMs;
}
