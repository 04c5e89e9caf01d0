/**
 * Node only: runs a background ALS fit on `worker_threads`. The CSR data,
 * both factor matrices and the fit's sums (fitCore.ts) are copied once into
 * shared memory, and one message starts the fit on every thread. The threads
 * then carry it from phase to phase by themselves: they take the tasks of the
 * phase under way from a shared counter (Atomics), and the last thread to
 * finish a phase adds up its results and opens the next one, while the others
 * wait for it (`Atomics.wait`). The main thread only hears when a sweep ends
 * (to report progress), when the fit is done, or that a task failed: no
 * message per phase, no wait for the main thread between phases. Reached only
 * through the Node entry (src/node.ts), never from the browser build.
 *
 * Threads outlive a fit: when it ends they wait in a pool (not keeping the
 * process alive) for the next one, so a recommender that trains every few
 * minutes starts its threads once; after {@link IDLE_MS} without work they stop.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AttuneError, type AttuneErrorCode } from '../../../errors.js';
import { fitSums, type FitArrays, type FitSums } from '../training/fitCore.js';
import { FitSchedule } from '../training/phases.js';
import { yieldToEventLoop, type FitExecutor, type FitExecutorFactory } from '../training/runners.js';
import type { WeightedRows } from '../sweep.js';
import type { ResolvedAlsOptions } from '../options.js';
import { ALS_WORKER_SOURCE } from './inlineSource.js';

/** What a worker receives to run one fit (see alsWorker.ts). */
export interface WorkerSetup {
  /** The fit's id: replies carry it, so a late reply of a cancelled fit is never taken for another's. */
  fit: number;
  options: ResolvedAlsOptions;
  arrays: FitArrays;
  sums: FitSums;
  api: string;
  /** Shared counters of the fit: see {@link NEXT}, {@link FINISHED}, {@link STOP}, {@link PHASE}. */
  control: Int32Array;
  /** Threads serving the fit (the last of them to finish a phase opens the next). */
  threads: number;
}

/** control[NEXT]: the next task of the phase under way to take. */
export const NEXT = 0;
/** control[FINISHED]: threads done with the phase under way. */
export const FINISHED = 1;
/** control[STOP]: 0 go on, 1 stop (cancelled or failed elsewhere), 2 stop (a task failed; its error message follows). */
export const STOP = 2;
/** control[PHASE]: the phase whose tasks may be taken (the fit is done when it equals the phase count). */
export const PHASE = 3;

/** The one message a worker receives: run a fit. */
export interface WorkerMessage {
  setup: WorkerSetup;
}

/** A worker's report: a sweep ended (its loss is in the sums), the fit is done, or a task of it failed. */
export type WorkerReply =
  | { fit: number; sweep: number }
  | { fit: number; done: true }
  | { fit: number; error: { code: string; message: string } };

/** Idle threads stop after this long without a fit. */
export const IDLE_MS = 30_000;

/** Threads waiting for the next fit (unreferenced: they do not keep the process alive). */
const idle: Worker[] = [];
let idleTimer: ReturnType<typeof setTimeout> | undefined;
/** Threads that failed or stopped: never taken again. */
const retired = new WeakSet<Worker>();
/** Fit ids are unique across fits, so a late report of a cancelled fit is never taken for another's. */
let nextFitId = 0;

/** Threads started so far and threads waiting in the pool (for tests and diagnostics). */
export const threadPoolStats = { started: 0, idle: () => idle.length };

function takeWorker(api: string): Worker {
  const worker = idle.pop() ?? startWorker(api);
  worker.ref();
  return worker;
}

function giveBack(worker: Worker): void {
  if (retired.has(worker)) return;
  worker.unref();
  idle.push(worker);
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    for (const w of idle.splice(0)) void w.terminate();
  }, IDLE_MS);
  (idleTimer as { unref?: () => void }).unref?.();
}

/** Leaves the pool for good (it failed or stopped). */
function retire(worker: Worker): void {
  retired.add(worker);
  const at = idle.indexOf(worker);
  if (at >= 0) idle.splice(at, 1);
  void worker.terminate();
}

function shared<T extends Int32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(Math.max(1, a.length) * Ctor.BYTES_PER_ELEMENT));
  out.set(a);
  return a.length === 0 ? (out.subarray(0, 0) as T) : out;
}

/** Zeros in shared memory, without a private array to copy from (the sums are tens of MB at 128 factors). */
function sharedZeros(length: number): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(Math.max(1, length) * Float64Array.BYTES_PER_ELEMENT));
  return length === 0 ? out.subarray(0, 0) : out;
}

function sharedRows(r: WeightedRows): WeightedRows {
  return {
    rows: r.rows,
    indptr: shared(r.indptr),
    indices: shared(r.indices),
    curvature: shared(r.curvature),
    target: shared(r.target),
  };
}

/** How to train when threads cannot be started, for the message of `WORKER_UNAVAILABLE`. */
const FIX =
  'train on this thread instead (trainInBackground({ threads: 1 }) runs in time slices; train() at once), or run attune where worker_threads may start threads from code (not under --disallow-code-generation-from-strings)';

