/**
 * Node only: runs the tasks of a background ALS fit on `worker_threads`.
 * The CSR data and both factor matrices are copied once into shared memory.
 * A phase's task list goes to every thread in one message; the threads take
 * tasks from a shared counter (Atomics), solve their row ranges in place,
 * write partial Grams and losses into the task's slot of a shared buffer, and
 * the last thread to finish says so in one message. Messages per fit: a few
 * per phase, not one per task (a message costs tens of microseconds on a
 * quiet machine and up to half a millisecond on a busy one). Reached only
 * through the Node entry (src/node.ts), never from the browser build.
 *
 * Threads outlive a fit: when it ends they wait in a pool (not keeping the
 * process alive) for the next one, so a recommender that trains every few
 * minutes starts its threads once; after {@link IDLE_MS} without work they stop.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AttuneError, type AttuneErrorCode } from '../../../errors.js';
import type { FitArrays, FitResult, FitTask } from '../training/fitCore.js';
import type { FitExecutor, FitExecutorFactory } from '../training/runners.js';
import type { WeightedRows } from '../sweep.js';
import type { ResolvedAlsOptions } from '../options.js';

/** What a worker receives at the start of each fit (see alsWorker.ts). */
export interface WorkerSetup {
  options: ResolvedAlsOptions;
  arrays: FitArrays;
  api: string;
  /** Shared counters of the fit's current phase: see {@link NEXT}, {@link FINISHED}, {@link STOP}. */
  control: Int32Array;
  /** Threads serving the fit (the last of them to finish a phase reports it). */
  threads: number;
}

/** control[NEXT]: the next task of the phase to take. */
export const NEXT = 0;
/** control[FINISHED]: threads done with the phase. */
export const FINISHED = 1;
/** control[STOP]: 0 go on, 1 stop taking tasks (cancelled), 2 stop (a task failed; its error message follows). */
export const STOP = 2;

/**
 * Task i's result in a phase's shared buffer: its slot of k² numbers at i·k²
 * holds a partial Gram, or the observed part of the objective; the thread that
 * ran the task writes it, the main thread reads it once the phase is over.
 */
export function writeResult(results: Float64Array, i: number, k: number, result: FitResult): void {
  const at = i * k * k;
  if ('gram' in result) results.set(result.gram, at);
  else if ('observed' in result) results[at] = result.observed;
}

function readResult(results: Float64Array, i: number, k: number, task: FitTask): FitResult {
  const at = i * k * k;
  if (task.op === 'gram') return { gram: results.slice(at, at + k * k) };
  if (task.op === 'solve' && task.observed === true) return { observed: results[at] as number };
  return { done: true };
}

/** A phase of a fit: its tasks, and the buffer their Grams and losses go to (see {@link writeResult}). */
export interface WorkerPhase {
  phase: number;
  tasks: readonly FitTask[];
  results: Float64Array;
}

/** A message to a worker: a fit's set-up, one phase of it, or the end of it (drop the shared arrays). */
export type WorkerMessage = { setup: WorkerSetup } | WorkerPhase | { release: true };

/** A worker's report: a phase finished (by every thread), or a task of it failed. */
export type WorkerReply = { phase: number; done: true } | { phase: number; error: { code: string; message: string } };

/** Idle threads stop after this long without a fit. */
export const IDLE_MS = 30_000;

/** Threads waiting for the next fit (unreferenced: they do not keep the process alive). */
const idle: Worker[] = [];
let idleTimer: ReturnType<typeof setTimeout> | undefined;
/** Threads that failed or stopped: never taken again. */
const retired = new WeakSet<Worker>();
/** Phase ids are unique across fits, so a late report of a cancelled fit's phase is never taken for another's. */
let nextPhaseId = 0;

/** Threads started so far and threads waiting in the pool (for tests and diagnostics). */
export const threadPoolStats = { started: 0, idle: () => idle.length };

function takeWorker(): Worker {
  const worker = idle.pop() ?? startWorker();
  worker.ref();
  return worker;
}

