/**
 * Node only: the body of one training thread (see workerThreadsExecutor.ts).
 * Builds a {@link FitCore} over the shared arrays in `workerData` and answers
 * each task message; partial Grams go back as transferred buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AttuneError } from '../../../errors.js';
import { FitCore, type FitTask } from '../training/fitCore.js';
import type { WorkerReply, WorkerSetup } from './workerThreadsExecutor.js';

const setup = workerData as WorkerSetup;
const core = new FitCore(setup.options, setup.arrays, setup.api);
const port = parentPort;
if (port === null) throw new Error('als-worker must run as a worker thread');

port.on('message', (message: { id: number; task: FitTask }) => {
  let reply: WorkerReply;
  try {
    reply = { id: message.id, result: core.run(message.task) };
  } catch (error) {
    const code = error instanceof AttuneError ? error.code : 'NUMERIC_ERROR';
    reply = { id: message.id, error: { code, message: error instanceof Error ? error.message : String(error) } };
  }
  const transfer = 'result' in reply && 'gram' in reply.result ? [reply.result.gram.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});
