/**
 * Absence is not forgetting: a person's evidence ages on their own time
 * (Decay.personTime), so silence past a month moves only the popularity
 * part of their scores, and a listener who comes back after a year finds their taste as
 * they left it — their first thumb back adds to it instead of replacing it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import { DAY_MS, Decay, newClock } from '../../src/decay/decay.js';
import { createRecommender, type ExplainedRecommendation, type FeedbackEvent } from '../../src/index.js';
import { GENRES, musicCatalog, T0 } from '../__helpers__/catalog.js';

const YEAR = 365 * DAY_MS;

describe('a person’s own clock', () => {
  it('counts a pause as at most the counted span, whether they come back or are only read', () => {
    const decay = Decay.ofDays(90, 30);
    const clock = newClock();
    expect(decay.observe(clock, T0)).toBe(T0);
    expect(decay.observe(clock, T0 + 3_600_000)).toBe(T0 + 3_600_000);
    // Within the counted span the person's time runs with the wall clock.
    expect(decay.personNow(clock, T0 + 10 * DAY_MS)).toBe(T0 + 10 * DAY_MS);
    // A year later: read, or given an event, 30 days after the latest event.
    expect(decay.personNow(clock, T0 + YEAR)).toBe(T0 + 3_600_000 + 30 * DAY_MS);
    expect(decay.observe(clock, T0 + YEAR)).toBe(T0 + 3_600_000 + 30 * DAY_MS);
    expect(clock).toEqual({ wall: T0 + YEAR, active: T0 + 3_600_000 + 30 * DAY_MS });
    // An event that arrives late is placed its full wall distance before the latest: never younger.
    expect(decay.personTime(clock, T0 + YEAR - 40 * DAY_MS)).toBe(T0 + 3_600_000 - 10 * DAY_MS);
    expect(decay.observe(clock, T0 + YEAR - 40 * DAY_MS)).toBe(T0 + 3_600_000 - 10 * DAY_MS);
    expect(clock.wall).toBe(T0 + YEAR);
    // Without a counted span (Infinity), a person's time is the wall clock.
    const wall = Decay.ofDays(90);
    const c2 = newClock();
    wall.observe(c2, T0);
    expect(wall.personNow(c2, T0 + YEAR)).toBe(T0 + YEAR);
  });
});

/** The content, context and collaborative parts of every item a person could be shown, at time `at`. */
function personalParts(rec: ReturnType<typeof createRecommender>, user: string, at: number) {
  const list = rec.recommend(user, { count: 1000, includeSeen: true, at });
  return new Map(list.map((r: ExplainedRecommendation) => [r.item, r.contributions]));
}

