/**
 * How one person's evidence changes: an event, an undo, a consent change, a
 * reset, an erasure, a life-stage fade. Each keeps one invariant: the
 * person's taste and the shared popularity are the sums of the person's
 * learned records. So every operation costs O(tags of the item) or
 * O(that person's items), and never needs anyone else's history.
 */
import type { Catalog } from '../catalog/catalog.js';
import { decayFactor } from '../decay/halfLife.js';
import { lifeStageKeep, observeSurprise } from '../decay/lifeStages.js';
import { contextFeatures } from '../feedback/context.js';
import { SIGNALS } from '../feedback/signals.js';
import type { CheckedEvent } from '../feedback/validate.js';
import type { PopularityModel } from '../models/popularity/popularity.js';
import type { RecordContribution } from '../models/content/taste.js';
import { Taste } from '../models/content/taste.js';
import { negativeOf, newItemEvidence, positiveOf, recordSignal, scaleEvidence, type ItemEvidence } from './evidence.js';
import { EvidenceTable, keepOnlyBans } from './evidenceTable.js';
import { consented, contribution, hasLearning } from './contribution.js';
import type { PersonState } from './person.js';
import type { StationState } from './stations.js';
import {
  fadeStations,
  removeStationItem,
  resetStations,
  subtractEvidence,
  syncStationConsent,
} from './stationLearning.js';

export { consented, contribution, saturate } from './contribution.js';

/** What learning needs besides the person. */
export interface LearningContext {
  catalog: Catalog;
  halfLifeMs: number;
  tiredMs: number;
  lifeStages: boolean;
  popularity: PopularityModel;
}

function add(ctx: LearningContext, person: PersonState, item: number, c: RecordContribution): void {
  person.taste.addRecord(ctx.catalog.itemTags[item]!, c);
  ctx.popularity.add(item, c.pos, c.neg, c.t, true);
}

function subtract(ctx: LearningContext, person: PersonState, item: number, c: RecordContribution): void {
  person.taste.removeRecord(ctx.catalog.itemTags[item]!, c);
  ctx.popularity.remove(item, c.pos, c.neg, c.t);
}

/**
 * Applies one validated event to its person. Returns whether shared
 * statistics changed. The caller has checked that the person is not opted out.
 */
export function applyEvent(ctx: LearningContext, person: PersonState, e: CheckedEvent): boolean {
  const { catalog } = ctx;
  const { item, signal, at } = e;
  person.events++;
  // A down on a station bans the item there only (see people/stationLearning).
  if (signal === 'down' && e.station === undefined)
    person.banned.set(item, Math.max(person.banned.get(item) ?? -Infinity, at));
  if (signal === 'tired') person.rests.set(item, Math.max(person.rests.get(item) ?? -Infinity, at + ctx.tiredMs));
  if (signal === 'purchase') person.purchases.set(item, Math.max(person.purchases.get(item) ?? -Infinity, at));
  const record = person.evidence.get(item) ?? newItemEvidence(at);
  const semantics = SIGNALS[signal];
  const label = semantics.label;
  const contexts = contextFeatures(e.context);
  const before = record.learned ? contribution(record) : undefined;
  recordSignal(record, signal, semantics.strength * e.weight, at, contexts, ctx.halfLifeMs);
  const learns = label !== null && consented(catalog, person, item);
  const predicted = learns ? person.taste.predict(catalog.itemTags[item]!, contexts, at) : 0.5;
  if (learns) {
    if (before !== undefined) subtract(ctx, person, item, before);
    add(ctx, person, item, contribution(record));
    record.learned = true;
  }
  person.evidence.set(item, record);
  if (!learns) return false;
  if (ctx.lifeStages && observeSurprise(person.watch, label, predicted, at)) {
    const keep = lifeStageKeep(heaviestTag(ctx, person, at));
    fadePerson(ctx, person, keep);
    person.changes.push({ at, cause: 'detected', kept: keep });
  }
  return true;
}

