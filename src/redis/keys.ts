/**
 * Where attune keeps a namespace in Redis. Every key starts with
 * `attune:{<namespace>}:`; the braces are a Redis Cluster hash tag, so a
 * whole namespace — and so each person's keys — lives in one hash slot, and
 * the scripts that update a person together with the shared popularity run
 * atomically on Cluster as on a single server.
 *
 * | key | type | holds |
 * | --- | --- | --- |
 * | `attune:{ns}:options` | string | the options as JSON (`optionsToJSON`); its presence means the namespace exists |
 * | `attune:{ns}:items` | list | the catalog, one item JSON per entry, in catalog order (append-only) |
 * | `attune:{ns}:people` | sorted set | person id → when first stored (keeps the in-memory store order) |
 * | `attune:{ns}:person:<id>` | hash | `record` (the person's JSON, `personToJSON`), `v` (the state version that wrote it), `draws`, `optout` |
 * | `attune:{ns}:pop` | hash | item index → `positive negative t records` (the shared popularity sums) |
 * | `attune:{ns}:pop:changed` | sorted set | item index → state version of its last change (lets a process refresh only what changed) |
 * | `attune:{ns}:version` | string | the state version, raised by every write |
 * | `attune:{ns}:model:head` | string | `<id> <count>`: the model in use is stored in `count` parts under `id` (absent: none, or the older single value below) |
 * | `attune:{ns}:model:part:<id>:<i>` | string | part `i` of the collaborative item factors' JSON text (a few hundred kB); the parts of a model being published, or replaced, expire |
 * | `attune:{ns}:model` | string | the older layout: the whole model's JSON as one value (still read; a publish replaces it with parts) |
 * | `attune:{ns}:model:version` | string | raised by each `train()` that publishes a model |
 * | `attune:{ns}:seq` | string | counter behind the order of `people` |
 * | `attune:{ns}:staging:<token>` | list | what a connect with items or a snapshot creates, written before the script that creates the namespace from it (expires) |
 */
import { AttuneError, describeValue } from '../errors.js';

export interface NamespaceKeys {
  options: string;
  items: string;
  people: string;
  pop: string;
  popChanged: string;
  version: string;
  model: string;
  modelHead: string;
  /** The prefix of the model's part keys: part `i` of model `id` is `${modelPart}${id}:${i}`. */
  modelPart: string;
  modelVersion: string;
  seq: string;
  person(id: string): string;
  /** A list of what a creation writes, staged before the one script that creates the namespace (expires). */
  staging(token: string): string;
}

/** Checks a namespace: a non-empty string without braces (they would break the hash tag). */
export function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || namespace === '' || /[{}]/.test(namespace)) {
    throw new AttuneError(
      'INVALID_OPTIONS',
      `connectRecommender: namespace must be a non-empty string without { or }, got ${describeValue(namespace)}`,
    );
  }
  return namespace;
}

export function namespaceKeys(namespace: string): NamespaceKeys {
  const base = `attune:{${namespace}}:`;
  return {
    options: `${base}options`,
    items: `${base}items`,
    people: `${base}people`,
    pop: `${base}pop`,
    popChanged: `${base}pop:changed`,
    version: `${base}version`,
    model: `${base}model`,
    modelHead: `${base}model:head`,
    modelPart: `${base}model:part:`,
    modelVersion: `${base}model:version`,
    seq: `${base}seq`,
    person: (id: string) => `${base}person:${id}`,
    staging: (token: string) => `${base}staging:${token}`,
  };
}
