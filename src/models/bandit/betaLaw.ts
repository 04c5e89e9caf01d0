/**
 * Beta laws in the logit variable z = ln(x / (1 − x)), for the propensity quadrature
 * (`propensity.ts`): each law's bulk and a table of ln F, built once per (α, β) and cached.
 *
 * In z, Beta(a, b) has the density f(z) = e^{ℓ(z)}, ℓ(z) = a·z − (a + b)·softplus(z) − ln B(a, b):
 * smooth, bounded and log-concave whatever its shapes, with its mode at ln(a/b) — the logit of the
 * posterior mean — and local standard deviation √(1/a + 1/b) there.
 *
 * A law's table covers its bulk [lo, cut] with uniform cells no wider than {@link MAX_STEP} of its
 * finest scale 1/√(max −ℓ″) over the bulk (at least {@link MIN_CELLS} of them). F at lo comes from
 * the tail's asymptotic series, then cell by cell from the two-point Hermite rule
 *   ∫₀ʰ f ≈ h/2 (f₀ + f₁) + h²/10 (f₀′ − f₁′) + h³/120 (f₀″ + f₁″),
 * exact for quintics; each cell holds the quintic that matches ln F, (ln F)′ = f/F and
 * (ln F)″ = (f/F)(ℓ′ − f/F) at its two ends. A lookup is then one polynomial in the cell.
 *
 * A law too skewed for such a table — one shape near 0 stretches its bulk over thousands of units
 * of z, while the other keeps a steep side that needs fine cells (Beta(16, 0.002)) — has none: each
 * lookup evaluates the regularized incomplete beta function by its continued fraction (Numerical
 * Recipes §6.4), in logs so that neither tail underflows. Slow (tens of iterations a lookup), exact,
 * and only for priors far below 1 on arms with little data.
 *
 * A law is a pure function of (α, β), so what is cached never changes a result; the tables are
 * shared by every bandit.
 */
import { logBeta, logistic, softplus } from './special.js';

// ---------------------------------------------------------------- layout of a law

/** Fields of a law's header (a Float64Array), then ORDER coefficients per cell. */
const A = 0;
const B = 1;
/** Lower edge of the bulk: ℓ is {@link DROP} below its peak. */
const LO = 2;
/** Upper edge of the bulk, where the density ends. */
const HI = 3;
/** Above this, F is 1 (to about 1e−7). */
const CUT = 4;
const NEG_LOG_BETA = 5;
const INVERSE_STEP = 6;
const MODE = 7;
const CELL_COUNT = 8;
/** 1 once the ln F table is filled (on a law's first ln F lookup: many laws never need one). */
const BUILT = 9;
/** F at the mode, NaN until asked for (see {@link keepCdfAtMode}). */
const CDF_AT_MODE = 10;
/** The law's finest scale 1/√(max −ℓ″) over its bulk: √(1/a + 1/b) at the mode for a law with large counts. */
const SPREAD = 11;
const HEADER = 12;
/** Coefficients per cell: ln F's quintic on the cell in the cell's own variable w ∈ [0, 1]. */
const ORDER = 6;

/** A law's bulk: where its log-density is within this of its maximum (outside: under e^−20 ≈ 2e−9 of its mass). */
const DROP = 20;
/** Above this drop on the upper side F is taken as 1 (1 − F below about 1e−7). */
const UPPER_DROP = 16;
/** Fewest cells of a table: the bulk of a law with large counts spans about 12 standard deviations. */
const MIN_CELLS = 32;
/** Widest cell, in units of the law's finest scale: skewed laws (a shape below 1) get more cells. */
const MAX_STEP = 0.4;
/** Most cells of a table; a law that needs more is evaluated directly (see the file's comment). */
const MAX_CELLS = 512;
/** Iterations of the continued fraction at most (it converges in O(√max(a, b)), for x below the mean). */
const MAX_FRACTION_TERMS = 100_000;

/** One Beta law: header and ln F table (see the field constants above). */
export type BetaLaw = Float64Array;

// ---------------------------------------------------------------- the cache

