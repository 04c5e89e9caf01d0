/**
 * The options every kind shares, checked at the public boundary and resolved once, and the checks
 * the policies' own options are made of. Each policy resolves its own options in its file.
 */
import { check, describeValue, isFiniteNumber } from '../../errors.js';
import { BANDIT_DEFAULTS } from './constants.js';
import { Decay } from '../../decay/decay.js';
import type { BanditOptions } from './policies.js';

const API = 'createBandit';

/** The options every kind shares, with every default filled in. */
export interface ResolvedCommonOptions {
  seed: number | string;
  halfLife: number;
  /** How evidence ages: `halfLife` in the bandit's clock (steps, or ms when updates carry `at`). */
  decay: Decay;
  window: number;
}

/** What a policy is made with besides its own options. */
export interface PolicySetting {
  decay: Decay;
  window: number;
  /** Reading a snapshot: an option missing from it means what it meant when the snapshot was written. */
  restoring: boolean;
}

/** A positive finite number (or Infinity when `allowInfinity`), else `INVALID_OPTIONS` naming `name`. */
export function positive(value: unknown, name: string, allowInfinity = false): number {
  const ok =
    typeof value === 'number' && value > 0 && (Number.isFinite(value) || (allowInfinity && value === Infinity));
  check(
    ok,
    'INVALID_OPTIONS',
    `${API}: ${name} must be a positive number${allowInfinity ? ' or Infinity' : ''}, got ${describeValue(value)}`,
  );
  return value as number;
}

/** A finite number ≥ 0, else `INVALID_OPTIONS` naming `name`. */
export function nonNegative(value: unknown, name: string): number {
  check(
    isFiniteNumber(value) && value >= 0,
    'INVALID_OPTIONS',
    `${API}: ${name} must be a finite number >= 0, got ${describeValue(value)}`,
  );
  return value;
}

/** The deprecated `propensitySamples` of the sampled kinds: still checked, and kept in snapshots. */
export function resolveSamples(value: unknown): number {
  const n = value ?? BANDIT_DEFAULTS.propensitySamples;
  check(
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 1e6,
    'INVALID_OPTIONS',
    `${API}: propensitySamples must be a whole number from 1 to 1000000, got ${describeValue(n)}`,
  );
  return n as number;
}

/** Checks an arm id. */
export function checkArmId(id: unknown, api: string): asserts id is string {
  check(
    typeof id === 'string' && id.length > 0,
    'INVALID_ARGUMENT',
    `${api}: an arm id must be a non-empty string, got ${describeValue(id)}`,
  );
}

/**
 * Checks and resolves the arms, seed, halfLife and window.
 * @throws AttuneError `INVALID_OPTIONS` (or `DUPLICATE_ARM`) saying which option to fix.
 */
export function resolveCommonOptions(options: BanditOptions): { common: ResolvedCommonOptions; arms: string[] } {
  check(
    Array.isArray(options.arms),
    'INVALID_OPTIONS',
    `${API}: arms must be an array of arm ids, got ${describeValue(options.arms)}`,
  );
  const arms: string[] = [];
  const seen = new Set<string>();
  for (const id of options.arms) {
    check(
      typeof id === 'string' && id.length > 0,
      'INVALID_OPTIONS',
      `${API}: every arm id must be a non-empty string, got ${describeValue(id)}`,
    );
    check(!seen.has(id), 'DUPLICATE_ARM', `${API}: arm ${describeValue(id)} is listed twice; arm ids must be unique`);
    seen.add(id);
    arms.push(id);
  }
  const seed = options.seed ?? BANDIT_DEFAULTS.seed;
  check(
    (typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string',
    'INVALID_OPTIONS',
    `${API}: seed must be a finite number or a string, got ${describeValue(seed)}`,
  );
  const halfLife = positive(options.halfLife ?? BANDIT_DEFAULTS.halfLife, 'halfLife', true);
  const window = options.window ?? BANDIT_DEFAULTS.window;
  check(
    window === Infinity || (Number.isInteger(window) && window >= 1),
    'INVALID_OPTIONS',
    `${API}: window must be a whole number >= 1 or Infinity, got ${describeValue(window)}`,
  );
  check(
    halfLife === Infinity || window === Infinity,
    'INVALID_OPTIONS',
    `${API}: give either halfLife or window, not both`,
  );
  return { common: { seed, halfLife, decay: new Decay(halfLife), window }, arms };
}

/** The shared options as a snapshot writes them (Infinity as null, for JSON). */
export function commonOptionsToJSON(common: ResolvedCommonOptions): Record<string, unknown> {
  return {
    seed: common.seed,
    halfLife: common.halfLife === Infinity ? null : common.halfLife,
    window: common.window === Infinity ? null : common.window,
  };
}

/** Reads options written by a snapshot back into createBandit options (null → Infinity, no changeDetection when null). */
export function optionsFromJSON(json: Record<string, unknown>, arms: string[]): BanditOptions {
  const o: Record<string, unknown> = { ...json, arms };
  if (o['halfLife'] === null) o['halfLife'] = Infinity;
  if (o['window'] === null) o['window'] = Infinity;
  if (o['changeDetection'] === null) delete o['changeDetection'];
  return o as unknown as BanditOptions;
}
