/**
 * Matrix factorisation by alternating least squares: explicit ratings
 * (Zhou et al. 2008) and implicit feedback (Hu, Koren & Volinsky 2008, "HKV"),
 * with exact online fold-in of one user and HKV's faithful explanation.
 */
import { AttuneError, describeValue } from '../../errors.js';
import {
  choleskyLowerInto,
  keepFactor,
  numericError,
  solveWithKeptInto,
  solveWithLowerInto,
  type KeptFactor,
} from './choleskySolver.js';
import { entryWeights } from './confidence.js';
import { crossDotsInto, dot, gramColumnsRangeInto, gramInto, gramLowerRowsInto, mirrorGramInto } from './dense.js';
import { explainFromShares, explainFromSolve, type Explanation } from './explain.js';
import {
  ItemSolves,
  preferShared,
  sharedFactor,
  sharedFoldIn,
  sharesFromDotsInto,
  type SharedFold,
} from './lowRankUpdate.js';
import { checkEntries, transposeRows, validateInteractions, type Interactions } from './interactions.js';
import { assembleSystemInto } from './normalEquations.js';
import { resolveAlsOptions, type AlsOptions, type ResolvedAlsOptions } from './options.js';
import { scoreAllInto32, scoreAllInto64, singleTwin } from './scoring.js';
import { ALS_FORMAT, ALS_VERSION, parseAlsJSONSteps, type AlsJSON } from './snapshot.js';
import { sharedSystem, type WeightedRows } from './sweep.js';
import { FitCore, fitSums, type FitArrays, type FitSums } from './training/fitCore.js';
import { fitOutcome, FitSchedule } from './training/phases.js';
import {
  finishSteps,
  fitExecutorFactory,
  runInline,
  throwIfAborted,
  timeSlicedExecutor,
  yieldToEventLoop,
  type Steps,
} from './training/runners.js';

/** {@link AlsJSON} with the factors as the model's typed arrays (see {@link AlsModel.toJSONView}). */
export type AlsJSONView = Omit<AlsJSON, 'userFactors' | 'itemFactors'> & {
  userFactors: Float64Array;
  itemFactors: Float64Array;
};

/** Passed to `onProgress` after every sweep. */
export interface FitProgress {
  /** 1-based number of the sweep just finished. */
  iteration: number;
  iterations: number;
  /** The objective after this sweep (see {@link alsLoss}). */
  loss: number;
}

/** Optional callbacks and ids for {@link AlsModel.fit}. */
export interface FitHooks {
  onProgress?: (progress: FitProgress) => void;
  /** Stable ids of the users (row r ↔ userKeys[r]); keys the initial factors. @default the row numbers */
  userKeys?: readonly string[];
  /** Stable ids of the items; keys the initial factors. @default the item numbers */
  itemKeys?: readonly string[];
}

/** What {@link AlsModel.fit} reports. */
export interface TrainReport {
  iterations: number;
  /** The normalised objective after each sweep. */
  loss: number[];
  seconds: number;
  /** Threads the sweeps ran on (background fits only). */
  threads?: number;
}

const now = (): number => globalThis.performance.now();

/** Item rows of a restored model copied into the Gram matrix's columns between two pauses. */
const GRAM_COLUMN_ROWS = 1024;

/**
 * A fold-in with what it factorised: the user's vector and, when it was
 * solved directly, the Cholesky factor of the user's system A = YᵀCᵘY + λI,
 * or, when it went through G's shared factor (few entries, see
 * lowRankUpdate.ts), the small system of that solve — so that explaining a
 * list of that user later (see {@link AlsModel.explainMany}) needs
 * substitutions only.
 */
export interface FoldedIn {
  vector: Float64Array;
  /** A's factor; undefined when the fold-in went through G's shared factor or was not kept. */
  factor: KeptFactor | undefined;
  /** The shared solve's small system; undefined when the fold-in factorised A or was not kept. */
  shared?: SharedFold | undefined;
}

/** `values`, after checking every number is finite (`NUMERIC_ERROR` otherwise). */
function finiteOrThrow(values: Float64Array, api: string): Float64Array {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]!))
      throw new AttuneError('NUMERIC_ERROR', `${api}: the solve produced a non-finite number`);
  return values;
}

