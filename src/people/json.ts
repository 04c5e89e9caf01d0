/**
 * The JSON form of a person's record, used by snapshots and by stores that
 * keep records outside the process. Numbers that JSON cannot hold (NaN,
 * ±Infinity for "never") are written as null. Reading validates every value
 * against the catalog and throws `BAD_SNAPSHOT` naming what is wrong.
 */
import type { Catalog } from '../catalog/catalog.js';
import { MAX_DURATION_DAYS, MAX_TIME_MS, MAX_WEIGHT, MIN_TIME_MS } from '../constants.js';
import { LEARNING_SIGNALS, SIGNALS } from '../feedback/signals.js';
import { DAY_MS, type Decay } from '../decay/decay.js';
import { AttuneError, describeValue } from '../errors.js';
import { watchFromJSON, watchToJSON, type LifeStageWatchJson } from '../decay/lifeStages.js';
import { Taste, type TagStatColumns, type TasteJson } from '../models/content/taste.js';
import { EvidenceTable, type EvidenceColumns } from './evidenceTable.js';
import { clockOf } from './learning.js';
import { newPerson, type PersonState } from './person.js';
import { newStation, type SeedRef, type StationState } from './stations.js';

/** The most one event can add to a record's sum: the largest weight times the strongest signal. */
const MAX_EVENT_IMPORTANCE = MAX_WEIGHT * Math.max(...Object.values(SIGNALS).map((s) => s.strength));

export interface PersonJson {
  id: string;
  optOut: boolean;
  consent: string[];
  mutedTags: string[];
  draws: number;
  events: number;
  changes: { at: number; cause: 'detected' | 'requested'; kept: number }[];
  watch: LifeStageWatchJson | null;
  /** One record per item, column by column. */
  evidence: EvidenceColumns;
  banned: [number, number][];
  rests: [number, number][];
  purchases: [number, number][];
  taste: TasteJson | null;
  /** The person's stations in creation order (absent when they have none). */
  stations?: StationJson[];
}

/** The JSON form of one station: its seeds by item or tag index, its records (column by column), bans and taste. */
export interface StationJson {
  id: string;
  name: string;
  created: number;
  seeds: ({ item: number } | { tag: number })[];
  events: number;
  evidence: EvidenceColumns;
  banned: [number, number][];
  taste: TasteJson;
}

function stationToJSON(s: StationState): StationJson {
  return {
    id: s.id,
    name: s.name,
    created: s.created,
    seeds: s.seeds.map((seed) => ({ ...seed })),
    events: s.events,
    evidence: s.evidence.toColumns(),
    banned: [...s.banned],
    taste: s.taste.toJSON(),
  };
}

export function personToJSON(p: PersonState): PersonJson {
  const evidence = p.evidence.toColumns();
  const taste = p.taste.toJSON();
  return {
    id: p.id,
    optOut: p.optOut,
    consent: [...p.consent].sort(),
    mutedTags: [...p.mutedTags].sort(),
    draws: p.draws,
    events: p.events,
    changes: p.changes.map((c) => ({ ...c })),
    watch: p.optOut ? null : watchToJSON(p.watch),
    evidence,
    banned: [...p.banned],
    rests: [...p.rests],
    purchases: [...p.purchases],
    taste: p.optOut ? null : taste,
    ...(p.stations.size > 0 ? { stations: [...p.stations.values()].map(stationToJSON) } : {}),
  };
}

class Reader {
  constructor(readonly where: string) {}

  fail(what: string): never {
    throw new AttuneError('BAD_SNAPSHOT', `${this.where}: ${what}`);
  }

  finite(v: unknown, what: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.fail(`${what} must be a finite number, got ${describeValue(v)}`);
    return v;
  }

  nonNegative(v: unknown, what: string): number {
    const x = this.finite(v, what);
    if (x < 0) this.fail(`${what} must not be negative, got ${x}`);
    return x;
  }

  whole(v: unknown, what: string, below = Infinity): number {
    const x = this.nonNegative(v, what);
    if (!Number.isInteger(x) || x >= below) this.fail(`${what} must be a whole number below ${below}, got ${x}`);
    return x;
  }

