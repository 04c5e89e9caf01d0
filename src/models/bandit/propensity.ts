/**
 * Selection probabilities of the sampling policies, computed by quadrature rather than sampled.
 *
 * Each arm's index is Y_j = max(X_j, t_j): a continuous posterior draw X_j with density f_j and CDF
 * F_j, floored at a threshold t_j — the posterior mean for optimistic Thompson sampling (May et al.
 * 2012), −∞ otherwise; an arm with no spread is all threshold. The policy picks the largest index,
 * ties uniformly, so the probability that arm i is picked is
 *
 *   P_i = ∫_{x > L_i} f_i(x) Π_{j≠i} F_j(x) dx   +   [t_i = T] · Π_j F_j(T) / #{j : t_j = T}
 *
 * with T = max_j t_j and L_i ≥ every threshold (below it some index beats arm i's draw for sure).
 * The second term is the point mass: an arm whose index sits at T wins when every other index is at
 * most T (the arms with t_j = T are then at T too) and the tie is split evenly.
 *
 * Beta posteriors are integrated in the logit variable z = ln(x / (1 − x)), where every Beta law has
 * a smooth, bounded, log-concave density ∝ xᵃ(1 − x)ᵇ, whatever its shapes; Gaussian scores (linear
 * Thompson sampling) in x itself. The integrand g = f_i Π F_j is log-concave (Prékopa 1973: CDFs of
 * log-concave densities are log-concave), so the walk finds its peak by a safeguarded Newton step and
 * integrates outward with Gauss–Legendre panels sized by the local slope and curvature of ln g, until
 * ln g has fallen {@link INTEGRAND_DROP} below its peak.
 *
 * ln F_j is read from a table per Beta law (a cubic Hermite interpolant of ln F and its derivative
 * f/F on a uniform grid over the law's bulk, built once per (α, β) and cached — between two
 * selects only the updated arm's table changes; the chosen arm's own F at its mean, for the point
 * mass, is integrated directly, so the arm just updated needs no table), or from a rational erfc
 * approximation for Gaussians. Accuracy: within 1% relative of a 10⁶-point integration for propensities down to
 * 1e−6 (test/models/bandit/propensity.test.ts).
 */
import { gaussLegendre, logBeta, logistic, logit, softplus } from './special.js';

/** Gauss–Legendre nodes per panel. */
const NODES = 6;
const RULE = gaussLegendre(NODES);
/** Largest change of ln g across one panel (slope × width). */
const PANEL_SLOPE = 8;
/** Largest panel width in units of the integrand's local standard deviation 1/√(−(ln g)″). */
const PANEL_WIDTH = 3;
/** The integrand is integrated until ln g falls this far below its peak (about e^−16 ≈ 1e−7 of it is left out). */
const INTEGRAND_DROP = 16;
/** A law's bulk: where its log-density is within this of its maximum (outside: under e^−20 ≈ 2e−9 of its mass). */
const DROP = 20;
/** Above this drop on the upper side F is taken as 1 (1 − F below about 1e−7). */
const UPPER_DROP = 16;
/** A competitor with ln F above −NEGLIGIBLE over the window counts as F = 1. */
const NEGLIGIBLE = 1e-7;
/** A competitor whose ln F changes by less than this over the window enters as a chord. */
const FOLD = 3e-4;
/** Cells of each Beta law's ln F table. */
const CELLS = 64;

// ---------------------------------------------------------------- Beta tables

/** Per law: a, b, lo, hi, cut, −ln B, cell width, mode, table built (0/1), then ln F and f/F at CELLS + 1 points. */
const HEADER = 9;
const SLOT = HEADER + 2 * (CELLS + 1);
const CACHE_SLOTS = 128;
/** Slots tried for one law (open addressing). */
const PROBES = 4;

/**
 * Tables of Beta laws in the logit variable, keyed on (α, β) and shared by every bandit: an entry is
 * a pure function of (α, β), so what is cached never changes a result. Allocated on first use.
 */
let table = new Float64Array(0);
/** The read that last used each slot: a slot in use by the current read is never evicted. */
const stamp = new Float64Array(CACHE_SLOTS);
let currentRead = 0;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Offset of Beta(a, b)'s entry in {@link table}, built on a miss. When every probed slot holds a law
 * of the current read, the law goes to the overflow slot of arm `k` (after the cached slots).
 */
