/**
 * Boundary checks shared by the `attune/eval` functions. Internal: not
 * re-exported. Every message starts with the public function's name and says
 * what to pass instead.
 */
import { AttuneError, describeValue } from '../errors.js';

/** Throws INVALID_ARGUMENT unless `k` is a whole number ≥ 1. */
export function checkK(fn: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new AttuneError('INVALID_ARGUMENT', `${fn}: k must be a whole number ≥ 1, got ${describeValue(k)}`);
  }
}

/** Throws INVALID_OPTIONS unless `value` is a finite number in the closed interval [low, high]. */
export function checkRange(fn: string, name: string, value: number, low: number, high: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${fn}: ${name} must be a number from ${low} to ${high}, got ${describeValue(value)}`,
    );
  }
}

/** Throws INVALID_OPTIONS unless `confidence` is a number strictly between 0 and 1. */
export function checkConfidence(fn: string, confidence: number): void {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${fn}: confidence must be a number strictly between 0 and 1 (e.g. 0.95), got ${describeValue(confidence)}`,
    );
  }
}

/** Throws INVALID_OPTIONS unless `value` is a whole number ≥ `min`. */
export function checkWhole(fn: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${fn}: ${name} must be a whole number ≥ ${min}, got ${describeValue(value)}`,
    );
  }
}

/** Throws INVALID_OPTIONS unless `seed` is a finite number or a string. */
export function checkSeed(fn: string, seed: unknown): asserts seed is number | string {
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${fn}: seed must be a finite number or a string, got ${describeValue(seed)}`,
    );
  }
}

/** Throws INVALID_ARGUMENT with `${fn}: ${message}`. */
export function fail(fn: string, message: string): never {
  throw new AttuneError('INVALID_ARGUMENT', `${fn}: ${message}`);
}
