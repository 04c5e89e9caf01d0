/**
 * The collaborative part of the blend: implicit-feedback ALS (Hu, Koren &
 * Volinsky 2008) fitted on everyone's evidence, with each person's vector
 * re-solved in closed form against the fixed item factors after every
 * feedback (fold-in), so the next list reflects it without a retrain.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { finishSteps, forEachInSlices, throwIfAborted, yieldToEventLoop, type Steps } from '../mf/training/runners.js';
import {
  AlsModel,
  interactionsFromRows,
  type AlsOptions,
  type BackgroundFitHooks,
  type FitProgress,
  type TrainReport,
} from '../mf/index.js';
import { KeptFolds, keptCapacity } from './keptFolds.js';

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
  return {
    items: e.items.subarray(0, n),
    confidence: e.confidence.subarray(0, n),
    preference: e.preference.subarray(0, n),
  };
}

/** Options of the collaborative model inside the recommender. */
export interface CollaborativeOptions extends AlsOptions {
  /** Scale of the collaborative contribution in score points (implicit-ALS scores are preferences of about 0–1, so a difference of 0.1 is worth 6 points). @default 60 */
  weight?: number;
}

/** The largest collaborative weight a snapshot may carry. */
export const MAX_COLLABORATIVE_WEIGHT = 1e4;
/** The largest item factor a snapshot may carry (fitted factors are of order 1). */
export const MAX_FACTOR_VALUE = 1e3;

/**
 * Defaults of the collaborative model, chosen by the sweep in benchmarks/mf/sweep.ts on
 * MovieLens only and checked untouched on a generated play-count log
 * (benchmarks/mf/playcounts.ts; both tables in benchmarks/README.md). Large
 * weights are treated before ALS sees them (see people/entries: each signal's
 * decayed weight sum goes through `logAboveOne`), each person's entries are
 * put on their own scale (`relativeToTypical`: a typical entry has r = 1),
 * and the confidence itself is HKV's linear c = 1 + α·r. α = 1.25 (a typical
 * entry weighs 2.25 against an unknown item's 1) was chosen with the scale on
 * tuning splits of MovieLens (benchmarks/mf/tune.ts); it replaced 0.5 on an
 * absolute scale, where one play had c = 1.25 and one up c = 2.5.
 */
export const COLLABORATIVE_DEFAULTS = {
  factors: 128,
  regularization: 20,
  alpha: 1.25,
  iterations: 15,
  weight: 60,
} as const;

export class CollaborativeModel {
  /** The fold-ins of the scopes served last, with their factorisations (bounded; see keptFolds.ts). */
  readonly kept: KeptFolds;

  /** `imported`: item factors trained elsewhere (`importItemFactors`), which `train()` keeps unless told to replace them. */
  private constructor(
    readonly als: AlsModel,
    readonly weight: number,
    readonly imported = false,
  ) {
    this.kept = new KeptFolds(keptCapacity(als.factors));
  }

  /** Wraps item factors trained elsewhere (see src/train/importFactors.ts). */
  static fromImported(als: AlsModel, weight: number): CollaborativeModel {
    return new CollaborativeModel(als, weight, true);
  }

  get itemCount(): number {
    return this.als.itemCount;
  }

  /**
   * Fits ALS on every person's entries (people in the given order, items in
   * catalog order, each keyed by id for seeded initialisation). Returns
   * undefined when there is nothing to learn from.
   */
  static train(
    people: Iterable<KeyedEntries>,
    catalog: Catalog,
    options: CollaborativeOptions,
    onProgress?: (p: FitProgress) => void,
  ) {
    const rows: UserEntries[] = [];
    const keys: string[] = [];
    for (const person of people) CollaborativeModel.gather(person, rows, keys);
    const input = CollaborativeModel.fitInput(rows, keys, catalog, options);
    if (input === undefined) return undefined;
    const { model, report } = AlsModel.fit(input.data, input.als, {
      ...input.keys,
      ...(onProgress !== undefined ? { onProgress } : {}),
    });
    return { model: new CollaborativeModel(model, input.weight), report };
  }

