/**
 * Reasons on a station, kept apart from the general reason builder: the
 * station's blend (overall taste, station taste, seed prior; see
 * rank/stationBlend) is split into the same kind of pieces that
 * `buildReason` reads, and the seed prior into one piece per seed.
 *
 * - The content part without the seed prior goes to `buildReason` with an
 *   attribution index of the blend: per tag, each liked item's part is
 *   w_o × its part of the overall weight + w_s × its part of the station's
 *   weight, so the pieces still add up to the part they explain. Items
 *   turned down on the station are never cited on it.
 * - When the seed prior is larger than the part the general reason
 *   explains, the reason is `station-seed` and cites the seeds, each with
 *   its exact part of the prior ("On your Miles Davis Radio, built on
 *   “So What”: mellow jazz"); otherwise the general reason is said "on
 *   your" station.
 */
import { describeTags, tagLabel, tagPhrase } from '../catalog/catalog.js';
import type { PersonState } from '../people/person.js';
import { describeSeeds, type SeedPrior, type StationState } from '../people/stations.js';
import type { Contributions } from '../rank/ranker.js';
import type { Evidence, Reason } from '../types.js';
import {
  attributionIndex,
  buildReason,
  CONFIDENT_POINTS,
  type AttributionIndex,
  type ExplainInput,
} from './reasons.js';

const CITE_FLOOR = 1e-6;
const MAX_SEEDS_CITED = 3;

/** What a station adds to the reason input of one request. */
export interface StationReasonContext {
  station: StationState;
  prior: SeedPrior;
  /** Weights of the overall and the station taste in this request. */
  weights: { station: number; overall: number };
}

/** The person as seen on one station: the station's bans count as theirs (never cited there). */
export function personOnStation(person: PersonState, station: StationState): PersonState {
  return { ...person, banned: new Map([...person.banned, ...station.banned]) };
}

/** The station's records and taste in the shape the attribution index reads. */
function stationAsPerson(person: PersonState, station: StationState): PersonState {
  return { ...personOnStation(person, station), evidence: station.evidence, taste: station.taste };
}

type IndexInput = Pick<ExplainInput, 'catalog' | 'user' | 'now' | 'decay' | 'quoteDelayMs' | 'contexts' | 'mayName'>;

/** The attribution index of a station's blend (without the seed prior). */
export function stationAttributionIndex(
  input: IndexInput,
  person: PersonState,
  s: StationReasonContext,
): AttributionIndex {
  const overall = attributionIndex({ ...input, user: personOnStation(person, s.station) });
  const own = attributionIndex({ ...input, user: stationAsPerson(person, s.station) });
  const out: AttributionIndex = { items: new Map(), uncited: new Map(), against: new Map(), contexts: new Map() };
  const merge = (from: AttributionIndex, w: number) => {
    if (w === 0) return;
    for (const [tag, byItem] of from.items) {
      let into = out.items.get(tag);
      if (into === undefined) out.items.set(tag, (into = new Map()));
      for (const [item, x] of byItem) into.set(item, (into.get(item) ?? 0) + w * x);
    }
    for (const [tag, x] of from.uncited) out.uncited.set(tag, (out.uncited.get(tag) ?? 0) + w * x);
    for (const [tag, x] of from.against) out.against.set(tag, (out.against.get(tag) ?? 0) + w * x);
    for (const [tag, byContext] of from.contexts) {
      let into = out.contexts.get(tag);
      if (into === undefined) out.contexts.set(tag, (into = new Map()));
      for (const [c, x] of byContext) into.set(c, (into.get(c) ?? 0) + w * x);
    }
  };
  merge(overall, s.weights.overall);
  merge(own, s.weights.station);
  return out;
}

/**
 * The reason for one item on a station. `input` is the general reason
 * input with the blend's contributions (seed prior inside `content`) and,
 * when any item is shown, the station's attribution index.
 */
export function buildStationReason(input: ExplainInput, s: StationReasonContext): Reason {
  const { catalog, item } = input;
  const seedParts = new Map<number, number>();
  const tagParts = new Map<number, number>();
  let seedPart = 0;
  for (const t of catalog.itemTags[item]!) {
    for (const [k, x] of s.prior.parts.get(t) ?? []) {
      seedParts.set(k, (seedParts.get(k) ?? 0) + x);
      tagParts.set(t, (tagParts.get(t) ?? 0) + x);
      seedPart += x;
    }
  }
  // A seed item the person turned down (here or everywhere) still anchors the station but is not cited as a reason to like.
  const citable = (k: number) => {
    const seed = s.station.seeds[k]!;
    return !('item' in seed) || input.user?.banned.has(seed.item) !== true;
  };
  const contributions: Contributions = { ...input.contributions, content: input.contributions.content - seedPart };
  const general = buildReason({ ...input, contributions });
  const name = s.station.name;
  if (
    general.kind === 'exploring' ||
    !(seedPart > CITE_FLOOR) ||
    seedPart <= general.part.points ||
    ![...seedParts.keys()].some(citable)
  ) {
    return { ...general, text: `On your ${name} — ${lowerFirst(general.text)}` };
  }
  const cited = [...seedParts]
    .filter(([k, w]) => w > CITE_FLOOR && citable(k))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_SEEDS_CITED);
  const seeds = cited.map(([k]) => s.station.seeds[k]!);
  const evidence: Evidence[] = cited.map(([k, w]) => {
    const seed = s.station.seeds[k]!;
    return 'item' in seed
      ? { type: 'item', id: catalog.ids[seed.item]!, label: catalog.label(seed.item), weight: w }
      : { type: 'tag', id: catalog.tags[seed.tag]!, label: tagLabel(catalog.tags[seed.tag]!), weight: w };
  });
  // What the item is: the tags it shares with the seeds first, then its others, three at most.
  const shared = [...tagParts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([t]) => t);
  const others = Array.from(catalog.itemTags[item]!).filter((t) => !tagParts.has(t));
  const what = [...shared, ...others].slice(0, 3).map((t) => catalog.tags[t]!);
  const text = `On your ${name}, built on ${describeSeeds(catalog, seeds, tagPhrase)}: ${describeTags(what)}`;
  // The seed prior is part of the taste part of the score (see rank/stationBlend).
  return {
    kind: 'station-seed',
    text,
    evidence,
    part: { name: 'taste', points: seedPart },
    confident: seedPart >= CONFIDENT_POINTS,
  };
}

function lowerFirst(text: string): string {
  // Quoted titles and names keep their case; only an opening word is lowered.
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
