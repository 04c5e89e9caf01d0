import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GlrChangeDetector,
  PageHinkleyDetector,
  changeDetectorFromJSON,
  type ChangeDetector,
} from '../../src/decay/changeDetection.js';
import { bernoulliStream } from './streams.js';

const SEED = 2024;

function firstAlarm(detector: ChangeDetector, stream: number[]): number {
  for (let t = 0; t < stream.length; t++) if (detector.update(stream[t]!)) return t;
  return -1;
}

describe.each([
  { name: 'glr bernoulli', make: () => new GlrChangeDetector() },
  { name: 'glr gaussian', make: () => new GlrChangeDetector({ model: 'gaussian', sigma: 0.5 }) },
  { name: 'page-hinkley', make: () => new PageHinkleyDetector({ delta: 0.05, threshold: 15 }) },
])('change detector $name', ({ make }) => {
  it('detects a jump of a Bernoulli mean soon after it happens', () => {
    console.log(`[change detection] seed ${SEED}`);
    const stream = bernoulliStream(SEED, [
      [0.2, 500],
      [0.8, 500],
    ]);
    const alarm = firstAlarm(make(), stream);
    expect(alarm).toBeGreaterThanOrEqual(500);
    expect(alarm).toBeLessThan(560);
  });

  it('continues identically after toJSON → fromJSON, and reset forgets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 1), { maxLength: 200 }),
        fc.array(fc.constantFrom(0, 1), { maxLength: 200 }),
        (before, after) => {
          const a = make();
          before.forEach((x) => a.update(x));
          const b = changeDetectorFromJSON(JSON.parse(JSON.stringify(a.toJSON())));
          expect(b.toJSON()).toEqual(a.toJSON());
          expect(after.map((x) => b.update(x))).toEqual(after.map((x) => a.update(x)));
          a.reset();
          expect(a.count).toBe(0);
          expect(a.toJSON()).toEqual(make().toJSON());
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('change detector input', () => {
  it('refuses bad options, observations and snapshots with stable codes', () => {
    expect(() => new GlrChangeDetector({ delta: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => new PageHinkleyDetector({ threshold: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    const glr = new GlrChangeDetector();
    expect(() => glr.update(2)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/^GlrChangeDetector.update: /),
      }),
    );
    expect(() => new PageHinkleyDetector().update(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(glr.count).toBe(0);
    expect(() => changeDetectorFromJSON({ kind: 'glr', values: [3] })).toThrow(
      expect.objectContaining({ code: 'BAD_SNAPSHOT' }),
    );
    expect(() => changeDetectorFromJSON({ kind: 'x' })).toThrow(expect.objectContaining({ code: 'BAD_SNAPSHOT' }));
  });

  it('a smaller delta (false-alarm level) makes the GLR test slower to fire', () => {
    const stream = bernoulliStream(SEED, [
      [0.3, 400],
      [0.6, 400],
    ]);
    const loose = firstAlarm(new GlrChangeDetector({ delta: 0.2 }), stream);
    const strict = firstAlarm(new GlrChangeDetector({ delta: 1e-6 }), stream);
    expect(loose).toBeGreaterThan(0);
    expect(strict === -1 || strict >= loose).toBe(true);
  });

  it('GLR: the thinned split grid never raises the statistic above the full scan and stays close to it', () => {
    const stream = bernoulliStream(SEED, [
      [0.3, 900],
      [0.6, 300],
    ]);
    const full = (values: number[]): number => {
      const n = values.length;
      const total = values.reduce((a, b) => a + b, 0);
      const kl = (p: number, q: number) => {
        const c = (v: number) => Math.min(Math.max(v, 1e-12), 1 - 1e-12);
        return c(p) * Math.log(c(p) / c(q)) + (1 - c(p)) * Math.log((1 - c(p)) / (1 - c(q)));
      };
      let best = 0;
      let head = 0;
      for (let s = 1; s < n; s++) {
        head += values[s - 1]!;
        if (s < 5 || n - s < 5) continue;
        best = Math.max(best, s * kl(head / s, total / n) + (n - s) * kl((total - head) / (n - s), total / n));
      }
      return best;
    };
    const detector = new GlrChangeDetector({ delta: 1e-12 });
    for (const x of stream.slice(0, 940)) detector.update(x);
    const window = (detector.toJSON() as { values: number[] }).values;
    expect(window.length).toBeGreaterThan(500);
    const thinned = detector.statistic();
    expect(thinned).toBeLessThanOrEqual(full(window) + 1e-9);
    expect(thinned).toBeGreaterThan(0.8 * full(window));
  });
});
