/**
 * Node only: runs the tasks of a background ALS fit on `worker_threads`.
 * The CSR data and both factor matrices are copied once into shared memory;
 * each worker solves the row ranges it is handed in place, and hands back
 * partial Grams and losses. Reached only through the Node entry (src/node.ts),
 * never from the browser build.
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
}

/** A worker's answer to one task. */
export type WorkerReply = { id: number; result: FitResult } | { id: number; error: { code: string; message: string } };

/** A message to a worker: a fit's set-up, one task of it, or the end of it (drop the shared arrays). */
export type WorkerMessage = { setup: WorkerSetup } | { id: number; task: FitTask } | { release: true };

/** Tasks in flight per worker: one running, one queued, so a worker never waits for a message. */
const IN_FLIGHT = 2;

/** Idle threads stop after this long without a fit. */
export const IDLE_MS = 30_000;

/** Threads waiting for the next fit (unreferenced: they do not keep the process alive). */
const idle: Worker[] = [];
let idleTimer: ReturnType<typeof setTimeout> | undefined;
/** Threads that failed or stopped: never taken again. */
const retired = new WeakSet<Worker>();
/** Task ids are unique across fits, so a late answer to a cancelled fit's task is never taken for another's. */
let nextTaskId = 0;

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
  const setup: WorkerSetup = { options, arrays: sharedArrays, api };
  const workers = Array.from({ length: count }, takeWorker);
  for (const w of workers) w.postMessage({ setup } satisfies WorkerMessage);
  return { executor: new WorkerThreadsExecutor(workers, api), arrays: sharedArrays };
};

class WorkerThreadsExecutor implements FitExecutor {
  readonly threads: number;
  private readonly planSent = new Map<Worker, string>();

  constructor(
    private readonly workers: Worker[],
    private readonly api: string,
  ) {
    this.threads = workers.length;
  }

  run(tasks: readonly FitTask[], signal: AbortSignal | undefined): Promise<FitResult[]> {
    return new Promise((resolve, reject) => {
      const results = new Array<FitResult>(tasks.length);
      const slotOf = new Map<number, { slot: number; worker: Worker }>();
      let sent = 0;
      let received = 0;
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
        cleanup();
        reject(error);
      };
      const send = (worker: Worker) => {
        if (sent >= tasks.length) return;
        const id = nextTaskId++;
        slotOf.set(id, { slot: sent, worker });
        worker.postMessage({ id, task: this.slim(tasks[sent] as FitTask, worker) } satisfies WorkerMessage);
        sent++;
      };
      const onMessage = (reply: WorkerReply) => {
        if (settled) return;
        const sentTo = slotOf.get(reply.id);
        if (sentTo === undefined) return;
        slotOf.delete(reply.id);
        if ('error' in reply) return fail(toError(reply.error));
        results[sentTo.slot] = reply.result;
        received++;
        if (received === tasks.length) {
          cleanup();
          resolve(results);
          return;
        }
        send(sentTo.worker);
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
      if (tasks.length === 0) return resolve([]);
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of this.workers) {
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
      }
      // Each reply refills the worker that sent it, so faster threads take more tasks.
      for (let round = 0; round < IN_FLIGHT; round++) for (const w of this.workers) send(w);
    });
  }

  /**
   * A worker needs a half-sweep's fixed Gram only for its first solve task of
   * that half-sweep (it keeps the plan built from it), so later tasks go
   * without it: k² numbers less to copy per message.
   */
  private slim(task: FitTask, worker: Worker): FitTask {
    if (task.op !== 'solve') return task;
    const key = `${task.sweep}:${task.side}`;
    if (this.planSent.get(worker) !== key) {
      this.planSent.set(worker, key);
      return task;
    }
    return { ...task, fixedGram: new Float64Array(0) };
  }

  /** Hands the threads back to the pool (a thread that failed or stopped was retired already). */
  close(): void {
    for (const w of this.workers) giveBack(w);
  }
}
