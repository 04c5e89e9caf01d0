/** The plain-JSON form of a fitted ALS model and its validation. */
import { AttuneError, describeValue } from '../../errors.js';
import { isJsonArray } from '../../kernels/jsonNumbers.js';
import type { Steps } from '../../kernels/steps.js';
import { resolveAlsOptions, type ResolvedAlsOptions } from './options.js';

/** Tag of an ALS snapshot. */
export const ALS_FORMAT = 'attune.als';
/** Version of the ALS snapshot layout. */
export const ALS_VERSION = 1;

/** A fitted ALS model as plain JSON; factors are row-major number arrays. */
export interface AlsJSON {
  format: typeof ALS_FORMAT;
  version: typeof ALS_VERSION;
  options: ResolvedAlsOptions;
  userCount: number;
  itemCount: number;
  /** userCount × factors, row-major. */
  userFactors: number[];
  /** itemCount × factors, row-major. */
  itemFactors: number[];
}

/** What {@link parseAlsJSONSteps} hands back. */
export interface ParsedAls {
  options: ResolvedAlsOptions;
  userCount: number;
  itemCount: number;
  userFactors: Float64Array;
  itemFactors: Float64Array;
}

function bad(what: string): never {
  throw new AttuneError('BAD_SNAPSHOT', `AlsModel.fromJSON: ${what}`);
}

/**
 * Validates an untrusted value as {@link AlsJSON}, as steps that pause
 * every {@link FINITE_BATCH} numbers of the factors; throws `BAD_SNAPSHOT` otherwise.
 * `ownFactors`: the factors are a model's own Float64Arrays (its JSON view,
 * the rest of it read back from JSON text), copied as writing them as JSON
 * text and reading that back would give them.
 */
export function* parseAlsJSONSteps(json: unknown, ownFactors = false): Steps<ParsedAls> {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    bad(`expected an object, got ${describeValue(json)}`);
  const o = json as Record<string, unknown>;
  if (o['format'] !== ALS_FORMAT)
    bad(`format must be ${JSON.stringify(ALS_FORMAT)}, got ${describeValue(o['format'])}`);
  if (o['version'] !== ALS_VERSION)
    bad(`unknown version ${describeValue(o['version'])} (this build reads version ${ALS_VERSION})`);
  const rawOptions = o['options'];
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions))
    bad('options must be an object');
  let options: ResolvedAlsOptions;
  try {
    options = resolveAlsOptions(rawOptions as Record<string, never>, 'AlsModel.fromJSON');
  } catch (error) {
    bad(`invalid options: ${error instanceof Error ? error.message : String(error)}`);
  }
  const userCount = o['userCount'];
  const itemCount = o['itemCount'];
  if (typeof userCount !== 'number' || !Number.isInteger(userCount) || userCount < 0)
    bad(`userCount must be a whole number ≥ 0, got ${describeValue(userCount)}`);
  if (typeof itemCount !== 'number' || !Number.isInteger(itemCount) || itemCount < 0)
    bad(`itemCount must be a whole number ≥ 0, got ${describeValue(itemCount)}`);
  const userFactors = yield* finiteArray(o['userFactors'], 'userFactors', userCount * options.factors, ownFactors);
  const itemFactors = yield* finiteArray(o['itemFactors'], 'itemFactors', itemCount * options.factors, ownFactors);
  return { options, userCount, itemCount, userFactors, itemFactors };
}

/** Numbers of factors checked and copied between two pauses. */
const FINITE_BATCH = 1 << 16;

/** The numbers of a JSON array (or, `own`, of a model's own Float64Array) as a new Float64Array, each checked finite. */
function* finiteArray(value: unknown, name: string, length: number, own: boolean): Steps<Float64Array> {
  if (own ? !(value instanceof Float64Array) : !isJsonArray(value))
    bad(`${name} must be an array of numbers, got ${describeValue(value)}`);
  const list = value as ArrayLike<unknown>;
  if (list.length !== length) bad(`${name} must hold ${length} numbers (count × factors), got ${list.length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    if (i % FINITE_BATCH === FINITE_BATCH - 1) yield;
    const v: unknown = list[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      bad(`${name}[${i}] must be a finite number, got ${describeValue(v)}`);
    // JSON text writes -0 as 0: a model's own factors are copied as reading their text back gives them.
    out[i] = own ? v + 0 : v;
  }
  return out;
}
