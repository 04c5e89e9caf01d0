/**
 * The Lua scripts that read and write a namespace (see keys.ts). Each runs
 * atomically in Redis: a write either happens whole or not at all, which is
 * what "nothing half-written" rests on. Numbers cross as strings: JS writes
 * the shortest round-trip form, Lua writes `%.17g`, so no bit is lost.
 */
import type { Decay } from '../decay/decay.js';

/** Lua: whether a person's station list (JSON, or false when none) has the station `id` ('' asks for none). */
export const HAS_STATION = `local function hasStation(list, id)
  if id == '' then return true end
  if not list then return false end
  for _, s in ipairs(cjson.decode(list)) do if s == id then return true end end
  return false
end`;

/**
 * Reads what one call needs: the state and model versions, the catalog
 * length, the popularity sums changed since the caller's version (none for
 * -1: a caller that knows no version reads every row apart, a batch at a
 * time, see SharedStore.allPopularity), and each person's record, version and draws. With ARGV[2]
 * = '1' it also takes one draw for the first person (recommend) — when the
 * person has a record, has not opted out, and has the station ARGV[3] names
 * (if any): a request refused for an unknown station takes none — so two
 * processes serving the same person never share a draw. A namespace
 * without its options key (never created, or its data lost) replies
 * {'gone'} and reads nothing.
 * KEYS: version, model:version, items, pop, pop:changed, options, person...
 * ARGV: known version, draw flag, station id ('' for none), then per person
 * the version the caller holds a copy of ('' for none): for those still
 * current the record is not sent again (the reply holds '=' instead).
 */
export const READ = `
if redis.call('EXISTS', KEYS[6]) == 0 then return {'gone'} end
local version = tonumber(redis.call('GET', KEYS[1]) or '0')
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
${HAS_STATION}
local people = {}
local drew = 0
for i = 7, #KEYS do
  local h = redis.call('HMGET', KEYS[i], 'record', 'v', 'draws', 'optout', 'stations')
  local draws = h[3] or '0'
  if i == 7 and ARGV[2] == '1' and h[1] and h[4] ~= '1' and hasStation(h[5], ARGV[3]) then
    redis.call('HINCRBY', KEYS[i], 'draws', 1)
    drew = 1
  end
  if h[1] and h[2] == ARGV[i - 3] then people[#people + 1] = '=' else people[#people + 1] = h[1] or '' end
  people[#people + 1] = h[2] or '0'
  people[#people + 1] = draws
end
return {tostring(version), modelVersion, itemCount, changes, people, drew}
`;

/**
 * Writes the people of one call and their popularity deltas, if every
 * person is still at the version the call read (optimistic concurrency:
 * otherwise nothing is written and 0 is returned; the caller re-reads and
 * re-applies). Popularity deltas replay PopularityModel.add/remove on the
 * stored sums, so concurrent writers for different people never conflict.
 * Returns the new state version, or -1 when the namespace has no options
 * key (never created, or its data lost: nothing is written into it).
 * KEYS: version, pop, pop:changed, people, seq, options, person...
 * ARGV: n, then per person (id, expected v, mode set|new|del, record, optout, station ids as JSON),
 *       then op count, ops (kind a|r, item, pos, neg, t, newRecord). Sums age by `decay`'s
 *       rule, written into the script (Decay.lua), the same as PopularityModel's.
 */
export function writeScript(decay: Decay): string {
  return `
if redis.call('EXISTS', KEYS[6]) == 0 then return -1 end
local n = tonumber(ARGV[1])
for i = 1, n do
  local base = 1 + (i - 1) * 6
  local v = redis.call('HGET', KEYS[6 + i], 'v') or '0'
  if v ~= ARGV[base + 2] then return 0 end
end
local version = redis.call('INCR', KEYS[1])
for i = 1, n do
  local base = 1 + (i - 1) * 6
  local key, id, mode = KEYS[6 + i], ARGV[base + 1], ARGV[base + 3]
  if mode == 'del' or mode == 'new' then
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[4], id)
  end
  if mode == 'new' then redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), id) end
  if mode ~= 'del' then
    redis.call('HSET', key, 'record', ARGV[base + 4], 'v', version, 'optout', ARGV[base + 5], 'stations', ARGV[base + 6])
  end
end
local at = 2 + n * 6
${popularityDeltas(decay, 'KEYS[2]', 'KEYS[3]')}
return version
`;
}

