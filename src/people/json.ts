/**
 * The JSON form of a person's record, used by snapshots and by stores that
 * keep records outside the process. Numbers that JSON cannot hold (NaN,
 * ±Infinity for "never") are written as null.
 *
 * Reading accepts exactly what writing gives: every value is checked
 * against the catalog and the options, the record must hold what learning
 * could have made (see people/consistency: each taste the sum of its
 * records, counts, times), and the record must be in the form attune
 * writes — no unknown field at any depth, no duplicate, nothing a write
 * would drop or reorder — so that what is read can be written and read
 * again, byte for byte. Anything else throws `BAD_SNAPSHOT` naming the
 * first thing that is wrong (a store reports it as `BAD_RECORD`).
 */
import type { Catalog } from '../catalog/catalog.js';
import {
  MAX_DURATION_DAYS,
  MAX_SEEDS_PER_STATION,
  MAX_STATION_NAME_LENGTH,
  MAX_STATIONS_PER_PERSON,
  MAX_TIME_MS,
  MAX_WEIGHT,
  MIN_TIME_MS,
} from '../constants.js';
import { LEARNING_SIGNALS, SIGNALS } from '../feedback/signals.js';
import { DAY_MS, type Decay } from '../decay/decay.js';
import { AttuneError, describeValue } from '../errors.js';
import { watchFromJSON, watchToJSON, type LifeStageWatchJson } from '../decay/lifeStages.js';
import { Taste, type TagStatColumns, type TasteJson } from '../models/content/taste.js';
import { checkScope, checkStoredContexts, type RecordContext } from './consistency.js';
import { EvidenceTable, type EvidenceColumns } from './evidenceTable.js';
import { clockOf } from './learning.js';
import { newPerson, type PersonState } from './person.js';
import type { Scope } from './scope.js';
import { newStation, seedKey, type SeedRef, type StationState } from './stations.js';

export type { RecordContext } from './consistency.js';

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
  /** [item, until]; until is null for a rest that never ends (`tiredDays: Infinity`). */
  rests: [number, number | null][];
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
  /** [item, until] of the rests given on the station (absent when none); until is null as in the person's. */
  rests?: [number, number | null][];
  /** [item, time] of the purchases given on the station (absent when none). */
  purchases?: [number, number][];
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
    ...(s.rests.size > 0 ? { rests: restsToJSON(s.rests) } : {}),
    ...(s.purchases.size > 0 ? { purchases: [...s.purchases] } : {}),
    taste: s.taste.toJSON(),
  };
}

function restsToJSON(rests: ReadonlyMap<number, number>): [number, number | null][] {
  return [...rests].map(([item, until]) => [item, Number.isFinite(until) ? until : null]);
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
    rests: restsToJSON(p.rests),
    purchases: [...p.purchases],
    taste: p.optOut ? null : taste,
    ...(p.stations.size > 0 ? { stations: [...p.stations.values()].map(stationToJSON) } : {}),
  };
}

const PERSON_KEYS = [
  'id',
  'optOut',
  'consent',
  'mutedTags',
  'draws',
  'events',
  'changes',
  'watch',
  'evidence',
  'banned',
  'rests',
  'purchases',
  'taste',
  'stations',
];
const STATION_KEYS = ['id', 'name', 'created', 'seeds', 'events', 'evidence', 'banned', 'rests', 'purchases', 'taste'];
const CHANGE_KEYS = ['at', 'cause', 'kept'];
const TASTE_KEYS = ['total', 'tags', 'crosses'];
const STAT_KEYS = ['tag', 'pos', 'neg', 't', 'n'];

class Reader {
  constructor(readonly where: string) {}

  fail(what: string): never {
    throw new AttuneError('BAD_SNAPSHOT', `${this.where}: ${what}`);
  }

