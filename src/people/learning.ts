/**
 * How one person's evidence changes: an event, an undo, a consent change, a
 * reset, an erasure, a life-stage fade — each written once over the
 * person's scopes (the person overall and each station, see people/scope).
 * Each keeps one invariant: a scope's taste is the sum of its learned
 * records' parts (a station's records whole; the person's own records less
 * what stays on their stations, see people/spill), and the shared
 * popularity is the sum of every person's learned records in their own
 * (outer) scope, less what was turned down or skipped on a station —
 * station records feed no shared statistic, so nothing is counted twice.
 * Because the person's parts of an item read the item's station records,
 * every change to an item's records takes the parts of all its scopes out
 * first and puts them back after. Every operation costs O(tags of the item
 * × stations) or O(that person's items), and never needs anyone else's
 * history.
 */
import type { Catalog } from '../catalog/catalog.js';
import { newClock, type Decay, type PersonClock } from '../decay/decay.js';
import { expectedReaction, lifeStageKeep, observeSurprise } from '../decay/lifeStages.js';
import { contextFeatures } from '../feedback/context.js';
import { SIGNALS } from '../feedback/signals.js';
import type { CheckedEvent } from '../feedback/validate.js';
import type { PopularityModel } from '../models/popularity/popularity.js';
import { Taste } from '../models/content/taste.js';
import {
  negativeOf,
  newItemEvidence,
  positiveOf,
  recordSignal,
  scaleEvidence,
  withOffStationUp,
  type ItemEvidence,
} from './evidence.js';
import { EvidenceTable, keepOnlyBans } from './evidenceTable.js';
import { consented, hasLearning } from './contribution.js';
import type { PersonState } from './person.js';
import type { Scope } from './scope.js';
import { sharedContribution, subtractSums, tasteContribution, WHOLE } from './spill.js';
import type { StationState } from './stations.js';

export { consented, contribution, saturate } from './contribution.js';

/** What learning needs besides the person. */
export interface LearningContext {
  catalog: Catalog;
  decay: Decay;
  tiredMs: number;
  lifeStages: boolean;
  popularity: PopularityModel;
}

/** Every scope of the person: the person overall first, then each station. */
function scopesOf(person: PersonState): Scope[] {
  return [person, ...person.stations.values()];
}

/**
 * Takes the learned record of `item` in `scope` out of the scope's taste
 * (and, for the person's own scope, out of popularity). `except`: a station
 * being removed, whose records no longer count. Must run before any record
 * of the item changes (the person's parts read its station records).
 */
function subtract(
  ctx: LearningContext,
  person: PersonState,
  scope: Scope,
  item: number,
  record: ItemEvidence,
  except?: StationState,
): void {
  const tags = ctx.catalog.itemTags[item]!;
  scope.taste.removeRecord(tags, tasteContribution(person, scope, item, record, ctx.decay, except));
  if (scope !== person) return;
  const c = sharedContribution(person, item, record, ctx.decay, except);
  ctx.popularity.remove(item, c.pos, c.neg, c.wt);
}

/** Puts the learned record of `item` in `scope` back: the exact inverse of {@link subtract} for the same records. */
function add(
  ctx: LearningContext,
  person: PersonState,
  scope: Scope,
  item: number,
  record: ItemEvidence,
  except?: StationState,
): void {
  const tags = ctx.catalog.itemTags[item]!;
  scope.taste.addRecord(tags, tasteContribution(person, scope, item, record, ctx.decay, except));
  if (scope !== person) return;
  const c = sharedContribution(person, item, record, ctx.decay, except);
  ctx.popularity.add(item, c.pos, c.neg, c.wt, true);
}

/** The scopes of the person that hold a learned record of `item`, with their records. */
function learnedOf(person: PersonState, item: number): [Scope, ItemEvidence][] {
  const out: [Scope, ItemEvidence][] = [];
  for (const scope of scopesOf(person)) {
    const record = scope.evidence.get(item);
    if (record?.learned === true) out.push([scope, record]);
  }
  return out;
}

/**
 * Records one event in one scope: the record, the scope's ban for `down`,
 * and whether it teaches (the caller takes the item's parts out before and
 * puts them back after). `t` is the event's time on the person's own clock.
 * O(tags of the item).
 */
