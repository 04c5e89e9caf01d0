/**
 * Life stages. Each labelled event is scored for surprise — 1 when the
 * person's taste predicted the other side (a skip of a song of a loved tag,
 * a like of a song of a disliked one; for a song they reacted to before,
 * what they did with it counts too, see {@link expectedReaction}), else 0 — and the surprises feed a
 * {@link SessionGlrDetector}: a one-sided Bernoulli GLR over the person's
 * sessions (events closer than LIFE_STAGE_SESSION_GAP_MINUTES), with the
 * likelihood ratio divided by the sessions' over-dispersion. Counting a
 * session's reactions as independent would let one odd list (a guest at the
 * party, a mood) pass for a new life stage; counting sessions keeps the
 * false-alarm rate bounded for sparse, implicit and noisy listeners alike.
 *
 * A detection — surprise rising to at least LIFE_STAGE_MIN_SURPRISE and
 * above what it was, over at least two sessions — is a change of life
 * stage: the caller fades old evidence (see {@link lifeStageKeep}) and
 * explores more for a while.
 *
 * The watch is a plain, serialisable record that a person owns (a station
 * could own one the same way): nothing in it refers to anything else.
 */
import {
  LIFE_STAGE_DETECTOR_DELTA,
  LIFE_STAGE_HISTORY,
  LIFE_STAGE_ITEM_PRIOR,
  LIFE_STAGE_KEEP,
  LIFE_STAGE_KEPT_EVIDENCE,
  LIFE_STAGE_MIN_SURPRISE,
  LIFE_STAGE_SESSION_GAP_MINUTES,
  LIFE_STAGE_WARMUP,
} from '../constants.js';
import { AttuneError } from '../errors.js';
import { SessionGlrDetector } from './changeDetection.js';

/** Per-person (or per-station) state of the life-stage detector. */
export interface LifeStageWatch {
  detector: SessionGlrDetector;
  /** Labelled events observed so far (the detector listens only after a warm-up). */
  learned: number;
  /** Time of the latest labelled event observed (−Infinity before any). */
  lastAt: number;
}

/** A detected or requested change of life stage. */
export interface LifeStageChange {
  at: number;
  cause: 'detected' | 'requested';
  /** How much old evidence was kept (0–1). */
  kept: number;
}

export function newWatch(): LifeStageWatch {
  return {
    detector: new SessionGlrDetector({
      delta: LIFE_STAGE_DETECTOR_DELTA,
      maxSessions: LIFE_STAGE_HISTORY,
      minMean: LIFE_STAGE_MIN_SURPRISE,
    }),
    learned: 0,
    lastAt: -Infinity,
  };
}

/** 1 when the model had predicted the other side of `label`; 0 otherwise (an even prediction surprises no one). */
export function surpriseOf(label: 0 | 1, predicted: number): 0 | 1 {
  return (label === 1 ? predicted < 0.5 : predicted > 0.5) ? 1 : 0;
}

/**
 * What the person was expected to do with an item: the taste's prediction
 * from its tags, moved towards what they did with this very item before
 * (`positive` and `negative` importance, decayed), the prediction counting
 * as LIFE_STAGE_ITEM_PRIOR of importance. The item's own history is the
 * better forecast of a reaction to it: a song skipped before and skipped
 * again is no surprise, even when its tags are loved (a song the
 * recommender keeps offering once the favourites rest); an old favourite
 * now skipped stays one.
 */
export function expectedReaction(predicted: number, positive: number, negative: number): number {
  return (positive + LIFE_STAGE_ITEM_PRIOR * predicted) / (positive + negative + LIFE_STAGE_ITEM_PRIOR);
}

/**
 * Feeds one labelled event given at `at` (the label and the probability the
 * model gave it beforehand). Returns true when the person's taste has changed.
 */
export function observeSurprise(watch: LifeStageWatch, label: 0 | 1, predicted: number, at: number): boolean {
  // The gap is computed here rather than once at load, so that a mutation run can change it per test.
  if (at > watch.lastAt + LIFE_STAGE_SESSION_GAP_MINUTES * 60_000) watch.detector.closeSession();
  watch.lastAt = Math.max(watch.lastAt, at);
  watch.learned++;
  if (watch.learned <= LIFE_STAGE_WARMUP) return false;
  return watch.detector.update(surpriseOf(label, predicted));
}

/**
 * How much of a person's old evidence a detected change keeps:
 * LIFE_STAGE_KEEP, or less when that would leave some tag with more than
 * LIFE_STAGE_KEPT_EVIDENCE of importance. `heaviestTag` is the largest sum
 * of raw (unsaturated) importance of one tag at the time of the change.
 *
 * Why a cap: a tag's weight is a shrunk rate, P/(A + P + N), so a share of
 * a long history (a year of plays of one genre) is still a history, and
 * keeping 5 % of it leaves the old favourite at almost full weight; capped,
 * the old taste stays a hint (weight ≤ κ·1/(A + 1)) that the first new
 * reactions outweigh. Raw importance bounds the saturated contribution from
 * above, so the cap holds for the taste too.
 */
export function lifeStageKeep(heaviestTag: number): number {
  // Stryker disable next-line EqualityOperator: at equality both branches give LIFE_STAGE_KEEP (KEPT / (KEPT / KEEP))
  return heaviestTag > LIFE_STAGE_KEPT_EVIDENCE / LIFE_STAGE_KEEP
    ? LIFE_STAGE_KEPT_EVIDENCE / heaviestTag
    : LIFE_STAGE_KEEP;
}

/** Until when exploration stays raised after the latest change. */
export function exploreBoostUntil(changes: readonly LifeStageChange[], boostMs: number): number {
  let until = -Infinity;
  for (const c of changes) until = Math.max(until, c.at + boostMs);
  return until;
}

/** The JSON form of a watch (`lastAt` null before any event). */
export interface LifeStageWatchJson {
  detector: unknown;
  learned: number;
  lastAt: number | null;
}

export function watchToJSON(w: LifeStageWatch): LifeStageWatchJson {
  return { detector: w.detector.toJSON(), learned: w.learned, lastAt: Number.isFinite(w.lastAt) ? w.lastAt : null };
}

/**
 * Reads a watch. A watch written before session detection (with `recent`,
 * and a per-event detector) keeps its count of events; its detector starts
 * afresh, as after a detection.
 * @throws AttuneError `BAD_SNAPSHOT` on a malformed watch.
 */
export function watchFromJSON(json: unknown, where: string): LifeStageWatch {
  const o = json as Record<string, unknown> | null;
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything but a number, so dropping the typeof test changes nothing
  const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  // Stryker disable next-line ConditionalExpression: a non-object has no whole `learned` either, and is refused by the next test
  if (o === null || typeof o !== 'object' || !whole(o['learned']))
    throw new AttuneError('BAD_SNAPSHOT', `${where}: the life-stage watch is malformed`);
  if (Array.isArray(o['recent'])) return { ...newWatch(), learned: o['learned'] as number };
  const lastAt = o['lastAt'];
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number, so dropping the typeof test changes nothing
  if (!(lastAt === null || (typeof lastAt === 'number' && Number.isFinite(lastAt))))
    throw new AttuneError('BAD_SNAPSHOT', `${where}: the life-stage watch is malformed (lastAt)`);
  let detector: SessionGlrDetector;
  try {
    detector = SessionGlrDetector.fromJSON(o['detector']);
  } catch (e) {
    throw new AttuneError('BAD_SNAPSHOT', `${where}: the life-stage watch is malformed (${(e as Error).message})`);
  }
  return { detector, learned: o['learned'] as number, lastAt: lastAt ?? -Infinity };
}
