/**
 * What the one-server store and the Cluster store do alike: the catalog,
 * the model and their errors live under shared keys, read and written the
 * same way whatever slot they hash to. Each store adds how it reads and
 * writes people (store.ts: one script; clusterStore.ts: a short protocol).
 *
 * The model (megabytes of JSON) is stored in parts of a few hundred kB
 * (keys.ts), written and read a few at a time with turns of the event loop
 * in between, so that neither the Redis client nor the parser holds the
 * thread for long. A publish writes the new parts under a new id first and
 * then switches the pointer to them in one script: a reader finds the old
 * model or the new one, never a mix; the old parts expire a while later, and
 * a reader that still loses one starts again from the new pointer. The
 * older layout — the whole model as one value — is still read.
 */
import { randomUUID } from 'node:crypto';
import { AttuneError } from '../errors.js';
import { badStored, namespaceGone, parseStored } from '../remote/store.js';
import { jsonTextParts, mapInSlices, parseInSlices, parsePartsInSlices, Slices } from '../remote/slices.js';
import type { Item } from '../types.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import { yieldToEventLoop } from '../kernels/steps.js';
import type { ReadState } from '../remote/store.js';
import { APPEND_ITEMS, PUBLISH_MODEL } from './scripts.js';

/** A connection as the shared part uses it: scripts, and a command sent where `key` lives (one server ignores it). */
export interface SharedConnection {
  readonly url: string;
  script<T>(api: string, lua: string, keys: readonly string[], args: readonly string[]): Promise<T>;
  commandAt<T>(api: string, key: string, args: readonly string[]): Promise<T>;
  close(): Promise<void>;
}

/** The shared keys both layouts have. */
export interface SharedKeys {
  options: string;
  items: string;
  pop: string;
  model: string;
  modelHead: string;
  modelPart: string;
  modelVersion: string;
}

/** The stored form of one item's popularity sums: `positive negative t records`. */
export function parseSums(item: number, raw: string): PopularityJson[number] {
  const [pos, neg, t, n] = raw.split(' ').map(Number) as [number, number, number, number];
  return [item, pos, neg, t, n];
}

export function formatSums([, pos, neg, t, n]: PopularityJson[number]): string {
  return `${pos} ${neg} ${t} ${n}`;
}

/** Popularity rows asked for by one HSCAN. */
const POPULARITY_BATCH = 1000;
/** Characters of the model's JSON text per stored part. */
const PART_CHARS = 256 * 1024;
/** Parts written, or read, by one batch of commands (the event loop runs between batches). */
const PART_BATCH = 4;
/** How long the parts of a model being published live unless the publish switches to them. */
export const STAGED_MS = 10 * 60_000;
/** How long the parts of a replaced model stay, for readers still reading them. */
export const RETIRED_MS = 60_000;
/** How often a reader starts again when the model it reads is replaced under it. */
const MODEL_READS = 5;

/** The model's parts as written: their id and count ('' and 0: no model). */
export interface StagedModel {
  id: string;
  count: number;
}

/** A part of the model that is gone while being read. */
class MissingPart extends Error {
  constructor(readonly index: number) {
    super(`part ${index} is missing`);
  }
}

export abstract class SharedStore {
  protected constructor(
    private readonly shared: SharedConnection,
    protected readonly namespace: string,
    private readonly sharedKeys: SharedKeys,
  ) {}

  get url(): string {
    return this.shared.url;
  }

  protected gone(api: string): AttuneError {
    return namespaceGone(api, this.namespace, this.url);
  }

  protected parse(text: string, api: string, what: string): unknown {
    return parseStored(text, api, what, this.namespace, this.url);
  }

  /** {@link parse} of a value of megabytes (the model), in slices. */
  protected parseLarge(text: string, api: string, what: string): Promise<unknown> {
    return parseLargeStored(text, api, what, this.namespace, this.url);
  }

  async items(api: string, from: number): Promise<Item[]> {
    const key = this.sharedKeys.items;
    const raw = await this.shared.commandAt<string[]>(api, key, ['LRANGE', key, String(from), '-1']);
    return mapInSlices(raw, (s, i) => this.parse(s, api, `catalog entry ${from + i}`) as Item);
  }

