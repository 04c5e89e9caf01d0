/**
 * The Redis Cluster store: {@link RemoteStore} over a Redis Cluster, people
 * spread over every slot (clusterKeys.ts), the shared state in one slot.
 * A script touches one slot, so a write is a short protocol instead of one
 * script:
 *
 * 1. RESERVE (shared slot): the write takes its version N, marked under way
 *    until a deadline, and a place in the people order for each person stored anew.
 * 2. COMMIT (each person's slot): the record is written only if it is still
 *    at the version the call read. A write of several people first locks
 *    each (PREPARE, all or none) and then commits each under its lock.
 * 3. FINISH (shared slot): ends the write; if the people were written, the
 *    popularity deltas are replayed and marked with N, and people stored
 *    anew or deleted take or leave their place in the order. If a person
 *    had moved on, nothing else is written and the call re-reads.
 *
 * Readers never say they have seen a version at or past a write still under
 * way, so its popularity changes reach every process's mirror; train() and
 * snapshots read everything only when no write is under way. What this
 * gives, and what it does not, is in ARCHITECTURE.md ("Redis Cluster").
 */
import { randomUUID } from 'node:crypto';
import { Decay } from '../decay/decay.js';
import { AttuneError } from '../errors.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import { optionsFromJSON, type OptionsJson } from '../options.js';
import type { PersonJson } from '../people/json.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../persist/snapshot.js';
import type { PopularityOp } from '../remote/sharedPopularity.js';
import { readRecord, type PersonWrite, type ReadState, type RemoteStore } from '../remote/store.js';
import { inBatches, mapInSlices } from '../remote/slices.js';
import type { Item } from '../types.js';
import { ClusterConnection } from './clusterConnection.js';
import { clusterKeys, type ClusterKeys } from './clusterKeys.js';
import {
  CLAIM,
  CLUSTER_REPLACE_POPULARITY,
  COMMIT,
  DROP_PLACES,
  finishScript,
  FINISH_CREATE,
  PERSON_READ,
  PREPARE,
  PUT_PERSON,
  READ_SHARED_ALL,
  RELEASE,
  RESERVE,
  SHARED_READ,
} from './clusterScripts.js';
import { formatSums, parseSums, RETIRED_MS, SharedStore, stagedLost } from './sharedStore.js';

/** How long a write may stay under way, or hold a person's lock, before others give up on it. */
const WRITE_DEADLINE_MS = 10_000;
/** How long a creation may take before another process may take it over. */
const CREATE_DEADLINE_MS = 60_000;
/** People written per step of a creation (the event loop runs between steps). */
const CREATE_BATCH = 100;

type SharedReply = [string, string, number, string[]] | ['gone'];
type PersonReply = [string, string, string, number];

export class ClusterStore extends SharedStore implements RemoteStore {
  private readonly keys: ClusterKeys;
  /** The finish script, with the namespace's decay written into it (set once the options are known). */
  private finish_: string | undefined;
  /** The newest shared state a read returned (see read). */
  private latest = { version: -1, modelVersion: '0', itemCount: 0 };

  constructor(
    private readonly connection: ClusterConnection,
    namespace: string,
  ) {
    const keys = clusterKeys(namespace);
    super(connection, namespace, keys);
    this.keys = keys;
  }

  /** The finish script, from the stored options when this store did not create or open the namespace. */
  private async finisher(api: string): Promise<string> {
    if (this.finish_ !== undefined) return this.finish_;
    const stored = await this.connection.command<string | null>(api, this.keys.options, ['GET', this.keys.options]);
    if (stored === null) throw this.gone(api);
    this.useOptions(stored, api);
    return this.finish_!;
  }

