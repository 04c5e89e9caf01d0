import type { Catalog } from '../catalog/catalog.js';
import { AttuneError, describeValue } from '../errors.js';
import type { Context, FeedbackEvent, Signal } from '../types.js';
import { validateContext } from './context.js';
import { isTime, timeProblem } from './request.js';
import { MAX_WEIGHT } from '../constants.js';
import { SIGNAL_NAMES, isSignal } from './signals.js';

/** A validated event with its defaults applied and its item resolved. */
export interface CheckedEvent {
  user: string;
  item: number;
  signal: Signal;
  at: number;
  weight: number;
  context: Context | undefined;
  /** The station it was given on (its existence is checked by the caller, who holds the person). */
  station?: string;
}

/** The fields of a feedback event. */
const EVENT_KEYS: readonly string[] = ['user', 'item', 'signal', 'at', 'weight', 'context', 'station'];

/** Validates one event; throws `INVALID_EVENT`, `UNKNOWN_ITEM` or `PROTECTED_ATTRIBUTE`. */
export function checkEvent(
  raw: unknown,
  where: string,
  catalog: Catalog,
  now: number,
  protectedKeys: readonly string[],
): CheckedEvent {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AttuneError(
      'INVALID_EVENT',
      `${where} must be an object { user, item, signal, at?, weight?, context?, station? }, got ${describeValue(raw)}`,
    );
  }
  for (const key of Object.keys(raw)) {
    if (!EVENT_KEYS.includes(key))
      throw new AttuneError(
        'INVALID_EVENT',
        `${where} has an unknown field ${describeValue(key)}; an event has ${EVENT_KEYS.join(', ')}`,
      );
  }
  const e = raw as Partial<Record<keyof FeedbackEvent, unknown>>;
  if (typeof e.user !== 'string' || e.user === '')
    throw new AttuneError('INVALID_EVENT', `${where}.user must be a non-empty string, got ${describeValue(e.user)}`);
  if (typeof e.item !== 'string' || e.item === '')
    throw new AttuneError('INVALID_EVENT', `${where}.item must be a non-empty string, got ${describeValue(e.item)}`);
  const item = catalog.indexOf(e.item);
  if (item === undefined)
    throw new AttuneError(
      'UNKNOWN_ITEM',
      `${where}.item ${describeValue(e.item)} is not in the catalog; add it with addItems first`,
    );
  if (!isSignal(e.signal))
    throw new AttuneError(
      'INVALID_EVENT',
      `${where}.signal must be one of ${SIGNAL_NAMES.join(', ')}, got ${describeValue(e.signal)}`,
    );
  const at = e.at ?? now;
  if (!isTime(at)) throw new AttuneError('INVALID_EVENT', `${where}.at is not usable: ${timeProblem(at)}`);
  const weight = e.weight ?? 1;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > MAX_WEIGHT) {
    throw new AttuneError(
      'INVALID_EVENT',
      `${where}.weight must be a positive number up to ${MAX_WEIGHT} (default 1; e.g. the log of a play count), got ${describeValue(e.weight)}`,
    );
  }
  const context = validateContext(where, e.context, protectedKeys);
  if (e.station !== undefined && (typeof e.station !== 'string' || e.station === '')) {
    throw new AttuneError(
      'INVALID_EVENT',
      `${where}.station must be a station id (a non-empty string) when given, got ${describeValue(e.station)}`,
    );
  }
  return {
    user: e.user,
    item,
    signal: e.signal,
    at,
    weight,
    context,
    ...(e.station !== undefined ? { station: e.station } : {}),
  };
}
