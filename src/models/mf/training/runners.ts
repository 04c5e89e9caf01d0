/**
 * Ways to run the phases of a fit (phases.ts): inline, or through a
 * {@link FitExecutor} — time slices on this thread (any platform) or worker
 * threads (Node: src/models/mf/workers/, registered by the Node entry).
 */
import { AttuneError } from '../../../errors.js';
import type { FitArrays, FitCore, FitSums, FitTask } from './fitCore.js';
import type { FitSchedule } from './phases.js';
import type { ResolvedAlsOptions } from '../options.js';

/** Runs every phase at once on this thread; calls `onSweep` with the number of each sweep as it ends. */
export function runInline(schedule: FitSchedule, core: FitCore, sums: FitSums, onSweep: (sweep: number) => void): void {
  for (let phase = 0; phase < schedule.phaseCount; phase++) {
    const tasks = schedule.tasks(phase);
    for (let i = 0; i < tasks.length; i++) core.run(tasks[i] as FitTask, phase, i);
    const sweep = schedule.finish(phase, sums);
    if (sweep > 0) onSweep(sweep);
  }
}

/** Runs a whole fit somewhere, leaving the factors in its arrays and the rest in its {@link FitSums}. */
export interface FitExecutor {
  /** How many threads the tasks run on (1 for the time-sliced executor). */
  readonly threads: number;
  /**
   * Runs every phase; calls `onSweep` with the number of each sweep once its
   * loss is in the sums (in order, each once). Rejects with `ABORTED` when
   * `signal` is aborted.
   */
  run(onSweep: (sweep: number) => void, signal: AbortSignal | undefined): Promise<void>;
  /** Frees the threads; the executor is not used again. */
  close(): void;
}

/** Builds the executor of one background fit; `arrays` and `sums` are what its tasks read and write. */
export type FitExecutorFactory = (
  options: ResolvedAlsOptions,
  arrays: FitArrays,
  threads: number | undefined,
  api: string,
) => Promise<{ executor: FitExecutor; arrays: FitArrays; sums: FitSums }>;

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

/**
 * Runs the phases on this thread, giving the event loop a turn at least
 * every {@link SLICE_MS} (a task itself takes a few milliseconds, see
 * `TASK_WORK`). The fallback where no worker threads are registered, e.g. in
 * browsers.
 */
export function timeSlicedExecutor(schedule: FitSchedule, core: FitCore, sums: FitSums, api: string): FitExecutor {
  return {
    threads: 1,
    async run(onSweep, signal) {
      let lastYield = globalThis.performance.now();
      for (let phase = 0; phase < schedule.phaseCount; phase++) {
        const tasks = schedule.tasks(phase);
        for (let i = 0; i < tasks.length; i++) {
          if (globalThis.performance.now() - lastYield >= SLICE_MS) {
            await yieldToEventLoop();
            lastYield = globalThis.performance.now();
            throwIfAborted(signal, api);
          }
          core.run(tasks[i] as FitTask, phase, i);
        }
        const sweep = schedule.finish(phase, sums);
        if (sweep > 0) {
          onSweep(sweep);
          throwIfAborted(signal, api);
        }
      }
    },
    close() {},
  };
}

let workerFactory: FitExecutorFactory | undefined;

/** Registers the worker-thread executor (called by the Node entry); `undefined` removes it. */
export function registerFitExecutorFactory(factory: FitExecutorFactory | undefined): void {
  workerFactory = factory;
}

/** The registered worker-thread executor factory, if any. */
export function fitExecutorFactory(): FitExecutorFactory | undefined {
  return workerFactory;
}
