/**
 * Restoring a version 2 snapshot into a world, as steps: the catalog in
 * batches of items, the people one at a time, then the popularity sums and
 * the collaborative model (its Gram matrix a pair of rows at a time).
 * `restoreRecommender` runs the steps at once; `restoreRecommenderFrom`
 * runs them in time slices, so both validate the same way and refuse with
 * the same errors.
 */
import { Catalog } from '../catalog/catalog.js';
import { AttuneError, describeValue } from '../errors.js';
import { CollaborativeModel } from '../models/collaborative/collaborative.js';
import { finishSteps, type Steps } from '../kernels/steps.js';
import { DAY_MS } from '../decay/decay.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import { optionsFromJSON } from '../options.js';
import { sameSums } from '../people/consistency.js';
import { personFromJSON, type RecordContext } from '../people/json.js';
import { learnedRecords } from '../people/learning.js';
import { World } from '../world.js';
import { readPopularity, type Snapshot } from './snapshot.js';

/** Items validated and added to the catalog between two places the restore may pause (a fraction of a millisecond, warm). */
const ITEM_BATCH = 250;

/** The steps of restoring `snap` (its envelope already read, see `readEnvelope`). */
export function* worldSteps(snap: Snapshot, overrides: { now?: () => number }): Steps<World> {
  const world = yield* catalogSteps(snap.options, snap.items, overrides);
  const context = recordContext(world);
  for (let i = 0; i < snap.people.length; i++) {
    yield;
    addPerson(world, context, snap.people[i], i);
  }
  return yield* sharedStateSteps(world, snap);
}

/**
 * A world of the snapshot's options and catalog, the items validated and
 * added in batches: the first item refused is the one `Catalog.validate`
 * of the whole list refuses, with the same error.
 */
function* catalogSteps(rawOptions: unknown, rawItems: unknown, overrides: { now?: () => number }): Steps<World> {
  const options = optionsFromJSON(rawOptions, overrides.now);
  // (Catalog.validate refuses anything but an array.)
  const list: unknown[] = Array.isArray(rawItems) ? rawItems : Catalog.validate('restoreRecommender', rawItems);
  const world = new World(options, []);
  for (let i = 0; i < list.length; i += ITEM_BATCH) {
    yield;
    const batch = Catalog.validate('restoreRecommender', list.slice(i, i + ITEM_BATCH), world.catalog, i);
    world.addItems(batch);
  }
  return world;
}

/** Reads `people[index]` of a snapshot into `world`. */
function addPerson(world: World, context: RecordContext, raw: unknown, index: number): void {
  const person = personFromJSON(raw, context, `restoreRecommender: people[${index}]`);
  if (world.people.get(person.id) !== undefined)
    throw new AttuneError(
      'BAD_SNAPSHOT',
      `restoreRecommender: people[${index}] repeats the id ${describeValue(person.id)}`,
    );
  world.people.set(person);
}

/** What follows the people: the popularity sums (checked against them) and the collaborative model. */
function* sharedStateSteps(world: World, snap: Snapshot): Steps<World> {
  yield;
  const rows = readPopularity(snap.popularity, world.catalog.size);
  const wrong = yield* popularityMismatchSteps(world, rows);
  if (wrong !== undefined)
    throw new AttuneError(
      'BAD_SNAPSHOT',
      `restoreRecommender: popularity[${wrong.row}] (item ${wrong.item}) is not the sum of the people's learned records of that item`,
    );
  world.popularity.load(world.catalog.size, rows);
  if (snap.collaborative !== undefined) {
    const model = yield* collaborativeSteps(snap.collaborative, world.catalog.size);
    // The retrieval index is built again (never stored), in steps too.
    yield* world.retrieval.prepare(model, world.catalog);
    world.setModel(model);
  }
  return world;
}

/**
 * A snapshot's people read into the world one by one as the text is
 * parsed (`restoreRecommenderFrom`), so that a parsed record is garbage at
 * once instead of living until the whole text is read: the world is made
 * of `options` and `items` (members read before the people) at the first
 * person, or at the end when there is none. What the reading throws is
 * kept, and the rest of the people skipped, until {@link worldSteps} —
 * run once the text has been parsed and the envelope read — throws it:
 * errors come in the order `restoreRecommender` finds them.
 */