  strings(v: unknown, what: string): string[] {
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === ''))
      this.fail(`${what} must be an array of non-empty strings`);
    return v as string[];
  }

  array(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${what} must be an array`);
    return v;
  }

  itemTimes(v: unknown, what: string, items: number): Map<number, number> {
    const out = new Map<number, number>();
    this.array(v, what).forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) this.fail(`${what}[${i}] must be [item, time]`);
      const time = this.finite(pair[1], `${what}[${i}] time`);
      if (!isStoredTime(time))
        this.fail(`${what}[${i}] time must be a time attune accepts (ms since epoch), got ${time}`);
      out.set(this.whole(pair[0], `${what}[${i}] item`, items), time);
    });
    return out;
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isSum = (v: unknown): v is number => isNum(v) && v >= 0;
/** A time a record may hold: an accepted event time, or one a rest or hold-back reaches from it. */
const isStoredTime = (v: unknown): v is number =>
  isNum(v) && v >= MIN_TIME_MS && v <= MAX_TIME_MS + MAX_DURATION_DAYS * DAY_MS;
const isWhole = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

const COLUMNS = [
  'item',
  't',
  'wt',
  ...LEARNING_SIGNALS,
  'count',
  'first',
  'last',
  'thumb',
  'thumbAt',
  'implicitSince',
  'flags',
] as const;

/**
 * How a record's times are read: `personTime` checks a time on the person's
 * own clock; `legacy` (a record written before version 3, without the wall
 * time column `wt`) has wall times only, and its wall time is its own `t`.
 */
interface Times {
  personTime: (v: number) => boolean;
  legacy: boolean;
}

/** Where the earliest person time may be: a late event is placed its wall-clock distance before the latest. */
const EARLIEST_PERSON_TIME = MIN_TIME_MS - (MAX_TIME_MS + MAX_DURATION_DAYS * DAY_MS - MIN_TIME_MS);

/** The times of a person's records, by whether their evidence has the version 3 column `wt`. */
function timesOf(raw: Record<string, unknown>): Times {
  const evidence = raw['evidence'] as Record<string, unknown> | null | undefined;
  const legacy = evidence !== null && typeof evidence === 'object' && !('wt' in evidence);
  return legacy
    ? { personTime: isStoredTime, legacy }
    : { personTime: (v) => isNum(v) && v >= EARLIEST_PERSON_TIME && v <= MAX_TIME_MS, legacy };
}

/** Checks every column of a person's evidence; the message names the first bad value. */
function readEvidence(r: Reader, raw: unknown, items: number, times: Times): EvidenceTable {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) r.fail('evidence must be an object of columns');
  const o = { ...(raw as Record<string, unknown>) };
  if (times.legacy && o['wt'] === undefined) o['wt'] = o['t'];
  const n = Array.isArray(o['item']) ? o['item'].length : -1;
  for (const name of COLUMNS)
    if (!Array.isArray(o[name]) || (o[name] as unknown[]).length !== n)
      r.fail(`evidence.${name} must be an array as long as evidence.item`);
  const c = o as unknown as EvidenceColumns;
  const check = (ok: (v: number, row: number) => boolean, name: (typeof COLUMNS)[number], what: string) => {
    const column = c[name] as unknown[];
    for (let row = 0; row < n; row++)
      if (!ok(column[row] as number, row))
        r.fail(`evidence.${name}[${row}] must be ${what}, got ${describeValue(column[row])}`);
  };
  const seen = new Uint8Array(items);
  check(
    (v) => isWhole(v) && v < items && seen[v] === 0 && (seen[v] = 1) === 1,
    'item',
    `a distinct item index below ${items}`,
  );
  check(isStoredTime, 'first', 'a time attune accepts (ms since epoch)');
  check(isStoredTime, 'last', 'a time attune accepts (ms since epoch)');
  // Columns that hold a time only where the row says so, and 0 elsewhere.
  const flags = c.flags as unknown[];
  const thumbs = c.thumb as unknown[];
  check(
    (v, row) => ((flags[row] as number) & 2 ? times.personTime(v) : v === 0),
    't',
    'a time on the person’s clock, at most its latest (0 before any learning signal)',
  );
  const own = c.t as unknown as number[];
  // A person's own time runs at most as fast as the wall clock, from their first event on.
  check(
    (v, row) => ((flags[row] as number) & 2 ? isStoredTime(v) && (own[row] as number) <= v : v === 0),
    'wt',
    'a time attune accepts, not before the row’s t (0 before any learning signal)',
  );
  check(
    (v, row) => ((flags[row] as number) & 4 ? isStoredTime(v) : v === 0),
    'implicitSince',
    'a time attune accepts (0 without implicit signals)',
  );
  check(
    (v, row) => (thumbs[row] !== 0 ? isStoredTime(v) : v === 0),
    'thumbAt',
    'a time attune accepts (0 without a thumb)',
  );
  check((v) => isWhole(v) && v >= 1, 'count', 'a whole number of at least 1');
  // Each event adds at most its weight × its signal's strength, decayed: a sum cannot pass count × that.
  const counts = c.count as unknown as number[];
  const possible = (v: number, row: number) => isSum(v) && v <= (counts[row] as number) * MAX_EVENT_IMPORTANCE;
  const bound = `a non-negative sum of at most count × ${MAX_EVENT_IMPORTANCE} (an event adds at most its weight × strength)`;
  for (const name of LEARNING_SIGNALS) check(possible, name, bound);
  check((v) => v === -1 || v === 0 || v === 1, 'thumb', '-1, 0 or 1');
  check((v) => isWhole(v) && v < 8, 'flags', 'a whole number from 0 to 7');
  if (!Array.isArray(o['ctx'])) r.fail('evidence.ctx must be an array of [row, contexts]');
  const ctx = (o['ctx'] as unknown[]).map((entry, k): [number, Record<string, [number, number]>] => {
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      !isWhole(entry[0]) ||
      entry[0] >= n ||
      entry[1] === null ||
      typeof entry[1] !== 'object' ||
      Array.isArray(entry[1])
    ) {
      r.fail(`evidence.ctx[${k}] must be [row, { feature: [positive, negative] }]`);
    }
    const sums: Record<string, [number, number]> = {};
    for (const [feature, pair] of Object.entries(entry[1] as Record<string, unknown>)) {
      const most = (counts[entry[0] as number] as number) * MAX_EVENT_IMPORTANCE;
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        !isSum(pair[0]) ||
        !isSum(pair[1]) ||
        pair[0] > most ||
        pair[1] > most
      ) {
        r.fail(
          `evidence.ctx[${k}] context ${describeValue(feature)} must be [positive, negative], two non-negative numbers of at most the row's count × ${MAX_EVENT_IMPORTANCE}`,
        );
      }
      Object.defineProperty(sums, feature, {
        value: [pair[0], pair[1]],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return [entry[0], sums];
  });
  return EvidenceTable.fromColumns({ ...c, ctx });
}

