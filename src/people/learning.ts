/**
 * How one person's evidence changes: an event, an undo, a consent change, a
 * reset, an erasure, a life-stage fade — each written once over the
 * person's scopes (the person overall and each station, see people/scope).
 * Each keeps one invariant: a scope's taste is the sum of its learned
 * records, and the shared popularity is the sum of every person's learned
 * records in their own (outer) scope — station records feed no shared
 * statistic, so nothing is counted twice. Every operation costs O(tags of
 * the item) or O(that person's items), and never needs anyone else's
 * history.
 */
import type { Catalog } from '../catalog/catalog.js';
import { newClock, type Decay, type PersonClock } from '../decay/decay.js';
import { lifeStageKeep, observeSurprise } from '../decay/lifeStages.js';
import { contextFeatures } from '../feedback/context.js';
import { SIGNALS } from '../feedback/signals.js';
import type { CheckedEvent } from '../feedback/validate.js';
import type { PopularityModel } from '../models/popularity/popularity.js';
import { Taste } from '../models/content/taste.js';
import {
  LEARNING_SIGNALS,
  negativeOf,
  newItemEvidence,
  positiveOf,
  recordSignal,
  scaleEvidence,
  type ItemEvidence,
} from './evidence.js';
import { EvidenceTable, keepOnlyBans } from './evidenceTable.js';
import { consented, contribution, hasLearning, type Contribution } from './contribution.js';
import type { PersonState } from './person.js';
import type { Scope } from './scope.js';
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

/** Below this, what is left of a sum after taking a station's part out is rounding. */
const RESIDUE = 1e-9;

/** Every scope of the person: the person overall first, then each station. */
function scopesOf(person: PersonState): Scope[] {
  return [person, ...person.stations.values()];
}

/** The shared statistics a scope's records count in: popularity for the person's own scope, none for a station. */
function sharedOf(ctx: LearningContext, person: PersonState, scope: Scope): PopularityModel | undefined {
  return scope === person ? ctx.popularity : undefined;
}

/** Adds a record's contribution to its scope's taste (and to popularity for the person's own scope). */
function add(ctx: LearningContext, scope: Scope, shared: PopularityModel | undefined, item: number, c: Contribution) {
  scope.taste.addRecord(ctx.catalog.itemTags[item]!, c);
  shared?.add(item, c.pos, c.neg, c.wt, true);
}

/** Takes a record's contribution out again: the exact inverse of {@link add}. */
function subtract(
  ctx: LearningContext,
  scope: Scope,
  shared: PopularityModel | undefined,
  item: number,
  c: Contribution,
) {
  scope.taste.removeRecord(ctx.catalog.itemTags[item]!, c);
  shared?.remove(item, c.pos, c.neg, c.wt);
}

/**
 * Records one event in one scope: the record, the scope's ban for `down`,
 * and the taste (and shared statistics) when the event teaches. `t` is the
 * event's time on the person's own clock. Returns whether it taught.
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
): boolean {
  const { item, signal, at } = e;
  const shared = sharedOf(ctx, person, scope);
  scope.events++;
  if (signal === 'down' && bans) scope.banned.set(item, Math.max(scope.banned.get(item) ?? -Infinity, at));
  const record = scope.evidence.get(item) ?? newItemEvidence(at);
  const semantics = SIGNALS[signal];
  const before = record.learned ? contribution(record) : undefined;
  recordSignal(record, signal, semantics.strength * e.weight, at, t, contexts, ctx.decay);
  const learns = semantics.label !== null && consented(ctx.catalog, person, item);
  if (learns) {
    if (before !== undefined) subtract(ctx, scope, shared, item, before);
    add(ctx, scope, shared, item, contribution(record));
    record.learned = true;
  }
  scope.evidence.set(item, record);
  return learns;
}

/**
 * Applies one validated event to its person (and station). Returns whether
 * shared statistics changed. The caller has checked that the person is not
 * opted out and that the station exists.
 */