export class PeopleInflow {
  /** What the parsed snapshot holds in place of its people. */
  readonly parsed: unknown[] = [];
  private world: World | undefined;
  private context: RecordContext | undefined;
  private failure: { error: unknown } | undefined;
  private count = 0;

  constructor(
    /** The snapshot's members read before its people (`options` and `items` are read from them). */
    readonly before: Readonly<Record<string, unknown>>,
    private readonly overrides: { now?: () => number },
  ) {}

  /** Reads the next people into the world, a pause before each, as steps (nothing once something was refused). */
  *take(records: readonly unknown[]): Steps<void> {
    for (const raw of records) {
      if (this.failure !== undefined) return;
      try {
        if (this.world === undefined) {
          this.world = yield* catalogSteps(this.before['options'], this.before['items'], this.overrides);
          this.context = recordContext(this.world);
        }
        yield;
        addPerson(this.world, this.context!, raw, this.count++);
      } catch (error) {
        this.failure = { error };
      }
    }
  }

  /** The rest of restoring `snap` (parsed, its envelope read, its people these): throws what reading the people threw. */
  *worldSteps(snap: Snapshot): Steps<World> {
    if (this.failure !== undefined) throw this.failure.error;
    const world = this.world ?? (yield* catalogSteps(snap.options, snap.items, this.overrides));
    return yield* sharedStateSteps(world, snap);
  }
}

/** Reads a snapshot's collaborative model, in steps; a model that knows more items than the catalog is refused. */
export function* collaborativeSteps(raw: unknown, items: number): Steps<CollaborativeModel> {
  let model: CollaborativeModel;
  try {
    model = yield* CollaborativeModel.fromJSONSteps(raw);
  } catch (error) {
    throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: collaborative model: ${(error as Error).message}`);
  }
  if (model.itemCount > items)
    throw new AttuneError(
      'BAD_SNAPSHOT',
      'restoreRecommender: the collaborative model knows more items than the catalog',
    );
  return model;
}

/** What a person's record is read against: the world's catalog, decay and options. */
export function recordContext(world: World): RecordContext {
  return {
    catalog: world.catalog,
    decay: world.decay,
    tiredMs: world.options.tiredDays * DAY_MS,
    protectedAttributes: world.options.protectedAttributes,
  };
}

/**
 * The first popularity row (or item without a row) that is not the sum of
 * the people's learned records, recomputed as train() recomputes it
 * (PopularitySums over learnedRecords) and compared to rounding.
 */
export function popularityMismatch(world: World, rows: PopularityJson): { row: number; item: number } | undefined {
  return finishSteps(popularityMismatchSteps(world, rows));
}

/** {@link popularityMismatch} as steps: a pause after each person of each pass, and every few thousand items. */
export function* popularityMismatchSteps(
  world: World,
  rows: PopularityJson,
): Steps<{ row: number; item: number } | undefined> {
  const people = [...world.people.values()];
  const sums = world.popularity.emptySums(world.catalog.size);
  for (const person of people) {
    sums.addTimes(learnedRecords([person], world.decay));
    yield;
  }
  for (const person of people) {
    sums.addSums(learnedRecords([person], world.decay));
    yield;
  }
  const byItem = new Map(rows.map((r, i) => [r[0], i]));
  for (let item = 0; item < world.catalog.size; item++) {
    if (item % ITEM_BATCH === ITEM_BATCH - 1) yield;
    const i = byItem.get(item);
    const row = i === undefined ? undefined : rows[i]!;
    const stored =
      row === undefined ? { pos: 0, neg: 0, t: -Infinity, n: 0 } : { pos: row[1], neg: row[2], t: row[3], n: row[4] };
    const sum = { pos: sums.pos[item]!, neg: sums.neg[item]!, t: sums.t[item]!, n: sums.n[item]! };
    if (!sameSums(stored, sum, world.decay)) return { row: i ?? -1, item };
  }
  return undefined;
}
