/**
 * attune over Redis: the same facade (src/recommender.ts) with the state in
 * Redis. Each call reads the records of the people it names, and what
 * changed in the shared state since this process last looked, in one
 * script; hands them to the in-memory facade as its people store; and, if
 * the call changed anything, writes the records and the popularity deltas
 * back in one script that succeeds only if no other process wrote those
 * people in between (otherwise the call is re-read and re-applied). The
 * catalog, the popularity mirror and the collaborative model are cached per
 * process and refreshed by version.
 */
import { Catalog } from '../catalog/catalog.js';
import { Decay } from '../decay/decay.js';
import { AttuneError, describeValue } from '../errors.js';
import { checkRequest } from '../feedback/request.js';
import { CollaborativeModel } from '../models/collaborative/collaborative.js';
import { PopularityModel, type PopularityJson } from '../models/popularity/popularity.js';
import {
  optionsFromJSON,
  optionsToJSON,
  resolveOptions,
  type OptionsJson,
  type RecommenderOptions,
  type ResolvedOptions,
} from '../options.js';
import { personFromJSON, personToJSON, type PersonJson } from '../people/json.js';
import { learnedRecords } from '../people/learning.js';
import type { PersonState } from '../people/person.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../persist/snapshot.js';
import type { Profile } from '../profile/describe.js';
import {
  Recommender,
  restoreRecommender,
  type ExplainedRecommendation,
  type TrainOptions,
  type TrainReport,
} from '../recommender.js';
import type {
  Context,
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
import { Connection } from './connection.js';
import { checkNamespace, namespaceKeys, type NamespaceKeys } from './keys.js';
import { APPEND_ITEMS, INIT, PUBLISH_MODEL, READ, REPLACE_POPULARITY, writeScript } from './scripts.js';
import { formatSums, parseSums, SharedPopularity } from './sharedPopularity.js';

/** Options of {@link connectRecommender}: where the state lives, and the recommender's own options. */
export interface ConnectOptions extends RecommenderOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379` (`rediss://` for TLS, `redis://user:pass@host:port/db`). */
  url: string;
  /** The name of this recommender's state in Redis: every key starts with `attune:{namespace}:`. */
  namespace: string;
  /**
   * A snapshot (from `rec.snapshot()` of an in-memory or Redis recommender) to
   * load into a namespace that holds nothing yet: moving to Redis is one call.
   * Its options and catalog are used; `items` and other options may not be given with it.
   */
  snapshot?: unknown;
  /** How long to wait for Redis when connecting. @default 2000 */
  connectTimeoutMs?: number;
}

/** How often a write is re-tried when other processes keep writing the same person. */
const MAX_ATTEMPTS = 200;
/** How often train() re-reads the evidence when writes keep arriving while popularity is recomputed. */
const MAX_TRAIN_ROUNDS = 5;

interface Loaded {
  id: string;
  person: PersonState | undefined;
  /** The stored version ('0': none). */
  version: string;
  /** personToJSON of the person as read, to tell whether the call changed it. */
  json: string | undefined;
}

/** A person's stored hash as read: record JSON ('' when none), version, draws. */
interface RecordCopy {
  record: string;
  version: string;
  draws: string;
  /** The record parsed, kept for reading calls only (a writing call parses its own, which it may change). */
  parsed?: PersonState | undefined;
}

/** How many people's records a process keeps a copy of. */
const RECORD_COPIES = 10_000;

type ReadReply = [string, string, number, string[], string[]];

/**
 * A recommender whose state lives in Redis: the methods of the in-memory
 * {@link Recommender}, with the same arguments and errors, returning promises.
 */
export class RedisRecommender {
  private readonly people = new CallPeople();
  private readonly popularity: SharedPopularity;
  private readonly world: World;
  private readonly engine: Recommender;
  private readonly catalog = new Catalog();
  private readonly items: Item[] = [];
  private readonly decay: Decay;
  /** The write script, with this namespace's decay written into it. */
  private readonly write: string;
  private knownVersion = -1;
  private modelVersion = '0';
  /** The stored version of each person this process served (a changed one has a stale vector). */
  private readonly seen = new Map<string, string>();
  private readonly locks = new PersonLocks();
  /** This process's copy of recently served records (see tryWrite). */
  private readonly records = new Map<string, RecordCopy>();

