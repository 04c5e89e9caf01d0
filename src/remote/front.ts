/**
 * The store-backed front: {@link RecommenderApi} with the state in a store
 * outside the process (a {@link RemoteStore}: Redis, in `attune/redis`), so
 * that many processes serve one state. It implements
 * `Promised<RecommenderApi>` by running the very use cases the in-memory
 * front runs (serve/, train/, persist/) over a {@link World} whose people
 * store holds only the records one
 * call read, and whose popularity is a mirror that records the deltas
 * learning makes instead of applying them.
 *
 * A reading call reads the people it names and what changed in the shared
 * state since this process last looked, in one store read. A writing call
 * also writes the records and popularity deltas back in one atomic write
 * that succeeds only if no other process wrote those people in between
 * (otherwise the call is re-read and re-applied). The catalog, the
 * popularity mirror and the collaborative model are kept per process and
 * refreshed by version.
 */
import type { ExplainOptions, Promised, RecommenderApi } from '../api.js';
import { Catalog } from '../catalog/catalog.js';
import { AttuneError, describeValue } from '../errors.js';
import { checkRequest } from '../feedback/request.js';
import { CollaborativeModel } from '../models/collaborative/collaborative.js';
import type { ItemFactorSource } from '../models/mf/import/itemFactors.js';
import { PopularityModel, type PopularityJson } from '../models/popularity/popularity.js';
import {
  optionsFromJSON,
  optionsToJSON,
  resolveOptions,
  type RecommenderOptions,
  type ResolvedOptions,
} from '../options.js';
import { personFromJSON, personToJSON } from '../people/json.js';
import { learnedRecords } from '../people/learning.js';
import type { PersonState } from '../people/person.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../persist/snapshot.js';
import { snapshotLayout } from '../persist/chunks.js';
import type { Profile } from '../profile/describe.js';
import { checkBackgroundTrainOptions, type BackgroundTrainOptions } from '../train/backgroundOptions.js';
import type { ImportFactorsOptions, ImportReport } from '../train/importFactors.js';
import {
  checkTrainOptions,
  importItemFactors,
  trainInBackground,
  type TrainOptions,
  type TrainReport,
} from '../train/train.js';
import { worldFromSnapshotInSlices } from '../persist/restore.js';
import { collaborativeSteps, popularityMismatchSteps, recordContext } from '../persist/restoreSteps.js';
import { finishStepsInSlices, forEachInSlices, yieldToEventLoop } from '../kernels/steps.js';
import { mapInSlices } from './slices.js';
import { forget, removeFeedback, setPreferences } from '../serve/control.js';
import { feedback } from '../serve/feedback.js';
import { profile } from '../serve/profile.js';
import { explain, recommend } from '../serve/recommend.js';
import { addStationSeeds, createStation, removeStation, stations } from '../serve/stations.js';
import type {
  ExplainedRecommendation,
  FeedbackEvent,
  Item,
  Preferences,
  Reason,
  RecommendOptions,
  Station,
  StationOptions,
  StationSeed,
} from '../types.js';
import { World } from '../world.js';
import { CallPeople } from './callPeople.js';
import { SharedPopularity } from './sharedPopularity.js';
import { readRecord, type PersonWrite, type RemoteStore, type StoredPerson } from './store.js';

/** How often a write is re-tried when other processes keep writing the same person. */
const MAX_ATTEMPTS = 200;
/** How often train() re-reads the evidence when writes keep arriving while popularity is recomputed. */
const MAX_TRAIN_ROUNDS = 5;
/** Catalog items this process adds to its copy between two turns of the event loop. */
const ITEM_BATCH = 1000;
/** How many people's records a process keeps a copy of. */
const RECORD_COPIES = 10_000;

interface Loaded {
  id: string;
  person: PersonState | undefined;
  /** The stored version ('0': none). */
  version: string;
  /** personToJSON of the person as read, to tell whether the call changed it. */
  json: string | undefined;
  /** The stored record cannot be read (only when read leniently, for forget). */
  unreadable?: true;
}

