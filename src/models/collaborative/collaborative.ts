/**
 * The collaborative part of the blend: implicit-feedback ALS (Hu, Koren &
 * Volinsky 2008) fitted on everyone's evidence, with each person's vector
 * re-solved in closed form against the fixed item factors after every
 * feedback (fold-in), so the next list reflects it without a retrain.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { AlsModel, interactionsFromCoordinates, type AlsOptions, type FitProgress } from '../mf/index.js';

/**
 * One person's collaborative entries, read from their evidence: per item,
 * the decayed importance of positive signals P and of negative ones N,
 * decayed to the person's latest learned evidence; preference p = 1 when
 * P > N (a thumbs-down is a known zero with high confidence, not missing
 * data), confidence P + N. Items sorted by index.
 */
export interface UserEntries {
  items: Int32Array;
  confidence: Float64Array;
  preference: Float64Array;
}

/** One person's entries for training, keyed by their id (seeded initialisation). */
export interface KeyedEntries {
  key: string;
  entries: UserEntries;
}

/** Entries restricted to the first `itemCount` items (a model fitted before later items were added). */
function known(e: UserEntries, itemCount: number): UserEntries {
  let n = 0;
  while (n < e.items.length && e.items[n]! < itemCount) n++;
  if (n === e.items.length) return e;
  return { items: e.items.subarray(0, n), confidence: e.confidence.subarray(0, n), preference: e.preference.subarray(0, n) };
}

/** Options of the collaborative model inside the recommender. */
export interface CollaborativeOptions extends AlsOptions {
  /** Scale of the collaborative contribution in score points (implicit-ALS scores are preferences of about 0–1, so a difference of 0.1 is worth 3 points, like a strong tag). @default 30 */
  weight?: number;
}

/** The largest collaborative weight a snapshot may carry. */
export const MAX_COLLABORATIVE_WEIGHT = 1e4;
/** The largest item factor a snapshot may carry (fitted factors are of order 1). */
export const MAX_FACTOR_VALUE = 1e3;

export const COLLABORATIVE_DEFAULTS = { factors: 32, regularization: 5, alpha: 0.5, iterations: 15, weight: 30 } as const;

export class CollaborativeModel {
  private constructor(readonly als: AlsModel, readonly weight: number) {}

  get itemCount(): number {
    return this.als.itemCount;
  }

  /**
   * Fits ALS on every user's entries (users in the given order, items in
   * catalog order, each keyed by id for seeded initialisation). Returns
   * undefined when there is nothing to learn from.
   */
  static train(people: Iterable<KeyedEntries>, catalog: Catalog, options: CollaborativeOptions, onProgress?: (p: FitProgress) => void) {
    const rows: number[] = [];
    const cols: number[] = [];
    const conf: number[] = [];
    const pref: number[] = [];
    const keys: string[] = [];
    for (const { key, entries: e } of people) {
      if (e.items.length === 0) continue;
      const u = keys.length;
      keys.push(key);
      e.items.forEach((item, k) => {
        rows.push(u);
        cols.push(item);
        conf.push(e.confidence[k]!);
        pref.push(e.preference[k]!);
      });
    }
    if (keys.length === 0) return undefined;
    const { weight = COLLABORATIVE_DEFAULTS.weight, ...als } = options;
    const data = interactionsFromCoordinates(keys.length, catalog.size, rows, cols, conf, pref);
    const hooks = { userKeys: keys, itemKeys: catalog.ids, ...(onProgress !== undefined ? { onProgress } : {}) };
    const { weight: _defaultWeight, ...defaults } = COLLABORATIVE_DEFAULTS;
    const { model, report } = AlsModel.fit(data, { ...defaults, ...als }, hooks);
    return { model: new CollaborativeModel(model, weight), report };
  }

  /** Raw ALS score x_u · y_i of one item. */
  score(vector: Float64Array, item: number): number {
    return this.als.score(vector, item);
  }

  /** The user's exact vector: a closed-form solve against the fixed item factors (undefined without entries). */
  foldIn(entries: UserEntries): Float64Array | undefined {
    const e = known(entries, this.als.itemCount);
    if (e.items.length === 0) return undefined;
    return this.als.foldIn(e.items, e.confidence, e.preference);
  }

  /** Raw ALS scores x_u · y_i for every item the model knows; later items get 0. */
  scoreInto(vector: Float64Array, out: Float64Array): void {
    if (out.length === this.als.itemCount) {
      this.als.scoreInto(vector, out);
      return;
    }
    const known = new Float64Array(this.als.itemCount);
    this.als.scoreInto(vector, known);
    out.fill(0);
    out.set(known.subarray(0, Math.min(known.length, out.length)));
  }

  /**
   * The exact per-liked-item decomposition of one item's raw score
   * (HKV section 5), for the user's own fold-in.
   */
  explain(entries: UserEntries, item: number) {
    const e = known(entries, this.als.itemCount);
    return this.als.explain(e.items, e.confidence, e.preference, item);
  }

  /** {@link explain} for several items with one factorisation. */
  explainMany(entries: UserEntries, items: readonly number[]) {
    const e = known(entries, this.als.itemCount);
    return this.als.explainMany(e.items, e.confidence, e.preference, items);
  }

  /** JSON of the item side only: user vectors are re-derived from evidence. */
  toJSON(): unknown {
    const json = this.als.toJSON();
    return { weight: this.weight, als: { ...json, userCount: 0, userFactors: [] } };
  }

  /**
   * Reads {@link toJSON}, as strictly as a fit would produce it: a weight
   * from 0 to MAX_COLLABORATIVE_WEIGHT and item factors no larger in size
   * than MAX_FACTOR_VALUE (so no score can overflow).
   */
  static fromJSON(raw: unknown): CollaborativeModel {
    const o = raw as { weight?: unknown; als?: unknown } | null;
    if (o === null || typeof o !== 'object' || typeof o.weight !== 'number' || !(o.weight >= 0 && o.weight <= MAX_COLLABORATIVE_WEIGHT)) {
      throw new Error(`collaborative must be { weight, als } with a weight from 0 to ${MAX_COLLABORATIVE_WEIGHT}`);
    }
    const als = AlsModel.fromJSON(o.als);
    if (als.toJSON().itemFactors.some((v) => Math.abs(v) > MAX_FACTOR_VALUE)) throw new Error(`item factors must be at most ${MAX_FACTOR_VALUE} in size`);
    return new CollaborativeModel(als, o.weight);
  }
}