const CACHE_SLOTS = 128;
/** Slots tried for one law (open addressing). */
const PROBES = 4;
const slots: Array<BetaLaw | undefined> = new Array<BetaLaw | undefined>(CACHE_SLOTS).fill(undefined);
/** The read that last used each slot: a slot in use by the current read is never evicted. */
const stamp = new Float64Array(CACHE_SLOTS);
/** Laws of the current read that found every probed slot taken, by arm. */
const overflow: BetaLaw[] = [];
let currentRead = 0;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Starts a read: the laws it looks up stay cached until the next one starts. */
export function beginRead(): void {
  currentRead += 1;
}

/**
 * Beta(a, b), from the cache or built on a miss. When every probed slot holds a law of the current
 * read, the law goes to the overflow entry of arm `k`.
 */
export function betaLaw(a: number, b: number, k: number): BetaLaw {
  bits[0] = a;
  let h = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, 0x85ebca6b), 0x9e3779b1);
  bits[0] = b;
  h = Math.imul(h ^ (words[0] as number) ^ Math.imul(words[1] as number, 0x27d4eb2f), 0xc2b2ae35);
  h ^= h >>> 15;
  const home = (h >>> 0) % CACHE_SLOTS;
  let victim = -1;
  for (let p = 0; p < PROBES; p++) {
    const slot = (home + p) % CACHE_SLOTS;
    const law = slots[slot];
    if (law !== undefined && law[A] === a && law[B] === b) {
      stamp[slot] = currentRead;
      return law;
    }
    if (victim < 0 && stamp[slot] !== currentRead) victim = slot;
  }
  if (victim < 0) {
    const law = makeLaw(a, b, overflow[k]);
    overflow[k] = law;
    return law;
  }
  stamp[victim] = currentRead;
  const law = makeLaw(a, b, slots[victim]);
  slots[victim] = law;
  return law;
}

/** The header of Beta(a, b), in `reuse` when it is long enough for the law's cells. */
function makeLaw(a: number, b: number, reuse: BetaLaw | undefined): BetaLaw {
  const sum = a + b;
  const mode = Math.log(a) - Math.log(b);
  const peak = a * mode - sum * softplus(mode);
  const spread = Math.sqrt(1 / a + 1 / b);
  const lo = betaEdge(a, b, mode, peak, DROP, -spread);
  const hi = betaEdge(a, b, mode, peak, DROP, spread);
  const cut = betaEdge(a, b, mode, peak, UPPER_DROP, spread);
  const span = cut - lo;
  // −ℓ″ = (a + b)·σ(1 − σ) is largest where z is nearest 0
  const nearest = Math.min(Math.max(0, lo), cut);
  const sigma = logistic(nearest);
  const finest = Math.min(spread, 1 / Math.sqrt(sum * sigma * (1 - sigma)));
  const needed = Math.ceil(span / (MAX_STEP * finest));
  // 0 cells: evaluated directly
  const cells = needed > MAX_CELLS ? 0 : Math.max(MIN_CELLS, needed);
  const size = HEADER + ORDER * cells;
  const law =
    reuse !== undefined && reuse.length >= size ? reuse : new Float64Array(Math.max(size, HEADER + ORDER * MIN_CELLS));
  law[A] = a;
  law[B] = b;
  law[LO] = lo;
  law[HI] = hi;
  law[CUT] = cut;
  law[NEG_LOG_BETA] = -logBeta(a, b);
  law[INVERSE_STEP] = cells / span;
  law[MODE] = mode;
  law[CELL_COUNT] = cells;
  law[BUILT] = 0;
  law[CDF_AT_MODE] = NaN;
  law[SPREAD] = finest;
  return law;
}

/**
 * Where a·z − (a + b)·softplus(z) falls `drop` below its value `peak` at the mode, on the side given
 * by the sign of `step` (± the local standard deviation): from the quadratic model, then Newton's
 * method on the concave function (from outside the bulk it moves monotonically to the root, from
 * inside it overshoots once to the outside). An edge only bounds a table, so within 0.25 of the drop
 * is close enough: the model alone usually is.
 */
function betaEdge(a: number, b: number, mode: number, peak: number, drop: number, step: number): number {
  const level = peak - drop;
  let z = mode + Math.sqrt(2 * drop) * step;
  for (let iter = 0; iter < 100; iter++) {
    const g = a * z - (a + b) * softplus(z) - level;
    if (Math.abs(g) < 0.25) break;
    const slope = a - (a + b) * logistic(z);
    z = slope === 0 ? z + step : z - g / slope;
  }
  return z;
}

