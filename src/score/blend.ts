/**
 * The blend: how the parts of a score are weighed for one person, one
 * scope and one request. Every score is
 *
 *   content + context + collaborative + popularity + exploration,
 *
 * read through a {@link Lens}: the taste layers of the scope asked for (on
 * a plain list the person's own taste at weight 1; on a station the
 * person's taste as a fading prior and the station's own taste, plus the
 * station's seed prior, see people/stations), the evidence that weighs the
 * collaborative part by the person's share e/(e + 5) (cold people lean on
 * content and popularity) and popularity by 1/(1 + e/5) (it fades as the
 * person's own evidence grows).
 */
import type { Catalog } from '../catalog/catalog.js';
import { CONTEXT_PRIOR_PRECISION, TAG_PRIOR_PRECISION } from '../constants.js';
import type { Scope } from '../people/scope.js';
import type { SeedPrior } from '../people/stations.js';
import type { Contributions } from '../rank/ranker.js';

/** Evidence (importance) at which popularity and the collaborative part weigh half. */
export const HALF_EVIDENCE = 5;

/** One layer of taste in a request: a scope's taste at a weight. */
export interface TasteLayer {
  scope: Scope;
  weight: number;
}

/** What one request reads of a person's state. */
export interface Lens {
  /** The tastes that add up to the content and context parts (the person's own first). */
  layers: readonly TasteLayer[];
  /** A station's seed prior (tag → weight), added to the content part. */
  seeds: SeedPrior | undefined;
  /** The tags that define a station: its lists are built from the items that carry them; none off a station. */
  defining: ReadonlySet<number>;
  /** Evidence that weighs popularity down. */
  evidence: number;
  /** Evidence behind the collaborative vector, which weighs its part. */
  collaborativeEvidence: number;
}

/** How strongly popularity counts for a person with `evidence` of their own. */
export function popularityWeight(evidence: number): number {
  return 1 / (1 + evidence / HALF_EVIDENCE);
}

/** Share of the collaborative weight a person with `evidence` gets. */
export function collaborativeShare(evidence: number): number {
  return evidence / (evidence + HALF_EVIDENCE);
}

/** Dense per-tag means, context effects and variances of one request (all zero, prior-free, without a lens). */
export function tasteArrays(catalog: Catalog, lens: Lens | undefined, contexts: readonly string[], at: number) {
  const V = catalog.tagCount;
  const tagMean = new Float64Array(V);
  const contextMean = new Float64Array(V);
  const tagVariance = new Float64Array(V);
  if (lens === undefined) return { tagMean, contextMean, tagVariance };
  tagVariance.fill(1 / TAG_PRIOR_PRECISION);
  const one = lens.layers.length === 1;
  for (const { scope, weight } of lens.layers) {
    const taste = scope.taste;
    for (const t of taste.tags.keys()) tagMean[t] = tagMean[t]! + weight * taste.tagMean(t, at);
    for (const c of contexts)
      for (const [t] of taste.crosses.get(c) ?? [])
        contextMean[t] = contextMean[t]! + weight * taste.crossMean(c, t, at);
  }
  for (const [t, w] of lens.seeds?.weight ?? []) tagMean[t] = tagMean[t]! + w;
  // Every layer informs the same tag weight under one prior: their precisions add (less the prior counted again).
  const touched = one
    ? lens.layers[0]!.scope.taste.tags.keys()
    : new Set(lens.layers.flatMap((l) => [...l.scope.taste.tags.keys()]));
  for (const t of touched) {
    if (one) {
      tagVariance[t] = lens.layers[0]!.scope.taste.tagVariance(t, at);
      continue;
    }
    let precision = 0;
    for (const { scope } of lens.layers) precision += 1 / scope.taste.tagVariance(t, at);
    tagVariance[t] = 1 / (precision - (lens.layers.length - 1) * TAG_PRIOR_PRECISION);
  }
  // Every tag × context weight not yet touched has mean 0 and the prior variance.
  const own = lens.layers[0]!.scope.taste;
  for (const c of contexts) {
    const byTag = own.crosses.get(c);
    for (let t = 0; t < V; t++)
      tagVariance[t] =
        tagVariance[t]! + (byTag?.has(t) === true ? own.crossVariance(c, t, at) : 1 / CONTEXT_PRIOR_PRECISION);
  }
  return { tagMean, contextMean, tagVariance };
}

/** The content and context parts of one item's score, without building dense arrays. */
export function tasteParts(
  catalog: Catalog,
  lens: Lens,
  item: number,
  contexts: readonly string[],
  at: number,
): { content: number; context: number } {
  let content = 0;
  let context = 0;
  for (const { scope, weight } of lens.layers) {
    let c = 0;
    let x = 0;
    for (const t of catalog.itemTags[item]!) {
      c += scope.taste.tagMean(t, at);
      for (const ctx of contexts) x += scope.taste.crossMean(ctx, t, at);
    }
    content += weight * c;
    context += weight * x;
  }
  return { content: content + seedPart(catalog, lens.seeds, item), context };
}

/** The seed prior's part of one item's score (0 off a station). */
export function seedPart(catalog: Catalog, seeds: SeedPrior | undefined, item: number): number {
  if (seeds === undefined) return 0;
  let part = 0;
  for (const t of catalog.itemTags[item]!) part += seeds.weight.get(t) ?? 0;
  return part;
}

/** One item's contributions without exploration, as the ranker computes them. */
export function contributionsOf(
  parts: { content: number; context: number },
  collaborative: { weight: number; raw: number },
  popularity: { weight: number; lift: number },
): Contributions {
  return {
    content: parts.content,
    context: parts.context,
    collaborative: collaborative.weight * collaborative.raw,
    popularity: popularity.weight * popularity.lift,
    exploration: 0,
  };
}
