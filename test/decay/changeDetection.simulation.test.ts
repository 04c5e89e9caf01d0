/**
 * The detectors' long seeded simulations: false-alarm rates on stationary streams (thousands of
 * observations each). They stay out of the mutation run's detectors area (stryker/detectors.config.mjs),
 * where every mutant would pay for them: changeDetection.unit.test.ts pins the statistics they rest on.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random/rng.js';
import {
  GlrChangeDetector,
  PageHinkleyDetector,
  SessionGlrDetector,
  type ChangeDetector,
} from '../../src/decay/changeDetection.js';

const SEED = 2024;
const SESSION_SEED = 2026;

function bernoulliStream(seed: number, segments: Array<[mean: number, length: number]>): number[] {
  const rng = createRng(seed, 'stream');
  return segments.flatMap(([mean, length]) => Array.from({ length }, () => (rng.next() < mean ? 1 : 0)));
}

/** Sessions of `size` Bernoulli draws; each session's rate is drawn around `mean` (over-dispersed when spread > 0). */
function sessions(seed: number, segments: Array<[mean: number, count: number]>, size: number, spread = 0): number[][] {
  const rng = createRng(seed, 'sessions');
  return segments.flatMap(([mean, count]) =>
    Array.from({ length: count }, () => {
      const p = Math.min(1, Math.max(0, mean + spread * (rng.next() * 2 - 1)));
      return Array.from({ length: size }, () => (rng.next() < p ? 1 : 0));
    }),
  );
}

/** Index of the session in which the detector first fires, or −1. */
function firstAlarm(detector: SessionGlrDetector, stream: number[][]): number {
  for (let s = 0; s < stream.length; s++) {
    for (const x of stream[s]!) if (detector.update(x)) return s;
    detector.closeSession();
  }
  return -1;
}

describe.each([
  { name: 'glr bernoulli', make: (): ChangeDetector => new GlrChangeDetector() },
  { name: 'glr gaussian', make: (): ChangeDetector => new GlrChangeDetector({ model: 'gaussian', sigma: 0.5 }) },
  { name: 'page-hinkley', make: (): ChangeDetector => new PageHinkleyDetector({ delta: 0.05, threshold: 15 }) },
])('change detector $name', ({ make }) => {
  console.log(`[change detection] seed ${SEED}`);
  it('rarely raises a false alarm on a stationary stream', () => {
    let alarms = 0;
    for (let s = 0; s < 10; s++) {
      const detector = make();
      for (const x of bernoulliStream(SEED + s, [[0.3, 1000]])) if (detector.update(x)) alarms += 1;
    }
    expect(alarms).toBeLessThanOrEqual(1);
  });
});

describe('SessionGlrDetector', () => {
  console.log(`[sessionGlr] seed ${SESSION_SEED}`);

  it('one odd session, however surprising, is not a change: the sessions after a split must agree', () => {
    for (let s = 0; s < 10; s++) {
      const stream = sessions(
        SESSION_SEED + s,
        [
          [0.05, 100],
          [1, 1],
          [0.05, 50],
        ],
        10,
      );
      expect(firstAlarm(new SessionGlrDetector(), stream), `stream ${s}`).toBe(-1);
    }
  });

  it('on over-dispersed stationary sessions it stays quiet where the per-event GLR does not', () => {
    // each session's rate is uniform on [0, 0.6]: sessions differ more than independent draws would
    let sessionAlarms = 0;
    let eventAlarms = 0;
    for (let s = 0; s < 20; s++) {
      const stream = sessions(SESSION_SEED + 100 + s, [[0.3, 365]], 10, 0.3);
      const d = new SessionGlrDetector({ delta: 0.001 });
      const e = new GlrChangeDetector({ delta: 0.001, maxHistory: 1200 });
      for (const session of stream) {
        for (const x of session) {
          if (d.update(x)) sessionAlarms++;
          if (e.update(x)) eventAlarms++;
        }
        d.closeSession();
      }
    }
    console.log(
      `[sessionGlr] 20 over-dispersed stationary years: ${sessionAlarms} alarms per session, ${eventAlarms} per event`,
    );
    expect(sessionAlarms).toBeLessThanOrEqual(1);
    expect(eventAlarms).toBeGreaterThan(sessionAlarms);
  });
});
