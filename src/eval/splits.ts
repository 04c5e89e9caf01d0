/**
 * Train/test splits of interaction logs, per user: every user with enough
 * records keeps some in training and has some held out, so each test user can
 * be scored against a profile learned from their own past.
 *
 * All splits are generic over records `{ user, item, at? }` (extra fields are
 * carried through untouched), keep the input order within `train` and within
 * `test`, and always leave at least `minTrain` of a user's records in training
 * (users with too few records stay entirely in training).
 */
import { createRng } from '../random/rng.js';
import { check, describeValue } from '../errors.js';
import { checkSeed, checkWhole, fail } from './validate.js';

/** The least a record needs to be split. */
export interface SplitRecord {
  readonly user: string;
  readonly item: string;
  /** Time of the interaction (ms since epoch); required by {@link temporalSplit}. */
  readonly at?: number;
}

/** A split: both arrays hold the very records passed in (not copies). */
export interface Split<T> {
  train: T[];
  test: T[];
}

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Share of each user's records held out, in [0, 1). Rounded to the nearest whole record. */
  testFraction: number;
  /** Seed of the shuffle; each user's draw depends only on the seed and that user's id. */
  seed: number | string;
  /** Records each user keeps in training at least. @default 1 */
  minTrain?: number;
}

/** Options of {@link temporalSplit}. */
export interface TemporalSplitOptions {
  /** Share of each user's latest records held out, in [0, 1). Rounded to the nearest whole record. */
  testFraction: number;
  /** Records each user keeps in training at least. @default 1 */
  minTrain?: number;
}

/** Options of {@link leaveLastOut}. */
export interface LeaveLastOutOptions {
  /** Latest records held out per user. @default 1 */
  k?: number;
  /** Records each user keeps in training at least. @default 1 */
  minTrain?: number;
}

/** Record indices grouped by user, in input order. */
function indicesByUser(fn: string, records: readonly SplitRecord[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record === undefined || typeof record.user !== 'string' || typeof record.item !== 'string') {
      fail(fn, `record ${i} must be an object with string user and item`);
    }
    let group = groups.get(record.user);
    if (group === undefined) groups.set(record.user, (group = []));
    group.push(i);
  }
  return groups;
}

/** Throws INVALID_OPTIONS unless `testFraction` is in [0, 1): users must keep some training history. */
function checkTestFraction(fn: string, testFraction: number): void {
  check(
    typeof testFraction === 'number' && testFraction >= 0 && testFraction < 1,
    'INVALID_OPTIONS',
    `${fn}: testFraction must be a number from 0 up to (not including) 1, so users keep some training history, got ${describeValue(testFraction)}`,
  );
}

/** How many of a user's `n` records go to test. */
function heldOut(n: number, wanted: number, minTrain: number): number {
  return Math.max(0, Math.min(wanted, n - minTrain));
}

function partition<T>(records: readonly T[], inTest: Uint8Array): Split<T> {
  const train: T[] = [];
  const test: T[] = [];
  for (let i = 0; i < records.length; i++) (inTest[i] === 1 ? test : train).push(records[i] as T);
  return { train, test };
}

/**
 * Seeded random per-user split: for each user, round(testFraction · n) of
 * their n records, chosen uniformly at random, are held out (fewer when that
 * would leave under `minTrain` in training). The choice for one user depends
 * only on the seed and that user's id, so adding users never reshuffles others.
 */
export function randomSplit<T extends SplitRecord>(records: readonly T[], options: RandomSplitOptions): Split<T> {
  const fn = 'randomSplit';
  checkTestFraction(fn, options.testFraction);
  checkSeed(fn, options.seed);
  const minTrain = options.minTrain ?? 1;
  checkWhole(fn, 'minTrain', minTrain, 0);
  const groups = indicesByUser(fn, records);
  const inTest = new Uint8Array(records.length);
  for (const [user, group] of groups) {
    const count = heldOut(group.length, Math.round(options.testFraction * group.length), minTrain);
    if (count === 0) continue;
    const rng = createRng(options.seed, 'randomSplit', user);
    // partial Fisher–Yates: the first `count` slots end up a uniform sample
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(group.length - i);
      const chosen = group[j] as number;
      group[j] = group[i] as number;
      group[i] = chosen;
      inTest[chosen] = 1;
    }
  }
  return partition(records, inTest);
}

/** Sorts a user's record indices by time, ties in input order; every record must carry `at`. */
function byTime(fn: string, records: readonly SplitRecord[], group: number[]): number[] {
  for (const i of group) {
    const at = (records[i] as SplitRecord).at;
    if (typeof at !== 'number' || !Number.isFinite(at))
      fail(fn, `record ${i} needs a finite \`at\` (ms since epoch) to be split by time`);
  }
  return group.sort(
    (a, b) => ((records[a] as SplitRecord).at as number) - ((records[b] as SplitRecord).at as number) || a - b,
  );
}

/**
 * Temporal per-user split: each user's latest round(testFraction · n) records
 * (by `at`, ties in input order) are held out. This mimics deployment — the
 * model is scored on what the user did next — and is the honest split when
 * tastes drift. Every record must carry `at`.
 */
export function temporalSplit<T extends SplitRecord>(records: readonly T[], options: TemporalSplitOptions): Split<T> {
  const fn = 'temporalSplit';
  checkTestFraction(fn, options.testFraction);
  const minTrain = options.minTrain ?? 1;
  checkWhole(fn, 'minTrain', minTrain, 0);
  const inTest = new Uint8Array(records.length);
  for (const group of indicesByUser(fn, records).values()) {
    const sorted = byTime(fn, records, group);
    const count = heldOut(sorted.length, Math.round(options.testFraction * sorted.length), minTrain);
    for (let i = sorted.length - count; i < sorted.length; i++) inTest[sorted[i] as number] = 1;
  }
  return partition(records, inTest);
}

/**
 * Leave-last-k-out: each user's k latest records are held out (fewer when
 * that would leave under `minTrain` in training). "Latest" is by `at` when
 * every record of the user carries it, else by input order; a user whose
 * records carry `at` only in part is refused as ambiguous.
 */
export function leaveLastOut<T extends SplitRecord>(
  records: readonly T[],
  options: LeaveLastOutOptions = {},
): Split<T> {
  const fn = 'leaveLastOut';
  const k = options.k ?? 1;
  checkWhole(fn, 'k', k, 1);
  const minTrain = options.minTrain ?? 1;
  checkWhole(fn, 'minTrain', minTrain, 0);
  const inTest = new Uint8Array(records.length);
  for (const group of indicesByUser(fn, records).values()) {
    let timed = 0;
    for (const i of group) if ((records[i] as SplitRecord).at !== undefined) timed++;
    if (timed !== 0 && timed !== group.length) {
      fail(
        fn,
        `user ${JSON.stringify((records[group[0] as number] as SplitRecord).user)} has records with and without \`at\`; give every record a time or none`,
      );
    }
    const ordered = timed === 0 ? group : byTime(fn, records, group);
    const count = heldOut(ordered.length, k, minTrain);
    for (let i = ordered.length - count; i < ordered.length; i++) inTest[ordered[i] as number] = 1;
  }
  return partition(records, inTest);
}
