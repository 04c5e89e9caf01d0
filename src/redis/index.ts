/**
 * attune/redis — the recommender with its state in Redis, so that many
 * processes serve one state (see README, "Many processes, one state").
 * This entry point alone needs the Redis client (`@redis/client`).
 *
 * @module attune/redis
 */
export { connectRecommender, RedisRecommender } from './recommender.js';
export type { ConnectOptions } from './recommender.js';
export { namespaceKeys } from './keys.js';
export type { NamespaceKeys } from './keys.js';
