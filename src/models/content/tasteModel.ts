/**
 * The Pandora learner: one person's Bayesian preference over tags and
 * tag × context features.
 *
 * Each feature weight has a diagonal Gaussian posterior N(m, 1/(q0 + p))
 * under a logistic likelihood, updated online by one Laplace / Newton step
 * per event in O(features of the item) — the diagonal approximation of
 * Chapelle & Li, "An Empirical Evaluation of Thompson Sampling" (NIPS 2011),
 * Algorithm 3, applied one observation at a time:
 *
 *   p̂ = σ(Σ_j m_j),   p_j ← p_j + c·p̂(1 − p̂),   m_j ← m_j + c·(y − p̂) / (q0 + p_j)
 *
 * with c the event's importance. Decay multiplies both m_j and p_j by
 * 2^(−Δt / halfLife) when the feature is touched, so with no new events a
 * preference halves every half-life and its uncertainty grows back towards
 * the prior. Because every update is additive in m, the mean at any time is
 * exactly the sum of the per-event increments, each decayed from when it
 * was applied: {@link Increment}s let explanations cite events faithfully.
 *
 * Memory grows with the features the user has touched, never with the
 * catalog or vocabulary size.
 */
import { CONTEXT_PRIOR_PRECISION, TAG_PRIOR_PRECISION } from '../../constants.js';
import { addDecayed, decayFactor, readDecayed, type DecayedSum } from '../../decay/halfLife.js';

/** One feature's posterior, stored at reference time `t`. */
export interface FeatureState {
  m: number;
  p: number;
  t: number;
}

/** What one event added to one feature's mean, and when (for exact attribution). */
export interface Increment {
  /** Tag index. */
  tag: number;
  /** Context feature, or `undefined` for the tag's own weight. */
  context: string | undefined;
  delta: number;
  at: number;
}

const BIAS_PRIOR_PRECISION = 1;

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export class TasteModel {
  readonly tags = new Map<number, FeatureState>();
  /** context feature → tag → state */
  readonly crosses = new Map<string, Map<number, FeatureState>>();
  readonly bias: FeatureState = { m: 0, p: 0, t: -Infinity };
  /** Decayed count of learning events, weighted by importance. */
  readonly evidence: DecayedSum = { value: 0, t: -Infinity };

  constructor(private readonly halfLifeMs: number) {}

  /** Mean weight of a tag at `now` (0 when never touched). */
  tagMean(tag: number, now: number): number {
    const s = this.tags.get(tag);
    return s === undefined ? 0 : s.m * decayFactor(now - s.t, this.halfLifeMs);
  }

  /** Posterior variance of a tag weight at `now`. */
  tagVariance(tag: number, now: number): number {
    const s = this.tags.get(tag);
    const p = s === undefined ? 0 : s.p * decayFactor(now - s.t, this.halfLifeMs);
    return 1 / (TAG_PRIOR_PRECISION + p);
  }

  crossMean(context: string, tag: number, now: number): number {
    const s = this.crosses.get(context)?.get(tag);
    return s === undefined ? 0 : s.m * decayFactor(now - s.t, this.halfLifeMs);
  }

  crossVariance(context: string, tag: number, now: number): number {
    const s = this.crosses.get(context)?.get(tag);
    const p = s === undefined ? 0 : s.p * decayFactor(now - s.t, this.halfLifeMs);
    return 1 / (CONTEXT_PRIOR_PRECISION + p);
  }

  /** Decayed amount of evidence (importance-weighted events) at `now`. */
  evidenceAt(now: number): number {
    return readDecayed(this.evidence, now, this.halfLifeMs);
  }

  /** Predicted probability that the user likes an item with these tags in this context. */
  predict(itemTags: Int32Array, contexts: readonly string[], now: number): number {
    let z = this.bias.m * decayFactor(now - this.bias.t, this.halfLifeMs);
    for (const tag of itemTags) {
      z += this.tagMean(tag, now);
      for (const c of contexts) z += this.crossMean(c, tag, now);
    }
    return sigmoid(z);
  }

  /**
   * Learns from one labelled event. Returns the prediction made before the
   * update (for change detection) and the increments it applied.
   */
  learn(itemTags: Int32Array, contexts: readonly string[], label: 0 | 1, importance: number, at: number, increments: Increment[]): number {
    const touched: { state: FeatureState; prior: number; tag: number; context: string | undefined }[] = [];
    const bring = (state: FeatureState, prior: number, tag: number, context: string | undefined) => {
      if (at > state.t) {
        const f = decayFactor(at - state.t, this.halfLifeMs);
        state.m *= f;
        state.p *= f;
        state.t = at;
      }
      touched.push({ state, prior, tag, context });
    };
    bring(this.bias, BIAS_PRIOR_PRECISION, -1, undefined);
    for (const tag of itemTags) {
      let s = this.tags.get(tag);
      if (s === undefined) this.tags.set(tag, (s = { m: 0, p: 0, t: at }));
      bring(s, TAG_PRIOR_PRECISION, tag, undefined);
      for (const c of contexts) {
        let byTag = this.crosses.get(c);
        if (byTag === undefined) this.crosses.set(c, (byTag = new Map()));
        let x = byTag.get(tag);
        if (x === undefined) byTag.set(tag, (x = { m: 0, p: 0, t: at }));
        bring(x, CONTEXT_PRIOR_PRECISION, tag, c);
      }
    }
    // Evidence that arrives out of order is discounted to the feature's clock.
    let z = 0;
    for (const f of touched) z += f.state.m;
    const predicted = sigmoid(z);
    const curvature = predicted * (1 - predicted);
    for (const f of touched) {
      const c = importance * decayFactor(f.state.t - at, this.halfLifeMs);
      f.state.p += c * curvature;
      const delta = (c * (label - predicted)) / (f.prior + f.state.p);
      f.state.m += delta;
      if (f.tag >= 0) increments.push({ tag: f.tag, context: f.context, delta, at: f.state.t });
    }
    addDecayed(this.evidence, importance, at, this.halfLifeMs);
    return predicted;
  }

  /**
   * Multiplies all evidence learned up to `at` by `factor` (0 < factor ≤ 1):
   * how a detected life-stage change makes old evidence fade at once. The
   * caller records the fade so explanations can apply it to old increments.
   */
  fade(factor: number, at: number): void {
    const apply = (s: FeatureState) => {
      if (at > s.t) {
        const f = decayFactor(at - s.t, this.halfLifeMs);
        s.m *= f;
        s.p *= f;
        s.t = at;
      }
      s.m *= factor;
      s.p *= factor;
    };
    apply(this.bias);
    for (const s of this.tags.values()) apply(s);
    for (const byTag of this.crosses.values()) for (const s of byTag.values()) apply(s);
  }

  /** Every touched tag with its mean at `now`, for profiles. */
  tagMeans(now: number): { tag: number; mean: number; variance: number }[] {
    return [...this.tags.keys()].map((tag) => ({ tag, mean: this.tagMean(tag, now), variance: this.tagVariance(tag, now) }));
  }
}
