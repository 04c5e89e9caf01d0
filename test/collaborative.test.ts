import fc from 'fast-check';
import { Decay } from '../src/decay/decay.js';
import { describe, expect, it } from 'vitest';
import { createRecommender, restoreRecommender } from '../src/index.js';
import type { Item } from '../src/types.js';
import { T0 } from './__helpers__/catalog.js';
import type { PeopleStore } from '../src/people/store.js';
import { scopeEntries } from '../src/people/entries.js';
import type { UserEntries } from '../src/models/collaborative/collaborative.js';

/**
 * A world where tags say nothing (every item has the same tag) but people do:
 * two taste groups, each liking its own half of the catalog.
 */
function tasteGroups(seed: number) {
  const items: Item[] = Array.from({ length: 40 }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    tags: ['kind:song'],
  }));
  const events = [];
  let t = T0;
  for (let u = 0; u < 30; u++) {
    const group = u % 2;
    for (let k = 0; k < 8; k++) {
      const item = group * 20 + ((u * 7 + k * 3 + seed) % 20);
      events.push({ user: `u${u}`, item: `i${item}`, signal: 'up' as const, at: (t += 60_000) });
    }
  }
  return { items, events, now: () => t + 60_000 };
}

describe('collaborative model in the recommender', () => {
  it('learns from everyone: after train(), a new listener of one group gets that group', () => {
    const { items, events, now } = tasteGroups(1);
    // 30 users × 8 thumbs: far less evidence than the defaults (tuned on MovieLens) regularize for
    const rec = createRecommender({ items, seed: 5, now, exploration: 0, collaborative: { regularization: 1 } });
    rec.feedback(events);
    const report = rec.train();
    expect(report.iterations).toBeGreaterThan(0);
    expect(report.loss.length).toBe(report.iterations);
    expect(report.users).toBe(30);
    // fold-in: the very next list reflects new thumbs without a retrain
    rec.feedback([
      { user: 'new', item: 'i3', signal: 'up' },
      { user: 'new', item: 'i7', signal: 'up' },
    ]);
    const list = rec.recommend('new', { count: 8 });
    const ownHalf = list.filter((r) => Number(r.item.slice(1)) < 20).length;
    expect(ownHalf).toBeGreaterThanOrEqual(7);
    expect(list.some((r) => r.reason.kind === 'collaborative')).toBe(true);
    const top = list.find((r) => r.reason.kind === 'collaborative')!;
    expect(top.reason.evidence[0]!.type).toBe('item');
    expect(['i3', 'i7']).toContain(top.reason.evidence[0]!.id);
  });

  it('explanations are exact: per-liked-item pieces plus the remainder equal the collaborative contribution', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 6 }),
        (seed, liked) => {
          const { items, events, now } = tasteGroups(seed);
          const rec = createRecommender({ items, seed, now, exploration: 0, implicitQuoteDelayMinutes: 0 });
          rec.feedback(events);
          rec.train();
          rec.feedback(liked.map((i) => ({ user: 'me', item: `i${i}`, signal: 'up' as const })));
          const internals = (
            rec as unknown as {
              world: {
                people: PeopleStore;
                model: {
                  explain: (
                    e: UserEntries,
                    i: number,
                  ) => {
                    sum: number;
                    score: number;
                    remainder: number;
                    contributions: { item: number; weight: number }[];
                  };
                };
              };
            }
          ).world;
          const me = scopeEntries(internals.people.get('me')!, new Decay(90 * 86_400_000));
          for (const r of rec.recommend('me', { count: 5 })) {
            const index = Number(r.item.slice(1));
            const x = internals.model.explain(me, index);
            expect(x.sum + x.remainder).toBeCloseTo(x.score, 10);
            expect(Math.abs(x.remainder)).toBeLessThan(1e-8);
            const scale = r.contributions.collaborative / x.score;
            const cited = r.reason.kind === 'collaborative' ? r.reason.evidence : [];
            // Cited pieces are netted: each positive piece scaled by part / (sum of positive pieces).
            const positive = x.contributions.reduce((s, c) => s + Math.max(0, c.weight), 0) * scale;
            for (const e of cited.filter((c) => c.type === 'item')) {
              const piece = x.contributions.find((c) => `i${c.item}` === e.id)!;
              expect(e.weight).toBeCloseTo((piece.weight * scale * r.contributions.collaborative) / positive, 10);
            }
            for (const c of x.contributions) expect(liked).toContain(c.item);
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('never cites a turned-down item, and snapshots keep the model exactly', () => {
    const { items, events, now } = tasteGroups(2);
    const rec = createRecommender({ items, seed: 9, now, exploration: 0 });
    rec.feedback(events);
    rec.train();
    rec.feedback([
      { user: 'me', item: 'i1', signal: 'up' },
      { user: 'me', item: 'i2', signal: 'down' },
    ]);
    for (const r of rec.recommend('me', { count: 20 })) expect(r.reason.evidence.map((e) => e.id)).not.toContain('i2');
    const json = JSON.stringify(rec.snapshot());
    const back = restoreRecommender(JSON.parse(json), { now });
    expect(JSON.stringify(back.snapshot())).toBe(json);
    expect(back.recommend('me', { count: 10 })).toEqual(rec.recommend('me', { count: 10 }));
    expect(back.recommend('u3', { count: 10 })).toEqual(rec.recommend('u3', { count: 10 }));
  });

  it('same seed and events give the same factors; collaborative: false turns it off', () => {
    const { items, events, now } = tasteGroups(3);
    const a = createRecommender({ items, seed: 1, now });
    const b = createRecommender({ items, seed: 1, now });
    a.feedback(events);
    b.feedback(events);
    a.train();
    b.train();
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
    const off = createRecommender({ items, seed: 1, now, collaborative: false });
    off.feedback(events);
    expect(off.train().iterations).toBe(0);
    expect(off.recommend('u1').every((r) => r.contributions.collaborative === 0)).toBe(true);
  });

  it('reports progress and refuses bad options with nothing changed', () => {
    const { items, events, now } = tasteGroups(4);
    const rec = createRecommender({ items, now, collaborative: { iterations: 4, factors: 8 } });
    rec.feedback(events);
    const seen: number[] = [];
    rec.train({ onProgress: (p) => seen.push(p.iteration) });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(() => createRecommender({ items, collaborative: { factors: -3 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => createRecommender({ items, collaborative: { weight: Number.NaN } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

describe('collaborative entries follow life stages', () => {
  it('fade evidence from before a detected change, as the content model does', async () => {
    const { newPerson } = await import('../src/people/person.js');
    const { scopeEntries } = await import('../src/people/entries.js');
    const { fadePerson, applyEvent } = await import('../src/people/learning.js');
    const { Catalog } = await import('../src/catalog/catalog.js');
    const { PopularityModel } = await import('../src/models/popularity/popularity.js');
    const catalog = new Catalog();
    catalog.add([
      { id: 'a', tags: ['g:x'] },
      { id: 'b', tags: ['g:y'] },
      { id: 'c', tags: ['g:z'] },
    ]);
    const popularity = new PopularityModel(Decay.none);
    popularity.resize(3);
    const ctx = { catalog, decay: Decay.none, tiredMs: 0, lifeStages: false, popularity };
    const person = newPerson('ann', Decay.none);
    const up = (item: number) =>
      applyEvent(ctx, person, { user: 'ann', item, signal: 'up', at: T0 + item, weight: 1, context: undefined });
    up(0);
    up(1);
    const before = scopeEntries(person, Decay.none);
    fadePerson(ctx, person, 0.2);
    up(2);
    const after = scopeEntries(person, Decay.none);
    // Entries are on the person's own scale (relativeToTypical), so the fade shows in the ratios: old items
    // keep 0.2 of their weight against the new one.
    expect(before.confidence[0]).toBe(before.confidence[1]);
    expect(after.confidence[0]! / after.confidence[2]!).toBeCloseTo(0.2, 12);
    expect(after.confidence[1]! / after.confidence[2]!).toBeCloseTo(0.2, 12);
  });
});
