import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttuneError } from '../../../src/errors.js';
import { createBandit, restoreBandit, type Bandit } from '../../../src/models/bandit/index.js';
import { BANDIT_KINDS } from '../../../src/models/bandit/policies.js';
import { logBeta } from '../../../src/models/bandit/special.js';
import { ARMS, CASES, D, opsArbitrary, optionsFor, type BanditCase, type Op } from './cases.js';

const ctxOf = (c: BanditCase, context: number[]): number[] | undefined => (c.linear ? context : undefined);

/** Applies `ops`, returning what each select/rank answered (propensities read). */
function run(c: BanditCase, bandit: Bandit, ops: Op[]): unknown[] {
  const out: unknown[] = [];
  for (const op of ops) {
    if (op.type === 'select') {
      const choice = bandit.select(ctxOf(c, op.context), { exclude: op.exclude });
      out.push([choice.arm, choice.propensity]);
    } else if (op.type === 'rank') {
      out.push(bandit.rank(ctxOf(c, op.context)).map((r) => [r.arm, r.score, r.propensity]));
    } else {
      bandit.update(op.arm, op.reward, ctxOf(c, op.context));
    }
  }
  return out;
}

it('runs the shared suite over every policy', () => {
  expect(new Set(CASES.map((c) => c.options.kind))).toEqual(new Set(BANDIT_KINDS));
});