  object(v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(`${what} must be an object`);
    for (const key of Object.keys(v))
      if (!keys.includes(key)) this.fail(`${what} has an unknown field ${describeValue(key)}`);
    return v as Record<string, unknown>;
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

  time(v: unknown, what: string): number {
    if (!isStoredTime(v)) this.fail(`${what} must be a time attune accepts (ms since epoch), got ${describeValue(v)}`);
    return v;
  }

  /** Distinct non-empty strings. */
  strings(v: unknown, what: string): string[] {
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === ''))
      this.fail(`${what} must be an array of non-empty strings`);
    if (new Set(v).size !== v.length) this.fail(`${what} names a value twice`);
    return v as string[];
  }

  array(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${what} must be an array`);
    return v;
  }

  /** [item, time] pairs, each item once; `time` reads the second value. */
  itemTimes(v: unknown, what: string, items: number, time = (t: unknown, at: string) => this.time(t, at)) {
    const out = new Map<number, number>();
    this.array(v, what).forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) this.fail(`${what}[${i}] must be [item, time]`);
      const item = this.whole(pair[0], `${what}[${i}] item`, items);
      if (out.has(item)) this.fail(`${what}[${i}] repeats item ${item}`);
      out.set(item, time(pair[1], `${what}[${i}] time`));
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
/** The earliest a time on a person's own clock may be: a late event is placed its wall-clock distance before the latest. */
const EARLIEST_PERSON_TIME = MIN_TIME_MS - (MAX_TIME_MS + MAX_DURATION_DAYS * DAY_MS - MIN_TIME_MS);
/** A time on a person's own clock (which runs at most as fast as the wall clock, see Decay.personTime). */
const isPersonTime = (v: unknown): v is number => isNum(v) && v >= EARLIEST_PERSON_TIME && v <= MAX_TIME_MS;

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
  'upAt',
  'implicitSince',
  'flags',
] as const;

/**
 * Checks every column of a person's evidence (`ownRecord`) or a station's; the
 * message names the first bad value.
 */
function readEvidence(r: Reader, raw: unknown, items: number, ownRecord: boolean): EvidenceTable {
  const o = r.object(raw, 'evidence', [...COLUMNS, 'ctx']);
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
  const firsts = c.first as unknown as number[];
  check((v, row) => isStoredTime(v) && v >= firsts[row]!, 'last', 'a time attune accepts, not before first');
  const lasts = c.last as unknown as number[];
  const within = (v: number, row: number) => isStoredTime(v) && v >= firsts[row]! && v <= lasts[row]!;
  // Columns that hold a time only where the row says so, and 0 elsewhere.
  const flags = c.flags as unknown[];
  const thumbs = c.thumb as unknown[];
  check(
    (v, row) => ((flags[row] as number) & 2 ? isPersonTime(v) : v === 0),
    't',
    'a time on the person’s own clock (0 before any learning signal)',
  );
  const own = c.t as unknown as number[];
  // A person's own time runs at most as fast as the wall clock, from their first event on.
  check(
    (v, row) => ((flags[row] as number) & 2 ? isStoredTime(v) && (own[row] as number) <= v : v === 0),
    'wt',
    'a time attune accepts, not before the row’s t (0 before any learning signal)',
  );
  check(
    (v, row) => ((flags[row] as number) & 4 ? within(v, row) : v === 0),
    'implicitSince',
    'the time of an event on the row, from first to last (0 without implicit signals)',
  );
  check(
    (v, row) => (thumbs[row] !== 0 ? within(v, row) : v === 0),
    'thumbAt',
    'the time of an event on the row, from first to last (0 without a thumb)',
  );
  const thumbTimes = c.thumbAt as unknown as number[];
  check(
    // An up given off any station is a thumb on the person's own record: the latest thumb is not older.
    (v, row) =>
      v === 0 ||
      (ownRecord && ((flags[row] as number) & 8) === 0 && thumbs[row] !== 0 && within(v, row) && v <= thumbTimes[row]!),
    'upAt',
    ownRecord
      ? 'the time of a thumbs-up on the row, not after thumbAt (0 without one, or when flags has bit 3)'
      : '0 (a station keeps no time of ups given off any station)',
  );
  check((v) => isWhole(v) && v >= 1, 'count', 'a whole number of at least 1');
  // Each event adds at most its weight × its signal's strength, decayed: a sum cannot pass count × that.
  const counts = c.count as unknown as number[];
  const possible = (v: number, row: number) => isSum(v) && v <= (counts[row] as number) * MAX_EVENT_IMPORTANCE;
  const bound = `a non-negative sum of at most count × ${MAX_EVENT_IMPORTANCE} (an event adds at most its weight × strength)`;
  for (const name of LEARNING_SIGNALS) check(possible, name, bound);
  check((v) => v === -1 || v === 0 || v === 1, 'thumb', '-1, 0 or 1');
  check(
    // A thumb or an implicit signal is a learning signal, which gives the row its reference time.
    (v, row) =>
      isWhole(v) &&
      v < (ownRecord ? 16 : 8) &&
      ((v & 4) === 0 || (v & 2) !== 0) &&
      (thumbs[row] === 0 || (v & 2) !== 0),
    'flags',
    ownRecord
      ? 'a whole number from 0 to 15 (bit 0 learned, bit 1 has a reference time, bit 2 has implicit signals, bit 3 the time of the latest up off any station is not known)'
      : 'a whole number from 0 to 7 (bit 0 learned, bit 1 has a reference time, bit 2 has implicit signals)',
  );
  if (!Array.isArray(o['ctx'])) r.fail('evidence.ctx must be an array of [row, contexts]');
  let previous = -1;
  const ctx = (o['ctx'] as unknown[]).map((entry, k): [number, Record<string, [number, number]>] => {
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      !isWhole(entry[0]) ||
      entry[0] >= n ||
      entry[0] <= previous ||
      entry[1] === null ||
      typeof entry[1] !== 'object' ||
      Array.isArray(entry[1]) ||
      Object.keys(entry[1]).length === 0
    ) {
      r.fail(
        `evidence.ctx[${k}] must be [row, { feature: [positive, negative] }], rows in increasing order, each once`,
      );
    }
    previous = entry[0] as number;
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

function readTaste(r: Reader, raw: unknown, catalog: Catalog, decay: Decay): Taste {
  const o = r.object(raw, 'taste', TASTE_KEYS);
  const total = o['total'];
  if (
    !Array.isArray(total) ||
    total.length !== 4 ||
    !isSum(total[0]) ||
    !isSum(total[1]) ||
    !(isPersonTime(total[2]) || total[2] === 0) ||
    !isWhole(total[3])
  ) {
    r.fail('taste.total must be [positive, negative, time, records]');
  }
  const columns = (v: unknown, what: string): TagStatColumns => {
    const c = r.object(v, what, STAT_KEYS);
    const n = Array.isArray(c['tag']) ? c['tag'].length : -1;
    for (const name of STAT_KEYS)
      if (!Array.isArray(c[name]) || (c[name] as unknown[]).length !== n)
        r.fail(`${what}.${name} must be an array as long as ${what}.tag`);
    const cols = c as unknown as TagStatColumns;
    const seen = new Set<number>();
    for (let k = 0; k < n; k++) {
      const ok =
        isWhole(cols.tag[k]) &&
        cols.tag[k]! < catalog.tagCount &&
        !seen.has(cols.tag[k]!) &&
        isSum(cols.pos[k]) &&
        isSum(cols.neg[k]) &&
        isPersonTime(cols.t[k]) &&
        isWhole(cols.n[k]) &&
        cols.n[k]! >= 1;
      if (!ok) r.fail(`${what} entry ${k} must be a known tag (each once) with non-negative sums, a time and a record`);
      seen.add(cols.tag[k]!);
    }
    return cols;
  };
  const features = new Set<string>();
  const json: TasteJson = {
    total: total as TasteJson['total'],
    tags: columns(o['tags'], 'taste.tags'),
    crosses: r.array(o['crosses'], 'taste.crosses').map((c, i) => {
      if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string' || c[0] === '' || features.has(c[0]))
        r.fail(`taste.crosses[${i}] must be [feature, columns], each feature once`);
      features.add(c[0]);
      return [c[0], columns(c[1], `taste.crosses[${i}]`)];
    }),
  };
  return Taste.fromJSON(json, decay);
}

/**
 * Reads and validates one person's record against the catalog and the
 * options (see the file comment); throws `BAD_SNAPSHOT` prefixed by `where`.
 */
export function personFromJSON(given: unknown, context: RecordContext, where: string): PersonState {
  const { catalog, decay } = context;
  const r: Reader = new Reader(where);
  if (given === null || typeof given !== 'object' || Array.isArray(given)) r.fail('a person must be an object');
  const raw = upgraded(given as Record<string, unknown>);
  const id = (raw as Record<string, unknown>)['id'];
  if (typeof id !== 'string' || id === '') r.fail('id must be a non-empty string');
  const reader: Reader = new Reader(`${where} (person ${describeValue(id)})`);
  const o = reader.object(raw, 'the person', PERSON_KEYS);
  const p = newPerson(id, decay);
  const optOut = o['optOut'];
  if (typeof optOut !== 'boolean') reader.fail('optOut must be a boolean');
  p.optOut = optOut;
  p.consent = new Set(reader.strings(o['consent'], 'consent'));
  p.mutedTags = new Set(reader.strings(o['mutedTags'], 'mutedTags'));
  p.draws = reader.whole(o['draws'], 'draws');
  p.events = reader.whole(o['events'], 'events');
  p.changes = reader.array(o['changes'], 'changes').map((c, i) => {
    const x = reader.object(c, `changes[${i}]`, CHANGE_KEYS);
    const cause = x['cause'];
    if (cause !== 'detected' && cause !== 'requested')
      reader.fail(`changes[${i}].cause must be "detected" or "requested"`);
    const kept = reader.nonNegative(x['kept'], `changes[${i}].kept`);
    if (kept > 1) reader.fail(`changes[${i}].kept must be at most 1`);
    const at = reader.time(x['at'], `changes[${i}].at`);
    return { at, cause, kept };
  });
  p.evidence = readEvidence(reader, o['evidence'], catalog.size, true);
  p.banned = reader.itemTimes(o['banned'], 'banned', catalog.size);
  p.rests = readRests(reader, o['rests'], catalog.size, context.tiredMs);
  p.purchases = reader.itemTimes(o['purchases'], 'purchases', catalog.size);
  if (p.optOut) {
    const kept =
      p.evidence.size > 0 ||
      p.draws > 0 ||
      p.events > 0 ||
      p.consent.size > 0 ||
      p.mutedTags.size > 0 ||
      p.changes.length > 0 ||
      p.banned.size + p.rests.size + p.purchases.size > 0 ||
      o['stations'] !== undefined ||
      o['taste'] !== null ||
      o['watch'] !== null;
    if (kept) reader.fail('an opted-out person holds nothing but the opt-out (no evidence, preferences or stations)');
  } else readLearning(reader, p, o, context);
  // Last, the catch-all: the record is exactly what writing it gives.
  const watch = o['watch'];
  const legacyWatch = watch !== null && typeof watch === 'object' && 'recent' in watch;
  const difference = differenceFrom(raw, personToJSON(p), legacyWatch ? ['watch'] : []);
  if (difference !== undefined) reader.fail(`${difference} (not as attune writes a record)`);
  p.clock = clockOf(p);
  return p;
}

/**
 * An older record in today's form. A record of attune 0.2 (snapshot
 * version 2) has no wall-time column `wt`: its times were wall times, and a
 * person whose clock never counted a pause has the same own and wall times.
 * A record from before `upAt` (0.2 and 0.3) did not keep when an up was
 * given off any station: a row of the person's own that holds an up is
 * marked as not knowing it (flags bit 3), and a station's rows hold none.
 * Other records are returned as they are.
 */
function upgraded(raw: Record<string, unknown>): unknown {
  const columns = (evidence: unknown): Record<string, unknown> | undefined =>
    evidence !== null && typeof evidence === 'object' && !Array.isArray(evidence)
      ? (evidence as Record<string, unknown>)
      : undefined;
  const upgrade = (evidence: unknown, own: boolean) => {
    const c = columns(evidence);
    if (c === undefined) return evidence;
    const out = { ...c };
    if (!('wt' in c)) out['wt'] = c['t'];
    const ups = c['up'];
    const flags = c['flags'];
    if (!('upAt' in c) && Array.isArray(ups) && Array.isArray(flags) && ups.length === flags.length) {
      out['upAt'] = ups.map(() => 0);
      if (own) out['flags'] = flags.map((f: unknown, row) => (typeof f === 'number' && ups[row] > 0 ? f | 8 : f));
    }
    return out;
  };
  const legacy = (evidence: unknown) => {
    const c = columns(evidence);
    return c !== undefined && (!('wt' in c) || !('upAt' in c));
  };
  const stations = raw['stations'];
  const legacyStations = Array.isArray(stations) && stations.some((st) => legacy(columns(st)?.['evidence']));
  if (!legacy(raw['evidence']) && !legacyStations) return raw;
  return {
    ...raw,
    evidence: upgrade(raw['evidence'], true),
    ...(Array.isArray(stations)
      ? {
          stations: stations.map((st: unknown) => {
            const o = columns(st);
            return o === undefined ? st : { ...o, evidence: upgrade(o['evidence'], false) };
          }),
        }
      : {}),
  };
}

/** Rests as [item, until] pairs. */
function readRests(reader: Reader, v: unknown, items: number, tiredMs: number): Map<number, number> {
  return reader.itemTimes(v, 'rests', items, (until, what) =>
    // A rest that never ends is written null (JSON has no Infinity); only `tiredDays: Infinity` gives one.
    tiredMs === Infinity
      ? until === null
        ? Infinity
        : reader.fail(`${what} must be null (tiredDays is Infinity: a rest never ends), got ${describeValue(until)}`)
      : reader.time(until, what),
  );
}

/** The taste, watch and stations of a person who has not opted out, and what must hold between the parts. */
function readLearning(reader: Reader, p: PersonState, o: Record<string, unknown>, context: RecordContext): void {
  const { catalog, decay } = context;
  p.taste = readTaste(reader, o['taste'], catalog, decay);
  const watch = o['watch'];
  p.watch = watchFromJSON(watch, reader.where);
  const legacyWatch = watch !== null && typeof watch === 'object' && 'recent' in watch;
  if (!legacyWatch && p.watch.lastAt !== -Infinity) reader.time(p.watch.lastAt, 'watch.lastAt');
  if (o['stations'] !== undefined) {
    const list = reader.array(o['stations'], 'stations');
    if (list.length === 0) reader.fail('stations is absent when the person has none, never empty');
    if (list.length > MAX_STATIONS_PER_PERSON)
      reader.fail(`a person has at most ${MAX_STATIONS_PER_PERSON} stations, got ${list.length}`);
    list.forEach((raw, i) => {
      const station = readStation(reader, raw, `stations[${i}]`, context);
      if (p.stations.has(station.id)) reader.fail(`stations[${i}] repeats the station id ${describeValue(station.id)}`);
      p.stations.set(station.id, station);
    });
  }
  checkPerson(reader, p, context);
}

/** What must hold between the parts of a person's record (see people/consistency). */
function checkPerson(reader: Reader, p: PersonState, context: RecordContext): void {
  const fail = (what: string): never => reader.fail(what);
  const { catalog, tiredMs } = context;
  const timesOfEvents = (
    scope: Scope,
    name: 'banned' | 'rests' | 'purchases',
    map: Map<number, number>,
    fail: (what: string) => never,
  ) => {
    for (const [item, at] of map) {
      const record = scope.evidence.get(item);
      if (record === undefined) return fail(`${name}: item ${item} has no record`);
      // A ban or purchase is the time of an event on the item; a rest that time plus tiredDays.
      const given = name === 'rests' ? at - tiredMs : at;
      const ok =
        name === 'rests' && tiredMs === Infinity
          ? at === Infinity
          : given >= record.first - 1 && given <= record.last + 1;
      if (!ok) fail(`${name}: the time of item ${item} is not that of an event on its record`);
    }
  };
  timesOfEvents(p, 'banned', p.banned, fail);
  timesOfEvents(p, 'rests', p.rests, fail);
  timesOfEvents(p, 'purchases', p.purchases, fail);
  checkScope(p, p, context, fail, 'the person');
  for (const station of p.stations.values()) {
    const where = `station ${describeValue(station.id)}`;
    checkScope(p, station, context, (what) => reader.fail(`${where}: ${what}`), where);
    timesOfEvents(station, 'rests', station.rests, (what) => reader.fail(`${where}: ${what}`));
    timesOfEvents(station, 'purchases', station.purchases, (what) => reader.fail(`${where}: ${what}`));
    for (const [item, at] of station.banned) {
      const record = station.evidence.get(item);
      if (record === undefined || at < record.first || at > record.last)
        reader.fail(`${where}: banned item ${item} has no record with an event at that time`);
    }
  }
  checkStoredContexts(p, context, fail);
  for (const item of p.evidence.keys()) if (item >= catalog.size) fail(`item ${item} is not in the catalog`);
}

function readStation(reader: Reader, raw: unknown, what: string, context: RecordContext): StationState {
  const { catalog, decay } = context;
  const o = reader.object(raw, what, STATION_KEYS);
  const id = o['id'];
  const name = o['name'];
  if (typeof id !== 'string' || id === '') reader.fail(`${what}.id must be a non-empty string`);
  if (typeof name !== 'string' || name === '' || name.length > MAX_STATION_NAME_LENGTH)
    reader.fail(`${what}.name must be a non-empty string of at most ${MAX_STATION_NAME_LENGTH} characters`);
  const r = new Reader(`${reader.where}, station ${describeValue(id)}`);
  const seen = new Set<string>();
  const seeds = r.array(o['seeds'], 'seeds').map((seed, i): SeedRef => {
    const s = seed as Record<string, unknown> | null;
    const only = (key: string) =>
      s !== null && typeof s === 'object' && !Array.isArray(s) && Object.keys(s).length === 1 && key in s;
    let ref: SeedRef;
    if (only('item')) ref = { item: r.whole(s!['item'], `seeds[${i}].item`, catalog.size) };
    else if (only('tag')) ref = { tag: r.whole(s!['tag'], `seeds[${i}].tag`, catalog.tagCount) };
    else return r.fail(`seeds[${i}] must be { item } or { tag }`);
    if (seen.has(seedKey(ref))) r.fail(`seeds[${i}] repeats a seed`);
    seen.add(seedKey(ref));
    return ref;
  });
  if (seeds.length === 0) r.fail('a station has at least one seed');
  if (seeds.length > MAX_SEEDS_PER_STATION)
    r.fail(`a station has at most ${MAX_SEEDS_PER_STATION} seeds, got ${seeds.length}`);
  const created = r.finite(o['created'], 'created');
  if (!(created >= MIN_TIME_MS && created <= MAX_TIME_MS))
    r.fail(`created must be a time attune accepts (ms since epoch), got ${created}`);
  const station = newStation(id, name, seeds, created, decay);
  station.events = r.whole(o['events'], 'events');
  station.evidence = readEvidence(r, o['evidence'], catalog.size, false);
  station.banned = r.itemTimes(o['banned'], 'banned', catalog.size);
  if (o['rests'] !== undefined) station.rests = readRests(r, o['rests'], catalog.size, context.tiredMs);
  if (o['purchases'] !== undefined) station.purchases = r.itemTimes(o['purchases'], 'purchases', catalog.size);
  station.taste = readTaste(r, o['taste'], catalog, decay);
  return station;
}

/**
 * The first place where `raw` (a parsed record) differs from `written`
 * (what writing the record read from it gives), as a path and what is
 * wrong there; undefined when they are the same JSON (key order aside).
 * `skip` names top-level fields read in an older form (migrated on read).
 * A path is spelt out only where a difference is found: a large record has
 * a million numbers, and making the path of each (`evidence.t[12345]`) was
 * most of a restore's garbage.
 */
function differenceFrom(raw: unknown, written: unknown, skip: readonly string[], path = ''): string | undefined {
  if (Array.isArray(written)) {
    if (!Array.isArray(raw)) return `${path || 'the record'} is not an array`;
    if (raw.length !== written.length)
      return `${path} holds ${raw.length} entries where it can hold ${written.length} (a duplicate, or an entry with nothing in it)`;
    for (let i = 0; i < written.length; i++) {
      const w: unknown = written[i];
      if (w !== null && typeof w === 'object') {
        const d = differenceFrom(raw[i], w, [], `${path}[${i}]`);
        if (d !== undefined) return d;
      } else if (raw[i] !== w) return differentValue(raw[i], w, `${path}[${i}]`);
    }
    return undefined;
  }
  if (written !== null && typeof written === 'object') {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `${path} is not an object`;
    const w = written as Record<string, unknown>;
    const o = raw as Record<string, unknown>;
    const at = (key: string) => (path === '' ? key : `${path}.${key}`);
    for (const key of Object.keys(o)) {
      if (skip.includes(key)) continue;
      if (!(key in w) || w[key] === undefined) return `${at(key)} is a field attune does not write there`;
      const value = w[key];
      if (value !== null && typeof value === 'object') {
        const d = differenceFrom(o[key], value, [], at(key));
        if (d !== undefined) return d;
      } else if (o[key] !== value) return differentValue(o[key], value, at(key));
    }
    for (const key of Object.keys(w)) if (w[key] !== undefined && !(key in o)) return `${at(key)} is missing`;
    return undefined;
  }
  return raw === written ? undefined : differentValue(raw, written, path);
}

/** What {@link differenceFrom} says of a value that is not the one the record implies. */
function differentValue(raw: unknown, written: unknown, path: string): string {
  return `${path} is ${describeValue(raw)}, where the record implies ${describeValue(written)}`;
}
