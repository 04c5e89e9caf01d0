/**
 * The JSON form of a person's record, used by snapshots and by stores that
 * keep records outside the process. Numbers that JSON cannot hold (NaN,
 * ±Infinity for "never") are written as null. Reading validates every value
 * against the catalog and throws `BAD_SNAPSHOT` naming what is wrong.
 */
import type { Catalog } from '../catalog/catalog.js';
import { AttuneError, describeValue } from '../errors.js';
import { watchFromJSON, watchToJSON, type LifeStageWatchJson } from '../decay/lifeStages.js';
import { Taste, type TasteJson } from '../models/content/taste.js';
import { newItemEvidence, type ItemEvidence } from './evidence.js';
import type { EvidenceTable } from './evidenceTable.js';
import { newPerson, type PersonState } from './person.js';
import { newStation, type SeedRef, type StationState } from './stations.js';

/** [item, t, up, down, skip, play, purchase, count, first, last, thumb, thumbAt, implicitSince, learned, ctx] (t null before any learning signal) */
export type EvidenceJson = [
  number, number | null, number, number, number, number, number, number, number, number,
  -1 | 0 | 1, number | null, number | null, 0 | 1, Record<string, [number, number]> | null,
];

export interface PersonJson {
  id: string;
  optOut: boolean;
  consent: string[];
  mutedTags: string[];
  draws: number;
  events: number;
  changes: { at: number; cause: 'detected' | 'requested'; kept: number }[];
  watch: LifeStageWatchJson | null;
  evidence: EvidenceJson[];
  banned: [number, number][];
  rests: [number, number][];
  purchases: [number, number][];
  taste: TasteJson | null;
  /** The person's stations in creation order (absent when they have none). */
  stations?: StationJson[];
}

/** The JSON form of one station: its seeds by item or tag index, its records, bans and taste. */
export interface StationJson {
  id: string;
  name: string;
  created: number;
  seeds: ({ item: number } | { tag: number })[];
  events: number;
  evidence: EvidenceJson[];
  banned: [number, number][];
  taste: TasteJson;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function evidenceToJSON(table: EvidenceTable): EvidenceJson[] {
  return [...table].map(([item, e]): EvidenceJson => [
    item, orNull(e.t), e.up, e.down, e.skip, e.play, e.purchase, e.count, e.first, e.last,
    e.thumb, orNull(e.thumbAt), orNull(e.implicitSince), e.learned ? 1 : 0, e.ctx === undefined ? null : e.ctx,
  ]);
}

function tasteToJSON(taste: Taste): TasteJson {
  const json = taste.toJSON();
  if (!Number.isFinite(json.total[2])) json.total[2] = 0; // no evidence yet: any reference time
  return json;
}

function stationToJSON(s: StationState): StationJson {
  return {
    id: s.id,
    name: s.name,
    created: s.created,
    seeds: s.seeds.map((seed) => ({ ...seed })),
    events: s.events,
    evidence: evidenceToJSON(s.evidence),
    banned: [...s.banned],
    taste: tasteToJSON(s.taste),
  };
}

export function personToJSON(p: PersonState): PersonJson {
  const evidence = evidenceToJSON(p.evidence);
  const taste = tasteToJSON(p.taste);
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
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`${what} must be a finite number, got ${describeValue(v)}`);
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
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) this.fail(`${what} must be an array of non-empty strings`);
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
      out.set(this.whole(pair[0], `${what}[${i}] item`, items), this.finite(pair[1], `${what}[${i}] time`));
    });
    return out;
  }
}

