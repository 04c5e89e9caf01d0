import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index.js';
import { DAY_MS } from '../../src/decay/decay.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

describe('profile: what attune knows, in words a person can read', () => {
  it('lists tastes, thumbs with dates, bans, rests, hold-backs, consent, mutes, changes and evidence', () => {
    const items = [...musicCatalog(6), { id: 'case-1', title: 'Phone case', tags: ['category:phone-case'] }];
    let now = T0;
    const rec = createRecommender({ items, now: () => now, tiredDays: 30, holdBackDays: 14 });
    rec.feedback([
      { user: 'ann', item: 'jazz-0', signal: 'up' },
      { user: 'ann', item: 'jazz-1', signal: 'up' },
      { user: 'ann', item: 'metal-0', signal: 'down' },
      { user: 'ann', item: 'soul-0', signal: 'tired' },
      { user: 'ann', item: 'case-1', signal: 'purchase' },
    ]);
    rec.setPreferences('ann', { consent: { health: true }, mutedTags: ['genre:polka'] });
    now += DAY_MS;
    const p = rec.profile('ann');
    expect(p.known).toBe(true);
    expect(p.likedTags[0]!.tag).toBe('genre:jazz');
    expect(p.likedTags[0]!.weight).toBeGreaterThan(0);
    expect(p.likedTags[0]!.confidence).toBeGreaterThan(0);
    expect(p.dislikedTags.map((t) => t.tag)).toContain('genre:metal');
    expect(p.thumbs.map((t) => [t.item, t.signal, t.date])).toEqual([
      ['jazz-0', 'up', '2026-01-01'],
      ['jazz-1', 'up', '2026-01-01'],
      ['metal-0', 'down', '2026-01-01'],
    ]);
    expect(p.banned.map((b) => b.item)).toEqual(['metal-0']);
    expect(p.snoozed).toEqual([expect.objectContaining({ item: 'soul-0', untilDate: '2026-01-31' })]);
    expect(p.heldBack).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ item: 'case-1' }),
        expect.objectContaining({ tag: 'category:phone-case', untilDate: '2026-01-15' }),
      ]),
    );
    expect(p.consent).toEqual({ health: true });
    expect(p.mutedTags).toEqual(['genre:polka']);
    expect(p.evidence).toMatchObject({ events: 5, level: 'some' });
    expect(p.text).toMatch(/You seem to like jazz/);
    expect(p.text).toMatch(/turned down will not be played again/);
    expect(p.text).toMatch(/Muted: polka/);
    rec.setPreferences('ann', { reset: true });
    expect(rec.profile('ann').changes).toEqual([expect.objectContaining({ cause: 'requested', date: '2026-01-02' })]);
  });

  it('says it knows nothing about strangers, and that opted-out users are not profiled', () => {
    const rec = createRecommender({ items: musicCatalog(2), now: () => T0 });
    expect(rec.profile('nobody')).toMatchObject({ known: false, text: 'attune knows nothing about you yet.' });
    rec.setPreferences('ann', { optOut: true });
    expect(rec.profile('ann').text).toMatch(/switched personalisation off/);
  });
});

describe('reason wording follows confidence', () => {
  it('is tentative on thin evidence and firm on strong evidence', () => {
    let now = T0;
    const thin = createRecommender({ items: musicCatalog(), seed: 2, exploration: 0, now: () => now });
    thin.feedback({ user: 'ann', item: 'folk-0', signal: 'play' });
    now += DAY_MS; // past the quoting delay
    const weak = thin.explain('ann', 'folk-6');
    expect(weak.kind).toBe('liked-similar');
    expect(weak.text).toMatch(/^You might like this/);
    const strong = createRecommender({ items: musicCatalog(), seed: 2, exploration: 0, now: () => now });
    for (const i of [0, 12, 18, 24]) strong.feedback({ user: 'ann', item: `folk-${i}`, signal: 'up' });
    expect(strong.explain('ann', 'folk-6').text).toMatch(/^Because you liked/);
  });
});

describe('profile: the amount of evidence after records are taken out', () => {
  it('says none when removing a station leaves only rounding in the sums (as if it had never been)', () => {
    // Found by the station-removal property: an up and a play on the removed station, a down on the other.
    const items = musicCatalog(4, ['jazz', 'rock', 'folk', 'soul']);
    const build = (withStation: boolean) => {
      const rec = createRecommender({
        items,
        seed: 3,
        exploration: 0,
        lifeStages: false,
        halfLifeDays: Infinity,
        now: () => T0,
      });
      rec.createStation('ann', { id: 'kept', seeds: [{ tag: 'genre:soul' }] });
      if (withStation) rec.createStation('ann', { id: 'gone', seeds: [{ tag: 'genre:jazz' }] });
      if (withStation) rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', station: 'gone', at: T0 });
      rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'down', station: 'kept', at: T0 });
      if (withStation) rec.feedback({ user: 'ann', item: 'rock-0', signal: 'play', station: 'gone', at: T0 });
      if (withStation) rec.removeStation('ann', 'gone');
      return rec.profile('ann').evidence;
    };
    const never = build(false);
    expect(never).toEqual({ events: 1, weight: 0, level: 'none' });
    expect(build(true)).toEqual(never);
  });
});