function recordIn(
  ctx: LearningContext,
  person: PersonState,
  scope: Scope,
  e: CheckedEvent,
  t: number,
  contexts: readonly string[],
  bans: boolean,
): void {
  const { item, signal, at } = e;
  scope.events++;
  if (signal === 'down' && bans) scope.banned.set(item, Math.max(scope.banned.get(item) ?? -Infinity, at));
  const record = scope.evidence.get(item) ?? newItemEvidence(at);
  // The person's own record keeps when they last gave a thumbs-up off any station (see withdrawStation).
  if (signal === 'up' && scope === person && e.station === undefined) record.upAt = withOffStationUp(record, at);
  recordSignal(record, signal, SIGNALS[signal].strength * e.weight, at, t, contexts, ctx.decay);
  if (SIGNALS[signal].label !== null && consented(ctx.catalog, person, item)) record.learned = true;
  scope.evidence.set(item, record);
}

/**
 * Applies one validated event to its person (and station). Returns whether
 * shared statistics changed. The caller has checked that the person is not
 * opted out and that the station exists.
 */
export function applyEvent(ctx: LearningContext, person: PersonState, e: CheckedEvent): boolean {
  const { catalog } = ctx;
  const { item, signal, at } = e;
  const station = e.station === undefined ? undefined : person.stations.get(e.station)!;
  // A rest or a purchase holds on every station and off them, but is kept where it was given
  // (removing the station takes it).
  if (signal === 'tired') {
    const rests = (station ?? person).rests;
    rests.set(item, Math.max(rests.get(item) ?? -Infinity, at + ctx.tiredMs));
  }
  if (signal === 'purchase') {
    const purchases = (station ?? person).purchases;
    purchases.set(item, Math.max(purchases.get(item) ?? -Infinity, at));
  }
  const contexts = contextFeatures(e.context);
  // Evidence ages on the person's own time: a pause counts at most a little (absence is not forgetting).
  // Only a signal that teaches moves the clock, so the clock is always the latest record's time (clockOf).
  const t =
    SIGNALS[signal].label === null ? ctx.decay.personTime(person.clock, at) : ctx.decay.observe(person.clock, at);
  const label = SIGNALS[signal].label;
  const learns = label !== null && consented(catalog, person, item);
  // What the person was expected to do, read before this event is learned (only the life-stage watch reads it).
  const predicted = learns && ctx.lifeStages ? expected(ctx, person, item, contexts, t) : 0.5;
  // Every part of the item out, both records, every part back: the person's parts read the station's record.
  if (learns) for (const [scope, record] of learnedOf(person, item)) subtract(ctx, person, scope, item, record);
  if (station !== undefined) recordIn(ctx, person, station, e, t, contexts, true);
  // A down on a station bans the item there only.
  recordIn(ctx, person, person, e, t, contexts, station === undefined);
  if (!learns) return false;
  for (const [scope, record] of learnedOf(person, item)) add(ctx, person, scope, item, record);
  if (ctx.lifeStages && observeSurprise(person.watch, label, predicted, at)) {
    const keep = lifeStageKeep(heaviestTag(ctx, person, t));
    fadePerson(ctx, person, keep);
    person.changes.push({ at, cause: 'detected', kept: keep });
  }
  return true;
}

/** What the person was expected to do with `item` before this event: their taste, and what they did with it before (expectedReaction). */
function expected(
  ctx: LearningContext,
  person: PersonState,
  item: number,
  contexts: ReturnType<typeof contextFeatures>,
  t: number,
): number {
  const predicted = person.taste.predict(ctx.catalog.itemTags[item]!, contexts, t);
  const before = person.evidence.get(item);
  if (before === undefined || !before.learned) return predicted;
  const f = ctx.decay.factor(t - before.t);
  return expectedReaction(predicted, positiveOf(before) * f, negativeOf(before) * f);
}

/** The largest raw importance (positive and negative, decayed to `now`) of one tag over the person's learned records. */
function heaviestTag(ctx: LearningContext, person: PersonState, now: number): number {
  const byTag = new Map<number, number>();
  person.evidence.forEachView((item, record) => {
    if (!record.learned) return;
    const x = (positiveOf(record) + negativeOf(record)) * ctx.decay.factor(now - record.t);
    for (const tag of ctx.catalog.itemTags[item]!) byTag.set(tag, (byTag.get(tag) ?? 0) + x);
  });
  let heaviest = 0;
  for (const x of byTag.values()) heaviest = Math.max(heaviest, x);
  return heaviest;
}

