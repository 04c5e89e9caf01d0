/**
 * Laws of decay and life stages, over random inputs (fast-check; the seed
 * is printed by vitest.setup.ts):
 *
 * - the change detector rarely fires on listeners whose taste never changes;
 * - the order in which two users' events interleave does not matter to
 *   either user;
 * - with no new events, a tag's evidence halves every half-life and its
 *   weight fades towards 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index.js';
import type { FeedbackEvent, Item, Signal } from '../../src/index.js';
import { createListener, generateCatalog, simulateListening } from '../../src/eval/index.js';
import { musicCatalog } from '../__helpers__/catalog.js';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import { DAY_MS, DECAY_FLOOR } from '../../src/decay/decay.js';
import type { PeopleStore } from '../../src/people/store.js';

const T0 = Date.UTC(2024, 0, 1, 20);

// ---------------------------------------------------------------- false alarms

/**
 * The bound: at most one detected change per three listener-years on
 * listeners whose taste never changes.
 *
 * Why: a detection fades what attune knew about a person to a hint and
 * doubles exploration for two weeks, so someone whose taste is steady should
 * meet it at most once every few years. The detector is a one-sided
 * Bernoulli GLR over sessions at δ = 0.001, divided by the sessions'
 * over-dispersion (SessionGlrDetector); a user's surprise stream is still
 * not stationary (the model learns, songs go to rest when the listener tires
 * of them, exploration varies), so the bound leaves room for that.
 * `npm run bench:decay` measures the rate over stable listener-years of
 * every listener kind; a detector that alarmed about once a year would fail
 * here.
 */
const MAX_FALSE_ALARMS_PER_YEAR = 1 / 3;
const DAYS = 240;
const LISTENERS = 6;
const GENRES = ['jazz', 'rock', 'classical', 'hip-hop', 'electronic', 'folk'] as const;

const stationaryListener = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  favourite: fc.integer({ min: 0, max: GENRES.length - 1 }),
  favouriteAffinity: fc.double({ min: 0.6, max: 1, noNaN: true }),
  others: fc.array(fc.double({ min: -1, max: 0.6, noNaN: true }), {
    minLength: GENRES.length,
    maxLength: GENRES.length,
  }),
  warmth: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
  noise: fc.double({ min: 0.05, max: 0.35, noNaN: true }),
  thumbsRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
  // sparse listeners (the first 3 or 5 songs only) and slips (random reactions) included
  reactsTo: fc.constantFrom(3, 5, 10),
  slipRate: fc.constantFrom(0, 0.05, 0.1),
});

describe('life-stage detector on stationary listeners', () => {
  it(`stays under ${MAX_FALSE_ALARMS_PER_YEAR.toFixed(2)} false alarms per listener-year (random steady tastes, ${DAYS} daily sessions each)`, () => {
    let alarms = 0;
    let runs = 0;
    const seen: string[] = [];
    fc.assert(
      fc.property(stationaryListener, (l) => {
        const catalog = generateCatalog({ seed: l.seed, genres: GENRES.length, itemsPerGenre: 40, artistsPerGenre: 6 });
        const taste: Record<string, number> = { 'mood:warm': l.warmth };
        GENRES.forEach((g, i) => (taste[`genre:${g}`] = i === l.favourite ? l.favouriteAffinity : l.others[i]!));
        let now = T0;
        const recommender = createRecommender({ items: catalog, seed: l.seed, propensitySamples: 1, now: () => now });
        const listener = createListener({
          id: 'steady',
          seed: l.seed,
          catalog,
          taste,
          noise: l.noise,
          thumbsRate: l.thumbsRate,
          reactsTo: l.reactsTo,
          slipRate: l.slipRate,
        });
        simulateListening({ recommender, listeners: [listener], sessions: DAYS, start: T0, clock: (at) => (now = at) });
        const detected = recommender.profile('steady').changes.filter((c) => c.cause === 'detected');
        alarms += detected.length;
        runs++;
        seen.push(`${l.seed}:${detected.length}`);
        // no single steady listener should see two in under a year
        expect(
          detected.length,
          `listener seed ${l.seed}, days ${detected.map((c) => Math.round((c.at - T0) / DAY_MS)).join(', ')}`,
        ).toBeLessThanOrEqual(1);
      }),
      {
        numRuns: LISTENERS,
        examples: [
          // Found by CI: a weak favourite (folk 0.6) and a dislike of warm songs (−0.37). When the
          // non-warm favourites rested, the lists filled with warm folk songs that the tags
          // predicted well and the listener skipped again and again, twice passing for a new
          // life stage, until surprise also asked what the listener did with the song before.
          [
            {
              seed: 1,
              favourite: 5,
              favouriteAffinity: 0.6,
              others: [0, 0, 0, 0, 0, 0],
              warmth: -0.36911398021805525,
              noise: 0.05,
              thumbsRate: 0,
              reactsTo: 10,
              slipRate: 0,
            },
          ],
        ],
      },
    );
    const years = (runs * DAYS) / 365; // the example and the random listeners
    console.log(
      `[lifeStages.property] listener seed:false alarms ${seen.join(' ')} → ${alarms} in ${years.toFixed(1)} listener-years`,
    );
    expect(alarms).toBeLessThanOrEqual(Math.floor(years * MAX_FALSE_ALARMS_PER_YEAR));
  });
});