describe.each(CASES)('bandit $name', (c) => {
  const x = Array.from({ length: D }, (_, i) => (i + 1) / D);
  const ctx = c.linear ? x : undefined;

  it('gives select propensities in (0, 1] and rank probabilities in [0, 1] that sum to 1', () => {
    fc.assert(
      fc.property(opsArbitrary(c.linear), (ops) => {
        const bandit = createBandit(optionsFor(c));
        for (const op of ops) {
          if (op.type === 'update') bandit.update(op.arm, op.reward, ctxOf(c, op.context));
          else if (op.type === 'select') {
            const choice = bandit.select(ctxOf(c, op.context), { exclude: op.exclude });
            expect(op.exclude).not.toContain(choice.arm);
            expect(choice.propensity).toBeGreaterThan(0);
            expect(choice.propensity).toBeLessThanOrEqual(1);
          } else {
            const ranked = bandit.rank(ctxOf(c, op.context));
            expect(ranked.map((r) => r.arm).sort()).toEqual([...ARMS].sort());
            for (let i = 1; i < ranked.length; i++)
              expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
            const total = ranked.reduce((s, r) => s + r.propensity, 0);
            for (const r of ranked) expect(r.propensity).toBeGreaterThanOrEqual(0);
            // exact kinds to rounding; the Thompson kinds to their quadrature's accuracy (about 1e-4)
            expect(Math.abs(total - 1)).toBeLessThan(c.exact ? 1e-9 : 1e-3);
          }
        }
      }),
      { numRuns: c.exact ? 50 : 15 },
    );
  });

  it('never selects a removed arm', () => {
    fc.assert(
      fc.property(opsArbitrary(c.linear), fc.constantFrom(...ARMS), (ops, removed) => {
        const bandit = createBandit(optionsFor(c));
        run(
          c,
          bandit,
          ops.filter((o) => o.type === 'update'),
        );
        bandit.removeArm(removed);
        expect(bandit.arms).not.toContain(removed);
        for (let i = 0; i < 30; i++) {
          const choice = bandit.select(ctx);
          expect(choice.arm).not.toBe(removed);
          bandit.update(choice.arm, 1, ctx);
        }
        expect(bandit.rank(ctx).map((r) => r.arm)).not.toContain(removed);
        expect(() => bandit.update(removed, 1, ctx)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ARM' }));
      }),
      { numRuns: 20 },
    );
  });

  it('makes the same choices from the same seed, and different ones from another seed', () => {
    fc.assert(
      fc.property(opsArbitrary(c.linear), fc.integer(), (ops, seed) => {
        const a = run(c, createBandit(optionsFor(c, seed)), ops);
        const b = run(c, createBandit(optionsFor(c, seed)), ops);
        expect(b).toEqual(a);
      }),
      { numRuns: 20 },
    );
  });

  it('continues identically after toJSON → JSON text → restoreBandit', () => {
    fc.assert(
      fc.property(opsArbitrary(c.linear), opsArbitrary(c.linear), fc.integer(), (before, after, seed) => {
        const original = createBandit(optionsFor(c, seed));
        run(c, original, before);
        const snapshot = original.toJSON();
        const restored = restoreBandit(JSON.parse(JSON.stringify(snapshot)));
        expect(restored.toJSON()).toEqual(snapshot);
        expect(run(c, restored, after)).toEqual(run(c, original, after));
        expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(original.toJSON()));
      }),
      { numRuns: 20 },
    );
  });

  it('refuses bad input with a stable code, a message naming the API, and no change', () => {
    const bandit = createBandit(optionsFor(c));
    for (let i = 0; i < 12; i++) {
      const choice = bandit.select(ctx);
      bandit.update(choice.arm, i % 2, ctx);
    }
    const before = JSON.stringify(bandit.toJSON());
    const bad: Array<[() => unknown, string, string]> = [
      [() => bandit.update('nope', 1, ctx), 'UNKNOWN_ARM', 'bandit.update'],
      [() => bandit.update('a', Number.NaN, ctx), 'INVALID_ARGUMENT', 'bandit.update'],
      [() => bandit.update('a', 1, ctx, 5), 'INVALID_ARGUMENT', 'bandit.update'], // at on a step-clocked bandit
      [() => bandit.select(ctx, { exclude: ARMS }), 'INVALID_ARGUMENT', 'bandit.select'],
      [() => bandit.select(ctx, { at: Number.POSITIVE_INFINITY }), 'INVALID_ARGUMENT', 'bandit.select'],
      [() => bandit.select(ctx, { exclude: null as never }), 'INVALID_ARGUMENT', 'bandit.select'],
      [() => bandit.rank(ctx, { exclude: 'a' as never }), 'INVALID_ARGUMENT', 'bandit.rank'],
      [() => bandit.addArm('a'), 'DUPLICATE_ARM', 'bandit.addArm'],
      [() => bandit.addArm(''), 'INVALID_ARGUMENT', 'bandit.addArm'],
      [() => bandit.addArm('z', { warmStartFrom: 'nope' }), 'UNKNOWN_ARM', 'bandit.addArm'],
      [() => bandit.removeArm('nope'), 'UNKNOWN_ARM', 'bandit.removeArm'],
      [() => bandit.resetArm('nope'), 'UNKNOWN_ARM', 'bandit.resetArm'],
    ];
    if (c.linear) {
      bad.push([() => bandit.update('a', 1, [1, 2]), 'INVALID_ARGUMENT', 'bandit.update']);
      bad.push([() => bandit.update('a', 1, [1, Number.NaN, 0]), 'INVALID_ARGUMENT', 'bandit.update']);
      bad.push([() => bandit.select(undefined), 'INVALID_ARGUMENT', 'bandit.select']);
      bad.push([() => bandit.rank([0, 0]), 'INVALID_ARGUMENT', 'bandit.rank']);
      bad.push([() => bandit.update('a', Number.POSITIVE_INFINITY, ctx), 'INVALID_ARGUMENT', 'bandit.update']);
    } else {
      bad.push([() => bandit.update('a', 1.5), 'INVALID_ARGUMENT', 'bandit.update']);
      bad.push([() => bandit.update('a', -0.1), 'INVALID_ARGUMENT', 'bandit.update']);
    }
    for (const [call, code, api] of bad) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error, `${api} should throw ${code}`).toBeInstanceOf(AttuneError);
      expect((error as AttuneError).code).toBe(code);
      expect((error as AttuneError).message.startsWith(`${api}: `)).toBe(true);
      expect(JSON.stringify(bandit.toJSON())).toBe(before);
    }
  });

  it('warm-starts a new arm from an existing one and resets an arm to its prior', () => {
    const bandit = createBandit(optionsFor(c));
    for (let i = 0; i < 10; i++) bandit.update('a', c.linear ? 0.8 : 1, ctx);
    bandit.addArm('e', { warmStartFrom: 'a' });
    const ex = bandit.expectations(ctx);
    const ea = ex.find((e) => e.arm === 'a')!;
    const ee = ex.find((e) => e.arm === 'e')!;
    expect(ee.mean).toBe(ea.mean);
    expect(ee.evidence).toBe(ea.evidence);
    expect(ea.evidence).toBeGreaterThan(0);
    bandit.resetArm('a');
    const reset = bandit.expectations(ctx).find((e) => e.arm === 'a')!;
    expect(reset.evidence).toBe(0);
    bandit.restart();
    expect(bandit.expectations(ctx).every((e) => e.evidence === 0)).toBe(true);
    expect(bandit.arms).toEqual([...ARMS, 'e']);
  });

  it('reads a rejected snapshot as BAD_SNAPSHOT', () => {
    const snap = createBandit(optionsFor(c)).toJSON();
    const broken: unknown[] = [
      null,
      { ...snap, version: 99 },
      { ...snap, format: 'other' },
      { ...snap, arms: [...snap.arms, snap.arms[0]] },
      { ...snap, random: { block: -1, used: 0, spare: null } },
      { ...snap, arms: snap.arms.map((a) => ({ ...a, n: Number.NaN })) },
      { ...snap, options: { ...snap.options, kind: 'nope' } },
    ];
    for (const s of broken) expect(() => restoreBandit(s)).toThrow(expect.objectContaining({ code: 'BAD_SNAPSHOT' }));
  });
});