/** Scratch for {@link buildTable}, per node: e^−|z| then logistic(z); ℓ then f; F; ln F. */
const logistics = new Float64Array(MAX_CELLS + 1);
const densities = new Float64Array(MAX_CELLS + 1);
const cdfs = new Float64Array(MAX_CELLS + 1);
const logCdfs = new Float64Array(MAX_CELLS + 1);

/**
 * Fills the ln F table of `law` (see the file's comment). In passes over the nodes, each
 * transcendental function in a loop of its own: V8 calls them out of line, and a loop that holds
 * little else across the call runs about twice as fast.
 */
function buildTable(law: BetaLaw): void {
  law[BUILT] = 1;
  const a = law[A] as number;
  const sum = a + (law[B] as number);
  const lo = law[LO] as number;
  const negLogBeta = law[NEG_LOG_BETA] as number;
  const cells = law[CELL_COUNT] as number;
  const h = ((law[CUT] as number) - lo) / cells;
  for (let k = 0; k <= cells; k++) logistics[k] = Math.exp(-Math.abs(lo + k * h));
  for (let k = 0; k <= cells; k++) densities[k] = Math.log1p(logistics[k] as number);
  for (let k = 0; k <= cells; k++) {
    const z = lo + k * h;
    const e = logistics[k] as number;
    logistics[k] = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    densities[k] = a * z - sum * ((z > 0 ? z : 0) + (densities[k] as number)) + negLogBeta;
  }
  for (let k = 0; k <= cells; k++) densities[k] = Math.exp(densities[k] as number);
  // F: the tail series F ≈ (f/ℓ′)(1 + ℓ″/ℓ′² + 3ℓ″²/ℓ′⁴ − ℓ‴/ℓ′³) at lo, then cell by cell the
  // Hermite rule with f, f′ = fℓ′, f″ = f(ℓ′² + ℓ″); a CDF never falls
  const half = h / 2;
  const tenth = (h * h) / 10;
  const w120 = (h * h * h) / 120;
  let F = 0;
  let f0 = 0;
  let d0 = 0;
  let c0 = 0;
  for (let k = 0; k <= cells; k++) {
    const s = logistics[k] as number;
    const f = densities[k] as number;
    const l1 = a - sum * s;
    const l2 = -sum * s * (1 - s);
    const df = f * l1;
    const cf = f * (l1 * l1 + l2);
    if (k === 0) {
      const r2 = l2 / (l1 * l1);
      const r3 = (l2 * (1 - 2 * s)) / (l1 * l1 * l1); // ℓ‴/ℓ′³
      F = l1 > 0 ? (f / l1) * Math.max(0.5, 1 + r2 + 3 * r2 * r2 - r3) : 0;
    } else F = Math.max(F, F + half * (f0 + f) + tenth * (d0 - df) + w120 * (c0 + cf));
    f0 = f;
    d0 = df;
    c0 = cf;
    cdfs[k] = F;
  }
  for (let k = 0; k <= cells; k++) logCdfs[k] = Math.log(cdfs[k] as number);
  // per cell the quintic with p, p′, p″ = (p0, m0, k0) at w = 0 and (p1, m1, k1) at w = 1, where
  // p = ln F, p′ = h·f/F, p″ = h²·(f/F)(ℓ′ − f/F)
  let p0 = 0;
  let m0 = 0;
  let k0 = 0;
  for (let k = 0; k <= cells; k++) {
    const hazard = (densities[k] as number) / (cdfs[k] as number);
    const p1 = logCdfs[k] as number;
    const m1 = hazard * h;
    const k1 = hazard * (a - sum * (logistics[k] as number) - hazard) * h * h;
    if (k > 0) {
      const o = HEADER + ORDER * (k - 1);
      const r0 = p1 - p0 - m0 - k0 / 2;
      const r1 = m1 - m0 - k0;
      const r2 = k1 - k0;
      law[o] = p0;
      law[o + 1] = m0;
      law[o + 2] = k0 / 2;
      law[o + 3] = 10 * r0 - 4 * r1 + r2 / 2;
      law[o + 4] = -15 * r0 + 7 * r1 - r2;
      law[o + 5] = 6 * r0 - 3 * r1 + r2 / 2;
    }
    p0 = p1;
    m0 = m1;
    k0 = k1;
  }
}