describe('silence moves only the popularity part', () => {
  it('after a year without feedback, a person’s taste, context and collaborative parts are those a counted span after their last event, and within a tenth of those right after it', () => {
    let worst = 0;
    const items = musicCatalog(6, GENRES.slice(0, 5));
    const signals = ['up', 'down', 'play', 'skip', 'up', 'play'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            user: fc.constantFrom('me', 'u1', 'u2', 'u3'),
            item: fc.integer({ min: 0, max: items.length - 1 }),
            signal: fc.constantFrom(...signals),
            gap: fc.integer({ min: 0, max: 40 * DAY_MS }),
            hour: fc.integer({ min: 0, max: 23 }),
          }),
          { minLength: 5, maxLength: 40 },
        ),
        fc.integer({ min: 2, max: 8 }),
        (history, halfLives) => {
          const clock = { t: T0 };
          const rec = createRecommender({ items, seed: 1, now: () => clock.t, exploration: 0, halfLifeDays: 30 });
          const events: FeedbackEvent[] = [];
          for (const h of history) {
            clock.t += h.gap;
            events.push({
              user: h.user,
              item: items[h.item]!.id,
              signal: h.signal,
              at: clock.t,
              context: { hour: h.hour },
            });
          }
          events.push({ user: 'me', item: items[0]!.id, signal: 'up', at: clock.t });
          rec.feedback(events);
          rec.train();
          // Past the counted span (pauseDays, default DEFAULT_PAUSE_DAYS), silence ages nothing of the person's.
          const after = personalParts(rec, 'me', clock.t + DEFAULT_PAUSE_DAYS * DAY_MS);
          const later = personalParts(rec, 'me', clock.t + (DEFAULT_PAUSE_DAYS + halfLives * 30) * DAY_MS);
          for (const [item, c] of after) {
            const l = later.get(item)!;
            for (const part of ['content', 'context', 'collaborative'] as const)
              expect(Math.abs(l[part] - c[part])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c[part])));
          }
          // Within the span their evidence fades as it would while they listen: with the default half-life
          // a year away moves these parts by at most a tenth of their size right after the last event.
          const defaults = createRecommender({ items, seed: 1, now: () => clock.t, exploration: 0 });
          defaults.feedback(events);
          defaults.train();
          const justAfter = personalParts(defaults, 'me', clock.t + 1);
          const yearOn = personalParts(defaults, 'me', clock.t + YEAR);
          for (const part of ['content', 'context', 'collaborative'] as const) {
            let moved = 0;
            let size = 0;
            for (const [item, c] of justAfter) {
              moved += Math.abs(yearOn.get(item)![part] - c[part]);
              size += Math.abs(c[part]);
            }
            worst = Math.max(worst, size > 0 ? moved / size : 0);
            expect(moved).toBeLessThanOrEqual(0.1 * size + 1e-12);
          }
        },
      ),
      { numRuns: 25 },
    );
    console.log(
      `[absence] a year away moved a person's own parts by at most ${(100 * worst).toFixed(1)} % (bound 10 %)`,
    );
  });
});

