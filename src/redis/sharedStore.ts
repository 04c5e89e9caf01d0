/**
 * What the one-server store and the Cluster store do alike: the catalog,
 * the model and their errors live under shared keys, read and written the
 * same way whatever slot they hash to. Each store adds how it reads and
 * writes people (store.ts: one script; clusterStore.ts: a short protocol).
 */
import type { AttuneError } from '../errors.js';
import { badStored, namespaceGone, parseStored } from '../remote/store.js';
import { parseInSlices, stringifyInSlices } from '../remote/slices.js';
import type { Item } from '../types.js';
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
  model: string;
  modelVersion: string;
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
    return raw.map((s, i) => this.parse(s, api, `catalog entry ${from + i}`) as Item);
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

  async model(api: string): Promise<{ json: unknown; version: string }> {
    const k = this.sharedKeys;
    const [json, version] = await Promise.all([
      this.shared.commandAt<string | null>(api, k.model, ['GET', k.model]),
      this.shared.commandAt<string | null>(api, k.modelVersion, ['GET', k.modelVersion]),
    ]);
    return {
      json: json === null ? undefined : await this.parseLarge(json, api, 'the collaborative model'),
      version: version ?? '0',
    };
  }

  async publishModel(api: string, json: unknown): Promise<void> {
    const k = this.sharedKeys;
    const version = await this.shared.script<number>(
      api,
      PUBLISH_MODEL,
      [k.model, k.modelVersion, k.options],
      [json === undefined ? '' : await stringifyInSlices(json)],
    );
    if (version === -1) throw this.gone(api);
  }

  close(): Promise<void> {
    return this.shared.close();
  }
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
