import { AttuneError, describeValue } from '../errors.js';
import { protectedGroup, protectedKey } from './protected.js';
import type { Context } from '../types.js';

/**
 * Checks a context: a plain object (not a Date, a String object or an
 * array) of string / finite number / boolean values, no protected attribute
 * among its keys (whole words in any spelling, see feedback/protected) and
 * no value that names a protected group. Throws `INVALID_ARGUMENT` or
 * `PROTECTED_ATTRIBUTE` naming the call and the key; returns a frozen copy,
 * so that a caller changing its object afterwards changes nothing here.
 */
export function validateContext(api: string, context: unknown, protectedKeys: readonly string[]): Context | undefined {
  if (context === undefined) return undefined;
  const proto = context === null || typeof context !== 'object' ? undefined : Object.getPrototypeOf(context);
  if (proto !== Object.prototype && proto !== null) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: context must be a plain object of string, number or boolean values such as { hour: 8 }, got ${describeValue(context)}`,
    );
  }
  const copy: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(context as object)) {
    const value = (context as Record<string, unknown>)[key];
    const hit = protectedKey(key, protectedKeys);
    if (hit !== undefined) {
      throw new AttuneError(
        'PROTECTED_ATTRIBUTE',
        `${api}: context key ${describeValue(key)} is a protected attribute (${hit}); attune never targets on it — remove it from the context`,
      );
    }
    const ok =
      typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok)
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: context.${key} must be a string, finite number or boolean, got ${describeValue(value)}`,
      );
    if (typeof value === 'string') {
      const named = protectedGroup(value);
      if (named !== undefined) {
        throw new AttuneError(
          'PROTECTED_ATTRIBUTE',
          `${api}: context.${key} names a protected group (${named}); attune never targets on it — remove it from the context`,
        );
      }
    }
    Object.defineProperty(copy, key, { value, enumerable: true, writable: false, configurable: false });
  }
  return Object.freeze(copy);
}

const DAYPARTS = [
  'night',
  'night',
  'night',
  'night',
  'night',
  'night',
  'morning',
  'morning',
  'morning',
  'morning',
  'morning',
  'morning',
  'afternoon',
  'afternoon',
  'afternoon',
  'afternoon',
  'afternoon',
  'afternoon',
  'evening',
  'evening',
  'evening',
  'evening',
  'evening',
  'night',
];
const WEEKEND = new Set(['sat', 'sun', 'saturday', 'sunday']);

/**
 * Turns a context into the discrete features the content model crosses with
 * tags: `daypart=morning` from an `hour`, `daytype=weekend` from a `weekday`,
 * `key=value` for strings and booleans, and a log-scale bucket for other numbers.
 * Sorted, so the same context always gives the same features.
 */
export function contextFeatures(context: Context | undefined): string[] {
  if (context === undefined) return [];
  const out: string[] = [];
  for (const [rawKey, value] of Object.entries(context)) {
    const key = rawKey.toLowerCase();
    if (key === 'hour' && typeof value === 'number') {
      const h = ((Math.floor(value) % 24) + 24) % 24;
      out.push(`daypart=${DAYPARTS[h]!}`);
    } else if (key === 'weekday' && typeof value === 'string') {
      const day = value.toLowerCase();
      out.push(`daytype=${WEEKEND.has(day) ? 'weekend' : 'weekday'}`);
    } else if (typeof value === 'number') {
      const bucket = Math.round(Math.log2(1 + Math.abs(value)));
      out.push(`${key}~${value < 0 ? '-' : ''}${bucket}`);
    } else {
      out.push(`${key}=${String(value).toLowerCase()}`);
    }
  }
  return [...new Set(out)].sort();
}

/** Words for a context feature, for reasons: `daypart=morning` → `mornings`. */
export function contextLabel(feature: string): string {
  const [key, value] = feature.split(/[=~]/, 2) as [string, string | undefined];
  if (key === 'daypart') return `${value ?? ''}s`;
  if (key === 'daytype') return value === 'weekend' ? 'weekends' : 'weekdays';
  if (value === 'true') return key;
  return `${key} ${value ?? ''}`.trim();
}

/** Words for a request's context features: `daypart=morning` + `daytype=weekday` → `weekday mornings`. */
export function describeContexts(features: readonly string[]): string {
  const daypart = features.find((f) => f.startsWith('daypart='))?.slice(8);
  const daytype = features.find((f) => f.startsWith('daytype='))?.slice(8);
  const rest = features.filter((f) => !f.startsWith('daypart=') && !f.startsWith('daytype=')).map(contextLabel);
  const when =
    daypart !== undefined
      ? `${daytype !== undefined ? `${daytype} ` : ''}${daypart}s`
      : daytype !== undefined
        ? `${daytype}s`
        : undefined;
  return [when, ...rest].filter((x): x is string => x !== undefined).join(' and ');
}
