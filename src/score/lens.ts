/**
 * The lens of one request: which of a person's scopes a score reads, and at
 * what weights (see score/blend). On a plain list it is the person's own
 * taste. On a station it is
 *
 *   content = w_o · the person's taste + w_s · the station's taste + seed prior,
 *
 * (the context part blends the same way): the station's own taste weighs
 * w_s = STATION_TASTE_WEIGHT; the person's taste weighs w_o = 1/(1 + e/5),
 * e the station's own evidence, so a new station starts from what is known
 * of the person and leans on its own thumbs as they come. The seed prior
 * never fades (see people/stations). Popularity is weighed by the station's
 * evidence, the person's at the overall taste's weight, and
 * SEED_IMPORTANCE for each seed (a seed says what the station is for); the
 * collaborative part by the evidence behind the station's vector (its
 * records and item seeds, or, while it has neither, the person's vector at
 * the overall taste's weight).
 */
import type { Catalog } from '../catalog/catalog.js';
import { SEED_IMPORTANCE, STATION_SEED_SHARE, STATION_TASTE_WEIGHT } from '../constants.js';
import { consented } from '../people/contribution.js';
import type { PersonState } from '../people/person.js';
import { seedPrior, seedTagged, type StationState } from '../people/stations.js';
import { HALF_EVIDENCE, type Lens } from './blend.js';

/** A plain list: the person's own taste, whole. */
export function personLens(person: PersonState, at: number): Lens {
  const evidence = person.taste.evidenceAt(at);
  return { layers: [{ scope: person, weight: 1 }], seeds: undefined, evidence, collaborativeEvidence: evidence };
}

/** How much the station's own taste and the person's overall taste count on a station now. */
export function stationWeights(station: StationState, at: number): { station: number; overall: number } {
  return { station: STATION_TASTE_WEIGHT, overall: 1 / (1 + station.taste.evidenceAt(at) / HALF_EVIDENCE) };
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
  return {
    layers: [
      { scope: person, weight: weights.overall },
      { scope: station, weight: weights.station },
    ],
    seeds: seedPrior(catalog, station, usable),
    evidence: stationEvidence + overall + SEED_IMPORTANCE * seeds.length,
    collaborativeEvidence: ownVector ? own : overall,
  };
}

/** A station's anchor: most of every list shares a tag with a seed (see rank/ranker). */
export function stationAnchor(catalog: Catalog, station: StationState, count: number) {
  return { marked: seedTagged(catalog, station), minimum: Math.ceil(STATION_SEED_SHARE * count) };
}