function giveBack(worker: Worker): void {
  if (retired.has(worker)) return;
  worker.postMessage({ release: true } satisfies WorkerMessage);
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

function sharedRows(r: WeightedRows): WeightedRows {
  return {
    rows: r.rows,
    indptr: shared(r.indptr),
    indices: shared(r.indices),
    curvature: shared(r.curvature),
    target: shared(r.target),
  };
}

/**
 * The worker script next to this module: the built `als-worker.js` / `.cjs`;
 * when attune runs from its TypeScript source (its own tests, under tsx or
 * vitest) a two-line bootstrap loads the source through tsx.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  let worker: Worker;
  if (/\.[cm]?ts$/.test(here)) {
    const source = new URL('./alsWorker.ts', here).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
    worker = new Worker(bootstrap, { eval: true });
  } else {
    worker = new Worker(new URL(here.endsWith('.cjs') ? './als-worker.cjs' : './als-worker.js', here));
  }
  threadPoolStats.started++;
  // A thread that fails or stops while idle leaves the pool (a fit's own handlers report it during a fit).
  worker.on('error', () => retire(worker));
  worker.on('exit', () => retire(worker));
  return worker;
}

function toError(error: { code: string; message: string }): AttuneError {
  return new AttuneError(error.code as AttuneErrorCode, error.message);
}

/** The executor factory the Node entry registers: `threads` workers (default: every core). */
export const workerThreadsExecutorFactory: FitExecutorFactory = async (options, arrays, threads, api) => {
  const count = Math.max(1, threads ?? availableParallelism());
  const sharedArrays: FitArrays = {
    byUser: sharedRows(arrays.byUser),
    byItem: sharedRows(arrays.byItem),
    preference: shared(arrays.preference),
    x: shared(arrays.x),
    y: shared(arrays.y),
    userKeys: arrays.userKeys,
    itemKeys: arrays.itemKeys,
  };
  const control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const setup: WorkerSetup = { options, arrays: sharedArrays, api, control, threads: count };
  const workers = Array.from({ length: count }, takeWorker);
  for (const w of workers) w.postMessage({ setup } satisfies WorkerMessage);
  return { executor: new WorkerThreadsExecutor(workers, control, options.factors, api), arrays: sharedArrays };
};

class WorkerThreadsExecutor implements FitExecutor {
  readonly threads: number;
  /** Shared result slots, grown as phases need them. */
  private results = new Float64Array(new SharedArrayBuffer(0));

  constructor(
    private readonly workers: Worker[],
    private readonly control: Int32Array,
    private readonly k: number,
    private readonly api: string,
  ) {
    this.threads = workers.length;
  }

  run(tasks: readonly FitTask[], signal: AbortSignal | undefined): Promise<FitResult[]> {
    if (tasks.length === 0) return Promise.resolve([]);
    const size = tasks.length * this.k * this.k;
    const needsSlots = tasks.some((t) => t.op === 'gram' || (t.op === 'solve' && t.observed === true));
    if (needsSlots && this.results.length < size)
      this.results = new Float64Array(new SharedArrayBuffer(size * Float64Array.BYTES_PER_ELEMENT));
    const results = this.results;
    const control = this.control;
    const phase = nextPhaseId++;
    return new Promise((resolve, reject) => {
      let settled = false;
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
        cleanup();
        reject(error);
      };
      const onMessage = (reply: WorkerReply) => {
        if (settled || reply.phase !== phase) return;
        if ('error' in reply) return fail(toError(reply.error));
        // a failed task's error message is on its way from the thread that ran it
        if (Atomics.load(control, STOP) === 2) return;
        cleanup();
        resolve(tasks.map((task, i) => readResult(results, i, this.k, task)));
      };
      const onError = (error: Error) =>
        fail(new AttuneError('NUMERIC_ERROR', `${this.api}: a training thread failed: ${error.message}`));
      const onExit = (code: number) =>
        fail(new AttuneError('NUMERIC_ERROR', `${this.api}: a training thread stopped early (exit code ${code})`));
      const onAbort = () => {
        const error = new AttuneError('ABORTED', `${this.api}: cancelled by its AbortSignal; nothing was changed`);
        (error as { cause?: unknown }).cause = signal?.reason;
        fail(error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of this.workers) {
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
      }
      // The previous phase is over (its last thread reported), so the counters are free to reset.
      Atomics.store(control, NEXT, 0);
      Atomics.store(control, FINISHED, 0);
      Atomics.store(control, STOP, 0);
      const message: WorkerMessage = { phase, tasks, results };
      for (const w of this.workers) w.postMessage(message);
    });
  }

  /** Hands the threads back to the pool (a thread that failed or stopped was retired already). */
  close(): void {
    for (const w of this.workers) giveBack(w);
  }
}