/**
 * Lua that replays popularity deltas on the stored sums (as
 * PopularityModel.add/remove do, aged by `decay`) and marks each touched
 * item changed at `version`. Expects the locals `at` (the ARGV index of the
 * op count, the ops following as kind, item, pos, neg, t, newRecord) and
 * `version`; `pop` and `changed` are the Lua expressions of the two keys.
 */
export function popularityDeltas(decay: Decay, pop: string, changed: string): string {
  return `${decay.lua()}
local state, touched = {}, {}
local function load(item)
  local s = state[item]
  if s then return s end
  local raw = redis.call('HGET', ${pop}, item)
  if raw then
    local p, q, t, c = string.match(raw, '^(%S+) (%S+) (%S+) (%S+)$')
    s = {tonumber(p), tonumber(q), tonumber(t), tonumber(c)}
  else
    s = {0, 0, -math.huge, 0}
  end
  state[item] = s
  touched[#touched + 1] = item
  return s
end
local function bring(s, t)
  if t > s[3] then
    local f = decay(t - s[3])
    s[1] = s[1] * f
    s[2] = s[2] * f
    s[3] = t
    return 1
  end
  return decay(s[3] - t)
end
local ops = tonumber(ARGV[at])
for k = 0, ops - 1 do
  local o = at + 1 + k * 6
  local s = load(ARGV[o + 1])
  local pos, neg, t = tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4])
  if ARGV[o] == 'a' then
    local f = bring(s, t)
    s[1] = s[1] + pos * f
    s[2] = s[2] + neg * f
    if ARGV[o + 5] == '1' then s[4] = s[4] + 1 end
  elseif s[4] - 1 <= 0 then
    s[1], s[2], s[3], s[4] = 0, 0, -math.huge, 0
  else
    local f = bring(s, t)
    s[1] = math.max(0, s[1] - pos * f)
    s[2] = math.max(0, s[2] - neg * f)
    s[4] = s[4] - 1
  end
end
for _, item in ipairs(touched) do
  local s = state[item]
  if s[4] > 0 then
    redis.call('HSET', ${pop}, item, string.format('%.17g %.17g %.17g %d', s[1], s[2], s[3], s[4]))
  else
    redis.call('HDEL', ${pop}, item)
  end
  redis.call('ZADD', ${changed}, version, item)
end`;
}

/**
 * Lua helpers of the model's parts (keys.ts): `retire(head, prefix, ms)`
 * ends the model `head` points to — its parts expire in `ms`, so that a
 * reader still reading them can finish — and removes the pointer;
 * `staged(prefix, id, count)` says whether every part of a model being
 * published is still there; `keep(prefix, id, count)` makes them stay
 * (they were written to expire, so that a publish that died midway leaves
 * nothing behind for good).
 */
export const MODEL_PARTS = `local function retire(head, prefix, ms)
  local old = redis.call('GET', head)
  if old then
    local id, n = string.match(old, '^(%S+) (%d+)$')
    if id then
      for i = 0, tonumber(n) - 1 do redis.call('PEXPIRE', prefix .. id .. ':' .. i, ms) end
    end
    redis.call('DEL', head)
  end
end
local function staged(prefix, id, count)
  for i = 0, count - 1 do
    if redis.call('EXISTS', prefix .. id .. ':' .. i) == 0 then return false end
  end
  return true
end
local function keep(prefix, id, count)
  for i = 0, count - 1 do redis.call('PERSIST', prefix .. id .. ':' .. i) end
end`;

/**
 * Appends items to the catalog if it still has the length the caller
 * validated against (a concurrent addItems makes the caller re-validate);
 * -1 when the namespace is gone.
 * KEYS: items, options. ARGV: expected length, item JSON...
 */
export const APPEND_ITEMS = `
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return 1
`;