/**
 * ln F(z) = ln I_x(a, b) at x = logistic(z), from the continued fraction of I_x (Numerical Recipes
 * §6.4, modified Lentz), for x below (a + 1)/(a + b + 2), or as ln(1 − I_{1−x}(b, a)) above, where
 * the fraction of the mirrored law converges instead. The prefactor xᵃ(1 − x)ᵇ/B is taken in logs
 * (ln x = −softplus(−z), ln(1 − x) = −softplus(z)), so neither tail underflows.
 */
function directLogCdf(law: BetaLaw, z: number): number {
  const a = law[A] as number;
  const b = law[B] as number;
  const logX = -softplus(-z);
  const logY = -softplus(z);
  const logPrefactor = a * logX + b * logY + (law[NEG_LOG_BETA] as number);
  if (logistic(z) < (a + 1) / (a + b + 2))
    return logPrefactor - Math.log(a) + Math.log(betaFraction(a, b, Math.exp(logX)));
  const logUpper = logPrefactor - Math.log(b) + Math.log(betaFraction(b, a, Math.exp(logY)));
  return Math.log1p(-Math.exp(logUpper));
}

/** The continued fraction of I_x(a, b) (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_FRACTION_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-13) break;
  }
  return h;
}

// ---------------------------------------------------------------- reading a law

export function lowerEdgeOf(law: BetaLaw): number {
  return law[LO] as number;
}

export function upperEdgeOf(law: BetaLaw): number {
  return law[HI] as number;
}

/** Above this, F = 1 to about 1e−7. */
export function cutOf(law: BetaLaw): number {
  return law[CUT] as number;
}

/** The mode in z, ln(a/b): the logit of the posterior mean, where the optimistic index is floored. */
export function modeOf(law: BetaLaw): number {
  return law[MODE] as number;
}

/** The finest scale on which F changes: √(1/a + 1/b), the sd at the mode, unless the law is skewed. */
export function spreadOf(law: BetaLaw): number {
  return law[SPREAD] as number;
}

/** ℓ(z) = ln f(z). */
export function betaLogDensity(law: BetaLaw, z: number): number {
  const a = law[A] as number;
  return a * z - (a + (law[B] as number)) * softplus(z) + (law[NEG_LOG_BETA] as number);
}

/**
 * Writes ℓ(zs[r]) + offset + slope·(zs[r] − from) to `out[r]` for r < n: the density of a panel's
 * nodes with a linear term added.
 */
export function betaLogDensities(
  law: BetaLaw,
  zs: Float64Array,
  n: number,
  offset: number,
  slope: number,
  from: number,
  out: Float64Array,
): void {
  const a = law[A] as number;
  const sum = a + (law[B] as number);
  const constant = (law[NEG_LOG_BETA] as number) + offset;
  // softplus(z) = max(z, 0) + ln(1 + e^−|z|), each transcendental function in a loop of its own (see buildTable)
  for (let r = 0; r < n; r++) out[r] = Math.exp(-Math.abs(zs[r] as number));
  for (let r = 0; r < n; r++) out[r] = Math.log1p(out[r] as number);
  for (let r = 0; r < n; r++) {
    const z = zs[r] as number;
    out[r] = a * z - sum * ((z > 0 ? z : 0) + (out[r] as number)) + constant + slope * (z - from);
  }
}

/** ℓ′(z) = a − (a + b)·logistic(z); leaves −ℓ″(z) in `derivatives[1]`. */
export function betaLogDensitySlope(law: BetaLaw, z: number): number {
  const a = law[A] as number;
  const sum = a + (law[B] as number);
  const s = logistic(z);
  derivatives[1] = sum * s * (1 - s);
  return a - sum * s;
}

/** ln F(z). */
export function betaLogCdf(law: BetaLaw, z: number): number {
  if (z >= (law[CUT] as number)) return 0;
  const cells = law[CELL_COUNT] as number;
  if (cells === 0) return directLogCdf(law, z);
  if (law[BUILT] === 0) buildTable(law);
  const u = (z - (law[LO] as number)) * (law[INVERSE_STEP] as number);
  // below the table (only a point mass far under a law's bulk): extend ln F along its first slope
  if (u <= 0) return (law[HEADER] as number) + (law[HEADER + 1] as number) * u;
  const cell = u < cells - 1 ? Math.floor(u) : cells - 1;
  const w = u - cell;
  const o = HEADER + ORDER * cell;
  return (
    (law[o] as number) +
    w *
      ((law[o + 1] as number) +
        w *
          ((law[o + 2] as number) +
            w * ((law[o + 3] as number) + w * ((law[o + 4] as number) + w * (law[o + 5] as number)))))
  );
}