  private constructor(
    private readonly connection: Connection,
    private readonly keys: NamespaceKeys,
    readonly namespace: string,
    private readonly opts: ResolvedOptions,
    items: readonly Item[],
  ) {
    this.decay = Decay.ofDays(opts.halfLifeDays);
    this.write = writeScript(this.decay);
    this.popularity = new SharedPopularity(this.decay);
    this.world = new World(opts, [], { people: this.people, popularity: this.popularity });
    this.engine = new Recommender(this.world);
    this.addLocal(items);
  }

  /** @internal use {@link connectRecommender} */
  static async connect(options: ConnectOptions): Promise<RedisRecommender> {
    if (options === null || typeof options !== 'object')
      throw new AttuneError(
        'INVALID_OPTIONS',
        `connectRecommender: options must be an object with url and namespace, got ${describeValue(options)}`,
      );
    const { url, namespace: rawNamespace, snapshot, connectTimeoutMs = 2000, ...rest } = options;
    if (typeof url !== 'string' || !/^rediss?:\/\//.test(url))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `connectRecommender: url must be a redis:// or rediss:// URL, got ${describeValue(url)}`,
      );
    const namespace = checkNamespace(rawNamespace);
    if (typeof connectTimeoutMs !== 'number' || !(connectTimeoutMs > 0))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `connectRecommender: connectTimeoutMs must be a positive number, got ${describeValue(connectTimeoutMs)}`,
      );
    const keys = namespaceKeys(namespace);
    const { now, items: givenItems, ...given } = rest;
    let wanted: Snapshot;
    if (snapshot !== undefined) {
      if (givenItems !== undefined || Object.keys(given).length > 0)
        throw new AttuneError(
          'INVALID_OPTIONS',
          "connectRecommender: with a snapshot, the options and items are the snapshot's; give only url, namespace, snapshot and now",
        );
      wanted = restoreRecommender(snapshot, now !== undefined ? { now } : {}).snapshot();
    } else {
      const resolved = resolveOptions({ ...given, ...(now !== undefined ? { now } : {}) });
      wanted = {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        options: optionsToJSON(resolved),
        items: Catalog.validate('connectRecommender', givenItems ?? []),
        people: [],
        popularity: [],
      };
    }
    const connection = await Connection.open(url, connectTimeoutMs);
    try {
      const [created, stored] = await connection.script<[number, string]>(
        'connectRecommender',
        INIT,
        initKeys(keys),
        initArgs(wanted),
      );
      if (created === 0 && snapshot !== undefined) {
        throw new AttuneError(
          'INVALID_OPTIONS',
          `connectRecommender: namespace ${describeValue(namespace)} already holds a recommender; a snapshot is loaded only into an empty namespace (forget it or choose another)`,
        );
      }
      const storedOptions = JSON.parse(stored) as OptionsJson;
      if (created === 0 && Object.keys(given).length > 0) checkSameOptions(namespace, storedOptions, wanted.options);
      const rawItems = await connection.command<string[]>('connectRecommender', ['LRANGE', keys.items, '0', '-1']);
      const rec = new RedisRecommender(
        connection,
        keys,
        namespace,
        optionsFromJSON(storedOptions, now),
        rawItems.map((s) => JSON.parse(s) as Item),
      );
      if (created === 0) {
        const missing = wanted.items.filter((item) => !rec.catalog.has(item.id));
        if (missing.length > 0) await rec.addItems(missing);
      }
      await rec.read([], false);
      return rec;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** The resolved options (read-only view). */
  get options(): Readonly<ResolvedOptions> {
    return this.opts;
  }

  /** Items in the catalog, as this process last saw it. */
  get itemCount(): number {
    return this.catalog.size;
  }

  // ------------------------------------------------------------------ the methods of Recommender

  /** See {@link Recommender.feedback}. Concurrent feedback from several processes is all counted. */
  async feedback(events: FeedbackEvent | readonly FeedbackEvent[]): Promise<void> {
    const list: readonly unknown[] = Array.isArray(events) ? events : [events];
    const users = list.map((e) => (e !== null && typeof e === 'object' ? (e as { user?: unknown }).user : undefined));
    await this.mutate('feedback', users, () => this.engine.feedback(events));
  }

  /** See {@link Recommender.recommend}. */
  async recommend(user: string | undefined, options: RecommendOptions = {}): Promise<ExplainedRecommendation[]> {
    // Validate before the read takes one of the person's draws.
    checkRequest('recommend', user, options, this.opts.now, this.opts.protectedAttributes);
    return this.serve('recommend', user, true, () => this.engine.recommend(user, options));
  }

  /** See {@link Recommender.explain}. */
  async explain(
    user: string | undefined,
    item: string,
    options: { at?: number; context?: Context } = {},
  ): Promise<Reason> {
    return this.serve('explain', user, false, () => this.engine.explain(user, item, options));
  }

  /** See {@link Recommender.profile}. */
  async profile(user: string): Promise<Profile> {
    return this.serve('profile', user, false, () => this.engine.profile(user));
  }

  /** See {@link Recommender.setPreferences}. */
  async setPreferences(user: string, preferences: Preferences): Promise<void> {
    await this.mutate('setPreferences', [user], () => this.engine.setPreferences(user, preferences));
  }

  /** See {@link Recommender.removeFeedback}. */
  async removeFeedback(user: string, item: string): Promise<boolean> {
    return this.mutate('removeFeedback', [user], () => this.engine.removeFeedback(user, item));
  }

  /** See {@link Recommender.forget}: the person's keys are deleted and their part of popularity withdrawn. */
  async forget(user: string): Promise<boolean> {
    return this.mutate('forget', [user], () => this.engine.forget(user));
  }

  /** See {@link Recommender.addItems}: every process sees the new items at its next request. */
  /** See `Recommender.createStation`. */
  async createStation(user: string, options: StationOptions): Promise<Station> {
    return this.mutate('createStation', [user], () => this.engine.createStation(user, options));
  }

  /** See `Recommender.addStationSeeds`. */
  async addStationSeeds(user: string, station: string, seeds: StationSeed[]): Promise<Station> {
    return this.mutate('addStationSeeds', [user], () => this.engine.addStationSeeds(user, station, seeds));
  }

  /** See `Recommender.stations`. */
  async stations(user: string): Promise<Station[]> {
    return this.serve('stations', user, false, () => this.engine.stations(user));
  }

  /** See `Recommender.removeStation`. */
  async removeStation(user: string, station: string): Promise<void> {
    await this.mutate('removeStation', [user], () => this.engine.removeStation(user, station));
  }

  async addItems(items: Item[]): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await this.read([], false);
      const valid = Catalog.validate('addItems', items, this.catalog);
      if (valid.length === 0) return;
      const ok = await this.connection.script<number>(
        'addItems',
        APPEND_ITEMS,
        [this.keys.items],
        [String(this.catalog.size), ...valid.map((i) => JSON.stringify(i))],
      );
      if (ok === 1) {
        await this.read([], false);
        return;
      }
    }
    throw contention('addItems', this.connection.url);
  }

  /**
   * See {@link Recommender.train}: reads every person's evidence from Redis,
   * fits the model, and publishes the item factors and the recomputed
   * popularity; every process uses them from its next request.
   */
  async train(options: TrainOptions = {}): Promise<TrainReport> {
    if (options === null || typeof options !== 'object')
      throw new AttuneError('INVALID_ARGUMENT', 'train: options must be an object such as { onProgress }');
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
      throw new AttuneError('INVALID_ARGUMENT', 'train: onProgress must be a function');
    let state = await this.readAll('train');
    const trained = restoreRecommender(state.snapshot, { now: this.opts.now });
    const report = trained.train(options);
    const fitted = trained.snapshot();
    await this.connection.script(
      'train',
      PUBLISH_MODEL,
      [this.keys.model, this.keys.modelVersion],
      [fitted.collaborative === undefined ? '' : JSON.stringify(fitted.collaborative)],
    );
    let popularity = fitted.popularity;
    for (let round = 0; round < MAX_TRAIN_ROUNDS; round++) {
      const args = [state.version, ...popularity.flatMap((row) => [String(row[0]), formatSums(row)])];
      if (
        (await this.connection.script<number>(
          'train',
          REPLACE_POPULARITY,
          [this.keys.version, this.keys.pop, this.keys.popChanged],
          args,
        )) === 1
      )
        break;
      // Feedback arrived while training: recompute popularity (cheap) from the evidence as it is now.
      state = await this.readAll('train');
      popularity = this.rebuildPopularity(state.snapshot);
    }
    await this.read([], false);
    return report;
  }

  /** See {@link Recommender.snapshot}: the same format, restorable in memory or into another namespace. */
  async snapshot(): Promise<Snapshot> {
    return (await this.readAll('snapshot')).snapshot;
  }

  /** Closes the connection; later calls fail with STORE_UNAVAILABLE. */
  async close(): Promise<void> {
    await this.connection.close();
  }

  // ------------------------------------------------------------------ reading and writing

  /** A call that reads people and changes nothing in Redis (but recommend's draw). */
  private async serve<T>(api: string, user: unknown, draw: boolean, call: () => T): Promise<T> {
    const loaded = await this.read(typeof user === 'string' ? [user] : [], draw);
    this.enter(loaded);
    try {
      return call();
    } finally {
      this.people.drain();
      this.popularity.takeOps();
    }
  }

  /**
   * A call that may change people: read, apply with the in-memory facade,
   * write back if nothing else wrote those people meanwhile; else again.
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
      const writes: string[] = [];
      const keys: string[] = [];
      const written: [string, string, 'set' | 'new' | 'del'][] = [];
      for (const before of loaded) {
        const person = after.get(before.id);
        if (person === undefined && before.person === undefined) continue;
        let mode: 'set' | 'new' | 'del';
        let record = '';
        if (person === undefined) mode = 'del';
        else {
          record = JSON.stringify(personToJSON(person));
          if (person === before.person && record === before.json) continue;
          mode = person === before.person ? 'set' : 'new';
        }
        keys.push(this.keys.person(before.id));
        writes.push(before.id, before.version, mode, record, person?.optOut === true ? '1' : '0');
        written.push([before.id, record, mode]);
      }
      if (keys.length === 0 && ops.length === 0) return result;
      const args = [String(keys.length), ...writes, String(ops.length)];
      for (const o of ops)
        args.push(
          o.kind,
          String(o.item),
          String(o.pos),
          String(o.neg),
          String(o.t),
          o.kind === 'a' && o.newRecord ? '1' : '0',
        );
      const version = await this.connection.script<number>(
        api,
        this.write,
        [this.keys.version, this.keys.pop, this.keys.popChanged, this.keys.people, this.keys.seq, ...keys],
        args,
      );
      if (version !== 0) {
        for (const [id, record, mode] of written) {
          const v = mode === 'del' ? '0' : String(version);
          this.remember(id, { version: v, record, draws: mode === 'set' ? (this.records.get(id)?.draws ?? '0') : '0' });
          this.seen.set(id, v);
        }
        return result;
      }
      // Another process wrote one of these people first: our result was computed from an old record.
      for (const id of ids) this.records.delete(id);
      fromCopy = false;
      for (const id of ids) this.world.personChanged(id);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 20)));
    }
    throw contention(api, this.connection.url);
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

  /** Keeps the latest record seen of a person (at most RECORD_COPIES people, the least recent dropped first). */
  private remember(id: string, copy: RecordCopy): void {
    this.records.delete(id);
    this.records.set(id, copy);
    if (this.records.size > RECORD_COPIES) this.records.delete(this.records.keys().next().value!);
  }

  private parse(id: string, copy: RecordCopy, forWrite: boolean): Loaded {
    const person =
      copy.record === ''
        ? undefined
        : personFromJSON(JSON.parse(copy.record), this.catalog, this.decay, `attune/redis: ${this.keys.person(id)}`);
    if (person !== undefined) person.draws = Number(copy.draws);
    return {
      id,
      person,
      version: copy.version,
      json: person === undefined || !forWrite ? undefined : JSON.stringify(personToJSON(person)),
    };
  }

  /** Puts the people read for a call into the facade's store. */
  private enter(loaded: readonly Loaded[]): void {
    this.people.drain();
    this.popularity.takeOps();
    const stale: string[] = [];
    for (const l of loaded) {
      if (this.seen.get(l.id) !== l.version) {
        stale.push(l.id);
        this.seen.set(l.id, l.version);
      }
      if (l.person !== undefined) this.people.set(l.person);
    }
    for (const id of stale) this.world.personChanged(id);
  }

  /** Reads people and catches up with the shared state (catalog, popularity, model). */
  private async read(ids: readonly string[], draw: boolean, forWrite = false): Promise<Loaded[]> {
    const keys = [
      this.keys.version,
      this.keys.modelVersion,
      this.keys.items,
      this.keys.pop,
      this.keys.popChanged,
      ...ids.map((id) => this.keys.person(id)),
    ];
    const known = this.knownVersion;
    const held = ids.map((id) => this.records.get(id));
    const [version, modelVersion, itemCount, changes, people] = await this.connection.script<ReadReply>(
      'attune/redis',
      READ,
      keys,
      [String(known), draw ? '1' : '0', ...held.map((c) => c?.version ?? '')],
    );
    if (itemCount > this.catalog.size) await this.readItems();
    if (modelVersion !== this.modelVersion) await this.readModel();
    const v = Number(version);
    if (v > this.knownVersion) {
      const updates: [number, string | undefined][] = [];
      for (let i = 0; i < changes.length; i += 2)
        updates.push([Number(changes[i]), changes[i + 1] === '' ? undefined : changes[i + 1]]);
      this.knownVersion = v;
      if (updates.length > 0) {
        this.popularity.update(updates);
        this.world.popularityChanged();
      }
    }
    return ids.map((id, i) => {
      const same = people[i * 3] === '=';
      const copy: RecordCopy = same
        ? { ...held[i]!, draws: people[i * 3 + 2]! }
        : { record: people[i * 3]!, version: people[i * 3 + 1]!, draws: people[i * 3 + 2]! };
      // After a draw the stored count is one more than the one this call uses.
      this.remember(id, draw && copy.record !== '' ? { ...copy, draws: String(Number(copy.draws) + 1) } : copy);
      if (forWrite) return this.parse(id, copy, true);
      // Reading calls never change the person (but its draws), so a parsed copy of this version serves again.
      const parsed = same && held[i]!.parsed !== undefined ? held[i]!.parsed : this.parse(id, copy, false).person;
      const entry = this.records.get(id)!;
      entry.parsed = parsed;
      if (parsed !== undefined) parsed.draws = Number(copy.draws);
      return { id, person: parsed, version: copy.version, json: undefined };
    });
  }

  private async readItems(): Promise<void> {
    const raw = await this.connection.command<string[]>('attune/redis', [
      'LRANGE',
      this.keys.items,
      String(this.catalog.size),
      '-1',
    ]);
    this.addLocal(raw.map((s) => JSON.parse(s) as Item));
  }

  private addLocal(items: readonly Item[]): void {
    const fresh = items.filter((item) => !this.catalog.has(item.id));
    if (fresh.length === 0) return;
    this.catalog.add(fresh);
    this.items.push(...fresh);
    this.engine.addItems(fresh);
  }

  private async readModel(): Promise<void> {
    const [json, version] = await Promise.all([
      this.connection.command<string | null>('attune/redis', ['GET', this.keys.model]),
      this.connection.command<string | null>('attune/redis', ['GET', this.keys.modelVersion]),
    ]);
    let model: CollaborativeModel | null = null;
    if (json !== null) {
      try {
        model = CollaborativeModel.fromJSON(JSON.parse(json));
      } catch (error) {
        throw new AttuneError('BAD_SNAPSHOT', `attune/redis: ${this.keys.model}: ${(error as Error).message}`);
      }
    }
    this.modelVersion = version ?? '0';
    this.world.setModel(model ?? undefined);
  }

  /**
   * Everything in the namespace as a snapshot, read while no write happened
   * (the state version is the same before and after the read).
   */
  private async readAll(api: string): Promise<{ version: string; snapshot: Snapshot }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = (await this.connection.command<string | null>(api, ['GET', this.keys.version])) ?? '0';
      const [options, items, ids, pop, model] = await Promise.all([
        this.connection.command<string | null>(api, ['GET', this.keys.options]),
        this.connection.command<string[]>(api, ['LRANGE', this.keys.items, '0', '-1']),
        this.connection.command<string[]>(api, ['ZRANGE', this.keys.people, '0', '-1']),
        this.connection.command<string[] | Record<string, string>>(api, ['HGETALL', this.keys.pop]),
        this.connection.command<string | null>(api, ['GET', this.keys.model]),
      ]);
      const records = await Promise.all(
        ids.map((id) =>
          this.connection.command<(string | null)[]>(api, ['HMGET', this.keys.person(id), 'record', 'draws']),
        ),
      );
      const after = (await this.connection.command<string | null>(api, ['GET', this.keys.version])) ?? '0';
      if (before !== after || options === null) continue;
      const people: PersonJson[] = [];
      records.forEach(([record, draws]) => {
        if (record === null || record === undefined) return;
        const json = JSON.parse(record) as PersonJson;
        json.draws = Number(draws ?? 0);
        people.push(json);
      });
      const popularity: PopularityJson = [];
      // The client may shape HGETALL as an object or leave it a flat array.
      const fields = Array.isArray(pop)
        ? Array.from({ length: pop.length / 2 }, (_, i) => [pop[2 * i]!, pop[2 * i + 1]!] as const)
        : Object.entries(pop);
      for (const [item, sums] of fields) popularity.push(parseSums(Number(item), sums));
      popularity.sort((a, b) => a[0] - b[0]);
      const snapshot: Snapshot = {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        options: JSON.parse(options) as OptionsJson,
        items: items.map((s) => JSON.parse(s) as Item),
        people,
        popularity,
        ...(model !== null ? { collaborative: JSON.parse(model) as unknown } : {}),
      };
      return { version: before, snapshot };
    }
    throw contention(api, this.connection.url);
  }

  /** Popularity recomputed from every record, in store order, as the in-memory train() does. */
  private rebuildPopularity(snapshot: Snapshot): PopularityJson {
    const catalog = new Catalog();
    catalog.add(snapshot.items);
    const people = snapshot.people.map((json, i) => personFromJSON(json, catalog, this.decay, `train: people[${i}]`));
    const model = new PopularityModel(this.decay);
    model.rebuild(catalog.size, learnedRecords(people));
    return model.toJSON();
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
    `${api}: gave up after ${MAX_ATTEMPTS} attempts: other processes kept writing the same state in Redis at ${url}; nothing was written`,
  );
}

