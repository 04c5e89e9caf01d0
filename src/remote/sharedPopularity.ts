/**
 * The popularity sums as one process sees them: a read-only mirror of the
 * sums in the store for ranking, which records the deltas that learning
 * makes (add / remove, exactly the calls the in-memory model receives)
 * instead of applying them. The store writes the recorded deltas with the
 * person's record in one step (see RemoteStore.write), replaying them on
 * the stored sums; the mirror catches up at the next request.
 */
import { PopularityModel, type PopularityJson } from '../models/popularity/popularity.js';

/** One learning delta: add (with whether a record starts contributing) or remove. */
export type PopularityOp =
  | { kind: 'a'; item: number; pos: number; neg: number; t: number; newRecord: boolean }
  | { kind: 'r'; item: number; pos: number; neg: number; t: number };

export class SharedPopularity extends PopularityModel {
  private ops: PopularityOp[] = [];
  private readonly rows = new Map<number, PopularityJson[number]>();
  private itemCount = 0;

  override add(item: number, positive: number, negative: number, at: number, newRecord: boolean): void {
    this.ops.push({ kind: 'a', item, pos: positive, neg: negative, t: at, newRecord });
  }

  override remove(item: number, positive: number, negative: number, t: number): void {
    this.ops.push({ kind: 'r', item, pos: positive, neg: negative, t });
  }

  override resize(itemCount: number): void {
    this.itemCount = Math.max(this.itemCount, itemCount);
    super.resize(itemCount);
  }

  /** The deltas recorded since the last call, and a clean slate. */
  takeOps(): PopularityOp[] {
    const ops = this.ops;
    this.ops = [];
    return ops;
  }

  /** Applies sums read from the store (`undefined`: the item has none left) and reloads the mirror. */
  update(changes: readonly [number, PopularityJson[number] | undefined][]): void {
    for (const [item, row] of changes) {
      if (row === undefined) this.rows.delete(item);
      else this.rows.set(item, row);
    }
    this.load(
      this.itemCount,
      [...this.rows.values()].filter((r) => r[0] < this.itemCount),
    );
  }
}
