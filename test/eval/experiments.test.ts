import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assign, compareVariants } from '../../src/eval/experiments';
import { createRng } from '../../src/random/rng';
import { AttuneError } from '../../src/errors';

describe('assign', () => {
  it('is a pure function of user, experiment and weights', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (user, experiment) => {
        const w = { control: 1, treatment: 1 };
        expect(assign(user, experiment, w)).toBe(assign(user, experiment, { ...w }));
        expect(assign(user, experiment, w)).toBe(assign(user, experiment, { treatment: 1, control: 1 })); // key order does not matter
      }),
    );
  });

  it('gives the same variants as before (catches a change of hash or layout)', () => {
    const expected: Record<string, [string, string]> = {
      ann: ['treatment', 'b'],
      bob: ['treatment', 'b'],
      carol: ['control', 'a'],
      dave: ['control', 'a'],
      'user-42': ['control', 'a'],
      'user-1000': ['treatment', 'a'],
    };
    for (const [user, [two, three]] of Object.entries(expected)) {
      expect(assign(user, 'half-life-test', { control: 1, treatment: 1 })).toBe(two);
      expect(assign(user, 'three-way', { a: 0.5, b: 0.3, c: 0.2 })).toBe(three);
    }
  });

  it('splits 100,000 users within 1% of the weights', () => {
    const weights = { a: 0.5, b: 0.3, c: 0.15, d: 0.05 };
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[assign(`user-${i}`, 'split-check', weights)]! += 1;
    const shares = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n]));
    console.log(`[experiments] observed split over ${n} users:`, shares);
    for (const [k, w] of Object.entries(weights)) expect(Math.abs((shares[k] as number) - w)).toBeLessThan(0.01);
  });

  it('never assigns a zero-weight variant, and experiments are independent', () => {
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      expect(assign(`u${i}`, 'e', { on: 1, off: 0 })).toBe('on');
      if (assign(`u${i}`, 'first', { x: 1, y: 1 }) === assign(`u${i}`, 'second', { x: 1, y: 1 })) same++;
    }
    expect(same / 2000).toBeGreaterThan(0.45);
    expect(same / 2000).toBeLessThan(0.55);
  });

  it('refuses bad weights', () => {
    expect(() => assign('u', 'e', {})).toThrow(AttuneError);
    expect(() => assign('u', 'e', { a: -1, b: 1 })).toThrow(/^assign: weights\.a must be/);
    expect(() => assign('u', '', { a: 1 })).toThrow(/^assign: experimentName/);
  });
});

describe('compareVariants', () => {
  it('computes means, Welch differences and intervals', () => {
    const obs = [
      ...[1, 0, 1, 1].map((reward) => ({ variant: 'control', reward })),
      ...[1, 1, 1, 0, 1, 1].map((reward) => ({ variant: 'treatment', reward })),
    ];
    const c = compareVariants(obs);
    expect(c.control).toBe('control');
    const [control, treatment] = c.variants;
    expect(control?.mean).toBe(0.75);
    expect(treatment?.mean).toBeCloseTo(5 / 6, 12);
    const se = Math.sqrt(0.25 / 4 + 1 / 6 / 6);
    expect(c.differences[0]?.difference).toBeCloseTo(5 / 6 - 0.75, 12);
    expect(c.differences[0]?.standardError).toBeCloseTo(se, 12);
    expect(c.differences[0]?.high).toBeCloseTo(5 / 6 - 0.75 + 1.959964 * se, 5);
    expect(c.differences[0]?.significant).toBe(false);
  });

  it('finds a real difference in a simulated A/B test', () => {
    const rng = createRng(5, 'ab');
    const obs = Array.from({ length: 20_000 }, (_, i) => {
      const variant = assign(`user-${i}`, 'ab', { control: 1, better: 1 });
      return { variant, reward: rng.next() < (variant === 'better' ? 0.55 : 0.5) ? 1 : 0 };
    });
    const d = compareVariants(obs).differences[0];
    expect(d?.variant).toBe('better');
    expect(d?.significant).toBe(true);
    expect(d!.low).toBeLessThan(0.05);
    expect(d!.high).toBeGreaterThan(0.05);
  });

  it('refuses an unknown control', () => {
    expect(() => compareVariants([{ variant: 'a', reward: 1 }], { control: 'b' })).toThrow(
      /^compareVariants: control "b"/,
    );
  });

  it('refuses a confidence outside (0, 1) with INVALID_OPTIONS', () => {
    for (const confidence of [0, 1, 2]) {
      expect(() => compareVariants([{ variant: 'a', reward: 1 }], { confidence })).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: expect.stringMatching(/^compareVariants: confidence/),
        }),
      );
    }
  });
});
