/**
 * Node only: the body of one training thread (see workerThreadsExecutor.ts).
 * A thread serves one fit after another. A fit's set-up message builds a
 * {@link FitCore} and the fit's {@link FitSchedule} over that fit's shared
 * arrays and runs every phase: it takes tasks from the shared counter until
 * none is left; the last thread to finish a phase adds up its results and
 * opens the next phase, which the others wait for. Nothing of a fit is kept
 * once it ends: the thread waits in the pool for the next set-up.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { AttuneError } from '../../../errors.js';
import { FitCore, type FitTask } from '../training/fitCore.js';
import { FitSchedule } from '../training/phases.js';
import {
  FINISHED,
  NEXT,
  PHASE,
  STOP,
  type WorkerMessage,
  type WorkerReply,
  type WorkerSetup,
} from './workerThreadsExecutor.js';

const port = parentPort;
if (port === null) throw new Error('als-worker must run as a worker thread');

/** Longest single wait for the next phase (a notify ends it sooner); the wait is re-checked after it. */
const WAIT_MS = 50;

function runFit(setup: WorkerSetup, out: NonNullable<typeof port>): void {
  const { control, threads, sums, fit } = setup;
  const stopped = () => Atomics.load(control, STOP) !== 0;
  const reply = (message: WorkerReply) => out.postMessage(message);
  let core: FitCore;
  let schedule: FitSchedule;
  try {
    schedule = new FitSchedule(setup.options, setup.arrays);
    core = new FitCore(setup.options, setup.arrays, sums, schedule.shapes, setup.api);
  } catch (error) {
    return fail(setup, error, reply);
  }
  for (let phase = 0; phase < schedule.phaseCount; phase++) {
    // Wait for the thread that finished the previous phase to open this one.
    while (Atomics.load(control, PHASE) < phase) {
      if (stopped()) return;
      Atomics.wait(control, PHASE, phase - 1, WAIT_MS);
    }
    const tasks = schedule.tasks(phase);
    for (;;) {
      if (stopped()) return;
      const i = Atomics.add(control, NEXT, 1);
      if (i >= tasks.length) break;
      try {
        core.run(tasks[i] as FitTask, phase, i);
      } catch (error) {
        return fail(setup, error, reply);
      }
    }
    if (Atomics.add(control, FINISHED, 1) + 1 < threads || stopped()) continue;
    // The last thread out: every task of the phase is done, so its results can be added up.
    const sweep = schedule.finish(phase, sums);
    Atomics.store(control, NEXT, 0);
    Atomics.store(control, FINISHED, 0);
    Atomics.store(control, PHASE, phase + 1);
    Atomics.notify(control, PHASE);
    if (sweep > 0) reply({ fit, sweep });
    if (phase + 1 === schedule.phaseCount) reply({ fit, done: true });
  }
}

/** Stops the fit on every thread and reports why (once: the first thread to fail). */
function fail(setup: WorkerSetup, error: unknown, reply: (message: WorkerReply) => void): void {
  const { control, fit } = setup;
  if (Atomics.compareExchange(control, STOP, 0, 2) !== 0) return;
  Atomics.notify(control, PHASE);
  const code = error instanceof AttuneError ? error.code : 'NUMERIC_ERROR';
  reply({ fit, error: { code, message: error instanceof Error ? error.message : String(error) } });
}

/**
 * How much nicer than the thread that started it a training thread runs
 * (Linux nice steps; 10 ≈ a tenth of the CPU weight). A fit keeps every core
 * busy for seconds, and the serving thread — and V8's GC helper threads, which
 * it waits for in a collection — would otherwise queue behind the training
 * threads for a core at every turn of its event loop. On a core nothing
 * else wants, a nicer thread runs as fast.
 */
export const TRAINING_NICENESS = 10;

/**
 * Lowers this thread's priority by {@link TRAINING_NICENESS} (Linux: setpriority
 * on the thread's own id, from /proc/thread-self, applies to this thread alone).
 * Elsewhere, or where it is not allowed, the thread keeps the process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    // Never the process's main thread (its id is the process id).
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return;
    setPriority(tid, Math.min(19, getPriority(tid) + TRAINING_NICENESS));
  } catch {
    // Not Linux, or not allowed: the same priority as the serving thread.
  }
}
lowerPriority();

port.on('message', (message: WorkerMessage) => runFit(message.setup, port));
