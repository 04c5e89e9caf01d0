/**
 * attune/redis — the recommender with its state in Redis, so that many
 * processes serve one state (see README, "Many processes, one state"). The
 * front is attune's store-backed front (`RecommenderApi` as promises); this
 * entry adds the Redis store under it, and alone needs the Redis client
 * (`@redis/client`).
 *
 * @module attune/redis
 */
import { AttuneError, describeValue } from './errors.js';
import { RemoteRecommender, type RemoteOptions } from './remote/front.js';
import { ClusterConnection } from './redis/clusterConnection.js';
import { ClusterStore } from './redis/clusterStore.js';
import { Connection } from './redis/connection.js';
import { checkNamespace } from './redis/keys.js';
import { RedisStore } from './redis/store.js';

export { RemoteRecommender } from './remote/front.js';
export type { Promised, RecommenderApi } from './api.js';
export { namespaceKeys } from './redis/keys.js';
export type { NamespaceKeys } from './redis/keys.js';
export { clusterKeys } from './redis/clusterKeys.js';
export type { ClusterKeys } from './redis/clusterKeys.js';

/** A recommender whose state lives in Redis (the store-backed front over the Redis store). */
export type RedisRecommender = RemoteRecommender;

/** Options of {@link connectRecommender}: where the state lives, and the recommender's own options. */
export interface ConnectOptions extends RemoteOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379` (`rediss://` for TLS, `redis://user:pass@host:port/db`). Give `url` or `cluster`. */
  url?: string;
  /**
   * A Redis Cluster instead of one server: the URLs of some of its nodes
   * (`redis://host:port`; credentials and TLS from the first). People
   * spread over the cluster's slots; the shared statistics live in their own
   * slot (README, "Redis Cluster").
   */
  cluster?: readonly string[];
  /** The name of this recommender's state in Redis: every key starts with `attune:{namespace}:`. */
  namespace: string;
  /** How long to wait for Redis when connecting. @default 2000 */
  connectTimeoutMs?: number;
}

/**
 * Connects to Redis and resolves to a recommender whose state lives there.
 * The first connection to a namespace creates it with the given options and
 * items (or a snapshot); later ones use what it holds, and add any given
 * items it does not know yet. Redis unreachable: `STORE_UNAVAILABLE`.
 */
export async function connectRecommender(options: ConnectOptions): Promise<RedisRecommender> {
  const api = 'connectRecommender';
  if (options === null || typeof options !== 'object')
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: options must be an object with url and namespace, got ${describeValue(options)}`,
    );
  const { url, cluster, connectTimeoutMs = 2000, ...rest } = options;
  const isUrl = (u: unknown) => typeof u === 'string' && /^rediss?:\/\//.test(u);
  if (cluster !== undefined) {
    if (url !== undefined)
      throw new AttuneError('INVALID_OPTIONS', `${api}: give url (one server) or cluster (its nodes), not both`);
    if (!Array.isArray(cluster) || cluster.length === 0 || !cluster.every(isUrl))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `${api}: cluster must be a non-empty array of redis:// or rediss:// URLs, got ${describeValue(cluster)}`,
      );
  } else if (!isUrl(url))
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: url must be a redis:// or rediss:// URL (or give cluster: [urls]), got ${describeValue(url)}`,
    );
  const namespace = checkNamespace(rest.namespace);
  if (typeof connectTimeoutMs !== 'number' || !(connectTimeoutMs > 0))
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: connectTimeoutMs must be a positive number, got ${describeValue(connectTimeoutMs)}`,
    );
  const store =
    cluster !== undefined
      ? new ClusterStore(await ClusterConnection.open(cluster, connectTimeoutMs), namespace)
      : new RedisStore(await Connection.open(url!, connectTimeoutMs), namespace);
  return RemoteRecommender.open(store, { ...rest, namespace }, api);
}
