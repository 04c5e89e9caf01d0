/**
 * The Redis store: {@link RemoteStore} over one Redis server, a namespace's
 * state in the keys of keys.ts, every change made by one Lua script
 * (scripts.ts), so that a write happens whole or not at all.
 */
import { randomUUID } from 'node:crypto';
import { Decay } from '../decay/decay.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import { optionsFromJSON, type OptionsJson } from '../options.js';
import type { PersonJson } from '../people/json.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../persist/snapshot.js';
import type { PopularityOp } from '../remote/sharedPopularity.js';
import { readRecord, type PersonWrite, type ReadState, type RemoteStore } from '../remote/store.js';
import { inBatches, mapInSlices, Slices } from '../remote/slices.js';
import { yieldToEventLoop } from '../kernels/steps.js';
import type { Item } from '../types.js';
import { Connection } from './connection.js';
import { namespaceKeys, type NamespaceKeys } from './keys.js';
import { INIT, READ, REPLACE_POPULARITY, writeScript } from './scripts.js';
import {
  formatSums,
  parseSums,
  RETIRED_MS,
  SharedStore,
  STAGED_MS,
  stagedLost,
  type StagedModel,
} from './sharedStore.js';

type ReadReply = [string, string, number, string[], string[], number] | ['gone'];

export class RedisStore extends SharedStore implements RemoteStore {
  private readonly keys: NamespaceKeys;
  /** The write script, with the namespace's decay written into it (set once the options are known). */
  private write_: string | undefined;

  constructor(
    private readonly connection: Connection,
    namespace: string,
  ) {
    const keys = namespaceKeys(namespace);
    super(connection, namespace, keys);
    this.keys = keys;
  }

  async create(api: string, wanted: Snapshot, mayCreate: boolean): Promise<{ created: boolean; options: OptionsJson }> {
    if (!mayCreate && (await this.connection.command<number>(api, ['EXISTS', this.keys.options])) === 0)
      throw this.gone(api);
    // What a creation writes is staged first, a batch at a time (unless the namespace exists: nothing to
    // create), then INIT creates it from there in one step.
    const fresh = (await this.connection.command<number>(api, ['EXISTS', this.keys.options])) === 0;
    const staging = fresh ? await this.stage(api, wanted) : undefined;
    const reply = await this.connection.script<[number, string?]>(api, INIT, initKeys(this.keys, staging?.key), [
      JSON.stringify(wanted.options),
      // Not staged: a count no staging list matches, so that a namespace gone since EXISTS is not made empty.
      ...(staging?.counts ?? ['-1', '0', '0']),
      staging?.model.id ?? '',
      String(staging?.model.count ?? 0),
      String(RETIRED_MS),
    ]);
    if (reply[0] !== 1 && staging !== undefined) {
      await this.connection.command(api, ['DEL', staging.key]);
      await this.dropStaged(api, staging.model);
    }
    // -2: expired while staged, or (not staged) the namespace was dropped since EXISTS said it was there.
    if (reply[0] === -2) {
      if (staging !== undefined) throw stagedLost(api, this.url);
      return this.create(api, wanted, mayCreate);
    }
    const [created, stored] = reply as [number, string];
    const options = this.parse(stored, api, 'the options') as OptionsJson;
    this.write_ = writeScript(Decay.ofDays(optionsFromJSON(options, undefined).halfLifeDays));
    return { created: created === 1, options };
  }

  /** The write script, from the stored options when this store did not create or open the namespace. */
  private async writer(api: string): Promise<string> {
    const stored = await this.connection.command<string | null>(api, ['GET', this.keys.options]);
    if (stored === null) throw this.gone(api);
    const options = this.parse(stored, api, 'the options') as OptionsJson;
    return (this.write_ = writeScript(Decay.ofDays(optionsFromJSON(options, undefined).halfLifeDays)));
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
    const reply = await this.connection.script<ReadReply>(
      api,
      READ,
      [k.version, k.modelVersion, k.items, k.pop, k.popChanged, k.options, ...ids.map((id) => k.person(id))],
      [String(known), draw ? '1' : '0', station ?? '', ...held.map((v) => v ?? '')],
    );
    if (reply[0] === 'gone') throw this.gone(api);
    const [version, modelVersion, itemCount, changes, people, drew] = reply as Exclude<ReadReply, ['gone']>;
    const rows = await this.popularityRows(api, known, changes);
    return {
      version: Number(version),
      modelVersion,
      itemCount,
      changes: rows,
      drew: drew === 1,
      people: ids.map((_, i) => {
        const draws = Number(people[i * 3 + 2]);
        return people[i * 3] === '='
          ? { same: true as const, draws }
          : { record: people[i * 3]!, version: people[i * 3 + 1]!, draws };
      }),
    };
  }

