/**
 * The lens of one request: which of a person's scopes a score reads, and at
 * what weights (see score/blend). On a plain list it is the person's own
 * taste. On a station it is
 *
 *   content = seed prior + w_s · the station's taste + w_o · the person's taste,
 *
 * (the context part blends the same way): the seed prior is the item's
 * similarity to the seeds in score points (see people/stations) and never
 * fades — the seeds lead; the station's own taste weighs w_s =
 * STATION_TASTE_WEIGHT and refines them; the person's overall taste is a
 * prior that weighs w_o = STATION_PRIOR_WEIGHT / (1 + e/5), e the station's
 * own evidence, so a new station leans a little on what is known of the
 * person and less as its own thumbs come. Popularity is weighed by the
 * station's evidence, the person's at the overall taste's weight, and
 * SEED_IMPORTANCE for each seed (a seed says what the station is for); the
 * collaborative part by the evidence behind the station's vector (its
 * records and item seeds, or, while it has neither, the person's vector at
 * the overall taste's weight).
 */
import type { Catalog } from '../catalog/catalog.js';
import {
  SEED_IMPORTANCE,
  STATION_EXPLORE_SHARE,
  STATION_PRIOR_WEIGHT,
  STATION_SEED_SHARE,
  STATION_TASTE_WEIGHT,
} from '../constants.js';
import { consented } from '../people/contribution.js';
import type { PersonState } from '../people/person.js';
import { definingTags, nearSeeds, seedPrior, seedProfiles, type StationState } from '../people/stations.js';
import type { Anchor } from '../rank/ranker.js';
import { HALF_EVIDENCE, type Lens } from './blend.js';

/** A plain list: the person's own taste, whole. */
export function personLens(person: PersonState, at: number): Lens {
  const evidence = person.taste.evidenceAt(at);
  return {
    layers: [{ scope: person, weight: 1 }],
    seeds: undefined,
    defining: NO_TAGS,
    evidence,
    collaborativeEvidence: evidence,
  };
}

const NO_TAGS: ReadonlySet<number> = new Set();

/** How much the station's own taste and the person's overall taste count on a station now. */
export function stationWeights(station: StationState, at: number): { station: number; overall: number } {
  return {
    station: STATION_TASTE_WEIGHT,
    overall: STATION_PRIOR_WEIGHT / (1 + station.taste.evidenceAt(at) / HALF_EVIDENCE),
  };
}

/**
 * A station's lens. `ownVector`: whether the station has entries of its own
 * to fold in (records or usable item seeds); until then the person's vector
 * stands in for it, at the overall taste's weight.
 */
export function stationLens(
  catalog: Catalog,
  person: PersonState,
  station: StationState,
  at: number,
  ownVector: boolean,
): Lens {
  const usable = (j: number) => consented(catalog, person, j);
  const weights = stationWeights(station, at);
  const seeds = station.seeds.filter((seed) => !('item' in seed) || usable(seed.item));
  const overall = weights.overall * person.taste.evidenceAt(at);
  const stationEvidence = station.taste.evidenceAt(at);
  const own = stationEvidence + SEED_IMPORTANCE * seeds.filter((seed) => 'item' in seed).length;
  const profiles = seedProfiles(catalog, station.seeds, usable);
  return {
    layers: [
      { scope: person, weight: weights.overall },
      { scope: station, weight: weights.station },
    ],
    seeds: seedPrior(profiles),
    defining: definingTags(profiles),
    evidence: stationEvidence + overall + SEED_IMPORTANCE * seeds.length,
    collaborativeEvidence: ownVector ? own : overall,
  };
}

/**
 * A station's anchor: most of every list near the seeds (an item seed, or
 * an item with a tag that defines the station), whenever the caps allow;
 * and at most STATION_EXPLORE_SHARE of it exploration, near the seeds too
 * (see rank/ranker).
 */
export function stationAnchor(catalog: Catalog, station: StationState, lens: Lens, count: number): Anchor {
  return {
    marked: nearSeeds(catalog, station.seeds, lens.defining),
    minimum: Math.ceil(STATION_SEED_SHARE * count),
  };
}

/** The most exploring picks a station list of `count` may hold. */
export function stationExploreCap(count: number): number {
  return Math.max(1, Math.floor(STATION_EXPLORE_SHARE * count + 1e-9));
}
