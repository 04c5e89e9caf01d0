/**
 * Stable error codes. Callers may switch on `error.code`; the message is for
 * people and may be reworded between versions.
 */
export type AttuneErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_OPTIONS'
  | 'INVALID_EVENT'
  | 'UNKNOWN_ITEM'
  | 'UNKNOWN_USER'
  | 'DUPLICATE_ITEM'
  | 'UNKNOWN_TAG'
  | 'UNKNOWN_STATION'
  | 'DUPLICATE_STATION'
  | 'UNKNOWN_ARM'
  | 'DUPLICATE_ARM'
  | 'PROTECTED_ATTRIBUTE'
  | 'BAD_SNAPSHOT'
  | 'NUMERIC_ERROR'
  /** attune/redis: the Redis server cannot be reached (or failed the call); nothing was written. */
  | 'STORE_UNAVAILABLE'
  | 'ABORTED'
  | 'TRAINING_IN_PROGRESS'
  | 'BAD_FACTORS'
  /** A cap was reached: stations per person, seeds per station, a station name's length (see README, Errors). */
  | 'LIMIT_EXCEEDED'
  /**
   * attune/redis (or another store): one stored record cannot be read — not JSON, not a valid record, or
   * stored under another person's key. An error for that person (or that catalog entry) only.
   */
  | 'BAD_RECORD'
  /**
   * attune/redis (or another store): the namespace does not exist (never created: a typo?), or lost its
   * data since this process connected (FLUSHALL, a restart without persistence); never served empty.
   */
  | 'UNKNOWN_NAMESPACE'
  /** Background training could not start its worker threads (a bundled app: see `trainInBackground`'s `workerUrl`). */
  | 'WORKER_UNAVAILABLE';

/** The one error class attune throws. A call that throws has changed nothing. */
export class AttuneError extends Error {
  readonly code: AttuneErrorCode;

  constructor(code: AttuneErrorCode, message: string) {
    super(message);
    this.name = 'AttuneError';
    this.code = code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Throws an {@link AttuneError} unless `condition` holds. */
export function check(condition: boolean, code: AttuneErrorCode, message: string): asserts condition {
  if (!condition) throw new AttuneError(code, message);
}

/** True for a finite number (a type guard for validating unknown input). */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Whether `pred` holds at every index of `list`, holes included (a hole reads as `undefined`). */
export function everyIndex<T>(list: readonly T[], pred: (x: T | undefined, i: number) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (!pred(list[i], i)) return false;
  return true;
}

/** A short, safe rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}
