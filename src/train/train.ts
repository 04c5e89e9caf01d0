/**
 * The training use cases: `train()` (a batch refit of popularity and the
 * collaborative model on everyone's evidence), `trainInBackground()` (the
 * same model without blocking the event loop) and `importItemFactors()`.
 * A fit that sees evidence withdrawn while it runs (an undo, an erasure —
 * from `onProgress`, or from other calls meanwhile) fits again without it,
 * so that nothing taken away leaves a trace.
 */
import { AttuneError, describeValue } from '../errors.js';
import { CollaborativeModel } from '../models/collaborative/collaborative.js';
import type { ItemFactorSource } from '../models/mf/import/itemFactors.js';
import { forEachInSlices } from '../models/mf/training/runners.js';
import type { PopularitySums } from '../models/popularity/popularity.js';
import { scopeEntries } from '../people/entries.js';
import { learnedRecords } from '../people/learning.js';
import type { PersonState } from '../people/person.js';
import type { World } from '../world.js';
import { checkBackgroundTrainOptions, fitHooks, type BackgroundTrainOptions } from './backgroundOptions.js';
import { importCollaborative, type ImportFactorsOptions, type ImportReport } from './importFactors.js';

/** What `train()` reports. */
export interface TrainReport {
  /** Sweeps of the collaborative model (0 when it had nothing to learn from). */
  iterations: number;
  /** Training loss after each sweep. */
  loss: number[];
  seconds: number;
  /** Events held in the evidence the models were fitted on. */
  events: number;
  /** People with learned evidence. */
  users: number;
  /** Threads the sweeps ran on (`trainInBackground` only). */
  threads?: number;
  /**
   * Present when the model in use was imported (`importItemFactors`): `true`
   * when its item factors were kept, `false` when `replaceImportedFactors`
   * replaced them with a fitted model (see `TrainOptions.replaceImportedFactors`).
   */
  keptImportedFactors?: boolean;
  /**
   * Store-backed fronts (`attune/redis`) only, present when someone was left
   * out: the people whose stored record cannot be read (`BAD_RECORD`: not
   * JSON, not a valid record, or stored under another person's key). The
   * model and popularity were fitted without them; each stays `BAD_RECORD`
   * for calls on that person until forgotten or written anew.
   */
  skipped?: { id: string; code: 'BAD_RECORD' }[];
}

/** Options of `train()`. */
export interface TrainOptions {
  onProgress?: (progress: { iteration: number; iterations: number; loss: number }) => void;
  /**
   * After `importItemFactors`, `train()` keeps the imported item factors (and
   * says so with `keptImportedFactors`); `true` replaces them with a model
   * fitted on the feedback attune holds. @default false
   */
  replaceImportedFactors?: boolean;
}

/** Fits again at most this many times when evidence keeps being withdrawn while fitting. */
const MAX_FITS = 3;

/** Checks `train()`'s options; throws `INVALID_ARGUMENT` naming what to fix. */
export function checkTrainOptions(options: unknown): TrainOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new AttuneError('INVALID_ARGUMENT', 'train: options must be an object such as { onProgress }');
  const o = options as TrainOptions;
  for (const key of Object.keys(o)) {
    if (key !== 'onProgress' && key !== 'replaceImportedFactors')
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `train: unknown option ${describeValue(key)}; use onProgress or replaceImportedFactors`,
      );
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new AttuneError('INVALID_ARGUMENT', 'train: onProgress must be a function');
  if (o.replaceImportedFactors !== undefined && typeof o.replaceImportedFactors !== 'boolean')
    throw new AttuneError('INVALID_ARGUMENT', 'train: replaceImportedFactors must be true or false');
  return o;
}

/**
 * Batch (re)fit on all evidence: popularity is recomputed from every
 * person's records (so an erased person's part is gone to the last bit),
 * and the collaborative model (implicit ALS) is fitted anew; every person's
 * vector is re-solved against the new item factors at their next request.
 */
export function train(world: World, options: TrainOptions = {}): TrainReport {
  const o = checkTrainOptions(options);
  refuseWhileTraining(world, 'train');
  const started = Date.now();
  const imported = world.model?.imported === true;
  const keepImported = imported && o.replaceImportedFactors !== true;
  for (let fit = 1; ; fit++) {
    const erasures = world.erasures;
    const people = trainablePeople(world);
    world.popularity.rebuild(world.catalog.size, learnedRecords(people, world.decay));
    world.popularityChanged();
    let fitted: ReturnType<typeof CollaborativeModel.train> | undefined;
    if (world.options.collaborative !== false && !keepImported) {
      const entries = people.map((p) => ({ key: p.id, entries: scopeEntries(p, world.decay) }));
      fitted = CollaborativeModel.train(entries, world.catalog, world.options.collaborative, o.onProgress);
      // Someone was erased while the model was fitting (from onProgress): fit again without them.
      if (world.erasures !== erasures) {
        if (fit < MAX_FITS) continue;
        throw new AttuneError(
          'ABORTED',
          'train: feedback kept being erased or undone during training (from onProgress); call it again when that settles',
        );
      }
    }
    world.setModel(keepImported || world.options.collaborative === false ? world.model : fitted?.model);
    return {
      iterations: fitted?.report.iterations ?? 0,
      loss: fitted?.report.loss ?? [],
      seconds: (Date.now() - started) / 1000,
      ...countLearners(people),
      ...(imported ? { keptImportedFactors: keepImported } : {}),
    };
  }
}

