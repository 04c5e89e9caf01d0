/**
 * Where attune keeps a namespace in a Redis Cluster. The shared state —
 * options, catalog, people order, popularity, versions, model — keeps the
 * keys of keys.ts, all under the hash tag `{<namespace>}` (one slot). Each
 * person gets their own hash tag, so people spread over every slot:
 *
 * | key | type | holds |
 * | --- | --- | --- |
 * | `attune:<ns>:person:{<id>}` | hash | `record`, `v`, `draws`, `optout`, `stations` as on one server, and `seq` (their place in `people`) |
 * | `attune:<ns>:person:{<id>}:lock` | string | held by a write of several people between its two phases (expires) |
 * | `attune:{<ns>}:pending` | sorted set | versions of writes begun and not finished → when they are given up |
 * | `attune:{<ns>}:creating` | string | held while a namespace is being created (expires) |
 *
 * A namespace has no braces (checkNamespace), so the first `{` of a person
 * key opens the person's tag and no two namespaces share a key.
 *
 * The model's parts (`attune:{<ns>}:model:part:<id>:<i>`) stay in the
 * shared slot with their pointer: the script that publishes a model checks
 * every new part and switches the pointer in one step, which a script can
 * only do within one slot. Spreading the parts would let a read fetch them
 * from several masters at once, but a model is read once per process per
 * train(), in batches that already leave the event loop free.
 */
import { namespaceKeys, type NamespaceKeys } from './keys.js';

export interface ClusterKeys extends NamespaceKeys {
  pending: string;
  creating: string;
  lock(id: string): string;
}

export function clusterKeys(namespace: string): ClusterKeys {
  const shared = namespaceKeys(namespace);
  const person = (id: string) => `attune:${namespace}:person:{${id}}`;
  return {
    ...shared,
    pending: `attune:{${namespace}}:pending`,
    creating: `attune:{${namespace}}:creating`,
    person,
    lock: (id: string) => `${person(id)}:lock`,
  };
}
