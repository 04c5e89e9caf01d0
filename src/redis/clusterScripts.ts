/**
 * The Lua scripts of the Cluster store (clusterStore.ts). A script may only
 * touch keys of one slot, so each runs either on the shared keys (the slot
 * of `{<namespace>}`) or on one person's keys (the slot of `{<id>}`), never
 * both; the store chains them (see ClusterStore.write for the protocol).
 */
import type { Decay } from '../decay/decay.js';
import { HAS_STATION, MODEL_PARTS, popularityDeltas, REPLACE_POPULARITY } from './scripts.js';

/**
 * Lua: `settle(versionKey, pendingKey)` drops writes given up on (past their
 * deadline, in Redis's own clock) and returns the state version, the
 * version a reader may safely say it has seen (one below the oldest write
 * still under way: that write marks its popularity changes with its own
 * version when it finishes), and how many writes are under way.
 */
const SETTLE = `local function settle(versionKey, pendingKey)
  local t = redis.call('TIME')
  redis.call('ZREMRANGEBYSCORE', pendingKey, '-inf', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  local version = tonumber(redis.call('GET', versionKey) or '0')
  local safe = version
  local open = redis.call('ZRANGE', pendingKey, 0, -1)
  for _, n in ipairs(open) do
    if tonumber(n) - 1 < safe then safe = tonumber(n) - 1 end
  end
  return version, safe, #open
end`;

/**
 * The shared half of a read: the safe state version, the model version, the
 * catalog length and the popularity rows changed since the caller's version
 * (none for -1: see READ).
 * {'gone'} when the namespace has no options (never created, or its data lost).
 * KEYS: version, model:version, items, pop, pop:changed, pending, options. ARGV: known version.
 */
export const SHARED_READ = `
if redis.call('EXISTS', KEYS[7]) == 0 then return {'gone'} end
${SETTLE}
local version, safe = settle(KEYS[1], KEYS[6])
local modelVersion = redis.call('GET', KEYS[2]) or '0'
local itemCount = redis.call('LLEN', KEYS[3])
local known = tonumber(ARGV[1])
local changes = {}
if known >= 0 and known < version then
  for _, item in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], '(' .. ARGV[1], '+inf')) do
    changes[#changes + 1] = item
    changes[#changes + 1] = redis.call('HGET', KEYS[4], item) or ''
  end
end
return {tostring(safe), modelVersion, itemCount, changes}
`;

/**
 * One person's half of a read: record ('=' when still at the version the
 * caller holds), version, draws, and whether a draw was taken (as READ).
 * KEYS: person. ARGV: draw flag, station id ('' for none), held version ('' for none).
 */
export const PERSON_READ = `
${HAS_STATION}
local h = redis.call('HMGET', KEYS[1], 'record', 'v', 'draws', 'optout', 'stations')
local drew = 0
if ARGV[1] == '1' and h[1] and h[4] ~= '1' and hasStation(h[5], ARGV[2]) then
  redis.call('HINCRBY', KEYS[1], 'draws', 1)
  drew = 1
end
local record = h[1] or ''
if h[1] and h[2] == ARGV[3] then record = '=' end
return {record, h[2] or '0', h[3] or '0', drew}
`;

/**
 * Begins a write: takes the next state version as the write's own, marks
 * it under way until a deadline, and a place in the people order for each
 * person stored anew (the order takes it when the write finishes).
 * -1 when the namespace is gone (nothing written).
 * KEYS: version, pending, seq, options. ARGV: deadline in ms from now, how many people are stored anew.
 */
export const RESERVE = `
if redis.call('EXISTS', KEYS[4]) == 0 then return {-1} end
local n = redis.call('INCR', KEYS[1])
local t = redis.call('TIME')
redis.call('ZADD', KEYS[2], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1]), n)
local out = {n}
for i = 1, tonumber(ARGV[2]) do out[#out + 1] = redis.call('INCR', KEYS[3]) end
return out
`;

/**
 * First phase of a write of several people: locks one person if they are
 * still at the version the call read and nobody else holds them.
 * KEYS: person, lock. ARGV: expected version, token, lock lifetime in ms.
 */
export const PREPARE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** Lets go of a lock this write holds. KEYS: lock. ARGV: token. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/**
 * Writes one person if they are at the version the call read — and, with a
 * token, only while this write holds their lock; without one, only while
 * nobody does. Returns {1, the place the record had} or {0}.
 * KEYS: person, lock. ARGV: expected version, mode set|new|del, record, optout, station ids as JSON,
 *       the write's version, the place of a new record, token ('' for none).
 */
export const COMMIT = `
local lock = redis.call('GET', KEYS[2])
if ARGV[8] == '' then
  if lock then return {0} end
elseif lock ~= ARGV[8] then return {0} end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return {0} end
local place = redis.call('HGET', KEYS[1], 'seq') or ''
local mode = ARGV[2]
if mode == 'del' or mode == 'new' then redis.call('DEL', KEYS[1]) end
if mode ~= 'del' then
  redis.call('HSET', KEYS[1], 'record', ARGV[3], 'v', ARGV[6], 'optout', ARGV[4], 'stations', ARGV[5])
  if mode == 'new' then redis.call('HSET', KEYS[1], 'seq', ARGV[7]) end
end
if ARGV[8] ~= '' then redis.call('DEL', KEYS[2]) end
return {1, place}
`;