function initKeys(keys: NamespaceKeys): string[] {
  return [
    keys.options,
    keys.items,
    keys.people,
    keys.seq,
    keys.version,
    keys.pop,
    keys.popChanged,
    keys.model,
    keys.modelVersion,
    keys.person(''),
  ];
}

function initArgs(s: Snapshot): string[] {
  const args = [
    JSON.stringify(s.options),
    String(s.items.length),
    ...s.items.map((i) => JSON.stringify(i)),
    String(s.people.length),
  ];
  for (const p of s.people) args.push(p.id, JSON.stringify(p), String(p.draws), p.optOut ? '1' : '0');
  args.push(String(s.popularity.length));
  for (const row of s.popularity) args.push(String(row[0]), formatSums(row));
  args.push(s.collaborative === undefined ? '' : JSON.stringify(s.collaborative));
  return args;
}

/** Options given to a namespace that already exists must be the ones it holds. */
function checkSameOptions(namespace: string, stored: OptionsJson, given: OptionsJson): void {
  const differ = (Object.keys(given) as (keyof OptionsJson)[]).filter(
    (k) => JSON.stringify(stored[k]) !== JSON.stringify(given[k]),
  );
  if (differ.length > 0) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `connectRecommender: namespace ${describeValue(namespace)} was created with other options (${differ.join(', ')}); connect with the same options, or with none to use the stored ones`,
    );
  }
}

/**
 * Connects to Redis and resolves to a recommender whose state lives there.
 * The first connection to a namespace creates it with the given options and
 * items (or a snapshot); later ones use what it holds, and add any given
 * items it does not know yet. Redis unreachable: `STORE_UNAVAILABLE`.
 */
export function connectRecommender(options: ConnectOptions): Promise<RedisRecommender> {
  return RedisRecommender.connect(options);
}
