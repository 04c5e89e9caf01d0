/**
 * What an HTTP (or queue, or RPC) edge in front of attune needs from it:
 * the signals as a runtime list, JSON Schemas (draft-07, as Fastify and
 * Ajv read them) of a feedback event and of `recommend`'s options, and the
 * HTTP status each error code stands for. The schemas check shape at the
 * edge; attune still validates every call itself (the catalog, protected
 * context keys, stations), so a request the schema lets through may be
 * refused with an `AttuneError` — map it with {@link httpStatusOf}.
 */
import { MAX_COUNT, MAX_TIME_MS, MAX_WEIGHT, MIN_TIME_MS } from './constants.js';
import { AttuneError, type AttuneErrorCode } from './errors.js';
import { SIGNAL_NAMES } from './feedback/signals.js';
import type { Signal } from './types.js';

/** Every signal `feedback` accepts, in a fixed order: `up`, `down`, `tired`, `skip`, `play`, `purchase`. */
export const SIGNALS: readonly Signal[] = Object.freeze([...SIGNAL_NAMES]);

/** A context: string, number or boolean values (attune refuses protected keys such as `gender` itself). */
export const contextSchema = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
} as const;

/** A time attune accepts: ms since epoch, from 1973 to the year 100,000. */
const timeSchema = { type: 'number', minimum: MIN_TIME_MS, maximum: MAX_TIME_MS } as const;

/** JSON Schema of one {@link FeedbackEvent}. */
export const feedbackEventSchema = {
  type: 'object',
  required: ['user', 'item', 'signal'],
  additionalProperties: false,
  properties: {
    user: { type: 'string', minLength: 1 },
    item: { type: 'string', minLength: 1 },
    signal: { type: 'string', enum: SIGNALS },
    at: timeSchema,
    weight: { type: 'number', exclusiveMinimum: 0, maximum: MAX_WEIGHT },
    context: contextSchema,
    station: { type: 'string', minLength: 1 },
  },
} as const;

/** JSON Schema of `recommend`'s {@link RecommendOptions}. */
export const recommendOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    count: { type: 'integer', minimum: 1, maximum: MAX_COUNT },
    at: timeSchema,
    context: contextSchema,
    exclude: { type: 'array', items: { type: 'string' } },
    includeSeen: { type: 'boolean' },
    station: { type: 'string', minLength: 1 },
  },
} as const;

/**
 * The HTTP status for each error code: a request to fix is 400, something
 * named that does not exist 404, a clash with the current state 409, a
 * store or training thread that cannot be reached (or a store namespace
 * that is not there) 503, a fault on the server's side (a stored record that
 * cannot be read) 500. A cap reached (`LIMIT_EXCEEDED`) is a request to fix.
 */
export const HTTP_STATUS: Readonly<Record<AttuneErrorCode, number>> = Object.freeze({
  INVALID_ARGUMENT: 400,
  INVALID_OPTIONS: 400,
  INVALID_EVENT: 400,
  PROTECTED_ATTRIBUTE: 400,
  BAD_SNAPSHOT: 400,
  BAD_FACTORS: 400,
  LIMIT_EXCEEDED: 400,
  UNKNOWN_ITEM: 404,
  UNKNOWN_USER: 404,
  UNKNOWN_TAG: 404,
  UNKNOWN_STATION: 404,
  UNKNOWN_ARM: 404,
  DUPLICATE_ITEM: 409,
  DUPLICATE_STATION: 409,
  DUPLICATE_ARM: 409,
  TRAINING_IN_PROGRESS: 409,
  ABORTED: 503,
  STORE_UNAVAILABLE: 503,
  WORKER_UNAVAILABLE: 503,
  UNKNOWN_NAMESPACE: 503,
  NUMERIC_ERROR: 500,
  BAD_RECORD: 500,
});

/** The HTTP status for `error`: by its code for an {@link AttuneError} (see {@link HTTP_STATUS}), 500 for anything else. */
export function httpStatusOf(error: unknown): number {
  return error instanceof AttuneError ? (HTTP_STATUS[error.code] ?? 500) : 500;
}
