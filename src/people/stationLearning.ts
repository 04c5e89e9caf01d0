/**
 * How a station's evidence changes. It keeps the person-level invariant
 * for each station: the station's taste is the sum of the contributions of
 * its learned records (a record is learned when the person consented to
 * the item's sensitive categories). Station records feed no shared
 * statistic: the same event also reaches the person's overall record (see
 * people/learning), which is what popularity and the collaborative model
 * read, so nothing is counted twice.
 */
import type { Catalog } from '../catalog/catalog.js';
import { contextFeatures } from '../feedback/context.js';
import { SIGNALS } from '../feedback/signals.js';
import type { CheckedEvent } from '../feedback/validate.js';
import type { Decay } from '../decay/decay.js';
import { Taste } from '../models/content/taste.js';
import { consented, contribution, hasLearning } from './contribution.js';
import { LEARNING_SIGNALS, newItemEvidence, recordSignal, scaleEvidence, type ItemEvidence } from './evidence.js';
import { EvidenceTable, keepOnlyBans } from './evidenceTable.js';
import type { PersonState } from './person.js';
import type { StationState } from './stations.js';

/** Below this, what is left of a sum after taking a station's part out is rounding. */
const RESIDUE = 1e-9;

/**
 * Records one validated event on its station: the station's record and
 * taste, and a station ban for `down`. O(tags of the item). The caller
 * applies the same event to the person's overall records.
 */
export function applyStationEvent(
  catalog: Catalog,
  decay: Decay,
  person: PersonState,
  station: StationState,
  e: CheckedEvent,
): void {
  const { item, signal, at } = e;
  station.events++;
  if (signal === 'down') station.banned.set(item, Math.max(station.banned.get(item) ?? -Infinity, at));
  const record = station.evidence.get(item) ?? newItemEvidence(at);
  const semantics = SIGNALS[signal];
  const before = record.learned ? contribution(record) : undefined;
  recordSignal(record, signal, semantics.strength * e.weight, at, contextFeatures(e.context), decay);
  if (semantics.label !== null && consented(catalog, person, item)) {
    const tags = catalog.itemTags[item]!;
    if (before !== undefined) station.taste.removeRecord(tags, before);
    station.taste.addRecord(tags, contribution(record));
    record.learned = true;
  }
  station.evidence.set(item, record);
}

function unlearn(catalog: Catalog, station: StationState, item: number, record: ItemEvidence): void {
  if (!record.learned) return;
  station.taste.removeRecord(catalog.itemTags[item]!, contribution(record));
  record.learned = false;
  station.evidence.set(item, record);
}

function relearn(catalog: Catalog, station: StationState, item: number, record: ItemEvidence): void {
  if (record.learned || !hasLearning(record)) return;
  station.taste.addRecord(catalog.itemTags[item]!, contribution(record));
  record.learned = true;
  station.evidence.set(item, record);
}

/** Undoes everything given on `item` on every station of the person. Returns whether there was any. */
export function removeStationItem(person: PersonState, catalog: Catalog, item: number): boolean {
  let removed = false;
  for (const station of person.stations.values()) {
    const record = station.evidence.get(item);
    if (record === undefined) continue;
    unlearn(catalog, station, item, record);
    station.evidence.delete(item);
    station.events -= record.count;
    station.banned.delete(item);
    removed = true;
  }
  return removed;
}

/** After a consent change: learn or unlearn the station records of items in `categories`. O(the stations' items). */
export function syncStationConsent(catalog: Catalog, person: PersonState, categories: readonly string[]): void {
  for (const station of person.stations.values()) {
    for (const [item, record] of station.evidence) {
      if (!catalog.itemSensitive[item]!.some((c) => categories.includes(c))) continue;
      if (consented(catalog, person, item)) relearn(catalog, station, item, record);
      else unlearn(catalog, station, item, record);
    }
  }
}

/**
 * A requested new life stage: every station keeps its seeds and forgets
 * what it learned, except (with `keepBans`) its thumbs-down, which stay
 * bans on that station and go on teaching it.
 */
export function resetStations(catalog: Catalog, person: PersonState, keepBans: boolean, decay: Decay): void {
  for (const station of person.stations.values()) {
    const kept = keepBans ? keepOnlyBans(station.evidence, station.banned) : new EvidenceTable();
    if (!keepBans) station.banned.clear();
    station.evidence = kept;
    station.events = kept.size;
    station.taste = new Taste(decay);
    for (const [item, record] of kept) if (consented(catalog, person, item)) relearn(catalog, station, item, record);
  }
}

/** A detected change of life stage: every station's evidence keeps only `keep` of its weight, like the person's. */
export function fadeStations(catalog: Catalog, person: PersonState, keep: number): void {
  for (const station of person.stations.values()) {
    for (const [item, record] of station.evidence) {
      if (record.learned) station.taste.removeRecord(catalog.itemTags[item]!, contribution(record));
      scaleEvidence(record, keep);
      if (record.learned) station.taste.addRecord(catalog.itemTags[item]!, contribution(record));
      station.evidence.set(item, record);
    }
  }
}

/**
 * Takes the sums of `given` (a station's record of the same item, whose
 * events are a subset of `record`'s) out of `record`: sums per signal and
 * per context (the caller settles the event count). What is left below
 * rounding is zero.
 */
export function subtractEvidence(record: ItemEvidence, given: ItemEvidence, decay: Decay): void {
  const f = given.t === -Infinity ? 0 : decay.factor(record.t - given.t);
  const minus = (x: number, y: number) => {
    const left = x - y * f;
    return left <= RESIDUE * Math.max(1, x) ? 0 : left;
  };
  for (const signal of LEARNING_SIGNALS) record[signal] = minus(record[signal], given[signal]);
  if (record.ctx !== undefined && given.ctx !== undefined) {
    for (const [feature, [p, n]] of Object.entries(given.ctx)) {
      const pair = record.ctx[feature];
      if (pair === undefined) continue;
      pair[0] = minus(pair[0], p);
      pair[1] = minus(pair[1], n);
      if (pair[0] === 0 && pair[1] === 0) delete record.ctx[feature];
    }
    if (Object.keys(record.ctx).length === 0) record.ctx = undefined;
  }
  if (record.play + record.skip + record.purchase === 0) record.implicitSince = Infinity;
}
