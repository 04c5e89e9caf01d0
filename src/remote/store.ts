/**
 * The store port: what a store outside the process must offer so that many
 * processes serve one recommender (the store-backed front, `RemoteRecommender`). A store keeps, per
 * namespace: the options, the catalog (append-only), each person's record
 * (the JSON of people/json, with a version and a draw counter), the shared
 * popularity sums (one row per item) and the collaborative model. Redis is
 * one such store (src/redis/); another (SQL, say) implements this interface
 * and passes the same store suite (test/remote/store.suite.ts).
 *
 * The guarantees the front builds on:
 * - `write` is atomic and optimistic: every person is written only if each
 *   is still at the version the call read, together with the popularity
 *   deltas the call made (replayed on the stored sums with the namespace's
 *   decay, as PopularityModel.add/remove do), or nothing is written;
 * - `read` reports the popularity rows changed since a version the caller
 *   knows, so a process keeps a mirror without reading everything;
 * - `read` with `draw` takes one draw for the first person atomically, so
 *   two processes serving the same person never share a draw (and none for
 *   a station the person does not have);
 * - every failure of the store or the network is `STORE_UNAVAILABLE`, and
 *   so is a store that does not answer in a bounded time;
 * - a namespace that was never created, or lost its data (the store was
 *   flushed, or restarted without persistence), is `UNKNOWN_NAMESPACE` from
 *   every call but `create`, which creates it only when asked to: nothing
 *   is ever written into a namespace without its options;
 * - a stored catalog entry or model that is not JSON is `BAD_RECORD`; a
 *   person's record is handed over as text, and `readAll` lists the people
 *   whose record is not JSON or names another person (`unreadable`)
 *   instead of failing the whole namespace.
 */
import { AttuneError } from '../errors.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import type { OptionsJson } from '../options.js';
import type { PersonJson } from '../people/json.js';
import type { Snapshot } from '../persist/snapshot.js';
import type { Item } from '../types.js';
import type { PopularityOp } from './sharedPopularity.js';

/** A person as stored: the record's JSON text ('' when none), its version ('0' when none) and the draws taken. */
export interface StoredPerson {
  record: string;
  version: string;
  draws: number;
}

/** What one call reads: versions, the catalog's length, changed popularity rows and the people asked for. */
export interface ReadState {
  /** The state version, raised by every write. */
  version: number;
  /** The collaborative model's version, raised by every publish. */
  modelVersion: string;
  itemCount: number;
  /** Popularity rows changed since the version the caller knows (every row for −1); undefined: the item has none left. */
  changes: [number, PopularityJson[number] | undefined][];
  /** Whether a draw was taken for the first person. */
  drew: boolean;
  /** Per person asked for: the stored person, or `same` when it is still at the version the caller holds a copy of. */
  people: (StoredPerson | { same: true; draws: number })[];
}

/** One person to write: `set` replaces the record at the same version, `new` starts a new one (a new position in the people order), `del` deletes it. */
export interface PersonWrite {
  id: string;
  /** The version the call read ('0': none). */
  expected: string;
  mode: 'set' | 'new' | 'del';
  /** The record's JSON ('' for del). */
  record: string;
  optOut: boolean;
  /** The person's station ids (a draw for a station's list is taken only when the person has that station). */
  stations: string[];
}

export interface RemoteStore {
  /** Where the store is, for error messages (no password). */
  readonly url: string;

  /**
   * Creates the namespace from `wanted` (options, items, and for a snapshot
   * import people, popularity and a model) unless it exists, whole or
   * nothing — or, without `mayCreate`, refuses a namespace that does not
   * exist (`UNKNOWN_NAMESPACE`). Returns whether it was created and the
   * options it holds.
   */
  create(api: string, wanted: Snapshot, mayCreate: boolean): Promise<{ created: boolean; options: OptionsJson }>;

  /** The catalog from position `from` on. */
  items(api: string, from: number): Promise<Item[]>;

  /**
   * Reads what one call needs (see {@link ReadState}); `held`: per person,
   * the version the caller holds a copy of. With `draw`, takes one draw for
   * the first person when they have a record, have not opted out, and have
   * the station `station` names (if given), in the same atomic step.
   */
  read(
    api: string,
    ids: readonly string[],
    known: number,
    draw: boolean,
    held: readonly (string | undefined)[],
    station?: string,
  ): Promise<ReadState>;

  /** Writes people and popularity deltas at once if every person is at its expected version; the new state version, or 0. */
  write(api: string, people: readonly PersonWrite[], ops: readonly PopularityOp[]): Promise<number>;

  /** Appends items if the catalog still has `expected` items; whether it did. */
  appendItems(api: string, expected: number, items: readonly Item[]): Promise<boolean>;

  /** The collaborative model's JSON (undefined: none) and its version. */
  model(api: string): Promise<{ json: unknown; version: string }>;

  /** Publishes a collaborative model (undefined: none) and raises its version; the version it published. */
  publishModel(api: string, json: unknown): Promise<string>;

  /** Replaces every popularity row if no write happened since `version`; whether it did. */
  replacePopularity(api: string, version: string, rows: PopularityJson): Promise<boolean>;

  /**
   * Everything in the namespace as a snapshot, read while nothing was
   * written (undefined: a write came between; read again). People whose
   * record is not JSON, or is stored under another person's key, are left
   * out of the snapshot and named in `unreadable`.
   */
  readAll(api: string): Promise<{ version: string; snapshot: Snapshot; unreadable: string[] } | undefined>;

  close(): Promise<void>;
}

/** The error of a call on a namespace that does not exist (any more). */
export function namespaceGone(api: string, namespace: string, url: string): AttuneError {
  return new AttuneError(
    'UNKNOWN_NAMESPACE',
    `${api}: the store at ${url} holds no namespace ${JSON.stringify(namespace)}: it was never created (is the name misspelt? connect with items or a snapshot to create it), or it lost its data (flushed, or restarted without persistence); nothing was written`,
  );
}

/** The error of a stored value (a catalog entry, the model) that cannot be read. */
export function badStored(api: string, what: string, namespace: string, url: string, why: string): AttuneError {
  return new AttuneError(
    'BAD_RECORD',
    `${api}: ${what} of namespace ${JSON.stringify(namespace)} at ${url} cannot be read (${why}); it was not written by attune, or was damaged`,
  );
}

/** JSON.parse of a stored value, or BAD_RECORD naming it. */
export function parseStored(text: string, api: string, what: string, namespace: string, url: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badStored(api, what, namespace, url, `not JSON: ${(error as Error).message}`);
  }
}

/** A stored record's JSON when it is a JSON object naming the person of its key (else undefined: unreadable). */
export function readRecord(text: string, id: string): PersonJson | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || (json as { id?: unknown }).id !== id) return undefined;
  return json as PersonJson;
}
