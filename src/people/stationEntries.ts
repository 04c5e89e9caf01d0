/**
 * A station's collaborative entries: what the crowd's item factors are
 * folded against on that station — the station's own records and, for
 * every item seed, a positive pseudo-entry of SEED_IMPORTANCE, so that a
 * station built on a song reaches the songs that people who like it like,
 * before any thumbs. What the person plays elsewhere stays out (in an
 * implicit fold-in every liked item pulls, whatever its weight); until a
 * station has an item seed or a record of its own, the person's own vector
 * stands in for it (see the facade). A pure function of the person and the
 * station, O(the station's items).
 */
import { SEED_IMPORTANCE } from '../constants.js';
import type { Decay } from '../decay/decay.js';
import type { UserEntries } from '../models/collaborative/collaborative.js';
import { collaborativeParts } from './entries.js';
import type { StationState } from './stations.js';

export function stationEntries(station: StationState, decay: Decay, usable: (item: number) => boolean): UserEntries {
  let latest = -Infinity;
  station.evidence.forEachView((_, e) => {
    if (e.learned && e.t > latest) latest = e.t;
  });
  const rows = new Map<number, { p: number; n: number }>();
  const row = (item: number) => {
    let r = rows.get(item);
    if (r === undefined) rows.set(item, (r = { p: 0, n: 0 }));
    return r;
  };
  station.evidence.forEachView((item, e) => {
    if (!e.learned) return;
    const { p, n } = collaborativeParts(e, decay.factor(latest - e.t));
    const r = row(item);
    r.p += p;
    r.n += n;
  });
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
