/**
 * A person's records, one row per item, stored column-wise in one growing
 * Float64Array (8 bytes a number, where an object would box each number on
 * the heap): a person with 500 items costs about 130 bytes an item, so a
 * million (person, item) pairs fit in well under half a gigabyte.
 *
 * It reads like a Map from item index to {@link ItemEvidence}, except that
 * `get` returns a copy: a caller that changes a record writes it back with
 * `set`. `forEachView` walks the rows with one reused object, for hot loops
 * that only read.
 */
import { LEARNING_SIGNALS, newItemEvidence, type ItemEvidence, type LearningSignal } from './evidence.js';

/** A row: the reference time, one sum per learning signal (in LEARNING_SIGNALS order), then the rest. */
const T = 0;
const WT = 1;
const SUMS = 2;
const COUNT = SUMS + LEARNING_SIGNALS.length;
const FIRST = COUNT + 1;
const LAST = COUNT + 2;
const THUMB = COUNT + 3;
const THUMB_AT = COUNT + 4;
const IMPLICIT_SINCE = COUNT + 5;
const LEARNED = COUNT + 6;
const UP_AT = COUNT + 7;
const WIDTH = COUNT + 8;

/**
 * A person's records column by column: every column a plain array of
 * numbers (which JSON parses into unboxed double arrays, cheap to read even
 * for a million records). `flags`: bit 0 learned, bit 1 has a reference time
 * (a learning signal was given), bit 2 has an implicit signal, bit 3 the
 * time of the latest thumbs-up off any station is not known (a record from
 * before it was kept); `thumbAt` is read only where `thumb` is not 0, `upAt`
 * is 0 where there is none. `ctx`: [row, context sums] for the rows
 * that have them.
 */
export type EvidenceColumns = EvidenceColumnsBase & Record<LearningSignal, number[]>;

/** The columns besides one per learning signal (`up`, `down`, `skip`, `play`, `purchase`). */
export interface EvidenceColumnsBase {
  item: number[];
  /** The sums' reference time on the person's own clock (0 before any learning signal). */
  t: number[];
  /** The wall time at `t` (0 before any learning signal). */
  wt: number[];
  count: number[];
  first: number[];
  last: number[];
  thumb: number[];
  thumbAt: number[];
  /** The latest thumbs-up given off any station (0 when none or not known, see `flags`). */
  upAt: number[];
  implicitSince: number[];
  flags: number[];
  ctx: [number, Record<string, [number, number]>][];
}

export class EvidenceTable {
  private readonly slots = new Map<number, number>();
  private items = new Int32Array(4);
  private data = new Float64Array(4 * WIDTH);
  /** Context sums, only for records given with a context (item → feature → [pos, neg]). */
  private readonly contexts = new Map<number, Record<string, [number, number]>>();

  get size(): number {
    return this.slots.size;
  }

  has(item: number): boolean {
    return this.slots.has(item);
  }

  /** A copy of the record of `item`. */
  get(item: number): ItemEvidence | undefined {
    const slot = this.slots.get(item);
    return slot === undefined ? undefined : this.fill(blankRecord(), item, slot, true);
  }

