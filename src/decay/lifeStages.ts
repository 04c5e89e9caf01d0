/**
 * Life stages: the surprise of each labelled event (1 when the taste model
 * predicted the wrong side) feeds a per-person Bernoulli GLR change detector
 * (Besson et al. 2020). A detection that says the person has become *more*
 * surprising is a change of life stage: the caller fades old evidence to
 * LIFE_STAGE_KEEP of its weight and explores more for a while.
 *
 * The watch is a plain, serialisable part of the person's record.
 */
import { LIFE_STAGE_DETECTOR_DELTA, LIFE_STAGE_HISTORY, LIFE_STAGE_WARMUP } from '../constants.js';
import { AttuneError } from '../errors.js';
import { GlrChangeDetector } from './changeDetection.js';

/** How many recent surprises decide whether a detection is a rise. */
const RECENT = 12;

/** Per-person state of the life-stage detector. */
export interface LifeStageWatch {
  detector: GlrChangeDetector;
  /** Labelled events learned so far (the detector listens only after a warm-up). */
  learned: number;
  /** Surprise since the detector last restarted: sum and count. */
  sum: number;
  count: number;
  /** The most recent surprises (newest last). */
  recent: number[];
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
    detector: new GlrChangeDetector({ delta: LIFE_STAGE_DETECTOR_DELTA, model: 'bernoulli', maxHistory: LIFE_STAGE_HISTORY, minSamples: 6 }),
    learned: 0,
    sum: 0,
    count: 0,
    recent: [],
  };
}

/**
 * Feeds one labelled event (the label and the probability the model gave it
 * beforehand). Returns true when the person's taste has changed.
 */
export function observeSurprise(watch: LifeStageWatch, label: 0 | 1, predicted: number): boolean {
  watch.learned++;
  if (watch.learned <= LIFE_STAGE_WARMUP) return false;
  const surprise = (label === 1 ? predicted < 0.5 : predicted > 0.5) ? 1 : 0;
  watch.recent.push(surprise);
  if (watch.recent.length > RECENT) watch.recent.shift();
  const before = watch.count > 0 ? watch.sum / watch.count : 0;
  watch.sum += surprise;
  watch.count++;
  if (!watch.detector.update(surprise)) return false;
  const recentRate = watch.recent.reduce((a, b) => a + b, 0) / watch.recent.length;
  watch.sum = 0;
  watch.count = 0;
  return recentRate > before && recentRate >= 0.5; // less surprising is not a new life stage
}

/** Until when exploration stays raised after the latest change. */
export function exploreBoostUntil(changes: readonly LifeStageChange[], boostMs: number): number {
  let until = -Infinity;
  for (const c of changes) until = Math.max(until, c.at + boostMs);
  return until;
}

/** The JSON form of a watch. */
export interface LifeStageWatchJson {
  detector: unknown;
  learned: number;
  sum: number;
  count: number;
  recent: number[];
}

export function watchToJSON(w: LifeStageWatch): LifeStageWatchJson {
  return { detector: w.detector.toJSON(), learned: w.learned, sum: w.sum, count: w.count, recent: [...w.recent] };
}

/** @throws AttuneError `BAD_SNAPSHOT` on a malformed watch. */
export function watchFromJSON(json: unknown, where: string): LifeStageWatch {
  const o = json as Partial<Record<keyof LifeStageWatchJson, unknown>> | null;
  const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const ok =
    o !== null && typeof o === 'object' && whole(o.learned) && whole(o.sum) && whole(o.count) && (o.sum as number) <= (o.count as number) &&
    Array.isArray(o.recent) && o.recent.length <= RECENT && o.recent.every((x) => x === 0 || x === 1);
  if (!ok) throw new AttuneError('BAD_SNAPSHOT', `${where}: the life-stage watch is malformed`);
  return {
    detector: GlrChangeDetector.fromJSON(o.detector),
    learned: o.learned as number,
    sum: o.sum as number,
    count: o.count as number,
    recent: [...(o.recent as number[])],
  };
}
