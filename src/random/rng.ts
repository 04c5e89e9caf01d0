/**
 * The only module that imports `seedrandom`. Every random draw in attune
 * comes from a {@link Rng} made here, keyed by the recommender's seed plus
 * the parts that own the draw (a user id and that user's request counter),
 * so one user's activity never changes another user's draws.
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal N(0, 1) (Marsaglia polar method). */
  normal(): number;
  /** Gamma(shape, 1) (Marsaglia & Tsang 2000). */
  gamma(shape: number): number;
  /** Beta(a, b) as a ratio of gammas. */
  beta(a: number, b: number): number;
  /** Whole number uniform in [0, n). */
  int(n: number): number;
}

/**
 * Makes a generator from a seed and any number of keys. The same seed and
 * keys always give the same stream; different keys give unrelated streams.
 */
export function createRng(seed: number | string, ...keys: ReadonlyArray<string | number>): Rng {
  const key = [String(seed), ...keys.map((k) => `${typeof k}:${String(k).length}:${String(k)}`)].join('\u241f');
  const prng = seedrandom.alea(key);
  // The second normal of a pair, kept in a typed array: a number kept in a closure's variable is a
  // new heap object at every write, and the propensity draws take thousands of normals a request.
  const spare = new Float64Array(1);
  let hasSpare = false;
  const rng: Rng = {
    next: () => prng(),
    normal() {
      if (hasSpare) {
        hasSpare = false;
        return spare[0]!;
      }
      let u = 0;
      let v = 0;
      let s = 0;
      do {
        u = 2 * prng() - 1;
        v = 2 * prng() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare[0] = v * f;
      hasSpare = true;
      return u * f;
    },
    gamma(shape) {
      if (shape < 1) {
        const u = prng();
        return rng.gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
      }
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x = 0;
        let v = 0;
        do {
          x = rng.normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const u = prng();
        if (u < 1 - 0.0331 * x * x * x * x) return d * v;
        if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
      }
    },
    beta(a, b) {
      const x = rng.gamma(a);
      const y = rng.gamma(b);
      const s = x + y;
      return s > 0 ? x / s : 0.5;
    },
    int: (n) => Math.floor(prng() * n),
  };
  return rng;
}

/**
 * 32-bit FNV-1a hash of a string, used where a stable, platform-independent
 * number is needed from an id (experiment buckets, factor initialisation).
 */
export function hashString(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32) so nearby strings land far apart
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