export function applyEvent(ctx: LearningContext, person: PersonState, e: CheckedEvent): boolean {
  const { catalog } = ctx;
  const { item, signal, at } = e;
  // Rests and purchases are the person's, whatever station they were given on.
  if (signal === 'tired') person.rests.set(item, Math.max(person.rests.get(item) ?? -Infinity, at + ctx.tiredMs));
  if (signal === 'purchase') person.purchases.set(item, Math.max(person.purchases.get(item) ?? -Infinity, at));
  const contexts = contextFeatures(e.context);
  // Evidence ages on the person's own time: a pause counts at most a little (absence is not forgetting).
  // Only a signal that teaches moves the clock, so the clock is always the latest record's time (clockOf).
  const t =
    SIGNALS[signal].label === null ? ctx.decay.personTime(person.clock, at) : ctx.decay.observe(person.clock, at);
  // The station first, so that a life-stage fade triggered by the event covers both records alike.
  const station = e.station === undefined ? undefined : person.stations.get(e.station)!;
  if (station !== undefined) recordIn(ctx, person, station, e, t, contexts, true);
  const label = SIGNALS[signal].label;
  const learns = label !== null && consented(catalog, person, item);
  const predicted = learns ? person.taste.predict(catalog.itemTags[item]!, contexts, t) : 0.5;
  // A down on a station bans the item there only.
  recordIn(ctx, person, person, e, t, contexts, station === undefined);
  if (!learns) return false;
  if (ctx.lifeStages && observeSurprise(person.watch, label, predicted, at)) {
    const keep = lifeStageKeep(heaviestTag(ctx, person, t));
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
  subtract(ctx, scope, sharedOf(ctx, person, scope), item, contribution(record));
  record.learned = false;
  scope.evidence.set(item, record);
}

/** Puts an unlearned record (with learning signals) back into its scope's taste (and popularity). */
function relearn(ctx: LearningContext, person: PersonState, scope: Scope, item: number, record: ItemEvidence): void {
  if (record.learned || !hasLearning(record)) return;
  add(ctx, scope, sharedOf(ctx, person, scope), item, contribution(record));
  record.learned = true;
  scope.evidence.set(item, record);
}

/** Undoes every signal the person gave on `item`, in every scope. Returns whether there was any. */
export function removeItem(ctx: LearningContext, person: PersonState, item: number): boolean {
  let removed = false;
  for (const scope of scopesOf(person)) {
    const record = scope.evidence.get(item);
    if (record === undefined) continue;
    dropRecord(ctx, person, scope, item, record);
    removed = true;
  }
  settleClock(person);
  return removed;
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

function dropRecord(ctx: LearningContext, person: PersonState, scope: Scope, item: number, record: ItemEvidence) {
  unlearn(ctx, person, scope, item, record);
  scope.evidence.delete(item);
  scope.events -= record.count;
  scope.banned.delete(item);
  if (scope !== person) return;
  person.rests.delete(item);
  person.purchases.delete(item);
}

/**
 * Removes a station's feedback from the person's own records: an item
 * known only from this station loses its record (with its rest or
 * purchase); otherwise the station's sums, counts and contexts are taken
 * out of the record, and its thumb goes back to the latest one given
 * elsewhere. The person's taste and popularity follow. O(the station's
 * items). The caller then deletes the station itself.
 */
export function withdrawStation(ctx: LearningContext, person: PersonState, station: StationState): void {
  for (const [item, given] of station.evidence) {
    const record = person.evidence.get(item);
    if (record === undefined) continue;
    // A person-wide ban is the person's own: its record stays, whatever was also given on the station.
    if (record.count <= given.count && !person.banned.has(item)) {
      dropRecord(ctx, person, person, item, record);
      continue;
    }
    const before = record.learned ? contribution(record) : undefined;
    const removed = Math.min(given.count, record.count - 1);
    subtractEvidence(record, given, ctx.decay);
    record.count -= removed;
    // Every purchase of the item was given on the station: it goes with it (the item may be served again).
    if (record.purchase === 0) person.purchases.delete(item);
    if (record.thumb !== 0 && record.thumb === given.thumb && record.thumbAt === given.thumbAt) {
      Object.assign(record, latestThumbElsewhere(person, station, item, record));
    }
    person.events -= removed;
    if (before !== undefined) {
      subtract(ctx, person, ctx.popularity, item, before);
      record.learned = hasLearning(record);
      if (record.learned) add(ctx, person, ctx.popularity, item, contribution(record));
    }
    person.evidence.set(item, record);
  }
  settleClock(person);
}

/**
 * Takes the sums of `given` (a station's record of the same item, whose
 * events are a subset of `record`'s) out of `record`: sums per signal and
 * per context (the caller settles the event count). What is left below
 * rounding is zero.
 */
function subtractEvidence(record: ItemEvidence, given: ItemEvidence, decay: Decay): void {
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

/** Takes the person's whole part out of the shared statistics (before an erasure or opt-out). */
export function withdrawPerson(ctx: LearningContext, person: PersonState): void {
  person.evidence.forEachView((item, record) => {
    if (!record.learned) return;
    const c = contribution(record);
    ctx.popularity.remove(item, c.pos, c.neg, c.wt);
  });
}

/** After a consent change: learn or unlearn, in every scope, the records of items in `categories`. O(the person's items). */
export function syncConsent(ctx: LearningContext, person: PersonState, categories: readonly string[]): void {
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
  for (const scope of scopesOf(person)) {
    const kept = keepBans ? keepOnlyBans(scope.evidence, scope.banned) : new EvidenceTable();
    if (!keepBans) scope.banned.clear();
    scope.evidence = kept;
    scope.events = kept.size;
    scope.taste = new Taste(ctx.decay);
    for (const [item, record] of kept)
      if (consented(ctx.catalog, person, item)) relearn(ctx, person, scope, item, record);
  }
  person.rests.clear();
  person.purchases.clear();
  settleClock(person);
  person.changes.push({ at, cause: 'requested', kept: 0 });
}

/**
 * A detected change of life stage: all of the person's evidence, in every
 * scope, keeps only `keep` of its weight — in the records, the tastes and
 * their part of popularity alike.
 */
export function fadePerson(ctx: LearningContext, person: PersonState, keep: number): void {
  for (const scope of scopesOf(person)) {
    const shared = sharedOf(ctx, person, scope);
    for (const [item, record] of scope.evidence) {
      if (record.learned) subtract(ctx, scope, shared, item, contribution(record));
      scaleEvidence(record, keep);
      if (record.learned) add(ctx, scope, shared, item, contribution(record));
      scope.evidence.set(item, record);
    }
  }
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
      rows.push({ item, positive: c.pos, negative: c.neg, t: c.wt });
    });
    yield* rows;
  }
}