  async create(api: string, wanted: Snapshot, mayCreate: boolean): Promise<{ created: boolean; options: OptionsJson }> {
    const k = this.keys;
    const c = this.connection;
    if (!mayCreate && (await c.command<number>(api, k.options, ['EXISTS', k.options])) === 0) throw this.gone(api);
    const token = randomUUID();
    const started = Date.now();
    let claim: [number, string?, string[]?];
    for (;;) {
      claim = await c.script(
        api,
        CLAIM,
        [
          k.options,
          k.creating,
          k.people,
          k.version,
          k.items,
          k.pop,
          k.popChanged,
          k.model,
          k.seq,
          k.pending,
          k.modelHead,
          k.modelPart,
        ],
        [token, String(CREATE_DEADLINE_MS), String(RETIRED_MS)],
      );
      if (claim[0] !== 2) break;
      if (Date.now() - started > CREATE_DEADLINE_MS)
        throw new AttuneError(
          'STORE_UNAVAILABLE',
          `${api}: another process kept creating this namespace at ${this.url}`,
        );
      await sleep(50);
    }
    if (claim[0] === 0) return { created: false, options: this.useOptions(claim[1]!, api) };
    const version = claim[1]!;
    // People a creation that never finished left behind.
    for (const ids of batches(claim[2] ?? [], CREATE_BATCH))
      await Promise.all(ids.map((id) => c.command(api, k.person(id), ['DEL', k.person(id), k.lock(id)])));
    let place = 0;
    for (const people of batches(wanted.people, CREATE_BATCH)) {
      await Promise.all(
        people.map((p) =>
          c.script(
            api,
            PUT_PERSON,
            [k.person(p.id)],
            [
              JSON.stringify(p),
              version,
              String(p.draws),
              p.optOut ? '1' : '0',
              JSON.stringify((p.stations ?? []).map((st) => st.id)),
              String(++place),
            ],
          ),
        ),
      );
      await yieldTurn();
    }
    const options = JSON.stringify(wanted.options);
    const args = [
      token,
      options,
      version,
      String(wanted.items.length),
      ...(await mapInSlices(wanted.items, (i) => JSON.stringify(i))),
    ];
    args.push(String(wanted.people.length), ...wanted.people.map((p) => p.id));
    args.push(String(wanted.popularity.length));
    for (const row of wanted.popularity) args.push(String(row[0]), formatSums(row));
    const staged = await this.stageModel(api, wanted.collaborative);
    args.push(staged.id, String(staged.count));
    const done = await c.script<number>(
      api,
      FINISH_CREATE,
      [
        k.creating,
        k.options,
        k.items,
        k.people,
        k.seq,
        k.pop,
        k.popChanged,
        k.model,
        k.modelVersion,
        k.modelHead,
        k.modelPart,
      ],
      args,
    );
    if (done !== 1 && staged.count > 0) await this.dropStaged(api, staged);
    if (done === -2) throw stagedLost(api, this.url);
    if (done !== 1)
      throw new AttuneError(
        'STORE_UNAVAILABLE',
        `${api}: creating the namespace at ${this.url} took longer than ${CREATE_DEADLINE_MS} ms and another process took it over`,
      );
    return { created: true, options: this.useOptions(options, api) };
  }

  private useOptions(stored: string, api: string): OptionsJson {
    const options = this.parse(stored, api, 'the options') as OptionsJson;
    this.finish_ = finishScript(Decay.ofDays(optionsFromJSON(options, undefined).halfLifeDays));
    return options;
  }