/**
 * Starts a training thread: from the bundled code the build put into
 * {@link ALS_WORKER_SOURCE} (no file to find, so an app bundled with esbuild
 * or webpack trains on threads too), or — run from the TypeScript source
 * (attune's own tests, under tsx or vitest) — from alsWorker.ts through a
 * two-line tsx bootstrap.
 */
function startWorker(api: string): Worker {
  let worker: Worker;
  try {
    if (ALS_WORKER_SOURCE !== undefined) {
      worker = new Worker(ALS_WORKER_SOURCE, { eval: true });
    } else {
      // Through a variable: bundlers treat `new URL('…', import.meta.url)` as a file to bundle.
      const here = import.meta.url;
      const source = new URL('./alsWorker.ts', here).href;
      const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
      worker = new Worker(bootstrap, { eval: true });
    }
  } catch (error) {
    throw unavailable(api, (error as Error).message);
  }
  threadPoolStats.started++;
  // A thread that fails or stops while idle leaves the pool (a fit's own handlers report it during a fit).
  worker.on('error', () => retire(worker));
  worker.on('exit', () => retire(worker));
  return worker;
}

/** `WORKER_UNAVAILABLE`: a training thread could not start or run, and what to do instead. */
function unavailable(api: string, why: string): AttuneError {
  return new AttuneError('WORKER_UNAVAILABLE', `${api}: a training thread could not run (${why}); ${FIX}`);
}

function toError(error: { code: string; message: string }): AttuneError {
  return new AttuneError(error.code as AttuneErrorCode, error.message);
}

/** The executor factory the Node entry registers: `threads` workers (default: every core). */
export const workerThreadsExecutorFactory: FitExecutorFactory = async (options, arrays, threads, api) => {
  const count = Math.max(1, threads ?? availableParallelism());
  // The copies into shared memory and the schedule take an event-loop turn each (tens of ms under load).
  const byUser = sharedRows(arrays.byUser);
  await yieldToEventLoop();
  const byItem = sharedRows(arrays.byItem);
  await yieldToEventLoop();
  const sharedArrays: FitArrays = {
    byUser,
    byItem,
    preference: shared(arrays.preference),
    x: shared(arrays.x),
    y: shared(arrays.y),
    userKeys: arrays.userKeys,
    itemKeys: arrays.itemKeys,
  };
  await yieldToEventLoop();
  const { layout } = new FitSchedule(options, arrays);
  await yieldToEventLoop();
  const sums = fitSums(options.factors, layout, sharedZeros);
  const control = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const setup: WorkerSetup = { fit: nextFitId++, options, arrays: sharedArrays, sums, api, control, threads: count };
  const workers = Array.from({ length: count }, () => takeWorker(api));
  return { executor: new WorkerThreadsExecutor(workers, setup), arrays: sharedArrays, sums };
};

class WorkerThreadsExecutor implements FitExecutor {
  readonly threads: number;

  constructor(
    private readonly workers: Worker[],
    private readonly setup: WorkerSetup,
  ) {
    this.threads = workers.length;
  }

  run(onSweep: (sweep: number) => void, signal: AbortSignal | undefined): Promise<void> {
    const { control, fit, api } = this.setup;
    return new Promise((resolve, reject) => {
      let settled = false;
      let reported = 0;
      const cleanup = () => {
        settled = true;
        for (const w of this.workers) {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        }
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        Atomics.store(control, STOP, 1);
        Atomics.notify(control, PHASE);
        cleanup();
        reject(error);
      };
      // Sweeps are reported in order, each once, whichever thread's message comes first.
      const reportUpTo = (sweep: number) => {
        // (this load orders the reads of the sums after the threads' writes)
        Atomics.load(control, PHASE);
        try {
          while (!settled && reported < sweep) onSweep(++reported);
        } catch (error) {
          fail(error);
        }
      };
      const onMessage = (reply: WorkerReply) => {
        if (settled || reply.fit !== fit) return;
        if ('error' in reply) return fail(toError(reply.error));
        if ('sweep' in reply) return reportUpTo(reply.sweep);
        reportUpTo(this.setup.options.iterations);
        if (settled) return;
        cleanup();
        resolve();
      };
      // A task's own failure comes as a reply (above); an error event is the thread itself failing to run.
      const onError = (error: Error) => fail(unavailable(api, error.message));
      const onExit = (code: number) => fail(unavailable(api, `it stopped early with exit code ${code}`));
      const onAbort = () => {
        const error = new AttuneError('ABORTED', `${api}: cancelled by its AbortSignal; nothing was changed`);
        (error as { cause?: unknown }).cause = signal?.reason;
        fail(error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of this.workers) {
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
      }
      const message: WorkerMessage = { setup: this.setup };
      for (const w of this.workers) w.postMessage(message);
    });
  }

  /** Hands the threads back to the pool (a thread that failed or stopped was retired already). */
  close(): void {
    Atomics.store(this.setup.control, STOP, 1);
    Atomics.notify(this.setup.control, PHASE);
    for (const w of this.workers) giveBack(w);
  }
}
