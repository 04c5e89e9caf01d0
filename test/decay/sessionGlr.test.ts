/**
 * SessionGlrDetector: a one-sided Bernoulli GLR over sessions, divided by the
 * sessions' over-dispersion. Streams are seeded (SEED, printed); the
 * round-trip is a fast-check property.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionGlrDetector } from '../../src/decay/changeDetection.js';
import { firstSessionAlarm as firstAlarm, sessions } from './streams.js';

const SEED = 2026;

describe('SessionGlrDetector', () => {
  console.log(`[sessionGlr] seed ${SEED}`);

  it('detects a rise of the surprise rate within four sessions of ten, mostly while the second is under way', () => {
    const alarms = Array.from({ length: 10 }, (_, s) =>
      firstAlarm(
        new SessionGlrDetector({ minMean: 0.4 }),
        sessions(
          SEED + s,
          [
            [0.05, 100],
            [0.7, 10],
          ],
          10,
        ),
      ),
    );
    for (const a of alarms) expect(a >= 101 && a <= 103, `alarms ${alarms.join(',')}`).toBe(true);
    expect(alarms.filter((a) => a === 101).length).toBeGreaterThanOrEqual(8);
  });

  it('is one-sided: a fall, or a rise that stays under minMean, is no change', () => {
    expect(
      firstAlarm(
        new SessionGlrDetector(),
        sessions(
          SEED,
          [
            [0.7, 100],
            [0.05, 50],
          ],
          10,
        ),
      ),
    ).toBe(-1);
    expect(
      firstAlarm(
        new SessionGlrDetector({ minMean: 0.4 }),
        sessions(
          SEED,
          [
            [0.02, 100],
            [0.15, 50],
          ],
          10,
        ),
      ),
    ).toBe(-1);
  });

  it('keeps at most maxSessions closed sessions, and an empty session is not one', () => {
    const d = new SessionGlrDetector({ maxSessions: 8 });
    for (let s = 0; s < 20; s++) {
      d.update(0);
      d.closeSession();
      d.closeSession();
    }
    expect(d.count).toBe(8);
    d.update(1);
    d.update(1);
    expect(d.count).toBe(8); // the open session takes part from its third observation (minOpen)
    d.update(1);
    expect(d.count).toBe(9);
  });

  it('continues identically after toJSON → fromJSON (through JSON text)', () => {
    const session = fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(fc.array(session, { maxLength: 60 }), fc.array(session, { maxLength: 30 }), (before, after) => {
        const a = new SessionGlrDetector({ maxSessions: 40, minMean: 0.3 });
        const feed = (d: SessionGlrDetector, stream: number[][]) =>
          stream.flatMap((s) => {
            const out = s.map((x) => d.update(x));
            d.closeSession();
            return out;
          });
        feed(a, before);
        const b = SessionGlrDetector.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
        expect(b.toJSON()).toEqual(a.toJSON());
        expect(feed(b, after)).toEqual(feed(a, after));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses bad options, observations and snapshots with stable codes', () => {
    expect(() => new SessionGlrDetector({ delta: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => new SessionGlrDetector({ minAfter: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => new SessionGlrDetector({ maxSessions: 3 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/^SessionGlrDetector: maxSessions/),
      }),
    );
    expect(() => new SessionGlrDetector().update(1.5)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/^SessionGlrDetector.update: /),
      }),
    );
    const good = new SessionGlrDetector().toJSON();
    expect(() => SessionGlrDetector.fromJSON({ ...good, sessions: [3, 2] })).toThrow(
      expect.objectContaining({ code: 'BAD_SNAPSHOT' }),
    );
    expect(() => SessionGlrDetector.fromJSON({ ...good, open: [0] })).toThrow(
      expect.objectContaining({ code: 'BAD_SNAPSHOT' }),
    );
    expect(() => SessionGlrDetector.fromJSON({ ...good, kind: 'glr' })).toThrow(
      expect.objectContaining({ code: 'BAD_SNAPSHOT' }),
    );
    expect(() => SessionGlrDetector.fromJSON({ ...good, delta: -1 })).toThrow(
      expect.objectContaining({ code: 'BAD_SNAPSHOT' }),
    );
  });
});