/**
 * {@link train} without blocking the event loop: the same model, bit for
 * bit, as `train()` on the same evidence. See `RecommenderApi.trainInBackground`.
 */
export async function trainInBackground(world: World, options: BackgroundTrainOptions = {}): Promise<TrainReport> {
  const checked = checkBackgroundTrainOptions(options, 'trainInBackground');
  const hooks = fitHooks(checked);
  if (world.training)
    throw new AttuneError(
      'TRAINING_IN_PROGRESS',
      'trainInBackground: another background training is running; await it (or abort it) first',
    );
  world.training = true;
  try {
    const started = Date.now();
    const imported = world.model?.imported === true;
    const keepImported = imported && checked.replaceImportedFactors !== true;
    const collaborative = keepImported ? false : world.options.collaborative;
    let fitted: Awaited<ReturnType<typeof CollaborativeModel.trainInBackground>>;
    let sums: PopularitySums;
    let counted: { events: number; users: number };
    for (let attempt = 1; ; attempt++) {
      const erasures = world.erasures;
      const entries = trainablePeople(world).map((p) => ({
        key: p.id,
        entries: () => scopeEntries(p, world.decay),
      }));
      fitted =
        collaborative === false
          ? undefined
          : await CollaborativeModel.trainInBackground(entries, world.catalog, collaborative, hooks);
      // Popularity is re-summed from the evidence as it is now, in slices too (see PopularityModel.adopt).
      ({ sums, counted } = await popularityInSlices(world, hooks.signal));
      if (erasures === world.erasures) break;
      world.popularity.stopTracking();
      if (attempt === MAX_FITS)
        throw new AttuneError(
          'ABORTED',
          'trainInBackground: feedback kept being erased or undone during training; call it again when that settles',
        );
    }
    // The new model's retrieval index, in slices too, before the model is served.
    if (collaborative !== false)
      await world.retrieval.prepareInSlices(fitted?.model, world.catalog, hooks.signal, 'trainInBackground');
    world.popularity.adopt(sums);
    world.popularityChanged();
    world.setModel(collaborative === false ? world.model : fitted?.model);
    const report = fitted?.report;
    return {
      iterations: report?.iterations ?? 0,
      loss: report?.loss ?? [],
      seconds: (Date.now() - started) / 1000,
      ...counted,
      threads: report?.threads ?? 1,
      ...(imported ? { keptImportedFactors: keepImported } : {}),
    };
  } finally {
    world.training = false;
  }
}

/** Loads item factors trained elsewhere as the collaborative model (see `RecommenderApi.importItemFactors`). */
export function importItemFactors(
  world: World,
  source: ItemFactorSource,
  options: ImportFactorsOptions = {},
): ImportReport {
  const api = 'importItemFactors';
  refuseWhileTraining(world, api);
  if (world.options.collaborative === false)
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: the collaborative model is switched off (collaborative: false); create the recommender with collaborative options to use factors`,
    );
  const { model, report } = importCollaborative(source, world.catalog, world.options.collaborative, options, api);
  world.setModel(model);
  return report;
}

function refuseWhileTraining(world: World, api: string): void {
  if (world.training)
    throw new AttuneError(
      'TRAINING_IN_PROGRESS',
      `${api}: trainInBackground() is running; await it (or abort it) first`,
    );
}

function trainablePeople(world: World): PersonState[] {
  return [...world.people.values()].filter((p) => !p.optOut);
}

/** Events held and people with learned evidence, for a train report. */
function countLearners(people: readonly PersonState[]): { events: number; users: number } {
  const counted = { events: 0, users: 0 };
  for (const p of people) countLearner(p, counted);
  return counted;
}

/** Adds one person's events, and the person if any of their evidence is learned, to `counted`. */
function countLearner(person: PersonState, counted: { events: number; users: number }): void {
  counted.events += person.events;
  let learned = false;
  person.evidence.forEachView((_, e) => {
    learned ||= e.learned;
  });
  if (learned) counted.users++;
}

/**
 * The popularity sums re-summed from every trainable person's records, and
 * the report's counts, a few milliseconds at a time. Items whose sums
 * change meanwhile are tracked (the caller adopts or stops tracking).
 */
async function popularityInSlices(
  world: World,
  signal: AbortSignal | undefined,
): Promise<{ sums: PopularitySums; counted: { events: number; users: number } }> {
  const api = 'trainInBackground';
  const people = trainablePeople(world);
  const sums = world.popularity.emptySums(world.catalog.size);
  const counted = { events: 0, users: 0 };
  world.popularity.track();
  try {
    await forEachInSlices(people, (p) => sums.addTimes(learnedRecords([p], world.decay)), signal, api);
    await forEachInSlices(people, (p) => sums.addSums(learnedRecords([p], world.decay)), signal, api);
    await forEachInSlices(people, (p) => countLearner(p, counted), signal, api);
  } catch (error) {
    world.popularity.stopTracking();
    throw error;
  }
  return { sums, counted };
}