/** A fitted ALS model: user and item factors, plus what fold-in and scoring need. */
export class AlsModel {
  /** The options the model was fitted with (all defaults filled in). */
  readonly options: Readonly<ResolvedAlsOptions>;
  /** Number of latent factors k. */
  readonly factors: number;
  readonly userCount: number;
  readonly itemCount: number;
  private readonly userFactors: Float64Array;
  private readonly itemFactors: Float64Array;
  /** The item factors in single precision when that loses nothing (see singleTwin), for the scan; else undefined. */
  private readonly itemFactors32: Float32Array | undefined;
  /** G = YᵀY + λI (implicit) or λI (explicit), computed once: the fold-in's shared part. */
  private readonly foldInBase: Float64Array;
  private readonly systemScratch: Float64Array;
  private readonly rhsScratch: Float64Array;
  private readonly lowerScratch: Float64Array;
  private readonly vectorScratch: Float64Array;
  /** G's factor and the z_i = G⁻¹·y_i kept per item, made at the first shared solve (null: G could not be factorised). */
  private itemSolves: ItemSolves | null | undefined;

  /** `itemGram` = YᵀY when the caller already has it (fit's last sweep), else computed here. */
  private constructor(
    options: ResolvedAlsOptions,
    userCount: number,
    itemCount: number,
    userFactors: Float64Array,
    itemFactors: Float64Array,
    itemGram?: Float64Array,
  ) {
    const k = options.factors;
    this.options = Object.freeze({ ...options });
    this.factors = k;
    this.userCount = userCount;
    this.itemCount = itemCount;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.itemFactors32 = singleTwin(itemFactors);
    let gram = itemGram;
    if (gram === undefined) {
      gram = new Float64Array(k * k);
      gramInto(itemFactors, itemCount, k, 0, gram);
    }
    this.foldInBase = sharedSystem(options.kind, gram, k, options.regularization);
    this.systemScratch = new Float64Array(k * k);
    this.rhsScratch = new Float64Array(k);
    this.lowerScratch = new Float64Array(k * k);
    this.vectorScratch = new Float64Array(k);
  }

  /**
   * Fits by alternating least squares: each sweep re-solves every user
   * against fixed items, then every item against fixed users (HKV eq. 4 and
   * its item twin), with YᵀY precomputed once per half-sweep. Deterministic
   * for the same data, options and keys. Throws `INVALID_ARGUMENT` for
   * malformed data, `INVALID_OPTIONS` for bad options, `NUMERIC_ERROR` if a
   * system cannot be solved.
   */
  static fit(data: Interactions, options?: AlsOptions, hooks: FitHooks = {}): { model: AlsModel; report: TrainReport } {
    const api = 'AlsModel.fit';
    const started = now();
    const o = checkFit(data, options, hooks, api);
    const arrays = fitArrays(data, o, hooks);
    const schedule = new FitSchedule(o, arrays);
    const sums = fitSums(o.factors, schedule.layout);
    runInline(
      schedule,
      new FitCore(o, arrays, sums, schedule.shapes, api),
      sums,
      progressReporter(o, sums, hooks.onProgress),
    );
    const outcome = fitOutcome(sums);
    const model = new AlsModel(o, data.userCount, data.itemCount, arrays.x, arrays.y, outcome.itemGram);
    return { model, report: { iterations: o.iterations, loss: outcome.loss, seconds: (now() - started) / 1000 } };
  }