  /** Writes the record of `item` (adding a row when it is new). */
  set(item: number, e: ItemEvidence): this {
    let slot = this.slots.get(item);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot === this.items.length) this.grow();
      this.slots.set(item, slot);
      this.items[slot] = item;
    }
    const d = this.data;
    const o = slot * WIDTH;
    d[o + T] = e.t;
    d[o + WT] = e.wt;
    LEARNING_SIGNALS.forEach((signal, k) => (d[o + SUMS + k] = e[signal]));
    d[o + COUNT] = e.count;
    d[o + FIRST] = e.first;
    d[o + LAST] = e.last;
    d[o + THUMB] = e.thumb;
    d[o + THUMB_AT] = e.thumbAt;
    d[o + UP_AT] = e.upAt;
    d[o + IMPLICIT_SINCE] = e.implicitSince;
    d[o + LEARNED] = e.learned ? 1 : 0;
    if (e.ctx === undefined) this.contexts.delete(item);
    else this.contexts.set(item, e.ctx);
    return this;
  }

  /** Removes the record of `item` (the last row moves into its place). */
  delete(item: number): boolean {
    const slot = this.slots.get(item);
    if (slot === undefined) return false;
    const last = this.slots.size - 1;
    if (slot !== last) {
      const moved = this.items[last]!;
      this.data.copyWithin(slot * WIDTH, last * WIDTH, (last + 1) * WIDTH);
      this.items[slot] = moved;
      this.slots.set(moved, slot);
    }
    this.slots.delete(item);
    this.contexts.delete(item);
    return true;
  }

  /** Makes room for `rows` records at once (a restore knows how many). */
  reserve(rows: number): void {
    if (this.items.length < rows) this.resize(rows);
  }

  /** Item indices, in row order. */
  keys(): number[] {
    return Array.from(this.items.subarray(0, this.slots.size));
  }

  /** [item, copy of its record] for every row. */
  *[Symbol.iterator](): Generator<[number, ItemEvidence]> {
    for (const item of this.keys()) yield [item, this.get(item)!];
  }

  /** Calls `fn` for every row with one reused, read-only view (do not keep it). */
  forEachView(fn: (item: number, e: Readonly<ItemEvidence>) => void): void {
    const n = this.slots.size;
    const view = blankRecord();
    for (let slot = 0; slot < n; slot++) {
      const item = this.items[slot]!;
      fn(item, this.fill(view, item, slot, false));
    }
  }

  /** The records column by column (see {@link EvidenceColumns}). */
  toColumns(): EvidenceColumns {
    const n = this.slots.size;
    const col = (field: number) => Array.from({ length: n }, (_, slot) => this.data[slot * WIDTH + field]!);
    const t = col(T);
    const wt = col(WT);
    const thumbAt = col(THUMB_AT);
    const upAt = col(UP_AT);
    const implicitSince = col(IMPLICIT_SINCE);
    const flags = Array.from(
      { length: n },
      (_, slot) =>
        (this.data[slot * WIDTH + LEARNED] === 1 ? 1 : 0) |
        (Number.isFinite(t[slot]) ? 2 : 0) |
        (Number.isFinite(implicitSince[slot]) ? 4 : 0) |
        (upAt[slot] === -Infinity ? 8 : 0),
    );
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(t[k])) t[k] = 0;
      if (!Number.isFinite(wt[k])) wt[k] = 0;
      if (!Number.isFinite(thumbAt[k])) thumbAt[k] = 0;
      if (!Number.isFinite(upAt[k])) upAt[k] = 0;
      if (!Number.isFinite(implicitSince[k])) implicitSince[k] = 0;
    }
    const items = Array.from(this.items.subarray(0, n));
    const ctx: [number, Record<string, [number, number]>][] = [];
    items.forEach((item, row) => {
      const c = this.contexts.get(item);
      if (c !== undefined) ctx.push([row, c]);
    });
    return {
      item: items,
      t,
      wt,
      ...(Object.fromEntries(LEARNING_SIGNALS.map((signal, k) => [signal, col(SUMS + k)])) as Record<
        LearningSignal,
        number[]
      >),
      count: col(COUNT),
      first: col(FIRST),
      last: col(LAST),
      thumb: col(THUMB),
      thumbAt,
      upAt,
      implicitSince,
      flags,
      ctx,
    };
  }

  /** Rows from columns written by {@link toColumns} (validated by the caller: equal lengths, distinct items). */
  static fromColumns(c: EvidenceColumns): EvidenceTable {
    const table = new EvidenceTable();
    const n = c.item.length;
    table.reserve(n);
    const d = table.data;
    for (let row = 0; row < n; row++) {
      const item = c.item[row]!;
      const flags = c.flags[row]!;
      table.slots.set(item, row);
      table.items[row] = item;
      const o = row * WIDTH;
      d[o + T] = flags & 2 ? c.t[row]! : -Infinity;
      d[o + WT] = flags & 2 ? c.wt[row]! : -Infinity;
      LEARNING_SIGNALS.forEach((signal, k) => (d[o + SUMS + k] = c[signal][row]!));
      d[o + COUNT] = c.count[row]!;
      d[o + FIRST] = c.first[row]!;
      d[o + LAST] = c.last[row]!;
      d[o + THUMB] = c.thumb[row]!;
      d[o + THUMB_AT] = c.thumb[row] === 0 ? Number.NaN : c.thumbAt[row]!;
      d[o + UP_AT] = flags & 8 ? -Infinity : c.upAt[row] === 0 ? Number.NaN : c.upAt[row]!;
      d[o + IMPLICIT_SINCE] = flags & 4 ? c.implicitSince[row]! : Infinity;
      d[o + LEARNED] = flags & 1;
    }
    for (const [row, ctx] of c.ctx) table.contexts.set(c.item[row]!, ctx);
    return table;
  }

  /** Reads a row into `e`; a copy gets its own context sums, the read-only view shares them. */
  private fill(e: ItemEvidence, item: number, slot: number, copy: boolean): ItemEvidence {
    const d = this.data;
    const o = slot * WIDTH;
    e.t = d[o + T]!;
    e.wt = d[o + WT]!;
    for (let k = 0; k < LEARNING_SIGNALS.length; k++) e[LEARNING_SIGNALS[k]!] = d[o + SUMS + k]!;
    e.count = d[o + COUNT]!;
    e.first = d[o + FIRST]!;
    e.last = d[o + LAST]!;
    e.thumb = d[o + THUMB]! as -1 | 0 | 1;
    e.thumbAt = d[o + THUMB_AT]!;
    e.upAt = d[o + UP_AT]!;
    e.implicitSince = d[o + IMPLICIT_SINCE]!;
    e.learned = d[o + LEARNED] === 1;
    const ctx = this.contexts.get(item);
    e.ctx =
      ctx === undefined || !copy ? ctx : Object.fromEntries(Object.entries(ctx).map(([c, [p, n]]) => [c, [p, n]]));
    return e;
  }

  private grow(): void {
    this.resize(this.items.length * 2);
  }

  private resize(rows: number): void {
    const items = new Int32Array(rows);
    items.set(this.items.subarray(0, Math.min(rows, this.items.length)));
    this.items = items;
    const data = new Float64Array(rows * WIDTH);
    data.set(this.data.subarray(0, Math.min(rows * WIDTH, this.data.length)));
    this.data = data;
  }
}

