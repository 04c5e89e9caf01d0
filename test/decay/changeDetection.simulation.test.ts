/**
 * The detectors' long seeded simulations: false-alarm rates on stationary streams (thousands of
 * observations each). They stay out of the mutation run's detectors area (stryker/detectors.config.mjs),
 * where every mutant would pay for them: changeDetection.unit.test.ts pins the statistics they rest on.
 */
import { describe, expect, it } from 'vitest';
import {
  GlrChangeDetector,
  PageHinkleyDetector,
  SessionGlrDetector,
  type ChangeDetector,
} from '../../src/decay/changeDetection.js';
import { bernoulliStream, firstSessionAlarm as firstAlarm, sessions } from './streams.js';

const SEED = 2024;
const SESSION_SEED = 2026;

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
