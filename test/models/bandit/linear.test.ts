/**
 * The linear kinds' evidence (a ridge regression per arm) against the regression worked out in
 * the test: what an update adds, how discounting and a sliding window take evidence away, the
 * confidence width LinUCB adds and how evidence narrows it, what change detection is fed, and the
 * snapshot an arm writes and the ones it refuses.
 */
import { describe, expect, it } from 'vitest';
import { AttuneError } from '../../../src/errors.js';
import { createBandit, restoreBandit, type Bandit, type BanditSnapshot } from '../../../src/models/bandit/index.js';

type Matrix = number[][];

const identity = (d: number, scale = 1): Matrix =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? scale : 0)));

/** A⁻¹ by Gauss–Jordan elimination with partial pivoting. */
function inverse(a: Matrix): Matrix {
  const d = a.length;
  const m = a.map((row, i) => [...row, ...identity(d)[i]!]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let j = 0; j < 2 * d; j++) m[c]![j]! /= pivot;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * d; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row) => row.slice(d));
}

const mulVec = (a: Matrix, x: readonly number[]) => a.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
const dot = (x: readonly number[], y: readonly number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);

/** The ridge regression of weighted observations: A = prior part + Σ w·x·xᵀ, b = Σ w·r·x. */
class Ridge {
  a: Matrix;
  b: number[];
  constructor(
    readonly d: number,
    lambda: number,
  ) {
    this.a = identity(d, lambda);
    this.b = Array(d).fill(0);
  }
  add(x: readonly number[], r: number, w = 1): void {
    for (let i = 0; i < this.d; i++) {
      this.b[i]! += w * r * x[i]!;
      for (let j = 0; j < this.d; j++) this.a[i]![j]! += w * x[i]! * x[j]!;
    }
  }
  scale(f: number): void {
    this.a = this.a.map((row) => row.map((v) => v * f));
    this.b = this.b.map((v) => v * f);
  }
  get theta(): number[] {
    return mulVec(inverse(this.a), this.b);
  }
  mean(x: readonly number[]): number {
    return dot(this.theta, x);
  }
  width(x: readonly number[]): number {
    return Math.sqrt(dot(x, mulVec(inverse(this.a), x)));
  }
}

/** The arm's snapshot as matrices. */
function armOf(bandit: Bandit, index = 0) {
  const arm = bandit.toJSON().arms[index]!;
  const d = arm.b!.length;
  const rows = (flat: number[]) => Array.from({ length: d }, (_, i) => flat.slice(i * d, (i + 1) * d));
  return { ...arm, a: rows(arm.A!), inv: rows(arm.Ainv!) };
}

function expectClose(actual: readonly number[] | Matrix, expected: readonly number[] | Matrix, digits = 9): void {
  const flat = (m: readonly number[] | Matrix) => (m as unknown[]).flat(1) as number[];
  const [a, e] = [flat(actual), flat(expected)];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(v, `entry ${i}`).toBeCloseTo(e[i]!, digits));
}

/** Deterministic contexts and rewards. */
function stream(n: number, d: number, seed = 1): Array<{ x: number[]; r: number }> {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  return Array.from({ length: n }, () => ({ x: Array.from({ length: d }, rand), r: rand() }));
}

