/**
 * One person's taste over tags (and tag × context), read from sufficient
 * statistics: per tag, the decayed positive and negative importance P and N
 * of every item with that tag that the person gave feedback on.
 *
 * A tag's weight is the person's net like-rate of the tag, shrunk towards
 * 0 by A pseudo-observations and scaled to score points by κ:
 *
 *   m_t = κ · (P_t − N_t) / (A + P_t + N_t),   var_t = 1 / (q0 + (P_t + N_t) / 4)
 *
 * so an unknown tag weighs 0 with the prior variance, a tag liked every
 * time approaches κ, a tag skipped every time −κ, and a long-loved tag that
 * starts being skipped falls at once (the rate, not the volume, is the
 * weight). Every piece of evidence moves it by an amount that depends only
 * on the totals — not on the order in which the evidence arrived. The statistics are exact sums of
 * per-item contributions (see people/learning: each record's importance,
 * saturated so that one song played 10,000 times counts like a few
 * thumbs): learning is O(tags of the item), undoing an item is a
 * subtraction, and a tag's weight splits exactly into per-item parts
 * ({@link Taste.tagSlope}).
 *
 * A context effect is how much more (or less) the person likes the tag in
 * that context than overall: the in-context net rate, shrunk towards the
 * overall rate r_t = (P_t − N_t)/(A + P_t + N_t) with A_c pseudo-observations,
 * minus the overall rate,
 *
 *   x_ct = κ · (P_ct − N_ct − r_t·(P_ct + N_ct)) / (A_c + P_ct + N_ct),
 *
 * which is 0 without in-context evidence and fades when every event comes
 * with the same context (the context then tells nothing apart).
 *
 * Memory grows with the tags and contexts the person has touched, never with
 * the catalog or the vocabulary.
 */
import {
  CONTEXT_PRIOR_PRECISION,
  CONTEXT_PSEUDO_COUNT,
  TAG_PRIOR_PRECISION,
  TAG_PSEUDO_COUNT,
  TASTE_SCALE,
} from '../../constants.js';
import type { Decay } from '../../decay/decay.js';

/** Decayed positive and negative importance at reference time `t`, and how many records contribute. */
export interface TagStat {
  pos: number;
  neg: number;
  t: number;
  n: number;
}

/** Fisher information per unit of importance at an even prior (p(1 − p) at p = 1/2). */
const INFORMATION_PER_IMPORTANCE = 0.25;

function rescale(s: TagStat, factor: number): void {
  s.pos *= factor;
  s.neg *= factor;
}

function logistic(x: number): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: both branches compute the same logistic (equal at 0); the split only avoids exp() overflow beyond |x| ≈ 709, which a sum of bounded tag and context weights never reaches
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** A whole record's contribution: positive and negative importance at `t`, and per-context pairs. */
export interface RecordContribution {
  pos: number;
  neg: number;
  t: number;
  ctx: Record<string, [number, number]> | undefined;
}

/** A tag's net rate S·(P − N)/(A + P + N) (its weight, see {@link Taste.tagSlope}); rounding below 0 evidence counts as none. */
function rate(pos: number, neg: number): number {
  return (TASTE_SCALE * (pos - neg)) / (TAG_PSEUDO_COUNT + Math.max(0, pos + neg));
}

/** A context effect from its in-context sums and the tag's overall rate (see the file comment). */
function contextEffect(p: number, n: number, overall: number): number {
  return (TASTE_SCALE * (p - n - (overall / TASTE_SCALE) * (p + n))) / (CONTEXT_PSEUDO_COUNT + p + n);
}

export class Taste {
  readonly tags = new Map<number, TagStat>();
  /** context feature → tag → statistic */
  readonly crosses = new Map<string, Map<number, TagStat>>();
  /** Every learned record of the person: the amount of evidence. */
  readonly total: TagStat = { pos: 0, neg: 0, t: -Infinity, n: 0 };

  constructor(private readonly decay: Decay) {}

  // ------------------------------------------------------------ learning

  /**
   * Adds a whole record's contribution. A record that changes is taken out
   * with {@link removeRecord} and added again, so the statistics stay the
   * exact sums of the records as they are now.
   */
  addRecord(itemTags: Int32Array, r: RecordContribution): void {
    this.addTo(this.total, r.pos, r.neg, r.t, 1);
    for (const tag of itemTags) {
      this.addTo(this.stat(this.tags, tag), r.pos, r.neg, r.t, 1);
      for (const [c, [p, n]] of Object.entries(r.ctx ?? {})) this.addTo(this.stat(this.cross(c), tag), p, n, r.t, 1);
    }
  }

