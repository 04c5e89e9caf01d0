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
 * a smooth, bounded, log-concave density (see `betaLaw.ts`); Gaussian scores (linear Thompson
 * sampling) in x itself. The integrand g = f_i Π F_j is log-concave (Prékopa 1973: CDFs of
 * log-concave densities are log-concave), so the walk finds its peak by a safeguarded Newton step and
 * integrates outward with 8-node Gauss–Legendre panels, each sized so that ln g falls by about
 * PANEL_DROP across it (from its slope and curvature, checked at the panel's far end) and no wider
 * than a few scales of any competitor whose F changes on it (see {@link integrateSide}). Concavity
 * also bounds what is left: beyond a point z₀ where ln g falls outward with slope s₀,
 * g ≤ g(z₀)·e^{−|s₀|(z − z₀)}, so a side stops once g(z₀)/|s₀| is a negligible share of it. A read of
 * ten overlapping arms evaluates ln g at about 25 points.
 *
 * ln F_j of a Beta law is one polynomial from the law's cached table (`betaLaw.ts`: between two
 * selects only the updated arm's law is new); F at the optimistic floor, the law's own mode, is
 * integrated directly and kept with the law, so the arm just updated needs no table for it. Gaussian
 * ln Φ comes from a rational erfc approximation. Accuracy: within 1% relative of a 10⁶-point
 * integration for propensities down to 1e−6 (test/models/bandit/propensity.test.ts).
 */
import {
  addBetaLogCdf,
  beginRead,
  betaLaw,
  betaLogCdf,
  betaLogCdfSlope,
  betaLogDensities,
  betaLogDensity,
  betaLogDensitySlope,
  cutOf,
  derivatives,
  keepCdfAtMode,
  keptCdfAtMode,
  lowerEdgeOf,
  modeOf,
  spreadOf,
  upperEdgeOf,
  type BetaLaw,
} from './betaLaw.js';
import { gaussLegendre } from './special.js';

/** Gauss–Legendre nodes per panel. */
const NODES = 8;
const RULE = gaussLegendre(NODES);
/** Largest change of ln g between neighbouring nodes of a panel (where the integrand counts). */
const NODE_STEP = 5;
/** The fall of ln g across one panel that its width aims at. */
const PANEL_DROP = 15;
/** Widest panel, in scales of a competitor whose F changes on it. */
const PANEL_SCALES = 6;
/** Widest panel in z for Beta laws. */
const MAX_PANEL = 4;
/** Refits of a panel's width to its probed far end. */
const FITS = 3;
/** A side ends when what can lie beyond its last node is below this fraction of what it has gathered. */
const TAIL = 1e-5;
/** A side also ends at a panel whose every node is this far below the peak of ln g. */
const INTEGRAND_DROP = 16;
/** A Gaussian's bulk: within √(2·DROP) standard deviations of its mean. */
const DROP = 20;
/** Above √(2·UPPER_DROP) standard deviations a Gaussian's Φ is taken as 1. */
const UPPER_DROP = 16;
/** A competitor with ln F above −NEGLIGIBLE over the window counts as F = 1. */
const NEGLIGIBLE = 1e-7;
/** A competitor whose ln F changes by less than this over the window enters as a chord. */
const FOLD = 3e-4;

/** The width over which a quadratic that starts falling at `fall` with curvature `bend` falls by `drop`. */
function span(fall: number, bend: number, drop: number): number {
  return (2 * drop) / (fall + Math.sqrt(fall * fall + 2 * bend * drop));
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
  /** Beta: the law of each arm. */
  private laws: BetaLaw[] = [];
  /** Gaussian: mean and sd of each arm. */
  private mean = new Float64Array(0);
  private sd = new Float64Array(0);
  private threshold = new Float64Array(0);
  private lo = new Float64Array(0);
  /** The scale on which each arm's F changes: its sd, at the mode for a Beta law. */
  private scale = new Float64Array(0);
  private relevant = new Int32Array(0);
  private relevantCount = 0;
  private beta = true;
  /** The folded competitors' ln F ≈ chordAt + chordSlope·(z − lower) on the current window. */
  private chordAt = 0;
  private chordSlope = 0;
  private lower = 0;
  /** −(ln g)″ at the point of the last {@link slope} call. */
  private curvature = 0;
  /** −(ln F_k)″ at the point of the last {@link cdfSlope} call. */
  private cdfCurvature = 0;
  /** One panel's nodes and ln g there. */
  private readonly zs = new Float64Array(NODES);
  private readonly values = new Float64Array(NODES);

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
    beginRead();
    for (let k = 0; k < m; k++) {
      const law = betaLaw(params[offset + 2 * k] as number, params[offset + 2 * k + 1] as number, k);
      this.laws[k] = law;
      this.lo[k] = lowerEdgeOf(law);
      this.scale[k] = spreadOf(law);
      // the optimistic floor: the posterior mean, whose logit ln(α/β) is the mode in z
      this.threshold[k] = optimistic ? modeOf(law) : -Infinity;
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
      this.scale[k] = sd;
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
      if (top > -Infinity && this.threshold[i] === top) p += this.pointMass(m, top) / tied;
      out[i] = p;
    }
  }

  /**
   * Π_j F_j(T). A Beta arm at the floor (t_j = T, its own mode) has its F_j(T) integrated directly
   * and kept with its law, so that the arm just updated — often the one chosen — needs no table;
   * the others come from their tables. Which source serves which arm depends only on the call,
   * never on what is cached, so results are reproducible.
   */
  private pointMass(m: number, top: number): number {
    let product = 1;
    for (let k = 0; k < m && product > 0; k++) {
      const own = this.beta && this.threshold[k] === top && top < cutOf(this.laws[k] as BetaLaw);
      product *= own ? this.cdfAtMode(k) : Math.exp(this.logCdf(k, top));
    }
    return product;
  }

  /** F_k at its mode (the optimistic floor) of a Beta arm, by the panels of {@link integrateSide}. */
  private cdfAtMode(k: number): number {
    const law = this.laws[k] as BetaLaw;
    const kept = keptCdfAtMode(law);
    if (kept === kept) return kept;
    const { relevantCount, chordAt, chordSlope } = this;
    this.relevantCount = 0;
    this.chordAt = 0;
    this.chordSlope = 0;
    const mode = modeOf(law);
    const lo = this.lo[k] as number;
    let mass = 0;
    if (mode > lo) {
      const slope = this.slope(k, mode);
      mass = this.integrateSide(k, mode, lo, -1, betaLogDensity(law, mode), slope, this.curvature);
    }
    this.relevantCount = relevantCount;
    this.chordAt = chordAt;
    this.chordSlope = chordSlope;
    keepCdfAtMode(law, mass);
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
    // peak of the concave ln g on [lower, upper] (at upper only if arm i's own density had not ended there)
    let z = lower;
    let s = this.slope(i, lower);
    if (s > 0) {
      let left = lower;
      let right = upper;
      z = Math.min(Math.max(this.modeOf(i), left), right);
      for (let iter = 0; iter < 60; iter++) {
        s = this.slope(i, z);
        // the peak only places the panels: within half a local sd (by the Newton step) is close enough
        if (Math.abs(s) < 0.5 * Math.sqrt(this.curvature) || right - left < 1e-12 * (1 + Math.abs(z))) break;
        if (s > 0) left = z;
        else right = z;
        let next = z + s / this.curvature;
        if (!(next > left && next < right)) next = (left + right) / 2;
        z = next;
      }
    }
    const curvature = this.curvature;
    const peak = this.valueAt(i, z);
    if (peak === -Infinity) return 0;
    return (
      this.integrateSide(i, z, upper, 1, peak, s, curvature) + this.integrateSide(i, z, lower, -1, peak, s, curvature)
    );
  }

  /**
   * ∫ g from `from`, where ln g = `peak` with slope `slope` and curvature −(ln g)″ = `curvature`,
   * towards `end`, by 8-node Gauss–Legendre panels (the rule integrates a Gaussian or an exponential
   * that falls by 20 across the panel to 1e−5).
   *
   * A panel is sized so that the quadratic model of ln g at its start falls by PANEL_DROP across it;
   * its far end is then probed and, while the fall there is far from PANEL_DROP, the model's
   * curvature is refitted to the probe and the width solved again (a skewed integrand). A panel
   * whose neighbouring nodes still differ by more than NODE_STEP where g counts — the step of a
   * narrow competitor's F inside it — is halved. ln g is concave, so with the secant slope s from the
   * last node to the far end z₁, g ≤ g(z₁)·e^{−|s|(z − z₁)} beyond it: the side stops once g(z₁)/|s|
   * is below TAIL of what it has gathered.
   */
  private integrateSide(
    i: number,
    from: number,
    end: number,
    dir: 1 | -1,
    peak: number,
    slope: number,
    curvature: number,
  ): number {
    const { nodes, weights } = RULE;
    const { zs, values } = this;
    let total = 0;
    let z = from;
    let value = peak;
    let fall = Math.max(0, -dir * slope);
    let bend = Math.max(0, curvature);
    for (let panels = 0; panels < 10_000; panels++) {
      const room = dir > 0 ? end - z : z - end;
      if (!(room > 0)) break;
      const limit = this.widthLimit(z, dir);
      let width = Math.min(room, limit, span(fall, bend, PANEL_DROP));
      let far = z;
      let farValue = value;
      // refits stop after FITS tries and halvings after 60 (the panel is then taken as it is)
      for (let tries = 0; ; tries++) {
        if (width >= room * 0.999) width = room;
        far = z + dir * width;
        farValue = this.valueAt(i, far);
        const drop = value - farValue;
        if (tries < FITS && (drop > 1.4 * PANEL_DROP || (drop < 0.6 * PANEL_DROP && width < room))) {
          // refit the model's curvature to the probe (never below 0: ln g is concave)
          bend = Math.max(0, (2 * (drop - fall * width)) / (width * width));
          const next = Math.min(room, limit, span(fall, bend, PANEL_DROP));
          if (Math.abs(next - width) > 0.05 * width) {
            width = next;
            continue;
          }
        }
        if (tries < 60 && drop > 1.6 * PANEL_DROP) {
          width /= 2;
          continue;
        }
        for (let r = 0; r < NODES; r++) zs[r] = z + dir * width * (nodes[r] as number);
        this.logIntegrandAt(i, NODES);
        if (tries < 60 && !this.resolved(peak)) {
          width /= 2;
          continue;
        }
        break;
      }
      if (far === z) break;
      const lastValue = values[NODES - 1] as number;
      let largest = farValue - peak;
      for (let r = 0; r < NODES; r++) largest = Math.max(largest, (values[r] as number) - peak);
      for (let r = 0; r < NODES; r++) values[r] = Math.exp((values[r] as number) - peak);
      let sum = 0;
      for (let r = 0; r < NODES; r++) sum += (weights[r] as number) * (values[r] as number);
      total += width * sum;
      if (width === room || largest < -INTEGRAND_DROP) break;
      fall = (lastValue - farValue) / Math.abs(far - (zs[NODES - 1] as number));
      z = far;
      value = farValue;
      if (fall > 0 && Math.exp(farValue - peak) < TAIL * total * fall) break;
      fall = Math.max(0, fall);
    }
    return total * Math.exp(peak);
  }

  /**
   * The widest panel from z (towards `dir`) that resolves every factor of g: at most PANEL_SCALES
   * scales of each competitor whose F still changes on it (below its cut), and for Beta laws at most
   * MAX_PANEL in z (softplus is analytic within π of the real axis, which bounds how wide one
   * polynomial rule can reach).
   */
  private widthLimit(z: number, dir: 1 | -1): number {
    let limit = this.beta ? MAX_PANEL : Infinity;
    for (let q = 0; q < this.relevantCount; q++) {
      const k = this.relevant[q] as number;
      const cut = this.cutEdge(k);
      const reach = PANEL_SCALES * (this.scale[k] as number);
      if (dir > 0) {
        if (z < cut) limit = Math.min(limit, reach);
      } else limit = Math.min(limit, z > cut ? z - cut + reach : reach);
    }
    return limit;
  }

  /** ln g at one point. */
  private valueAt(i: number, z: number): number {
    this.zs[0] = z;
    this.logIntegrandAt(i, 1);
    return this.values[0] as number;
  }

  /** Whether neighbouring nodes of the panel just evaluated differ by at most NODE_STEP in ln g wherever g counts. */
  private resolved(peak: number): boolean {
    const values = this.values;
    const floor = peak - INTEGRAND_DROP;
    for (let r = 0; r + 1 < NODES; r++) {
      const v = values[r] as number;
      const w = values[r + 1] as number;
      if ((v > floor || w > floor) && !(Math.abs(v - w) <= NODE_STEP)) return false;
    }
    return true;
  }

  /** ln g(z) = ln f_i(z) + Σ_relevant ln F_j(z) + the chord, into `values[r]` for z = `zs[r]`, r < n. */
  private logIntegrandAt(i: number, n: number): void {
    const { zs, values, chordAt, chordSlope, lower } = this;
    const count = this.relevantCount;
    if (this.beta) {
      betaLogDensities(this.laws[i] as BetaLaw, zs, n, chordAt, chordSlope, lower, values);
      for (let q = 0; q < count; q++) addBetaLogCdf(this.laws[this.relevant[q] as number] as BetaLaw, zs, n, values);
      return;
    }
    for (let r = 0; r < n; r++) {
      const z = zs[r] as number;
      let v = this.logDensity(i, z) + chordAt + chordSlope * (z - lower);
      for (let q = 0; q < count && v > -Infinity; q++) v += this.logCdf(this.relevant[q] as number, z);
      values[r] = v;
    }
  }

  /** (ln g)′ at z; leaves −(ln g)″ in `curvature`. */
  private slope(i: number, z: number): number {
    let s: number;
    let c: number;
    if (this.beta) {
      s = betaLogDensitySlope(this.laws[i] as BetaLaw, z);
      c = derivatives[1] as number;
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
    if (this.beta) return betaLogDensity(this.laws[i] as BetaLaw, z);
    const sd = this.sd[i] as number;
    const u = (z - (this.mean[i] as number)) / sd;
    return -0.5 * u * u - Math.log(sd) - LOG_SQRT_2PI;
  }

  /** ln F_k(z). */
  private logCdf(k: number, z: number): number {
    if (this.beta) return betaLogCdf(this.laws[k] as BetaLaw, z);
    const sd = this.sd[k] as number;
    if (sd === 0) return z >= (this.mean[k] as number) ? 0 : -Infinity;
    return logPhi((z - (this.mean[k] as number)) / sd);
  }

  /** (ln F_k)′(z) = f/F, leaving −(ln F_k)″ in `cdfCurvature`. */
  private cdfSlope(k: number, z: number): number {
    if (!this.beta) {
      const sd = this.sd[k] as number;
      const u = (z - (this.mean[k] as number)) / sd;
      const ratio = Math.exp(-0.5 * u * u - LOG_SQRT_2PI - logPhi(u)) / sd; // φ/Φ
      this.cdfCurvature = ratio * (ratio + u / sd);
      return ratio;
    }
    const slope = betaLogCdfSlope(this.laws[k] as BetaLaw, z);
    this.cdfCurvature = derivatives[1] as number;
    return slope;
  }

  /** Where arm i's own density ends (its bulk's upper edge). */
  private upperEdge(i: number): number {
    if (this.beta) return upperEdgeOf(this.laws[i] as BetaLaw);
    return (this.mean[i] as number) + Math.sqrt(2 * DROP) * (this.sd[i] as number);
  }

  /** Above this, F_k is 1 to about 1e−7. */
  private cutEdge(k: number): number {
    if (this.beta) return cutOf(this.laws[k] as BetaLaw);
    return (this.mean[k] as number) + Math.sqrt(2 * UPPER_DROP) * (this.sd[k] as number);
  }

  private modeOf(i: number): number {
    if (this.beta) return modeOf(this.laws[i] as BetaLaw);
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
    this.mean = new Float64Array(c);
    this.sd = new Float64Array(c);
    this.threshold = new Float64Array(c);
    this.lo = new Float64Array(c);
    this.scale = new Float64Array(c);
    this.relevant = new Int32Array(c);
    this.result = new Float64Array(c);
  }
}