  async read(
    api: string,
    ids: readonly string[],
    known: number,
    draw: boolean,
    held: readonly (string | undefined)[],
    station?: string,
  ): Promise<ReadState> {
    const k = this.keys;
    const c = this.connection;
    const [shared, ...people] = await Promise.all([
      c.script<SharedReply>(
        api,
        SHARED_READ,
        [k.version, k.modelVersion, k.items, k.pop, k.popChanged, k.pending, k.options],
        [String(known)],
      ),
      ...ids.map((id, i) =>
        c.script<PersonReply>(
          api,
          PERSON_READ,
          [k.person(id)],
          [draw && i === 0 ? '1' : '0', station ?? '', held[i] ?? ''],
        ),
      ),
    ]);
    if (shared[0] === 'gone') throw this.gone(api);
    let [version, modelVersion, itemCount, changes] = shared as Exclude<SharedReply, ['gone']>;
    // Reads run on several nodes, so a read can end after a later one: its shared state is then
    // older than what this process already took in, and adds nothing to it.
    if (Number(version) < this.latest.version) {
      ({ modelVersion, itemCount } = this.latest);
      version = String(this.latest.version);
      changes = [];
    } else this.latest = { version: Number(version), modelVersion, itemCount };
    const rows = await this.popularityRows(api, known, changes);
    return {
      version: Number(version),
      modelVersion,
      itemCount,
      changes: rows,
      drew: (people[0] as PersonReply | undefined)?.[3] === 1,
      people: (people as PersonReply[]).map(([record, v, draws]) =>
        record === '=' ? { same: true as const, draws: Number(draws) } : { record, version: v, draws: Number(draws) },
      ),
    };
  }

  async write(api: string, people: readonly PersonWrite[], ops: readonly PopularityOp[]): Promise<number> {
    if (people.length === 0) {
      const version = await this.finish(api, '', [], [], ops);
      if (version === -1) throw this.gone(api);
      return version;
    }
    const k = this.keys;
    const c = this.connection;
    const fresh = people.filter((p) => p.mode === 'new').map((p) => p.id);
    const reserved = await c.script<number[]>(
      api,
      RESERVE,
      [k.version, k.pending, k.seq, k.options],
      [String(WRITE_DEADLINE_MS), String(fresh.length)],
    );
    if (reserved[0] === -1) throw this.gone(api);
    const version = String(reserved[0]);
    const places = new Map(fresh.map((id, i) => [id, String(reserved[1 + i])]));
    const commit = (p: PersonWrite, token: string) =>
      c.script<[number, string?]>(
        api,
        COMMIT,
        [k.person(p.id), k.lock(p.id)],
        [
          p.expected,
          p.mode,
          p.record,
          p.optOut ? '1' : '0',
          JSON.stringify(p.stations),
          version,
          places.get(p.id) ?? '',
          token,
        ],
      );
    let committed: [number, string?][] = [];
    let written: boolean;
    // A failure between the steps leaves the write under way (and its locks held) until its deadline.
    if (people.length === 1) {
      committed = [await commit(people[0]!, '')];
      written = committed[0]![0] === 1;
    } else {
      const locked = await Promise.all(
        people.map((p) =>
          c.script<number>(
            api,
            PREPARE,
            [k.person(p.id), k.lock(p.id)],
            [p.expected, version, String(WRITE_DEADLINE_MS)],
          ),
        ),
      );
      written = locked.every((ok) => ok === 1);
      if (written) committed = await Promise.all(people.map((p) => commit(p, version)));
      else
        await Promise.all(
          people.map((p, i) => (locked[i] === 1 ? c.script(api, RELEASE, [k.lock(p.id)], [version]) : undefined)),
        );
    }
    const done = written ? people.filter((_, i) => committed[i]![0] === 1) : [];
    const placed = done.filter((p) => p.mode === 'new').map((p) => [p.id, places.get(p.id)!]);
    const deleted = done.flatMap((p) => (p.mode === 'del' ? [[p.id, committed[people.indexOf(p)]![1] ?? '']] : []));
    await this.finish(api, version, placed, deleted, written ? ops : []);
    if (written && committed.some(([ok]) => ok !== 1))
      throw new AttuneError(
        'STORE_UNAVAILABLE',
        `${api}: a write of several people at ${this.url} lost its locks after ${WRITE_DEADLINE_MS} ms and was written in part`,
      );
    return written ? Number(version) : 0;
  }