describe('a linear arm learns a ridge regression', () => {
  it('starts at A = λI, A⁻¹ = I/λ, b = 0, θ̂ = 0, with the regulariser λ whole', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 3, lambda: 2.5, seed: 1 });
    const arm = armOf(bandit);
    expectClose(arm.a, identity(3, 2.5), 15);
    expectClose(arm.inv, identity(3, 0.4), 15);
    expect(arm.b).toEqual([0, 0, 0]);
    expect(arm.prior).toBe(2.5);
    expect(arm.refresh).toBe(0);
    expect(arm.s).toBe(0);
    expect(bandit.toJSON().options).toMatchObject({ dimension: 3, lambda: 2.5 });
    expect(bandit.expectations([1, 2, 3])).toEqual([{ arm: 'a', mean: 0, evidence: 0 }]);
    expect(createBandit({ kind: 'linucb', arms: ['a'], dimension: 2 }).toJSON().options).toMatchObject({ lambda: 1 });
  });

  it('adds x·xᵀ to A and r·x to b, keeps A⁻¹ its inverse, and predicts θ̂ᵀx with θ̂ = A⁻¹b', () => {
    for (const kind of ['linucb', 'linear-thompson'] as const) {
      const bandit = createBandit({ kind, arms: ['a', 'b'], dimension: 3, lambda: 0.5, seed: 1 });
      const ridge = new Ridge(3, 0.5);
      for (const { x, r } of stream(40, 3)) {
        bandit.update('a', r, x);
        ridge.add(x, r);
      }
      const arm = armOf(bandit);
      expectClose(arm.a, ridge.a, 12);
      expectClose(arm.b!, ridge.b, 12);
      expectClose(arm.inv, inverse(ridge.a), 9);
      expect(arm.prior).toBe(0.5);
      for (const { x } of stream(5, 3, 99)) {
        const [a, b] = bandit.expectations(x);
        expect(a!.mean).toBeCloseTo(ridge.mean(x), 9);
        expect(a!.evidence).toBe(40);
        expect(b).toEqual({ arm: 'b', mean: 0, evidence: 0 });
      }
    }
  });

  it('moves the estimate towards the rewards it is given: up after high rewards, down after low', () => {
    const x = [0.6, -0.3];
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, seed: 1 });
    const means = [bandit.expectations(x)[0]!.mean];
    for (const r of [1, 1, 1, -1, -1, -1, -1, -1, -1]) {
      bandit.update('a', r, x);
      means.push(bandit.expectations(x)[0]!.mean);
    }
    for (let i = 1; i <= 3; i++) expect(means[i]!).toBeGreaterThan(means[i - 1]!);
    for (let i = 4; i < means.length; i++) expect(means[i]!).toBeLessThan(means[i - 1]!);
    expect(means[means.length - 1]!).toBeLessThan(0);
  });
});

describe('LinUCB scores θ̂ᵀx + α·√(xᵀA⁻¹x)', () => {
  it('equals the regression worked out by hand, per arm', () => {
    const bandit = createBandit({
      kind: 'linucb',
      arms: ['a', 'b', 'c'],
      dimension: 2,
      alpha: 0.7,
      lambda: 2,
      seed: 1,
    });
    const ridges = { a: new Ridge(2, 2), b: new Ridge(2, 2), c: new Ridge(2, 2) };
    const arms = ['a', 'b', 'c'] as const;
    stream(30, 2, 5).forEach(({ x, r }, i) => {
      const arm = arms[i % 2]!; // c gets nothing
      bandit.update(arm, r, x);
      ridges[arm].add(x, r);
    });
    for (const { x } of stream(6, 2, 7)) {
      for (const ranked of bandit.rank(x)) {
        const ridge = ridges[ranked.arm as 'a' | 'b' | 'c'];
        expect(ranked.score, ranked.arm).toBeCloseTo(ridge.mean(x) + 0.7 * ridge.width(x), 9);
      }
    }
  });

  it('narrows the confidence width with evidence in a direction, and less in an orthogonal one', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, alpha: 1, seed: 1 });
    const along = [1, 0];
    const across = [0, 1];
    const width = (x: number[]) => bandit.rank(x)[0]!.score - bandit.expectations(x)[0]!.mean;
    expect(width(along)).toBeCloseTo(1, 12);
    let last = width(along);
    for (let i = 1; i <= 5; i++) {
      bandit.update('a', 0.5, along);
      const w = width(along);
      expect(w).toBeCloseTo(1 / Math.sqrt(1 + i), 12);
      expect(w).toBeLessThan(last);
      last = w;
    }
    expect(width(across)).toBeCloseTo(1, 12);
  });

  it('widens again as discounted evidence ages: the variance is divided by the discount since the last update', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, alpha: 1, halfLife: 10, seed: 1 });
    const x = [0.8, 0.4];
    const ridge = new Ridge(2, 1);
    for (let t = 1; t <= 4; t++) {
      bandit.update('a', 1, x, t * 1000);
      if (t > 1) ridge.scale(2 ** (-1000 / 10));
      ridge.add(x, 1);
    }
    const at = (now: number) => bandit.rank(x, { at: now })[0]!.score - bandit.expectations(x, { at: now })[0]!.mean;
    const w0 = at(4000);
    const w10 = at(4010);
    expect(w10).toBeCloseTo(w0 * Math.sqrt(2), 9);
    expect(at(4020)).toBeCloseTo(w0 * 2, 9);
    // so old that the discount underflows to 0: no evidence left, an unbounded width, in every direction
    expect(at(4000 + 1e6)).toBe(Number.POSITIVE_INFINITY);
    expect(bandit.rank([0, 0], { at: 4000 + 1e6 })[0]!.score).toBe(Number.POSITIVE_INFINITY);
    expect(bandit.rank([0, 0], { at: 4000 })[0]!.score).toBe(0);
  });
});