  /** Subtracts a whole record: the exact inverse of {@link addRecord} for the same contribution. */
  removeRecord(itemTags: Int32Array, r: RecordContribution): void {
    this.subtract(this.total, r.pos, r.neg, r.t);
    for (const tag of itemTags) {
      this.subtractFrom(this.tags, tag, r.pos, r.neg, r.t);
      for (const [c, [p, n]] of Object.entries(r.ctx ?? {})) {
        const byTag = this.crosses.get(c);
        if (byTag === undefined) continue;
        this.subtractFrom(byTag, tag, p, n, r.t);
        if (byTag.size === 0) this.crosses.delete(c);
      }
    }
  }

  /**
   * Brings every statistic kept at a time after `to` back to `to`, once the
   * records that had moved it forward were taken away (the person's clock
   * went back with them): the statistics then read as if those records had
   * never been. Every remaining record must be at `to` or before.
   */
  rewind(to: number): void {
    const back = (s: TagStat) => {
      // Stryker disable next-line EqualityOperator: a statistic at `to` itself is brought back by a factor of 1 to the same time
      if (!(s.t > to)) return;
      // The inverse of the decay from `to` to `s.t` (exactly 1 without fading: the half-life is Infinity).
      const f = Math.pow(2, (s.t - to) / this.decay.halfLife);
      s.pos *= f;
      s.neg *= f;
      s.t = to;
    };
    back(this.total);
    for (const s of this.tags.values()) back(s);
    for (const byTag of this.crosses.values()) for (const s of byTag.values()) back(s);
  }

  private stat(map: Map<number, TagStat>, tag: number): TagStat {
    let s = map.get(tag);
    if (s === undefined) map.set(tag, (s = { pos: 0, neg: 0, t: -Infinity, n: 0 }));
    return s;
  }

  /** @internal the statistics of one context feature (created when missing). */
  cross(c: string): Map<number, TagStat> {
    let byTag = this.crosses.get(c);
    if (byTag === undefined) this.crosses.set(c, (byTag = new Map()));
    return byTag;
  }

  private addTo(s: TagStat, pos: number, neg: number, at: number, newRecords: number): void {
    const f = this.decay.bring(s, at, rescale);
    s.pos += pos * f;
    s.neg += neg * f;
    s.n += newRecords;
  }

  private subtract(s: TagStat, pos: number, neg: number, t: number): void {
    s.n--;
    if (s.n <= 0) {
      // Nothing left: exactly the empty statistic (no time either), as if nothing had been added.
      s.pos = 0;
      s.neg = 0;
      s.n = 0;
      s.t = -Infinity;
      return;
    }
    const f = this.decay.bring(s, t, rescale);
    s.pos = Math.max(0, s.pos - pos * f);
    s.neg = Math.max(0, s.neg - neg * f);
  }

  private subtractFrom(map: Map<number, TagStat>, tag: number, pos: number, neg: number, t: number): void {
    const s = map.get(tag);
    if (s === undefined) return;
    this.subtract(s, pos, neg, t);
    if (s.n === 0) map.delete(tag);
  }

  // ------------------------------------------------------------ reading

  /** Positive and negative importance of a tag at `now`. */
  tagEvidence(tag: number, now: number): { pos: number; neg: number } {
    return this.read(this.tags.get(tag), now);
  }

  private read(s: TagStat | undefined, now: number): { pos: number; neg: number } {
    if (s === undefined) return { pos: 0, neg: 0 };
    const f = this.decay.factor(now - s.t);
    return { pos: s.pos * f, neg: s.neg * f };
  }

  /** The tag's weight (log-odds points) at `now`; 0 when never touched. */
  tagMean(tag: number, now: number): number {
    const s = this.tags.get(tag);
    if (s === undefined) return 0;
    const f = this.decay.factor(now - s.t);
    return (TASTE_SCALE * (s.pos - s.neg) * f) / (TAG_PSEUDO_COUNT + (s.pos + s.neg) * f);
  }

  /** Posterior variance of the tag's weight at `now`. */
  tagVariance(tag: number, now: number): number {
    const { pos, neg } = this.tagEvidence(tag, now);
    return 1 / (TAG_PRIOR_PRECISION + INFORMATION_PER_IMPORTANCE * (pos + neg));
  }

  /**
   * The tag's weight per unit of net evidence, for exact attribution: the
   * weight is `slope · (P − N)`, so an item whose net evidence on the tag
   * is `d` carries `slope · d` of it — equal evidence, equal credit, and
   * the parts add up to the weight.
   */
  tagSlope(tag: number, now: number): number {
    const { pos, neg } = this.tagEvidence(tag, now);
    return TASTE_SCALE / (TAG_PSEUDO_COUNT + pos + neg);
  }

