import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender } from '../src/index.js';
import type { FeedbackEvent, Item, Signal, StationSeed } from '../src/types.js';
import { DEFAULT_PAUSE_DAYS } from '../src/constants.js';
import { T0, catalogArb, eventsArb, longestPause, musicCatalog } from './__helpers__/catalog.js';

const STATIONS = ['s1', 's2'] as const;
const DAY = 86_400_000;

/**
 * The songs near a station's seeds, as README's Stations section defines
 * them: an item seed, or a song with a tag that carries at least half of
 * some seed's information — a tag u weighs f·max(0, log(f·(N + 1)/n_u)),
 * f how often it comes with the seed (1 for an item seed's own tags).
 */
function nearSeeds(items: readonly Item[], seeds: readonly StationSeed[]): Set<string> {
  const n = new Map<string, number>();
  for (const x of items) for (const t of x.tags!) n.set(t, (n.get(t) ?? 0) + 1);
  const info = (t: string, f: number) => f * Math.max(0, Math.log((f * (items.length + 1)) / Math.max(1, n.get(t)!)));
  const defining = new Set<string>();
  for (const seed of seeds) {
    const raw = new Map<string, number>();
    if ('item' in seed) for (const t of items.find((x) => x.id === seed.item)!.tags!) raw.set(t, info(t, 1));
    else {
      const withTag = items.filter((x) => x.tags!.includes(seed.tag));
      const together = new Map<string, number>();
      for (const x of withTag) for (const u of x.tags!) if (u !== seed.tag) together.set(u, (together.get(u) ?? 0) + 1);
      for (const [u, c] of together) raw.set(u, info(u, c / withTag.length));
      raw.set(seed.tag, info(seed.tag, 1));
    }
    const top = Math.max(0, ...raw.values());
    for (const [t, x] of raw) if (top <= 0 || x / top >= 0.5) defining.add(t);
  }
  const out = new Set(seeds.flatMap((s) => ('item' in s ? [s.item] : [])));
  for (const x of items) if (x.tags!.some((t) => defining.has(t))) out.add(x.id);
  return out;
}

/** The tags no share cap holds back on a station: the tags it was seeded on, and what every song of one of them carries. */
function uncappedTags(items: readonly Item[], seeds: readonly StationSeed[]): Set<string> {
  const out = new Set<string>();
  for (const seed of seeds) {
    if (!('tag' in seed)) continue;
    const withTag = items.filter((x) => x.tags!.includes(seed.tag));
    for (const t of withTag[0]!.tags!) if (withTag.every((x) => x.tags!.includes(t))) out.add(t);
  }
  return out;
}