/** The largest raw importance (positive and negative, decayed to `now`) of one tag over the person's learned records. */
function heaviestTag(ctx: LearningContext, person: PersonState, now: number): number {
  const byTag = new Map<number, number>();
  person.evidence.forEachView((item, record) => {
    if (!record.learned) return;
    const x = (positiveOf(record) + negativeOf(record)) * decayFactor(now - record.t, ctx.halfLifeMs);
    for (const tag of ctx.catalog.itemTags[item]!) byTag.set(tag, (byTag.get(tag) ?? 0) + x);
  });
  let heaviest = 0;
  for (const x of byTag.values()) heaviest = Math.max(heaviest, x);
  return heaviest;
}

/** Takes a learned record out of the person's taste and of popularity. */
function unlearn(ctx: LearningContext, person: PersonState, item: number, record: ItemEvidence): void {
  if (!record.learned) return;
  subtract(ctx, person, item, contribution(record));
  record.learned = false;
  person.evidence.set(item, record);
}

/** Puts an unlearned record (with learning signals) back into the taste and popularity. */
function relearn(ctx: LearningContext, person: PersonState, item: number, record: ItemEvidence): void {
  if (record.learned || !hasLearning(record)) return;
  add(ctx, person, item, contribution(record));
  record.learned = true;
  person.evidence.set(item, record);
}

/** Undoes every signal the person gave on `item`. Returns whether there was any. */
export function removeItem(ctx: LearningContext, person: PersonState, item: number): boolean {
  // A station may keep a ban record the person's overall records no longer hold (after a reset).
  const onStations = removeStationItem(person, ctx.catalog, item);
  const record = person.evidence.get(item);
  if (record === undefined) return onStations;
  dropRecord(ctx, person, item, record);
  return true;
}

function dropRecord(ctx: LearningContext, person: PersonState, item: number, record: ItemEvidence): void {
  unlearn(ctx, person, item, record);
  person.evidence.delete(item);
  person.events -= record.count;
  person.banned.delete(item);
  person.rests.delete(item);
  person.purchases.delete(item);
}

/**
 * Removes a station's feedback from the person's overall records: an item
 * known only from this station loses its record (with its rest or
 * purchase); otherwise the station's sums, counts and contexts are taken
 * out of the record, and its thumb goes back to the latest one given
 * elsewhere. The overall taste and popularity follow. O(the station's items).
 * The caller then deletes the station itself.
 */
export function withdrawStation(ctx: LearningContext, person: PersonState, station: StationState): void {
  for (const [item, given] of station.evidence) {
    const record = person.evidence.get(item);
    if (record === undefined) continue;
    // A person-wide ban is the person's own: its record stays, whatever was also given on the station.
    if (record.count <= given.count && !person.banned.has(item)) {
      dropRecord(ctx, person, item, record);
      continue;
    }
    const before = record.learned ? contribution(record) : undefined;
    const removed = Math.min(given.count, record.count - 1);
    subtractEvidence(record, given, ctx.halfLifeMs);
    record.count -= removed;
    // Every purchase of the item was given on the station: it goes with it (the item may be served again).
    if (record.purchase === 0) person.purchases.delete(item);
    if (record.thumb !== 0 && record.thumb === given.thumb && record.thumbAt === given.thumbAt) {
      Object.assign(record, latestThumbElsewhere(person, station, item, record));
    }
    person.events -= removed;
    if (before !== undefined) {
      subtract(ctx, person, item, before);
      record.learned = hasLearning(record);
      if (record.learned) add(ctx, person, item, contribution(record));
    }
    person.evidence.set(item, record);
  }
}

