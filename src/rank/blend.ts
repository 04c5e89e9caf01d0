/**
 * The blend: how the parts of a score are weighed for one person and one
 * request. Every score is
 *
 *   content + context + collaborative + popularity + exploration,
 *
 * with the collaborative part scaled by the person's share of evidence
 * e/(e + 5) (cold people lean on content and popularity) and popularity by
 * 1/(1 + e/5) (it fades as the person's own evidence grows).
 */
import type { Catalog } from '../catalog/catalog.js';
import { CONTEXT_PRIOR_PRECISION, TAG_PRIOR_PRECISION } from '../constants.js';
import type { Taste } from '../models/content/taste.js';
import type { Contributions } from './ranker.js';

/** Evidence (importance) at which popularity and the collaborative part weigh half. */
export const HALF_EVIDENCE = 5;

/** How strongly popularity counts for a person with `evidence` of their own. */
export function popularityWeight(evidence: number): number {
  return 1 / (1 + evidence / HALF_EVIDENCE);
}

/** Share of the collaborative weight a person with `evidence` gets. */
export function collaborativeShare(evidence: number): number {
  return evidence / (evidence + HALF_EVIDENCE);
}

/** Dense per-tag taste for one request: means, context effects and variances over the vocabulary. */
export function tasteArrays(catalog: Catalog, taste: Taste | undefined, contexts: readonly string[], at: number) {
  const V = catalog.tagCount;
  const tagMean = new Float64Array(V);
  const contextMean = new Float64Array(V);
  const tagVariance = new Float64Array(V);
  if (taste === undefined) return { tagMean, contextMean, tagVariance };
  tagVariance.fill(1 / TAG_PRIOR_PRECISION);
  for (const t of taste.tags.keys()) {
    tagMean[t] = taste.tagMean(t, at);
    tagVariance[t] = taste.tagVariance(t, at);
  }
  // Every tag × context weight not yet touched has mean 0 and the prior variance.
  for (const c of contexts) {
    const byTag = taste.crosses.get(c);
    for (let t = 0; t < V; t++)
      tagVariance[t] =
        tagVariance[t]! + (byTag?.has(t) === true ? taste.crossVariance(c, t, at) : 1 / CONTEXT_PRIOR_PRECISION);
    for (const t of byTag?.keys() ?? []) contextMean[t] = contextMean[t]! + taste.crossMean(c, t, at);
  }
  return { tagMean, contextMean, tagVariance };
}

/** The content and context parts of one item's score, without building dense arrays. */
export function tastePartsOf(
  catalog: Catalog,
  taste: Taste,
  item: number,
  contexts: readonly string[],
  at: number,
): { content: number; context: number } {
  let content = 0;
  let context = 0;
  for (const t of catalog.itemTags[item]!) {
    content += taste.tagMean(t, at);
    for (const c of contexts) context += taste.crossMean(c, t, at);
  }
  return { content, context };
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
