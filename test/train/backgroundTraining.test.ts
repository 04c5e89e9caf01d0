import { afterAll, describe, expect, it } from 'vitest';
import { createRecommender, type FeedbackEvent, type Item } from '../../src/node.js';
import { registerFitExecutorFactory } from '../../src/models/mf/training/runners.js';
import { workerThreadsExecutorFactory } from '../../src/models/mf/workers/workerThreadsExecutor.js';
import { T0 } from '../__helpers__/catalog.js';

/** Two taste groups over 60 items; every item has the same tag, so only people carry signal. */
function world(users = 40) {
  const items: Item[] = Array.from({ length: 60 }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    tags: ['kind:song'],
  }));
  const events: FeedbackEvent[] = [];
  let t = T0;
  for (let u = 0; u < users; u++) {
    const group = u % 2;
    for (let k = 0; k < 10; k++)
      events.push({
        user: `u${u}`,
        item: `i${group * 30 + ((u * 7 + k * 3) % 30)}`,
        signal: 'up' as const,
        at: (t += 60_000),
      });
  }
  return { items, events, now: () => t + 60_000 };
}

function recommender(users = 40) {
  const { items, events, now } = world(users);
  const rec = createRecommender({ items, seed: 5, now, exploration: 0, collaborative: { factors: 8 } });
  rec.feedback(events);
  return rec;
}

describe('trainInBackground', () => {
  // src/node.js registered worker threads; every test leaves them registered.
  afterAll(() => registerFitExecutorFactory(workerThreadsExecutorFactory));

  it.each([1, 2])('leaves the same state as train(), byte for byte (threads %i)', async (threads) => {
    const sync = recommender();
    sync.train();
    const background = recommender();
    const progress: number[] = [];
    const report = await background.trainInBackground({ threads, onProgress: (p) => progress.push(p.iteration) });
    expect(report.threads).toBe(threads);
    expect(report.users).toBe(40);
    expect(progress).toEqual(Array.from({ length: report.iterations }, (_, i) => i + 1));
    expect(JSON.stringify(background.snapshot())).toBe(JSON.stringify(sync.snapshot()));
    expect(background.recommend('u1', { count: 5 })).toEqual(sync.recommend('u1', { count: 5 }));
  });

  it('runs without worker threads (the browser path) with the same result', async () => {
    registerFitExecutorFactory(undefined);
    const sync = recommender();
    sync.train();
    const background = recommender();
    const report = await background.trainInBackground();
    expect(report.threads).toBe(1);
    expect(JSON.stringify(background.snapshot())).toBe(JSON.stringify(sync.snapshot()));
    registerFitExecutorFactory(workerThreadsExecutorFactory);
  });

  it.each([1, 2])(
    'counts feedback given while it runs: popularity ends as a rebuild from the final evidence (threads %i)',
    async (threads) => {
      const { items, events, now } = world(1500);
      const background = createRecommender({ items, seed: 5, now, exploration: 0, collaborative: { factors: 8 } });
      background.feedback(events);
      let settled = false;
      const training = background.trainInBackground({ threads }).finally(() => (settled = true));
      // one late event per event-loop turn for as long as the training runs (the fit and the popularity slices)
      const late: FeedbackEvent[] = [];
      await new Promise<void>((done) => {
        const tick = () => {
          if (settled) return done();
          const k = late.length;
          const event: FeedbackEvent = {
            user: `u${k % 7}`,
            item: `i${(k * 11) % 60}`,
            signal: k % 3 === 0 ? 'down' : 'up',
            at: (events[events.length - 1]?.at ?? T0) + 1 + (k % 50_000),
          };
          late.push(event);
          background.feedback(event);
          setTimeout(tick, 0);
        };
        setTimeout(tick, 0);
      });
      await training;
      expect(late.length).toBeGreaterThan(5);
      const reference = createRecommender({ items, seed: 5, now, exploration: 0, collaborative: { factors: 8 } });
      reference.feedback([...events, ...late]);
      reference.train();
      // the same decayed counts per item, up to rounding (items changed meanwhile keep incremental sums)
      const at = now();
      const halfLife = 90 * 86_400_000;
      const decayed = (json: ReturnType<typeof background.snapshot>['popularity']) =>
        new Map(
          json.map(([item, pos, neg, t, n]) => [
            item,
            [pos * 2 ** ((t - at) / halfLife), neg * 2 ** ((t - at) / halfLife), n],
          ]),
        );
      const got = decayed(background.snapshot().popularity);
      const want = decayed(reference.snapshot().popularity);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [item, [pos, neg, n]] of want) {
        const [gPos, gNeg, gN] = got.get(item)!;
        expect(gN).toBe(n);
        expect(Math.abs(gPos! - pos!)).toBeLessThanOrEqual(1e-9 * Math.max(1, pos!));
        expect(Math.abs(gNeg! - neg!)).toBeLessThanOrEqual(1e-9 * Math.max(1, neg!));
      }
    },
  );

  it('keeps nobody erased during training: the fit is redone without them', async () => {
    const rec = recommender();
    const pending = rec.trainInBackground({ threads: 1 });
    expect(rec.forget('u3')).toBe(true);
    await pending;
    const { items, events, now } = world();
    const never = createRecommender({ items, seed: 5, now, exploration: 0, collaborative: { factors: 8 } });
    never.feedback(events.filter((e) => e.user !== 'u3'));
    never.train();
    expect(JSON.stringify(rec.snapshot())).toBe(JSON.stringify(never.snapshot()));
  });

  it('is cancelled by its signal: ABORTED, and the model in use stays', async () => {
    const rec = recommender();
    rec.train();
    rec.feedback({ user: 'u0', item: 'i40', signal: 'up' });
    const before = JSON.stringify(rec.snapshot());
    const controller = new AbortController();
    const pending = rec.trainInBackground({
      signal: controller.signal,
      threads: 1,
      onProgress: () => controller.abort('stop'),
    });
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED', cause: 'stop' });
    // Nothing changed: not the model in use, not popularity, not anyone's record.
    expect(JSON.stringify(rec.snapshot())).toBe(before);
  });

  it('refuses a second training while one runs, and bad options', async () => {
    const rec = recommender();
    const pending = rec.trainInBackground({ threads: 1 });
    await expect(rec.trainInBackground()).rejects.toMatchObject({ code: 'TRAINING_IN_PROGRESS' });
    expect(() => rec.train()).toThrow(expect.objectContaining({ code: 'TRAINING_IN_PROGRESS' }));
    await pending;
    expect(rec.train().iterations).toBeGreaterThan(0);
    await expect(rec.trainInBackground({ threads: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(rec.trainInBackground({ signal: {} as AbortSignal })).rejects.toThrow(/signal must be an AbortSignal/);
    await expect(rec.trainInBackground(null as never)).rejects.toThrow(/^trainInBackground: options must be an object/);
  });
});