describe('discounting (halfLife)', () => {
  it('scales A and b by the discount before an update, keeping the regulariser part of A as prior', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, lambda: 2, halfLife: 4, seed: 1 });
    const ridge = new Ridge(2, 2);
    const data = stream(3, 2, 3);
    bandit.update('a', data[0]!.r, data[0]!.x, 100);
    ridge.add(data[0]!.x, data[0]!.r);
    // two ms later: a discount of 2^(-1/2) > 1/2, so the regulariser decays with the rest
    bandit.update('a', data[1]!.r, data[1]!.x, 102);
    ridge.scale(2 ** -0.5);
    ridge.add(data[1]!.x, data[1]!.r);
    let arm = armOf(bandit);
    expect(arm.prior).toBeCloseTo(2 * 2 ** -0.5, 12);
    expectClose(arm.a, ridge.a, 12);
    expectClose(arm.b!, ridge.b, 12);
    expectClose(arm.inv, inverse(ridge.a), 9);
    expect(bandit.expectations(data[2]!.x, { at: 102 })[0]!.evidence).toBeCloseTo(1 + 2 ** -0.5, 12);
    // three more ms: the regulariser would fall to λ·2^(-5/4) < λ/2, so λ is restored to A in full
    bandit.update('a', data[2]!.r, data[2]!.x, 105);
    ridge.scale(2 ** -0.75);
    for (let i = 0; i < 2; i++) ridge.a[i]![i]! += 2 - 2 * 2 ** -1.25;
    ridge.add(data[2]!.x, data[2]!.r);
    arm = armOf(bandit);
    expect(arm.prior).toBe(2);
    expectClose(arm.a, ridge.a, 12);
    expectClose(arm.b!, ridge.b, 12);
    expectClose(arm.inv, inverse(ridge.a), 9);
    expect(bandit.expectations(data[0]!.x, { at: 105 })[0]!.mean).toBeCloseTo(ridge.mean(data[0]!.x), 9);
  });

  it('weighs a late update by the discount of its age, leaving the rest as it was', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, halfLife: 4, seed: 1 });
    const ridge = new Ridge(2, 1);
    bandit.update('a', 1, [1, 0.5], 100);
    ridge.add([1, 0.5], 1);
    bandit.update('a', -1, [0.2, 1], 96); // four ms late: half the weight
    ridge.add([0.2, 1], -1, 0.5);
    const arm = armOf(bandit);
    expect(arm.prior).toBe(1);
    expect(arm.t).toBe(100);
    expectClose(arm.a, ridge.a, 12);
    expectClose(arm.b!, ridge.b, 12);
    expectClose(arm.inv, inverse(ridge.a), 9);
    expect(bandit.expectations([1, 1], { at: 100 })[0]!.evidence).toBeCloseTo(1.5, 12);
  });

  it('with no halfLife, an update at a later time discounts nothing', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, seed: 1 });
    const ridge = new Ridge(2, 1);
    for (const [i, { x, r }] of stream(4, 2).entries()) {
      bandit.update('a', r, x, 1000 * i);
      ridge.add(x, r);
    }
    const arm = armOf(bandit);
    expect(arm.prior).toBe(1);
    expect(arm.t).toBe(3000);
    expectClose(arm.a, ridge.a, 12);
    expect(bandit.expectations([1, 0], { at: 1e9 })[0]!.evidence).toBe(4);
  });
});