describe('a returning listener', () => {
  /** 40 listeners of every genre, and Ann, who likes jazz: 30 ups over a month. */
  function world() {
    const items = musicCatalog(20, GENRES.slice(0, 6));
    const clock = { t: T0 };
    const rec = createRecommender({ items, seed: 5, now: () => clock.t });
    const others: FeedbackEvent[] = [];
    for (let u = 0; u < 40; u++)
      for (let k = 0; k < 12; k++) {
        const genre = GENRES[(u + k) % 6]!;
        others.push({ user: `u${u}`, item: `${genre}-${(u * 7 + k * 3) % 20}`, signal: 'up', at: T0 + k * DAY_MS });
      }
    rec.feedback(others);
    for (let i = 0; i < 30; i++) {
      clock.t = T0 + i * DAY_MS;
      rec.feedback({ user: 'ann', item: `jazz-${i % 20}`, signal: i < 20 ? 'up' : 'play', at: clock.t });
    }
    rec.train();
    return { rec, clock };
  }
  const jazzShare = (list: { item: string }[]) => list.filter((r) => r.item.startsWith('jazz-')).length / list.length;

  it('keeps her jazz after a silent year, and one rock thumb adds to it instead of erasing it', () => {
    const { rec, clock } = world();
    const before = jazzShare(rec.recommend('ann', { count: 10, includeSeen: true }));
    clock.t += YEAR;
    const afterYear = jazzShare(rec.recommend('ann', { count: 10, includeSeen: true }));
    // A reason does not call the year-old evidence recent.
    for (const r of rec.recommend('ann', { count: 10 })) expect(r.reason.text).not.toMatch(/have been enjoying/);
    rec.feedback({ user: 'ann', item: 'rock-3', signal: 'up' });
    const afterThumb = jazzShare(rec.recommend('ann', { count: 10, includeSeen: true }));
    console.log(
      `[returning listener] jazz share ${before} -> after a year ${afterYear} -> after one rock up ${afterThumb}`,
    );
    expect(before).toBeGreaterThanOrEqual(0.6);
    expect(afterYear).toBeGreaterThanOrEqual(0.8 * before);
    expect(afterThumb).toBeGreaterThanOrEqual(0.5);
    // Her profile still says jazz first.
    expect(rec.profile('ann').likedTags[0]!.tag).toBe('genre:jazz');
  });

  it('for generated histories: after a silent year the list keeps at least 80 % of its share of the favourite genre, and one thumb elsewhere moves the list without erasing it', () => {
    const items = musicCatalog(20, GENRES.slice(0, 6));
    const shareOf = (genre: string, list: { item: string }[]) =>
      list.filter((r) => r.item.startsWith(`${genre}-`)).length / list.length;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 12, max: 40 }),
        fc.array(fc.constantFrom('up', 'play', 'skip', 'down'), { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(1000),
        (fav, offset, n, signals, days, seed) => {
          const favourite = GENRES[fav]!;
          const other = GENRES[(fav + offset) % 6]!;
          const clock = { t: T0 };
          const rec = createRecommender({ items, seed, now: () => clock.t, exploration: 0 });
          const others: FeedbackEvent[] = [];
          for (let u = 0; u < 20; u++)
            for (let k = 0; k < 10; k++)
              others.push({
                user: `u${u}`,
                item: `${GENRES[(u + k) % 6]}-${(u * 7 + k * 3) % 20}`,
                signal: 'up',
                at: T0 + k * DAY_MS,
              });
          rec.feedback(others);
          // Her favourite, mostly liked (her own mix of signals), and a few others now and then.
          const mine: FeedbackEvent[] = [];
          for (let i = 0; i < n; i++) {
            const off = i % 5 === 4;
            const signal = off ? 'skip' : signals[i] === 'down' ? 'up' : signals[i]!;
            mine.push({
              user: 'ann',
              item: `${off ? other : favourite}-${(i * 3) % 20}`,
              signal,
              at: T0 + i * days * 3_600_000 * 8,
            });
          }
          rec.feedback(mine);
          clock.t = mine.at(-1)!.at! + 3_600_000;
          rec.train();
          const before = shareOf(favourite, rec.recommend('ann', { count: 10, includeSeen: true }));
          expect(before).toBeGreaterThanOrEqual(0.5); // her list does lean to her favourite
          clock.t += YEAR;
          const afterYear = shareOf(favourite, rec.recommend('ann', { count: 10, includeSeen: true }));
          expect(afterYear).toBeGreaterThanOrEqual(0.8 * before);
          const score = (item: string) =>
            rec.recommend('ann', { count: 1000, includeSeen: true }).find((r) => r.item === item)?.score ?? -Infinity;
          const target = `${other}-19`;
          const was = score(target);
          rec.feedback({ user: 'ann', item: target, signal: 'up' });
          // The thumb moves the list (its song rises) without erasing what came before.
          expect(score(target)).toBeGreaterThan(was);
          const afterThumb = shareOf(favourite, rec.recommend('ann', { count: 10, includeSeen: true }));
          expect(afterThumb).toBeGreaterThanOrEqual(0.5 * before);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the pauseDays option', () => {
  const items = musicCatalog(4, GENRES.slice(0, 2));
  const evidenceAfter = (pauseDays: number, days: number) => {
    let now = T0;
    const rec = createRecommender({ items, now: () => now, pauseDays });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up' });
    const before = rec.profile('ann').evidence.weight;
    now += days * DAY_MS;
    return rec.profile('ann').evidence.weight / before;
  };

  it('counts a pause up to pauseDays; Infinity ages a person’s evidence on the calendar', () => {
    expect(evidenceAfter(30, 365)).toBeCloseTo(2 ** (-30 / 90), 12);
    expect(evidenceAfter(7, 365)).toBeCloseTo(2 ** (-7 / 90), 12);
    expect(evidenceAfter(Infinity, 365)).toBeCloseTo(2 ** (-365 / 90), 12);
    expect(evidenceAfter(30, 20)).toBeCloseTo(2 ** (-20 / 90), 12);
  });

  it('is refused when not a positive number, and kept by a snapshot', () => {
    for (const bad of [0, -1, Number.NaN, '30'])
      expect(() => createRecommender({ items, pauseDays: bad as number })).toThrow(/pauseDays/);
    const rec = createRecommender({ items, pauseDays: 7 });
    expect(rec.snapshot().options.pauseDays).toBe(7);
  });
});