  /**
   * {@link fit} without blocking the event loop: the same model, bit for bit,
   * with the sweeps' row solves spread over worker threads where the Node
   * entry of attune registered them (`threads`, default every core), and
   * otherwise (browsers, `threads: 1`) run on this thread in slices of a few
   * milliseconds between which timers and I/O get their turn. `signal`
   * cancels: the promise rejects with `ABORTED` and nothing is kept.
   * Validation errors are thrown before the promise is returned.
   */
  static fitInBackground(
    data: Interactions,
    options?: AlsOptions,
    hooks: BackgroundFitHooks = {},
  ): Promise<{ model: AlsModel; report: TrainReport }> {
    const api = 'AlsModel.fitInBackground';
    const started = now();
    const threads = checkThreads(hooks.threads, api);
    throwIfAborted(hooks.signal, api);
    const o = checkFit(data, options, hooks, api);
    return (async () => {
      // The O(entries) set-up gets an event-loop turn of its own.
      await yieldToEventLoop();
      throwIfAborted(hooks.signal, api);
      const weights = entryWeights(data.confidence, data.preference, o);
      // The transpose gets a turn of its own too.
      await yieldToEventLoop();
      throwIfAborted(hooks.signal, api);
      const arrays = fitArrays(data, o, hooks, weights);
      const factory = threads === 1 ? undefined : fitExecutorFactory();
      const {
        executor,
        arrays: shared,
        sums,
      } = factory !== undefined ? await factory(o, arrays, threads, api) : timeSliced(o, arrays, api);
      try {
        throwIfAborted(hooks.signal, api);
        await executor.run(progressReporter(o, sums, hooks.onProgress), hooks.signal);
        throwIfAborted(hooks.signal, api);
        const outcome = fitOutcome(sums);
        // Own copies: the shared buffers go with the workers.
        const model = new AlsModel(
          o,
          data.userCount,
          data.itemCount,
          Float64Array.from(shared.x),
          Float64Array.from(shared.y),
          outcome.itemGram,
        );
        return {
          model,
          report: {
            iterations: o.iterations,
            loss: outcome.loss,
            seconds: (now() - started) / 1000,
            threads: executor.threads,
          },
        };
      } finally {
        executor.close();
      }
    })();
  }

