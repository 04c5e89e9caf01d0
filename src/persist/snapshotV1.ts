/**
 * Version 1 of the snapshot format (attune 0.1): every retained event.
 * Still read, and migrated to the current format by replaying its events
 * once (see persist/snapshot).
 */
import { AttuneError, describeValue } from '../errors.js';
import { isSignal } from '../feedback/signals.js';
import type { Context, Item, Signal } from '../types.js';

import { SNAPSHOT_FORMAT } from './format.js';

const SNAPSHOT_VERSION = 1;

type JsonNumber = number | 'Infinity';

/** One event: [user index, item index, signal, at, weight, context?]. */
export type SnapshotEvent = [number, number, Signal, number, number, Context?];

export interface SnapshotUser {
  id: string;
  optOut: boolean;
  consent: string[];
  mutedTags: string[];
  draws: number;
  /** Requested life-stage changes (detected ones are re-derived from the events). */
  changes: { at: number; cause: 'detected' | 'requested'; kept: number }[];
}

export interface SnapshotV1 {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  options: {
    seed: number | string;
    halfLifeDays: JsonNumber;
    tiredDays: JsonNumber;
    holdBackDays: JsonNumber;
    holdBackFacets: string[];
    implicitQuoteDelayMinutes: number;
    exploration: number;
    propensitySamples: number;
    facetCaps: Record<string, number>;
    maxTagShare: number;
    mmrLambda: number;
    protectedAttributes: string[];
    poolSize: number;
    lifeStages: boolean;
    collaborative: unknown;
  };
  items: Item[];
  users: SnapshotUser[];
  events: SnapshotEvent[];
  /** Collaborative model, when trained. */
  collaborative?: unknown;
}

function bad(message: string): never {
  throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${what} must be a finite number, got ${describeValue(v)}`);
  return v;
}

function jsonNumber(v: unknown, what: string): JsonNumber {
  if (v === 'Infinity') return v;
  return finite(v, what);
}

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) bad(`${what} must be an array of strings`);
  return v as string[];
}

/** Validates a snapshot's structure and every value in it; throws `BAD_SNAPSHOT`. */
export function parseSnapshotV1(raw: unknown): SnapshotV1 {
  if (!isObject(raw)) bad(`a snapshot must be an object, got ${describeValue(raw)}`);
  if (raw['format'] !== SNAPSHOT_FORMAT)
    bad(`format must be "${SNAPSHOT_FORMAT}", got ${describeValue(raw['format'])}`);
  if (raw['version'] !== SNAPSHOT_VERSION)
    bad(`version ${describeValue(raw['version'])} is not supported; this attune reads version ${SNAPSHOT_VERSION}`);
  const o = raw['options'];
  if (!isObject(o)) bad('options must be an object');
  const seed = o['seed'];
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))))
    bad('options.seed must be a number or string');
  if (!isObject(o['facetCaps'])) bad('options.facetCaps must be an object');
  const options: SnapshotV1['options'] = {
    seed,
    halfLifeDays: jsonNumber(o['halfLifeDays'], 'options.halfLifeDays'),
    tiredDays: jsonNumber(o['tiredDays'], 'options.tiredDays'),
    holdBackDays: jsonNumber(o['holdBackDays'], 'options.holdBackDays'),
    holdBackFacets: strings(o['holdBackFacets'], 'options.holdBackFacets'),
    implicitQuoteDelayMinutes: finite(o['implicitQuoteDelayMinutes'], 'options.implicitQuoteDelayMinutes'),
    exploration: finite(o['exploration'], 'options.exploration'),
    propensitySamples: finite(o['propensitySamples'], 'options.propensitySamples'),
    facetCaps: Object.fromEntries(
      Object.entries(o['facetCaps']).map(([k, v]) => [k, finite(v, `options.facetCaps.${k}`)]),
    ),
    maxTagShare: finite(o['maxTagShare'], 'options.maxTagShare'),
    mmrLambda: finite(o['mmrLambda'], 'options.mmrLambda'),
    protectedAttributes: strings(o['protectedAttributes'], 'options.protectedAttributes'),
    poolSize: finite(o['poolSize'], 'options.poolSize'),
    lifeStages: typeof o['lifeStages'] === 'boolean' ? o['lifeStages'] : bad('options.lifeStages must be a boolean'),
    collaborative:
      o['collaborative'] === false
        ? false
        : isObject(o['collaborative'])
          ? o['collaborative']
          : bad('options.collaborative must be an object or false'),
  };
  if (!Array.isArray(raw['items'])) bad('items must be an array');
  const items = raw['items'] as Item[];
  if (!Array.isArray(raw['users'])) bad('users must be an array');
  const seenUsers = new Set<string>();
  const users = (raw['users'] as unknown[]).map((u, i): SnapshotUser => {
    if (!isObject(u)) bad(`users[${i}] must be an object`);
    const id = u['id'];
    if (typeof id !== 'string' || id === '' || seenUsers.has(id))
      bad(`users[${i}].id must be a unique non-empty string`);
    seenUsers.add(id);
    if (typeof u['optOut'] !== 'boolean') bad(`users[${i}].optOut must be a boolean`);
    const draws = finite(u['draws'], `users[${i}].draws`);
    if (!Number.isInteger(draws) || draws < 0) bad(`users[${i}].draws must be a whole number`);
    if (!Array.isArray(u['changes'])) bad(`users[${i}].changes must be an array`);
    const changes = (u['changes'] as unknown[]).map((c, j) => {
      if (!isObject(c) || (c['cause'] !== 'detected' && c['cause'] !== 'requested'))
        bad(`users[${i}].changes[${j}] is malformed`);
      return {
        at: finite(c['at'], `users[${i}].changes[${j}].at`),
        cause: c['cause'] as 'detected' | 'requested',
        kept: finite(c['kept'], `users[${i}].changes[${j}].kept`),
      };
    });
    return {
      id,
      optOut: u['optOut'],
      consent: strings(u['consent'], `users[${i}].consent`),
      mutedTags: strings(u['mutedTags'], `users[${i}].mutedTags`),
      draws,
      changes,
    };
  });
  if (!Array.isArray(raw['events'])) bad('events must be an array');
  const events = (raw['events'] as unknown[]).map((e, i): SnapshotEvent => {
    if (!Array.isArray(e) || e.length < 5 || e.length > 6)
      bad(`events[${i}] must be [user, item, signal, at, weight, context?]`);
    const [user, item, signal, at, weight, context] = e as unknown[];
    if (typeof user !== 'number' || !Number.isInteger(user) || user < 0 || user >= users.length)
      bad(`events[${i}] names user ${describeValue(user)}, which is not in users`);
    if (users[user]!.optOut) bad(`events[${i}] belongs to an opted-out user; their events are never kept`);
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item >= items.length)
      bad(`events[${i}] names item ${describeValue(item)}, which is not in items`);
    if (!isSignal(signal)) bad(`events[${i}] has an unknown signal ${describeValue(signal)}`);
    finite(at, `events[${i}].at`);
    if (finite(weight, `events[${i}].weight`) <= 0) bad(`events[${i}].weight must be positive`);
    if (context !== undefined && !isObject(context)) bad(`events[${i}].context must be an object`);
    return e.length === 6
      ? [user, item, signal, at as number, weight as number, context as Context]
      : [user, item, signal, at as number, weight as number];
  });
  const snap: SnapshotV1 = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, options, items, users, events };
  if (raw['collaborative'] !== undefined) snap.collaborative = raw['collaborative'];
  return snap;
}
