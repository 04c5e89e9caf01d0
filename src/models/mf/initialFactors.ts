/**
 * Seeded, keyed initial factors. Each row draws from its own stream
 * `createRng(seed, side, key)`, so a row's start depends only on the seed and
 * its own id: removing one user's data changes nobody else's start.
 */
import { createRng } from '../../random/rng.js';
import { INIT_SCALE } from './options.js';

/** `count` rows of `k` small normal draws (sd INIT_SCALE/√k), row r keyed by `keys[r]` or by r. */
export function initialFactors(
  count: number,
  k: number,
  seed: number | string,
  side: 'user' | 'item',
  keys: readonly string[] | undefined,
): Float64Array {
  const out = new Float64Array(count * k);
  initialFactorsInto(out, 0, count, k, seed, side, keys);
  return out;
}

/** {@link initialFactors} for rows `from .. to - 1` only, written into `out` (a row depends only on its key). */
export function initialFactorsInto(
  out: Float64Array,
  from: number,
  to: number,
  k: number,
  seed: number | string,
  side: 'user' | 'item',
  keys: readonly string[] | undefined,
): void {
  const scale = INIT_SCALE / Math.sqrt(k);
  for (let r = from; r < to; r++) {
    const rng = createRng(seed, side, keys === undefined ? r : (keys[r] as string));
    for (let f = 0; f < k; f++) out[r * k + f] = scale * rng.normal();
  }
}
