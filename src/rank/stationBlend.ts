/**
 * The blend on a station: a station's score of an item is
 *
 *   content = w_o · overall taste + w_s · station taste + seed prior,
 *
 * (the context part blends the same way; collaborative and popularity parts
 * are the person's, as everywhere). The station's own taste weighs
 * w_s = STATION_TASTE_WEIGHT; the person's overall taste weighs
 * w_o = 1/(1 + e/5), e the station's own evidence, so a new station starts
 * from what is known of the person and leans on its own thumbs as they
 * come. The seed prior never fades (see people/stations).
 */
import type { Catalog } from '../catalog/catalog.js';
import { STATION_SEED_SHARE, STATION_TASTE_WEIGHT, TAG_PRIOR_PRECISION } from '../constants.js';
import type { Taste } from '../models/content/taste.js';
import type { SeedPrior, StationState } from '../people/stations.js';
import { HALF_EVIDENCE, tasteArrays, tastePartsOf } from './blend.js';

/** How much the station's own taste and the person's overall taste count on a station now. */
export function stationWeights(station: StationState, at: number): { station: number; overall: number } {
  return { station: STATION_TASTE_WEIGHT, overall: 1 / (1 + station.taste.evidenceAt(at) / HALF_EVIDENCE) };
}

/** Dense per-tag means, context effects and variances of a station request. */
export function stationTasteArrays(
  catalog: Catalog,
  overall: Taste,
  station: StationState,
  prior: SeedPrior,
  contexts: readonly string[],
  at: number,
) {
  const w = stationWeights(station, at);
  const mine = tasteArrays(catalog, overall, contexts, at);
  const own = tasteArrays(catalog, station.taste, contexts, at);
  const { tagMean, contextMean, tagVariance } = mine;
  for (let t = 0; t < tagMean.length; t++) {
    tagMean[t] = w.overall * tagMean[t]! + w.station * own.tagMean[t]! + (prior.weight.get(t) ?? 0);
    contextMean[t] = w.overall * contextMean[t]! + w.station * own.contextMean[t]!;
  }
  // Both tastes inform the same tag weight under one prior: their precisions add (less the prior counted twice),
  // so a new station explores like a new listener and both kinds of evidence make it surer.
  for (const t of new Set([...overall.tags.keys(), ...station.taste.tags.keys()])) {
    const precision = 1 / overall.tagVariance(t, at) + 1 / station.taste.tagVariance(t, at) - TAG_PRIOR_PRECISION;
    tagVariance[t] = tagVariance[t]! - overall.tagVariance(t, at) + 1 / precision;
  }
  return { tagMean, contextMean, tagVariance };
}

/** The seed prior's part of one item's score. */
export function seedPartOf(catalog: Catalog, prior: SeedPrior, item: number): number {
  let part = 0;
  for (const t of catalog.itemTags[item]!) part += prior.weight.get(t) ?? 0;
  return part;
}

/** The content and context parts of one item's score on a station, without dense arrays. */
export function stationPartsOf(
  catalog: Catalog,
  overall: Taste,
  station: StationState,
  prior: SeedPrior,
  item: number,
  contexts: readonly string[],
  at: number,
): { content: number; context: number } {
  const w = stationWeights(station, at);
  const mine = tastePartsOf(catalog, overall, item, contexts, at);
  const own = tastePartsOf(catalog, station.taste, item, contexts, at);
  return {
    content: w.overall * mine.content + w.station * own.content + seedPartOf(catalog, prior, item),
    context: w.overall * mine.context + w.station * own.context,
  };
}

/** How many items of a list of `count` must share a tag with a seed: always a majority. */
export function anchorMinimum(count: number): number {
  return Math.ceil(STATION_SEED_SHARE * count);
}
