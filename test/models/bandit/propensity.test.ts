import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBandit } from '../../../src/models/bandit/index.js';
import { IndexQuadrature } from '../../../src/models/bandit/propensity.js';
import { logBeta, softplus } from '../../../src/models/bandit/special.js';
import { createRng } from '../../../src/random/rng.js';

/**
 * The reference: a uniform trapezoid rule with 10⁶ points in the logit variable over the union of
 * every law's bulk (log-density within 40 of its peak, found by doubling), each CDF by the
 * cumulative trapezoid on the same grid; the optimistic point mass at T from the interpolated CDFs.
 */
function referenceBeta(
  ab: ReadonlyArray<readonly [number, number]>,
  optimistic: boolean,
  points = 1_000_000,
): number[] {
  const m = ab.length;
  const logB = ab.map(([a, b]) => logBeta(a, b));
  const ell = (j: number, z: number): number => {
    const [a, b] = ab[j]!;
    return a * z - (a + b) * softplus(z) - logB[j]!;
  };
  let zlo = Infinity;
  let zhi = -Infinity;
  ab.forEach(([a, b], j) => {
    const mode = Math.log(a / b);
    const peak = ell(j, mode);
    let l = 1;
    let u = 1;
    while (ell(j, mode - l) > peak - 40) l *= 2;
    while (ell(j, mode + u) > peak - 40) u *= 2;
    zlo = Math.min(zlo, mode - l);
    zhi = Math.max(zhi, mode + u);
  });
  const h = (zhi - zlo) / (points - 1);
  const f = ab.map((_, j) => Float64Array.from({ length: points }, (_, r) => Math.exp(ell(j, zlo + r * h))));
  const F = f.map((fj) => {
    const Fj = new Float64Array(points);
    for (let r = 1; r < points; r++) Fj[r] = Fj[r - 1]! + (h * (fj[r]! + fj[r - 1]!)) / 2;
    return Fj;
  });
  const cdfAt = (j: number, z: number): number => {
    const u = (z - zlo) / h;
    const r = Math.min(points - 2, Math.max(0, Math.floor(u)));
    return F[j]![r]! * (1 - (u - r)) + F[j]![r + 1]! * (u - r);
  };
  const threshold = ab.map(([a, b]) => (optimistic ? Math.log(a / (a + b)) - Math.log1p(-a / (a + b)) : -Infinity));
  const top = Math.max(...threshold);
  const out = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    const v = (r: number): number => {
      let x = f[i]![r]!;
      for (let j = 0; j < m; j++) if (j !== i) x *= F[j]![r]!;
      return x;
    };
    // continuous part above T (every index below T loses), the first cell cut exactly at T
    const r0 = top === -Infinity ? 0 : Math.floor((top - zlo) / h) + 1;
    if (top !== -Infinity) {
      let atTop = Math.exp(ell(i, top));
      for (let j = 0; j < m; j++) if (j !== i) atTop *= cdfAt(j, top);
      out[i]! += ((zlo + r0 * h - top) * (atTop + v(r0))) / 2;
    }
    for (let r = r0 + 1; r < points; r++) out[i]! += (h * (v(r) + v(r - 1))) / 2;
  }
  if (optimistic) {
    const tied = threshold.filter((t) => t === top).length;
    let product = 1;
    for (let j = 0; j < m; j++) product *= cdfAt(j, top);
    for (let i = 0; i < m; i++) if (threshold[i] === top) out[i]! += product / tied;
  }
  return out;
}

/** Random posteriors: 2–8 arms, evidence from 0 to 20,000 pulls, whole or fractional (decayed) counts, sometimes a non-uniform prior. */
function randomPosteriors(seed: number): { ab: Array<[number, number]>; optimistic: boolean } {
  const rng = createRng(seed, 'posteriors');
  const m = 2 + rng.int(7);
  const prior = rng.next() < 0.7 ? [1, 1] : [0.3 + 3 * rng.next(), 0.3 + 3 * rng.next()];
  const ab = Array.from({ length: m }, (): [number, number] => {
    const n = Math.floor(Math.exp(rng.next() * Math.log(20_000))) - 1;
    const p = 0.02 + 0.96 * rng.next();
    const s = rng.next() < 0.5 ? Math.round(p * n) : p * n;
    return [prior[0]! + s, prior[1]! + n - s];
  });
  return { ab, optimistic: rng.next() < 0.5 };
}

