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
import type { Steps } from '../models/mf/training/runners.js';
import { optionsFromJSON } from '../options.js';
import { personFromJSON } from '../people/json.js';
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
  for (let i = 0; i < snap.people.length; i++) {
    yield;
    const person = personFromJSON(snap.people[i], world.catalog, world.decay, `restoreRecommender: people[${i}]`);
    if (world.people.get(person.id) !== undefined)
      throw new AttuneError(
        'BAD_SNAPSHOT',
        `restoreRecommender: people[${i}] repeats the id ${describeValue(person.id)}`,
      );
    world.people.set(person);
  }
  yield;
  world.popularity.load(world.catalog.size, readPopularity(snap.popularity, world.catalog.size));
  if (snap.collaborative !== undefined)
    world.setModel(yield* collaborativeSteps(snap.collaborative, world.catalog.size));
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