/** A person's stored record as read: record JSON ('' when none), version, draws. */
interface RecordCopy {
  record: string;
  version: string;
  draws: number;
  /** The record parsed, kept for reading calls only (a writing call parses its own, which it may change). */
  parsed?: PersonState | undefined;
}

/** What a store-backed front is connected with: the store, and the options of the recommender (or a snapshot). */
export interface RemoteOptions extends RecommenderOptions {
  /** The name of this recommender's state in the store. */
  namespace: string;
  /**
   * A snapshot (from `rec.snapshot()` of an in-memory or store-backed
   * recommender) to load into a namespace that holds nothing yet: moving a
   * recommender into the store is one call. Its options and catalog are
   * used; `items` and other options may not be given with it.
   */
  snapshot?: unknown;
}

/**
 * A recommender whose state lives in a store: every method of
 * {@link RecommenderApi}, with the same arguments and errors, returning promises.
 */
export class RemoteRecommender implements Promised<RecommenderApi> {
  private readonly people = new CallPeople();
  private popularity!: SharedPopularity;
  private readonly world: World;
  private knownVersion = -1;
  private modelVersion = '0';
  /** The stored version of each person this process served (a changed one has a stale vector). */
  private readonly seen = new Map<string, string>();
  private readonly locks = new PersonLocks();
  /** This process's copy of recently served records (see tryWrite). */
  private readonly records = new Map<string, RecordCopy>();
  /** The model being read, if any (see loadModel). */
  private loading: { version: string; done: Promise<void> } | undefined;
  /** The model this process last published, and its version, until a read installs it (see readModel). */
  private published: { version: string; model: CollaborativeModel | undefined } | undefined;

  private constructor(
    private readonly store: RemoteStore,
    readonly namespace: string,
    opts: ResolvedOptions,
  ) {
    this.world = new World(opts, [], (decay) => ({
      people: this.people,
      popularity: (this.popularity = new SharedPopularity(decay)),
    }));
  }