function betaLaw(a: number, b: number, k: number): number {
  if (table.length === 0) table = new Float64Array(CACHE_SLOTS * SLOT).fill(NaN);
  bits[0] = a;
  let h = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, 0x85ebca6b), 0x9e3779b1);
  bits[0] = b;
  h = Math.imul(h ^ (words[0] as number) ^ Math.imul(words[1] as number, 0x27d4eb2f), 0xc2b2ae35);
  h ^= h >>> 15;
  const home = (h >>> 0) % CACHE_SLOTS;
  let victim = -1;
  for (let p = 0; p < PROBES; p++) {
    const slot = (home + p) % CACHE_SLOTS;
    const at = slot * SLOT;
    if (table[at] === a && table[at + 1] === b) {
      stamp[slot] = currentRead;
      return at;
    }
    if (victim < 0 && stamp[slot] !== currentRead) victim = slot;
  }
  if (victim < 0) {
    const at = (CACHE_SLOTS + k) * SLOT;
    if (table.length < at + SLOT) {
      const grown = new Float64Array(Math.max(at + SLOT, 2 * table.length)).fill(NaN);
      grown.set(table);
      table = grown;
    }
    buildBetaLaw(a, b, at); // probes never reach the overflow slots
    return at;
  }
  stamp[victim] = currentRead;
  buildBetaLaw(a, b, victim * SLOT);
  return victim * SLOT;
}

function buildBetaLaw(a: number, b: number, at: number): void {
  const sum = a + b;
  const mode = Math.log(a) - Math.log(b);
  const peak = a * mode - sum * softplus(mode);
  const spread = Math.sqrt(1 / a + 1 / b);
  const lo = betaEdge(a, b, mode, peak - DROP, -spread);
  const hi = betaEdge(a, b, mode, peak - DROP, spread);
  const cut = betaEdge(a, b, mode, peak - UPPER_DROP, spread);
  const logB = logBeta(a, b);
  const step = (cut - lo) / CELLS;
  table[at] = a;
  table[at + 1] = b;
  table[at + 2] = lo;
  table[at + 3] = hi;
  table[at + 4] = cut;
  table[at + 5] = -logB;
  table[at + 6] = step;
  table[at + 7] = mode;
  table[at + 8] = 0;
}

/** Fills the ln F table of the law at `at` (on its first use: many reads never need it). */
function buildCdfTable(at: number): void {
  table[at + 8] = 1;
  const a = table[at] as number;
  const sum = a + (table[at + 1] as number);
  const lo = table[at + 2] as number;
  const logB = -(table[at + 5] as number);
  const step = table[at + 6] as number;
  const logF = at + HEADER;
  const slope = logF + CELLS + 1;
  // F at lo from the tail's asymptotic series F ≈ (f/ℓ′)(1 + ℓ″/ℓ′²), then the Euler–Maclaurin
  // corrected trapezoid h/2 (f₀ + f₁) + h²/12 (f₀′ − f₁′) cell by cell (fourth order)
  let F = 0;
  let fPrev = 0;
  let dPrev = 0;
  for (let k = 0; k <= CELLS; k++) {
    const z = lo + k * step;
    const e = Math.exp(-Math.abs(z));
    const sp = (z > 0 ? z : 0) + Math.log1p(e);
    const s = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const f = Math.exp(a * z - sum * sp - logB);
    const d1 = a - sum * s; // ℓ′
    const df = f * d1;
    if (k === 0) {
      const d2 = -sum * s * (1 - s);
      F = d1 > 0 ? (f / d1) * Math.max(0.5, 1 + d2 / (d1 * d1)) : 0;
    } else F = Math.max(F, F + (step / 2) * (fPrev + f) + ((step * step) / 12) * (dPrev - df)); // a CDF never falls
    fPrev = f;
    dPrev = df;
    table[logF + k] = Math.log(F);
    table[slope + k] = f / F;
  }
}

/**
 * Where the z-log-density a·z − (a + b)·softplus(z) of Beta(a, b) falls to `level`, on the side of the
 * mode given by the sign of `step`. Newton's method on a concave function: from outside the bulk it
 * moves monotonically to the root, from inside it overshoots once to the outside. Stops within 0.01.
 */
function betaEdge(a: number, b: number, mode: number, level: number, step: number): number {
  let z = mode + Math.sqrt(2 * (a * mode - (a + b) * softplus(mode) - level)) * step;
  for (let iter = 0; iter < 100; iter++) {
    const g = a * z - (a + b) * softplus(z) - level;
    if (Math.abs(g) < 0.01) break;
    const slope = a - (a + b) * logistic(z);
    z = slope === 0 ? z + step : z - g / slope;
  }
  return z;
}

