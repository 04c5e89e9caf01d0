/**
 * The collaborative part of the blend: implicit-feedback ALS (Hu, Koren &
 * Volinsky 2008) fitted on everyone's retained events, with each user's
 * vector re-solved in closed form against the fixed item factors after
 * every feedback (fold-in), so the next list reflects it without a retrain.
 *
 * A user's entries are a pure function of their events: per item, the
 * decayed importance of positive signals P and of negative ones N, decayed
 * to the user's latest event; preference p = 1 when P > N (a thumbs-down is
 * a known zero with high confidence, not missing data), confidence P + N.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { decayFactor } from '../../decay/halfLife.js';
import { SIGNALS } from '../../feedback/signals.js';
import type { UserState } from '../../profile/userState.js';
import type { Signal } from '../../types.js';
import { SLICE_MS, throwIfAborted, yieldToEventLoop } from '../mf/training/runners.js';
import { AlsModel, interactionsFromRows, logAboveOne, type AlsOptions, type BackgroundFitHooks, type FitProgress, type TrainReport } from '../mf/index.js';

/** One user's collaborative entries. */
export interface UserEntries {
  items: Int32Array;
  confidence: Float64Array;
  preference: Float64Array;
}

/**
 * Per item, the user's decayed positive and negative evidence (items the
 * model knows only). Evidence from before a detected life-stage change is
 * faded by the same factor as in the content model. Each signal's decayed
 * sum of weights on an item is put through {@link logAboveOne} before its
 * strength multiplies it, so raw counts passed as `weight` do not swamp the rest.
 */
export function userEntries(user: UserState, halfLifeMs: number, itemCount: number): UserEntries {
  let latest = -Infinity;
  for (const e of user.events) if (e.learned && e.at > latest) latest = e.at;
  // decayed Σ weight per (item, signal)
  const sums = new Map<number, Map<Signal, number>>();
  for (const e of user.events) {
    if (!e.learned || e.item >= itemCount) continue;
    let fade = 1;
    for (const f of user.fades) if (f.seq >= e.seq) fade *= f.factor;
    let bySignal = sums.get(e.item);
    if (bySignal === undefined) sums.set(e.item, (bySignal = new Map()));
    bySignal.set(e.signal, (bySignal.get(e.signal) ?? 0) + e.weight * decayFactor(latest - e.at, halfLifeMs) * fade);
  }
  const items = [...sums.keys()].sort((a, b) => a - b);
  const confidence = new Float64Array(items.length);
  const preference = new Float64Array(items.length);
  items.forEach((item, k) => {
    let p = 0;
    let n = 0;
    for (const [signal, sum] of sums.get(item) as Map<Signal, number>) {
      const s = SIGNALS[signal];
      const w = s.strength * logAboveOne(sum);
      if (s.label === 1) p += w;
      else n += w;
    }
    confidence[k] = p + n;
    preference[k] = p > n ? 1 : 0;
  });
  return { items: Int32Array.from(items), confidence, preference };
}

/** Options of the collaborative model inside the recommender. */
export interface CollaborativeOptions extends AlsOptions {
  /** Scale of the collaborative contribution in score points (implicit-ALS scores are preferences of about 0–1, so a difference of 0.1 is worth 3 points, like a strong tag). @default 30 */
  weight?: number;
}

/**
 * Defaults of the collaborative model, chosen by the sweep in benchmarks/mf/sweep.ts on
 * MovieLens only and checked untouched on a generated play-count log
 * (benchmarks/mf/playcounts.ts; both tables in benchmarks/README.md). Large
 * weights are treated before ALS sees them (see {@link userEntries}); the
 * confidence itself is HKV's linear c = 1 + α·r.
 */
export const COLLABORATIVE_DEFAULTS = {
  factors: 128,
  regularization: 20,
  alpha: 0.5,
  iterations: 15,
  weight: 60,
} as const;

export class CollaborativeModel {
  /** `imported`: item factors trained elsewhere (`importItemFactors`), which `train()` keeps unless told to replace them. */
  private constructor(readonly als: AlsModel, readonly weight: number, readonly imported = false) {}

  /** Wraps item factors trained elsewhere (see src/train/importFactors.ts). */
  static fromImported(als: AlsModel, weight: number): CollaborativeModel {
    return new CollaborativeModel(als, weight, true);
  }

  get itemCount(): number {
    return this.als.itemCount;
  }