/** Seeds for a random catalog: one item or one tag (a tag some item has). */
function seedArb(items: Item[]): fc.Arbitrary<StationSeed[]> {
  const tags = [...new Set(items.flatMap((x) => x.tags ?? []))];
  const one: fc.Arbitrary<StationSeed> =
    tags.length === 0
      ? fc.constantFrom(...items.map((x) => ({ item: x.id })))
      : fc.oneof(
          fc.constantFrom(...items.map((x) => ({ item: x.id }))),
          fc.constantFrom(...tags.map((tag) => ({ tag }))),
        );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

/** A random catalog, two stations' seeds, and events of which some are given on a station. */
const world = catalogArb.chain((items) =>
  fc.record({
    items: fc.constant(items),
    seeds: fc.tuple(seedArb(items), seedArb(items)),
    events: eventsArb(items),
    stationOf: fc.array(fc.constantFrom<string | undefined>(undefined, ...STATIONS), { minLength: 30, maxLength: 30 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  }),
);

/** The world's events, those of ann spread over no station and her two. */
function onStations(events: FeedbackEvent[], stationOf: (string | undefined)[]): FeedbackEvent[] {
  return events.map((e, i) => {
    const station = stationOf[i % stationOf.length];
    return e.user === 'ann' && station !== undefined ? { ...e, station } : e;
  });
}

describe('stations (random catalogs, seeds and events)', () => {
  it('a down on a station never reappears on it; a person-wide down never reappears anywhere', () => {
    fc.assert(
      fc.property(world, ({ items, seeds, events, stationOf, seed }) => {
        let now = T0;
        const rec = createRecommender({ items, seed, now: () => now });
        STATIONS.forEach((id, k) => rec.createStation('ann', { id, name: id, seeds: seeds[k]! }));
        const stationBans = new Map<string, Set<string>>(STATIONS.map((s) => [s, new Set()]));
        const everywhere = new Set<string>();
        for (const e of onStations(events, stationOf)) {
          now = e.at!;
          rec.feedback(e);
          if (e.user === 'ann' && e.signal === 'down')
            (e.station === undefined ? everywhere : stationBans.get(e.station)!).add(e.item);
          for (const station of [...STATIONS, undefined]) {
            const list = rec
              .recommend('ann', { count: 1000, includeSeen: true, ...(station !== undefined ? { station } : {}) })
              .map((r) => r.item);
            for (const item of everywhere) expect(list).not.toContain(item);
            if (station !== undefined) for (const item of stationBans.get(station)!) expect(list).not.toContain(item);
            for (const r of rec.recommend('ann', { count: 3, ...(station !== undefined ? { station } : {}) })) {
              // A turned-down item is never cited as a reason to like something there.
              const banned =
                station === undefined ? everywhere : new Set([...everywhere, ...stationBans.get(station)!]);
              for (const ev of r.reason.evidence)
                if (ev.type === 'item' && r.reason.kind !== 'station-seed') expect(banned.has(ev.id)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('station lists: a majority near the seeds unless the caps forbid it, the caps kept, at most 30% exploring', () => {
    const items = musicCatalog(8);
    const tagsOf = new Map(items.map((x) => [x.id, x.tags!]));
    const seedsArb = fc.array(
      fc.oneof(
        fc.constantFrom(...items.map((x) => ({ item: x.id }))),
        fc.constantFrom(
          ...['genre:jazz', 'genre:rock', 'mood:mellow', 'era:1950s', 'artist:jazz-a1'].map((tag) => ({ tag })),
        ),
      ),
      { minLength: 1, maxLength: 2 },
    );
    const reactions = fc.array(fc.constantFrom<Signal>('up', 'up', 'down', 'skip', 'play', 'tired'), {
      minLength: 100,
      maxLength: 100,
    });
    fc.assert(
      fc.property(
        seedsArb,
        reactions,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        (seeds, signals, count, seed) => {
          let now = T0;
          const rec = createRecommender({ items, seed, now: () => now });
          rec.createStation('ann', { id: 'radio', name: 'Radio', seeds });
          const near = nearSeeds(items, seeds);
          const uncapped = uncappedTags(items, seeds);
          const unavailable = new Map<string, number>(); // item → until (downs: forever)
          let k = 0;
          for (let round = 0; round < 8; round++) {
            now += DAY / 4;
            const shown = rec.recommend('ann', { station: 'radio', count, includeSeen: true });
            const list = shown.map((r) => r.item);
            const available = items.filter((x) => !((unavailable.get(x.id) ?? -Infinity) > now));
            expect(list.length).toBe(Math.min(count, available.length));
            // The caps of any list (an artist twice, a tag 70% rounded down), but the tags seeded on.
            const counts = new Map<string, number>();
            for (const id of list) for (const t of tagsOf.get(id)!) counts.set(t, (counts.get(t) ?? 0) + 1);
            const capOf = (t: string) =>
              Math.min(
                t.startsWith('artist:') ? 2 : Infinity,
                uncapped.has(t) ? Infinity : Math.max(1, Math.floor(0.7 * count + 1e-9)),
              );
            for (const [t, c] of counts) expect(c, `${t} in ${list.join(' ')}`).toBeLessThanOrEqual(capOf(t));
            // A majority near the seeds, or every near song left out would break a cap.
            const nearShown = list.filter((id) => near.has(id)).length;
            const nearLeft = available.filter((x) => near.has(x.id) && !list.includes(x.id));
            if (nearShown < Math.ceil(0.6 * count))
              for (const x of nearLeft) expect(x.tags!.some((t) => (counts.get(t) ?? 0) >= capOf(t))).toBe(true);
            // At most 30% exploring (rounded down, at least one).
            expect(shown.filter((r) => r.explored).length).toBeLessThanOrEqual(Math.max(1, Math.floor(0.3 * count)));
            for (const item of list.slice(0, 3)) {
              const signal = signals[k++ % signals.length]!;
              rec.feedback({ user: 'ann', item, signal, station: 'radio', at: now });
              if (signal === 'down') unavailable.set(item, Infinity);
              if (signal === 'tired')
                unavailable.set(item, Math.max(unavailable.get(item) ?? -Infinity, now + 30 * DAY));
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('erasure: after forget(x) and train(), everyone else gets what they would have had x and her stations never existed', () => {
    fc.assert(
      fc.property(world, ({ items, seeds, events, stationOf, seed }) => {
        const run = (withX: boolean) => {
          let now = T0;
          const rec = createRecommender({ items, seed, now: () => now });
          rec.createStation('ann', { id: 's1', name: 'Ann one', seeds: seeds[0]! });
          if (withX) STATIONS.forEach((id, k) => rec.createStation('x', { id, name: `x ${id}`, seeds: seeds[k]! }));
          onStations(events, stationOf).forEach((e, i) => {
            now = e.at!;
            if (withX) rec.feedback({ ...e, user: 'x', ...(e.station === undefined ? {} : { station: e.station }) });
            if (e.user !== 'ann' || e.station !== 's2') rec.feedback(e);
            rec.recommend('ann', { count: 3, ...(i % 2 === 0 ? { station: 's1' } : {}) });
            if (withX) rec.recommend('x', { count: 3, station: STATIONS[i % 2]! });
          });
          if (withX) rec.forget('x');
          rec.train();
          return rec;
        };
        const a = run(true);
        const b = run(false);
        const snap = JSON.stringify(a.snapshot());
        expect(snap).toBe(JSON.stringify(b.snapshot()));
        expect(snap).not.toContain('"x s1"');
        expect(a.recommend('ann', { count: 5, station: 's1' })).toEqual(
          b.recommend('ann', { count: 5, station: 's1' }),
        );
        expect(a.recommend('bob', { count: 5 })).toEqual(b.recommend('bob', { count: 5 }));
      }),
      { numRuns: 25 },
    );
  });

  it('snapshots round trip with stations: the same state, the same lists', () => {
    fc.assert(
      fc.property(world, ({ items, seeds, events, stationOf, seed }) => {
        let now = T0;
        const rec = createRecommender({ items, seed, now: () => now });
        STATIONS.forEach((id, k) => rec.createStation('ann', { id, name: id, seeds: seeds[k]! }));
        for (const e of onStations(events, stationOf)) {
          now = e.at!;
          rec.feedback(e);
        }
        const snap = JSON.stringify(rec.snapshot());
        const back = restoreRecommender(JSON.parse(snap), { now: () => now });
        expect(JSON.stringify(back.snapshot())).toBe(snap);
        expect(back.stations('ann')).toEqual(rec.stations('ann'));
        expect(back.profile('ann')).toEqual(rec.profile('ann'));
        for (const station of STATIONS) {
          expect(back.recommend('ann', { station, count: 5 })).toEqual(rec.recommend('ann', { station, count: 5 }));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('removing a station leaves the station’s records, and only its records, out of the person’s', () => {
    fc.assert(
      fc.property(world, ({ items, seeds, events, stationOf, seed }) => {
        // Station events on items no other feedback touches: removing the station is then exactly "never given".
        const all = onStations(events, stationOf).filter((e) => e.user === 'ann');
        const onS1 = new Set(all.filter((e) => e.station === 's1').map((e) => e.item));
        const elsewhere = all.filter((e) => e.station !== 's1' && !onS1.has(e.item));
        const mine = all.filter((e) => e.station === 's1' || !onS1.has(e.item));
        const run = (withS1: boolean) => {
          let now = T0;
          const rec = createRecommender({ items, seed, now: () => now, lifeStages: false });
          STATIONS.forEach((id, k) => rec.createStation('ann', { id, name: id, seeds: seeds[k]! }));
          for (const e of withS1 ? mine : elsewhere) {
            now = e.at!;
            rec.feedback(e);
          }
          if (withS1) rec.removeStation('ann', 's1');
          now = T0 + 365 * DAY; // both read at the same time
          return rec;
        };
        // Removing keeps the time she was active: exact when no pause of hers is longer than the counted span.
        fc.pre(longestPause(elsewhere, 'ann') <= DEFAULT_PAUSE_DAYS * DAY);
        const a = run(true).profile('ann');
        const b = run(false).profile('ann');
        expect(a.stations.map((s) => s.id)).toEqual(['s2']);
        expect(a.thumbs).toEqual(b.thumbs);
        expect(a.banned).toEqual(b.banned);
        expect(a.evidence.events).toBe(b.evidence.events);
        // Equal weights may be listed in either order: compare by tag.
        for (const key of ['likedTags', 'dislikedTags'] as const) {
          const weights = (p: typeof a) => new Map(p[key].map((t) => [t.tag, t.weight]));
          const [wa, wb] = [weights(a), weights(b)];
          expect([...wa.keys()].sort()).toEqual([...wb.keys()].sort());
          for (const [tag, w] of wb) expect(wa.get(tag)).toBeCloseTo(w, 9);
        }
      }),
      { numRuns: 25 },
    );
  });
});
