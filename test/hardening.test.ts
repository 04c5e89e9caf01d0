/**
 * What fuzzing broke (issue 16), one test per finding, each through the
 * public API. Protected attributes (1) and context copies (5) are in
 * test/feedback/validate.test.ts, small-list diversity (10) in
 * test/rank/diversity.test.ts, the snapshot fuzz in test/persist.
 */
/* eslint-disable no-sparse-arrays -- arrays with holes are what finding 4 feeds in */
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender } from '../src/index.js';
import type { FeedbackEvent } from '../src/index.js';
import { T0, musicCatalog } from './__helpers__/catalog.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AttuneError) return error.code;
    throw error;
  }
  return undefined;
};

function world() {
  let now = T0;
  const rec = createRecommender({ items: musicCatalog(4), seed: 3, now: () => now });
  rec.feedback([
    { user: 'ann', item: 'jazz-0', signal: 'up' },
    { user: 'bob', item: 'rock-1', signal: 'play', weight: 3 },
  ]);
  return { rec, tick: () => (now += 60_000) };
}

describe('hardening', () => {
  it('2. weights are bounded, and one person at the bound cannot break anyone else’s list', () => {
    const { rec, tick } = world();
    expect(codeOf(() => rec.feedback({ user: 'zed', item: 'jazz-1', signal: 'play', weight: 1e308 }))).toBe(
      'INVALID_EVENT',
    );
    for (let i = 0; i < 50; i++) {
      tick();
      rec.feedback({ user: 'zed', item: `jazz-${i % 4}`, signal: i % 2 ? 'play' : 'skip', weight: 1e6 });
    }
    rec.train();
    for (const user of ['ann', 'bob', 'zed', undefined]) {
      for (const r of rec.recommend(user, { count: 20 })) {
        expect(Number.isFinite(r.score), `${user}: ${r.item}`).toBe(true);
        for (const e of r.reason.evidence) expect(Number.isFinite(e.weight)).toBe(true);
      }
    }
  });

  it('4. holes in arrays are refused and change nothing (a batch is all-or-nothing; addItems leaves the catalog usable)', () => {
    const { rec } = world();
    const before = JSON.stringify(rec.snapshot());
    const withHole = [
      { user: 'ann', item: 'jazz-1', signal: 'up' },
      ,
      { user: 'ann', item: 'jazz-2', signal: 'up' },
    ] as FeedbackEvent[];
    expect(codeOf(() => rec.feedback(withHole))).toBe('INVALID_EVENT');
    expect(codeOf(() => rec.addItems([{ id: 'new-1' }, , { id: 'new-2' }] as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => rec.addItems([{ id: 'new-3', tags: ['genre:jazz', , 'mood:x'] }] as never))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => rec.recommend('ann', { exclude: ['jazz-1', , 'jazz-2'] as never }))).toBe('INVALID_ARGUMENT');
    expect(JSON.stringify(rec.snapshot())).toBe(before);
    expect(rec.recommend('ann', { count: 3 })).toHaveLength(3);
  });

  it('6. times and durations a Date cannot show are refused at the boundary, so profile never throws RangeError', () => {
    const { rec } = world();
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', at: 8.64e15 + 1 }))).toBe(
      'INVALID_EVENT',
    );
    expect(codeOf(() => createRecommender({ tiredDays: 1e9 }))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => createRecommender({ holdBackDays: 1e9 }))).toBe('INVALID_OPTIONS');
    const far = createRecommender({ items: musicCatalog(2), tiredDays: 36_500, now: () => 3e15 });
    far.feedback({ user: 'ann', item: 'jazz-0', signal: 'tired' });
    far.feedback({ user: 'ann', item: 'jazz-1', signal: 'purchase' });
    expect(far.profile('ann').snoozed).toHaveLength(1);
  });

  it('7. restore is as strict as create: huge weights, factors, exploration or a negative collaborative weight are refused', () => {
    const { rec } = world();
    rec.train();
    const snap = JSON.parse(JSON.stringify(rec.snapshot()));
    const variants = [
      { ...snap, options: { ...snap.options, exploration: 1e308 } },
      { ...snap, options: { ...snap.options, collaborative: { ...snap.options.collaborative, weight: -1 } } },
      { ...snap, collaborative: { ...snap.collaborative, weight: -1 } },
      {
        ...snap,
        collaborative: {
          ...snap.collaborative,
          als: { ...snap.collaborative.als, itemFactors: snap.collaborative.als.itemFactors.map(() => 1e300) },
        },
      },
      { ...snap, options: { ...snap.options, halflifeDays: 3 } },
    ];
    for (const v of variants) expect(codeOf(() => restoreRecommender(v))).toBe('BAD_SNAPSHOT');
  });

  it('8. silent misuse is refused: times in seconds, misspelt option and event keys; a failed recommend does not advance the draws', () => {
    const { rec } = world();
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: Math.floor(T0 / 1000) }))).toBe(
      'INVALID_EVENT',
    );
    expect(codeOf(() => createRecommender({ halflifeDays: 30 } as never))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => createRecommender({ diversity: { maxTagshare: 0.5 } } as never))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => createRecommender({ collaborative: { factor: 8 } } as never))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', wieght: 2 } as never))).toBe(
      'INVALID_EVENT',
    );
    expect(codeOf(() => rec.recommend('ann', { cuont: 3 } as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createRecommender({ items: musicCatalog(1), now: () => 1_767_000_000 }).recommend('ann'))).toBe(
      'INVALID_OPTIONS',
    );
    const before = JSON.stringify(rec.snapshot());
    expect(codeOf(() => rec.recommend('ann', { count: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => rec.recommend('ann', { context: { gender: 'f' } }))).toBe('PROTECTED_ATTRIBUTE');
    expect(JSON.stringify(rec.snapshot())).toBe(before);
  });

  it('11. forget from inside train()’s onProgress is not undone by the train that finishes', () => {
    const make = (withZed: boolean) => {
      const rec = createRecommender({
        items: musicCatalog(4),
        seed: 5,
        now: () => T0,
        collaborative: { iterations: 3, factors: 4 },
      });
      const events: FeedbackEvent[] = [];
      for (let u = 0; u < 6; u++)
        for (let k = 0; k < 5; k++)
          events.push({ user: `u${u}`, item: `jazz-${(u + k) % 4}`, signal: 'up', at: T0 - (u * 5 + k) * 60_000 });
      if (withZed)
        for (let k = 0; k < 4; k++) events.push({ user: 'zed', item: `rock-${k}`, signal: 'up', at: T0 - k * 60_000 });
      rec.feedback(events);
      return rec;
    };
    const a = make(true);
    let forgotten = false;
    a.train({ onProgress: () => void (!forgotten && (forgotten = a.forget('zed'))) });
    const b = make(false);
    b.train();
    expect(forgotten).toBe(true);
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });
});