function readTaste(r: Reader, raw: unknown, catalog: Catalog, decay: Decay, times: Times): Taste {
  if (raw === null || typeof raw !== 'object') r.fail('taste must be an object');
  const o = raw as Record<string, unknown>;
  const total = o['total'];
  if (
    !Array.isArray(total) ||
    total.length !== 4 ||
    !isSum(total[0]) ||
    !isSum(total[1]) ||
    !(times.personTime(total[2] as number) || total[2] === 0) ||
    !isWhole(total[3])
  ) {
    r.fail('taste.total must be [positive, negative, time, records]');
  }
  const columns = (v: unknown, what: string): TagStatColumns => {
    const c = v as Record<string, unknown> | null;
    const n = c !== null && typeof c === 'object' && Array.isArray(c['tag']) ? c['tag'].length : -1;
    for (const name of ['tag', 'pos', 'neg', 't', 'n'])
      if (!Array.isArray(c?.[name]) || (c[name] as unknown[]).length !== n)
        r.fail(`${what}.${name} must be an array as long as ${what}.tag`);
    const cols = c as unknown as TagStatColumns;
    for (let k = 0; k < n; k++) {
      const ok =
        isWhole(cols.tag[k]) &&
        cols.tag[k]! < catalog.tagCount &&
        isSum(cols.pos[k]) &&
        isSum(cols.neg[k]) &&
        times.personTime(cols.t[k]!) &&
        isWhole(cols.n[k]) &&
        cols.n[k]! >= 1;
      if (!ok) r.fail(`${what} entry ${k} must be a known tag with non-negative sums, a time and at least one record`);
    }
    return cols;
  };
  if (!Array.isArray(o['crosses'])) r.fail('taste.crosses must be an array');
  const json: TasteJson = {
    total: total as TasteJson['total'],
    tags: columns(o['tags'], 'taste.tags'),
    crosses: (o['crosses'] as unknown[]).map((c, i) => {
      if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string')
        r.fail(`taste.crosses[${i}] must be [feature, columns]`);
      return [c[0], columns(c[1], `taste.crosses[${i}]`)];
    }),
  };
  return Taste.fromJSON(json, decay);
}

