/**
 * A store of the remote port kept in this process: the reference
 * implementation the store suite holds every store to (and the smallest
 * example of what a new store implements). Values cross as JSON text, as
 * they would to a real store, so nothing is shared by reference.
 */
import { Decay } from '../../src/decay/decay.js';
import { AttuneError } from '../../src/errors.js';
import { PopularityModel, type PopularityJson } from '../../src/models/popularity/popularity.js';
import { optionsFromJSON, type OptionsJson } from '../../src/options.js';
import type { PersonJson } from '../../src/people/json.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../../src/persist/snapshot.js';
import type { PopularityOp } from '../../src/remote/sharedPopularity.js';
import {
  namespaceGone,
  parseStored,
  readRecord,
  type PersonWrite,
  type ReadState,
  type RemoteStore,
} from '../../src/remote/store.js';
import type { Item } from '../../src/types.js';
import { stringifyInSlices } from '../../src/remote/slices.js';

interface Namespace {
  options: string;
  items: string[];
  /** id → record, version, draws, position */
  people: Map<
    string,
    { record: string; version: string; draws: number; seq: number; optOut: boolean; stations: string[] }
  >;
  seq: number;
  version: number;
  pop: Map<number, PopularityJson[number]>;
  popChanged: Map<number, number>;
  model: string | undefined;
  modelVersion: number;
  decay: Decay;
}

/** Namespaces shared by every MemoryStore of one "server". */
export class MemoryServer {
  readonly namespaces = new Map<string, Namespace>();
}

export class MemoryStore implements RemoteStore {
  private closed = false;
  readonly url = 'memory://test';

  constructor(
    private readonly server: MemoryServer,
    private readonly name: string,
  ) {}

  private ns(api: string): Namespace {
    if (this.closed) throw new AttuneError('STORE_UNAVAILABLE', `${api}: the memory store is closed`);
    const ns = this.server.namespaces.get(this.name);
    if (ns === undefined) throw namespaceGone(api, this.name, this.url);
    return ns;
  }

  private parse(text: string, api: string, what: string): unknown {
    return parseStored(text, api, what, this.name, this.url);
  }

  async create(api: string, wanted: Snapshot, mayCreate: boolean): Promise<{ created: boolean; options: OptionsJson }> {
    if (this.closed) throw new AttuneError('STORE_UNAVAILABLE', `${api}: the memory store is closed`);
    const existing = this.server.namespaces.get(this.name);
    if (existing !== undefined) return { created: false, options: JSON.parse(existing.options) as OptionsJson };
    if (!mayCreate) throw namespaceGone(api, this.name, this.url);
    const ns: Namespace = {
      options: JSON.stringify(wanted.options),
      items: wanted.items.map((i) => JSON.stringify(i)),
      people: new Map(),
      seq: 0,
      version: 1,
      pop: new Map(wanted.popularity.map((row) => [row[0], [...row] as PopularityJson[number]])),
      popChanged: new Map(wanted.popularity.map((row) => [row[0], 1])),
      model: wanted.collaborative === undefined ? undefined : await stringifyInSlices(wanted.collaborative),
      modelVersion: wanted.collaborative === undefined ? 0 : 1,
      decay: Decay.ofDays(optionsFromJSON(wanted.options, undefined).halfLifeDays),
    };
    for (const p of wanted.people) {
      const stations = (p.stations ?? []).map((s) => s.id);
      ns.people.set(p.id, {
        record: JSON.stringify(p),
        version: '1',
        draws: p.draws,
        seq: ++ns.seq,
        optOut: p.optOut,
        stations,
      });
    }
    this.server.namespaces.set(this.name, ns);
    return { created: true, options: JSON.parse(ns.options) as OptionsJson };
  }

  async items(api: string, from: number): Promise<Item[]> {
    return this.ns(api)
      .items.slice(from)
      .map((s, i) => this.parse(s, api, `catalog entry ${from + i}`) as Item);
  }

  async read(
    api: string,
    ids: readonly string[],
    known: number,
    draw: boolean,
    held: readonly (string | undefined)[],
    station?: string,
  ): Promise<ReadState> {
    const ns = this.ns(api);
    const changes: ReadState['changes'] = [];
    if (known < ns.version) {
      const items = known < 0 ? [...ns.pop.keys()] : [...ns.popChanged].filter(([, v]) => v > known).map(([i]) => i);
      for (const item of items) changes.push([item, ns.pop.has(item) ? [...ns.pop.get(item)!] : undefined]);
    }
    let drew = false;
    const people = ids.map((id, i) => {
      const p = ns.people.get(id);
      const draws = p?.draws ?? 0;
      if (i === 0 && draw && p !== undefined && !p.optOut && (station === undefined || p.stations.includes(station))) {
        p.draws++;
        drew = true;
      }
      if (p !== undefined && p.version === held[i]) return { same: true as const, draws };
      return { record: p?.record ?? '', version: p?.version ?? '0', draws };
    });
    return {
      version: ns.version,
      modelVersion: String(ns.modelVersion),
      itemCount: ns.items.length,
      changes,
      drew,
      people,
    };
  }

