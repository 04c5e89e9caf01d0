import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBandit } from '../../../src/models/bandit/index.js';

describe('bandit decay', () => {
  it('halves the evidence per half-life of time when updates carry at, with no updates in between', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('thompson' as const, 'ucb1' as const, 'linucb' as const),
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (kind, halfLife, count, halfLives) => {
          const options = kind === 'linucb' ? { kind, dimension: 2 } : { kind };
          const bandit = createBandit({ ...options, arms: ['a', 'b'], halfLife, seed: 1 });
          const t0 = 1_000_000;
          for (let i = 0; i < count; i++) bandit.update('a', 1, [1, 0], t0);
          const at = (k: number) =>
            bandit.expectations([1, 0], { at: t0 + k * halfLife }).find((e) => e.arm === 'a')!.evidence;
          expect(at(0)).toBeCloseTo(count, 9);
          expect(at(halfLives) / at(0)).toBeCloseTo(Math.pow(2, -halfLives), 9);
          expect(at(halfLives + 1) / at(halfLives)).toBeCloseTo(0.5, 9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('halves an idle arm’s evidence per half-life of steps while other arms are updated', () => {
    const bandit = createBandit({ kind: 'thompson', arms: ['a', 'b'], halfLife: 10, seed: 1 });
    for (let i = 0; i < 5; i++) bandit.update('a', 1);
    const evidence = () => bandit.expectations().find((e) => e.arm === 'a')!.evidence;
    const start = evidence();
    for (let i = 0; i < 10; i++) bandit.update('b', 0);
    expect(evidence() / start).toBeCloseTo(0.5, 12);
    for (let i = 0; i < 20; i++) bandit.update('b', 0);
    expect(evidence() / start).toBeCloseTo(0.125, 12);
  });

  it('keeps only the last `window` updates', () => {
    const bandit = createBandit({ kind: 'ucb1', arms: ['a', 'b'], window: 4, seed: 1 });
    for (let i = 0; i < 3; i++) bandit.update('a', 1);
    for (let i = 0; i < 3; i++) bandit.update('b', 0);
    const ev = Object.fromEntries(bandit.expectations().map((e) => [e.arm, e.evidence]));
    expect(ev).toEqual({ a: 1, b: 3 });
  });

  it('keeps the sliding-window linear inverse consistent with its design matrix', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 3, window: 7, seed: 2 });
    let s = 1;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < 300; i++) bandit.update('a', rand(), [rand(), rand(), rand()]);
    const arm = bandit.toJSON().arms[0]!;
    const A = arm.A!;
    const inv = arm.Ainv!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += A[i * 3 + k]! * inv[k * 3 + j]!;
        expect(v).toBeCloseTo(i === j ? 1 : 0, 8);
      }
    }
    expect(bandit.expectations([1, 0, 0])[0]!.evidence).toBe(7);
  });

  it('keeps the discounted linear inverse consistent after the regulariser is restored', () => {
    const bandit = createBandit({ kind: 'linear-thompson', arms: ['a'], dimension: 2, halfLife: 3, seed: 2 });
    for (let i = 0; i < 100; i++) bandit.update('a', i % 2, [Math.sin(i), Math.cos(i)]);
    const arm = bandit.toJSON().arms[0]!;
    const [a, b, c, d] = arm.A!;
    const det = a! * d! - b! * c!;
    expect(arm.Ainv![0]).toBeCloseTo(d! / det, 8);
    expect(arm.Ainv![1]).toBeCloseTo(-b! / det, 8);
    expect(arm.prior!).toBeGreaterThanOrEqual(0.5);
  });

  it('re-inverts A after a late discounted update left it asymmetric in its last bit', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, halfLife: 1000, seed: 1 });
    bandit.update('a', 1, [0.7, 0.05], 10_000);
    // a late update weighs 2^-0.3, and (x_i·w)·x_j rounds apart from (x_j·w)·x_i
    bandit.update('a', 0, [0.68, 0.47], 9_700);
    const skewed = bandit.toJSON().arms[0]!.A!;
    expect(skewed[1]).not.toBe(skewed[2]);
    // ten half-lives later the regulariser has decayed below λ/2, so A is restored and re-inverted
    bandit.update('a', 1, [0.1, 0.2], 20_000);
    const arm = bandit.toJSON().arms[0]!;
    expect(arm.prior).toBe(1);
    const [a, b, c, d] = arm.A!;
    const det = a! * d! - b! * c!;
    expect(arm.Ainv![0]).toBeCloseTo(d! / det, 8);
    expect(arm.Ainv![3]).toBeCloseTo(a! / det, 8);
  });
});