  private async finish(
    api: string,
    version: string,
    placed: readonly string[][],
    deleted: readonly string[][],
    ops: readonly PopularityOp[],
  ): Promise<number> {
    const k = this.keys;
    const args = [version, String(placed.length), ...placed.flat()];
    args.push(String(deleted.length), ...deleted.flat(), String(ops.length));
    for (const o of ops)
      args.push(
        o.kind,
        String(o.item),
        String(o.pos),
        String(o.neg),
        String(o.t),
        o.kind === 'a' && o.newRecord ? '1' : '0',
      );
    return this.connection.script<number>(
      api,
      await this.finisher(api),
      [k.version, k.pop, k.popChanged, k.pending, k.people, k.options],
      args,
    );
  }

  async replacePopularity(api: string, version: string, rows: PopularityJson): Promise<boolean> {
    const args = [version, ...rows.flatMap((row) => [String(row[0]), formatSums(row)])];
    const k = this.keys;
    const done = await this.connection.script<number>(
      api,
      CLUSTER_REPLACE_POPULARITY,
      [k.version, k.pop, k.popChanged, k.options, k.pending],
      args,
    );
    if (done === -1) throw this.gone(api);
    return done === 1;
  }

  async readAll(api: string): Promise<{ version: string; snapshot: Snapshot; unreadable: string[] } | undefined> {
    const k = this.keys;
    const c = this.connection;
    const head = await c.script<[number, string, string, string[], string[], string[]]>(
      api,
      READ_SHARED_ALL,
      [k.version, k.pending, k.options, k.items, k.people, k.pop],
      [],
    );
    if (head[0] !== 1) {
      // A write is under way: give it a moment to finish.
      await sleep(25);
      return undefined;
    }
    const [, version, options, items, order, pop] = head;
    if (options === '') throw this.gone(api);
    const ids: string[] = [];
    const places: string[] = [];
    for (let i = 0; i < order.length; i += 2) {
      ids.push(order[i]!);
      places.push(order[i + 1]!);
    }
    const records = await inBatches(ids, (id) =>
      c.command<(string | null)[]>(api, k.person(id), ['HMGET', k.person(id), 'record', 'draws', 'seq']),
    );
    const after = (await c.command<string | null>(api, k.version, ['GET', k.version])) ?? '0';
    if (after !== version) return undefined;
    const model = await this.modelJson(api);
    const people: PersonJson[] = [];
    const unreadable: string[] = [];
    const gone: string[] = [];
    await mapInSlices(records, ([record, draws, seq], i) => {
      if (record === null || record === undefined) {
        gone.push(ids[i]!, places[i]!);
        return;
      }
      // A record stored anew after this order was read has another place; the version check caught it.
      if (Number(seq) !== Number(places[i])) return;
      const json = readRecord(record, ids[i]!);
      if (json === undefined) return void unreadable.push(ids[i]!);
      json.draws = Number(draws ?? 0);
      people.push(json);
    });
    // Ids whose records are gone while nothing was under way: leftovers of a write given up on.
    if (gone.length > 0) await c.script(api, DROP_PLACES, [k.people], gone);
    const popularity: PopularityJson = [];
    await mapInSlices(pairs(pop), ([item, sums]) => popularity.push(parseSums(Number(item), sums)));
    popularity.sort((a, b) => a[0] - b[0]);
    const snapshot: Snapshot = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      options: this.parse(options, api, 'the options') as OptionsJson,
      items: await mapInSlices(items, (s, i) => this.parse(s, api, `catalog entry ${i}`) as Item),
      people,
      popularity,
      ...(model !== undefined ? { collaborative: model } : {}),
    };
    return { version, snapshot, unreadable };
  }
}

/** [a, b, c, d, …] as [[a, b], [c, d], …]. */
function pairs(flat: readonly string[]): [string, string][] {
  return Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);
}

function* batches<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets the event loop run (timers, I/O) between steps of a long job. */
function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