  /**
   * {@link train} off the event loop (worker threads where registered, else
   * time slices): the same model. People's entries are read in slices of a
   * few milliseconds too (`entries` is called lazily, person by person), so
   * feedback that arrives meanwhile may count for people not yet read.
   */
  static async trainInBackground(
    people: Iterable<{ key: string; entries: () => UserEntries }>,
    catalog: Catalog,
    options: CollaborativeOptions,
    hooks: Pick<BackgroundFitHooks, 'signal' | 'threads' | 'onProgress'>,
  ): Promise<{ model: CollaborativeModel; report: TrainReport } | undefined> {
    const rows: UserEntries[] = [];
    const keys: string[] = [];
    await forEachInSlices(
      people,
      (person) => CollaborativeModel.gather({ key: person.key, entries: person.entries() }, rows, keys),
      hooks.signal,
      'trainInBackground',
    );
    await yieldToEventLoop();
    throwIfAborted(hooks.signal, 'trainInBackground');
    const input = CollaborativeModel.fitInput(rows, keys, catalog, options);
    if (input === undefined) return undefined;
    const { model, report } = await AlsModel.fitInBackground(input.data, input.als, { ...input.keys, ...hooks });
    return { model: new CollaborativeModel(model, input.weight), report };
  }

  private static gather(person: KeyedEntries, rows: UserEntries[], keys: string[]): void {
    if (person.entries.items.length === 0) return;
    rows.push(person.entries);
    keys.push(person.key);
  }

  /** What a fit needs: the people's entries as one CSR matrix, the ALS options and the blend weight. */
  private static fitInput(
    rows: readonly UserEntries[],
    keys: string[],
    catalog: Catalog,
    options: CollaborativeOptions,
  ) {
    if (keys.length === 0) return undefined;
    const { weight = COLLABORATIVE_DEFAULTS.weight, ...als } = options;
    const data = interactionsFromRows(catalog.size, rows);
    const { weight: _defaultWeight, ...defaults } = COLLABORATIVE_DEFAULTS;
    // A rank above min(users, items) cannot be learned; capping it keeps small worlds fast.
    const factors = Math.max(1, Math.min(als.factors ?? defaults.factors, keys.length, catalog.size));
    return { data, als: { ...defaults, ...als, factors }, weight, keys: { userKeys: keys, itemKeys: catalog.ids } };
  }

  /** Raw ALS score x_u · y_i of one item. */
  score(vector: Float64Array, item: number): number {
    return this.als.score(vector, item);
  }