  /**
   * Opens a recommender on `store`: the first front to use a namespace
   * creates it with the given options and items (or a snapshot); later ones
   * use what it holds, and add any given items it does not know yet. On a
   * failure the store is closed.
   */
  static async open(store: RemoteStore, options: RemoteOptions, api: string): Promise<RemoteRecommender> {
    try {
      const { namespace, snapshot, now, items: givenItems, ...given } = options;
      let wanted: Snapshot;
      if (snapshot !== undefined) {
        if (givenItems !== undefined || Object.keys(given).length > 0)
          throw new AttuneError(
            'INVALID_OPTIONS',
            `${api}: with a snapshot, the options and items are the snapshot's; give only the store, namespace, snapshot and now`,
          );
        // In slices: a snapshot moved in may hold megabytes, and this process may be serving already.
        wanted = await snapshotInSlices(await worldFromSnapshotInSlices(snapshot, now !== undefined ? { now } : {}));
      } else {
        const resolved = resolveOptions({ ...given, ...(now !== undefined ? { now } : {}) });
        wanted = {
          format: SNAPSHOT_FORMAT,
          version: SNAPSHOT_VERSION,
          options: optionsToJSON(resolved),
          items: Catalog.validate(api, givenItems ?? []),
          people: [],
          popularity: [],
        };
      }
      // Only a connect that says what to create may create: a misspelt namespace is refused, never served empty.
      const mayCreate = snapshot !== undefined || givenItems !== undefined;
      const { created, options: stored } = await store.create(api, wanted, mayCreate);
      if (!created && snapshot !== undefined) {
        throw new AttuneError(
          'INVALID_OPTIONS',
          `${api}: namespace ${describeValue(namespace)} already holds a recommender; a snapshot is loaded only into an empty namespace (forget it or choose another)`,
        );
      }
      if (!created && Object.keys(given).length > 0) checkSameOptions(api, namespace, stored, wanted.options);
      const rec = new RemoteRecommender(store, namespace, optionsFromJSON(stored, now));
      await rec.addLocal(await store.items(api, 0));
      if (!created) {
        const missing = wanted.items.filter((item) => !rec.world.catalog.has(item.id));
        if (missing.length > 0) await rec.addItems(missing);
      }
      await rec.read([], false);
      return rec;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  get options(): Readonly<ResolvedOptions> {
    return this.world.options;
  }

  /** Items in the catalog, as this process last saw it. */
  get itemCount(): number {
    return this.world.catalog.size;
  }

  // ------------------------------------------------------------------ the methods of RecommenderApi

  /** Concurrent feedback from several processes is all counted. */
  async feedback(events: FeedbackEvent | readonly FeedbackEvent[]): Promise<void> {
    const list: readonly unknown[] = Array.isArray(events) ? events : [events];
    const users = list.map((e) => (e !== null && typeof e === 'object' ? (e as { user?: unknown }).user : undefined));
    await this.mutate('feedback', users, () => feedback(this.world, events));
  }

  async recommend(user: string | undefined, options: RecommendOptions = {}): Promise<ExplainedRecommendation[]> {
    // Validate before the read takes one of the person's draws.
    const req = checkRequest('recommend', user, options, this.options.now, this.options.protectedAttributes);
    return this.serve(user, true, () => recommend(this.world, user, options), req.station);
  }

  async explain(user: string | undefined, item: string, options: ExplainOptions = {}): Promise<Reason> {
    return this.serve(user, false, () => explain(this.world, user, item, options));
  }

  async profile(user: string): Promise<Profile> {
    return this.serve(user, false, () => profile(this.world, user));
  }

  async setPreferences(user: string, preferences: Preferences): Promise<void> {
    await this.mutate('setPreferences', [user], () => setPreferences(this.world, user, preferences));
  }

  async removeFeedback(user: string, item: string): Promise<boolean> {
    return this.mutate('removeFeedback', [user], () => removeFeedback(this.world, user, item));
  }

  /**
   * The person's record is deleted and their part of popularity withdrawn.
   * A record that cannot be read (`BAD_RECORD`) is deleted too; its part of
   * popularity, which cannot be told from it, goes at the next `train()`.
   */
  async forget(user: string): Promise<boolean> {
    try {
      return await this.mutate('forget', [user], () => forget(this.world, user));
    } catch (error) {
      if (!(error instanceof AttuneError && error.code === 'BAD_RECORD')) throw error;
      return this.forgetUnreadable(user);
    }
  }

  /** Deletes the record of `user` that cannot be read (nothing else can be withdrawn from it). */
  private async forgetUnreadable(user: string): Promise<boolean> {
    const release = await this.locks.acquire([user]);
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const [loaded] = await this.read([user], false, true, undefined, true);
        // Readable again (rewritten meanwhile): the ordinary erasure.
        if (!loaded!.unreadable) return await this.tryWrite('forget', [user], () => forget(this.world, user));
        const del: PersonWrite = {
          id: user,
          expected: loaded!.version,
          mode: 'del',
          record: '',
          optOut: false,
          stations: [],
        };
        if ((await this.store.write('forget', [del], [])) !== 0) {
          this.records.delete(user);
          this.seen.delete(user);
          this.world.personChanged(user);
          return true;
        }
      }
      throw contention('forget', this.store.url);
    } finally {
      release();
    }
  }

  async createStation(user: string, options: StationOptions): Promise<Station> {
    return this.mutate('createStation', [user], () => createStation(this.world, user, options));
  }

  async addStationSeeds(user: string, station: string, seeds: StationSeed[]): Promise<Station> {
    return this.mutate('addStationSeeds', [user], () => addStationSeeds(this.world, user, station, seeds));
  }