  async write(api: string, people: readonly PersonWrite[], ops: readonly PopularityOp[]): Promise<number> {
    const ns = this.ns(api);
    for (const p of people) if ((ns.people.get(p.id)?.version ?? '0') !== p.expected) return 0;
    const version = ++ns.version;
    for (const p of people) {
      const old = ns.people.get(p.id);
      if (p.mode === 'del') ns.people.delete(p.id);
      else if (p.mode === 'new' || old === undefined) {
        const stored = { record: p.record, version: String(version), optOut: p.optOut, stations: [...p.stations] };
        ns.people.set(p.id, { ...stored, draws: 0, seq: ++ns.seq });
      } else {
        ns.people.set(p.id, {
          ...old,
          record: p.record,
          version: String(version),
          optOut: p.optOut,
          stations: [...p.stations],
        });
      }
    }
    // Replays the deltas as PopularityModel does, on the stored rows of the touched items.
    const model = new PopularityModel(ns.decay);
    const touched = [...new Set(ops.map((o) => o.item))];
    const size = Math.max(0, ...touched) + 1;
    model.load(
      size,
      touched.flatMap((i) => (ns.pop.has(i) ? [ns.pop.get(i)!] : [])),
    );
    for (const o of ops) {
      if (o.kind === 'a') model.add(o.item, o.pos, o.neg, o.t, o.newRecord);
      else model.remove(o.item, o.pos, o.neg, o.t);
    }
    const rows = new Map(model.toJSON().map((row) => [row[0], row]));
    for (const item of touched) {
      const row = rows.get(item);
      if (row === undefined) ns.pop.delete(item);
      else ns.pop.set(item, row);
      ns.popChanged.set(item, version);
    }
    return version;
  }

  async appendItems(api: string, expected: number, items: readonly Item[]): Promise<boolean> {
    const ns = this.ns(api);
    if (ns.items.length !== expected) return false;
    ns.items.push(...items.map((i) => JSON.stringify(i)));
    return true;
  }

  async model(api: string): Promise<{ json: unknown; version: string }> {
    const ns = this.ns(api);
    return {
      json: ns.model === undefined ? undefined : this.parse(ns.model, api, 'the collaborative model'),
      version: String(ns.modelVersion),
    };
  }

  async publishModel(api: string, json: unknown): Promise<string> {
    const ns = this.ns(api);
    ns.model = json === undefined ? undefined : await stringifyInSlices(json);
    return String(++ns.modelVersion);
  }

  async replacePopularity(api: string, version: string, rows: PopularityJson): Promise<boolean> {
    const ns = this.ns(api);
    if (String(ns.version) !== version) return false;
    const v = ++ns.version;
    for (const item of ns.pop.keys()) ns.popChanged.set(item, v);
    ns.pop = new Map(rows.map((row) => [row[0], [...row] as PopularityJson[number]]));
    for (const item of ns.pop.keys()) ns.popChanged.set(item, v);
    return true;
  }

  async readAll(api: string): Promise<{ version: string; snapshot: Snapshot; unreadable: string[] } | undefined> {
    const ns = this.ns(api);
    const people: PersonJson[] = [];
    const unreadable: string[] = [];
    for (const [id, p] of [...ns.people].sort(([, a], [, b]) => a.seq - b.seq)) {
      const json = readRecord(p.record, id);
      if (json === undefined) unreadable.push(id);
      else people.push({ ...json, draws: p.draws });
    }
    const snapshot: Snapshot = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      options: JSON.parse(ns.options) as OptionsJson,
      items: ns.items.map((s, i) => this.parse(s, api, `catalog entry ${i}`) as Item),
      people,
      popularity: [...ns.pop.values()].sort((a, b) => a[0] - b[0]).map((r) => [...r] as PopularityJson[number]),
      ...(ns.model !== undefined ? { collaborative: this.parse(ns.model, api, 'the collaborative model') } : {}),
    };
    return { version: String(ns.version), snapshot, unreadable };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
