/**
 * The faithfulness rules (DESIGN.md, "An explanation is faithful"; README,
 * "Reasons"), each a property over random catalogs and histories. The
 * fast-check seed is printed by vitest.setup.ts (replay with FC_SEED).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreRecommender } from '../../src/recommender.js';
import type { Contributions } from '../../src/rank/ranker.js';
import type { FeedbackEvent, Reason, ReasonKind, ReasonPart } from '../../src/types.js';
import { T0 } from '../__helpers__/catalog.js';
import { build, DAY, everything, trainedWorldArb, USERS, worldArb } from '../__helpers__/histories.js';

const KINDS: Record<ReasonPart, ReasonKind[]> = {
  taste: ['liked-similar', 'tag-affinity', 'context'],
  collaborative: ['collaborative'],
  popularity: ['popular'],
  exploration: ['exploring'],
  none: ['new-user', 'catalog'],
};

/** The largest positive part of a score (ties: taste, collaborative, popularity; a millionth of a point is rounding), or none. */
function largestPart(c: Contributions): [ReasonPart, number] {
  const parts: [ReasonPart, number][] = [
    ['taste', c.content + c.context],
    ['collaborative', c.collaborative],
    ['popularity', c.popularity],
  ];
  const [name, points] = parts.reduce((best, p) => (p[1] > best[1] ? p : best), ['none', 1e-6] as [ReasonPart, number]);
  return [name, name === 'none' ? 0 : points];
}

/** A share of the run's numRuns (FC_NUM_RUNS) for the slower properties. */
const runs = (fraction: number) => Math.max(5, Math.ceil((fc.readConfigureGlobal().numRuns ?? 100) / fraction));
const total = (r: Reason) => r.evidence.reduce((s, e) => s + e.weight, 0);
const users = [...USERS, 'stranger', undefined];

