/**
 * The change detectors on small deterministic inputs: each statistic against a direct
 * implementation of its formula (the one in the class's documentation), the threshold each
 * compares it with, when an alarm sounds and what it forgets, the snapshots and every refusal.
 * These run in milliseconds, so a mutation run can afford them per mutant; the seeded
 * simulations of detection delay and false-alarm rates are in changeDetection.simulation.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttuneError } from '../../src/errors.js';
import {
  GlrChangeDetector,
  PageHinkleyDetector,
  SessionGlrDetector,
  changeDetectorFromJSON,
  type SessionGlrSnapshot,
} from '../../src/decay/changeDetection.js';

/** KL divergence of Bernoulli(p) from Bernoulli(q), both clamped to [1e−12, 1 − 1e−12]. */
function kl(p: number, q: number): number {
  const c = (v: number) => Math.min(Math.max(v, 1e-12), 1 - 1e-12);
  const [a, b] = [c(p), c(q)];
  return a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b));
}

/** ln(3·n^{3/2}/δ), the threshold of Besson et al. (2020). */
const beta = (n: number, delta: number) => Math.log((3 * n ** 1.5) / delta);

/** The tail lengths the GLR tests, by its documentation: every one up to 16, then steps of ⌊k/16⌋. */
function grid(minSamples: number, n: number): number[] {
  const out: number[] = [];
  for (let k = minSamples; k <= n - minSamples; k += Math.max(1, Math.floor(k / 16))) out.push(k);
  return out;
}

/** The GLR statistic of `values` over the given tail lengths (every split when `tails` is omitted). */
function glr(
  values: number[],
  o: { model?: 'bernoulli' | 'gaussian'; sigma?: number; minSamples?: number },
  tails?: number[],
): number {
  const n = values.length;
  const m = o.minSamples ?? 5;
  if (n < 2 * m) return 0;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const mean = sum(values) / n;
  const sigma = o.sigma ?? 0.5;
  let best = 0;
  for (let k = m; k <= n - m; k++) {
    if (tails !== undefined && !tails.includes(k)) continue;
    const s = n - k;
    const mu1 = sum(values.slice(0, s)) / s;
    const mu2 = sum(values.slice(s)) / k;
    const g =
      o.model === 'gaussian'
        ? (((s * k) / n) * (mu1 - mu2) ** 2) / (2 * sigma * sigma)
        : s * kl(mu1, mean) + k * kl(mu2, mean);
    best = Math.max(best, g);
  }
  return best;
}

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(AttuneError);
    return (e as AttuneError).code;
  }
  return undefined;
}

function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function refusalOf(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    return `${(e as AttuneError).code} ${(e as Error).message}`;
  }
  return '';
}