  /**
   * Writes what INIT creates into a staging list (see INIT), a batch at a
   * time with turns of the event loop, and the model in parts; both expire
   * unless INIT takes them.
   */
  private async stage(api: string, s: Snapshot): Promise<{ key: string; counts: string[]; model: StagedModel }> {
    const key = this.keys.staging(randomUUID());
    const c = this.connection;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await c.command(api, ['RPUSH', key, ...batch]);
      await c.command(api, ['PEXPIRE', key, String(STAGED_MS)]);
      batch = [];
      await yieldToEventLoop();
    };
    const push = async (...entries: string[]) => {
      batch.push(...entries);
      if (batch.length >= STAGE_BATCH) await flush();
    };
    const slices = new Slices();
    for (const item of s.items) {
      await push(JSON.stringify(item));
      await slices.pause();
    }
    for (const p of s.people) {
      await push(
        p.id,
        JSON.stringify(p),
        String(p.draws),
        p.optOut ? '1' : '0',
        JSON.stringify((p.stations ?? []).map((st) => st.id)),
      );
      await slices.pause();
    }
    for (const row of s.popularity) await push(String(row[0]), formatSums(row));
    await flush();
    const model = await this.stageModel(api, s.collaborative);
    return { key, counts: [String(s.items.length), String(s.people.length), String(s.popularity.length)], model };
  }

  async write(api: string, people: readonly PersonWrite[], ops: readonly PopularityOp[]): Promise<number> {
    const k = this.keys;
    const args = [String(people.length)];
    for (const p of people)
      args.push(p.id, p.expected, p.mode, p.record, p.optOut ? '1' : '0', JSON.stringify(p.stations));
    args.push(String(ops.length));
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
      this.write_ ?? (await this.writer(api)),
      [k.version, k.pop, k.popChanged, k.people, k.seq, k.options, ...people.map((p) => k.person(p.id))],
      args,
    );
    if (version === -1) throw this.gone(api);
    return version;
  }

  async replacePopularity(api: string, version: string, rows: PopularityJson): Promise<boolean> {
    const args = [version, ...rows.flatMap((row) => [String(row[0]), formatSums(row)])];
    const k = this.keys;
    const done = await this.connection.script<number>(
      api,
      REPLACE_POPULARITY,
      [k.version, k.pop, k.popChanged, k.options],
      args,
    );
    if (done === -1) throw this.gone(api);
    return done === 1;
  }

  async readAll(api: string): Promise<{ version: string; snapshot: Snapshot; unreadable: string[] } | undefined> {
    const k = this.keys;
    const c = this.connection;
    const before = (await c.command<string | null>(api, ['GET', k.version])) ?? '0';
    const [options, items, ids, pop] = await Promise.all([
      c.command<string | null>(api, ['GET', k.options]),
      c.command<string[]>(api, ['LRANGE', k.items, '0', '-1']),
      c.command<string[]>(api, ['ZRANGE', k.people, '0', '-1']),
      c.command<string[] | Record<string, string>>(api, ['HGETALL', k.pop]),
    ]);
    const records = await inBatches(ids, (id) =>
      c.command<(string | null)[]>(api, ['HMGET', k.person(id), 'record', 'draws']),
    );
    const after = (await c.command<string | null>(api, ['GET', k.version])) ?? '0';
    if (options === null) throw this.gone(api);
    if (before !== after) return undefined;
    const model = await this.modelJson(api);
    const people: PersonJson[] = [];
    const unreadable: string[] = [];
    await mapInSlices(records, ([record, draws], i) => {
      if (record === null || record === undefined) return;
      const json = readRecord(record, ids[i]!);
      if (json === undefined) return void unreadable.push(ids[i]!);
      json.draws = Number(draws ?? 0);
      people.push(json);
    });
    const popularity: PopularityJson = [];
    // The client may shape HGETALL as an object or leave it a flat array.
    const fields = Array.isArray(pop)
      ? Array.from({ length: pop.length / 2 }, (_, i) => [pop[2 * i]!, pop[2 * i + 1]!] as const)
      : Object.entries(pop);
    await mapInSlices(fields, ([item, sums]) => popularity.push(parseSums(Number(item), sums)));
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
    return { version: before, snapshot, unreadable };
  }
}

function initKeys(keys: NamespaceKeys, staging: string | undefined): string[] {
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
    keys.modelHead,
    keys.modelPart,
    staging ?? keys.staging(''),
  ];
}

/** Entries pushed to a staging list by one command. */
const STAGE_BATCH = 500;
