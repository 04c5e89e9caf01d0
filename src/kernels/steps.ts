/**
 * Work that gives the event loop a turn: the time slice, cancellation, and
 * steps written once as a generator that run at once or in slices. Used by
 * training, restore, retrieval's index and the store-backed front.
 */
import { AttuneError } from '../errors.js';

/** Throws `ABORTED` (the signal's reason as `cause`) once `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, api: string): void {
  if (signal?.aborted === true) {
    const error = new AttuneError('ABORTED', `${api}: cancelled by its AbortSignal; nothing was changed`);
    (error as { cause?: unknown }).cause = signal.reason;
    throw error;
  }
}

/** Longest stretch of work between two yields to the event loop of the time-sliced executor. */
export const SLICE_MS = 8;

/** Resolves on the next turn of the event loop (after timers that are due). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Calls `fn` on every element of `list` in order, giving the event loop a
 * turn whenever {@link SLICE_MS} milliseconds have passed; throws `ABORTED`
 * (naming `api`) at a turn if `signal` was aborted. For work over many
 * people around a background fit (reading their entries, re-summing popularity).
 */
export async function forEachInSlices<T>(
  list: Iterable<T>,
  fn: (element: T) => void,
  signal: AbortSignal | undefined,
  api: string,
): Promise<void> {
  let lastYield = globalThis.performance.now();
  for (const element of list) {
    if (globalThis.performance.now() - lastYield >= SLICE_MS) {
      await yieldToEventLoop();
      throwIfAborted(signal, api);
      lastYield = globalThis.performance.now();
    }
    fn(element);
  }
}

/**
 * Work written once as a generator that may pause wherever it yields: run to
 * the end at once ({@link finishSteps}) or in time slices
 * ({@link finishStepsInSlices}), so a synchronous call and its non-blocking
 * twin share one code path (restoring a snapshot, for one).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` to the end without pausing and returns their result. */
export function finishSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/** Runs `steps` to the end, giving the event loop a turn whenever {@link SLICE_MS} have passed at a pause. */
export async function finishStepsInSlices<T>(steps: Steps<T>): Promise<T> {
  let lastYield = globalThis.performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    if (globalThis.performance.now() - lastYield >= SLICE_MS) {
      await yieldToEventLoop();
      lastYield = globalThis.performance.now();
    }
  }
}