/** ln F(z) of the Beta law at table offset `at`: cubic Hermite on the ln F table (the slopes are f/F). */
function betaLogCdf(at: number, z: number): number {
  if (z >= (table[at + 4] as number)) return 0;
  if (table[at + 8] === 0) buildCdfTable(at);
  const lo = table[at + 2] as number;
  const h = table[at + 6] as number;
  const base = at + HEADER;
  const u = (z - lo) / h;
  // below the table (only a point mass far under a law's bulk): extend ln F along its last slope
  if (u <= 0) return (table[base] as number) + (table[base + CELLS + 1] as number) * (z - lo);
  const cell = u < CELLS - 1 ? Math.floor(u) : CELLS - 1;
  const t = u - cell;
  const p0 = table[base + cell] as number;
  const p1 = table[base + cell + 1] as number;
  const m0 = (table[base + CELLS + 1 + cell] as number) * h;
  const m1 = (table[base + CELLS + 2 + cell] as number) * h;
  // Hermite basis in Horner form: p0 + t(m0 + t(3(p1 − p0) − 2m0 − m1 + t(2(p0 − p1) + m0 + m1)))
  const d = p1 - p0;
  return p0 + t * (m0 + t * (3 * d - 2 * m0 - m1 + t * (m0 + m1 - 2 * d)));
}

// ---------------------------------------------------------------- Gaussian CDF

/**
 * ln Φ(x), from the Chebyshev-fitted erfc of Press et al. (Numerical Recipes, §6.2; fractional error
 * below 1.2e−7 everywhere), so relative accuracy holds deep in the lower tail.
 */