/** Takes a learned record out of its scope's taste (and popularity). */
function unlearn(ctx: LearningContext, person: PersonState, scope: Scope, item: number, record: ItemEvidence): void {
  if (!record.learned) return;
  subtract(ctx, person, scope, item, record);
  record.learned = false;
  scope.evidence.set(item, record);
}

/** Puts an unlearned record (with learning signals) back into its scope's taste (and popularity). */
function relearn(ctx: LearningContext, person: PersonState, scope: Scope, item: number, record: ItemEvidence): void {
  if (record.learned || !hasLearning(record)) return;
  add(ctx, person, scope, item, record);
  record.learned = true;
  scope.evidence.set(item, record);
}

/** Undoes every signal the person gave on `item`, in every scope. Returns whether there was any. */
export function removeItem(ctx: LearningContext, person: PersonState, item: number): boolean {
  const records = scopesOf(person).flatMap((scope) => {
    const record = scope.evidence.get(item);
    return record === undefined ? [] : [[scope, record] as const];
  });
  // Every part out before any record goes: the person's parts read the station records.
  for (const [scope, record] of records) if (record.learned) subtract(ctx, person, scope, item, record);
  for (const [scope, record] of records) forgetRecord(scope, item, record);
  settleClock(person);
  return records.length > 0;
}

/**
 * The person's clock as their records say it: the time, on their own clock
 * and on the wall, of their latest record (no clock without one). Kept as
 * they learn, and read again when evidence is taken away, so an undone
 * event leaves no time behind.
 */
/**
 * After evidence was taken away: the clock as the remaining records say it,
 * and every scope's taste brought back to it, so the person reads as if the
 * removed events had never been given.
 */
function settleClock(person: PersonState): void {
  person.clock = clockOf(person);
  if (person.clock.wall === -Infinity) return;
  person.taste.rewind(person.clock.active);
  for (const station of person.stations.values()) station.taste.rewind(person.clock.active);
}

export function clockOf(person: PersonState): PersonClock {
  const clock = newClock();
  person.evidence.forEachView((_, e) => {
    if (e.t > clock.active || (e.t === clock.active && e.wt > clock.wall)) {
      clock.active = e.t;
      clock.wall = e.wt;
    }
  });
  return clock;
}

/** Deletes a record whose parts are already out, with its scope's ban, rest and purchase. */
function forgetRecord(scope: Scope, item: number, record: ItemEvidence) {
  scope.evidence.delete(item);
  scope.events -= record.count;
  scope.banned.delete(item);
  scope.rests.delete(item);
  scope.purchases.delete(item);
}

/**
 * Removes a station's feedback from the person's own records: an item
 * known only from this station loses its record (the station's rests and
 * purchases go with the station); otherwise the station's sums, counts and contexts are taken
 * out of the record, and its thumb goes back to the latest one given
 * elsewhere. The person's taste (which no longer discounts the station)
 * and popularity follow. O(the station's items × stations). The caller
 * then deletes the station itself.
 */
export function withdrawStation(ctx: LearningContext, person: PersonState, station: StationState): void {
  for (const [item, given] of station.evidence) {
    const record = person.evidence.get(item);
    if (record === undefined) continue;
    if (record.learned) subtract(ctx, person, person, item, record);
    // A person-wide ban is the person's own: its record stays, whatever was also given on the station.
    if (record.count <= given.count && !person.banned.has(item)) {
      forgetRecord(person, item, record);
      continue;
    }
    const removed = Math.min(given.count, record.count - 1);
    subtractSums(record, given, ctx.decay, WHOLE);
    if (record.play + record.skip + record.purchase === 0) record.implicitSince = Infinity;
    record.count -= removed;
    // A record of 0.3 kept a station's purchases with the person's: when none is left, the purchase goes.
    if (record.purchase === 0) person.purchases.delete(item);
    if (record.thumb !== 0 && record.thumb === given.thumb && record.thumbAt === given.thumbAt) {
      Object.assign(record, latestThumbElsewhere(person, station, item, record));
    }
    person.events -= removed;
    if (record.learned) {
      record.learned = hasLearning(record);
      if (record.learned) add(ctx, person, person, item, record, station);
    }
    person.evidence.set(item, record);
  }
  settleClock(person);
}