  async appendItems(api: string, expected: number, items: readonly Item[]): Promise<boolean> {
    const k = this.sharedKeys;
    const ok = await this.shared.script<number>(
      api,
      APPEND_ITEMS,
      [k.items, k.options],
      [String(expected), ...items.map((i) => JSON.stringify(i))],
    );
    if (ok === -1) throw this.gone(api);
    return ok === 1;
  }

  /**
   * The popularity rows a read brings: every row when the caller knows no
   * version (`known` < 0, see allPopularity), then the changed rows the read
   * script returned (item, sums or '' for a deleted row, flattened).
   */
  protected async popularityRows(
    api: string,
    known: number,
    changes: readonly string[],
  ): Promise<ReadState['changes']> {
    const rows: ReadState['changes'] = known < 0 ? await this.allPopularity(api) : [];
    for (let i = 0; i < changes.length; i += 2) {
      const item = Number(changes[i]);
      rows.push([item, changes[i + 1] === '' ? undefined : parseSums(item, changes[i + 1]!)]);
    }
    return rows;
  }

  /**
   * Every popularity row, for a caller that knows no version yet (see READ):
   * read by HSCAN a batch at a time. Rows are absolute sums, so one written
   * meanwhile is at least as new as the read's version, and the next read's
   * changes bring it up to date.
   */
  protected async allPopularity(api: string): Promise<ReadState['changes']> {
    const key = this.sharedKeys.pop;
    const rows: ReadState['changes'] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.shared.commandAt<[string, string[]]>(api, key, [
        'HSCAN',
        key,
        cursor,
        'COUNT',
        String(POPULARITY_BATCH),
      ]);
      for (let i = 0; i < flat.length; i += 2) {
        const item = Number(flat[i]);
        rows.push([item, parseSums(item, flat[i + 1]!)]);
      }
      cursor = next;
      await yieldToEventLoop();
    } while (cursor !== '0');
    return rows;
  }

  async model(api: string): Promise<{ json: unknown; version: string }> {
    const k = this.sharedKeys;
    let seen: string | undefined;
    for (let attempt = 0; attempt < MODEL_READS; attempt++) {
      // One command (the keys share a slot): the pointer, the version and the older value agree.
      const [head, version, single] = await this.shared.commandAt<(string | null)[]>(api, k.modelHead, [
        'MGET',
        k.modelHead,
        k.modelVersion,
        k.model,
      ]);
      if (head === null || head === undefined) {
        const json =
          single === null || single === undefined
            ? undefined
            : await this.parseLarge(single, api, 'the collaborative model');
        return { json, version: version ?? '0' };
      }
      try {
        return { json: await this.readParts(api, head), version: version ?? '0' };
      } catch (error) {
        if (!(error instanceof MissingPart)) throw error;
        // Replaced while being read (its parts retired): read the new one. Still pointed to: damaged.
        if (head === seen) throw this.badModel(api, head, `part ${error.index} is missing`);
        seen = head;
      }
    }
    throw new AttuneError(
      'STORE_UNAVAILABLE',
      `${api}: the collaborative model at ${this.url} was replaced ${MODEL_READS} times while being read; try again`,
    );
  }

  /** Just the model's JSON, for a snapshot (undefined: none). */
  protected async modelJson(api: string): Promise<unknown> {
    return (await this.model(api)).json;
  }

  /** The model the pointer `head` names, its parts read a few at a time and parsed as they arrive. */
  private async readParts(api: string, head: string): Promise<unknown> {
    const match = /^(\S+) (\d+)$/.exec(head);
    if (match === null) throw this.badModel(api, head, 'its pointer is not "<id> <count>"');
    const [, id, count] = match as unknown as [string, string, string];
    const keys = Array.from({ length: Number(count) }, (_, i) => `${this.sharedKeys.modelPart}${id}:${i}`);
    const parts = this.partTexts(api, keys);
    try {
      return await parsePartsInSlices(parts, api);
    } catch (error) {
      if (error instanceof MissingPart) throw error;
      throw this.badModel(api, head, `not JSON: ${(error as Error).message}`);
    } finally {
      await parts.return(undefined);
    }
  }

  /** The texts of the parts `keys`, a batch at a time, the next batch asked for while this one is parsed. */
  private async *partTexts(api: string, keys: readonly string[]): AsyncGenerator<string, void, undefined> {
    const fetch = (from: number) => {
      const batch = keys.slice(from, from + PART_BATCH);
      const reply = this.shared.commandAt<(string | null)[]>(api, batch[0]!, ['MGET', ...batch]);
      reply.catch(() => {}); // Awaited below; a batch asked for but never awaited must not go unhandled.
      return reply;
    };
    let next = keys.length > 0 ? fetch(0) : undefined;
    for (let from = 0; next !== undefined; from += PART_BATCH) {
      const texts = await next;
      next = from + PART_BATCH < keys.length ? fetch(from + PART_BATCH) : undefined;
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i];
        if (text === null || text === undefined) throw new MissingPart(from + i);
        yield text;
      }
    }
  }

  private badModel(api: string, head: string, why: string): AttuneError {
    return badStored(api, `the collaborative model (parts ${JSON.stringify(head)})`, this.namespace, this.url, why);
  }

  /**
   * Writes the model's JSON text in parts under a new id, a batch at a
   * time, each part set to expire unless a publish switches to it.
   */
  protected async stageModel(api: string, json: unknown): Promise<StagedModel> {
    if (json === undefined) return { id: '', count: 0 };
    const id = randomUUID();
    const prefix = this.sharedKeys.modelPart;
    const slices = new Slices();
    let count = 0;
    let batch: Promise<unknown>[] = [];
    for await (const text of jsonTextParts(json, PART_CHARS)) {
      const key = `${prefix}${id}:${count++}`;
      batch.push(this.shared.commandAt(api, key, ['SET', key, text, 'PX', String(STAGED_MS)]));
      if (batch.length === PART_BATCH) {
        await Promise.all(batch);
        batch = [];
        await slices.pause();
      }
    }
    await Promise.all(batch);
    return { id, count };
  }

  /** Deletes parts written for a model that will not be published. */
  protected async dropStaged(api: string, staged: StagedModel): Promise<void> {
    const prefix = this.sharedKeys.modelPart;
    for (let from = 0; from < staged.count; from += PART_BATCH * 8) {
      const keys = [];
      for (let i = from; i < Math.min(staged.count, from + PART_BATCH * 8); i++)
        keys.push(`${prefix}${staged.id}:${i}`);
      await this.shared.commandAt(api, keys[0]!, ['DEL', ...keys]);
    }
  }

  async publishModel(api: string, json: unknown): Promise<string> {
    const k = this.sharedKeys;
    const staged = await this.stageModel(api, json);
    const version = await this.shared.script<number>(
      api,
      PUBLISH_MODEL,
      [k.options, k.modelHead, k.model, k.modelVersion, k.modelPart],
      [staged.id, String(staged.count), String(RETIRED_MS)],
    );
    if (version === -1) throw this.gone(api);
    if (version === -2) throw stagedLost(api, this.url);
    return String(version);
  }

  close(): Promise<void> {
    return this.shared.close();
  }
}

/** A publish whose parts expired before the switch (it took longer than STAGED_MS). */
export function stagedLost(api: string, url: string): AttuneError {
  return new AttuneError(
    'STORE_UNAVAILABLE',
    `${api}: writing the collaborative model to ${url} took longer than ${STAGED_MS} ms and its parts expired; nothing was published, try again`,
  );
}

/** A stored value of megabytes parsed in slices; not JSON: BAD_RECORD naming it. */
async function parseLargeStored(
  text: string,
  api: string,
  what: string,
  namespace: string,
  url: string,
): Promise<unknown> {
  try {
    return await parseInSlices(text, api);
  } catch (error) {
    throw badStored(api, what, namespace, url, `not JSON: ${(error as Error).message}`);
  }
}
