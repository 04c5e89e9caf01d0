/**
 * The list rules of plain lists, on stations (issue: "every list rule holds
 * on stations"): over random catalogs, histories, stations and thumbs given
 * on them, with and without train(), every station reason names the
 * largest part of the score, cites no more than that part, never cites a
 * resting or turned-down song, and is what `explain` says; a song turned
 * down on a station is explained as turned down there (and only there), a
 * resting song as resting. The fast-check seed is printed by
 * vitest.setup.ts (replay with FC_SEED).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender } from '../src/index.js';
import type { Contributions } from '../src/rank/ranker.js';
import type { FeedbackEvent, Item, ReasonKind, ReasonPart, StationSeed } from '../src/types.js';
import { T0 } from './__helpers__/catalog.js';
import { DAY, historyArb, tagCatalogArb } from './__helpers__/histories.js';

const STATIONS = ['s1', 's2'] as const;

const KINDS: Record<ReasonPart, ReasonKind[]> = {
  taste: ['station-seed', 'liked-similar', 'tag-affinity', 'context'],
  collaborative: ['collaborative'],
  popularity: ['popular'],
  exploration: ['exploring'],
  none: ['new-user', 'catalog'],
};

/** The largest positive part of a score (a millionth of a point is rounding), or none. */
function largestPart(c: Contributions): [ReasonPart, number] {
  const parts: [ReasonPart, number][] = [
    ['taste', c.content + c.context],
    ['collaborative', c.collaborative],
    ['popularity', c.popularity],
  ];
  const [name, points] = parts.reduce((best, p) => (p[1] > best[1] ? p : best), ['none', 1e-6] as [ReasonPart, number]);
  return [name, name === 'none' ? 0 : points];
}

function seedsArb(items: Item[]): fc.Arbitrary<StationSeed[]> {
  const tags = [...new Set(items.flatMap((x) => x.tags!))];
  return fc.array(
    fc.oneof(fc.constantFrom(...items.map((x) => ({ item: x.id }))), fc.constantFrom(...tags.map((tag) => ({ tag })))),
    { minLength: 1, maxLength: 2 },
  );
}

const worldArb = tagCatalogArb.chain((items) =>
  fc.record({
    items: fc.constant(items),
    history: historyArb(items, 10, 80),
    seeds: fc.tuple(seedsArb(items), seedsArb(items)),
    /** Which of each of ann's and bob's events is given on a station (undefined: none). */
    stationOf: fc.array(fc.constantFrom<string | undefined>(undefined, ...STATIONS, ...STATIONS), {
      minLength: 20,
      maxLength: 20,
    }),
    trained: fc.boolean(),
    seed: fc.nat(1000),
  }),
);

const STATION_USERS = ['ann', 'bob'] as const;

describe('the list rules on stations', () => {
  it('reasons name the largest part, cite no more than it, never a resting or turned-down song, and are what explain says', () => {
    const seen = { seedReasons: 0, stationBans: 0, rests: 0 };
    fc.assert(
      fc.property(worldArb, ({ items, history, seeds, stationOf, trained, seed }) => {
        const clock = { t: T0 };
        const rec = createRecommender({ items, seed, now: () => clock.t, exploration: 0 });
        for (const user of STATION_USERS)
          STATIONS.forEach((id, k) => rec.createStation(user, { id, name: `${id} radio`, seeds: seeds[k]! }));
        // Who turned what down where, and what rests until when, from the events themselves.
        const bans = new Map<string, Set<string>>(); // `${user}/${station ?? ''}` → items
        const rests = new Map<string, number>(); // `${user}/${item}` → until
        const events: FeedbackEvent[] = history.map((e, i) => {
          const station = stationOf[i % stationOf.length];
          return (STATION_USERS as readonly string[]).includes(e.user) && station !== undefined ? { ...e, station } : e;
        });
        for (const e of events) {
          clock.t = e.at!;
          rec.feedback(e);
          const key = `${e.user}/${e.station ?? ''}`;
          if (e.signal === 'down') bans.set(key, (bans.get(key) ?? new Set()).add(e.item));
          if (e.signal === 'tired') rests.set(`${e.user}/${e.item}`, e.at! + 30 * DAY);
        }
        clock.t += DAY;
        if (trained) rec.train();
        const at = clock.t;
        for (const user of STATION_USERS) {
          for (const station of STATIONS) {
            const banned = new Set([...(bans.get(`${user}/`) ?? []), ...(bans.get(`${user}/${station}`) ?? [])]);
            const resting = (item: string) => (rests.get(`${user}/${item}`) ?? -Infinity) > at;
            const list = rec.recommend(user, { station, count: 1000, includeSeen: true, at, context: { hour: 9 } });
            for (const r of list) {
              expect(banned.has(r.item)).toBe(false);
              expect(resting(r.item)).toBe(false);
              const [part, points] = largestPart(r.contributions);
              if (r.reason.kind === 'station-seed') seen.seedReasons++;
              expect(r.reason.part.name).toBe(part);
              expect(r.reason.part.points).toBeCloseTo(points, 12);
              expect(KINDS[part]).toContain(r.reason.kind);
              expect(r.reason.text.startsWith(`On your ${station} radio`)).toBe(true);
              const cited = r.reason.evidence.reduce((s, e) => s + e.weight, 0);
              expect(cited).toBeLessThanOrEqual(points * (1 + 1e-9) + 1e-12);
              for (const e of r.reason.evidence) {
                expect(e.weight).toBeGreaterThan(0);
                if (e.type !== 'item') continue;
                expect(banned.has(e.id), `${e.id} cited, turned down`).toBe(false);
                expect(resting(e.id), `${e.id} cited, resting`).toBe(false);
              }
              // explain says what recommend said (its numbers summed in another order: equal to rounding).
              const explained = rec.explain(user, r.item, { station, at, context: { hour: 9 } });
              expect({ ...explained, part: undefined, evidence: undefined }).toEqual({
                ...r.reason,
                part: undefined,
                evidence: undefined,
              });
              expect(explained.part.points).toBeCloseTo(r.reason.part.points, 9);
              expect(explained.evidence.map((e) => [e.type, e.id])).toEqual(
                r.reason.evidence.map((e) => [e.type, e.id]),
              );
              explained.evidence.forEach((e, j) => expect(e.weight).toBeCloseTo(r.reason.evidence[j]!.weight, 9));
            }
            // Bans and rests are named as such, on the station they were given on (or everywhere).
            for (const x of items) {
              const kind = rec.explain(user, x.id, { station, at }).kind;
              if (banned.has(x.id)) expect(kind).toBe('turned-down');
              else if (resting(x.id)) expect(kind).toBe('resting');
              else expect(['turned-down', 'resting'], `${user} ${station} ${x.id}`).not.toContain(kind);
              if (bans.get(`${user}/${station}`)?.has(x.id) === true && !bans.get(`${user}/`)?.has(x.id))
                seen.stationBans++;
              if (resting(x.id)) seen.rests++;
            }
          }
        }
      }),
      { numRuns: 60 },
    );
    // The runs reached what the rules are about.
    expect(seen.seedReasons).toBeGreaterThan(0);
    expect(seen.stationBans).toBeGreaterThan(0);
    expect(seen.rests).toBeGreaterThan(0);
  });
});
