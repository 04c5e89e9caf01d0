/**
 * Ways to run the phases of a fit (phases.ts): inline, or through a
 * {@link FitExecutor} — time slices on this thread (any platform) or worker
 * threads (Node: src/models/mf/workers/, registered by the Node entry).
 */
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

// The generic step runner lives with the kernels (ranking and persistence use it too).
export {
  finishSteps,
  finishStepsInSlices,
  forEachInSlices,
  SLICE_MS,
  throwIfAborted,
  yieldToEventLoop,
  type Steps,
} from '../../../kernels/steps.js';
import { SLICE_MS, throwIfAborted, yieldToEventLoop } from '../../../kernels/steps.js';

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