describe('a sliding window', () => {
  it('holds exactly the regression of the last `window` updates', () => {
    for (const kind of ['linucb', 'linear-thompson'] as const) {
      const bandit = createBandit({ kind, arms: ['a', 'b'], dimension: 3, window: 5, seed: 1 });
      const data = stream(23, 3, 11);
      data.forEach(({ x, r }, i) => bandit.update(i % 3 === 0 ? 'b' : 'a', r, x));
      const last = data.map((o, i) => ({ ...o, arm: i % 3 === 0 ? 'b' : 'a' })).slice(-5);
      for (const [index, id] of [
        [0, 'a'],
        [1, 'b'],
      ] as const) {
        const ridge = new Ridge(3, 1);
        for (const o of last) if (o.arm === id) ridge.add(o.x, o.r);
        const arm = armOf(bandit, index);
        expectClose(arm.a, ridge.a, 9);
        expectClose(arm.b!, ridge.b, 9);
        expectClose(arm.inv, inverse(ridge.a), 8);
        expect(arm.n).toBe(last.filter((o) => o.arm === id).length);
      }
    }
  });

  it('re-inverts A from scratch every 1000 downdates, so rounding never builds up', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, window: 3, seed: 1 });
    const data = stream(1010, 2, 13);
    const refresh: number[] = [];
    for (const { x, r } of data) {
      bandit.update('a', r, x);
      refresh.push(armOf(bandit).refresh!);
    }
    expect(refresh.slice(0, 5)).toEqual([0, 0, 0, 1, 2]);
    expect(refresh[1001]).toBe(999);
    expect(refresh[1002]).toBe(0);
    expect(refresh[1009]).toBe(7);
    const ridge = new Ridge(2, 1);
    for (const { x, r } of data.slice(-3)) ridge.add(x, r);
    expectClose(armOf(bandit).inv, inverse(ridge.a), 9);
  });

  it('lets go of an observation too large for a rank-1 downdate by subtracting it from A and inverting again', () => {
    // removing x = (2e5, 3) from B + x·xᵀ leaves a Sherman–Morrison denominator 1 − xᵀA⁻¹x of
    // 1/(1 + xᵀB⁻¹x) < 1e−10: A⁻¹ cannot be downdated
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, window: 2, seed: 1 });
    bandit.update('a', 2, [2e5, 3]);
    bandit.update('a', 1, [0.5, 0.25]);
    bandit.update('a', -1, [0.25, -0.5]);
    const ridge = new Ridge(2, 1);
    ridge.add([0.5, 0.25], 1);
    ridge.add([0.25, -0.5], -1);
    const arm = armOf(bandit);
    expectClose(arm.a, ridge.a, 6);
    expectClose(arm.inv, inverse(ridge.a), 6);
    expectClose(arm.b!, ridge.b, 6);
    expect(arm.refresh).toBe(0);
    expect(bandit.expectations([1, 1])[0]!.mean).toBeCloseTo(ridge.mean([1, 1]), 6);
    // and the bandit reads its own snapshot back
    expect(restoreBandit(JSON.parse(JSON.stringify(bandit.toJSON()))).toJSON()).toEqual(bandit.toJSON());
  });

  it('starts an arm over when letting an observation go cancels the regulariser out of A', () => {
    // 1 + 1e18 − 1e18 is 0 in floating point: A is left singular, so the arm forgets everything
    const bandit = createBandit({ kind: 'linucb', arms: ['a', 'b'], dimension: 2, window: 2, seed: 1 });
    bandit.update('a', 1, [1e9, 0]);
    bandit.update('a', 1, [0, 1]);
    bandit.update('b', 1, [1, 1]);
    const arm = armOf(bandit);
    expect(arm.n).toBe(0);
    expectClose(arm.a, identity(2), 15);
    expectClose(arm.inv, identity(2), 15);
    expect(arm.b).toEqual([0, 0]);
    expect(bandit.toJSON().window.map((e) => e.arm)).toEqual([null, 'b']);
    expect(armOf(bandit, 1).n).toBe(1);
  });

  it('writes a context of −0 into the window as +0, so the snapshot is the same through JSON text', () => {
    const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, window: 3, seed: 1 });
    bandit.update('a', 1, [-0, 0.5]);
    const window = bandit.toJSON().window;
    expect(Object.is(window[0]!.context![0], 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(bandit.toJSON()))).toEqual(bandit.toJSON());
  });
});

