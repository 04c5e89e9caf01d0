/**
 * When training threads cannot run — a thread that fails to load its code,
 * or stops before the fit is done — `trainInBackground` rejects with
 * WORKER_UNAVAILABLE and says how to train instead, never NUMERIC_ERROR; and
 * the way it says works: `threads: 1` trains in slices on this thread.
 * (A bundled server that does have threads: test/dist/bundled.mjs.)
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

/** A stand-in for worker_threads' Worker: fails to load (`error`) or exits at once. */
const behaviour = vi.hoisted(() => ({ mode: 'error' as 'error' | 'exit' | 'throw' }));
vi.mock('node:worker_threads', () => ({
  Worker: class extends EventEmitter {
    constructor() {
      super();
      if (behaviour.mode === 'throw') throw new Error('worker_threads are not allowed here');
      setTimeout(() => {
        if (behaviour.mode === 'error') this.emit('error', new Error("Cannot find module '/app/dist/als-worker.js'"));
        else this.emit('exit', 1);
      }, 5);
    }
    postMessage() {}
    ref() {}
    unref() {}
    terminate() {
      return Promise.resolve(0);
    }
  },
}));

const { createRecommender } = await import('../../../../src/node.js');
const { musicCatalog, T0 } = await import('../../../__helpers__/catalog.js');

function world() {
  const items = musicCatalog(4);
  const rec = createRecommender({ items, seed: 2, now: () => T0 + 1e6, collaborative: { factors: 4, iterations: 2 } });
  rec.feedback(
    Array.from({ length: 60 }, (_, k) => ({
      user: `u${k % 6}`,
      item: items[(k * 7) % items.length]!.id,
      signal: 'up' as const,
      at: T0 + k,
    })),
  );
  return rec;
}

describe('trainInBackground without threads', () => {
  it.each(['error', 'exit', 'throw'] as const)(
    'a thread that cannot run (%s) is WORKER_UNAVAILABLE, with the fix',
    async (mode) => {
      behaviour.mode = mode;
      const rec = world();
      const before = JSON.stringify(rec.snapshot());
      const error = await rec.trainInBackground({ threads: 2 }).then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error?.code).toBe('WORKER_UNAVAILABLE');
      expect(error?.message).toMatch(/: a training thread could not run \(/);
      expect(error?.message).toMatch(/trainInBackground\(\{ threads: 1 \}\)/);
      expect(JSON.stringify(rec.snapshot())).toBe(before);
      // The fix it names: one thread, in slices, no worker.
      const report = await rec.trainInBackground({ threads: 1 });
      expect(report.threads).toBe(1);
      expect(report.iterations).toBe(2);
    },
  );
});
