/**
 * attune/redis — the recommender with its state in Redis, so that many
 * processes serve one state (see README, "Many processes, one state"). The
 * front is attune's store-backed front (`RecommenderApi` as promises); this
 * entry adds the Redis store under it, and alone needs the Redis client
 * (`@redis/client`). Like the Node entry, it trains on worker threads:
 * `train()` fits off the serving thread even in an app that imports only
 * `attune/redis` (before, it then fell back to time slices on the serving
 * thread, each sweep's tasks holding it up to a few hundred ms under load).
 *
 * @module attune/redis
 */
import { registerFitExecutorFactory } from './models/mf/training/runners.js';
import { workerThreadsExecutorFactory } from './models/mf/workers/workerThreadsExecutor.js';
import { AttuneError, describeValue } from './errors.js';
import { RemoteRecommender, type RemoteOptions } from './remote/front.js';
import { ClusterConnection } from './redis/clusterConnection.js';
import { ClusterStore } from './redis/clusterStore.js';
import { Connection, safeUrl } from './redis/connection.js';
import { checkNamespace } from './redis/keys.js';
import { RedisStore } from './redis/store.js';

registerFitExecutorFactory(workerThreadsExecutorFactory);

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
  /** How long to wait for Redis when connecting, in ms (then `STORE_UNAVAILABLE`). @default 2000 */
  connectTimeoutMs?: number;
  /**
   * How long one call waits for each reply of Redis, in ms: a server that
   * stopped answering (paused, overloaded, a network that drops packets)
   * gives `STORE_UNAVAILABLE` after this long instead of a call that never
   * settles. A write that timed out may still take effect if Redis answers
   * later. @default 5000
   */
  commandTimeoutMs?: number;
}

/** The longest timeout a timer can hold (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Whether `url` parses as a URL (a port above 65535 or an unclosed [ does not). */
function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * Connects to Redis and resolves to a recommender whose state lives there.
 * The first connection to a namespace creates it with the given options and
 * items (or a snapshot); later ones use what it holds, and add any given
 * items it does not know yet. Redis unreachable, or silent for longer than
 * `connectTimeoutMs` / `commandTimeoutMs`: `STORE_UNAVAILABLE`.
 */
export async function connectRecommender(options: ConnectOptions): Promise<RedisRecommender> {
  const api = 'connectRecommender';
  if (options === null || typeof options !== 'object')
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: options must be an object with url and namespace, got ${describeValue(options)}`,
    );
  const { url, cluster, connectTimeoutMs = 2000, commandTimeoutMs = 5000, ...rest } = options;
  const isUrl = (u: unknown): u is string => typeof u === 'string' && /^rediss?:\/\//.test(u) && parses(u);
  const shown = (u: unknown) => describeValue(typeof u === 'string' ? safeUrl(u) : u);
  if (cluster !== undefined) {
    if (url !== undefined)
      throw new AttuneError('INVALID_OPTIONS', `${api}: give url (one server) or cluster (its nodes), not both`);
    if (!Array.isArray(cluster) || cluster.length === 0 || !cluster.every(isUrl))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `${api}: cluster must be a non-empty array of redis:// or rediss:// URLs with a valid host and port, got ${Array.isArray(cluster) ? `[${cluster.map(shown).join(', ')}]` : shown(cluster)}`,
      );
  } else if (!isUrl(url))
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: url must be a redis:// or rediss:// URL with a valid host and port (or give cluster: [urls]), got ${shown(url)}`,
    );
  const namespace = checkNamespace(rest.namespace);
  for (const [name, ms] of [
    ['connectTimeoutMs', connectTimeoutMs],
    ['commandTimeoutMs', commandTimeoutMs],
  ] as const)
    if (typeof ms !== 'number' || !(ms > 0 && ms <= MAX_TIMEOUT_MS))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `${api}: ${name} must be a number of ms above 0 and at most ${MAX_TIMEOUT_MS}, got ${describeValue(ms)}`,
      );
  const timeouts = { connectTimeoutMs, commandTimeoutMs };
  const store =
    cluster !== undefined
      ? new ClusterStore(await ClusterConnection.open(cluster, timeouts), namespace)
      : new RedisStore(await Connection.open(url!, timeouts), namespace);
  return RemoteRecommender.open(store, { ...rest, namespace }, api);
}