/**
 * A record to read a row into, every field written in the order of {@link newItemEvidence}. Made
 * afresh for each read rather than kept per table: a record kept since the table was made keeps
 * the shape of its fields as they were then, and when V8 has since widened them (a count that
 * became a fraction), code reading the tables of many people met an old shape table after table
 * and was thrown out of its optimised form each time (measured: two dozen deoptimisations of
 * this file's readers in 480 requests for different people).
 */
function blankRecord(): ItemEvidence {
  return {
    t: 0,
    wt: 0,
    up: 0,
    down: 0,
    skip: 0,
    play: 0,
    purchase: 0,
    count: 0,
    first: 0,
    last: 0,
    thumb: 0,
    thumbAt: 0,
    upAt: 0,
    implicitSince: 0,
    learned: false,
    ctx: undefined,
  };
}

/**
 * What a reset with `keepBans` keeps of a table: for each banned item, a
 * record of its thumbs-down alone (its decayed `down` sum, one event, the
 * ban's time), so the ban goes on teaching what the person does not want.
 */
export function keepOnlyBans(evidence: EvidenceTable, banned: ReadonlyMap<number, number>): EvidenceTable {
  const kept = new EvidenceTable();
  for (const [item, record] of evidence) {
    const at = banned.get(item);
    if (at === undefined) continue;
    kept.set(item, {
      ...newItemEvidence(record.t),
      t: record.t,
      wt: record.wt,
      down: record.down,
      count: 1,
      first: record.first,
      last: record.last,
      thumb: -1,
      thumbAt: at,
    });
  }
  return kept;
}