  async stations(user: string): Promise<Station[]> {
    return this.serve(user, false, () => stations(this.world, user));
  }

  async removeStation(user: string, station: string): Promise<void> {
    await this.mutate('removeStation', [user], () => removeStation(this.world, user, station));
  }

  /** Every process sees the new items at its next request. */
  async addItems(items: Item[]): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await this.read([], false);
      const valid = Catalog.validate('addItems', items, this.world.catalog);
      if (valid.length === 0) return;
      if (await this.store.appendItems('addItems', this.world.catalog.size, valid)) {
        await this.read([], false);
        return;
      }
    }
    throw contention('addItems', this.store.url);
  }

  /**
   * Reads every person's evidence from the store, fits the model off the
   * serving thread (as `trainInBackground`), and publishes the item factors
   * and the recomputed popularity; every process uses them from its next
   * request.
   */
  async train(options: TrainOptions = {}): Promise<TrainReport> {
    const { onProgress, replaceImportedFactors } = checkTrainOptions(options);
    const { threads: _threads, ...report } = await this.fit('train', {
      ...(onProgress !== undefined ? { onProgress } : {}),
      ...(replaceImportedFactors !== undefined ? { replaceImportedFactors } : {}),
    });
    return report;
  }

  async trainInBackground(options: BackgroundTrainOptions = {}): Promise<TrainReport> {
    return this.fit('trainInBackground', checkBackgroundTrainOptions(options, 'trainInBackground'));
  }

  /** The factors are checked against this process's catalog and published for every process. */
  async importItemFactors(source: ItemFactorSource, options: ImportFactorsOptions = {}): Promise<ImportReport> {
    await this.read([], false);
    const local = new World(this.world.options, this.catalogItems());
    const report = importItemFactors(local, source, options);
    this.published = {
      version: await this.store.publishModel('importItemFactors', local.model!.toJSONView()),
      model: local.model,
    };
    await this.read([], false);
    return report;
  }

  /** The same format as the in-memory snapshot, restorable in memory or into another namespace. */
  async snapshot(): Promise<Snapshot> {
    const { snapshot, unreadable } = await this.readAll('snapshot');
    const world = new World(this.world.options, []);
    for (let i = 0; i < snapshot.items.length; i += ITEM_BATCH) {
      await yieldToEventLoop();
      world.addItems(snapshot.items.slice(i, i + ITEM_BATCH));
    }
    const context = recordContext(world);
    const bad = [...unreadable];
    await mapInSlices(snapshot.people, (json) => {
      try {
        world.people.set(personFromJSON(json, context, 'snapshot'));
      } catch {
        bad.push(json.id);
      }
    });
    if (bad.length > 0)
      throw new AttuneError(
        'BAD_RECORD',
        `snapshot: the stored records of ${bad.map((b) => describeValue(b)).join(', ')} in ${this.where} cannot be read (not JSON, not a valid record, or stored under another person's key); forget them (their part of popularity goes at the next train()) or put back good records, then snapshot again`,
      );
    if ((await finishStepsInSlices(popularityMismatchSteps(world, snapshot.popularity))) !== undefined)
      throw new AttuneError(
        'BAD_RECORD',
        `snapshot: the popularity stored in ${this.where} is not the sum of the people's records (a record that could not be read was forgotten); call train() to recompute it, then snapshot again`,
      );
    return snapshot;
  }

  /** Closes the connection to the store; later calls fail with `STORE_UNAVAILABLE`. */
  async close(): Promise<void> {
    await this.store.close();
  }

  // ------------------------------------------------------------------ training

  private async fit(api: string, options: BackgroundTrainOptions): Promise<TrainReport> {
    let state = await this.readAll(api);
    // Records that cannot be read are left out (each is BAD_RECORD for its person until forgotten), and
    // popularity is recomputed from the others, as training recomputes it anyway.
    let readable = await this.readablePart(state.snapshot);
    // The people read above are the world trained on: each record is parsed once (a restore of the
    // snapshot would parse them again and re-check a popularity that training recomputes anyway).
    const trained = readable.world;
    for (const person of readable.people) trained.people.set(person);
    const json = state.snapshot.collaborative;
    if (json !== undefined) {
      // The model in use: train() keeps imported factors (and publishes them again), as restoring did.
      const model = await finishStepsInSlices(collaborativeSteps(json, trained.catalog.size));
      await finishStepsInSlices(trained.retrieval.prepare(model, trained.catalog));
      trained.setModel(model);
    }
    const report = await trainInBackground(trained, options);
    this.published = { version: await this.store.publishModel(api, trained.model?.toJSONView()), model: trained.model };
    let popularity = trained.popularity.toJSON();
    for (let round = 0; round < MAX_TRAIN_ROUNDS; round++) {
      if (await this.store.replacePopularity(api, state.version, popularity)) break;
      // Feedback arrived while training: recompute popularity (cheap) from the evidence as it is now.
      state = await this.readAll(api);
      readable = await this.readablePart(state.snapshot);
      popularity = await this.rebuildPopularity(readable.people, readable.world.catalog);
    }
    await this.read([], false);
    const skipped = [...state.unreadable, ...readable.invalid].map((id) => ({ id, code: 'BAD_RECORD' as const }));
    return skipped.length > 0 ? { ...report, skipped } : report;
  }

  /**
   * A world of the snapshot's options and catalog (no one in it yet), and
   * the people whose record is valid read against it, in slices (the ids of
   * the others in `invalid`).
   */
  private async readablePart(snapshot: Snapshot): Promise<{ world: World; people: PersonState[]; invalid: string[] }> {
    const world = new World(optionsFromJSON(snapshot.options, this.options.now), []);
    for (let i = 0; i < snapshot.items.length; i += ITEM_BATCH) {
      await yieldToEventLoop();
      world.addItems(snapshot.items.slice(i, i + ITEM_BATCH));
    }
    const context = recordContext(world);
    const people: PersonState[] = [];
    const invalid: string[] = [];
    await mapInSlices(snapshot.people, (json) => {
      try {
        people.push(personFromJSON(json, context, 'train'));
      } catch {
        invalid.push(json.id);
      }
    });
    return { world, people, invalid };
  }

  /** Popularity recomputed from every record, in store order, as the in-memory train() does (in slices). */
  private async rebuildPopularity(people: readonly PersonState[], catalog: Catalog): Promise<PopularityJson> {
    const decay = this.world.decay;
    const model = new PopularityModel(decay);
    model.resize(catalog.size);
    const sums = model.emptySums(catalog.size);
    await forEachInSlices(people, (p) => sums.addTimes(learnedRecords([p], decay)), undefined, 'train');
    await forEachInSlices(people, (p) => sums.addSums(learnedRecords([p], decay)), undefined, 'train');
    model.adopt(sums);
    return model.toJSON();
  }

  // ------------------------------------------------------------------ reading and writing

  /** A call that reads people and changes nothing in the store (but recommend's draw). */
  private async serve<T>(user: unknown, draw: boolean, call: () => T, station?: string): Promise<T> {
    const loaded = await this.read(typeof user === 'string' ? [user] : [], draw, false, station);
    this.enter(loaded);
    try {
      return call();
    } finally {
      this.people.drain();
      this.popularity.takeOps();
    }
  }

  /**
   * A call that may change people: read, apply with the use cases, write
   * back if nothing else wrote those people meanwhile; else again.
   */
  private async mutate<T>(api: string, users: readonly unknown[], call: () => T): Promise<T> {
    const ids = [...new Set(users.filter((u): u is string => typeof u === 'string' && u !== ''))];
    // Calls of this process for the same people take turns: only other processes can conflict.
    const release = await this.locks.acquire(ids);
    try {
      return await this.tryWrite(api, ids, call);
    } finally {
      release();
    }
  }

  private async tryWrite<T>(api: string, ids: readonly string[], call: () => T): Promise<T> {
    // First from this process's copy of the records: when it is current the write succeeds
    // in one round trip; when another process wrote meanwhile, the write is refused and we read.
    let fromCopy = true;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const copy = fromCopy ? this.fromCopy(ids) : undefined;
      const loaded = copy ?? (await this.read(ids, false, true));
      this.enter(loaded);
      let result: T;
      let after: Map<string, PersonState>;
      let ops;
      try {
        result = call();
      } catch (error) {
        // An item another process added is unknown here until we catch up with the catalog.
        if (copy !== undefined && error instanceof AttuneError && error.code === 'UNKNOWN_ITEM') {
          fromCopy = false;
          continue;
        }
        throw error;
      } finally {
        after = this.people.drain();
        ops = this.popularity.takeOps();
      }
      const writes: PersonWrite[] = [];
      for (const before of loaded) {
        const person = after.get(before.id);
        if (person === undefined && before.person === undefined) continue;
        if (person === undefined) {
          writes.push({
            id: before.id,
            expected: before.version,
            mode: 'del',
            record: '',
            optOut: false,
            stations: [],
          });
          continue;
        }
        const record = JSON.stringify(personToJSON(person));
        if (person === before.person && record === before.json) continue;
        const mode = person === before.person ? 'set' : 'new';
        const stations = [...person.stations.keys()];
        writes.push({ id: before.id, expected: before.version, mode, record, optOut: person.optOut, stations });
      }
      if (writes.length === 0 && ops.length === 0) {
        // Nothing to write proves nothing about a copy: another process may have written these people since.
        if (copy !== undefined) {
          fromCopy = false;
          continue;
        }
        return result;
      }
      const version = await this.store.write(api, writes, ops);
      if (version !== 0) {
        for (const w of writes) {
          const v = w.mode === 'del' ? '0' : String(version);
          const draws = w.mode === 'set' ? (this.records.get(w.id)?.draws ?? 0) : 0;
          this.remember(w.id, { version: v, record: w.record, draws });
          this.seen.set(w.id, v);
        }
        return result;
      }
      // Another process wrote one of these people first: our result was computed from an old record.
      for (const id of ids) {
        this.records.delete(id);
        this.world.personChanged(id);
      }
      fromCopy = false;
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 20)));
    }
    throw contention(api, this.store.url);
  }

  /** The people from this process's copy of their records, if it holds all of them. */
  private fromCopy(ids: readonly string[]): Loaded[] | undefined {
    const out: Loaded[] = [];
    for (const id of ids) {
      const copy = this.records.get(id);
      if (copy === undefined) return undefined;
      out.push(this.parse(id, copy, true));
    }
    return out;
  }

  /**
   * Keeps the latest record seen of a person (at most RECORD_COPIES people,
   * the least recent dropped first, with all this process held about them:
   * the version it served and their cached vectors), so that a process
   * serving endless new ids holds a bounded amount for them.
   */
  private remember(id: string, copy: RecordCopy): void {
    this.records.delete(id);
    this.records.set(id, copy);
    if (this.records.size > RECORD_COPIES) {
      const oldest = this.records.keys().next().value!;
      this.records.delete(oldest);
      this.seen.delete(oldest);
      this.world.personChanged(oldest);
    }
  }

  /**
   * The person of a stored record. A record that is not JSON, not a valid
   * record, or names another person is `BAD_RECORD` for this person only
   * (or, `lenient`, marked unreadable: forget deletes it).
   */
  private parse(id: string, copy: RecordCopy, forWrite: boolean, lenient = false): Loaded {
    let person: PersonState | undefined;
    if (copy.record !== '') {
      try {
        const json = readRecord(copy.record, id);
        if (json === undefined)
          throw new AttuneError('BAD_RECORD', 'it is not JSON, or names another person than its key');
        person = personFromJSON(json, recordContext(this.world), 'the record');
      } catch (error) {
        if (lenient) return { id, person: undefined, version: copy.version, json: undefined, unreadable: true };
        throw new AttuneError(
          'BAD_RECORD',
          `${this.where}: the stored record of person ${describeValue(id)} cannot be read (${(error as Error).message}); forget(${describeValue(id)}) removes it, and no other person is affected`,
        );
      }
    }
    if (person !== undefined) person.draws = copy.draws;
    return {
      id,
      person,
      version: copy.version,
      json: person === undefined || !forWrite ? undefined : JSON.stringify(personToJSON(person)),
    };
  }

  private get where(): string {
    return `namespace ${describeValue(this.namespace)} at ${this.store.url}`;
  }

  /** Puts the people read for a call into the world's people store. */
  private enter(loaded: readonly Loaded[]): void {
    this.people.drain();
    this.popularity.takeOps();
    for (const l of loaded) {
      if (this.seen.get(l.id) !== l.version) {
        this.world.personChanged(l.id);
        this.seen.set(l.id, l.version);
      }
      if (l.person !== undefined) this.people.set(l.person);
    }
  }

  /** Reads people and catches up with the shared state (catalog, popularity, model). */
  private async read(
    ids: readonly string[],
    draw: boolean,
    forWrite = false,
    station?: string,
    lenient = false,
  ): Promise<Loaded[]> {
    const held = ids.map((id) => this.records.get(id));
    const state = await this.store.read(
      'attune/remote',
      ids,
      this.knownVersion,
      draw,
      held.map((c) => c?.version),
      station,
    );
    // Versions only grow: a smaller one is a namespace that lost its data (and was perhaps created again).
    if (state.version < this.knownVersion || state.itemCount < this.world.catalog.size)
      throw new AttuneError(
        'UNKNOWN_NAMESPACE',
        `attune/remote: ${this.where} lost its data since this process connected (its state version went from ${this.knownVersion} back to ${state.version}, its catalog from ${this.world.catalog.size} to ${state.itemCount} items); connect again once it is restored`,
      );
    if (state.itemCount > this.world.catalog.size)
      await this.addLocal(await this.store.items('attune/remote', this.world.catalog.size));
    if (state.modelVersion !== this.modelVersion) await this.loadModel(state.modelVersion);
    if (state.version > this.knownVersion) {
      this.knownVersion = state.version;
      if (state.changes.length > 0) {
        this.popularity.update(state.changes);
        this.world.popularityChanged();
      }
    }
    return ids.map((id, i) => {
      const got = state.people[i]!;
      const same = 'same' in got;
      const copy: RecordCopy = same ? { ...held[i]!, draws: got.draws } : { ...(got as StoredPerson) };
      // After a draw the stored count is one more than the one this call uses.
      const drew = i === 0 && state.drew;
      this.remember(id, drew ? { ...copy, draws: copy.draws + 1 } : copy);
      if (forWrite) return this.parse(id, copy, true, lenient);
      // Reading calls never change the person (but its draws), so a parsed copy of this version serves again.
      const parsed = same && held[i]!.parsed !== undefined ? held[i]!.parsed : this.parse(id, copy, false).person;
      const entry = this.records.get(id)!;
      entry.parsed = parsed;
      if (parsed !== undefined) parsed.draws = copy.draws;
      return { id, person: parsed, version: copy.version, json: undefined };
    });
  }

  /** Adds the items this process does not know yet, a batch at a time (a whole catalog when it connects). */
  private async addLocal(items: readonly Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += ITEM_BATCH) {
      if (i > 0) await yieldToEventLoop();
      // Filtered batch by batch: a concurrent call may have added some meanwhile (in the same order).
      const fresh = items.slice(i, i + ITEM_BATCH).filter((item) => !this.world.catalog.has(item.id));
      if (fresh.length > 0) this.world.addItems(fresh);
    }
  }

  private catalogItems(): Item[] {
    const catalog = this.world.catalog;
    return Array.from({ length: catalog.size }, (_, i) => catalog.item(i));
  }

  /** Reads a new model once however many calls notice it at the same time (reading one takes a while, in slices). */
  private loadModel(version: string): Promise<void> {
    if (this.loading?.version === version) return this.loading.done;
    const done = this.readModel(version).finally(() => {
      if (this.loading?.done === done) this.loading = undefined;
    });
    this.loading = { version, done };
    return done;
  }

  /**
   * Reads the model of `wanted` (or a newer one) from the store — or, when
   * this process published it, makes it from the published model as every
   * process reads it back (the same numbers, see
   * `CollaborativeModel.readBackSteps`), without reading megabytes of JSON
   * back from the store.
   */
  private async readModel(wanted: string): Promise<void> {
    const own = this.published?.version === wanted ? this.published : undefined;
    this.published = undefined;
    const { json, version } =
      own !== undefined ? { json: own.model, version: own.version } : await this.store.model('attune/remote');
    let model: CollaborativeModel | undefined;
    if (json !== undefined) {
      try {
        model = await finishStepsInSlices(
          own !== undefined
            ? CollaborativeModel.readBackSteps(json as CollaborativeModel)
            : CollaborativeModel.fromJSONSteps(json),
        );
      } catch (error) {
        throw new AttuneError('BAD_SNAPSHOT', `${this.where}: the collaborative model: ${(error as Error).message}`);
      }
    }
    this.modelVersion = version;
    // A large catalog's retrieval index is built in slices; until then this process scores every item.
    this.world.setModel(model, 'background');
  }

  /** Everything in the namespace as a snapshot, read while no write happened. */
  private async readAll(api: string): Promise<{ version: string; snapshot: Snapshot; unreadable: string[] }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const state = await this.store.readAll(api);
      if (state !== undefined) return state;
    }
    throw contention(api, this.store.url);
  }
}