/**
 * Skewed laws: priors from 0.05 to 1 (a shape below 1 puts a heavy exponential tail on one side of
 * the logit variable), many arms still at their prior, the others with up to 5,000 pulls.
 */
function lowPriorPosteriors(seed: number): { ab: Array<[number, number]>; optimistic: boolean } {
  const rng = createRng(seed, 'low-prior posteriors');
  const m = 2 + rng.int(6);
  const prior = [0.05 + 0.95 * rng.next(), 0.05 + 0.95 * rng.next()];
  const ab = Array.from({ length: m }, (): [number, number] => {
    const n = rng.next() < 0.4 ? 0 : Math.floor(Math.exp(rng.next() * Math.log(5000)));
    const p = 0.02 + 0.96 * rng.next();
    return [prior[0]! + p * n, prior[1]! + n - p * n];
  });
  return { ab, optimistic: rng.next() < 0.5 };
}

describe('Thompson propensities by quadrature', () => {
  const quadrature = new IndexQuadrature();
  const shares = (ab: ReadonlyArray<readonly [number, number]>, optimistic: boolean, target: number): Float64Array => {
    const out = new Float64Array(ab.length);
    quadrature.betaShares(Float64Array.from(ab.flat()), 0, ab.length, optimistic, target, out);
    return out;
  };

  it(
    'are within 1% relative of a 10⁶-point integration for every arm down to 1e-6, over random posteriors',
    { timeout: 120_000 },
    () => {
      let small = 0;
      let worst = 0;
      // a seeded property: the posterior seeds come from fast-check's replayable seed
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { ab, optimistic } = randomPosteriors(seed);
          const reference = referenceBeta(ab, optimistic);
          const every = shares(ab, optimistic, -1);
          for (let i = 0; i < ab.length; i++) {
            const one = shares(ab, optimistic, i)[i]!;
            if (reference[i]! < 1e-6) {
              expect(one).toBeLessThan(2e-6);
              continue;
            }
            if (reference[i]! < 1e-3) small += 1;
            const error = Math.max(Math.abs(one / reference[i]! - 1), Math.abs(every[i]! / reference[i]! - 1));
            worst = Math.max(worst, error);
            expect(error, `arm ${i} of ${JSON.stringify(ab)} (optimistic ${optimistic})`).toBeLessThan(0.01);
          }
        }),
        { numRuns: 12 },
      );
      console.log(
        `[propensity] worst relative error ${worst.toExponential(2)}; ${small} propensities below 1e-3 checked`,
      );
    },
  );

  it(
    'are within 1% relative of a 10⁶-point integration for skewed laws (priors from 0.05), over random posteriors',
    { timeout: 120_000 },
    () => {
      let worst = 0;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { ab, optimistic } = lowPriorPosteriors(seed);
          const reference = referenceBeta(ab, optimistic);
          const every = shares(ab, optimistic, -1);
          for (let i = 0; i < ab.length; i++) {
            if (reference[i]! < 1e-6) {
              expect(every[i]).toBeLessThan(2e-6);
              continue;
            }
            const error = Math.abs(every[i]! / reference[i]! - 1);
            worst = Math.max(worst, error);
            expect(error, `arm ${i} of ${JSON.stringify(ab)} (optimistic ${optimistic})`).toBeLessThan(0.01);
          }
        }),
        { numRuns: 12 },
      );
      console.log(`[propensity] skewed laws: worst relative error ${worst.toExponential(2)}`);
    },
  );

  it('are within 1% of the integration when every posterior overlaps every other (10 equal arms after 20,000 steps)', () => {
    for (const optimistic of [false, true]) {
      const arms = Array.from({ length: 10 }, (_, i) => `arm-${i}`);
      const bandit = createBandit({ kind: 'thompson', optimistic, arms, seed: 5 });
      const rng = createRng(8, 'equal arms');
      for (let t = 0; t < 20_000; t++) bandit.update(bandit.select().arm, rng.next() < 0.3 ? 1 : 0);
      const ab = bandit
        .expectations()
        .map((e): [number, number] => [e.mean * (e.evidence + 2), (1 - e.mean) * (e.evidence + 2)]);
      const reference = referenceBeta(ab, optimistic);
      const every = shares(ab, optimistic, -1);
      every.forEach((p, i) => expect(Math.abs(p / reference[i]! - 1), `arm ${i}`).toBeLessThan(0.01));
    }
  });

  it('sum to 1 over every arm, and split exact ties evenly, for extreme laws (shapes from 0.001, counts to 1e12)', () => {
    // one shape near 0 stretches a law over thousands of units of z (it is then read without a
    // table); counts past 1e10 need ln B without cancellation
    const rng = createRng(17, 'extreme laws');
    let worst = 0;
    for (let c = 0; c < 300; c++) {
      const m = 2 + rng.int(6);
      const tiny = c % 2 === 0;
      const ab = Array.from({ length: m }, (): [number, number] => {
        const n = tiny
          ? Math.floor(Math.exp(rng.next() * Math.log(1e4)))
          : Math.floor(Math.exp(rng.next() * Math.log(1e12)));
        const p = rng.next() < 0.2 ? (rng.next() < 0.5 ? 0 : 1) : rng.next();
        const prior = tiny ? 0.001 + 0.05 * rng.next() : 1;
        return [prior + p * n, prior + (1 - p) * n];
      });
      if (c % 3 === 0) ab[1] = [...ab[0]!];
      const optimistic = rng.next() < 0.5;
      const p = shares(ab, optimistic, -1);
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
      const sum = p.reduce((s, v) => s + v, 0);
      worst = Math.max(worst, Math.abs(sum - 1));
      expect(Math.abs(sum - 1), `${JSON.stringify(ab)} (optimistic ${optimistic})`).toBeLessThan(0.005);
      if (c % 3 === 0) expect(p[0]).toBe(p[1]);
    }
    console.log(`[propensity] extreme laws: worst |Σ P − 1| ${worst.toExponential(2)}`);
    // two identical laws with 1e11 pulls each: ½ each (ln B used to lose 1% there)
    const huge = shares(
      [
        [7.7e10, 8.0e11],
        [7.7e10, 8.0e11],
      ],
      true,
      -1,
    );
    expect(huge[0]).toBeCloseTo(0.5, 4);
    // Beta(15.7, 0.0016) is almost surely above 0.95, so an arm near 0.93 rarely wins
    const skewed = shares(
      [
        [15.73, 0.0016],
        [70.1, 5.07],
      ],
      false,
      -1,
    );
    expect(skewed[0]! + skewed[1]!).toBeCloseTo(1, 3);
    expect(skewed[1]).toBeLessThan(0.02);
  });

  it('give the same bits for one arm or all, and whatever the cache holds', () => {
    const { ab, optimistic } = randomPosteriors(12_345);
    const first = shares(ab, optimistic, -1);
    const one = ab.map((_, i) => shares(ab, optimistic, i)[i]!);
    // evict every cached law with a few hundred others, then read again
    for (let r = 0; r < 300; r++) shares(randomPosteriors(r).ab, r % 2 === 0, -1);
    const again = shares(ab, optimistic, -1);
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(one).toEqual(Array.from(first));
  });

  it(
    'are within 1% of the integration for arms far below 1e-3 (a converged 10-arm posterior)',
    { timeout: 60_000 },
    () => {
      const means = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
      const pulls = [20, 25, 30, 40, 50, 70, 100, 200, 600, 8800];
      const ab = means.map((mu, i): [number, number] => [
        1 + Math.round(mu * pulls[i]!),
        1 + pulls[i]! - Math.round(mu * pulls[i]!),
      ]);
      for (const optimistic of [false, true]) {
        const reference = referenceBeta(ab, optimistic);
        expect(reference.filter((p) => p > 1e-6 && p < 1e-3).length).toBeGreaterThanOrEqual(4);
        ab.forEach((_, i) => {
          if (reference[i]! > 1e-6)
            expect(Math.abs(shares(ab, optimistic, i)[i]! / reference[i]! - 1)).toBeLessThan(0.01);
        });
      }
    },
  );

  it('split exact ties evenly, including the optimistic point mass', () => {
    for (const optimistic of [false, true]) {
      const p = shares(
        [
          [3, 5],
          [3, 5],
          [3, 5],
        ],
        optimistic,
        -1,
      );
      for (const v of p) expect(v).toBeCloseTo(1 / 3, 4);
    }
    // two fresh optimistic arms: each wins above the mean (∫_{1/2}^1 x dx = 3/8) or at it (¼ · ½)
    expect(
      shares(
        [
          [1, 1],
          [1, 1],
        ],
        true,
        0,
      )[0],
    ).toBeCloseTo(0.5, 4);
  });

  it('match the frequencies of the sampler (plain, optimistic and linear)', () => {
    for (const spec of [
      { kind: 'thompson', optimistic: false },
      { kind: 'thompson' },
      { kind: 'linear-thompson', dimension: 2, v: 0.5 },
    ] as const) {
      const bandit = createBandit({ ...spec, arms: ['a', 'b', 'c'], seed: 11 });
      const x = [1, 0.5];
      const ctx = spec.kind === 'linear-thompson' ? x : undefined;
      const rewards: Record<string, number> = { a: 0.3, b: 0.5, c: 0.45 };
      const rng = createRng(4, 'rewards');
      for (let t = 0; t < 60; t++) {
        const arm = ['a', 'b', 'c'][t % 3]!;
        bandit.update(arm, rng.next() < rewards[arm]! ? 1 : 0, ctx);
      }
      const exact = Object.fromEntries(bandit.rank(ctx).map((r) => [r.arm, r.propensity]));
      // select draws but never learns: 20,000 draws from the same posteriors
      const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
      const draws = 20_000;
      for (let r = 0; r < draws; r++) counts[bandit.select(ctx).arm]! += 1;
      for (const arm of ['a', 'b', 'c']) {
        const p = exact[arm]!;
        expect(Math.abs(counts[arm]! / draws - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / draws) + 1e-9);
      }
    }
  });

  it(
    'give linear Thompson propensities within 1% of a 10⁶-point integration, over random Gaussian scores',
    { timeout: 120_000 },
    () => {
      const rng = createRng(21, 'gaussian-cases');
      for (let c = 0; c < 4; c++) {
        const m = 2 + rng.int(7);
        const params = Array.from({ length: m }, () => [rng.normal() * 0.3, 0.02 + 0.3 * rng.next() ** 2]).flat();
        const lo = Math.min(...params.filter((_, i) => i % 2 === 0)) - 2;
        const hi = Math.max(...params.filter((_, i) => i % 2 === 0)) + 2;
        const points = 1_000_000;
        const h = (hi - lo) / (points - 1);
        // densities on the grid, CDFs by the cumulative trapezoid, then the trapezoid of f_i Π F_j
        const dens = Array.from({ length: m }, (_, k) => {
          const [mu, sd] = [params[2 * k]!, params[2 * k + 1]!];
          return Float64Array.from(
            { length: points },
            (_, r) => Math.exp(-0.5 * ((lo + r * h - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)),
          );
        });
        const cdf = dens.map((f) => {
          const F = new Float64Array(points);
          for (let r = 1; r < points; r++) F[r] = F[r - 1]! + (h * (f[r]! + f[r - 1]!)) / 2;
          return F;
        });
        const out = new Float64Array(m);
        quadrature.gaussianShares(Float64Array.from(params), 0, m, -1, out);
        for (let i = 0; i < m; i++) {
          let reference = 0;
          let previous = 0;
          for (let r = 0; r < points; r++) {
            let v = dens[i]![r]!;
            for (let j = 0; j < m; j++) if (j !== i) v *= cdf[j]![r]!;
            if (r > 0) reference += (h * (v + previous)) / 2;
            previous = v;
          }
          if (reference > 1e-6) expect(Math.abs(out[i]! / reference - 1), `case ${c} arm ${i}`).toBeLessThan(0.01);
        }
      }
    },
  );

  it('give linear Thompson propensities from the Gaussian scores, ties and zero spread included', () => {
    const gaussian = (params: number[], target = -1): Float64Array => {
      const out = new Float64Array(params.length / 2);
      quadrature.gaussianShares(Float64Array.from(params), 0, params.length / 2, target, out);
      return out;
    };
    // two Gaussians: P(X > Y) = Φ((μx − μy) / √(σx² + σy²)); here (0.3 − 0) / 0.5 = 0.6 → Φ(0.6)
    expect(gaussian([0.3, 0.3, 0, 0.4])[0]).toBeCloseTo(0.725746882, 5);
    // far in the tail: Φ(−5) = 2.8665e-7
    expect(gaussian([0, 0.3, 2.5, 0.4])[0]! / 2.866515719e-7).toBeCloseTo(1, 2);
    // no spread: deterministic, ties split
    expect(Array.from(gaussian([1, 0, 1, 0, 0.5, 0]))).toEqual([0.5, 0.5, 0]);
    // a fixed score against a spread one: P(N(0, 1) < 0.5) = Φ(0.5)
    expect(gaussian([0.5, 0, 0, 1])[0]).toBeCloseTo(0.691462461, 5);
    // scale does not matter
    expect(gaussian([0, 1e-200, 1e-200, 1e-200])[0]).toBeCloseTo(gaussian([0, 1, 1, 1])[0]!, 6);
  });
});
