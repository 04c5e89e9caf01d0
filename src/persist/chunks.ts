/**
 * A snapshot as JSON text in chunks (`Recommender.snapshotChunks`), made a
 * few milliseconds at a time with a turn of the event loop between chunks,
 * so a server can save while it serves. Their concatenation is
 * `JSON.stringify(rec.snapshot())` of the state when the first chunk was
 * asked for: people not yet written when something is about to change them
 * are written first (the store tells before it hands a person out), the
 * popularity sums are copied at the start, and the catalog, the options and
 * the collaborative model are never changed in place.
 */
import { AttuneError } from '../errors.js';
import { SLICE_MS, yieldToEventLoop } from '../kernels/steps.js';
import { optionsToJSON, type OptionsJson } from '../options.js';
import { personToJSON } from '../people/json.js';
import type { PersonState } from '../people/person.js';
import { MemoryPeopleStore } from '../people/store.js';
import type { World } from '../world.js';
import { jsonPieces, LazyJsonArray } from './jsonText.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot.js';

/**
 * The one layout of a snapshot, for `snapshot()` and for its chunks alike:
 * the members in this order, `collaborative` only with a model.
 */
export function snapshotLayout<I, P, Pop, C>(
  options: OptionsJson,
  items: I,
  people: P,
  popularity: Pop,
  collaborative: C | undefined,
): {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  options: OptionsJson;
  items: I;
  people: P;
  popularity: Pop;
  collaborative?: C;
} {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    options,
    items,
    people,
    popularity,
    ...(collaborative !== undefined ? { collaborative } : {}),
  };
}

/** The chunks of the snapshot of `world` as it is when the first chunk is asked for (see the file comment). */
export function snapshotChunks(world: World): AsyncIterable<string> {
  return { [Symbol.asyncIterator]: () => chunksOf(world) };
}

async function* chunksOf(world: World): AsyncGenerator<string, void, undefined> {
  const store = world.people;
  if (!(store instanceof MemoryPeopleStore))
    throw new AttuneError(
      'INVALID_ARGUMENT',
      'snapshotChunks: only an in-memory recommender writes its snapshot in chunks; use snapshot() here',
    );
  const people = [...store.values()];
  const written = new Map<PersonState, string>();
  const pending = new Set(people);
  const write = (person: PersonState): string => JSON.stringify(personToJSON(person));
  // A person the stream has not reached yet is written before anyone can change them.
  const stopWatching = store.beforeGet((person) => {
    if (!pending.delete(person)) return;
    written.set(person, write(person));
  });
  const catalog = world.catalog;
  const layout = snapshotLayout(
    optionsToJSON(world.options),
    new LazyJsonArray(catalog.size, (i) => JSON.stringify(catalog.item(i))),
    new LazyJsonArray(people.length, (i) => {
      const person = people[i]!;
      pending.delete(person);
      const text = written.get(person) ?? write(person);
      written.delete(person);
      return text;
    }),
    world.popularity.toJSON(),
    world.model?.toJSONView(),
  );
  try {
    let buffer: string[] = [];
    let started = globalThis.performance.now();
    for (const piece of jsonPieces(layout)) {
      buffer.push(piece);
      if (globalThis.performance.now() - started >= SLICE_MS) {
        yield buffer.join('');
        buffer = [];
        await yieldToEventLoop();
        started = globalThis.performance.now();
      }
    }
    if (buffer.length > 0) yield buffer.join('');
  } finally {
    stopWatching();
  }
}
