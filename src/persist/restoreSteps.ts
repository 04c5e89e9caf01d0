/**
 * Restoring a version 2 snapshot as steps: the catalog in batches of items,
 * the people one at a time, then the popularity sums and the collaborative
 * model (its Gram matrix a pair of rows at a time). `restoreRecommender`
 * runs the steps at once; `restoreRecommenderFrom` runs them in time slices,
 * so both validate the same way and refuse with the same errors.
 */
import { Catalog } from '../catalog/catalog.js';
import { Decay } from '../decay/decay.js';
import { AttuneError, describeValue } from '../errors.js';
import { CollaborativeModel } from '../models/collaborative/collaborative.js';
import type { Steps } from '../models/mf/training/runners.js';
import { PopularityModel } from '../models/popularity/popularity.js';
import { optionsFromJSON, type ResolvedOptions } from '../options.js';
import { personFromJSON } from '../people/json.js';
import { MemoryPeopleStore } from '../people/store.js';
import type { Recommender, StoreParts } from '../recommender.js';
import { readPopularity, type Snapshot } from './snapshot.js';

/** Items added to the catalog between two pauses. */
const ITEM_BATCH = 2000;

/** Builds the facade over restored parts (passed in: the facade imports this file). */
export type RecommenderOverParts = (options: ResolvedOptions, parts: Required<StoreParts>) => Recommender;

/** The steps of restoring `snap` (its envelope already read, see `readEnvelope`). */
export function* restoreSteps(
  snap: Snapshot,
  overrides: { now?: () => number },
  create: RecommenderOverParts,
): Steps<Recommender> {
  const options = optionsFromJSON(snap.options, overrides.now);
  const items = Catalog.validate('restoreRecommender', snap.items);
  const catalog = new Catalog();
  for (let i = 0; i < items.length; i += ITEM_BATCH) {
    yield;
    catalog.add(items.slice(i, i + ITEM_BATCH));
  }
  const decay = Decay.ofDays(options.halfLifeDays);
  const people = new MemoryPeopleStore();
  for (let i = 0; i < snap.people.length; i++) {
    yield;
    const person = personFromJSON(snap.people[i], catalog, decay, `restoreRecommender: people[${i}]`);
    if (people.get(person.id) !== undefined)
      throw new AttuneError(
        'BAD_SNAPSHOT',
        `restoreRecommender: people[${i}] repeats the id ${describeValue(person.id)}`,
      );
    people.set(person);
  }
  yield;
  const popularity = new PopularityModel(decay);
  popularity.load(catalog.size, readPopularity(snap.popularity, catalog.size));
  const collaborative =
    snap.collaborative === undefined ? undefined : yield* collaborativeSteps(snap.collaborative, catalog.size);
  return create(options, { catalog, people, popularity, collaborative });
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
