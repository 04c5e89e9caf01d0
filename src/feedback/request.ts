/**
 * Validation of read requests (`recommend`, `explain`) at the public
 * boundary: messages start with the API name and say what to fix.
 */
import { DEFAULT_COUNT, MAX_COUNT, MAX_TIME_MS, MIN_TIME_MS } from '../constants.js';
import { AttuneError, describeValue, everyIndex } from '../errors.js';
import type { Context, RecommendOptions } from '../types.js';
import { contextFeatures, validateContext } from './context.js';

/** A validated request with its defaults applied. */
export interface CheckedRequest {
  count: number;
  at: number;
  context: Context | undefined;
  /** The context's discrete features (see contextFeatures). */
  contexts: string[];
  exclude: string[];
  includeSeen: boolean;
  /** The station asked for (its existence is checked by the caller, who holds the person). */
  station: string | undefined;
}

/** Checks a user id: a non-empty string, or (where guests are allowed) undefined. */
export function checkUser(api: string, user: unknown, guests: boolean): asserts user is string | undefined {
  if (user === undefined && guests) return;
  if (typeof user !== 'string' || user === '') {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: user must be a non-empty string${guests ? ', or undefined for a guest' : ''}, got ${describeValue(user)}`,
    );
  }
}

/** Whether `at` is a time attune accepts (ms since epoch, 1973 to the year 100,000). */
export function isTime(at: unknown): at is number {
  return typeof at === 'number' && Number.isFinite(at) && at >= MIN_TIME_MS && at <= MAX_TIME_MS;
}

/** What to say about a time that is not accepted: seconds get a hint. */
export function timeProblem(at: unknown): string {
  if (typeof at === 'number' && Number.isFinite(at) && at > 0 && at < MIN_TIME_MS) {
    return `${describeValue(at)} looks like seconds since epoch (or is before 1973); attune wants milliseconds — multiply by 1000`;
  }
  return `it must be a finite number of ms since epoch between ${MIN_TIME_MS} (1973) and ${MAX_TIME_MS} (the year 100,000), got ${describeValue(at)}`;
}

/** Reads the clock, refusing a clock that does not return ms since epoch. */
export function readClock(api: string, now: () => number): number {
  const at = now();
  if (!isTime(at))
    throw new AttuneError('INVALID_OPTIONS', `${api}: the now() clock's time is not usable: ${timeProblem(at)}`);
  return at;
}

/** The options `recommend` and `explain` know. */
const REQUEST_KEYS: readonly string[] = ['count', 'at', 'context', 'exclude', 'includeSeen', 'station'];

export function checkRequest(
  api: string,
  user: unknown,
  options: RecommendOptions,
  now: () => number,
  protectedKeys: readonly string[],
): CheckedRequest {
  checkUser(api, user, true);
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new AttuneError('INVALID_ARGUMENT', `${api}: options must be an object, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!REQUEST_KEYS.includes(key))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: unknown option ${describeValue(key)}; use ${REQUEST_KEYS.join(', ')}`,
      );
  }
  const count = options.count ?? DEFAULT_COUNT;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: count must be a whole number from 1 to ${MAX_COUNT}, got ${describeValue(count)}`,
    );
  }
  const at = options.at ?? readClock(api, now);
  if (!isTime(at)) throw new AttuneError('INVALID_ARGUMENT', `${api}: at is not usable: ${timeProblem(at)}`);
  const context = validateContext(api, options.context, protectedKeys);
  const exclude = options.exclude ?? [];
  if (!Array.isArray(exclude) || !everyIndex(exclude, (x) => typeof x === 'string')) {
    throw new AttuneError('INVALID_ARGUMENT', `${api}: exclude must be an array of item ids`);
  }
  const includeSeen = options.includeSeen ?? false;
  if (typeof includeSeen !== 'boolean')
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: includeSeen must be a boolean, got ${describeValue(includeSeen)}`,
    );
  const station = options.station;
  if (station !== undefined && (typeof station !== 'string' || station === '')) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: station must be a station id (a non-empty string) when given, got ${describeValue(station)}`,
    );
  }
  return { count, at, context, contexts: contextFeatures(context), exclude: [...exclude], includeSeen, station };
}
