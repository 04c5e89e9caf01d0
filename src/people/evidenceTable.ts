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
import type { ItemEvidence } from './evidence.js';

const T = 0;
const UP = 1;
const DOWN = 2;
const SKIP = 3;
const PLAY = 4;
const PURCHASE = 5;
const COUNT = 6;
const FIRST = 7;
const LAST = 8;
const THUMB = 9;
const THUMB_AT = 10;
const IMPLICIT_SINCE = 11;
const LEARNED = 12;
const WIDTH = 13;

export class EvidenceTable {
  private readonly slots = new Map<number, number>();
  private items = new Int32Array(4);
  private data = new Float64Array(4 * WIDTH);
  /** Context sums, only for records given with a context (item → feature → [pos, neg]). */
  private readonly contexts = new Map<number, Record<string, [number, number]>>();
  private readonly view: ItemEvidence = {
    t: 0, up: 0, down: 0, skip: 0, play: 0, purchase: 0, count: 0, first: 0, last: 0, thumb: 0, thumbAt: 0, implicitSince: 0, learned: false, ctx: undefined,
  };

  get size(): number {
    return this.slots.size;
  }

  has(item: number): boolean {
    return this.slots.has(item);
  }

  /** A copy of the record of `item`. */
  get(item: number): ItemEvidence | undefined {
    const slot = this.slots.get(item);
    return slot === undefined ? undefined : this.fill({ ...this.view }, item, slot);
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
    d[o + UP] = e.up;
    d[o + DOWN] = e.down;
    d[o + SKIP] = e.skip;
    d[o + PLAY] = e.play;
    d[o + PURCHASE] = e.purchase;
    d[o + COUNT] = e.count;
    d[o + FIRST] = e.first;
    d[o + LAST] = e.last;
    d[o + THUMB] = e.thumb;
    d[o + THUMB_AT] = e.thumbAt;
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
    while (this.items.length < rows) this.grow();
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
    for (let slot = 0; slot < n; slot++) {
      const item = this.items[slot]!;
      fn(item, this.fill(this.view, item, slot));
    }
  }

  private fill(e: ItemEvidence, item: number, slot: number): ItemEvidence {
    const d = this.data;
    const o = slot * WIDTH;
    e.t = d[o + T]!;
    e.up = d[o + UP]!;
    e.down = d[o + DOWN]!;
    e.skip = d[o + SKIP]!;
    e.play = d[o + PLAY]!;
    e.purchase = d[o + PURCHASE]!;
    e.count = d[o + COUNT]!;
    e.first = d[o + FIRST]!;
    e.last = d[o + LAST]!;
    e.thumb = d[o + THUMB]! as -1 | 0 | 1;
    e.thumbAt = d[o + THUMB_AT]!;
    e.implicitSince = d[o + IMPLICIT_SINCE]!;
    e.learned = d[o + LEARNED] === 1;
    const ctx = this.contexts.get(item);
    e.ctx = ctx === undefined ? undefined : Object.fromEntries(Object.entries(ctx).map(([c, [p, n]]) => [c, [p, n]]));
    return e;
  }

  private grow(): void {
    const items = new Int32Array(this.items.length * 2);
    items.set(this.items);
    this.items = items;
    const data = new Float64Array(this.data.length * 2);
    data.set(this.data);
    this.data = data;
  }
}
