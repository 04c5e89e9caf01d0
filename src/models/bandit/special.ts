/** Special functions for the propensity quadrature: log Γ, log B, softplus and Gauss–Legendre rules. */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0: the recurrence Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)) lifts x to at least 10,
 * then Stirling's series to the x⁻⁹ term (the next term, below 2e−14 there, bounds the error; Abramowitz & Stegun 6.1.41).
 */
export function logGamma(x: number): number {
  let shift = 0;
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
    shift += 1;
  }
  const stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingSeries(x);
  return shift === 0 ? stirling : stirling - Math.log(product);
}

/** ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π] for x ≥ 10: Stirling's series to the x⁻⁹ term. */
function stirlingSeries(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). ln Γ of a large argument is itself large (2.6e13
 * at 1e12), and the difference of three such numbers would keep only its last few digits, so for
 * a large shape the terms that cancel are taken together. With x ≤ y and s = x + y (c: Stirling's
 * series):
 *   x ≥ 10:  ln B = −x log1p(y/x) − y log1p(x/y) + ½ ln(s/(x·y)) + ½ ln 2π + c(x) + c(y) − c(s)
 *   y ≥ 10:  ln B = ln Γ(x) − (y − ½) log1p(x/y) − x ln s + x + c(y) − c(s)
 */
export function logBeta(a: number, b: number): number {
  const x = Math.min(a, b);
  const y = Math.max(a, b);
  const s = x + y;
  if (x >= 10) {
    return (
      -x * Math.log1p(y / x) -
      y * Math.log1p(x / y) +
      0.5 * Math.log(s / x / y) +
      HALF_LOG_2PI +
      stirlingSeries(x) +
      stirlingSeries(y) -
      stirlingSeries(s)
    );
  }
  if (y >= 10)
    return logGamma(x) - (y - 0.5) * Math.log1p(x / y) - x * Math.log(s) + x + stirlingSeries(y) - stirlingSeries(s);
  return logGamma(x) + logGamma(y) - logGamma(s);
}

/** ln(1 + eᶻ) without overflow or loss for large |z|. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The logistic function 1 / (1 + e⁻ᶻ). */
export function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** An n-point Gauss–Legendre rule on [0, 1]. */
export interface GaussRule {
  /** Nodes in (0, 1), ascending. */
  nodes: Float64Array;
  /** Weights, summing to 1. */
  weights: Float64Array;
}

/** Builds the n-point rule: Legendre roots by Newton's method, weights 2 / ((1 − x²) P′ₙ(x)²), mapped to [0, 1]. */
export function gaussLegendre(n: number): GaussRule {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    // ascending on [0, 1]
    nodes[n - 1 - i] = (1 + x) / 2;
    weights[n - 1 - i] = 1 / ((1 - x * x) * derivative * derivative);
  }
  return { nodes, weights };
}