/** In-process turns per person id (a promise chain per id, taken in sorted order so batches never deadlock). */
class PersonLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(ids: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const id of [...ids].sort()) {
      const previous = this.tails.get(id) ?? Promise.resolve();
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => done);
      this.tails.set(id, tail);
      await previous;
      releases.push(() => {
        release();
        if (this.tails.get(id) === tail) this.tails.delete(id);
      });
    }
    return () => releases.forEach((r) => r());
  }
}

function contention(api: string, url: string): AttuneError {
  return new AttuneError(
    'STORE_UNAVAILABLE',
    `${api}: gave up after ${MAX_ATTEMPTS} attempts: other processes kept writing the same state in the store at ${url}; nothing was written`,
  );
}

/** Options given to a namespace that already exists must be the ones it holds. */
function checkSameOptions(
  api: string,
  namespace: string,
  stored: Snapshot['options'],
  given: Snapshot['options'],
): void {
  const differ = (Object.keys(given) as (keyof Snapshot['options'])[]).filter(
    (k) => JSON.stringify(stored[k]) !== JSON.stringify(given[k]),
  );
  if (differ.length > 0) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: namespace ${describeValue(namespace)} was created with other options (${differ.join(', ')}); connect with the same options, or with none to use the stored ones`,
    );
  }
}

/**
 * `snapshotOf(world)`, in slices; the collaborative model as its typed view
 * (written by {@link stringifyInSlices}, not by `JSON.stringify`).
 */
async function snapshotInSlices(world: World): Promise<Snapshot> {
  return snapshotLayout(
    optionsToJSON(world.options),
    Array.from({ length: world.catalog.size }, (_, i) => world.catalog.item(i)),
    await mapInSlices([...world.people.values()], personToJSON),
    world.popularity.toJSON(),
    world.model?.toJSONView(),
  );
}