/** Reads and validates one person's record against the catalog. */
export function personFromJSON(raw: unknown, catalog: Catalog, decay: Decay, where: string): PersonState {
  const r: Reader = new Reader(where);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) r.fail('a person must be an object');
  const o = raw as Record<string, unknown>;
  const id = o['id'];
  if (typeof id !== 'string' || id === '') r.fail('id must be a non-empty string');
  const p = newPerson(id, decay);
  const reader: Reader = new Reader(`${where} (person ${describeValue(p.id)})`);
  const optOut = o['optOut'];
  if (typeof optOut !== 'boolean') reader.fail('optOut must be a boolean');
  p.optOut = optOut;
  p.consent = new Set(reader.strings(o['consent'], 'consent'));
  p.mutedTags = new Set(reader.strings(o['mutedTags'], 'mutedTags'));
  p.draws = reader.whole(o['draws'], 'draws');
  p.events = reader.whole(o['events'], 'events');
  p.changes = reader.array(o['changes'], 'changes').map((c, i) => {
    if (c === null || typeof c !== 'object') reader.fail(`changes[${i}] must be an object`);
    const x = c as Record<string, unknown>;
    const cause = x['cause'];
    if (cause !== 'detected' && cause !== 'requested')
      reader.fail(`changes[${i}].cause must be "detected" or "requested"`);
    const kept = reader.nonNegative(x['kept'], `changes[${i}].kept`);
    if (kept > 1) reader.fail(`changes[${i}].kept must be at most 1`);
    const at = reader.finite(x['at'], `changes[${i}].at`);
    if (!isStoredTime(at)) reader.fail(`changes[${i}].at must be a time attune accepts (ms since epoch)`);
    return { at, cause, kept };
  });
  const times = timesOf(o);
  p.evidence = readEvidence(reader, o['evidence'], catalog.size, times);
  p.banned = reader.itemTimes(o['banned'], 'banned', catalog.size);
  p.rests = reader.itemTimes(o['rests'], 'rests', catalog.size);
  p.purchases = reader.itemTimes(o['purchases'], 'purchases', catalog.size);
  for (const map of [p.banned, p.rests, p.purchases])
    for (const item of map.keys())
      if (!p.evidence.has(item)) reader.fail(`item ${item} is banned, resting or bought without a record`);
  if (p.optOut) {
    if (p.evidence.size > 0 || p.draws > 0 || o['stations'] !== undefined)
      reader.fail('an opted-out person holds no evidence and no stations');
    return p;
  }
  p.taste = readTaste(reader, o['taste'], catalog, decay, times);
  p.watch = watchFromJSON(o['watch'], where);
  if (o['stations'] !== undefined) {
    reader.array(o['stations'], 'stations').forEach((raw, i) => {
      const station = readStation(reader, raw, `stations[${i}]`, catalog, decay, times);
      if (p.stations.has(station.id)) reader.fail(`stations[${i}] repeats the station id ${describeValue(station.id)}`);
      p.stations.set(station.id, station);
    });
  }
  p.clock = clockOf(p);
  return p;
}

function readStation(
  reader: Reader,
  raw: unknown,
  what: string,
  catalog: Catalog,
  decay: Decay,
  times: Times,
): StationState {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) reader.fail(`${what} must be an object`);
  const o = raw as Record<string, unknown>;
  const id = o['id'];
  const name = o['name'];
  if (typeof id !== 'string' || id === '') reader.fail(`${what}.id must be a non-empty string`);
  if (typeof name !== 'string' || name === '') reader.fail(`${what}.name must be a non-empty string`);
  const r = new Reader(`${reader.where}, station ${describeValue(id)}`);
  const seeds = r.array(o['seeds'], 'seeds').map((seed, i): SeedRef => {
    const s = seed as Record<string, unknown> | null;
    const only = (key: string) =>
      s !== null && typeof s === 'object' && !Array.isArray(s) && Object.keys(s).length === 1 && key in s;
    if (only('item')) return { item: r.whole(s!['item'], `seeds[${i}].item`, catalog.size) };
    if (only('tag')) return { tag: r.whole(s!['tag'], `seeds[${i}].tag`, catalog.tagCount) };
    return r.fail(`seeds[${i}] must be { item } or { tag }`);
  });
  if (seeds.length === 0) r.fail('a station has at least one seed');
  const station = newStation(id, name, seeds, r.finite(o['created'], 'created'), decay);
  station.events = r.whole(o['events'], 'events');
  station.evidence = readEvidence(r, o['evidence'], catalog.size, times);
  station.banned = r.itemTimes(o['banned'], 'banned', catalog.size);
  for (const item of station.banned.keys())
    if (!station.evidence.has(item)) r.fail(`item ${item} is banned without a record`);
  station.taste = readTaste(r, o['taste'], catalog, decay, times);
  return station;
}