  /**
   * The user's exact vector: a closed-form solve against the fixed item
   * factors (undefined without entries). Its factorisation is kept for
   * {@link explainMany} of the same `entries` object (see keptFolds.ts).
   */
  foldIn(entries: UserEntries): Float64Array | undefined {
    const e = known(entries, this.als.itemCount);
    if (e.items.length === 0) return undefined;
    const folded = this.als.foldInKeeping(e.items, e.confidence, e.preference);
    this.kept.set(entries, folded);
    return folded.vector;
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
   * Raw ALS scores x_u · y_i of `items` (ascending catalog indices), written at out[i]; items the
   * model does not know (added after it was fitted) get 0. The same numbers as {@link scoreInto}.
   */
  scoreItemsInto(vector: Float64Array, items: Int32Array, out: Float64Array): void {
    const known = this.als.itemCount;
    let n = items.length;
    while (n > 0 && items[n - 1]! >= known) out[items[--n]!] = 0;
    this.als.scoreItemsInto(vector, n === items.length ? items : items.subarray(0, n), out);
  }

  /** The item factors (itemCount × factors, row-major) for the retrieval index; read only. */
  itemFactors(): { values: Float64Array; items: number; factors: number } {
    return { values: this.als.itemFactorRows(), items: this.als.itemCount, factors: this.als.factors };
  }

  /**
   * The exact per-liked-item decomposition of one item's raw score
   * (HKV section 5), for the user's own fold-in.
   */
  explain(entries: UserEntries, item: number) {
    const e = known(entries, this.als.itemCount);
    return this.als.explain(e.items, e.confidence, e.preference, item);
  }

  /**
   * {@link explain} for several items with one factorisation — none when
   * the fold-in of this `entries` object is still kept: then substitutions
   * only, with the same numbers.
   */
  explainMany(entries: UserEntries, items: readonly number[]) {
    const e = known(entries, this.als.itemCount);
    const folded = this.kept.get(entries);
    return this.als.explainMany(e.items, e.confidence, e.preference, items, undefined, folded);
  }

  /** JSON of the item side only: user vectors are re-derived from evidence. */
  toJSON(): unknown {
    const view = this.toJSONView();
    return { ...view, als: { ...view.als, userFactors: [], itemFactors: Array.from(view.als.itemFactors) } };
  }

  /** {@link toJSON} with the item factors as the model's own typed array (no copy), for a writer that streams them. */
  toJSONView() {
    return {
      weight: this.weight,
      ...(this.imported ? { imported: true } : {}),
      als: { ...this.als.toJSONView(), userCount: 0, userFactors: new Float64Array(0) },
    };
  }

  /**
   * Reads {@link toJSON}, as strictly as a fit would produce it: a weight
   * from 0 to MAX_COLLABORATIVE_WEIGHT and item factors no larger in size
   * than MAX_FACTOR_VALUE (so no score can overflow).
   */
  static fromJSON(raw: unknown): CollaborativeModel {
    return finishSteps(CollaborativeModel.fromJSONSteps(raw));
  }

  /**
   * The model that reading {@link toJSONView} back from its JSON text gives
   * — the same numbers to the bit, which the model itself does not hold (a
   * fit sums its Gram matrix in another order than a read does) — without
   * making or parsing the text, as steps. For a process that published this
   * model to a store and serves it as every other process reads it there.
   * Throws what reading its text would throw.
   */
  static *readBackSteps(model: CollaborativeModel): Steps<CollaborativeModel> {
    const view = model.toJSONView();
    // The small members through JSON text; the factors stay the model's own arrays, copied as their text would give them.
    const raw = JSON.parse(JSON.stringify({ ...view, als: { ...view.als, userFactors: [], itemFactors: [] } })) as {
      als: Record<string, unknown>;
    };
    raw.als['userFactors'] = view.als.userFactors;
    raw.als['itemFactors'] = view.als.itemFactors;
    return yield* CollaborativeModel.fromJSONSteps(raw, true);
  }

  /** {@link fromJSON} as steps that pause every few milliseconds of work (see `AlsModel.fromJSONSteps`; `ownFactors` there). */
  static *fromJSONSteps(raw: unknown, ownFactors = false): Steps<CollaborativeModel> {
    const o = raw as { weight?: unknown; als?: unknown; imported?: unknown } | null;
    if (
      o === null ||
      typeof o !== 'object' ||
      typeof o.weight !== 'number' ||
      !(o.weight >= 0 && o.weight <= MAX_COLLABORATIVE_WEIGHT)
    ) {
      throw new Error(`collaborative must be { weight, als } with a weight from 0 to ${MAX_COLLABORATIVE_WEIGHT}`);
    }
    if (o.imported !== undefined && o.imported !== true)
      throw new Error('collaborative.imported must be true when present');
    const als = yield* AlsModel.fromJSONSteps(o.als, ownFactors);
    const factors = als.toJSONView().itemFactors;
    for (let i = 0; i < factors.length; i++) {
      if (Math.abs(factors[i]!) > MAX_FACTOR_VALUE)
        throw new Error(`item factors must be at most ${MAX_FACTOR_VALUE} in size`);
      if ((i & 0xffff) === 0xffff) yield;
    }
    return new CollaborativeModel(als, o.weight, o.imported === true);
  }
}