function readEvidence(r: Reader, raw: unknown, i: number, items: number): [number, ItemEvidence] {
  const what = `evidence[${i}]`;
  if (!Array.isArray(raw) || raw.length !== 15) r.fail(`${what} must be an array of 15 values`);
  const item = r.whole(raw[0], `${what} item`, items);
  const e = newItemEvidence(0);
  e.t = raw[1] === null ? -Infinity : r.finite(raw[1], `${what} time`);
  e.up = r.nonNegative(raw[2], `${what} up`);
  e.down = r.nonNegative(raw[3], `${what} down`);
  e.skip = r.nonNegative(raw[4], `${what} skip`);
  e.play = r.nonNegative(raw[5], `${what} play`);
  e.purchase = r.nonNegative(raw[6], `${what} purchase`);
  e.count = r.whole(raw[7], `${what} count`);
  if (e.count < 1) r.fail(`${what} count must be at least 1`);
  e.first = r.finite(raw[8], `${what} first`);
  e.last = r.finite(raw[9], `${what} last`);
  if (raw[10] !== -1 && raw[10] !== 0 && raw[10] !== 1) r.fail(`${what} thumb must be -1, 0 or 1`);
  e.thumb = raw[10];
  e.thumbAt = raw[11] === null ? Number.NaN : r.finite(raw[11], `${what} thumb time`);
  if ((e.thumb === 0) !== Number.isNaN(e.thumbAt)) r.fail(`${what} has a thumb without a time, or a time without a thumb`);
  e.implicitSince = raw[12] === null ? Infinity : r.finite(raw[12], `${what} implicit time`);
  if (raw[13] !== 0 && raw[13] !== 1) r.fail(`${what} learned must be 0 or 1`);
  e.learned = raw[13] === 1;
  const ctx = raw[14];
  if (ctx !== null) {
    if (typeof ctx !== 'object' || Array.isArray(ctx)) r.fail(`${what} contexts must be an object or null`);
    e.ctx = {};
    for (const [feature, pair] of Object.entries(ctx as Record<string, unknown>)) {
      if (!Array.isArray(pair) || pair.length !== 2) r.fail(`${what} context ${describeValue(feature)} must be [positive, negative]`);
      Object.defineProperty(e.ctx, feature, { value: [r.nonNegative(pair[0], `${what} context`), r.nonNegative(pair[1], `${what} context`)], enumerable: true, writable: true, configurable: true });
    }
  }
  return [item, e];
}

function readTaste(r: Reader, raw: unknown, items: Catalog, halfLifeMs: number): Taste {
  if (raw === null || typeof raw !== 'object') r.fail('taste must be an object');
  const o = raw as Record<string, unknown>;
  const stat = (v: unknown, what: string, withTag: boolean): number[] => {
    const n = withTag ? 5 : 4;
    if (!Array.isArray(v) || v.length !== n) r.fail(`${what} must be an array of ${n} numbers`);
    const out = withTag ? [r.whole(v[0], `${what} tag`, items.tagCount)] : [];
    const [pos, neg, t, count] = withTag ? v.slice(1) : v;
    out.push(r.nonNegative(pos, `${what} positive`), r.nonNegative(neg, `${what} negative`), r.finite(t, `${what} time`), r.whole(count, `${what} records`));
    return out;
  };
  const json: TasteJson = {
    total: stat(o['total'], 'taste.total', false) as TasteJson['total'],
    tags: r.array(o['tags'], 'taste.tags').map((s, i) => stat(s, `taste.tags[${i}]`, true) as TasteJson['tags'][number]),
    crosses: r.array(o['crosses'], 'taste.crosses').map((c, i) => {
      if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string') r.fail(`taste.crosses[${i}] must be [feature, stats]`);
      return [c[0], r.array(c[1], `taste.crosses[${i}]`).map((s, j) => stat(s, `taste.crosses[${i}][${j}]`, true) as TasteJson['tags'][number])];
    }),
  };
  return Taste.fromJSON(json, halfLifeMs);
}

