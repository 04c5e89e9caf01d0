/**
 * Snapshot and restore of a world: state, not history. Writing is a pure
 * function of what was learned; reading validates everything (`BAD_SNAPSHOT`
 * names what is wrong) and reads state without replaying it — except a
 * version 1 snapshot, which held every event and is migrated by replaying
 * them once into evidence.
 */
import { Catalog } from '../catalog/catalog.js';
import { AttuneError, describeValue } from '../errors.js';
import { checkEvent } from '../feedback/validate.js';
import { CollaborativeModel } from '../models/collaborative/collaborative.js';
import { optionsFromJSON, optionsToJSON } from '../options.js';
import { DAY_MS } from '../decay/decay.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import { sameSums } from '../people/consistency.js';
import { personFromJSON, personToJSON, type RecordContext } from '../people/json.js';
import { applyEvent, learnedRecords } from '../people/learning.js';
import { newPerson } from '../people/person.js';
import { World } from '../world.js';
import {
  optionsFromV1,
  readEnvelope,
  readPopularity,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type Snapshot,
} from './snapshot.js';
import type { SnapshotV1 } from './snapshotV1.js';

/** Plain JSON of everything the world learned. */
export function snapshotOf(world: World): Snapshot {
  const model = world.model;
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    options: optionsToJSON(world.options),
    items: Array.from({ length: world.catalog.size }, (_, i) => world.catalog.item(i)),
    people: [...world.people.values()].map(personToJSON),
    popularity: world.popularity.toJSON(),
    ...(model !== undefined ? { collaborative: model.toJSON() } : {}),
  };
}

/**
 * A world from a snapshot (after a JSON round trip): version 2 read as it
 * is, version 1 migrated. Every refusal is `BAD_SNAPSHOT`.
 */
export function worldFromSnapshot(raw: unknown, overrides: { now?: () => number } = {}): World {
  try {
    return readWorld(raw, overrides);
  } catch (error) {
    if (error instanceof AttuneError && error.code !== 'BAD_SNAPSHOT') {
      throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: the snapshot is not valid: ${error.message}`);
    }
    throw error;
  }
}

function readWorld(raw: unknown, overrides: { now?: () => number }): World {
  const envelope = readEnvelope(raw);
  const snap = envelope.snapshot;
  const options = envelope.version === 2 ? snap.options : optionsFromV1(envelope.snapshot.options);
  let world = new World(optionsFromJSON(options, overrides.now), Catalog.validate('restoreRecommender', snap.items));
  if (envelope.version === 2) loadState(world, envelope.snapshot);
  else world = migrate(world, envelope.snapshot);
  if (snap.collaborative !== undefined) {
    let model: CollaborativeModel;
    try {
      model = CollaborativeModel.fromJSON(snap.collaborative);
    } catch (error) {
      throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: collaborative model: ${(error as Error).message}`);
    }
    if (model.itemCount > world.catalog.size)
      throw new AttuneError(
        'BAD_SNAPSHOT',
        'restoreRecommender: the collaborative model knows more items than the catalog',
      );
    world.setModel(model);
  }
  return world;
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

function loadState(world: World, snap: Snapshot): void {
  const context = recordContext(world);
  snap.people.forEach((json, i) => {
    const person = personFromJSON(json, context, `restoreRecommender: people[${i}]`);
    if (world.people.get(person.id) !== undefined)
      throw new AttuneError(
        'BAD_SNAPSHOT',
        `restoreRecommender: people[${i}] repeats the id ${describeValue(person.id)}`,
      );
    world.people.set(person);
  });
  const rows = readPopularity(snap.popularity, world.catalog.size);
  const wrong = popularityMismatch(world, rows);
  if (wrong !== undefined)
    throw new AttuneError(
      'BAD_SNAPSHOT',
      `restoreRecommender: popularity[${wrong.row}] (item ${wrong.item}) is not the sum of the people's learned records of that item`,
    );
  world.popularity.load(world.catalog.size, rows);
}

/**
 * The first popularity row (or item without a row) that is not the sum of
 * the people's learned records, recomputed as train() recomputes it
 * (PopularitySums over learnedRecords) and compared to rounding.
 */
export function popularityMismatch(world: World, rows: PopularityJson): { row: number; item: number } | undefined {
  const people = [...world.people.values()];
  const sums = world.popularity.emptySums(world.catalog.size);
  sums.addTimes(learnedRecords(people));
  sums.addSums(learnedRecords(people));
  const byItem = new Map(rows.map((r, i) => [r[0], i]));
  for (let item = 0; item < world.catalog.size; item++) {
    const i = byItem.get(item);
    const row = i === undefined ? undefined : rows[i]!;
    const stored =
      row === undefined ? { pos: 0, neg: 0, t: -Infinity, n: 0 } : { pos: row[1], neg: row[2], t: row[3], n: row[4] };
    const sum = { pos: sums.pos[item]!, neg: sums.neg[item]!, t: sums.t[item]!, n: sums.n[item]! };
    if (!sameSums(stored, sum, world.decay)) return { row: i ?? -1, item };
  }
  return undefined;
}

/**
 * Version 1 held every event: replay them once, in their arrival order, into
 * evidence. The result is then read back as a version 2 snapshot, so that a
 * migration is held to every check a restore makes (what is accepted can be
 * snapshotted and restored).
 */
function migrate(world: World, snap: SnapshotV1): World {
  replay(world, snap);
  const written = JSON.parse(JSON.stringify(snapshotOf(world))) as Snapshot;
  const again = new World(world.options, written.items);
  loadState(again, written);
  return again;
}

function replay(world: World, snap: SnapshotV1): void {
  const people = snap.users.map((u) => {
    const person = newPerson(u.id, world.decay);
    person.optOut = u.optOut;
    world.people.set(person);
    // Nothing is kept about an opted-out person but the opt-out (as setPreferences leaves them).
    if (u.optOut) return person;
    for (const c of u.consent) person.consent.add(c);
    person.mutedTags = new Set(u.mutedTags);
    person.draws = u.draws;
    person.changes = u.changes.filter((c) => c.cause === 'requested');
    return person;
  });
  for (const [userIndex, item, signal, at, weight, context] of snap.events) {
    const event = checkEvent(
      {
        user: people[userIndex]!.id,
        item: world.catalog.ids[item]!,
        signal,
        at,
        weight,
        ...(context !== undefined ? { context } : {}),
      },
      'restoreRecommender: an event',
      world.catalog,
      at,
      world.options.protectedAttributes,
    );
    applyEvent(world.learning, people[userIndex]!, event);
  }
}
