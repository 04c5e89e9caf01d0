import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender } from '../src/index.js';
import type { FeedbackEvent, Item } from '../src/types.js';
import { T0, catalogArb, eventsArb, musicCatalog } from './__helpers__/catalog.js';

/** Random catalogs where some items are sensitive. */
const sensitiveWorld = catalogArb
  .map((items): Item[] =>
    items.map((item, i) => (i % 4 === 3 ? { ...item, sensitive: [i % 8 === 3 ? 'health' : 'finance'] } : item)),
  )
  .chain((items) => fc.tuple(fc.constant(items), eventsArb(items), fc.integer({ min: 0, max: 1e6 })));

const tagsOf = (items: Item[]) => new Map(items.map((x) => [x.id, x]));

describe('responsible personalisation (random catalogs and event streams)', () => {
  it('muted tags and unconsented sensitive items never appear and are never cited', () => {
    fc.assert(
      fc.property(sensitiveWorld, fc.nat(), ([items, events, seed], pick) => {
        let now = T0;
        const rec = createRecommender({ items, seed, now: () => now, implicitQuoteDelayMinutes: 0 });
        const allTags = [...new Set(items.flatMap((x) => x.tags ?? []))];
        const muted = allTags[pick % allTags.length]!;
        rec.setPreferences('ann', { mutedTags: [muted], consent: { finance: true } });
        const byId = tagsOf(items);
        for (const e of events) {
          now = e.at!;
          rec.feedback(e);
          for (const user of ['ann', 'bob', undefined]) {
            for (const r of rec.recommend(user, { count: 1000, includeSeen: true })) {
              const item = byId.get(r.item)!;
              const consent = user === 'ann' ? ['finance'] : [];
              expect((item.sensitive ?? []).every((c) => consent.includes(c))).toBe(true);
              for (const ev of r.reason.evidence) {
                if (ev.type === 'item')
                  expect((byId.get(ev.id)!.sensitive ?? []).every((c) => consent.includes(c))).toBe(true);
              }
              if (user === 'ann') {
                expect(item.tags ?? []).not.toContain(muted);
                expect(r.reason.evidence.map((ev) => ev.id)).not.toContain(muted);
              }
            }
          }
        }
      }),
    );
  });

  it('opted-out feedback leaves snapshot() byte-identical', () => {
    fc.assert(
      fc.property(sensitiveWorld, ([items, events, seed]) => {
        let now = T0;
        const rec = createRecommender({ items, seed, now: () => now });
        rec.setPreferences('ann', { optOut: true });
        for (const e of events) {
          now = e.at!;
          const before = JSON.stringify(rec.snapshot());
          if (e.user === 'ann') {
            rec.feedback(e);
            rec.recommend('ann');
            expect(JSON.stringify(rec.snapshot())).toBe(before);
          } else rec.feedback(e);
        }
        expect(rec.profile('ann')).toMatchObject({ optOut: true, thumbs: [], likedTags: [] });
      }),
    );
  });

  it('erasure: after forget(x) and train(), everyone else gets what they would have had x never existed', () => {
    fc.assert(
      fc.property(sensitiveWorld, ([items, events, seed]) => {
        const run = (withX: boolean) => {
          let now = T0;
          const rec = createRecommender({ items, seed, now: () => now });
          rec.setPreferences('ann', { consent: { health: true } });
          for (const e of events) {
            now = e.at!;
            const mine: FeedbackEvent = { ...e, user: 'x' };
            if (withX && e.signal !== 'tired') rec.feedback(mine);
            if (e.user !== 'bob') rec.feedback(e);
            rec.recommend('ann', { count: 3 });
            if (withX) rec.recommend('x', { count: 3 });
          }
          if (withX) rec.forget('x');
          rec.train();
          return { rec, now };
        };
        const a = run(true);
        const b = run(false);
        const snap = JSON.stringify(a.rec.snapshot());
        expect(snap).toBe(JSON.stringify(b.rec.snapshot()));
        expect(snap).not.toContain('"x"');
        for (const user of ['ann', 'toString', 'newcomer', undefined]) {
          expect(a.rec.recommend(user, { count: 5 })).toEqual(b.rec.recommend(user, { count: 5 }));
        }
      }),
    );
  });

  it('protected context keys are always refused, with nothing changed', () => {
    const protectedKey = fc
      .tuple(
        fc.constantFrom(
          'gender',
          'sex',
          'race',
          'ethnicity',
          'religion',
          'sexual_orientation',
          'disability',
          'age',
          'nationality',
          'pregnancy',
        ),
        fc.constantFrom('', 'user_', 'my-', 'user'),
        fc.boolean(),
      )
      .map(([key, prefix, upper]) =>
        prefix === 'user'
          ? `user${key[0]!.toUpperCase()}${key.slice(1)}`
          : `${prefix}${upper ? key.toUpperCase() : key}`,
      );
    fc.assert(
      fc.property(protectedKey, fc.boolean(), (key, viaFeedback) => {
        let now = T0;
        const rec = createRecommender({ items: musicCatalog(3), now: () => now });
        rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up' });
        const before = JSON.stringify(rec.snapshot());
        try {
          if (viaFeedback)
            rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', context: { hour: 3, [key]: 'x' } });
          else rec.recommend('ann', { context: { [key]: 1 } });
          expect.unreachable(`${key} was accepted`);
        } catch (error) {
          expect(error).toBeInstanceOf(AttuneError);
          expect((error as AttuneError).code).toBe('PROTECTED_ATTRIBUTE');
        }
        expect(JSON.stringify(rec.snapshot())).toBe(before);
        now += 1;
      }),
    );
  });

  it('implicit evidence younger than the quoting delay never appears in a reason', () => {
    fc.assert(
      fc.property(
        catalogArb.chain((items) => fc.tuple(fc.constant(items), eventsArb(items))),
        fc.integer({ min: 1, max: 600 }),
        ([items, events], delayMinutes) => {
          let now = T0;
          const rec = createRecommender({
            items,
            now: () => now,
            implicitQuoteDelayMinutes: delayMinutes,
            exploration: 0,
          });
          const lastExplicit = new Map<string, number>();
          const lastAny = new Map<string, { at: number; explicit: boolean }[]>();
          for (const e of events) {
            now = e.at!;
            rec.feedback(e);
            const key = `${e.user}|${e.item}`;
            lastAny.set(key, [
              ...(lastAny.get(key) ?? []),
              { at: e.at!, explicit: ['up', 'down', 'tired'].includes(e.signal) },
            ]);
            if (['up', 'down', 'tired'].includes(e.signal)) lastExplicit.set(key, e.at!);
            for (const user of ['ann', 'bob']) {
              for (const r of rec.recommend(user, { count: 1000, includeSeen: true })) {
                for (const ev of r.reason.evidence) {
                  if (ev.type !== 'item') continue;
                  const history = lastAny.get(`${user}|${ev.id}`) ?? [];
                  // cited items must have explicit evidence, or implicit evidence old enough
                  const quotable = history.some((h) => h.explicit || now - h.at >= delayMinutes * 60_000);
                  expect(quotable).toBe(true);
                }
              }
            }
          }
        },
      ),
    );
  });
});

describe('diversity', () => {
  it('MMR trades score for less similar neighbours', () => {
    let now = T0;
    const plain = createRecommender({ items: musicCatalog(), seed: 3, exploration: 0, now: () => now });
    const mmr = createRecommender({
      items: musicCatalog(),
      seed: 3,
      exploration: 0,
      now: () => now,
      diversity: { mmrLambda: 0.3 },
    });
    for (const rec of [plain, mmr])
      for (let i = 0; i < 4; i++) rec.feedback({ user: 'ann', item: `soul-${i}`, signal: 'up' });
    const tags = new Map(musicCatalog().map((x) => [x.id, new Set(x.tags)]));
    const similarity = (rec: typeof plain) => {
      const list = rec.recommend('ann', { count: 10 }).map((r) => tags.get(r.item)!);
      let sum = 0;
      let pairs = 0;
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const shared = [...list[i]!].filter((t) => list[j]!.has(t)).length;
          sum += shared / (list[i]!.size + list[j]!.size - shared);
          pairs++;
        }
      }
      return sum / pairs;
    };
    expect(similarity(mmr)).toBeLessThan(similarity(plain));
  });
});