/**
 * Creates a namespace, or returns the options it already holds. With
 * people, popularity and a model it is a snapshot import, whole or nothing.
 * What it creates was written beforehand, a batch at a time, so that no
 * one command carries megabytes: the catalog, people and popularity as the
 * entries of a staging list (items, then per person id, record, draws,
 * optout, station ids as JSON, then per row item and sums), the model in
 * parts (see PUBLISH_MODEL). {-2} when the staging list does not hold what
 * the counts say, or a part is missing (they expired: nothing changed).
 * KEYS: options, items, people, seq, version, pop, pop:changed, model, model:version, person key prefix,
 *       model:head, part prefix, staging list
 * ARGV: options JSON, item count, people count, popularity count, model id ('' for none), its part count,
 *       ms retired parts stay
 */
export const INIT = `
${MODEL_PARTS}
local existing = redis.call('GET', KEYS[1])
if existing then
  redis.call('DEL', KEYS[13])
  return {0, existing}
end
local items, people, pops = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local modelId, modelParts = ARGV[5], tonumber(ARGV[6])
local rows = redis.call('LRANGE', KEYS[13], 0, -1)
if #rows ~= items + people * 5 + pops * 2 then return {-2} end
if modelId ~= '' and not staged(KEYS[12], modelId, modelParts) then return {-2} end
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do redis.call('DEL', KEYS[10] .. id) end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[6], KEYS[7], KEYS[8], KEYS[13])
retire(KEYS[11], KEYS[12], tonumber(ARGV[7]))
local version = redis.call('INCR', KEYS[5])
redis.call('SET', KEYS[1], ARGV[1])
for i = 1, items do redis.call('RPUSH', KEYS[2], rows[i]) end
local a = items
for i = 0, people - 1 do
  local o = a + 1 + i * 5
  redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), rows[o])
  redis.call('HSET', KEYS[10] .. rows[o], 'record', rows[o + 1], 'v', version, 'draws', rows[o + 2], 'optout', rows[o + 3],
    'stations', rows[o + 4])
end
a = a + people * 5
for i = 0, pops - 1 do
  local o = a + 1 + i * 2
  redis.call('HSET', KEYS[6], rows[o], rows[o + 1])
  redis.call('ZADD', KEYS[7], version, rows[o])
end
if modelId ~= '' then
  keep(KEYS[12], modelId, modelParts)
  redis.call('SET', KEYS[11], modelId .. ' ' .. modelParts)
  redis.call('INCR', KEYS[9])
end
return {1, ARGV[1]}
`;

/**
 * Replaces the popularity sums with ones recomputed by train(), if no write
 * happened since the evidence was read (else 0: the caller reads again;
 * -1: the namespace is gone).
 * KEYS: version, pop, pop:changed, options. ARGV: expected version, (item, sums)...
 */
export const REPLACE_POPULARITY = `
if redis.call('EXISTS', KEYS[4]) == 0 then return -1 end
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
local old = redis.call('HKEYS', KEYS[2])
redis.call('DEL', KEYS[2])
local version = redis.call('INCR', KEYS[1])
for _, item in ipairs(old) do redis.call('ZADD', KEYS[3], version, item) end
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[3], version, ARGV[i])
end
return 1
`;

/**
 * Publishes the collaborative model whose `count` parts were written under
 * `id` ('' removes the model): one step, so a reader finds the old model or
 * the new one, never a mix. The parts of the model replaced (or the older
 * single value) are retired, and the model's version raised. -1: the
 * namespace is gone (the new parts are deleted); -2: a part is missing (it
 * expired before the publish: nothing changed).
 * KEYS: options, model:head, model (older layout), model:version, part prefix.
 * ARGV: id ('' for none), count, ms the retired parts stay.
 */
export const PUBLISH_MODEL = `
${MODEL_PARTS}
local id, count = ARGV[1], tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then
  for i = 0, count - 1 do redis.call('DEL', KEYS[5] .. id .. ':' .. i) end
  return -1
end
if id ~= '' and not staged(KEYS[5], id, count) then return -2 end
retire(KEYS[2], KEYS[5], tonumber(ARGV[3]))
redis.call('DEL', KEYS[3])
if id ~= '' then
  keep(KEYS[5], id, count)
  redis.call('SET', KEYS[2], id .. ' ' .. count)
end
return redis.call('INCR', KEYS[4])
`;
