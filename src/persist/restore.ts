/**
 * Snapshot and restore of a world: state, not history. Writing is a pure
 * function of what was learned; reading validates everything (`BAD_SNAPSHOT`
 * names what is wrong) and reads state without replaying it — except a
 * version 1 snapshot, which held every event and is migrated by replaying
 * them once into evidence.
 */
import { Catalog } from '../catalog/catalog.js';
import { AttuneError } from '../errors.js';
import { checkEvent } from '../feedback/validate.js';
import { optionsFromJSON, optionsToJSON } from '../options.js';
import { personToJSON } from '../people/json.js';
import { applyEvent } from '../people/learning.js';
import { newPerson } from '../people/person.js';
import { World } from '../world.js';
import { finishSteps, finishStepsInSlices } from '../kernels/steps.js';
import { snapshotLayout } from './chunks.js';
import { collaborativeSteps, worldSteps } from './restoreSteps.js';
import { optionsFromV1, readEnvelope, type Snapshot } from './snapshot.js';
import type { SnapshotV1 } from './snapshotV1.js';

/** Plain JSON of everything the world learned (the layout is shared with its chunks, see chunks.ts). */
export function snapshotOf(world: World): Snapshot {
  return snapshotLayout(
    optionsToJSON(world.options),
    Array.from({ length: world.catalog.size }, (_, i) => world.catalog.item(i)),
    [...world.people.values()].map(personToJSON),
    world.popularity.toJSON(),
    world.model?.toJSON(),
  );
}

/**
 * A world from a snapshot (after a JSON round trip): version 2 read as it
 * is, version 1 migrated. Every refusal is `BAD_SNAPSHOT`.
 */
export function worldFromSnapshot(raw: unknown, overrides: { now?: () => number } = {}): World {
  try {
    return readWorld(raw, overrides);
  } catch (error) {
    throw asBadSnapshot(error);
  }
}

/** {@link worldFromSnapshot} with a turn of the event loop every few milliseconds (version 1 is migrated at once). */
export async function worldFromSnapshotInSlices(raw: unknown, overrides: { now?: () => number } = {}): Promise<World> {
  try {
    const envelope = readEnvelope(raw);
    if (envelope.version === 1) return readWorld(raw, overrides);
    return await finishStepsInSlices(worldSteps(envelope.snapshot, overrides));
  } catch (error) {
    throw asBadSnapshot(error);
  }
}

function asBadSnapshot(error: unknown): unknown {
  if (error instanceof AttuneError && error.code !== 'BAD_SNAPSHOT')
    return new AttuneError('BAD_SNAPSHOT', `restoreRecommender: the snapshot is not valid: ${error.message}`);
  return error;
}

/** A world from a snapshot whose envelope was read: version 2 in steps run at once (see restoreSteps.ts), version 1 migrated. */
function readWorld(raw: unknown, overrides: { now?: () => number }): World {
  const envelope = readEnvelope(raw);
  if (envelope.version !== 1) return finishSteps(worldSteps(envelope.snapshot, overrides));
  const snap = envelope.snapshot;
  const world = new World(
    optionsFromJSON(optionsFromV1(snap.options), overrides.now),
    Catalog.validate('restoreRecommender', snap.items),
  );
  const migrated = migrate(world, snap, overrides);
  if (snap.collaborative !== undefined)
    migrated.setModel(finishSteps(collaborativeSteps(snap.collaborative, migrated.catalog.size)));
  return migrated;
}

/**
 * Version 1 held every event: replay them once, in their arrival order, into
 * evidence. The result is then read back as a version 2 snapshot, so that a
 * migration is held to every check a restore makes (what is accepted can be
 * snapshotted and restored).
 */
function migrate(world: World, snap: SnapshotV1, overrides: { now?: () => number }): World {
  replay(world, snap);
  const written = JSON.parse(JSON.stringify(snapshotOf(world))) as Snapshot;
  return finishSteps(worldSteps(written, overrides));
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