describe('change detection on a linear bandit', () => {
  it('is fed each reward minus the prediction before the update', () => {
    const bandit = createBandit({
      kind: 'linucb',
      arms: ['a'],
      dimension: 2,
      seed: 1,
      changeDetection: { kind: 'page-hinkley', threshold: 1e6 },
    });
    const ridge = new Ridge(2, 1);
    const residuals: number[] = [];
    for (const { x, r } of stream(6, 2, 17)) {
      residuals.push(r - ridge.mean(x));
      bandit.update('a', r, x);
      ridge.add(x, r);
    }
    const detector = bandit.toJSON().arms[0]!.detector as { n: number; mean: number };
    expect(detector.n).toBe(6);
    expect(detector.mean).toBeCloseTo(residuals.reduce((s, v) => s + v, 0) / 6, 12);
  });
});

function codeOf(call: () => unknown): { code: string; message: string } | undefined {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(AttuneError);
    return { code: (e as AttuneError).code, message: (e as Error).message };
  }
  return undefined;
}

describe('refusals', () => {
  it('refuses a dimension outside 1..1000 or a non-positive lambda', () => {
    for (const dimension of [0, 1001, 2.5, '3', Number.NaN]) {
      const error = codeOf(() => createBandit({ kind: 'linucb', arms: ['a'], dimension } as never));
      expect(error?.code).toBe('INVALID_OPTIONS');
      expect(error?.message).toMatch(/^createBandit: dimension must be a whole number from 1 to 1000 \(the length/);
    }
    expect(createBandit({ kind: 'linucb', arms: ['a'], dimension: 1 }).toJSON().arms[0]!.A).toEqual([1]);
    expect(createBandit({ kind: 'linear-thompson', arms: ['a'], dimension: 1000 }).arms).toEqual(['a']);
    for (const lambda of [0, -1, Number.POSITIVE_INFINITY]) {
      const error = codeOf(() => createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, lambda }));
      expect(error?.code).toBe('INVALID_OPTIONS');
      expect(error?.message).toMatch(/lambda/);
    }
  });

  it('refuses a context of the wrong length or with an entry that is not a finite number, naming it', () => {
    const bandit = createBandit({ kind: 'linear-thompson', arms: ['a'], dimension: 3, seed: 1 });
    bandit.update('a', 1, new Float64Array([0.1, 0.2, 0.3]));
    const before = JSON.stringify(bandit.toJSON());
    const lengths: unknown[] = [undefined, [1, 2], [1, 2, 3, 4], new Float64Array(2), 'abc', { length: 3 }];
    for (const context of lengths) {
      const error = codeOf(() => bandit.update('a', 1, context as never));
      expect(error?.code).toBe('INVALID_ARGUMENT');
      expect(error?.message).toMatch(
        /^bandit\.update: context must be a number\[\] or Float64Array of length 3 for kind "linear-thompson", got /,
      );
    }
    for (const [context, i] of [
      [[1, Number.NaN, 0], 1],
      [[Number.POSITIVE_INFINITY, 0, 0], 0],
      [[0, 0, '1'], 2],
      [[0, 0, null], 2],
    ] as const) {
      const error = codeOf(() => bandit.rank(context as never));
      expect(error?.code).toBe('INVALID_ARGUMENT');
      expect(error?.message).toMatch(new RegExp(`^bandit\\.rank: context\\[${i}\\] must be a finite number, got `));
    }
    expect(codeOf(() => bandit.expectations([0, 0, 0]))).toBeUndefined();
    expect(JSON.stringify(bandit.toJSON())).toBe(before);
  });

  it('refuses an update that would overflow the regression, changing nothing, even its clock', () => {
    for (const decay of [{}, { halfLife: 5 }]) {
      const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, ...decay, seed: 1 });
      bandit.update('a', 1, [0.5, 0.5], 10);
      const before = JSON.stringify(bandit.toJSON());
      for (const [reward, context] of [
        [1, [1e200, 1]],
        [1e300, [1e10, 1e10]],
      ] as const) {
        const error = codeOf(() => bandit.update('a', reward, context as never, 20));
        expect(error?.code).toBe('INVALID_ARGUMENT');
        expect(error?.message).toMatch(/^bandit\.update: this update would leave arm "a" unsound \(/);
        expect(JSON.stringify(bandit.toJSON())).toBe(before);
      }
      bandit.update('a', 0, [0.5, 0.5], 20);
      expect(bandit.toJSON().arms[0]!.t).toBe(20);
    }
  });

  it('says which part of the regression an update would overflow', () => {
    const unsound = (options: { lambda?: number; dimension: number }, reward: number, context: number[]) => {
      const bandit = createBandit({ kind: 'linucb', arms: ['a'], seed: 1, ...options });
      const error = codeOf(() => bandit.update('a', reward, context));
      expect(error?.code).toBe('INVALID_ARGUMENT');
      return error!.message;
    };
    expect(unsound({ dimension: 2 }, 1, [1e200, 1])).toContain('(A has an entry that is not finite)');
    expect(unsound({ dimension: 2 }, 1e300, [1e10, 0])).toContain('(b has an entry that is not finite)');
    // θ̂ = r·x/(λ + x²) peaks at x = √λ: with λ = 1e−20 a finite b gives θ̂ = r·5e9
    expect(unsound({ dimension: 1, lambda: 1e-20 }, 1e300, [1e-10])).toContain(
      '(θ̂ = A⁻¹b has an entry that is not finite)',
    );
  });

  describe('a snapshot no sequence of updates could give', () => {
    function snapshot(): BanditSnapshot {
      const bandit = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, lambda: 2, window: 4, seed: 1 });
      for (const { x, r } of stream(3, 2, 19)) bandit.update('a', r, x);
      return JSON.parse(JSON.stringify(bandit.toJSON())) as BanditSnapshot;
    }
    const refused = (change: (s: BanditSnapshot) => void, message: RegExp) => {
      const s = snapshot();
      change(s);
      const error = codeOf(() => restoreBandit(s));
      expect(error?.code).toBe('BAD_SNAPSHOT');
      expect(error?.message).toMatch(message);
    };

    it('restores the snapshot it wrote', () => {
      const s = snapshot();
      expect(restoreBandit(s).toJSON()).toEqual(s);
    });

    it('refuses the wrong shapes', () => {
      refused((s) => (s.arms[0]!.A = [2, 0, 0]), /^restoreBandit: arms\[0\]\.A must be an array of 4 finite numbers$/);
      refused((s) => delete s.arms[0]!.Ainv, /arms\[0\]\.Ainv must be an array of 4 finite numbers/);
      refused((s) => (s.arms[0]!.b = [0, 0, 0]), /arms\[0\]\.b must be an array of 2 finite numbers/);
      refused((s) => (s.arms[0]!.b = [0, 'x' as never]), /arms\[0\]\.b must be an array of 2 finite numbers/);
      refused((s) => (s.arms[0]!.A![1] = Number.NaN), /arms\[0\]\.A must be an array/);
      refused((s) => (s.window[0]!.context = [1]), /window\[0\]\.context must be an array of 2 finite numbers/);
      for (const prior of [0, -2, Number.NaN, undefined])
        refused(
          (s) => (s.arms[0]!.prior = prior as never),
          /^restoreBandit: arms\[0\] must have a positive prior and a whole refresh count$/,
        );
      for (const refresh of [-1, 0.5, undefined])
        refused(
          (s) => (s.arms[0]!.refresh = refresh as never),
          /arms\[0\] must have a positive prior and a whole refresh/,
        );
    });

    it('refuses a reward sum on a linear arm, saying what it got', () => {
      refused((s) => (s.arms[0]!.s = 3), /^restoreBandit: arms\[0\]\.s must be 0 for a linear arm, got 3$/);
    });

    it('refuses a regulariser outside [λ/2, λ] and a refresh count at its period', () => {
      refused(
        (s) => (s.arms[0]!.prior = 0.99),
        /arms\[0\]: prior must be from lambda\/2 to lambda \(1 to 2\), got 0\.99/,
      );
      refused((s) => (s.arms[0]!.prior = 2.01), /prior must be from lambda\/2 to lambda/);
      refused((s) => (s.arms[0]!.refresh = 1000), /arms\[0\]: refresh must be a whole number below 1000, got 1000/);
      const edge = snapshot();
      edge.arms[0]!.refresh = 999;
      expect(restoreBandit(edge).toJSON().arms[0]!.refresh).toBe(999);
    });

    it('refuses an A⁻¹ entry past 2/prior, wherever it is, and an A⁻¹ that is not the inverse of A', () => {
      for (let entry = 0; entry < 4; entry++)
        refused(
          (s) => (s.arms[0]!.Ainv![entry] = entry % 3 === 0 ? 1.01 : -1.01),
          /arms\[0\]: every entry of A⁻¹ must be at most 2\/prior = 1 in magnitude \(A ⪰ prior·I\), got -?1\.01/,
        );
      refused(
        (s) => (s.arms[0]!.A![0] = s.arms[0]!.A![0]! * 1.001),
        /arms\[0\]: Ainv must be the inverse of A, but A·\(Ainv·1\) is off 1 by/,
      );
      refused((s) => (s.arms[0]!.A![3] = s.arms[0]!.A![3]! + 1e-3), /Ainv must be the inverse of A/);
      // "at most 2/prior": an A⁻¹ entry of exactly 2/prior is the inverse of an A = (prior/2)·I
      const edge = snapshot();
      edge.window = [];
      edge.arms[0] = { ...edge.arms[0]!, n: 0, A: [1, 0, 0, 1], Ainv: [1, 0, 0, 1], b: [0, 0], prior: 2 };
      expect(restoreBandit(edge).toJSON().arms[0]!.Ainv).toEqual([1, 0, 0, 1]);
      // the tolerance is 1e−6·‖A‖·‖A⁻¹‖: an ill-conditioned A may be off by that much
      const loose = createBandit({ kind: 'linucb', arms: ['a'], dimension: 2, lambda: 0.01, seed: 1 });
      loose.update('a', 1, [1, 1]);
      const json = JSON.parse(JSON.stringify(loose.toJSON())) as BanditSnapshot;
      const norm = (m: number[]) => Math.max(Math.abs(m[0]!) + Math.abs(m[1]!), Math.abs(m[2]!) + Math.abs(m[3]!));
      const tolerance = 1e-6 * norm(json.arms[0]!.A!) * norm(json.arms[0]!.Ainv!);
      const u = json.arms[0]!.Ainv![0]! + json.arms[0]!.Ainv![1]!; // (A⁻¹·1)₀
      expect(norm(json.arms[0]!.Ainv!)).toBeGreaterThan(10);
      json.arms[0]!.A![0]! += tolerance / 2 / Math.abs(u);
      expect(() => restoreBandit(json)).not.toThrow();
      json.arms[0]!.A![0]! += (2 * tolerance) / Math.abs(u);
      expect(codeOf(() => restoreBandit(json))?.message).toMatch(/Ainv must be the inverse of A/);
      // within the tolerance of the backward error, a last-digit change is accepted
      const s = snapshot();
      s.arms[0]!.A![0] = s.arms[0]!.A![0]! * (1 + 1e-12);
      expect(() => restoreBandit(s)).not.toThrow();
    });
  });
});