  /**
   * Fits ALS on every user's entries (users in the given order, items in
   * catalog order, each keyed by id for seeded initialisation). Returns
   * undefined when there is nothing to learn from.
   */
  static train(users: readonly UserState[], catalog: Catalog, halfLifeMs: number, options: CollaborativeOptions, onProgress?: (p: FitProgress) => void) {
    const rows: UserEntries[] = [];
    const keys: string[] = [];
    for (const user of users) CollaborativeModel.gather(user, halfLifeMs, catalog, rows, keys);
    const input = CollaborativeModel.fitInput(rows, keys, catalog, options);
    if (input === undefined) return undefined;
    const { model, report } = AlsModel.fit(input.data, input.als, { ...input.keys, ...(onProgress !== undefined ? { onProgress } : {}) });
    return { model: new CollaborativeModel(model, input.weight), report };
  }

  /**
   * {@link train} off the event loop (worker threads where registered, else
   * time slices): the same model. Users' entries are gathered in slices of a
   * few milliseconds too, so feedback that arrives meanwhile may be included
   * for users not yet gathered.
   */
  static async trainInBackground(
    users: readonly UserState[],
    catalog: Catalog,
    halfLifeMs: number,
    options: CollaborativeOptions,
    hooks: Pick<BackgroundFitHooks, 'signal' | 'threads' | 'onProgress'>,
  ): Promise<{ model: CollaborativeModel; report: TrainReport } | undefined> {
    const rows: UserEntries[] = [];
    const keys: string[] = [];
    let lastYield = performance.now();
    for (const user of users) {
      if (performance.now() - lastYield >= SLICE_MS) {
        await yieldToEventLoop();
        throwIfAborted(hooks.signal, 'trainInBackground');
        lastYield = performance.now();
      }
      CollaborativeModel.gather(user, halfLifeMs, catalog, rows, keys);
    }
    await yieldToEventLoop();
    throwIfAborted(hooks.signal, 'trainInBackground');
    const input = CollaborativeModel.fitInput(rows, keys, catalog, options);
    if (input === undefined) return undefined;
    const { model, report } = await AlsModel.fitInBackground(input.data, input.als, { ...input.keys, ...hooks });
    return { model: new CollaborativeModel(model, input.weight), report };
  }

  private static gather(user: UserState, halfLifeMs: number, catalog: Catalog, rows: UserEntries[], keys: string[]): void {
    const e = userEntries(user, halfLifeMs, catalog.size);
    if (e.items.length === 0) return;
    rows.push(e);
    keys.push(user.id);
  }

  /** What a fit needs: the users' entries as one CSR matrix, the ALS options and the blend weight. */
  private static fitInput(rows: readonly UserEntries[], keys: string[], catalog: Catalog, options: CollaborativeOptions) {
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

  /** The user's exact vector: a closed-form solve against the fixed item factors (undefined without entries). */
  foldIn(user: UserState, halfLifeMs: number): Float64Array | undefined {
    const e = userEntries(user, halfLifeMs, this.als.itemCount);
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
  explain(user: UserState, halfLifeMs: number, item: number) {
    const e = userEntries(user, halfLifeMs, this.als.itemCount);
    return this.als.explain(e.items, e.confidence, e.preference, item);
  }

  /** {@link explain} for several items with one factorisation. */
  explainMany(user: UserState, halfLifeMs: number, items: readonly number[]) {
    const e = userEntries(user, halfLifeMs, this.als.itemCount);
    return this.als.explainMany(e.items, e.confidence, e.preference, items);
  }

  /** JSON of the item side only: user vectors are re-derived from events. */
  toJSON(): unknown {
    const json = this.als.toJSON();
    return { weight: this.weight, ...(this.imported ? { imported: true } : {}), als: { ...json, userCount: 0, userFactors: [] } };
  }

  static fromJSON(raw: unknown): CollaborativeModel {
    const o = raw as { weight?: unknown; als?: unknown; imported?: unknown } | null;
    if (o === null || typeof o !== 'object' || typeof o.weight !== 'number' || !Number.isFinite(o.weight)) {
      throw new Error('collaborative must be { weight, als }');
    }
    if (o.imported !== undefined && o.imported !== true) throw new Error('collaborative.imported must be true when present');
    return new CollaborativeModel(AlsModel.fromJSON(o.als), o.weight, o.imported === true);
  }
}
