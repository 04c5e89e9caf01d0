import { describe, expect, it } from 'vitest';
import { BanditRandom, BLOCK_SIZE } from '../../../src/models/bandit/random.js';

const LOG_FACTORIAL = new Float64Array(1001);
for (let k = 2; k <= 1000; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1]! + Math.log(k);

/** CDF of Beta(a, b) for whole a, b (a + b ≤ 1001): P(Binomial(a + b − 1, x) ≥ a). */
function betaCdf(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let p = 0;
  for (let k = a; k <= n; k++)
    p += Math.exp(
      LOG_FACTORIAL[n]! - LOG_FACTORIAL[k]! - LOG_FACTORIAL[n - k]! + k * Math.log(x) + (n - k) * Math.log1p(-x),
    );
  return p;
}

/** √N · Kolmogorov–Smirnov distance of sorted draws from a CDF (below 1.95 with probability 0.999 for exact draws). */
function ksScaled(draws: Float64Array, cdf: (x: number) => number): number {
  draws.sort();
  const n = draws.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(draws[i] as number);
    d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  }
  return d * Math.sqrt(n);
}

describe('BanditRandom', () => {
  it.each([
    [1, 1],
    [1, 9],
    [7, 1],
    [2, 2],
    [3, 40],
    [20, 60],
    [300, 700],
  ])('draws Beta(%i, %i) exactly (Cheng 1978): Kolmogorov–Smirnov and moments', (a, b) => {
    const random = new BanditRandom(`ks-${a}-${b}`);
    const draws = Float64Array.from({ length: a + b > 100 ? 2000 : 20_000 }, () => random.beta(a, b));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    const trueVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(Math.abs(mean - a / (a + b)) / Math.sqrt(trueVariance / draws.length)).toBeLessThan(4);
    expect(variance / trueVariance).toBeGreaterThan(0.95);
    expect(variance / trueVariance).toBeLessThan(1.05);
    expect(ksScaled(draws, (x) => betaCdf(x, a, b))).toBeLessThan(1.95);
  });

  it('keeps Beta draws in [0, 1] for fractional and extreme shapes', () => {
    const random = new BanditRandom(1);
    for (const [a, b] of [
      [0.05, 0.05],
      [0.3, 4],
      [4, 0.3],
      [1.5, 0.1],
      [1e-3, 5e5],
      [5e5, 2.5],
    ] as const) {
      for (let i = 0; i < 2000; i++) {
        const x = random.beta(a, b);
        expect(x >= 0 && x <= 1).toBe(true);
      }
    }
  });

  it('resumes the same stream from a saved position, across block boundaries', () => {
    const original = new BanditRandom('resume');
    for (let i = 0; i < BLOCK_SIZE - 37; i++) original.uniform();
    const copy = new BanditRandom('resume', original.state());
    const next = (r: BanditRandom) => Array.from({ length: 200 }, () => r.uniform());
    expect(next(copy)).toEqual(next(original));
    expect(copy.state()).toEqual(original.state());
  });
});