/**
 * Finishes a write on the shared keys: ends it (its popularity changes are
 * marked with its own version if it is still under way, else with a new
 * one), puts the people it stored anew at their places in the order (a
 * later record of the same person always has a later place: ZADD GT), takes
 * the ones it deleted out (unless a later record took a later place), and
 * replays the popularity deltas. Returns the version the changes are marked with.
 * -1 for a write of popularity alone into a namespace that is gone.
 * KEYS: version, pop, pop:changed, pending, people, options.
 * ARGV: the write's version ('' for a write of popularity alone), placed count, (id, place)...,
 *       deleted count, (id, place)..., op count, ops (as the write script).
 */
export function finishScript(decay: Decay): string {
  return `
if ARGV[1] == '' and redis.call('EXISTS', KEYS[6]) == 0 then return -1 end
local version
if ARGV[1] ~= '' and redis.call('ZREM', KEYS[4], ARGV[1]) == 1 then version = tonumber(ARGV[1])
else version = redis.call('INCR', KEYS[1]) end
local a = 2
local placed = tonumber(ARGV[a])
for i = 0, placed - 1 do redis.call('ZADD', KEYS[5], 'GT', ARGV[a + 2 + i * 2], ARGV[a + 1 + i * 2]) end
a = a + 1 + placed * 2
local deleted = tonumber(ARGV[a])
for i = 0, deleted - 1 do
  local id, place = ARGV[a + 1 + i * 2], ARGV[a + 2 + i * 2]
  local score = redis.call('ZSCORE', KEYS[5], id)
  if score and tonumber(score) <= tonumber(place) then redis.call('ZREM', KEYS[5], id) end
end
local at = a + 1 + deleted * 2
${popularityDeltas(decay, 'KEYS[2]', 'KEYS[3]')}
return version
`;
}

/**
 * Replaces the popularity sums (as REPLACE_POPULARITY) only when no write is under way either.
 * KEYS: version, pop, pop:changed, options, pending. ARGV: as REPLACE_POPULARITY.
 */
export const CLUSTER_REPLACE_POPULARITY = `
if redis.call('EXISTS', KEYS[4]) == 0 then return -1 end
${SETTLE}
local _, _, open = settle(KEYS[1], KEYS[5])
if open > 0 then return 0 end
${REPLACE_POPULARITY}`;

/**
 * The shared half of reading everything, when no write is under way ({0} otherwise):
 * {1, version, options, items, people and their places, popularity} (the model is read apart, in parts).
 * KEYS: version, pending, options, items, people, pop.
 */
export const READ_SHARED_ALL = `
${SETTLE}
local version, _, open = settle(KEYS[1], KEYS[2])
if open > 0 then return {0} end
return {1, tostring(version), redis.call('GET', KEYS[3]) or '', redis.call('LRANGE', KEYS[4], 0, -1),
  redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[6])}
`;

/** Takes people out of the order when still at the place given (their records are gone). KEYS: people. ARGV: (id, place)... */
export const DROP_PLACES = `
for i = 1, #ARGV, 2 do
  if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i])) == tonumber(ARGV[i + 1]) then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 1
`;

/**
 * Claims the creation of a namespace: {0, options} when it exists, {2}
 * while another process creates it, else {1, version, ids of people a
 * creation that never finished left behind} after clearing the shared keys.
 * KEYS: options, creating, people, version, items, pop, pop:changed, model, seq, pending, model:head, part prefix.
 * ARGV: token, claim lifetime in ms, ms retired model parts stay.
 */
export const CLAIM = `
${MODEL_PARTS}
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
local stale = redis.call('ZRANGE', KEYS[3], 0, -1)
redis.call('DEL', KEYS[3], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
retire(KEYS[11], KEYS[12], tonumber(ARGV[3]))
return {1, tostring(redis.call('INCR', KEYS[4])), stale}
`;

/** Stores one person of a namespace being created. KEYS: person. ARGV: record, version, draws, optout, station ids, place. */
export const PUT_PERSON = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'v', ARGV[2], 'draws', ARGV[3], 'optout', ARGV[4], 'stations', ARGV[5], 'seq', ARGV[6])
return 1
`;

/**
 * Ends a creation this process claimed (0 if the claim was lost; -2 if
 * a part of the model, written beforehand, is missing): the catalog, the
 * people order, popularity, the model, and last the options, whose
 * presence means the namespace exists.
 * KEYS: creating, options, items, people, seq, pop, pop:changed, model, model:version, model:head, part prefix.
 * ARGV: token, options JSON, version, item count, items..., people count, ids...,
 *       popularity count, (item, sums)..., model id ('' for none), its part count.
 */
export const FINISH_CREATE = `
${MODEL_PARTS}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local modelId, modelParts = ARGV[#ARGV - 1], tonumber(ARGV[#ARGV])
if modelId ~= '' and not staged(KEYS[11], modelId, modelParts) then return -2 end
local a = 4
local items = tonumber(ARGV[a])
for i = 1, items do redis.call('RPUSH', KEYS[3], ARGV[a + i]) end
a = a + items + 1
local people = tonumber(ARGV[a])
for i = 1, people do redis.call('ZADD', KEYS[4], i, ARGV[a + i]) end
redis.call('SET', KEYS[5], people)
a = a + people + 1
local pops = tonumber(ARGV[a])
for i = 0, pops - 1 do
  redis.call('HSET', KEYS[6], ARGV[a + 1 + i * 2], ARGV[a + 2 + i * 2])
  redis.call('ZADD', KEYS[7], ARGV[3], ARGV[a + 1 + i * 2])
end
if modelId ~= '' then
  keep(KEYS[11], modelId, modelParts)
  redis.call('SET', KEYS[10], modelId .. ' ' .. modelParts)
  redis.call('INCR', KEYS[9])
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
`;
