/**
 * Options of `trainInBackground()` and their validation (the facade's
 * background-training method hands them on to the collaborative model).
 */
import { AttuneError, describeValue } from '../errors.js';

/** Reported after every sweep of the collaborative model. */
export interface TrainProgress {
  /** 1-based number of the sweep just finished. */
  iteration: number;
  iterations: number;
  /** The training objective after this sweep. */
  loss: number;
}

/** Options of `trainInBackground()`. Every field is optional. */
export interface BackgroundTrainOptions {
  /** Called after every sweep, on the calling thread. */
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Cancels the training: the promise rejects with an `AttuneError` of code
   * `ABORTED` (the signal's reason as its `cause`) and the model in use stays.
   */
  signal?: AbortSignal;
  /**
   * Worker threads for the sweeps. In Node (attune's `node` export) the
   * default is every core; `1` — and every browser — runs the sweeps on the
   * calling thread in slices of a few milliseconds, between which timers,
   * I/O and rendering get their turn.
   * @default every core (Node), 1 elsewhere
   */
  threads?: number;
  /** As in `train()`: `true` replaces imported item factors instead of keeping them. @default false */
  replaceImportedFactors?: boolean;
}

/** The options `trainInBackground` knows (a misspelt one is refused, not ignored). */
const BACKGROUND_KEYS: readonly string[] = ['onProgress', 'signal', 'threads', 'replaceImportedFactors'];

/**
 * Whether `signal` can be used as an AbortSignal: an object with `aborted`,
 * `addEventListener` and `removeEventListener` (what the fit calls; a plain
 * `{ aborted: false }` would fail later, inside the fit).
 */
function isAbortSignal(signal: unknown): signal is AbortSignal {
  if (signal === null || typeof signal !== 'object') return false;
  const s = signal as Partial<AbortSignal>;
  return (
    typeof s.aborted === 'boolean' &&
    typeof s.addEventListener === 'function' &&
    typeof s.removeEventListener === 'function'
  );
}

/** Validates the options; throws `INVALID_ARGUMENT` naming `api`. */
export function checkBackgroundTrainOptions(options: unknown, api: string): BackgroundTrainOptions {
  if (options === null || typeof options !== 'object')
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: options must be an object such as { signal, onProgress }, got ${describeValue(options)}`,
    );
  const o = options as BackgroundTrainOptions;
  for (const key of Object.keys(o))
    if (!BACKGROUND_KEYS.includes(key))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: unknown option ${describeValue(key)}; use ${BACKGROUND_KEYS.join(', ')}`,
      );
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new AttuneError('INVALID_ARGUMENT', `${api}: onProgress must be a function`);
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: signal must be an AbortSignal (e.g. new AbortController().signal)`,
    );
  }
  if (
    o.threads !== undefined &&
    (typeof o.threads !== 'number' || !Number.isInteger(o.threads) || o.threads < 1 || o.threads > 256)
  ) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: threads must be a whole number from 1 to 256, got ${describeValue(o.threads)}`,
    );
  }
  if (o.replaceImportedFactors !== undefined && typeof o.replaceImportedFactors !== 'boolean')
    throw new AttuneError('INVALID_ARGUMENT', `${api}: replaceImportedFactors must be true or false`);
  return {
    ...(o.onProgress !== undefined ? { onProgress: o.onProgress } : {}),
    ...(o.signal !== undefined ? { signal: o.signal } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    ...(o.replaceImportedFactors !== undefined ? { replaceImportedFactors: o.replaceImportedFactors } : {}),
  };
}

/** The part of the options the fit itself takes (no replaceImportedFactors). */
export function fitHooks(o: BackgroundTrainOptions): Pick<BackgroundTrainOptions, 'onProgress' | 'signal' | 'threads'> {
  const { replaceImportedFactors: _replace, ...hooks } = o;
  return hooks;
}