describe('GlrChangeDetector on small inputs', () => {
  it('has the documented defaults', () => {
    expect(new GlrChangeDetector().toJSON()).toEqual({
      kind: 'glr',
      delta: 0.01,
      model: 'bernoulli',
      sigma: 0.5,
      maxHistory: 1000,
      minSamples: 5,
      values: [],
    });
  });

  it('is 0 until each side of a split can hold minSamples observations', () => {
    const d = new GlrChangeDetector({ minSamples: 3, delta: 1e-9 });
    for (const x of [0, 0, 0, 1, 1]) d.update(x);
    expect(d.statistic()).toBe(0);
    d.update(1);
    expect(d.count).toBe(6);
    expect(d.statistic()).toBeCloseTo(glr([0, 0, 0, 1, 1, 1], { minSamples: 3 }), 12);
    expect(d.statistic()).toBeCloseTo(6 * Math.log(2), 6);
  });

  it('Bernoulli: the largest split statistic, every split tested on a short stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 0.25, 0.5, 1), { maxLength: 24 }),
        fc.integer({ min: 1, max: 5 }),
        (values, minSamples) => {
          // the smallest δ puts the threshold out of reach: the detector only accumulates
          const d = new GlrChangeDetector({ minSamples, delta: Number.MIN_VALUE, maxHistory: 64 });
          for (const x of values) expect(d.update(x)).toBe(false);
          expect(d.count).toBe(values.length);
          expect(d.statistic()).toBeCloseTo(glr(values, { minSamples }), 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Gaussian: s·k/n·(μ₁ − μ₂)²/(2σ²), for values of any sign', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 40 }), { maxLength: 24 }),
        fc.constantFrom(0.5, 2, 3),
        fc.integer({ min: 1, max: 4 }),
        (ints, sigma, minSamples) => {
          const values = ints.map((i) => i / 8);
          const d = new GlrChangeDetector({ model: 'gaussian', sigma, minSamples, delta: Number.MIN_VALUE });
          for (const x of values) d.update(x);
          expect(d.statistic()).toBeCloseTo(glr(values, { model: 'gaussian', sigma, minSamples }), 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('tests exactly the documented grid of tail lengths on a long stream', () => {
    // one early change: the full scan peaks at tail 130, which the grid (…, 122, 129, 137, …) skips
    const values = [...Array.from({ length: 70 }, (_, i) => (i % 5 === 0 ? 1 : 0)), ...Array(130).fill(1)];
    const d = new GlrChangeDetector({ delta: Number.MIN_VALUE });
    for (const x of values) d.update(x);
    const thinned = glr(values, {}, grid(5, values.length));
    expect(grid(5, 200).slice(0, 14)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(grid(5, 200).slice(26, 34)).toEqual([31, 32, 34, 36, 38, 40, 42, 44]);
    expect(grid(5, 200).slice(52, 55)).toEqual([122, 129, 137]);
    expect(d.statistic()).toBeCloseTo(thinned, 9);
    expect(thinned).toBeLessThan(glr(values, {}) - 1e-3);
  });

  it('fires at the first observation whose statistic passes ln(3·n^{3/2}/δ), then starts afresh', () => {
    for (const delta of [0.5, 0.05, 0.01, 1e-4]) {
      for (const model of ['bernoulli', 'gaussian'] as const) {
        const values = [
          ...Array(20)
            .fill(0)
            .map((_, i) => (i === 7 ? 1 : 0)),
          ...Array(40).fill(1),
        ];
        const options = { delta, model, minSamples: 3 };
        const d = new GlrChangeDetector(options);
        const seen: number[] = [];
        let fired = -1;
        for (let t = 0; t < values.length && fired < 0; t++) {
          seen.push(values[t]!);
          const expected = glr(seen, options, grid(3, seen.length)) > beta(seen.length, delta);
          expect(d.update(values[t]!), `${model} δ ${delta} at ${t}`).toBe(expected);
          if (expected) fired = t;
          else expect(d.statistic()).toBeCloseTo(glr(seen, options, grid(3, seen.length)), 9);
        }
        expect(fired, `${model} δ ${delta}`).toBeGreaterThan(19);
        expect(d.count).toBe(0);
        expect(d.toJSON()).toEqual(new GlrChangeDetector(options).toJSON());
        // afresh: the next observations alone make the statistic
        for (const x of [1, 1, 1, 0, 0, 0]) d.update(x);
        expect(d.statistic()).toBeCloseTo(glr([1, 1, 1, 0, 0, 0], options), 9);
      }
    }
  });

  it('never fires on a constant stream, even of ones (where the Bernoulli KL is clamped)', () => {
    for (const x of [0, 1]) {
      const d = new GlrChangeDetector({ delta: 0.5, minSamples: 1 });
      for (let t = 0; t < 50; t++) expect(d.update(x)).toBe(false);
      expect(d.statistic()).toBe(0);
    }
  });

  it('a smaller δ fires later on the same stream', () => {
    const values = [...Array(30).fill(0), ...Array(30).fill(1)];
    const first = (delta: number) => {
      const d = new GlrChangeDetector({ delta });
      return values.findIndex((x) => d.update(x));
    };
    expect(first(0.5)).toBeLessThan(first(0.01));
    expect(first(0.01)).toBeLessThan(first(1e-8));
  });

  it('looks back over the last maxHistory observations only, however many it has seen', () => {
    // with 10 observations the statistic stays under the threshold (10·ln 2 < ln(3·10^{3/2}/0.01))
    const d = new GlrChangeDetector({ maxHistory: 10, minSamples: 2 });
    let s = 7;
    const stream = Array.from({ length: 9000 }, () => ((s = (s * 48271) % 2147483647) % 3) / 2);
    for (let t = 0; t < stream.length; t++) {
      expect(d.update(stream[t]!)).toBe(false);
      if (t % 997 === 0 || t === 4106 || t === 4107 || t === stream.length - 1) {
        const window = stream.slice(Math.max(0, t - 9), t + 1);
        expect(d.count).toBe(window.length);
        expect((d.toJSON() as { values: number[] }).values).toEqual(window);
        expect(d.statistic()).toBeCloseTo(glr(window, { minSamples: 2 }), 9);
      }
    }
  });

  it('continues from a snapshot exactly, with its options', () => {
    const d = new GlrChangeDetector({ model: 'gaussian', sigma: 2, maxHistory: 12, minSamples: 2, delta: 0.2 });
    for (const x of [3, -1, 0.5, 2, 2, 7]) d.update(x);
    const json = JSON.parse(JSON.stringify(d.toJSON()));
    expect(json).toEqual({
      kind: 'glr',
      delta: 0.2,
      model: 'gaussian',
      sigma: 2,
      maxHistory: 12,
      minSamples: 2,
      values: [3, -1, 0.5, 2, 2, 7],
    });
    const r = changeDetectorFromJSON(json) as GlrChangeDetector;
    expect(r).toBeInstanceOf(GlrChangeDetector);
    expect(r.count).toBe(6);
    expect(r.statistic()).toBe(d.statistic());
    for (const x of [9, 9, 9, 9]) expect(r.update(x)).toBe(d.update(x));
    expect(r.toJSON()).toEqual(d.toJSON());
  });

  it('refuses a bad option, naming it', () => {
    const bad: Array<[object, RegExp]> = [
      [{ delta: 0 }, /delta must be in \(0, 1\), got 0$/],
      [{ delta: 1 }, /delta must be in \(0, 1\)/],
      [{ delta: Number.NaN }, /delta/],
      [{ model: 'poisson' }, /model must be 'bernoulli' or 'gaussian', got "poisson"/],
      [{ sigma: 0 }, /sigma must be a positive number, got 0/],
      [{ sigma: Number.POSITIVE_INFINITY }, /sigma/],
      [{ maxHistory: 1, minSamples: 1 }, /maxHistory must be a whole number >= 2, got 1/],
      [{ maxHistory: 2.5 }, /maxHistory/],
      [{ minSamples: 0 }, /minSamples must be a whole number from 1 to maxHistory \/ 2, got 0/],
      [{ minSamples: 1.5 }, /minSamples/],
      [{ maxHistory: 9, minSamples: 5 }, /minSamples/],
    ];
    for (const [options, message] of bad) {
      expect(codeOf(() => new GlrChangeDetector(options as never))).toBe('INVALID_OPTIONS');
      expect(messageOf(() => new GlrChangeDetector(options as never))).toMatch(/^GlrChangeDetector: /);
      expect(messageOf(() => new GlrChangeDetector(options as never))).toMatch(message);
    }
    for (const options of [null, 5, 'x'])
      expect(refusalOf(() => new GlrChangeDetector(options as never))).toBe(
        'INVALID_OPTIONS GlrChangeDetector: options must be an object',
      );
    // the edges themselves are allowed
    expect(new GlrChangeDetector({ maxHistory: 2, minSamples: 1 }).count).toBe(0);
    expect(new GlrChangeDetector({ maxHistory: 10, minSamples: 5 }).count).toBe(0);
  });

  it('refuses an observation it cannot read, keeping what it had', () => {
    const b = new GlrChangeDetector();
    b.update(0);
    b.update(1);
    for (const x of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => b.update(x))).toBe('INVALID_ARGUMENT');
      expect(messageOf(() => b.update(x))).toMatch(/^GlrChangeDetector\.update: x must be/);
    }
    expect(messageOf(() => b.update(2))).toContain("in [0, 1] for the Bernoulli model, got 2; use model 'gaussian'");
    expect(messageOf(() => b.update(Number.NaN))).toBe('GlrChangeDetector.update: x must be a finite number, got NaN');
    expect(b.toJSON()).toMatchObject({ values: [0, 1] });
    const g = new GlrChangeDetector({ model: 'gaussian' });
    expect(g.update(-5)).toBe(false);
    expect(g.update(5)).toBe(false);
    expect(codeOf(() => g.update(Number.NEGATIVE_INFINITY))).toBe('INVALID_ARGUMENT');
    expect(g.toJSON()).toMatchObject({ values: [-5, 5] });
  });

  it('refuses a snapshot it cannot continue from', () => {
    const good = new GlrChangeDetector({ maxHistory: 4, minSamples: 2 }).toJSON();
    const bad: unknown[] = [
      null,
      'glr',
      { ...good, kind: 'page-hinkley', values: [] },
      { ...good, values: [0.5, 2] },
      { ...good, values: [0.5, -1] },
      { ...good, values: [0, 1, 0, 1, 0] },
      { ...good, values: 'x' },
      { ...good, values: [Number.NaN] },
      { ...good, delta: 2 },
    ];
    for (const json of bad) {
      expect(
        codeOf(() => GlrChangeDetector.fromJSON(json)),
        JSON.stringify(json),
      ).toBe('BAD_SNAPSHOT');
      expect(messageOf(() => GlrChangeDetector.fromJSON(json))).toMatch(/^GlrChangeDetector\.fromJSON: /);
    }
    expect(messageOf(() => GlrChangeDetector.fromJSON({ ...good, delta: 2 }))).toMatch(
      /^GlrChangeDetector\.fromJSON: bad options \(GlrChangeDetector: delta must be in/,
    );
    // a full window, and any finite value for the Gaussian model, are fine
    expect(GlrChangeDetector.fromJSON({ ...good, values: [0, 1, 0, 1] }).count).toBe(4);
    expect(GlrChangeDetector.fromJSON({ ...good, model: 'gaussian', values: [-3, 4] }).statistic()).toBe(0);
    expect(GlrChangeDetector.fromJSON({ ...good, values: [0, 1, 1, 1] }).statistic()).toBeCloseTo(
      glr([0, 1, 1, 1], { minSamples: 2 }),
      12,
    );
  });
});

/** The Page–Hinkley state after `values`, by its definition (alarms ignored). */
function pageHinkley(values: number[], delta: number) {
  let [n, mean, up, upMin, down, downMax] = [0, 0, 0, 0, 0, 0];
  for (const x of values) {
    n += 1;
    mean += (x - mean) / n;
    up += x - mean - delta;
    down += x - mean + delta;
    upMin = Math.min(upMin, up);
    downMax = Math.max(downMax, down);
  }
  return { n, mean, up, upMin, down, downMax };
}

describe('PageHinkleyDetector on small inputs', () => {
  it('has the documented defaults', () => {
    expect(new PageHinkleyDetector().toJSON()).toEqual({
      kind: 'page-hinkley',
      delta: 0.05,
      threshold: 10,
      minSamples: 5,
      n: 0,
      mean: 0,
      up: 0,
      upMin: 0,
      down: 0,
      downMax: 0,
    });
  });

  it('keeps U = Σ(x − x̄ − δ), D = Σ(x − x̄ + δ), min U and max D', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 30 }), (ints) => {
        const values = ints.map((i) => i / 10);
        const d = new PageHinkleyDetector({ delta: 0.3, threshold: 1e9 });
        for (const x of values) expect(d.update(x)).toBe(false);
        expect(d.count).toBe(values.length);
        const state = d.toJSON() as unknown as Record<string, number>;
        const expected = pageHinkley(values, 0.3);
        for (const [key, value] of Object.entries(expected)) expect(state[key], key).toBeCloseTo(value, 9);
      }),
      { numRuns: 40 },
    );
  });

  it('fires on a rise when U − min U passes the threshold, and on a fall when max D − D does', () => {
    const cases: Array<[number[], number]> = [
      // a rise: U − min U after each step (δ 0.1) is 0, 0, 0, 0, 0.7, 1.3
      [[0, 0, 0, 0, 1, 1, 1], 5],
      // a fall
      [[1, 1, 1, 1, 0, 0, 0], 5],
    ];
    for (const [values, at] of cases) {
      const d = new PageHinkleyDetector({ delta: 0.1, threshold: 1, minSamples: 1 });
      const fired = values.findIndex((x) => d.update(x));
      expect(fired, values.join()).toBe(at);
      expect(d.toJSON()).toEqual(new PageHinkleyDetector({ delta: 0.1, threshold: 1, minSamples: 1 }).toJSON());
      const s = pageHinkley(values.slice(0, at + 1), 0.1);
      const before = pageHinkley(values.slice(0, at), 0.1);
      expect(Math.max(s.up - s.upMin, s.downMax - s.down)).toBeGreaterThan(1);
      expect(Math.max(before.up - before.upMin, before.downMax - before.down)).toBeLessThanOrEqual(1);
    }
  });

  it('the threshold is a strict bound, and δ is the drift it tolerates', () => {
    // a rise to 2 after three zeros: x − x̄ is 1.5 at the fourth step, less δ; min U is where the
    // zeros left U, so U − min U is 1.5 − δ exactly (1.5 for δ 0, 1.25 for δ 0.25)
    const first = (delta: number, threshold: number) => {
      const d = new PageHinkleyDetector({ delta, threshold, minSamples: 1 });
      return [0, 0, 0, 2].findIndex((x) => d.update(x));
    };
    expect(first(0, 1.4)).toBe(3);
    expect(first(0, 1.5)).toBe(-1);
    expect(first(0.25, 1.2)).toBe(3);
    expect(first(0.25, 1.25)).toBe(-1);
    // a fall to 0 after three twos: max D − D is 1.5 − δ the same way
    const fall = (delta: number, threshold: number) => {
      const d = new PageHinkleyDetector({ delta, threshold, minSamples: 1 });
      return [2, 2, 2, 0].findIndex((x) => d.update(x));
    };
    expect(fall(0, 1.4)).toBe(3);
    expect(fall(0, 1.5)).toBe(-1);
    expect(fall(0.25, 1.2)).toBe(3);
    expect(fall(0.25, 1.25)).toBe(-1);
  });

  it('holds an alarm back until minSamples observations, and forgets on reset', () => {
    const d = new PageHinkleyDetector({ delta: 0, threshold: 0.5, minSamples: 4 });
    expect([0, 5, 5].map((x) => d.update(x))).toEqual([false, false, false]);
    expect(d.update(5)).toBe(true);
    expect(d.count).toBe(0);
    const e = new PageHinkleyDetector({ delta: 0, threshold: 0.5, minSamples: 3 });
    expect([0, 5, 5].map((x) => e.update(x))).toEqual([false, false, true]);
    e.update(3);
    e.update(-1);
    e.reset();
    expect(e.toJSON()).toEqual(new PageHinkleyDetector({ delta: 0, threshold: 0.5, minSamples: 3 }).toJSON());
  });

  it('continues from a snapshot exactly', () => {
    const d = new PageHinkleyDetector({ delta: 0.02, threshold: 3, minSamples: 2 });
    for (const x of [0.4, 0.1, 0.3, 0.9]) d.update(x);
    const r = changeDetectorFromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    expect(r).toBeInstanceOf(PageHinkleyDetector);
    expect(r.toJSON()).toEqual(d.toJSON());
    for (const x of [2, 2, 2, 2, 2, -3, -3]) expect(r.update(x)).toBe(d.update(x));
    expect(r.toJSON()).toEqual(d.toJSON());
  });

  it('refuses bad options, observations and snapshots', () => {
    const bad: Array<[object, RegExp]> = [
      [{ delta: -0.1 }, /^PageHinkleyDetector: delta must be a number >= 0, got -0.1$/],
      [{ delta: Number.NaN }, /delta/],
      [{ threshold: 0 }, /^PageHinkleyDetector: threshold must be a positive number, got 0$/],
      [{ threshold: Number.POSITIVE_INFINITY }, /threshold/],
      [{ minSamples: 0 }, /^PageHinkleyDetector: minSamples must be a whole number >= 1, got 0$/],
      [{ minSamples: 2.5 }, /minSamples/],
    ];
    for (const [options, message] of bad) {
      expect(codeOf(() => new PageHinkleyDetector(options as never))).toBe('INVALID_OPTIONS');
      expect(messageOf(() => new PageHinkleyDetector(options as never))).toMatch(message);
    }
    for (const options of [null, 5, 'x'])
      expect(refusalOf(() => new PageHinkleyDetector(options as never))).toBe(
        'INVALID_OPTIONS PageHinkleyDetector: options must be an object',
      );
    expect(new PageHinkleyDetector({ delta: 0, minSamples: 1 }).count).toBe(0);
    const d = new PageHinkleyDetector();
    d.update(1);
    expect(codeOf(() => d.update(Number.POSITIVE_INFINITY))).toBe('INVALID_ARGUMENT');
    expect(messageOf(() => d.update(Number.NaN))).toBe(
      'PageHinkleyDetector.update: x must be a finite number, got NaN',
    );
    expect(d.count).toBe(1);

    const good = d.toJSON() as unknown as Record<string, unknown>;
    for (const json of [
      null,
      { ...good, kind: 'glr' },
      { ...good, n: 1.5 },
      { ...good, n: -1 },
      { ...good, mean: Number.NaN },
      { ...good, downMax: 'x' },
      { ...good, upMin: undefined },
      { ...good, threshold: 0 },
    ]) {
      expect(
        codeOf(() => PageHinkleyDetector.fromJSON(json)),
        JSON.stringify(json),
      ).toBe('BAD_SNAPSHOT');
      expect(messageOf(() => PageHinkleyDetector.fromJSON(json))).toMatch(/^PageHinkleyDetector\.fromJSON: /);
    }
    expect(messageOf(() => PageHinkleyDetector.fromJSON({ ...good, threshold: 0 }))).toMatch(
      /^PageHinkleyDetector\.fromJSON: bad options \(PageHinkleyDetector: threshold/,
    );
    expect(PageHinkleyDetector.fromJSON({ ...good, n: 0 }).count).toBe(0);
  });
});

describe('snapshots of every detector', () => {
  /** A function carrying a snapshot's fields: not the plain object a snapshot is. */
  const fake = (json: object) => Object.assign(() => 0, json);

  it('are refused unless a plain object, each reader naming itself', () => {
    const glr = new GlrChangeDetector().toJSON();
    const ph = new PageHinkleyDetector().toJSON();
    const session = new SessionGlrDetector().toJSON();
    expect(refusalOf(() => GlrChangeDetector.fromJSON(fake(glr)))).toBe(
      'BAD_SNAPSHOT GlrChangeDetector.fromJSON: expected an object with kind "glr"',
    );
    expect(refusalOf(() => PageHinkleyDetector.fromJSON(fake(ph)))).toBe(
      'BAD_SNAPSHOT PageHinkleyDetector.fromJSON: expected an object with kind "page-hinkley"',
    );
    expect(refusalOf(() => SessionGlrDetector.fromJSON(fake(session)))).toBe(
      'BAD_SNAPSHOT SessionGlrDetector.fromJSON: expected an object with kind "session-glr"',
    );
    expect(refusalOf(() => changeDetectorFromJSON(fake(glr)))).toMatch(
      /^BAD_SNAPSHOT changeDetectorFromJSON: kind must be/,
    );
  });

  it('are copies both ways: changing the JSON read or written never changes the detector', () => {
    const glrJson = { ...new GlrChangeDetector({ minSamples: 1 }).toJSON(), values: [0, 1] } as { values: number[] };
    const glr = GlrChangeDetector.fromJSON(glrJson);
    glrJson.values.push(1, 1);
    (glr.toJSON() as { values: number[] }).values.push(0);
    expect(glr.count).toBe(2);
    expect(glr.toJSON()).toMatchObject({ values: [0, 1] });

    const sessionJson = sessionDetector([[1, 2]], [1, 1]).toJSON();
    const session = SessionGlrDetector.fromJSON(sessionJson);
    sessionJson.sessions.push(0, 3);
    sessionJson.open[1] = 9;
    session.toJSON().sessions.push(2, 2);
    expect(session.toJSON().sessions).toEqual([1, 2]);
    expect(session.toJSON().open).toEqual([1, 1]);
  });
});

describe('changeDetectorFromJSON', () => {
  it('reads either snapshot by its kind and refuses any other', () => {
    expect(changeDetectorFromJSON(new GlrChangeDetector().toJSON())).toBeInstanceOf(GlrChangeDetector);
    expect(changeDetectorFromJSON(new PageHinkleyDetector().toJSON())).toBeInstanceOf(PageHinkleyDetector);
    for (const json of [null, 3, {}, { kind: 'session-glr' }]) {
      expect(codeOf(() => changeDetectorFromJSON(json))).toBe('BAD_SNAPSHOT');
      expect(messageOf(() => changeDetectorFromJSON(json))).toMatch(
        /^changeDetectorFromJSON: kind must be "glr" or "page-hinkley", got /,
      );
    }
    expect(messageOf(() => changeDetectorFromJSON({ kind: 'x' }))).toMatch(/got "x"$/);
  });
});

/** Sessions as [sum, count] pairs. */
type Pair = [number, number];

/**
 * The session GLR statistic by its documentation: over splits with k ≥ minAfter sessions after and
 * m − k ≥ minBefore before where μ₂ > μ₁ and μ₂ ≥ minMean, the largest
 * G / max(1, (X²_before,capped + X²_after)/(m − 2), X²_after/(k − 1)).
 */
function sessionGlr(
  pairs: Pair[],
  o: Required<Omit<SessionGlrSnapshot, 'kind' | 'sessions' | 'open'>>,
  cap = 10.83,
): number {
  const m = pairs.length;
  if (m < o.minBefore + o.minAfter) return 0;
  const total = (ps: Pair[]) => ps.reduce(([x, n], [xi, ni]) => [x + xi, n + ni], [0, 0]);
  const [x, n] = total(pairs);
  const variance = (sx: number, sn: number) => {
    const p = (sx + 0.5) / (sn + 1);
    return p * (1 - p);
  };
  const pearson = (ps: Pair[], mu: number, v: number, cap: number) =>
    ps.reduce((sum, [xi, ni]) => sum + Math.min(cap, (xi - ni * mu) ** 2 / (ni * v)), 0);
  let best = 0;
  for (let k = o.minAfter; k <= m - o.minBefore; k++) {
    const before = pairs.slice(0, m - k);
    const after = pairs.slice(m - k);
    const [x1, n1] = total(before);
    const [x2, n2] = total(after);
    const [mu1, mu2] = [x1 / n1, x2 / n2];
    if (!(mu2 > mu1) || mu2 < o.minMean) continue;
    const g = n1 * kl(mu1, x / n) + n2 * kl(mu2, x / n);
    const xAfter = pearson(after, mu2, variance(x2, n2), Infinity);
    const xBefore = pearson(before, mu1, variance(x1, n1), cap);
    const phi = Math.max(1, (xBefore + xAfter) / (m - 2), xAfter / (k - 1));
    best = Math.max(best, g / phi);
  }
  return best;
}

const SESSION_DEFAULTS = { delta: 0.001, maxSessions: 120, minBefore: 5, minAfter: 2, minMean: 0, minOpen: 3 };

function sessionDetector(closed: Pair[], open: Pair, options: Partial<typeof SESSION_DEFAULTS> = {}) {
  return SessionGlrDetector.fromJSON({
    kind: 'session-glr',
    ...SESSION_DEFAULTS,
    ...options,
    sessions: closed.flat(),
    open,
  });
}

describe('SessionGlrDetector on small inputs', () => {
  it('has the documented defaults', () => {
    expect(new SessionGlrDetector().toJSON()).toEqual({
      kind: 'session-glr',
      ...SESSION_DEFAULTS,
      sessions: [],
      open: [0, 0],
    });
  });

  /** A closed session of n observations with x of them surprising (x may be fractional). */
  const pair = fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 16 }))
    .map(([n, q]): Pair => [(n * q) / 16, n]);

  it('the statistic is the largest G/φ̂ over the splits that mean a rise, the open session taking part from minOpen', () => {
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 14 }),
        fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
        fc.record({
          minBefore: fc.integer({ min: 1, max: 4 }),
          minAfter: fc.integer({ min: 2, max: 4 }),
          minMean: fc.constantFrom(0, 0.3, 0.6),
          minOpen: fc.integer({ min: 1, max: 4 }),
        }),
        (closed, [openN, openX], options) => {
          const open: Pair = [Math.min(openX, openN), openN];
          const d = sessionDetector(closed, open, options);
          const all = openN >= options.minOpen ? [...closed, open] : closed;
          expect(d.count).toBe(all.length);
          const expected = sessionGlr(all, { ...SESSION_DEFAULTS, ...options });
          expect(d.statistic()).toBeCloseTo(expected, 9);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('discounts a rise carried by one session after the split, and caps one wild session before it', () => {
    const quiet: Pair[] = Array.from({ length: 8 }, () => [1, 10]);
    // the rise in one of the two sessions after the split: X²_after/(k − 1) is large
    const lopsided = sessionDetector([...quiet, [10, 10], [0, 10]], [0, 0]);
    const steady = sessionDetector([...quiet, [5, 10], [5, 10]], [0, 0]);
    const o = { ...SESSION_DEFAULTS };
    expect(lopsided.statistic()).toBeCloseTo(sessionGlr([...quiet, [10, 10], [0, 10]], o), 9);
    expect(steady.statistic()).toBeCloseTo(sessionGlr([...quiet, [5, 10], [5, 10]], o), 9);
    expect(lopsided.statistic()).toBeLessThan(steady.statistic() / 3);
    // one wild session long ago adds at most 10.83 to X² before the split
    const wild: Pair[] = [[10, 10], ...quiet.slice(1)];
    const withWild = sessionDetector([...wild, [5, 10], [5, 10]], [0, 0]);
    expect(withWild.statistic()).toBeCloseTo(sessionGlr([...wild, [5, 10], [5, 10]], o), 9);
    expect(withWild.statistic()).toBeGreaterThan(1.2 * sessionGlr([...wild, [5, 10], [5, 10]], o, Infinity));
  });

  it('the threshold is ln(3·m^{3/2}/δ) for the m sessions it reads (at least 2)', () => {
    const d = new SessionGlrDetector({ delta: 0.02 });
    expect(d.threshold()).toBeCloseTo(beta(2, 0.02), 12);
    const e = sessionDetector(
      Array.from({ length: 7 }, (): Pair => [0, 3]),
      [0, 2],
      { delta: 0.02 },
    );
    expect(e.threshold()).toBeCloseTo(beta(7, 0.02), 12);
    e.update(0);
    expect(e.count).toBe(8);
    expect(e.threshold()).toBeCloseTo(beta(8, 0.02), 12);
  });

  it('fires on the observation that takes the statistic past the threshold, then starts afresh', () => {
    const closed: Pair[] = Array.from({ length: 10 }, () => [0, 5]);
    const options = { minOpen: 1, delta: 0.01 };
    const d = sessionDetector(closed, [0, 0], options);
    const sessions = [...closed];
    let fired: number | undefined;
    // sessions of five surprises each after ten quiet ones
    for (let t = 0; t < 30 && fired === undefined; t++) {
      const open: Pair = [(t % 5) + 1, (t % 5) + 1];
      const all = [...sessions, open];
      const expected = sessionGlr(all, { ...SESSION_DEFAULTS, ...options }) > beta(all.length, 0.01);
      expect(d.update(1), `observation ${t}`).toBe(expected);
      if (expected) fired = t;
      else if (t % 5 === 4) {
        d.closeSession();
        sessions.push(open);
      }
    }
    expect(fired).toBeGreaterThan(4);
    expect(d.count).toBe(0);
    expect(d.toJSON()).toEqual(sessionDetector([], [0, 0], options).toJSON());
  });

  it('a fall, or a rise to under minMean, never counts', () => {
    const high: Pair[] = Array.from({ length: 8 }, () => [8, 10]);
    expect(sessionDetector([...high, [0, 10], [0, 10], [0, 10]], [0, 0]).statistic()).toBe(0);
    const low: Pair[] = Array.from({ length: 8 }, () => [0, 10]);
    const rise: Pair[] = [...low, [3, 10], [3, 10], [3, 10]];
    expect(sessionDetector(rise, [0, 0], { minMean: 0.3 }).statistic()).toBeGreaterThan(10);
    expect(sessionDetector(rise, [0, 0], { minMean: 0.31 }).statistic()).toBe(0);
  });

  it('needs minBefore + minAfter sessions', () => {
    const rise: Pair[] = [
      [0, 10],
      [0, 10],
      [0, 10],
      [10, 10],
      [10, 10],
    ];
    expect(sessionDetector(rise, [0, 0], { minBefore: 3 }).statistic()).toBeGreaterThan(0);
    expect(sessionDetector(rise, [0, 0], { minBefore: 4 }).statistic()).toBe(0);
    expect(sessionDetector(rise.slice(1), [10, 10], { minBefore: 3 }).statistic()).toBeGreaterThan(0);
    expect(sessionDetector(rise.slice(1), [2, 2], { minBefore: 3 }).statistic()).toBe(0);
    expect(sessionDetector(rise, [0, 0], { minBefore: 3, minAfter: 3 }).statistic()).toBe(0);
  });

  it('closes sessions, ignoring an empty one, and keeps the last maxSessions', () => {
    const d = new SessionGlrDetector({ maxSessions: 7, delta: 1e-12 });
    d.closeSession();
    expect(d.toJSON().sessions).toEqual([]);
    for (let s = 1; s <= 9; s++) {
      for (let i = 0; i < s; i++) d.update(i === 0 ? 1 : 0);
      d.closeSession();
      d.closeSession();
    }
    expect(d.toJSON().sessions).toEqual([1, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9]);
    expect(d.toJSON().open).toEqual([0, 0]);
    d.update(1);
    d.update(0.5);
    expect(d.count).toBe(7);
    expect(d.toJSON().open).toEqual([1.5, 2]);
    d.update(0);
    expect(d.count).toBe(8);
    d.reset();
    expect(d.toJSON()).toEqual(new SessionGlrDetector({ maxSessions: 7, delta: 1e-12 }).toJSON());
  });

  it('continues from a snapshot exactly', () => {
    const d = sessionDetector(
      [
        [0, 4],
        [1, 4],
        [0, 3],
      ],
      [1, 2],
      { minBefore: 2, minOpen: 2, delta: 0.3 },
    );
    const r = SessionGlrDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    expect(r.toJSON()).toEqual(d.toJSON());
    expect(r.toJSON().sessions).toEqual([0, 4, 1, 4, 0, 3]);
    expect(r.toJSON().open).toEqual([1, 2]);
    for (const x of [1, 1, 1, 1, 1]) expect(r.update(x)).toBe(d.update(x));
    expect(r.toJSON()).toEqual(d.toJSON());
  });

  it('refuses bad options, observations and snapshots', () => {
    const bad: Array<[object, RegExp]> = [
      [{ delta: 0 }, /^SessionGlrDetector: delta must be in \(0, 1\), got 0$/],
      [{ minBefore: 0 }, /^SessionGlrDetector: minBefore must be a whole number >= 1, got 0$/],
      [{ minAfter: 1 }, /^SessionGlrDetector: minAfter must be a whole number >= 2, got 1$/],
      [{ maxSessions: 6 }, /^SessionGlrDetector: maxSessions must be a whole number >= minBefore \+ minAfter, got 6$/],
      [{ maxSessions: 8.5 }, /maxSessions/],
      [{ minOpen: 0 }, /^SessionGlrDetector: minOpen must be a whole number >= 1, got 0$/],
      [{ minMean: -0.1 }, /^SessionGlrDetector: minMean must be in \[0, 1\], got -0.1$/],
      [{ minMean: 1.1 }, /minMean/],
      [{ minMean: Number.NaN }, /minMean/],
    ];
    for (const [options, message] of bad) {
      expect(codeOf(() => new SessionGlrDetector(options as never))).toBe('INVALID_OPTIONS');
      expect(messageOf(() => new SessionGlrDetector(options as never))).toMatch(message);
    }
    for (const options of [null, 5, 'x'])
      expect(refusalOf(() => new SessionGlrDetector(options as never))).toBe(
        'INVALID_OPTIONS SessionGlrDetector: options must be an object',
      );
    // the edges are allowed
    expect(new SessionGlrDetector({ maxSessions: 7, minMean: 1, minOpen: 1 }).count).toBe(0);
    expect(new SessionGlrDetector({ minMean: 0, minBefore: 1 }).count).toBe(0);

    const d = new SessionGlrDetector();
    d.update(1);
    for (const x of [-0.1, 1.1, Number.NaN]) {
      expect(codeOf(() => d.update(x))).toBe('INVALID_ARGUMENT');
      expect(messageOf(() => d.update(x))).toMatch(/^SessionGlrDetector\.update: x must be a number in \[0, 1\], got /);
    }
    expect(d.toJSON().open).toEqual([1, 1]);

    const good = sessionDetector([[1, 2]], [0, 0], { maxSessions: 8 }).toJSON();
    const snapshots: unknown[] = [
      null,
      { ...good, kind: 'glr' },
      { ...good, sessions: [1] },
      { ...good, sessions: [3, 2] },
      { ...good, sessions: [-1, 2] },
      { ...good, sessions: [0, 0] },
      { ...good, sessions: [0, 1.5] },
      { ...good, sessions: [Number.NaN, 2] },
      { ...good, sessions: [1, Number.POSITIVE_INFINITY] },
      { ...good, sessions: 'x' },
      { ...good, sessions: 'ab' },
      { ...good, sessions: Array(18).fill(1) },
      { ...good, open: [0] },
      { ...good, open: [0, 0, 0] },
      { ...good, open: [2, 1] },
      { ...good, open: [0, -1] },
      { ...good, open: 'x' },
      { ...good, minAfter: 1 },
    ];
    for (const json of snapshots) {
      expect(
        codeOf(() => SessionGlrDetector.fromJSON(json)),
        JSON.stringify(json),
      ).toBe('BAD_SNAPSHOT');
      expect(messageOf(() => SessionGlrDetector.fromJSON(json))).toMatch(/^SessionGlrDetector\.fromJSON: /);
    }
    expect(messageOf(() => SessionGlrDetector.fromJSON({ ...good, minAfter: 1 }))).toMatch(
      /^SessionGlrDetector\.fromJSON: bad options \(SessionGlrDetector: minAfter/,
    );
    // a full history, an empty open session and fractional sums are fine
    expect(SessionGlrDetector.fromJSON({ ...good, sessions: Array(16).fill(1) }).count).toBe(8);
    expect(SessionGlrDetector.fromJSON({ ...good, sessions: [0.5, 1, 1, 1], open: [0, 0] }).count).toBe(2);
  });
});