  /**
   * A model from item factors trained elsewhere (row i ↔ item i, row-major,
   * `options.factors` numbers a row; see import/itemFactors.ts): no user rows —
   * users are folded in against these items, and `options` (regularization,
   * alpha, confidence scaling) set how. Throws `INVALID_ARGUMENT` for a shape
   * that does not match and `BAD_FACTORS` for a non-finite number.
   */
  static fromItemFactors(itemFactors: Float64Array, itemCount: number, options: AlsOptions): AlsModel {
    const api = 'AlsModel.fromItemFactors';
    const o = resolveAlsOptions(options, api);
    if (!(itemFactors instanceof Float64Array) || itemFactors.length !== itemCount * o.factors) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: itemFactors must be a Float64Array of itemCount × factors (${itemCount} × ${o.factors}) numbers`,
      );
    }
    for (let i = 0; i < itemFactors.length; i++) {
      if (!Number.isFinite(itemFactors[i]!))
        throw new AttuneError('BAD_FACTORS', `${api}: itemFactors[${i}] is not finite`);
    }
    return new AlsModel(o, 0, itemCount, new Float64Array(0), Float64Array.from(itemFactors));
  }

  /** A copy of the fitted factor vector x_u of user row `u`. */
  userVector(u: number): Float64Array {
    this.checkIndex(u, this.userCount, 'AlsModel.userVector', 'user');
    return this.userFactors.slice(u * this.factors, (u + 1) * this.factors);
  }

  /** A copy of the factor vector y_i of item `i`. */
  itemVector(i: number): Float64Array {
    this.checkIndex(i, this.itemCount, 'AlsModel.itemVector', 'item');
    return this.itemFactors.slice(i * this.factors, (i + 1) * this.factors);
  }

  /**
   * Online fold-in: the exact least-squares factor of one user from that
   * user's entries against the fixed item factors (HKV eq. 4, solved by
   * Cholesky; `recalculate_user` of the `implicit` library). Uses the cached
   * YᵀY + λI, so the cost is O(n·k² + k³) for n entries.
   */
  foldIn(items: ArrayLike<number>, confidence: ArrayLike<number>, preference: ArrayLike<number>): Float64Array {
    return this.foldInTo('AlsModel.foldIn', items, confidence, preference, false).vector;
  }

  /**
   * {@link foldIn} that also keeps the factorisation it made (no extra
   * work beyond packing it: k(k + 1) numbers), for
   * {@link explainMany} of the same entries.
   */
  foldInKeeping(items: ArrayLike<number>, confidence: ArrayLike<number>, preference: ArrayLike<number>): FoldedIn {
    return this.foldInTo('AlsModel.foldInKeeping', items, confidence, preference, true);
  }

  private foldInTo(
    api: string,
    items: ArrayLike<number>,
    confidence: ArrayLike<number>,
    preference: ArrayLike<number>,
    keep: boolean,
  ): FoldedIn {
    const weights = this.weighEntries(items, confidence, preference, api);
    const k = this.factors;
    if (items.length === 0) return { vector: new Float64Array(k), factor: undefined };
    const low = new Float64Array(k);
    const shared = this.sharedInto(items, weights, low);
    if (shared !== undefined)
      return { vector: finiteOrThrow(low, api), factor: undefined, ...(keep ? { shared } : {}) };
    assembleSystemInto(
      this.foldInBase,
      this.itemFactors,
      k,
      items,
      0,
      items.length,
      weights.curvature,
      weights.target,
      this.systemScratch,
      this.rhsScratch,
    );
    const out = new Float64Array(k);
    // Flat factorisation and substitutions: fold-in runs on the serving path after every feedback.
    if (!choleskyLowerInto(this.systemScratch, k, this.lowerScratch))
      throw numericError(api, 'the system is not positive definite (raise regularization)');
    solveWithLowerInto(this.lowerScratch, k, this.rhsScratch, 1, out);
    for (let f = 0; f < k; f++)
      if (!Number.isFinite(out[f]!)) throw numericError(api, 'the solve produced a non-finite number');
    return { vector: out, factor: keep ? keepFactor(this.lowerScratch, k) : undefined };
  }

  /** Writes ŷ_ui = x_uᵀy_i for every item i into `out` (length itemCount), allocation-free. */
  scoreInto(userVector: ArrayLike<number>, out: Float64Array): void {
    const x = this.loadVector(userVector, 'AlsModel.scoreInto');
    if (!(out instanceof Float64Array) || out.length !== this.itemCount) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `AlsModel.scoreInto: out must be a Float64Array of length itemCount (${this.itemCount})`,
      );
    }
    if (this.itemFactors32 !== undefined) scoreAllInto32(this.itemFactors32, this.itemCount, this.factors, x, out);
    else scoreAllInto64(this.itemFactors, this.itemCount, this.factors, x, out);
  }

  /**
   * ŷ_ui = x_uᵀy_i for each of `items` (indices below itemCount), written at out[i] (out is indexed
   * by item and at least as long as the largest index); the rest of `out` is left alone. The same
   * sums in the same order as {@link scoreInto} and {@link score}, so the same numbers.
   */
  scoreItemsInto(userVector: ArrayLike<number>, items: Int32Array, out: Float64Array): void {
    const x = this.loadVector(userVector, 'AlsModel.scoreItemsInto');
    const k = this.factors;
    for (let j = 0; j < items.length; j++) {
      const i = items[j]!;
      this.checkIndex(i, this.itemCount, 'AlsModel.scoreItemsInto', 'item');
      out[i] = dot(x, 0, this.itemFactors, i * k, k);
    }
  }

  /**
   * The item factors themselves, row-major (itemCount × factors), for an index built over them
   * (`src/rank/retrieval/`). Not a copy: read it, never write it.
   */
  itemFactorRows(): Float64Array {
    return this.itemFactors;
  }

  /** ŷ_ui = x_uᵀy_i for one item. */
  score(userVector: ArrayLike<number>, item: number): number {
    const x = this.loadVector(userVector, 'AlsModel.score');
    this.checkIndex(item, this.itemCount, 'AlsModel.score', 'item');
    return dot(x, 0, this.itemFactors, item * this.factors, this.factors);
  }

  /**
   * Faithful explanation of HKV section 5. With W = (YᵀCᵘY + λI)⁻¹ and
   * x_u = W·YᵀCᵘp(u), the score splits as ŷ_ui = Σ_j s_ij·c_uj·p_uj with
   * s_ij = y_iᵀW·y_j. Returns one contribution per entry with p > 0 (a known
   * zero — a thumbs-down — contributes nothing and never appears), their sum,
   * the score of `userVector` (default: the exact fold-in of these entries) and
   * `remainder = score − sum` (≈ 0 for the fold-in; for explicit ratings it
   * also carries the share of entries with p ≤ 0). Contributions are sorted by
   * weight, largest first.
   */
  explain(
    items: ArrayLike<number>,
    confidence: ArrayLike<number>,
    preference: ArrayLike<number>,
    item: number,
    userVector?: ArrayLike<number>,
  ): Explanation {
    const [explanation] = this.explainTargets('AlsModel.explain', items, confidence, preference, [item], userVector);
    return explanation as Explanation;
  }

  /**
   * {@link explain} for several items of one user at once: the system
   * YᵀCᵘY + λI is factorised once and solved for x_u and every W·y_i
   * together, so explaining a list costs one Cholesky, not one per item.
   * `userVector` is as in {@link explain}. With `folded`, what
   * {@link foldInKeeping} returned for these same entries (the caller's
   * contract), the factorisation is not made again: the same numbers, bit
   * for bit, for the cost of the substitutions.
   */
  explainMany(
    items: ArrayLike<number>,
    confidence: ArrayLike<number>,
    preference: ArrayLike<number>,
    targets: readonly number[],
    userVector?: ArrayLike<number>,
    folded?: FoldedIn,
  ): Explanation[] {
    return this.explainTargets('AlsModel.explainMany', items, confidence, preference, targets, userVector, folded);
  }

  /** explain and explainMany, with the name of the public call for error messages. */
  private explainTargets(
    api: string,
    items: ArrayLike<number>,
    confidence: ArrayLike<number>,
    preference: ArrayLike<number>,
    targets: readonly number[],
    userVector: ArrayLike<number> | undefined,
    folded?: FoldedIn,
  ): Explanation[] {
    const weights = this.weighEntries(items, confidence, preference, api);
    for (const item of targets) this.checkIndex(item, this.itemCount, api, 'item');
    const x = userVector === undefined ? undefined : this.loadVector(userVector, api);
    const k = this.factors;
    const y = this.itemFactors;
    // The path the solve takes depends on k and the number of entries only (never on `folded`):
    // a kept factorisation stands in for the one that path would make.
    if (preferShared(k, items.length)) {
      let fold = folded?.shared;
      let vector = folded?.vector;
      if (fold === undefined) {
        vector = new Float64Array(k);
        fold = this.sharedInto(items, weights, vector);
      }
      if (fold !== undefined && vector !== undefined) {
        finiteOrThrow(vector, api);
        const n = items.length;
        const shares = new Float64Array(n);
        const scratch = new Float64Array(n);
        // z_eᵀ·y_item of every entry and listed item at once (each the sum sharedSharesInto makes)
        const dots = new Float64Array(targets.length * n);
        crossDotsInto(fold.z, n, y, targets, k, dots);
        return targets.map((item, t) => {
          for (let e = 0; e < n; e++) shares[e] = dots[t * n + e]!;
          sharesFromDotsInto(fold, shares, scratch);
          finiteOrThrow(shares, api);
          return explainFromShares(items, preference, weights.target, shares, dot(x ?? vector, 0, y, item * k, k));
        });
      }
    }
    const columns = 1 + targets.length;
    const solution = new Float64Array(columns * k);
    if (folded?.factor !== undefined) {
      solution.set(folded.vector);
      const rhs = new Float64Array(targets.length * k);
      targets.forEach((item, t) => rhs.set(y.subarray(item * k, item * k + k), t * k));
      solveWithKeptInto(folded.factor, rhs, targets.length, solution.subarray(k));
    } else this.directInto(items, weights, targets, solution, api);
    finiteOrThrow(solution, api);
    return targets.map((item, t) => {
      const score = dot(x ?? solution, 0, y, item * k, k);
      return explainFromSolve(items, preference, weights.target, y, k, solution, (1 + t) * k, score);
    });
  }

  /**
   * Solves the user's system for b (column 0) and each target's y_i by one
   * factorisation of A = G + Σ a_e·y_e·y_eᵀ (ml-matrix), then cheap substitutions.
   */
  private directInto(
    items: ArrayLike<number>,
    weights: { curvature: Float64Array; target: Float64Array },
    targets: readonly number[],
    solution: Float64Array,
    api: string,
  ): void {
    const k = this.factors;
    const y = this.itemFactors;
    const columns = 1 + targets.length;
    const rhs = new Float64Array(columns * k);
    assembleSystemInto(
      this.foldInBase,
      y,
      k,
      items,
      0,
      items.length,
      weights.curvature,
      weights.target,
      this.systemScratch,
      rhs,
    );
    targets.forEach((item, t) => {
      for (let f = 0; f < k; f++) rhs[(1 + t) * k + f] = y[item * k + f] as number;
    });
    // One factorisation, then cheap substitutions for every column.
    const lower = this.lowerScratch;
    if (!choleskyLowerInto(this.systemScratch, k, lower)) {
      throw new AttuneError(
        'NUMERIC_ERROR',
        `${api}: could not factorise the user's system; check the inputs for non-finite numbers or raise regularization`,
      );
    }
    solveWithLowerInto(lower, k, rhs, columns, solution);
  }

  /**
   * The user's vector through G's shared factor (see lowRankUpdate.ts) when
   * the user has few entries ({@link preferShared}), written into `x`, with
   * what explaining their list needs; undefined when that path is not taken
   * (or cannot be: then the caller solves A directly).
   */
  private sharedInto(
    items: ArrayLike<number>,
    weights: { curvature: Float64Array; target: Float64Array },
    x: Float64Array,
  ): SharedFold | undefined {
    const k = this.factors;
    if (!preferShared(k, items.length)) return undefined;
    if (this.itemSolves === undefined) {
      const factor = sharedFactor(this.foldInBase, k);
      this.itemSolves = factor === undefined ? null : new ItemSolves(factor, this.itemFactors, k, this.itemCount);
    }
    if (this.itemSolves === null) return undefined;
    return sharedFoldIn(this.itemSolves, this.itemFactors, k, items, weights.curvature, weights.target, x);
  }

  /** The kept z_i = G⁻¹·y_i of the shared path (undefined before its first use), for tests and benchmarks. */
  get sharedSolves(): ItemSolves | undefined {
    return this.itemSolves ?? undefined;
  }

  /** Plain JSON; factors as number arrays that restore bit-exactly with {@link AlsModel.fromJSON}. */
  toJSON(): AlsJSON {
    const view = this.toJSONView();
    return { ...view, userFactors: Array.from(view.userFactors), itemFactors: Array.from(view.itemFactors) };
  }

  /**
   * {@link AlsModel.toJSON} with the model's own factor arrays in place of
   * copies (read them, never change them): for a writer that streams them.
   */
  toJSONView(): AlsJSONView {
    return {
      format: ALS_FORMAT,
      version: ALS_VERSION,
      options: { ...this.options },
      userCount: this.userCount,
      itemCount: this.itemCount,
      userFactors: this.userFactors,
      itemFactors: this.itemFactors,
    };
  }

  /** Restores {@link AlsModel.toJSON} output; throws `BAD_SNAPSHOT` for anything malformed or non-finite. */
  static fromJSON(json: unknown): AlsModel {
    return finishSteps(AlsModel.fromJSONSteps(json));
  }

  /**
   * {@link AlsModel.fromJSON} as steps that pause between pairs of rows of
   * the item Gram matrix (the costly part: items × k² multiply-adds), for a
   * restore that must not hold the event loop. The same model, bit for bit.
   * `ownFactors`: see `parseAlsJSONSteps`.
   */
  static *fromJSONSteps(json: unknown, ownFactors = false): Steps<AlsModel> {
    const { options, userCount, itemCount, userFactors, itemFactors } = yield* parseAlsJSONSteps(json, ownFactors);
    const k = options.factors;
    yield;
    const columns = new Float64Array(itemCount * k);
    let used = 0;
    for (let from = 0; from < itemCount; from += GRAM_COLUMN_ROWS) {
      used = gramColumnsRangeInto(
        itemFactors,
        itemCount,
        k,
        columns,
        from,
        Math.min(itemCount, from + GRAM_COLUMN_ROWS),
        used,
      );
      yield;
    }
    const gram = new Float64Array(k * k);
    for (let a = 0; a < k; a += 2) {
      yield;
      gramLowerRowsInto(columns, itemCount, used, k, gram, a, a + 2);
    }
    mirrorGramInto(gram, k, 0);
    return new AlsModel(options, userCount, itemCount, userFactors, itemFactors, gram);
  }

  private weighEntries(
    items: ArrayLike<number>,
    confidence: ArrayLike<number>,
    preference: ArrayLike<number>,
    api: string,
  ) {
    const n = items.length;
    if (confidence.length !== n || preference.length !== n) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: items, confidence and preference must have the same length (got ${n}, ${confidence.length}, ${preference.length})`,
      );
    }
    checkEntries(api, 'items', items, confidence, preference, this.itemCount, this.options.kind === 'implicit');
    return entryWeights(confidence, preference, this.options);
  }

  private loadVector(userVector: ArrayLike<number>, api: string): Float64Array {
    const k = this.factors;
    if (userVector.length !== k)
      throw new AttuneError('INVALID_ARGUMENT', `${api}: userVector must hold ${k} numbers, got ${userVector.length}`);
    const x = this.vectorScratch;
    for (let f = 0; f < k; f++) {
      const v = userVector[f] as number;
      if (!Number.isFinite(v))
        throw new AttuneError('INVALID_ARGUMENT', `${api}: userVector[${f}] must be finite, got ${v}`);
      x[f] = v;
    }
    return x;
  }

  private checkIndex(index: number, count: number, api: string, what: string): void {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: ${what} must be an index from 0 to ${count - 1}, got ${index}`,
      );
    }
  }
}