describe('createBandit options', () => {
  it('refuses bad options with INVALID_OPTIONS and a message that says what to fix', () => {
    const bad: unknown[] = [
      null,
      { kind: 'nope', arms: [] },
      { kind: 'thompson' },
      { kind: 'thompson', arms: [''] },
      { kind: 'thompson', arms: ['a'], prior: { alpha: 0 } },
      { kind: 'epsilon-greedy', arms: ['a'], epsilon: 1.5 },
      { kind: 'softmax', arms: ['a'], temperature: 0 },
      { kind: 'linucb', arms: ['a'] },
      { kind: 'linucb', arms: ['a'], dimension: 2.5 },
      { kind: 'thompson', arms: ['a'], halfLife: -1 },
      { kind: 'thompson', arms: ['a'], window: 0 },
      { kind: 'thompson', arms: ['a'], halfLife: 10, window: 10 },
      { kind: 'thompson', arms: ['a'], changeDetection: { kind: 'cusum?' } },
      { kind: 'thompson', arms: ['a'], changeDetection: { kind: 'glr', delta: 2 } },
      { kind: 'linucb', arms: ['a'], dimension: 2, changeDetection: { kind: 'glr', model: 'bernoulli' } },
      { kind: 'thompson', arms: ['a'], seed: Number.NaN },
    ];
    for (const options of bad) {
      expect(() => createBandit(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/^createBandit: /) }),
      );
    }
    expect(() => createBandit({ kind: 'thompson', arms: ['a', 'a'] })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_ARM' }),
    );
  });

  it('names the option to fix, and accepts the bounds of each range', () => {
    const refused: [unknown, RegExp][] = [
      [{ kind: 'thompson', arms: ['a'], prior: 5 }, /prior must be an object like \{ alpha: 1, beta: 1 \}, got 5/],
      [{ kind: 'thompson', arms: ['a'], prior: null }, /prior must be an object/],
      [{ kind: 'thompson', arms: ['a'], prior: { alpha: 0 } }, /prior\.alpha must be a positive number/],
      [{ kind: 'thompson', arms: ['a'], prior: { beta: 0 } }, /prior\.beta must be a positive number/],
      [
        { kind: 'thompson', arms: ['a'], prior: { alpha: 2e6 } },
        /prior\.alpha and prior\.beta must be at most 1000000/,
      ],
      [{ kind: 'thompson', arms: ['a'], prior: { beta: 2e6 } }, /must be at most 1000000/],
      [{ kind: 'thompson', arms: ['a'], optimistic: 'yes' }, /optimistic must be true or false/],
      [{ kind: 'epsilon-greedy', arms: ['a'], epsilon: -0.1 }, /epsilon must be in \[0, 1\]/],
      [{ kind: 'softmax', arms: ['a'], temperature: -1 }, /temperature must be a positive number/],
      [{ kind: 'ucb1', arms: ['a'], c: -1 }, /c must be a finite number >= 0/],
      [{ kind: 'linucb', arms: ['a'], dimension: 2, alpha: -1 }, /alpha must be a finite number >= 0/],
      [{ kind: 'linear-thompson', arms: ['a'], dimension: 2, v: -1 }, /v must be a finite number >= 0/],
    ];
    for (const [options, message] of refused)
      expect(() => createBandit(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(message) }),
      );
    const accepted: unknown[] = [
      { kind: 'thompson', arms: ['a'], prior: { alpha: 1e6, beta: 1e6 } },
      { kind: 'epsilon-greedy', arms: ['a'], epsilon: 0 },
      { kind: 'epsilon-greedy', arms: ['a'], epsilon: 1 },
    ];
    for (const options of accepted) expect(() => createBandit(options as never)).not.toThrow();
  });

  it('refuses, changing nothing, a linear reward whose residual overflows the change detector', () => {
    const bandit = createBandit({
      kind: 'linucb',
      arms: ['a'],
      dimension: 1,
      changeDetection: { kind: 'page-hinkley' },
    });
    bandit.update('a', 1e308, [1]);
    const before = JSON.stringify(bandit.toJSON());
    expect(() => bandit.update('a', -1.7e308, [1])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^bandit\.update: /) }),
    );
    expect(JSON.stringify(bandit.toJSON())).toBe(before);
  });

  it('says what to fix for an out-of-range Bernoulli reward', () => {
    const bandit = createBandit({ kind: 'thompson', arms: ['a'] });
    expect(() => bandit.update('a', 1.5)).toThrow(
      'bandit.update: reward must be in [0, 1] for kind "thompson", got 1.5',
    );
  });

  it('gives exact propensities for epsilon-greedy and softmax', () => {
    const eg = createBandit({ kind: 'epsilon-greedy', arms: ['a', 'b', 'c', 'd'], epsilon: 0.2, seed: 1 });
    eg.update('a', 1);
    eg.update('b', 0);
    const ranked = eg.rank();
    expect(ranked[0]).toMatchObject({ arm: 'a', propensity: 0.8 + 0.05 });
    expect(ranked.slice(1).map((r) => r.propensity)).toEqual([0.05, 0.05, 0.05]);
    const sm = createBandit({ kind: 'softmax', arms: ['a', 'b'], temperature: 0.5, seed: 1 });
    sm.update('a', 1);
    // means (1+1)/3 and 1/2: p(a) = 1 / (1 + exp((1/2 − 2/3) / 0.5))
    const pa = 1 / (1 + Math.exp((0.5 - 2 / 3) / 0.5));
    const pr = Object.fromEntries(sm.rank().map((r) => [r.arm, r.propensity]));
    expect(pr['a']).toBeCloseTo(pa, 12);
    expect(pr['b']).toBeCloseTo(1 - pa, 12);
  });

  it('computes Thompson propensities equal to the closed form and without touching later choices', () => {
    const a = createBandit({ kind: 'thompson', arms: ['x', 'y'], seed: 3, optimistic: false });
    const b = createBandit({ kind: 'thompson', arms: ['x', 'y'], seed: 3, optimistic: false });
    for (const bandit of [a, b]) for (let i = 0; i < 20; i++) bandit.update(i % 2 ? 'x' : 'y', i % 3 === 0 ? 1 : 0);
    // x: Beta(1+3, 1+7), y: Beta(1+4, 1+6). For whole shapes, P(X > Y) = Σ_{k<αx} B(αy+k, βy+βx) / ((βx+k) B(1+k, βx) B(αy, βy))
    const [ax, bx, ay, by] = [4, 8, 5, 7];
    let exact = 0;
    for (let k = 0; k < ax; k++)
      exact += Math.exp(logBeta(ay + k, by + bx) - Math.log(bx + k) - logBeta(1 + k, bx) - logBeta(ay, by));
    const shares = Object.fromEntries(a.rank().map((r) => [r.arm, r.propensity]));
    expect(Math.abs(shares['x']! / exact - 1)).toBeLessThan(1e-4);
    expect(Math.abs(shares['y']! / (1 - exact) - 1)).toBeLessThan(1e-4);
    b.rank(); // same call, propensities never read
    const seqA = Array.from({ length: 50 }, () => a.select().arm);
    const seqB = Array.from({ length: 50 }, () => b.select().arm);
    expect(seqB).toEqual(seqA);
  });

  it('scores optimistic Thompson arms at no less than their posterior mean (May et al. 2012), plain Thompson below it sometimes', () => {
    const scoresBelowMean = (optimistic: boolean) => {
      const bandit = createBandit({ kind: 'thompson', arms: ['x', 'y'], seed: 5, optimistic });
      for (let i = 0; i < 30; i++) bandit.update(i % 2 ? 'x' : 'y', i % 3 === 0 ? 1 : 0);
      const means = Object.fromEntries(bandit.expectations().map((e) => [e.arm, e.mean]));
      let below = 0;
      for (let r = 0; r < 200; r++) for (const entry of bandit.rank()) if (entry.score < means[entry.arm]!) below += 1;
      return below;
    };
    expect(scoresBelowMean(true)).toBe(0);
    expect(scoresBelowMean(false)).toBeGreaterThan(100);
  });

  it('restores a snapshot written without the optimistic option as plain Thompson sampling', () => {
    const bandit = createBandit({ kind: 'thompson', arms: ['a', 'b'], seed: 1 });
    const snapshot = bandit.toJSON() as unknown as { options: Record<string, unknown> };
    expect(snapshot.options['optimistic']).toBe(true);
    delete snapshot.options['optimistic'];
    const restored = restoreBandit(JSON.parse(JSON.stringify(snapshot)));
    expect((restored.toJSON() as unknown as { options: Record<string, unknown> }).options['optimistic']).toBe(false);
  });
});
