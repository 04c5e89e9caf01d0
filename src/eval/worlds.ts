/**
 * Simulated worlds for {@link simulate}: stationary Bernoulli arms,
 * piecewise-stationary Bernoulli arms, and a linear contextual world.
 */
import { check, describeValue } from '../errors.js';
import { createRng } from '../random/rng.js';
import type { World } from './harness.js';

const armIds = (k: number): string[] => Array.from({ length: k }, (_, i) => `arm-${i}`);

function checkMeans(api: string, means: ReadonlyArray<number>, what: string): void {
  check(
    Array.isArray(means) && means.length >= 1 && means.every((m) => typeof m === 'number' && m >= 0 && m <= 1),
    'INVALID_OPTIONS',
    `${api}: ${what} must be a non-empty array of probabilities in [0, 1], got ${describeValue(means)}`,
  );
}

/** Stationary Bernoulli arms `arm-0 … arm-(k−1)`: arm i pays 1 with probability `means[i]`. */
export function bernoulliWorld(means: ReadonlyArray<number>): World<undefined> {
  checkMeans('bernoulliWorld', means, 'means');
  const arms = armIds(means.length);
  const index = new Map(arms.map((a, i) => [a, i]));
  const mu = (arm: string): number => means[index.get(arm) as number] as number;
  return {
    arms,
    context: () => undefined,
    expected: (arm) => mu(arm),
    draw: (arm, _ctx, _t, rng) => (rng.next() < mu(arm) ? 1 : 0),
  };
}

/**
 * Piecewise-stationary Bernoulli arms: during steps [j·segmentLength, (j+1)·segmentLength)
 * the means are `segments[j mod segments.length]` (every segment lists one mean per arm).
 */
export function piecewiseBernoulliWorld(
  segments: ReadonlyArray<ReadonlyArray<number>>,
  segmentLength: number,
): World<undefined> {
  const api = 'piecewiseBernoulliWorld';
  check(
    Array.isArray(segments) && segments.length >= 1,
    'INVALID_OPTIONS',
    `${api}: segments must be a non-empty array of mean lists`,
  );
  segments.forEach((s, j) => checkMeans(api, s, `segments[${j}]`));
  const k = (segments[0] as ReadonlyArray<number>).length;
  check(
    segments.every((s) => s.length === k),
    'INVALID_OPTIONS',
    `${api}: every segment must list ${k} means`,
  );
  check(
    Number.isInteger(segmentLength) && segmentLength >= 1,
    'INVALID_OPTIONS',
    `${api}: segmentLength must be a whole number >= 1, got ${describeValue(segmentLength)}`,
  );
  const arms = armIds(k);
  const index = new Map(arms.map((a, i) => [a, i]));
  const mu = (arm: string, t: number): number =>
    (segments[Math.floor(t / segmentLength) % segments.length] as ReadonlyArray<number>)[
      index.get(arm) as number
    ] as number;
  return {
    arms,
    context: () => undefined,
    expected: (arm, _ctx, t) => mu(arm, t),
    draw: (arm, _ctx, t, rng) => (rng.next() < mu(arm, t) ? 1 : 0),
  };
}

/** Options of {@link linearWorld}. */
export interface LinearWorldOptions {
  /** Number of arms. @default 10 */
  arms?: number;
  /** Standard deviation of the Gaussian reward noise. @default 0.1 */
  noise?: number;
  /** Seed of the arms' parameter vectors (the world's own, not the run's). @default 0 */
  seed?: number;
}

/**
 * A linear contextual world (the disjoint model of Li et al. 2010): each arm a has a hidden
 * θ_a ~ N(0, I/d); each step's context x has N(0, 1) entries scaled to unit length; the
 * reward of a is θ_aᵀx + N(0, noise²).
 */
export function linearWorld(d: number, options: LinearWorldOptions = {}): World<Float64Array> {
  const api = 'linearWorld';
  check(
    Number.isInteger(d) && d >= 1,
    'INVALID_OPTIONS',
    `${api}: d must be a whole number >= 1, got ${describeValue(d)}`,
  );
  const k = options.arms ?? 10;
  const noise = options.noise ?? 0.1;
  check(
    Number.isInteger(k) && k >= 1,
    'INVALID_OPTIONS',
    `${api}: arms must be a whole number >= 1, got ${describeValue(k)}`,
  );
  check(
    Number.isFinite(noise) && noise >= 0,
    'INVALID_OPTIONS',
    `${api}: noise must be a finite number >= 0, got ${describeValue(noise)}`,
  );
  const arms = armIds(k);
  const thetas = new Map<string, Float64Array>();
  arms.forEach((arm, i) => {
    const rng = createRng(options.seed ?? 0, 'linear-world', i);
    thetas.set(
      arm,
      Float64Array.from({ length: d }, () => rng.normal() / Math.sqrt(d)),
    );
  });
  const expected = (arm: string, x: Float64Array): number => {
    const theta = thetas.get(arm) as Float64Array;
    let s = 0;
    for (let i = 0; i < d; i++) s += (theta[i] as number) * (x[i] as number);
    return s;
  };
  return {
    arms,
    context: (_t, rng) => {
      const x = new Float64Array(d);
      let norm = 0;
      for (let i = 0; i < d; i++) {
        const v = rng.normal();
        x[i] = v;
        norm += v * v;
      }
      const scale = 1 / Math.sqrt(norm || 1);
      for (let i = 0; i < d; i++) x[i] = (x[i] as number) * scale;
      return x;
    },
    expected: (arm, x) => expected(arm, x),
    draw: (arm, x, _t, rng) => expected(arm, x) + noise * rng.normal(),
  };
}
