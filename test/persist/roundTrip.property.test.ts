/**
 * What is accepted can be snapshotted and restored (issue 26): for every
 * state the public API reaches — feedback of every kind with contexts and
 * stations, undo, preferences, opt-out, erasure, stations, training,
 * imported factors, new items, under options such as `tiredDays: Infinity`
 * — `restoreRecommender(snapshot(x))` is accepted and gives the same
 * snapshot byte for byte, and serves the same lists. The same holds for
 * every state a restore accepts: a version 1 snapshot migrated, and (in
 * snapshot.fuzz.test.ts) any mutated snapshot that restore lets through.
 * Seeds are printed by vitest.setup.ts (replay with FC_SEED).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender, type Recommender } from '../../src/index.js';
import { applyOp, opArb, opClock, opsCatalog, optionsArb, OP_USERS, type OpClock } from '../__helpers__/operations.js';

/** restore(snapshot(x)) is accepted, byte-identical, and serves x's next list. */
function roundTrips(rec: Recommender, clock: OpClock): void {
  const text = JSON.stringify(rec.snapshot());
  const back = restoreRecommender(JSON.parse(text), { now: clock.now });
  expect(JSON.stringify(back.snapshot())).toBe(text);
  for (const user of OP_USERS)
    expect(JSON.stringify(back.recommend(user, { count: 4 }))).toBe(JSON.stringify(rec.recommend(user, { count: 4 })));
}

describe('restore(snapshot(x)) round-trips for every state the public API reaches', () => {
  it('after every call of a random sequence, under varied options', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(opArb(8), { minLength: 1, maxLength: 25 }), (options, ops) => {
        const clock = opClock();
        const rec = createRecommender({ ...options, items: opsCatalog(8), now: clock.now });
        for (const op of ops) {
          const before = JSON.stringify(rec.snapshot());
          const result = applyOp(rec, op, clock);
          // A refused call changes nothing.
          if (result !== null && typeof result === 'object' && 'error' in result)
            expect(JSON.stringify(rec.snapshot()), `${op.kind} refused with ${String(result.error)}`).toBe(before);
          const text = JSON.stringify(rec.snapshot());
          expect(JSON.stringify(restoreRecommender(JSON.parse(text), { now: clock.now }).snapshot())).toBe(text);
        }
        roundTrips(rec, clock);
      }),
      { numRuns: 120 },
    );
  });

  it('after a version 1 snapshot is migrated', () => {
    const v1Arb = fc.record({
      optOut: fc.boolean(),
      draws: fc.nat(5),
      changes: fc.array(fc.record({ gap: fc.nat(1000), kept: fc.double({ min: 0, max: 1, noNaN: true }) }), {
        maxLength: 2,
      }),
      events: fc.array(
        fc.record({
          item: fc.nat(7),
          signal: fc.constantFrom('up', 'down', 'tired', 'skip', 'play', 'purchase'),
          gap: fc.nat(60 * 24 * 30),
          weight: fc.double({ min: 0.01, max: 100, noNaN: true }),
          hour: fc.option(fc.nat(23), { nil: undefined }),
        }),
        { maxLength: 20 },
      ),
      tiredDays: fc.constantFrom(30, 'Infinity'),
    });
    fc.assert(
      fc.property(v1Arb, (v) => {
        const items = opsCatalog(8);
        let t = 1_767_225_600_000;
        const snap = {
          format: 'attune.snapshot',
          version: 1,
          options: {
            seed: 1,
            halfLifeDays: 90,
            tiredDays: v.tiredDays,
            holdBackDays: 14,
            holdBackFacets: ['category'],
            implicitQuoteDelayMinutes: 180,
            exploration: 0.3,
            propensitySamples: 50,
            facetCaps: { artist: 2 },
            maxTagShare: 0.7,
            mmrLambda: 1,
            protectedAttributes: ['gender'],
            poolSize: 200,
            lifeStages: true,
            collaborative: { factors: 2, iterations: 2 },
          },
          items,
          users: [
            {
              id: 'ann',
              optOut: v.optOut,
              consent: ['health'],
              mutedTags: [],
              draws: v.draws,
              changes: v.changes.map((c) => ({ at: t + c.gap * 60_000, cause: 'requested', kept: c.kept })),
            },
          ],
          events: v.optOut
            ? []
            : v.events.map((e) => {
                t += e.gap * 60_000;
                return [0, e.item, e.signal, t, e.weight, ...(e.hour !== undefined ? [{ hour: e.hour }] : [])];
              }),
        };
        const clock = { now: () => t + 1 };
        const migrated = restoreRecommender(snap, clock);
        const text = JSON.stringify(migrated.snapshot());
        expect(JSON.stringify(restoreRecommender(JSON.parse(text), clock).snapshot())).toBe(text);
        expect(typeof migrated.profile('ann').text).toBe('string');
      }),
      { numRuns: 100 },
    );
  });
});
