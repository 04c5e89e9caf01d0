/**
 * A station's collaborative entries: what the crowd's item factors are
 * folded against on that station. Per item, the station's own records, the
 * person's overall records weighed by `overallWeight` (the same weight as
 * the overall taste gets on the station) and, for every item seed, a
 * positive pseudo-entry of SEED_IMPORTANCE: a station built on a song
 * reaches the songs that people who like it like, before any thumbs.
 * A pure function of the person and the station, O(their items).
 */
import { SEED_IMPORTANCE } from '../constants.js';
import { decayFactor } from '../decay/halfLife.js';
import type { UserEntries } from '../models/collaborative/collaborative.js';
import { negativeOf, positiveOf } from './evidence.js';
import type { EvidenceTable } from './evidenceTable.js';
import type { PersonState } from './person.js';
import type { StationState } from './stations.js';

export function stationEntries(
  person: PersonState,
  station: StationState,
  halfLifeMs: number,
  overallWeight: (at: number) => number,
  usable: (item: number) => boolean,
): UserEntries {
  let latest = -Infinity;
  const latestOf = (table: EvidenceTable) =>
    table.forEachView((_, e) => {
      if (e.learned && e.t > latest) latest = e.t;
    });
  latestOf(person.evidence);
  latestOf(station.evidence);
  const rows = new Map<number, { p: number; n: number }>();
  const row = (item: number) => {
    let r = rows.get(item);
    if (r === undefined) rows.set(item, (r = { p: 0, n: 0 }));
    return r;
  };
  const read = (table: EvidenceTable, weight: number) => {
    if (weight === 0) return;
    table.forEachView((item, e) => {
      if (!e.learned) return;
      const f = weight * decayFactor(latest - e.t, halfLifeMs);
      const r = row(item);
      r.p += positiveOf(e) * f;
      r.n += negativeOf(e) * f;
    });
  };
  read(person.evidence, latest === -Infinity ? 0 : overallWeight(latest));
  read(station.evidence, 1);
  for (const seed of station.seeds) if ('item' in seed && usable(seed.item)) row(seed.item).p += SEED_IMPORTANCE;
  const items = Int32Array.from([...rows.keys()].sort((a, b) => a - b));
  const confidence = new Float64Array(items.length);
  const preference = new Float64Array(items.length);
  items.forEach((item, k) => {
    const { p, n } = rows.get(item)!;
    confidence[k] = p + n;
    preference[k] = p > n ? 1 : 0;
  });
  return { items, confidence, preference };
}