// ---------------------------------------------------------------- order of unrelated users

const ITEMS: Item[] = musicCatalog(6, ['jazz', 'rock', 'folk', 'soul']);
const SIGNALS_USED: Signal[] = ['up', 'down', 'skip', 'play', 'tired', 'purchase'];

/** One user's events: increasing times over about two years, random signals. */
function streamArb(user: string): fc.Arbitrary<FeedbackEvent[]> {
  return fc
    .array(
      fc.record({
        item: fc.constantFrom(...ITEMS.map((i) => i.id)),
        signal: fc.constantFrom(...SIGNALS_USED),
        gapHours: fc.integer({ min: 0, max: 24 * 40 }),
        hour: fc.integer({ min: 0, max: 23 }),
      }),
      { minLength: 1, maxLength: 40 },
    )
    .map((raw) => {
      let t = T0;
      return raw.map(
        ({ item, signal, gapHours, hour }) => (
          (t += gapHours * 3_600_000),
          { user, item, signal, at: t, context: { hour } }
        ),
      );
    });
}

/** Merges two streams, keeping each one's order: `picks[k]` says whether the k-th event comes from `a`. */
function interleave(
  a: readonly FeedbackEvent[],
  b: readonly FeedbackEvent[],
  picks: readonly boolean[],
): FeedbackEvent[] {
  const out: FeedbackEvent[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; i < a.length || j < b.length; k++) {
    const fromA = j >= b.length || (i < a.length && (picks[k % Math.max(1, picks.length)] ?? true));
    out.push(fromA ? a[i++]! : b[j++]!);
  }
  return out;
}