function logPhi(x: number): number {
  const y = -x * Math.SQRT1_2; // Φ(x) = erfc(y) / 2
  const w = Math.abs(y);
  const t = 1 / (1 + 0.5 * w);
  const poly =
    -w * w -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  if (y >= 0) return Math.log(t) + poly - Math.LN2;
  return Math.log1p(-0.5 * t * Math.exp(poly));
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// ---------------------------------------------------------------- the quadrature

/** Workspace of one read; reused, so a read allocates nothing. */
export class IndexQuadrature {
  private capacity = 0;
  /** Beta: table offset of each arm. */
  private law = new Int32Array(0);
  /** Gaussian: mean and sd of each arm. */
  private mean = new Float64Array(0);
  private sd = new Float64Array(0);
  private threshold = new Float64Array(0);
  private lo = new Float64Array(0);
  private relevant = new Int32Array(0);
  private relevantCount = 0;
  private beta = true;
  /** The folded competitors' ln F ≈ chordAt + chordSlope·(z − lower) on the current window. */
  private chordAt = 0;
  private chordSlope = 0;
  private lower = 0;
  /** Results of the last {@link slope} call. */
  private curvature = 0;

  /**
   * Beta–Bernoulli Thompson sampling: `params[offset + 2k]`, `params[offset + 2k + 1]` hold (α, β) of
   * arm k < m. Writes P_target to `out[target]`, or every P_k when `target` is −1.
   */
  betaShares(
    params: Float64Array,
    offset: number,
    m: number,
    optimistic: boolean,
    target: number,
    out: Float64Array,
  ): void {
    this.reserve(m);
    this.beta = true;
    currentRead += 1;
    for (let k = 0; k < m; k++) {
      const a = params[offset + 2 * k] as number;
      const b = params[offset + 2 * k + 1] as number;
      const at = betaLaw(a, b, k);
      this.law[k] = at;
      this.lo[k] = table[at + 2] as number;
      this.threshold[k] = optimistic ? logit(a / (a + b)) : -Infinity;
    }
    this.solve(m, target, out);
  }

  /**
   * Linear Thompson sampling: scores N(mean, sd²) independent across arms, `params[offset + 2k]`,
   * `params[offset + 2k + 1]` = (mean, sd) of arm k < m. An arm with sd 0 always scores its mean;
   * one with an infinite sd scores ±∞ with probability ½ each.
   */
  gaussianShares(params: Float64Array, offset: number, m: number, target: number, out: Float64Array): void {
    let infinite = 0;
    for (let k = 0; k < m; k++) if ((params[offset + 2 * k + 1] as number) === Infinity) infinite += 1;
    if (infinite > 0) {
      this.withInfinite(params, offset, m, infinite, target, out);
      return;
    }
    this.reserve(m);
    this.beta = false;
    const spread = Math.sqrt(2 * DROP);
    // the probabilities do not change under one affine map of every score: centre on the best mean
    // and scale by the largest sd, so that no square of a tiny or huge sd under- or overflows
    let center = -Infinity;
    let scale = 0;
    for (let k = 0; k < m; k++) {
      center = Math.max(center, params[offset + 2 * k] as number);
      scale = Math.max(scale, params[offset + 2 * k + 1] as number);
    }
    if (!(scale > 0)) scale = 1;
    for (let k = 0; k < m; k++) {
      const mean = ((params[offset + 2 * k] as number) - center) / scale;
      let sd = (params[offset + 2 * k + 1] as number) / scale;
      if (sd < 1e-100) sd = 0;
      this.mean[k] = mean;
      this.sd[k] = sd;
      // an arm with no spread is all threshold: no continuous part, F ≡ 1
      this.lo[k] = sd > 0 ? mean - spread * sd : Infinity;
      this.threshold[k] = sd > 0 ? -Infinity : mean;
    }
    this.solve(m, target, out);
  }

  /** Arms with an infinite sd are +∞ with probability ½ (ties split evenly); the rest compete only if all drew −∞. */
  private withInfinite(
    params: Float64Array,
    offset: number,
    m: number,
    infinite: number,
    target: number,
    out: Float64Array,
  ): void {
    const some = 1 - Math.pow(0.5, infinite);
    if (target >= 0 && (params[offset + 2 * target + 1] as number) === Infinity) {
      out[target] = some / infinite;
      return;
    }
    const finite: number[] = [];
    for (let k = 0; k < m; k++) if ((params[offset + 2 * k + 1] as number) !== Infinity) finite.push(k);
    const sub = new Float64Array(2 * finite.length);
    finite.forEach((k, r) => {
      sub[2 * r] = params[offset + 2 * k] as number;
      sub[2 * r + 1] = params[offset + 2 * k + 1] as number;
    });
    const shares = new Float64Array(finite.length);
    if (finite.length > 0) this.gaussianShares(sub, 0, finite.length, -1, shares);
    for (let k = 0; k < m; k++) if ((params[offset + 2 * k + 1] as number) === Infinity) out[k] = some / infinite;
    finite.forEach((k, r) => (out[k] = (1 - some) * (shares[r] as number)));
  }

  private solve(m: number, target: number, out: Float64Array): void {
    if (m === 1) {
      out[0] = 1;
      return;
    }
    let top = -Infinity;
    let first = -Infinity;
    let second = -Infinity;
    let firstArm = -1;
    for (let k = 0; k < m; k++) {
      const t = this.threshold[k] as number;
      if (t > top) top = t;
      // below max(lo_j, t_j) arm j's index beats any draw (to e^−20)
      const edge = Math.max(this.lo[k] === Infinity ? -Infinity : (this.lo[k] as number), t);
      if (edge > first) {
        second = first;
        first = edge;
        firstArm = k;
      } else if (edge > second) second = edge;
    }
    let tied = 0;
    for (let k = 0; k < m; k++) if (this.threshold[k] === top) tied += 1;
    const from = target < 0 ? 0 : target;
    const to = target < 0 ? m : target + 1;
    for (let i = from; i < to; i++) {
      const lower = Math.max(this.lo[i] as number, this.threshold[i] as number, i === firstArm ? second : first);
      let p = this.lo[i] === Infinity ? 0 : this.continuous(m, i, lower);
      if (top > -Infinity && this.threshold[i] === top) p += this.pointMass(m, i, top) / tied;
      out[i] = p;
    }
  }

  /**
   * Π_j F_j(T). Arm i's own F_i(T) is integrated directly (T is its posterior mean, the peak of its
   * z-density), so that a read for the arm just updated — often the one chosen — builds no table;
   * the others come from their tables. Which source serves which arm depends only on the call,
   * never on what is cached, so results are reproducible.
   */
  private pointMass(m: number, i: number, top: number): number {
    let product = 1;
    for (let k = 0; k < m && product > 0; k++) {
      const own = this.beta && k === i && top < (table[(this.law[k] as number) + 4] as number);
      product *= own ? this.ownCdf(i, top) : Math.exp(this.logCdf(k, top));
    }
    return product;
  }

  /** F_i(z) of a Beta arm by the panels of {@link integrateSide}, from the peak of f_i on (−∞, z]. */
  private ownCdf(i: number, z: number): number {
    const { relevantCount, chordAt, chordSlope } = this;
    this.relevantCount = 0;
    this.chordAt = 0;
    this.chordSlope = 0;
    const lo = this.lo[i] as number;
    const peakAt = Math.min(this.modeOf(i), z);
    const peak = this.logDensity(i, peakAt);
    let mass = 0;
    if (peakAt > lo) mass += this.integrateSide(i, peakAt, lo, -1, peak);
    if (z > peakAt) mass += this.integrateSide(i, peakAt, z, 1, peak);
    this.relevantCount = relevantCount;
    this.chordAt = chordAt;
    this.chordSlope = chordSlope;
    return mass;
  }

  /** ∫_{lower}^{hi_i} f_i Π_{j≠i} F_j: peak of ln g by safeguarded Newton, then panels outward. */
  private continuous(m: number, i: number, lower: number): number {
    const upper = this.upperEdge(i);
    if (!(lower < upper)) return 0;
    // Competitors with F ≈ 1 on [lower, upper] drop out; those whose ln F changes by less than
    // FOLD across it enter as the chord of ln F (ln F is concave: the chord is below it by a small
    // fraction of FOLD), so the integrand reads one table per competitor that really varies.
    this.relevantCount = 0;
    let chordAt = 0;
    let chordSlope = 0;
    const span = upper - lower;
    for (let k = 0; k < m; k++) {
      if (k === i || this.lo[k] === Infinity || this.cutEdge(k) <= lower) continue;
      const atLower = this.logCdf(k, lower);
      if (atLower > -NEGLIGIBLE) continue;
      const atUpper = this.logCdf(k, upper);
      if (atUpper - atLower < FOLD) {
        chordAt += atLower;
        chordSlope += (atUpper - atLower) / span;
      } else this.relevant[this.relevantCount++] = k;
    }
    this.chordAt = chordAt;
    this.chordSlope = chordSlope;
    this.lower = lower;
    // peak of the concave ln g on [lower, upper]
    let z: number;
    if (this.slope(i, lower) <= 0) z = lower;
    else if (this.slope(i, upper) >= 0) z = upper;
    else {
      let left = lower;
      let right = upper;
      z = Math.min(Math.max(this.modeOf(i), left), right);
      for (let iter = 0; iter < 60; iter++) {
        const s = this.slope(i, z);
        if (s > 0) left = z;
        else right = z;
        let next = z + s / this.curvature;
        if (!(next > left && next < right)) next = (left + right) / 2;
        // the peak only places the panels: half a local sd is close enough
        if (Math.abs(next - z) * Math.sqrt(this.curvature) < 0.5 || right - left < 1e-12 * (1 + Math.abs(z))) {
          z = next;
          break;
        }
        z = next;
      }
    }
    const peak = this.logIntegrand(i, z);
    if (peak === -Infinity) return 0;
    return this.integrateSide(i, z, upper, 1, peak) + this.integrateSide(i, z, lower, -1, peak);
  }

  /** Panels from the peak towards `end`, until the integrand is negligible. */
  private integrateSide(i: number, from: number, end: number, dir: 1 | -1, peak: number): number {
    const { nodes, weights } = RULE;
    let total = 0;
    let z = from;
    for (let panels = 0; panels < 10_000 && (dir > 0 ? z < end : z > end); panels++) {
      const s = Math.abs(this.slope(i, z));
      let width = Math.min(
        PANEL_SLOPE / Math.max(s, 1e-300),
        PANEL_WIDTH / Math.sqrt(Math.max(this.curvature, 1e-300)),
      );
      const room = dir > 0 ? end - z : z - end;
      if (width >= room * 0.999) width = room;
      if (!(width > 0) || z + dir * width === z) break;
      let sum = 0;
      let largest = -Infinity;
      for (let r = 0; r < NODES; r++) {
        const v = this.logIntegrand(i, z + dir * width * (nodes[r] as number)) - peak;
        if (v > largest) largest = v;
        sum += (weights[r] as number) * Math.exp(v);
      }
      total += width * sum;
      z = width === room ? end : z + dir * width;
      if (largest < -INTEGRAND_DROP) break;
    }
    return total * Math.exp(peak);
  }

  /** ln g(z) = ln f_i(z) + Σ_relevant ln F_j(z). */
  private logIntegrand(i: number, z: number): number {
    let v = this.logDensity(i, z) + this.chordAt + this.chordSlope * (z - this.lower);
    const count = this.relevantCount;
    if (this.beta) {
      for (let q = 0; q < count; q++) v += betaLogCdf(this.law[this.relevant[q] as number] as number, z);
    } else {
      for (let q = 0; q < count && v > -Infinity; q++) v += this.logCdf(this.relevant[q] as number, z);
    }
    return v;
  }

  /** (ln g)′ at z; leaves −(ln g)″ in `curvature`. */
  private slope(i: number, z: number): number {
    let s: number;
    let c: number;
    if (this.beta) {
      const at = this.law[i] as number;
      const a = table[at] as number;
      const sum = a + (table[at + 1] as number);
      const sig = logistic(z);
      s = a - sum * sig;
      c = sum * sig * (1 - sig);
    } else {
      const sd = this.sd[i] as number;
      s = ((this.mean[i] as number) - z) / (sd * sd);
      c = 1 / (sd * sd);
    }
    s += this.chordSlope;
    for (let q = 0; q < this.relevantCount; q++) {
      const k = this.relevant[q] as number;
      s += this.cdfSlope(k, z);
      c += this.cdfCurvature;
    }
    this.curvature = c;
    return s;
  }

  private logDensity(i: number, z: number): number {
    if (this.beta) {
      const at = this.law[i] as number;
      const a = table[at] as number;
      return a * z - (a + (table[at + 1] as number)) * softplus(z) + (table[at + 5] as number);
    }
    const sd = this.sd[i] as number;
    const u = (z - (this.mean[i] as number)) / sd;
    return -0.5 * u * u - Math.log(sd) - LOG_SQRT_2PI;
  }

  /** ln F_k(z). */
  private logCdf(k: number, z: number): number {
    if (this.beta) return betaLogCdf(this.law[k] as number, z);
    const sd = this.sd[k] as number;
    if (sd === 0) return z >= (this.mean[k] as number) ? 0 : -Infinity;
    return logPhi((z - (this.mean[k] as number)) / sd);
  }

  private cdfCurvature = 0;

  /** (ln F_k)′(z) = f/F, leaving −(ln F_k)″ in `cdfCurvature`. */
  private cdfSlope(k: number, z: number): number {
    if (!this.beta) {
      const sd = this.sd[k] as number;
      const u = (z - (this.mean[k] as number)) / sd;
      const ratio = Math.exp(-0.5 * u * u - LOG_SQRT_2PI - logPhi(u)) / sd; // φ/Φ
      this.cdfCurvature = ratio * (ratio + u / sd);
      return ratio;
    }
    const at = this.law[k] as number;
    if (z >= (table[at + 4] as number)) {
      this.cdfCurvature = 0;
      return 0;
    }
    if (table[at + 8] === 0) buildCdfTable(at);
    const h = table[at + 6] as number;
    const base = at + HEADER + CELLS + 1;
    const u = Math.max(0, (z - (table[at + 2] as number)) / h);
    const cell = Math.min(CELLS - 1, Math.floor(u));
    const t = u - cell;
    const d0 = table[base + cell] as number;
    const d1 = table[base + cell + 1] as number;
    this.cdfCurvature = Math.max(0, (d0 - d1) / h);
    return d0 + t * (d1 - d0);
  }

  /** Where arm i's own density ends (its bulk's upper edge). */
  private upperEdge(i: number): number {
    if (this.beta) return table[(this.law[i] as number) + 3] as number;
    return (this.mean[i] as number) + Math.sqrt(2 * DROP) * (this.sd[i] as number);
  }

  /** Above this, F_k is 1 to about 1e−7. */
  private cutEdge(k: number): number {
    if (this.beta) return table[(this.law[k] as number) + 4] as number;
    return (this.mean[k] as number) + Math.sqrt(2 * UPPER_DROP) * (this.sd[k] as number);
  }

  private modeOf(i: number): number {
    if (this.beta) return table[(this.law[i] as number) + 7] as number;
    return this.mean[i] as number;
  }

  /** A scratch array of at least `m` numbers for the results. */
  output(m: number): Float64Array {
    this.reserve(m);
    return this.result;
  }

  private result = new Float64Array(0);

  private reserve(m: number): void {
    if (m <= this.capacity) return;
    const c = Math.max(m, 2 * this.capacity, 16);
    this.capacity = c;
    this.law = new Int32Array(c);
    this.mean = new Float64Array(c);
    this.sd = new Float64Array(c);
    this.threshold = new Float64Array(c);
    this.lo = new Float64Array(c);
    this.relevant = new Int32Array(c);
    this.result = new Float64Array(c);
  }
}
