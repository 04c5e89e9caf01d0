/**
 * Removing a station is as if it had never been, read everywhere a person's evidence shows: the
 * lists in and out of context, the other station, the person's profile (thumbs, bans, rests,
 * held-back purchases, the amount of evidence) — with feedback given in contexts, so that the
 * station's part of each record's context sums goes too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { Context, FeedbackEvent, Item, Signal } from '../../src/types.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const MINUTE = 60_000;
const items: Item[] = musicCatalog(4, ['jazz', 'rock', 'folk', 'soul']);
const ids = items.map((x) => x.id);
const CONTEXTS: (Context | undefined)[] = [undefined, { hour: 8 }, { hour: 21 }, { device: 'speaker' }];

/** Numbers to 9 significant digits (and rounding near 0 to 0), so that sums of the same records in another order compare equal. */
function rounded<T>(x: T): T {
  return JSON.parse(JSON.stringify(x), (_, v: unknown) =>
    typeof v === 'number' ? (Math.abs(v) < 1e-9 ? 0 : Number(v.toPrecision(9))) : v,
  ) as T;
}

function lists(rec: Recommender, at: number) {
  const out: Record<string, [string, number][]> = {};
  for (const [name, options] of [
    ['plain', {}],
    ['morning', { context: { hour: 8 } }],
    ['speaker', { context: { device: 'speaker' } }],
    ['kept', { station: 'kept' }],
    ['kept at night', { station: 'kept', context: { hour: 21 } }],
  ] as const) {
    out[name] = rec
      .recommend('ann', { count: 1000, includeSeen: true, at, ...options })
      .map((r) => [r.item, r.score] as [string, number])
      .sort((a, b) => a[0].localeCompare(b[0]));
  }
  out['guest'] = rec
    .recommend(undefined, { count: 1000, at })
    .map((r) => [r.item, r.score] as [string, number])
    .sort((a, b) => a[0].localeCompare(b[0]));
  return out;
}

/**
 * What the profile says of the person's records (the taste itself is read through the lists): thumbs
 * with their dates, bans, rests, held-back purchases, the amount of evidence, and each remaining
 * station's thumbs and bans.
 */
function said(rec: Recommender) {
  const p = rec.profile('ann');
  const thumbs = (list: { item: string; signal: string; at: number }[]) =>
    list.map((x) => `${x.item}:${x.signal}:${x.at}`).sort();
  return {
    thumbs: thumbs(p.thumbs),
    banned: p.banned.map((b) => b.item).sort(),
    snoozed: p.snoozed.map((x) => [x.item, x.until]).sort(),
    heldBack: p.heldBack,
    evidence: p.evidence,
    stations: p.stations.map((x) => ({ thumbs: thumbs(x.thumbs), banned: x.banned.map((b) => b.item).sort() })),
  };
}

describe('removing a station, read everywhere', () => {
  const event = fc.record({
    item: fc.constantFrom(...ids),
    signal: fc.constantFrom<Signal>('up', 'down', 'up', 'tired', 'skip', 'play', 'play', 'purchase'),
    station: fc.constantFrom(undefined, 'gone', 'gone', 'kept'),
    context: fc.constantFrom(...CONTEXTS),
    gapMinutes: fc.integer({ min: 0, max: 2 * 1440 }),
  });

  it('leaves lists in and out of context, the other station and the profile as without it', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), (raw) => {
        let t = T0;
        const timed = raw.map((e) => ({ ...e, at: (t += e.gapMinutes * MINUTE) }));
        const end = t + 60 * MINUTE;
        const run = (withStation: boolean) => {
          let now = T0;
          const rec = createRecommender({
            items,
            seed: 3,
            exploration: 0,
            lifeStages: false,
            halfLifeDays: Infinity,
            implicitQuoteDelayMinutes: 0,
            now: () => now,
          });
          rec.createStation('ann', { id: 'kept', seeds: [{ tag: 'genre:soul' }] });
          if (withStation) rec.createStation('ann', { id: 'gone', seeds: [{ tag: 'genre:jazz' }] });
          rec.feedback({ user: 'bob', item: ids[0]!, signal: 'up', at: T0 });
          for (const e of timed) {
            // Station rests are drawn too: a rest given on the station goes with it (people/stationRests.test.ts).
            if (e.station === 'gone' && !withStation) continue;
            now = e.at;
            const given: FeedbackEvent = { user: 'ann', item: e.item, signal: e.signal, at: e.at };
            if (e.station !== undefined) given.station = e.station;
            if (e.context !== undefined) given.context = e.context;
            rec.feedback(given);
          }
          if (withStation) rec.removeStation('ann', 'gone');
          now = end;
          return rec;
        };
        const removed = run(true);
        const never = run(false);
        expect(rounded(lists(removed, end))).toEqual(rounded(lists(never, end)));
        expect(rounded(said(removed))).toEqual(rounded(said(never)));
      }),
      {
        // Failures found with more runs, kept: a later up off any station after a person-wide down
        // (FC_SEED=777), an evidence weight of 3 read as 3 − 1e-15 (FC_SEED=1), and purchases kept where
        // they were given (FC_SEED=6).
        examples: [
          [
            [
              { item: 'soul-1', signal: 'down', station: undefined, context: undefined, gapMinutes: 0 },
              { item: 'soul-1', signal: 'up', station: undefined, context: undefined, gapMinutes: 1 },
              { item: 'soul-1', signal: 'up', station: 'gone', context: undefined, gapMinutes: 0 },
            ],
          ],
          [
            [
              { item: 'soul-1', signal: 'play', station: 'gone', context: undefined, gapMinutes: 0 },
              { item: 'soul-0', signal: 'purchase', station: undefined, context: undefined, gapMinutes: 0 },
              { item: 'jazz-0', signal: 'purchase', station: undefined, context: undefined, gapMinutes: 0 },
            ],
          ],
          [
            [
              { item: 'rock-0', signal: 'purchase', station: 'gone', context: undefined, gapMinutes: 0 },
              { item: 'jazz-0', signal: 'purchase', station: undefined, context: undefined, gapMinutes: 0 },
              { item: 'rock-0', signal: 'purchase', station: undefined, context: undefined, gapMinutes: 0 },
            ],
          ],
        ],
      },
    );
  });
});
