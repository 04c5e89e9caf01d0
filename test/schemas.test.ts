/**
 * The exported JSON Schemas agree with attune's own validation on shape
 * (fast-check; seed printed by vitest.setup.ts): compiled by Ajv (as
 * Fastify does), a schema accepts an event or request options exactly
 * when attune refuses it for no shape reason (INVALID_EVENT /
 * INVALID_ARGUMENT); what only attune can know — the catalog, stations,
 * protected keys — it leaves to attune. And every error code has a status.
 */
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AttuneError,
  createRecommender,
  feedbackEventSchema,
  HTTP_STATUS,
  httpStatusOf,
  recommendOptionsSchema,
  SIGNALS,
  type AttuneErrorCode,
} from '../src/index.js';

const ajv = new Ajv({ strict: true });
const eventValid = ajv.compile(feedbackEventSchema);
const optionsValid = ajv.compile(recommendOptionsSchema);
const T = Date.UTC(2026, 0, 1);
const SHAPE: readonly AttuneErrorCode[] = ['INVALID_EVENT', 'INVALID_ARGUMENT'];

/** A field that is sometimes missing, sometimes one of the values given. */
const maybe = <T>(...values: T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });

const contextArb = maybe<unknown>({ hour: 8 }, { device: 'tv', live: true }, {}, { hour: null }, [], 'x', { n: 1.5 });
const eventArb = fc
  .record({
    user: maybe<unknown>('ann', '', 5),
    item: maybe<unknown>('a', '', 7),
    signal: maybe<unknown>(...SIGNALS, 'love', ''),
    at: maybe<unknown>(T, 5, 1e16, 'x', 1.5e12),
    weight: maybe<unknown>(1, 0.25, 0, -1, 2e6, '2', 1e6),
    context: contextArb,
    station: maybe<unknown>('', 'radio', 3),
    extra: maybe<unknown>(1),
  })
  .map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));

const optionsArb = fc
  .record({
    count: maybe<unknown>(1, 10, 1000, 0, 1001, 2.5, '3'),
    at: maybe<unknown>(T, 5, 'x'),
    context: contextArb,
    exclude: maybe<unknown>([], ['a'], [1], 'a'),
    includeSeen: maybe<unknown>(true, false, 1),
    station: maybe<unknown>('', 3),
    extra: maybe<unknown>(1),
  })
  .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

/** The code attune refuses `call` with, or undefined when it accepts. */
function refusal(call: () => unknown): AttuneErrorCode | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    if (!(error instanceof AttuneError)) throw error;
    return error.code;
  }
}

describe('JSON Schemas of the HTTP edge', () => {
  it('feedbackEventSchema accepts an event exactly when attune finds nothing wrong with its shape', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const rec = createRecommender({ items: [{ id: 'a', tags: ['genre:jazz'] }], now: () => T });
        const code = refusal(() => rec.feedback(event as never));
        expect(eventValid(event), `${JSON.stringify(event)}: ${code}`).toBe(
          code === undefined || !SHAPE.includes(code),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('recommendOptionsSchema accepts options exactly when attune finds nothing wrong with their shape', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        const rec = createRecommender({ items: [{ id: 'a', tags: ['genre:jazz'] }], now: () => T });
        const code = refusal(() => rec.recommend('ann', options as never));
        expect(optionsValid(options), `${JSON.stringify(options)}: ${code}`).toBe(
          code === undefined || !SHAPE.includes(code),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('lists the signals, and maps every error code to a status', () => {
    expect(SIGNALS).toEqual(['up', 'down', 'tired', 'skip', 'play', 'purchase']);
    expect(Object.isFrozen(SIGNALS)).toBe(true);
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
      expect(httpStatusOf(new AttuneError(code as AttuneErrorCode, 'x'))).toBe(status);
      expect(status >= 400 && status < 600).toBe(true);
    }
    expect(httpStatusOf(new AttuneError('UNKNOWN_ITEM', 'x'))).toBe(404);
    expect(httpStatusOf(new AttuneError('PROTECTED_ATTRIBUTE', 'x'))).toBe(400);
    expect(httpStatusOf(new Error('boom'))).toBe(500);
    expect(httpStatusOf('not even an error')).toBe(500);
  });
});
