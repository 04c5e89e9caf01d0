/**
 * Node only: the body of one training thread (see workerThreadsExecutor.ts).
 * A thread serves one fit after another: each fit's set-up message builds a
 * {@link FitCore} over that fit's shared arrays, each task message gets an
 * answer (partial Grams go back as transferred buffers), and the release
 * message drops the arrays while the thread waits in the pool.
 */
import { parentPort } from 'node:worker_threads';
import { AttuneError } from '../../../errors.js';
import { FitCore } from '../training/fitCore.js';
import type { WorkerMessage, WorkerReply } from './workerThreadsExecutor.js';

const port = parentPort;
if (port === null) throw new Error('als-worker must run as a worker thread');
let core: FitCore | undefined;

port.on('message', (message: WorkerMessage) => {
  if ('setup' in message) {
    core = new FitCore(message.setup.options, message.setup.arrays, message.setup.api);
    return;
  }
  if ('release' in message) {
    core = undefined;
    return;
  }
  let reply: WorkerReply;
  try {
    if (core === undefined) throw new AttuneError('INVALID_ARGUMENT', 'als-worker: a task arrived before its set-up');
    reply = { id: message.id, result: core.run(message.task) };
  } catch (error) {
    const code = error instanceof AttuneError ? error.code : 'NUMERIC_ERROR';
    reply = { id: message.id, error: { code, message: error instanceof Error ? error.message : String(error) } };
  }
  const transfer = 'result' in reply && 'gram' in reply.result ? [reply.result.gram.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});