  /**
   * How much the tag's weight slope·(P − N) would fall at `now` were the
   * evidence (`pos`, `neg`, decayed to `now`) never given: S·(P − N)/(A + P + N)
   * less S·(P − p − N + n)/(A + P + N − p − n). Not `slope·(p − n)`, the
   * record's part in the exact split, since the slope itself grows as
   * evidence is taken away (fewer observations, less shrinkage).
   */
  tagWeightDrop(tag: number, now: number, pos: number, neg: number): number {
    const t = this.tagEvidence(tag, now);
    return rate(t.pos, t.neg) - rate(t.pos - pos, t.neg - neg);
  }

  /** The tag × context effect at `now` (0 without in-context evidence). */
  crossMean(context: string, tag: number, now: number): number {
    const s = this.crosses.get(context)?.get(tag);
    if (s === undefined) return 0;
    const { pos, neg } = this.tagEvidence(tag, now);
    const f = this.decay.factor(now - s.t);
    return contextEffect(s.pos * f, s.neg * f, rate(pos, neg));
  }

  /**
   * How much the tag × context effect would fall at `now` were a record's
   * evidence never given: its tag evidence (`pos`, `neg`) moves the overall
   * rate the effect is measured against, and its evidence in this context
   * (`inPos`, `inNeg`) the in-context sums; all decayed to `now`.
   */
  crossMeanDrop(
    context: string,
    tag: number,
    now: number,
    pos: number,
    neg: number,
    inPos: number,
    inNeg: number,
  ): number {
    const s = this.crosses.get(context)?.get(tag);
    if (s === undefined) return 0;
    const t = this.tagEvidence(tag, now);
    const f = this.decay.factor(now - s.t);
    return (
      contextEffect(s.pos * f, s.neg * f, rate(t.pos, t.neg)) -
      contextEffect(Math.max(0, s.pos * f - inPos), Math.max(0, s.neg * f - inNeg), rate(t.pos - pos, t.neg - neg))
    );
  }

  crossVariance(context: string, tag: number, now: number): number {
    const { pos, neg } = this.read(this.crosses.get(context)?.get(tag), now);
    return 1 / (CONTEXT_PRIOR_PRECISION + INFORMATION_PER_IMPORTANCE * (pos + neg));
  }

  /** Decayed amount of evidence (importance of every learned signal) at `now`. */
  evidenceAt(now: number): number {
    const { pos, neg } = this.read(this.total, now);
    return pos + neg;
  }

  /** Predicted probability that the person likes an item with these tags in this context. */
  predict(itemTags: Int32Array, contexts: readonly string[], now: number): number {
    let z = 0;
    for (const tag of itemTags) {
      z += this.tagMean(tag, now);
      for (const c of contexts) z += this.crossMean(c, tag, now);
    }
    return logistic(z);
  }

  /** Every touched tag with its weight and variance at `now`, for profiles. */
  tagMeans(now: number): { tag: number; mean: number; variance: number }[] {
    return [...this.tags.keys()].map((tag) => ({
      tag,
      mean: this.tagMean(tag, now),
      variance: this.tagVariance(tag, now),
    }));
  }

  // ------------------------------------------------------------ persistence

  toJSON(): TasteJson {
    return {
      total: [this.total.pos, this.total.neg, Number.isFinite(this.total.t) ? this.total.t : 0, this.total.n],
      tags: statColumns(this.tags),
      crosses: [...this.crosses].map(([c, byTag]) => [c, statColumns(byTag)]),
    };
  }

  /** Reads JSON written by {@link toJSON} (validated by the caller). */
  static fromJSON(json: TasteJson, decay: Decay): Taste {
    const taste = new Taste(decay);
    const [pos, neg, t, n] = json.total;
    Object.assign(taste.total, { pos, neg, t: n > 0 ? t : -Infinity, n });
    readColumns(json.tags, taste.tags);
    for (const [c, columns] of json.crosses) readColumns(columns, taste.cross(c));
    return taste;
  }
}

/** Tag statistics column by column (plain number arrays, cheap to parse). */
export interface TagStatColumns {
  tag: number[];
  pos: number[];
  neg: number[];
  t: number[];
  n: number[];
}

/** The JSON form of a person's taste statistics: total [pos, neg, t, n], per-tag and per-context columns. */
export interface TasteJson {
  total: [number, number, number, number];
  tags: TagStatColumns;
  crosses: [string, TagStatColumns][];
}

function statColumns(map: Map<number, TagStat>): TagStatColumns {
  const out: TagStatColumns = { tag: [], pos: [], neg: [], t: [], n: [] };
  for (const [tag, s] of map) {
    out.tag.push(tag);
    out.pos.push(s.pos);
    out.neg.push(s.neg);
    out.t.push(s.t);
    out.n.push(s.n);
  }
  return out;
}

function readColumns(c: TagStatColumns, into: Map<number, TagStat>): void {
  for (let k = 0; k < c.tag.length; k++)
    into.set(c.tag[k]!, { pos: c.pos[k]!, neg: c.neg[k]!, t: c.t[k]!, n: c.n[k]! });
}