/** Deep equality with numbers equal up to `tol` (relative to their size, at least absolute `tol`). */
function expectClose(actual: unknown, expected: unknown, path: string, tol = 1e-9): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isFinite(expected))
      expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(expected)),
      );
    else expect(actual, path).toBe(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((x, i) => expectClose((actual as unknown[])[i], x, `${path}[${i}]`, tol));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object', path).toBe(true);
    expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`, tol);
    return;
  }
  expect(actual, path).toEqual(expected);
}

const orders = fc.record({
  ann: streamArb('ann'),
  bob: streamArb('bob'),
  first: fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }),
  second: fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  halfLifeDays: fc.constantFrom(7, 30, 90, Infinity),
  batched: fc.boolean(),
  train: fc.boolean(),
});

describe('order of unrelated users’ events', () => {
  it('does not change either user’s profile, reasons or lists', () => {
    fc.assert(
      fc.property(orders, ({ ann, bob, first, second, seed, halfLifeDays, batched, train }) => {
        const end = Math.max(ann[ann.length - 1]!.at!, bob[bob.length - 1]!.at!) + DAY_MS;
        const build = (events: FeedbackEvent[]) => {
          const rec = createRecommender({ items: ITEMS, seed, halfLifeDays, now: () => end });
          if (batched) rec.feedback(events);
          else for (const e of events) rec.feedback(e);
          if (train) rec.train();
          return rec;
        };
        const one = build(interleave(ann, bob, first));
        const two = build(interleave(bob, ann, second));
        for (const user of ['ann', 'bob']) {
          expectClose(two.profile(user), one.profile(user), `profile(${user})`);
          for (const item of ITEMS)
            expectClose(
              two.explain(user, item.id, { at: end }),
              one.explain(user, item.id, { at: end }),
              `explain(${user}, ${item.id})`,
            );
          for (const includeSeen of [false, true]) {
            const a = one.recommend(user, { count: 8, at: end, includeSeen });
            const b = two.recommend(user, { count: 8, at: end, includeSeen });
            expect(
              b.map((r) => r.item),
              `recommend(${user}) items`,
            ).toEqual(a.map((r) => r.item));
            expectClose(
              b.map((r) => ({ score: r.score, reason: r.reason, explored: r.explored })),
              a.map((r) => ({ score: r.score, reason: r.reason, explored: r.explored })),
              `recommend(${user})`,
            );
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------- halving

describe('half-life of a tag weight', () => {
  it('its evidence halves every half-life of the person’s own time: silence counts up to DEFAULT_PAUSE_DAYS, then stands still (to 1e-9 relative), and the weight fades towards 0 keeping its sign', () => {
    fc.assert(
      fc.property(
        streamArb('ann'),
        fc.double({ min: 0.5, max: 2000, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 0, max: 400, noNaN: true }),
        (events, halfLifeDays, lifeStages, restDays) => {
          const clock = { t: events[events.length - 1]!.at! };
          const rec = createRecommender({ items: ITEMS, seed: 1, halfLifeDays, lifeStages, now: () => clock.t });
          rec.feedback(events);
          const person = (rec as unknown as { world: { people: PeopleStore } }).world.people.get('ann');
          // Her evidence at her latest event (the clock's wall), and the days of silence counted since.
          const latest = person === undefined || person.clock.wall === -Infinity ? clock.t : person.clock.wall;
          // Her own time at wall time `at` (ms), as the decay reads it.
          const own = (at: number) => latest + Math.min(at - latest, DEFAULT_PAUSE_DAYS * DAY_MS);
          clock.t += restDays * DAY_MS;
          const startAt = clock.t;
          const start = rec.profile('ann');
          const atStart = new Map([...start.likedTags, ...start.dislikedTags].map((a) => [a.tag, a]));
          let previous = atStart;
          for (let k = 1; k <= 3; k++) {
            clock.t += halfLifeDays * DAY_MS;
            const later = rec.profile('ann');
            // Halvings since `start`: her own time moved by what of the silence is counted.
            const halvings = (own(clock.t) - own(startAt)) / (halfLifeDays * DAY_MS);
            // Within 1000× of DECAY_FLOOR a value may already be flushed to 0 (decades of decay never reach denormals).
            const halves = (now: number, then: number) =>
              then < 1e3 * DECAY_FLOOR
                ? now === 0 || Math.abs(now - then) <= 1e-9 * then
                : Math.abs(now - then) <= 1e-9 * then;
            expect(
              halves(later.evidence.weight, start.evidence.weight / 2 ** halvings),
              `evidence after ${k} half-lives of silence (${halvings} of her own time)`,
            ).toBe(true);
            for (const affinity of [...later.likedTags, ...later.dislikedTags]) {
              const a0 = atStart.get(affinity.tag);
              if (a0 === undefined) continue; // a tag can enter the top ten as others fade
              const expected = a0!.evidence / 2 ** halvings;
              expect(
                halves(affinity.evidence, expected),
                `${affinity.tag} after ${k} half-lives: ${affinity.evidence} vs ${expected}`,
              ).toBe(true);
              expect(Math.sign(affinity.weight)).toBe(Math.sign(a0!.weight));
              expect(Math.abs(affinity.weight)).toBeLessThanOrEqual(
                Math.abs(previous.get(affinity.tag)?.weight ?? Infinity) * (1 + 1e-12),
              );
            }
            previous = new Map([...later.likedTags, ...later.dislikedTags].map((a) => [a.tag, a]));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