describe('faithful reasons', () => {
  it('1. the kind names the largest positive part; popular only when popularity is it; nothing positive is said plainly', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build(world);
        for (const user of users) {
          for (const r of everything(rec, user, clock.t)) {
            const [part, points] = largestPart(r.contributions);
            expect(r.reason.part.name).toBe(part);
            expect(r.reason.part.points).toBeCloseTo(points, 12);
            expect(KINDS[part]).toContain(r.reason.kind);
            if (r.reason.kind === 'popular') expect(r.contributions.popularity).toBeGreaterThan(0);
            if (part === 'none') expect(r.reason.text).not.toMatch(/popular/i);
            if (user === undefined && part === 'none') expect(r.reason.kind).toBe('catalog');
          }
        }
      }),
    );
  });

  it('1. a guest on an untouched catalog gets a neutral pick, and a newcomer is told they are new', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build({ ...world, history: [] });
        for (const r of everything(rec, undefined, clock.t))
          expect(r.reason).toMatchObject({ kind: 'catalog', text: 'A pick from the catalog', evidence: [] });
        for (const r of everything(rec, 'newcomer', clock.t)) expect(r.reason.kind).toBe('new-user');
      }),
      { numRuns: runs(5) },
    );
  });

  it('1. an item shown because of the exploration draw says so, citing no more than the draw added', () => {
    let explored = 0;
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build(world, 1);
        for (const user of USERS) {
          for (const r of rec.recommend(user, { count: 5, at: clock.t })) {
            expect(r.reason.kind === 'exploring').toBe(r.explored);
            if (!r.explored) continue;
            explored++;
            expect(r.reason.part).toEqual({ name: 'exploration', points: Math.max(0, r.contributions.exploration) });
            expect(total(r.reason)).toBeLessThanOrEqual(r.reason.part.points * (1 + 1e-9) + 1e-12);
          }
        }
      }),
      { numRuns: runs(2) },
    );
    expect(explored).toBeGreaterThan(0);
  });

  it('2. evidence never sums to more than the part it explains, net of its negative pieces', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build(world);
        for (const user of users) {
          for (const r of everything(rec, user, clock.t)) {
            for (const e of r.reason.evidence) expect(e.weight).toBeGreaterThan(0);
            expect(total(r.reason)).toBeLessThanOrEqual(r.reason.part.points * (1 + 1e-9) + 1e-12);
            // A taste reason never explains a net-negative taste part as liking.
            if (KINDS.taste.includes(r.reason.kind))
              expect(r.contributions.content + r.contributions.context).toBeGreaterThan(0);
          }
        }
      }),
    );
  });

  it('3. equal evidence gets equal credit, whatever order it arrived in', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(1000), fc.integer({ min: 0, max: 5 }), (world, shuffleSeed, apartMinutes) => {
        // Twins: two items with the same tags, thumbed up by ann `apartMinutes` apart, after the history.
        const twinTags = world.items[0]!.tags!;
        const items = [
          ...world.items,
          { id: 'twin-a', title: 'Twin A', tags: twinTags },
          { id: 'twin-b', title: 'Twin B', tags: twinTags },
        ];
        const at = world.history.at(-1)?.at ?? T0;
        const ups: FeedbackEvent[] = [
          { user: 'ann', item: 'twin-a', signal: 'up', at: at + 1000 },
          { user: 'ann', item: 'twin-b', signal: 'up', at: at + 1000 + apartMinutes * 60_000 },
        ];
        // The same events in another arrival order (the times stay the times they were given).
        const shuffled = fc.sample(
          fc.shuffledSubarray(world.history, { minLength: world.history.length, maxLength: world.history.length }),
          { seed: shuffleSeed, numRuns: 1 },
        )[0]!;
        const a = build({ ...world, items, history: [...world.history, ...ups], trained: false });
        const b = build({ ...world, items, history: [...ups].reverse().concat(shuffled), trained: false });
        b.clock.t = a.clock.t;
        for (const item of items.map((x) => x.id)) {
          const ra = a.rec.explain('ann', item, { context: { hour: 9 } });
          const rb = b.rec.explain('ann', item, { context: { hour: 9 } });
          expect(rb.kind).toBe(ra.kind);
          expect(rb.text).toBe(ra.text);
          expect(rb.evidence.map((e) => e.id)).toEqual(ra.evidence.map((e) => e.id));
          rb.evidence.forEach((e, i) => expect(e.weight).toBeCloseTo(ra.evidence[i]!.weight, 9));
          const credit = (id: string) => ra.evidence.find((e) => e.id === id)?.weight;
          const [twinA, twinB] = [credit('twin-a'), credit('twin-b')];
          if (twinA !== undefined && twinB !== undefined && ra.kind === 'liked-similar') {
            // A few minutes of a 90-day half-life: equal to 1e-4.
            expect(Math.abs(twinA - twinB) / Math.max(twinA, twinB)).toBeLessThan(1e-4);
          }
        }
      }),
      { numRuns: runs(2) },
    );
  });

  it('4. a citation is a real cause: undoing the top cited item lowers the score', () => {
    let checked = 0;
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build(world);
        const snapshot = JSON.parse(JSON.stringify(rec.snapshot())) as unknown;
        for (const user of USERS) {
          for (const r of everything(rec, user, clock.t)) {
            const cited = r.reason.evidence[0];
            if (cited?.type !== 'item') continue;
            const undone = restoreRecommender(snapshot, { now: () => clock.t });
            expect(undone.removeFeedback(user, cited.id)).toBe(true);
            const after = everything(undone, user, clock.t).find((x) => x.item === r.item)!;
            expect(after.score).toBeLessThan(r.score);
            checked++;
          }
        }
      }),
      { numRuns: runs(2) },
    );
    expect(checked).toBeGreaterThan(20);
  });

  it('4. a liked item whose undoing would raise the popularity part more than it lowers the taste part is not cited', () => {
    // FC_SEED=9102 drew this world: ann liked s4 twice and s2 once; s2 is popular (dee liked it). Undoing s4
    // lowers s2's taste part by 0.22 and, ann having told less, raises its popularity part by 0.23.
    const tags = (id: string) =>
      ({ s2: ['genre:b'], s4: ['genre:b', 'mood:y', 'artist:r', 'era:1'] })[id] ?? [`genre:${id}`];
    const world = {
      items: ['s0', 's1', 's2', 's3', 's4', 's5'].map((id) => ({ id, title: id, tags: tags(id) })),
      history: [
        { user: 'bob', item: 's2', signal: 'down' as const, at: T0, context: { hour: 0 } },
        { user: 'ann', item: 's4', signal: 'up' as const, at: T0, context: { hour: 0 } },
        { user: 'dee', item: 's2', signal: 'up' as const, at: T0, context: { hour: 0 } },
        { user: 'ann', item: 's2', signal: 'up' as const, at: T0, context: { hour: 0 } },
        { user: 'ann', item: 's4', signal: 'up' as const, at: T0, context: { hour: 0 } },
      ],
      seed: 0,
      trained: false,
      delay: 0,
    };
    const { rec, clock } = build(world);
    const snapshot = JSON.parse(JSON.stringify(rec.snapshot())) as unknown;
    const s2 = everything(rec, 'ann', clock.t).find((r) => r.item === 's2')!;
    expect(s2.reason.evidence.map((e) => e.id)).not.toContain('s4');
    for (const r of everything(rec, 'ann', clock.t)) {
      for (const cited of r.reason.evidence.filter((e) => e.type === 'item')) {
        const undone = restoreRecommender(snapshot, { now: () => clock.t });
        undone.removeFeedback('ann', cited.id);
        expect(everything(undone, 'ann', clock.t).find((x) => x.item === r.item)!.score).toBeLessThan(r.score);
      }
    }
  });

  it('5. collaborative reasons cover at least 80% of the collaborative part, or count the rest', () => {
    let collaborative = 0;
    fc.assert(
      fc.property(trainedWorldArb, (world) => {
        // The default regularization (20) is tuned on MovieLens-sized data; in these worlds of a few people
        // it leaves the collaborative part near zero, with nothing for its reasons to say: 1 lets them speak.
        const { rec, clock } = build(world, 0, { regularization: 1 });
        for (const user of USERS) {
          for (const r of everything(rec, user, clock.t)) {
            if (r.reason.kind !== 'collaborative') continue;
            collaborative++;
            expect(total(r.reason)).toBeGreaterThanOrEqual(0.8 * r.reason.part.points * (1 - 1e-9));
            const group = r.reason.evidence.find((e) => e.type === 'items');
            if (group !== undefined) {
              expect(group.count).toBeGreaterThan(0);
              expect(r.reason.text).toContain(group.label);
            }
          }
        }
      }),
      { numRuns: runs(2) },
    );
    console.log(`[reasons] rule 5 checked on ${collaborative} collaborative reasons`);
    expect(collaborative).toBeGreaterThan(0);
  });

  it('6. a turned-down item is explained as turned down; a resting item as resting until a date', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build(world);
        for (const user of USERS) {
          const profile = rec.profile(user);
          const banned = new Map(profile.banned.map((b) => [b.item, b.at]));
          const resting = new Map(profile.snoozed.filter((s) => s.until > clock.t).map((s) => [s.item, s.until]));
          for (const { id } of world.items) {
            const reason = rec.explain(user, id);
            if (banned.has(id)) {
              expect(reason).toMatchObject({ kind: 'turned-down', since: banned.get(id), evidence: [] });
              expect(reason.text).toMatch(/turned .* down/);
            } else if (resting.has(id)) {
              expect(reason).toMatchObject({ kind: 'resting', until: resting.get(id) });
              expect(reason.text).toContain(new Date(resting.get(id)!).toISOString().slice(0, 10));
            } else {
              expect(['turned-down', 'resting']).not.toContain(reason.kind);
            }
            // A turned-down item is never cited as a reason to like anything.
            for (const b of banned.keys()) expect(reason.evidence.map((e) => e.id)).not.toContain(b);
          }
        }
      }),
      { numRuns: runs(2) },
    );
  });

  it('6. a rest ends: after tiredDays the item is no longer explained as resting', () => {
    const { rec, clock } = build({
      items: [
        { id: 'a', tags: ['genre:x'] },
        { id: 'b', tags: ['genre:x'] },
      ],
      history: [],
      seed: 1,
      trained: false,
      delay: 0,
    });
    rec.feedback({ user: 'ann', item: 'a', signal: 'tired' });
    expect(rec.explain('ann', 'a')).toMatchObject({ kind: 'resting', until: clock.t + 30 * DAY });
    clock.t += 31 * DAY;
    expect(rec.explain('ann', 'a').kind).not.toBe('resting');
  });

  it('7. wording follows confidence, and the structured fields carry what the text says', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { rec, clock } = build(world);
        const tagsOf = new Map(world.items.map((x) => [x.id, x.tags ?? []]));
        for (const user of users) {
          for (const r of everything(rec, user, clock.t)) {
            const { reason } = r;
            if (reason.part.name !== 'none') expect(reason.confident).toBe(reason.part.points >= 0.5);
            if (!['none', 'exploration'].includes(reason.part.name)) {
              expect(/^(You might|Some listeners)/.test(reason.text)).toBe(!reason.confident);
            }
            for (const e of reason.evidence) {
              if (e.type === 'item' && reason.kind === 'liked-similar') {
                expect(e.tags!.length).toBeGreaterThan(0);
                for (const t of e.tags!) {
                  expect(tagsOf.get(e.id)).toContain(t);
                  expect(tagsOf.get(r.item)).toContain(t);
                }
              }
              if (e.type === 'items') expect(reason.text).toContain(`${e.count} `);
            }
            const first = reason.evidence[0];
            if ((reason.kind === 'liked-similar' || reason.kind === 'collaborative') && first?.type === 'item') {
              if (first.id === r.item) expect(reason.text).toMatch(/before|again/);
              else expect(reason.text).toContain(`“${first.label}”`);
            }
          }
        }
      }),
    );
  });
});