/** The latest thumb on `item` not given on `station`: a down or an up given off any station, or another station's thumb. */
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
  if (record.upAt !== -Infinity) {
    if (!Number.isNaN(record.upAt)) consider(1, record.upAt);
  } else if (best.thumb === 0 && record.up > 0) {
    // A record from before attune kept the time of an up given off any station: its first event bounds it.
    best = { thumb: 1, thumbAt: record.first };
  }
  return best;
}

/** Takes the person's whole part out of the shared statistics (before an erasure or opt-out). */
export function withdrawPerson(ctx: LearningContext, person: PersonState): void {
  person.evidence.forEachView((item, record) => {
    if (!record.learned) return;
    const c = sharedContribution(person, item, record, ctx.decay);
    ctx.popularity.remove(item, c.pos, c.neg, c.wt);
  });
}

/** After a consent change: learn or unlearn, in every scope, the records of items in `categories`. O(the person's items). */
export function syncConsent(ctx: LearningContext, person: PersonState, categories: readonly string[]): void {
  // Learning a record changes no sums, so the order of the scopes does not matter.
  for (const scope of scopesOf(person)) {
    for (const [item, record] of scope.evidence) {
      if (!ctx.catalog.itemSensitive[item]!.some((c) => categories.includes(c))) continue;
      if (consented(ctx.catalog, person, item)) relearn(ctx, person, scope, item, record);
      else unlearn(ctx, person, scope, item, record);
    }
  }
}

/**
 * A requested new life stage: every scope forgets its records, except (with
 * `keepBans`) the thumbs-down of items banned in it, which go on teaching
 * what the person does not want there. Rests and purchases are forgotten;
 * stations keep their seeds.
 */
export function resetPerson(ctx: LearningContext, person: PersonState, keepBans: boolean, at: number): void {
  withdrawPerson(ctx, person);
  const scopes = scopesOf(person);
  for (const scope of scopes) {
    const kept = keepBans ? keepOnlyBans(scope.evidence, scope.banned) : new EvidenceTable();
    if (!keepBans) scope.banned.clear();
    scope.rests.clear();
    scope.purchases.clear();
    scope.evidence = kept;
    scope.events = kept.size;
    scope.taste = new Taste(ctx.decay);
  }
  // Every scope's records first: the person's parts of a record read its station records.
  for (const scope of scopes)
    for (const [item, record] of scope.evidence)
      if (consented(ctx.catalog, person, item)) relearn(ctx, person, scope, item, record);
  settleClock(person);
  person.changes.push({ at, cause: 'requested', kept: 0 });
}

/**
 * A detected change of life stage: all of the person's evidence, in every
 * scope, keeps only `keep` of its weight — in the records, the tastes and
 * their part of popularity alike.
 */
export function fadePerson(ctx: LearningContext, person: PersonState, keep: number): void {
  const scopes = scopesOf(person);
  // Every part out, every record faded, every part back: the person's parts read their station records.
  for (const scope of scopes)
    scope.evidence.forEachView((item, record) => {
      if (record.learned) subtract(ctx, person, scope, item, record);
    });
  for (const scope of scopes) {
    for (const [item, record] of scope.evidence) {
      scaleEvidence(record, keep);
      scope.evidence.set(item, record);
    }
  }
  for (const scope of scopes)
    scope.evidence.forEachView((item, record) => {
      if (record.learned) add(ctx, person, scope, item, record);
    });
}

/** Every learned record of everyone, in store order: what shared statistics are rebuilt from. */
export function* learnedRecords(
  people: Iterable<PersonState>,
  decay: Decay,
): Generator<{ item: number; positive: number; negative: number; t: number }> {
  for (const person of people) {
    if (person.optOut) continue;
    const rows: { item: number; positive: number; negative: number; t: number }[] = [];
    person.evidence.forEachView((item, record) => {
      if (!record.learned) return;
      const c = sharedContribution(person, item, record, decay);
      rows.push({ item, positive: c.pos, negative: c.neg, t: c.wt });
    });
    yield* rows;
  }
}