/** Reads and validates one person's record against the catalog. */
export function personFromJSON(raw: unknown, catalog: Catalog, halfLifeMs: number, where: string): PersonState {
  const r: Reader = new Reader(where);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) r.fail('a person must be an object');
  const o = raw as Record<string, unknown>;
  const id = o['id'];
  if (typeof id !== 'string' || id === '') r.fail('id must be a non-empty string');
  const p = newPerson(id, halfLifeMs);
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
    if (cause !== 'detected' && cause !== 'requested') reader.fail(`changes[${i}].cause must be "detected" or "requested"`);
    const kept = reader.nonNegative(x['kept'], `changes[${i}].kept`);
    if (kept > 1) reader.fail(`changes[${i}].kept must be at most 1`);
    return { at: reader.finite(x['at'], `changes[${i}].at`), cause, kept };
  });
  readEvidenceTable(reader, o['evidence'], 'evidence', catalog.size, p.evidence);
  p.banned = reader.itemTimes(o['banned'], 'banned', catalog.size);
  p.rests = reader.itemTimes(o['rests'], 'rests', catalog.size);
  p.purchases = reader.itemTimes(o['purchases'], 'purchases', catalog.size);
  for (const map of [p.banned, p.rests, p.purchases]) for (const item of map.keys()) if (!p.evidence.has(item)) reader.fail(`item ${item} is banned, resting or bought without a record`);
  if (p.optOut) {
    if (p.evidence.size > 0 || p.draws > 0 || o['stations'] !== undefined) reader.fail('an opted-out person holds no evidence and no stations');
    return p;
  }
  p.taste = readTaste(reader, o['taste'], catalog, halfLifeMs);
  p.watch = watchFromJSON(o['watch'], where);
  if (o['stations'] !== undefined) {
    reader.array(o['stations'], 'stations').forEach((raw, i) => {
      const station = readStation(reader, raw, `stations[${i}]`, catalog, halfLifeMs);
      if (p.stations.has(station.id)) reader.fail(`stations[${i}] repeats the station id ${describeValue(station.id)}`);
      p.stations.set(station.id, station);
    });
  }
  return p;
}

function readEvidenceTable(r: Reader, raw: unknown, what: string, items: number, into: EvidenceTable): void {
  const evidence = r.array(raw, what).map((e, i) => readEvidence(r, e, i, items));
  into.reserve(evidence.length);
  for (const [item, e] of evidence) {
    if (into.has(item)) r.fail(`${what} names item ${item} twice`);
    into.set(item, e);
  }
}

function readStation(reader: Reader, raw: unknown, what: string, catalog: Catalog, halfLifeMs: number): StationState {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) reader.fail(`${what} must be an object`);
  const o = raw as Record<string, unknown>;
  const id = o['id'];
  const name = o['name'];
  if (typeof id !== 'string' || id === '') reader.fail(`${what}.id must be a non-empty string`);
  if (typeof name !== 'string' || name === '') reader.fail(`${what}.name must be a non-empty string`);
  const r = new Reader(`${reader.where}, station ${describeValue(id)}`);
  const seeds = r.array(o['seeds'], 'seeds').map((seed, i): SeedRef => {
    const s = seed as Record<string, unknown> | null;
    if (s !== null && typeof s === 'object' && Object.keys(s).length === 1 && 'item' in s) return { item: r.whole(s['item'], `seeds[${i}].item`, catalog.size) };
    if (s !== null && typeof s === 'object' && Object.keys(s).length === 1 && 'tag' in s) return { tag: r.whole(s['tag'], `seeds[${i}].tag`, catalog.tagCount) };
    return r.fail(`seeds[${i}] must be { item } or { tag }`);
  });
  if (seeds.length === 0) r.fail('a station has at least one seed');
  const station = newStation(id, name, seeds, r.finite(o['created'], 'created'), halfLifeMs);
  station.events = r.whole(o['events'], 'events');
  readEvidenceTable(r, o['evidence'], 'evidence', catalog.size, station.evidence);
  station.banned = r.itemTimes(o['banned'], 'banned', catalog.size);
  for (const item of station.banned.keys()) if (!station.evidence.has(item)) r.fail(`item ${item} is banned without a record`);
  station.taste = readTaste(r, o['taste'], catalog, halfLifeMs);
  return station;
}
