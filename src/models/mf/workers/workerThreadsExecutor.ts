/**
 * Node only: runs the tasks of a background ALS fit on `worker_threads`.
 * The CSR data and both factor matrices are copied once into shared memory;
 * each worker solves the row ranges it is handed in place, and hands back
 * partial Grams and losses. Reached only through the Node entry (src/node.ts),
 * never from the browser build.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AttuneError, type AttuneErrorCode } from '../../../errors.js';
import type { FitArrays, FitResult, FitTask } from '../training/fitCore.js';
import type { FitExecutor, FitExecutorFactory } from '../training/runners.js';
import type { WeightedRows } from '../sweep.js';
import type { ResolvedAlsOptions } from '../options.js';

/** What a worker receives as `workerData`. */
export interface WorkerSetup {
  options: ResolvedAlsOptions;
  arrays: FitArrays;
  api: string;
}

/** A worker's answer to one task. */
export type WorkerReply = { id: number; result: FitResult } | { id: number; error: { code: string; message: string } };

/** Tasks in flight per worker: one running, one queued, so a worker never waits for a message. */
const IN_FLIGHT = 2;

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
function startWorker(setup: WorkerSetup): Worker {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(here)) {
    const source = new URL('./alsWorker.ts', here).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
    return new Worker(bootstrap, { eval: true, workerData: setup });
  }
  return new Worker(new URL(here.endsWith('.cjs') ? './als-worker.cjs' : './als-worker.js', here), {
    workerData: setup,
  });
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
  const workers = Array.from({ length: count }, () => startWorker(setup));
  return { executor: new WorkerThreadsExecutor(workers, api), arrays: sharedArrays };
};

class WorkerThreadsExecutor implements FitExecutor {
  readonly threads: number;
  private nextId = 0;
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
        const id = this.nextId++;
        slotOf.set(id, { slot: sent, worker });
        worker.postMessage({ id, task: this.slim(tasks[sent] as FitTask, worker) });
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

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}
