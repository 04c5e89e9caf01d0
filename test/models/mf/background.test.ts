import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AlsModel } from '../../../src/models/mf/index.js';
import { AttuneError } from '../../../src/errors.js';
import { registerFitExecutorFactory } from '../../../src/models/mf/training/runners.js';
import { threadPoolStats, workerThreadsExecutorFactory } from '../../../src/models/mf/workers/workerThreadsExecutor.js';
import { plantedWorld } from './plantedWorld.js';

// Big enough that each side splits into several solve tasks and the user Gram into two blocks.
const world = plantedWorld({ seed: 314, users: 2500, items: 1200, likesPerUser: 30 });
const options = { factors: 64, iterations: 3, regularization: 1, alpha: 2, seed: 3 } as const;
const reference = AlsModel.fit(world.train, options);

function sameFactors(a: AlsModel, b: AlsModel): boolean {
  const x = a.toJSON();
  const y = b.toJSON();
  return (
    x.userFactors.every((v, i) => Object.is(v, y.userFactors[i])) &&
    x.itemFactors.every((v, i) => Object.is(v, y.itemFactors[i]))
  );
}

describe('AlsModel.fitInBackground', () => {
  afterAll(() => registerFitExecutorFactory(undefined));

  it('in time slices on this thread gives the very model of fit(), with progress per sweep', async () => {
    const seen: number[] = [];
    const { model, report } = await AlsModel.fitInBackground(world.train, options, {
      threads: 1,
      onProgress: (p) => seen.push(p.iteration),
    });
    expect(sameFactors(model, reference.model)).toBe(true);
    expect(report.loss).toEqual(reference.report.loss);
    expect(report.threads).toBe(1);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('lets timers run while it works', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await AlsModel.fitInBackground(world.train, { ...options, iterations: 6 }, { threads: 1 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it('on worker threads gives the very model of fit(), with progress per sweep in order', async () => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    const seen: [number, number][] = [];
    const { model, report } = await AlsModel.fitInBackground(world.train, options, {
      threads: 2,
      onProgress: (p) => seen.push([p.iteration, p.loss]),
    });
    expect(report.threads).toBe(2);
    expect(sameFactors(model, reference.model)).toBe(true);
    expect(report.loss).toEqual(reference.report.loss);
    expect(seen).toEqual(reference.report.loss.map((loss, i) => [i + 1, loss]));
  });

  it('on worker threads, a fit of 0 sweeps leaves the seeded start, as fit() does', async () => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    const none = { ...options, iterations: 0 };
    const { model, report } = await AlsModel.fitInBackground(world.train, none, { threads: 2 });
    expect(report.loss).toEqual([]);
    expect(sameFactors(model, AlsModel.fit(world.train, none).model)).toBe(true);
  });

  it('an onProgress that throws rejects the fit with its error, and the threads serve the next fit', async () => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    const boom = new Error('progress handler failed');
    await expect(
      AlsModel.fitInBackground(world.train, options, {
        threads: 2,
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    const { model } = await AlsModel.fitInBackground(world.train, options, { threads: 2 });
    expect(sameFactors(model, reference.model)).toBe(true);
  });

  it.each([1, 2])('is cancelled by an AbortSignal with ABORTED (threads %i)', async (threads) => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    const controller = new AbortController();
    const promise = AlsModel.fitInBackground(
      world.train,
      { ...options, iterations: 50 },
      { threads, signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('keeps its threads for the next fit, which gives the very model again, also after a cancelled fit', async () => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    await AlsModel.fitInBackground(world.train, options, { threads: 2 });
    const started = threadPoolStats.started;
    expect(threadPoolStats.idle()).toBeGreaterThanOrEqual(2);
    // a cancelled fit leaves tasks running on the pooled threads; their late answers must not reach the next fit
    const controller = new AbortController();
    await expect(
      AlsModel.fitInBackground(
        world.train,
        { ...options, iterations: 50 },
        { threads: 2, signal: controller.signal, onProgress: () => controller.abort() },
      ),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    const { model, report } = await AlsModel.fitInBackground(world.train, options, { threads: 2 });
    expect(threadPoolStats.started).toBe(started);
    expect(report.threads).toBe(2);
    expect(sameFactors(model, reference.model)).toBe(true);
    expect(report.loss).toEqual(reference.report.loss);
  });

  // Linux only: a thread's niceness is read from /proc (elsewhere the threads keep the process's priority).
  it.runIf(process.platform === 'linux')(
    'on Linux, the training threads run 10 nice steps below the thread that serves, which keeps its own priority',
    async () => {
      registerFitExecutorFactory(workerThreadsExecutorFactory);
      const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
      // Field 19 of a thread's stat is its nice value (the fields after the parenthesised name start at 3).
      const nice = (tid: number | string) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      const before = nice(self);
      let during: number[] = [];
      await AlsModel.fitInBackground(world.train, options, {
        threads: 2,
        onProgress: () => {
          during = readdirSync('/proc/self/task').map((tid) => nice(tid));
        },
      });
      expect(nice(self)).toBe(before);
      expect(during.filter((n) => n === Math.min(19, before + 10)).length).toBeGreaterThanOrEqual(2);
    },
  );

  it('on worker threads, a task that fails rejects the fit with its code, and the threads serve the next fit', async () => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    const ratings = { ...world.train, preference: world.train.confidence.slice() };
    const singular = { kind: 'explicit', factors: 40, regularization: 0, iterations: 1, solver: 'cholesky' } as const;
    await expect(AlsModel.fitInBackground(ratings, singular, { threads: 2 })).rejects.toMatchObject({
      code: 'NUMERIC_ERROR',
    });
    const { model } = await AlsModel.fitInBackground(world.train, options, { threads: 2 });
    expect(sameFactors(model, reference.model)).toBe(true);
  });

  it('a shared system that is not positive definite fails the plan step with NUMERIC_ERROR on every runner', async () => {
    registerFitExecutorFactory(workerThreadsExecutorFactory);
    // 40 users and 64 factors without regularization: XᵀX has rank 40, so G = XᵀX cannot be factored for the items' exact rows
    const few = plantedWorld({ seed: 5, users: 40, items: 900, likesPerUser: 20 }).train;
    const singular = { factors: 64, iterations: 2, regularization: 0, seed: 1 } as const;
    expect(() => AlsModel.fit(few, singular)).toThrow(expect.objectContaining({ code: 'NUMERIC_ERROR' }));
    for (const threads of [1, 2])
      await expect(AlsModel.fitInBackground(few, singular, { threads })).rejects.toMatchObject({
        code: 'NUMERIC_ERROR',
      });
    const { model } = await AlsModel.fitInBackground(world.train, options, { threads: 2 });
    expect(sameFactors(model, reference.model)).toBe(true);
  });

  it('refuses an already aborted signal and bad threads before starting', () => {
    expect(() => AlsModel.fitInBackground(world.train, options, { signal: AbortSignal.abort() })).toThrow(AttuneError);
    expect(() => AlsModel.fitInBackground(world.train, options, { threads: 0 })).toThrow(
      /threads must be a whole number/,
    );
  });
});
