/**
 * Node only: the body of one training thread (see workerThreadsExecutor.ts).
 * A thread serves one fit after another: each fit's set-up message builds a
 * {@link FitCore} over that fit's shared arrays; for each phase it takes
 * tasks from the shared counter until none is left, writes Grams and losses
 * into their slots, and the last thread to finish reports the phase done;
 * the release message drops the arrays while the thread waits in the pool.
 */
import { parentPort } from 'node:worker_threads';
import { AttuneError } from '../../../errors.js';
import { FitCore } from '../training/fitCore.js';
import {
  FINISHED,
  NEXT,
  STOP,
  type WorkerMessage,
  type WorkerPhase,
  type WorkerReply,
  type WorkerSetup,
  writeResult,
} from './workerThreadsExecutor.js';

const port = parentPort;
if (port === null) throw new Error('als-worker must run as a worker thread');
let fit: { setup: WorkerSetup; core: FitCore } | undefined;

function runPhase(
  { setup, core }: { setup: WorkerSetup; core: FitCore },
  message: WorkerPhase,
  out: NonNullable<typeof port>,
): void {
  const { control } = setup;
  const { tasks, results } = message;
  while (Atomics.load(control, STOP) === 0) {
    const i = Atomics.add(control, NEXT, 1);
    if (i >= tasks.length) break;
    try {
      writeResult(results, i, setup.options.factors, core.run(tasks[i]!));
    } catch (error) {
      Atomics.store(control, STOP, 2);
      const code = error instanceof AttuneError ? error.code : 'NUMERIC_ERROR';
      const reply: WorkerReply = {
        phase: message.phase,
        error: { code, message: error instanceof Error ? error.message : String(error) },
      };
      out.postMessage(reply);
      break;
    }
  }
  if (Atomics.add(control, FINISHED, 1) + 1 === setup.threads) {
    const reply: WorkerReply = { phase: message.phase, done: true };
    out.postMessage(reply);
  }
}

port.on('message', (message: WorkerMessage) => {
  if ('setup' in message) {
    fit = { setup: message.setup, core: new FitCore(message.setup.options, message.setup.arrays, message.setup.api) };
  } else if ('release' in message) {
    fit = undefined;
  } else if (fit === undefined) {
    port.postMessage({
      phase: message.phase,
      error: { code: 'INVALID_ARGUMENT', message: 'als-worker: a phase arrived before its set-up' },
    } satisfies WorkerReply);
  } else {
    runPhase(fit, message, port);
  }
});