describe('hardening: bandits', () => {
  it('3. a Thompson bandit with a huge prior or a restored arm with n = 1e308 is refused, and huge shapes never spin the sampler', async () => {
    const { createBandit, restoreBandit } = await import('../src/index.js');
    expect(
      codeOf(() => createBandit({ kind: 'thompson', arms: ['a', 'b'], prior: { alpha: 1e308, beta: 1e308 } })),
    ).toBe('INVALID_OPTIONS');
    const bandit = createBandit({ kind: 'thompson', arms: ['a', 'b'], prior: { alpha: 1e6, beta: 1e6 }, seed: 1 });
    const choice = bandit.select();
    expect(['a', 'b']).toContain(choice.arm);
    expect(choice.propensity).toBeGreaterThan(0.4);
    const snap = JSON.parse(JSON.stringify(bandit.toJSON()));
    const arms = snap.arms as Record<string, unknown>[];
    arms[0]!['n'] = 1e308;
    expect(codeOf(() => restoreBandit(snap))).toBe('BAD_SNAPSHOT');
  });

  it('3. the Beta sampler draws past 1e7 pseudo-counts without a rejection loop', async () => {
    const { BanditRandom } = await import('../src/models/bandit/random.js');
    const x = new BanditRandom(1).beta(1e308, 1e308);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(1);
  });
});
