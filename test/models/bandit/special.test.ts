import { describe, expect, it } from 'vitest';
import { gaussLegendre, logBeta, logGamma, logistic, softplus } from '../../../src/models/bandit/special.js';

describe('special functions', () => {
  it('logGamma matches known values and the recurrence', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12);
    expect(logGamma(1e6)).toBeCloseTo(12_815_504.56914761, 5);
    for (const x of [0.01, 0.3, 2.5, 7.7, 42]) expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 12);
    expect(logBeta(3, 4)).toBeCloseTo(Math.log(1 / 60), 13);
  });

  it('logBeta keeps its digits for huge shapes: B(a, b + 1) = B(a, b)·b/(a + b)', () => {
    for (const [a, b] of [
      [3e11, 5e11],
      [7, 9e11],
      [0.5, 4e10],
      [1e6, 3e6],
      [12, 30],
    ] as const) {
      // |ln B| reaches 4e11 here (a last digit of 6e-5); the three ln Γ of about 2e13 lost 4e-3
      expect(logBeta(a, b + 1) - logBeta(a, b), `${a}, ${b}`).toBeCloseTo(Math.log(b / (a + b)), 3);
      expect(logBeta(a, b)).toBe(logBeta(b, a));
    }
    expect(logBeta(12, 30)).toBeCloseTo(logGamma(12) + logGamma(30) - logGamma(42), 12);
  });

  it('softplus and logistic stay finite and agree where they overlap', () => {
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(logistic(-800)).toBe(0);
    expect(Math.log(logistic(3.25) / logistic(-3.25))).toBeCloseTo(3.25, 12);
  });

  it('an n-point Gauss–Legendre rule integrates polynomials of degree < 2n exactly on [0, 1]', () => {
    const { nodes, weights } = gaussLegendre(6);
    for (let degree = 0; degree < 12; degree++) {
      let sum = 0;
      for (let r = 0; r < 6; r++) sum += weights[r]! * nodes[r]! ** degree;
      expect(sum).toBeCloseTo(1 / (degree + 1), 13);
    }
  });
});