/** The latest thumb on `item` not given on `station`: a person-wide down, another station's thumb, or a remaining up. */
function latestThumbElsewhere(
  person: PersonState,
  station: StationState,
  item: number,
  record: ItemEvidence,
): Pick<ItemEvidence, 'thumb' | 'thumbAt'> {
  let best: Pick<ItemEvidence, 'thumb' | 'thumbAt'> = { thumb: 0, thumbAt: Number.NaN };
  const consider = (thumb: -1 | 0 | 1, at: number) => {
    if (thumb === 0) return;
    if (best.thumb === 0 || at > best.thumbAt || (at === best.thumbAt && thumb === -1)) best = { thumb, thumbAt: at };
  };
  const banned = person.banned.get(item);
  if (banned !== undefined) consider(-1, banned);
  for (const other of person.stations.values()) {
    if (other === station) continue;
    const r = other.evidence.get(item);
    if (r !== undefined) consider(r.thumb, r.thumbAt);
  }
  // An up given without a station leaves its sum but not its time: the record's first event bounds it.
  if (best.thumb === 0 && record.up > 0) best = { thumb: 1, thumbAt: record.first };
  return best;
}

function popularityPart(record: ItemEvidence): [number, number, number] {
  const c = contribution(record);
  return [c.pos, c.neg, c.t];
}

/** Takes the person's whole part out of the shared statistics (before an erasure or opt-out). */
export function withdrawPerson(ctx: LearningContext, person: PersonState): void {
  person.evidence.forEachView((item, record) => {
    if (record.learned) ctx.popularity.remove(item, ...popularityPart(record));
  });
}

/** After a consent change: learn or unlearn the records of items in `categories`. O(the person's items). */
export function syncConsent(ctx: LearningContext, person: PersonState, categories: readonly string[]): void {
  for (const [item, record] of person.evidence) {
    if (!ctx.catalog.itemSensitive[item]!.some((c) => categories.includes(c))) continue;
    if (consented(ctx.catalog, person, item)) relearn(ctx, person, item, record);
    else unlearn(ctx, person, item, record);
  }
  syncStationConsent(ctx.catalog, person, categories);
}

/**
 * A requested new life stage: every record is forgotten, except (with
 * `keepBans`) the thumbs-down of banned items, which go on teaching what
 * the person does not want. Rests and purchases are forgotten.
 */
export function resetPerson(ctx: LearningContext, person: PersonState, keepBans: boolean, at: number): void {
  withdrawPerson(ctx, person);
  const kept = keepBans ? keepOnlyBans(person.evidence, person.banned) : new EvidenceTable();
  if (!keepBans) person.banned.clear();
  person.evidence = kept;
  person.events = kept.size;
  person.taste = new Taste(ctx.halfLifeMs);
  person.rests.clear();
  person.purchases.clear();
  for (const [item, record] of kept) if (consented(ctx.catalog, person, item)) relearn(ctx, person, item, record);
  resetStations(ctx.catalog, person, keepBans, ctx.halfLifeMs);
  person.changes.push({ at, cause: 'requested', kept: 0 });
}

/**
 * A detected change of life stage: all of the person's evidence keeps only
 * `keep` of its weight, in their records, their taste and their part of
 * popularity alike.
 */
export function fadePerson(ctx: LearningContext, person: PersonState, keep: number): void {
  for (const [item, record] of person.evidence) {
    if (record.learned) subtract(ctx, person, item, contribution(record));
    scaleEvidence(record, keep);
    if (record.learned) add(ctx, person, item, contribution(record));
    person.evidence.set(item, record);
  }
  fadeStations(ctx.catalog, person, keep);
}

/** Every learned record of everyone, in store order: what shared statistics are rebuilt from. */
export function* learnedRecords(
  people: Iterable<PersonState>,
): Generator<{ item: number; positive: number; negative: number; t: number }> {
  for (const person of people) {
    if (person.optOut) continue;
    const rows: { item: number; positive: number; negative: number; t: number }[] = [];
    person.evidence.forEachView((item, record) => {
      if (!record.learned) return;
      const c = contribution(record);
      rows.push({ item, positive: c.pos, negative: c.neg, t: c.t });
    });
    yield* rows;
  }
}
