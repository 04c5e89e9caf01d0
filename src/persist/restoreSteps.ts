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

/** Items added to the catalog between two pauses. */
const ITEM_BATCH = 2000;

/** The steps of restoring `snap` (its envelope already read, see `readEnvelope`). */
export function* worldSteps(snap: Snapshot, overrides: { now?: () => number }): Steps<World> {
  const options = optionsFromJSON(snap.options, overrides.now);
  const items = Catalog.validate('restoreRecommender', snap.items);
  const world = new World(options, []);
  for (let i = 0; i < items.length; i += ITEM_BATCH) {
    yield;
    world.addItems(items.slice(i, i + ITEM_BATCH));
  }
  const context = recordContext(world);
  for (let i = 0; i < snap.people.length; i++) {
    yield;
    const person = personFromJSON(snap.people[i], context, `restoreRecommender: people[${i}]`);
    if (world.people.get(person.id) !== undefined)
      throw new AttuneError(
        'BAD_SNAPSHOT',
        `restoreRecommender: people[${i}] repeats the id ${describeValue(person.id)}`,
      );
    world.people.set(person);
  }
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