/** Options of {@link AlsModel.fitInBackground}: {@link FitHooks} plus cancellation and threads. */
export interface BackgroundFitHooks extends FitHooks {
  /** Cancels the fit: the promise rejects with an `AttuneError` of code `ABORTED`. */
  signal?: AbortSignal;
  /** Worker threads to use (Node entry only); 1 runs in time slices on this thread. @default every core */
  threads?: number;
}

function checkThreads(threads: unknown, api: string): number | undefined {
  if (threads === undefined) return undefined;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: threads must be a whole number from 1 to 256, got ${describeValue(threads)}`,
    );
  }
  return threads;
}

/** Validates a fit's inputs; throws `INVALID_OPTIONS` / `INVALID_ARGUMENT` naming `api`. */
function checkFit(
  data: Interactions,
  options: AlsOptions | undefined,
  hooks: FitHooks,
  api: string,
): ResolvedAlsOptions {
  const o = resolveAlsOptions(options, api);
  validateInteractions(data, api, o.kind === 'implicit');
  const { userCount, itemCount } = data;
  if (hooks.onProgress !== undefined && typeof hooks.onProgress !== 'function')
    throw new AttuneError('INVALID_ARGUMENT', `${api}: onProgress must be a function`);
  if (hooks.userKeys !== undefined && hooks.userKeys.length !== userCount)
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: userKeys must hold userCount (${userCount}) ids, got ${hooks.userKeys.length}`,
    );
  if (hooks.itemKeys !== undefined && hooks.itemKeys.length !== itemCount)
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: itemKeys must hold itemCount (${itemCount}) ids, got ${hooks.itemKeys.length}`,
    );
  return o;
}

/** Calls `onProgress` (if any) with the loss a sweep left in `sums`. */
function progressReporter(
  o: ResolvedAlsOptions,
  sums: FitSums,
  onProgress: ((progress: FitProgress) => void) | undefined,
): (sweep: number) => void {
  return (sweep) => onProgress?.({ iteration: sweep, iterations: o.iterations, loss: sums.loss[sweep - 1] as number });
}

/** The executor where no worker threads are registered (browsers) or one thread is asked for. */
function timeSliced(o: ResolvedAlsOptions, arrays: FitArrays, api: string) {
  const schedule = new FitSchedule(o, arrays);
  const sums = fitSums(o.factors, schedule.layout);
  const executor = timeSlicedExecutor(schedule, new FitCore(o, arrays, sums, schedule.shapes, api), sums, api);
  return { executor, arrays, sums };
}

/** Everything a fit works on: weighted rows both ways and room for the factors (filled by the fit's first phase). */
function fitArrays(
  data: Interactions,
  o: ResolvedAlsOptions,
  hooks: FitHooks,
  weights = entryWeights(data.confidence, data.preference, o),
): FitArrays {
  const { userCount, itemCount } = data;
  const k = o.factors;
  const { curvature, target } = weights;
  const byUser: WeightedRows = { rows: userCount, indptr: data.indptr, indices: data.indices, curvature, target };
  const byItem = transposeRows(byUser, itemCount);
  const x = new Float64Array(userCount * k);
  const y = new Float64Array(itemCount * k);
  return { byUser, byItem, preference: data.preference, x, y, userKeys: hooks.userKeys, itemKeys: hooks.itemKeys };
}
