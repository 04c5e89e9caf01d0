/**
 * The Node entry of attune (package.json `exports`, condition `node`): the
 * whole public surface of src/index.ts, plus worker threads for background
 * training — `trainInBackground` and `AlsModel.fitInBackground` spread their
 * sweeps over every core. The browser build never imports this file.
 */
import { registerFitExecutorFactory } from './models/mf/training/runners.js';
import { workerThreadsExecutorFactory } from './models/mf/workers/workerThreadsExecutor.js';

registerFitExecutorFactory(workerThreadsExecutorFactory);

export * from './index.js';