/** Adds ln F(zs[r]) to `out[r]` for r < n: {@link betaLogCdf} over a panel's nodes, in one loop. */
export function addBetaLogCdf(law: BetaLaw, zs: Float64Array, n: number, out: Float64Array): void {
  const cut = law[CUT] as number;
  if (law[CELL_COUNT] === 0) {
    addDirectLogCdf(law, zs, n, out);
    return;
  }
  const lo = law[LO] as number;
  const inverse = law[INVERSE_STEP] as number;
  const last = (law[CELL_COUNT] as number) - 1;
  for (let r = 0; r < n; r++) {
    const z = zs[r] as number;
    if (z >= cut) continue;
    if (law[BUILT] === 0) buildTable(law);
    const u = (z - lo) * inverse;
    if (u <= 0) {
      out[r] = (out[r] as number) + (law[HEADER] as number) + (law[HEADER + 1] as number) * u;
      continue;
    }
    const cell = u < last ? Math.floor(u) : last;
    const w = u - cell;
    const o = HEADER + ORDER * cell;
    out[r] =
      (out[r] as number) +
      (law[o] as number) +
      w *
        ((law[o + 1] as number) +
          w *
            ((law[o + 2] as number) +
              w * ((law[o + 3] as number) + w * ((law[o + 4] as number) + w * (law[o + 5] as number)))));
  }
}

/** {@link addBetaLogCdf} for a law without a table (kept apart so the table path stays small). */
function addDirectLogCdf(law: BetaLaw, zs: Float64Array, n: number, out: Float64Array): void {
  const cut = law[CUT] as number;
  for (let r = 0; r < n; r++) {
    const z = zs[r] as number;
    if (z < cut) out[r] = (out[r] as number) + directLogCdf(law, z);
  }
}

/** Scratch for the derivative readers: [1] holds the last curvature (minus the second derivative). */
export const derivatives = new Float64Array(2);

/** (ln F)′(z) = f/F, from the table's quintic; leaves −(ln F)″ ≥ 0 in `derivatives[1]`. */
export function betaLogCdfSlope(law: BetaLaw, z: number): number {
  if (z >= (law[CUT] as number)) {
    derivatives[1] = 0;
    return 0;
  }
  if (law[CELL_COUNT] === 0) return directLogCdfSlope(law, z);
  if (law[BUILT] === 0) buildTable(law);
  const inverse = law[INVERSE_STEP] as number;
  const u = (z - (law[LO] as number)) * inverse;
  if (u <= 0) {
    derivatives[1] = 0;
    return (law[HEADER + 1] as number) * inverse;
  }
  const last = (law[CELL_COUNT] as number) - 1;
  const cell = u < last ? Math.floor(u) : last;
  const w = u - cell;
  const o = HEADER + ORDER * cell;
  const c2 = law[o + 2] as number;
  const c3 = law[o + 3] as number;
  const c4 = law[o + 4] as number;
  const c5 = law[o + 5] as number;
  derivatives[1] = Math.max(0, -(2 * c2 + w * (6 * c3 + w * (12 * c4 + w * 20 * c5))) * inverse * inverse);
  return ((law[o + 1] as number) + w * (2 * c2 + w * (3 * c3 + w * (4 * c4 + w * 5 * c5)))) * inverse;
}

/** {@link betaLogCdfSlope} for a law without a table: (ln F)′ = f/F, −(ln F)″ = (f/F)(f/F − ℓ′). */
function directLogCdfSlope(law: BetaLaw, z: number): number {
  const hazard = Math.exp(betaLogDensity(law, z) - directLogCdf(law, z));
  const slope = betaLogDensitySlope(law, z);
  derivatives[1] = Math.max(0, hazard * (hazard - slope));
  return hazard;
}

/** F at the mode as kept by {@link keepCdfAtMode}, or NaN. */
export function keptCdfAtMode(law: BetaLaw): number {
  return law[CDF_AT_MODE] as number;
}

/** Keeps F at the mode with the law (a pure function of it, computed by the quadrature). */
export function keepCdfAtMode(law: BetaLaw, value: number): void {
  law[CDF_AT_MODE] = value;
}
