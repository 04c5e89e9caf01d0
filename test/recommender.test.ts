import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, restoreRecommender } from '../src/index.js';
import { DAY_MS } from '../src/decay/decay.js';
import { T0, musicCatalog } from './__helpers__/catalog.js';

function setup(extra: Parameters<typeof createRecommender>[0] = {}) {
  let now = T0;
  const clock = { get: () => now, advance: (ms: number) => (now += ms) };
  const rec = createRecommender({ items: musicCatalog(), seed: 7, now: () => now, ...extra });
  return { rec, clock };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AttuneError);
    return (e as AttuneError).code;
  }
  return undefined;
}

describe('recommend', () => {
  it('returns count items, each with a reason, a propensity in (0, 1] and finite score', () => {
    const { rec } = setup();
    const list = rec.recommend('ann', { count: 12 });
    expect(list).toHaveLength(12);
    expect(new Set(list.map((r) => r.item)).size).toBe(12);
    for (const r of list) {
      expect(r.reason.text.length).toBeGreaterThan(5);
      expect(r.propensity).toBeGreaterThan(0);
      expect(r.propensity).toBeLessThanOrEqual(1);
      expect(Number.isFinite(r.score)).toBe(true);
      const c = r.contributions;
      expect(c.content + c.context + c.collaborative + c.popularity + c.exploration).toBeCloseTo(r.score, 12);
    }
  });

  it('estimates propensities when read: JSON, spreads and structuredClone carry them; a caller may overwrite one', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
    const again = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())), { now: () => T0 });
    const list = rec.recommend('ann', { count: 5 });
    const read = list.map((r) => r.propensity);
    const json = JSON.parse(JSON.stringify(list)) as { propensity: number }[];
    expect(json.map((r) => r.propensity)).toEqual(read);
    expect(list.map((r) => ({ ...r }).propensity)).toEqual(read);
    expect(structuredClone(list).map((r) => r.propensity)).toEqual(read);
    expect(Object.keys(list[0]!)).toEqual(['item', 'score', 'reason', 'explored', 'propensity', 'contributions']);
    list[0]!.propensity = 0.5;
    expect(list[0]!.propensity).toBe(0.5);
    expect(JSON.parse(JSON.stringify(list[0])).propensity).toBe(0.5);
    // the same request on a restored copy, read field by field later, gives the same numbers
    const later = again.recommend('ann', { count: 5 });
    again.recommend('ann', { count: 5 }).forEach((r) => r.propensity);
    expect(later.map((r) => r.propensity)).toEqual(read);
  });

  it('gives guests a popularity list that teaches nothing', () => {
    const { rec } = setup();
    rec.feedback([
      { user: 'ann', item: 'soul-3', signal: 'up' },
      { user: 'bob', item: 'soul-3', signal: 'up' },
    ]);
    const before = JSON.stringify(rec.snapshot());
    const list = rec.recommend(undefined, { count: 5 });
    expect(list[0]!.item).toBe('soul-3');
    expect(list.every((r) => r.propensity === 1 && !r.explored)).toBe(true);
    // Popularity is named only where it is positive; an untouched item is a plain pick from the catalog.
    for (const r of list) expect(r.reason.kind).toBe(r.contributions.popularity > 0 ? 'popular' : 'catalog');
    expect(list[0]!.reason.kind).toBe('popular');
    expect(JSON.stringify(rec.snapshot())).toBe(before);
  });

  it('leaves out seen, excluded, banned and snoozed items', () => {
    const { rec } = setup();
    rec.feedback([
      { user: 'ann', item: 'jazz-1', signal: 'play' },
      { user: 'ann', item: 'jazz-2', signal: 'down' },
      { user: 'ann', item: 'jazz-3', signal: 'tired' },
    ]);
    const all = rec.recommend('ann', { count: 1000, exclude: ['jazz-4'] }).map((r) => r.item);
    expect(all).not.toContain('jazz-1');
    expect(all).not.toContain('jazz-2');
    expect(all).not.toContain('jazz-3');
    expect(all).not.toContain('jazz-4');
    const replay = rec.recommend('ann', { count: 1000, includeSeen: true }).map((r) => r.item);
    expect(replay).toContain('jazz-1');
    expect(replay).not.toContain('jazz-2');
    expect(replay).not.toContain('jazz-3');
  });

  it('rests a tired item for tiredDays, then lets it come back', () => {
    const { rec, clock } = setup({ tiredDays: 30 });
    rec.feedback({ user: 'ann', item: 'rock-5', signal: 'tired' });
    clock.advance(29 * DAY_MS);
    expect(rec.recommend('ann', { count: 1000, includeSeen: true }).map((r) => r.item)).not.toContain('rock-5');
    clock.advance(2 * DAY_MS);
    expect(rec.recommend('ann', { count: 1000, includeSeen: true }).map((r) => r.item)).toContain('rock-5');
  });

  it('tired teaches nothing negative', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'rock-5', signal: 'tired' });
    expect(rec.profile('ann').dislikedTags).toEqual([]);
    expect(rec.profile('ann').likedTags).toEqual([]);
  });

  it('never shows a purchased item again and holds back its category for a while', () => {
    const items = [
      { id: 'case-1', title: 'Phone case', tags: ['category:phone-case', 'brand:x'] },
      { id: 'case-2', title: 'Another case', tags: ['category:phone-case', 'brand:y'] },
      { id: 'sock-1', title: 'Socks', tags: ['category:socks', 'brand:x'] },
    ];
    let now = T0;
    const rec = createRecommender({ items, seed: 1, now: () => now, holdBackDays: 10 });
    rec.feedback({ user: 'ann', item: 'case-1', signal: 'purchase' });
    expect(rec.recommend('ann', { includeSeen: true }).map((r) => r.item)).toEqual(['sock-1']);
    now += 11 * DAY_MS;
    const later = rec
      .recommend('ann', { includeSeen: true })
      .map((r) => r.item)
      .sort();
    expect(later).toEqual(['case-2', 'sock-1']);
    expect(rec.profile('ann').heldBack.some((h) => h.item === 'case-1')).toBe(true);
  });

  it('a thumbs-up moves the very next list towards the liked item', () => {
    const { rec } = setup({ exploration: 0 });
    const before = rec.recommend('ann', { count: 10 }).filter((r) => r.item.startsWith('opera-')).length;
    rec.feedback({ user: 'ann', item: 'opera-0', signal: 'up' });
    const after = rec.recommend('ann', { count: 10 });
    expect(after.filter((r) => r.item.startsWith('opera-')).length).toBeGreaterThan(before);
    expect(after[0]!.reason.kind).toBe('liked-similar');
    expect(after[0]!.reason.text).toContain('“opera song 0”');
    expect(after[0]!.reason.evidence[0]).toMatchObject({ type: 'item', id: 'opera-0' });
  });

  it('a thumbs-down lowers items that share its tags', () => {
    const { rec } = setup({ exploration: 0 });
    const score = () => rec.recommend('ann', { count: 1000 }).find((r) => r.item === 'metal-6')!.contributions.content;
    rec.feedback({ user: 'ann', item: 'pop-1', signal: 'up' });
    const before = score();
    rec.feedback({ user: 'ann', item: 'metal-0', signal: 'down' });
    expect(score()).toBeLessThan(before);
  });

  it('uses context: tag x context weights follow when things are liked', () => {
    const { rec, clock } = setup({ exploration: 0 });
    for (let i = 0; i < 6; i++) {
      rec.feedback({ user: 'ann', item: `jazz-${i}`, signal: 'up', context: { hour: 8 } });
      rec.feedback({ user: 'ann', item: `metal-${i}`, signal: 'up', context: { hour: 22 } });
      clock.advance(DAY_MS);
    }
    const morning = rec.recommend('ann', { count: 10, context: { hour: 7 } });
    const night = rec.recommend('ann', { count: 10, context: { hour: 21 } });
    const share = (list: typeof morning, g: string) => list.filter((r) => r.item.startsWith(g)).length;
    expect(share(morning, 'jazz-')).toBeGreaterThan(share(night, 'jazz-'));
    expect(share(night, 'metal-')).toBeGreaterThan(share(morning, 'metal-'));
    const jazz = morning.find((r) => r.item.startsWith('jazz-'))!;
    expect(jazz.contributions.context).toBeGreaterThan(0);
  });

  it('keeps lists diverse: at most two items of one artist by default', () => {
    const { rec } = setup({ exploration: 0 });
    for (let i = 0; i < 12; i += 6) rec.feedback({ user: 'ann', item: `folk-${i}`, signal: 'up' });
    const list = rec.recommend('ann', { count: 10 });
    const perArtist = new Map<string, number>();
    const items = new Map(musicCatalog().map((x) => [x.id, x]));
    for (const r of list)
      for (const t of items.get(r.item)!.tags!)
        if (t.startsWith('artist:')) perArtist.set(t, (perArtist.get(t) ?? 0) + 1);
    expect(Math.max(...perArtist.values())).toBeLessThanOrEqual(2);
  });

  it('treats __proto__ and constructor as ordinary ids', () => {
    const rec = createRecommender({
      items: [
        { id: '__proto__', tags: ['a:b'] },
        { id: 'constructor', tags: ['a:b'] },
        { id: 'x', tags: ['a:c'] },
      ],
      now: () => T0,
    });
    rec.feedback({ user: '__proto__', item: '__proto__', signal: 'up' });
    rec.feedback({ user: 'hasOwnProperty', item: 'constructor', signal: 'down' });
    expect(
      rec
        .recommend('__proto__')
        .map((r) => r.item)
        .sort(),
    ).toEqual(['constructor', 'x']);
    expect(rec.profile('__proto__').thumbs[0]!.item).toBe('__proto__');
    const back = restoreRecommender(JSON.parse(JSON.stringify(rec.snapshot())), { now: () => T0 });
    expect(back.snapshot()).toEqual(rec.snapshot());
  });
});

describe('explain', () => {
  it('gives the same reason recommend gave for an exploited item', () => {
    const { rec } = setup();
    rec.feedback([
      { user: 'ann', item: 'soul-0', signal: 'up' },
      { user: 'ann', item: 'soul-1', signal: 'up' },
    ]);
    const list = rec.recommend('ann', { count: 10, at: T0 + 1000 });
    const exploited = list.filter((r) => !r.explored);
    expect(exploited.length).toBeGreaterThan(0);
    for (const r of exploited) expect(rec.explain('ann', r.item, { at: T0 + 1000 })).toEqual(r.reason);
  });

  it('never cites a turned-down item', () => {
    const { rec } = setup({ exploration: 0 });
    rec.feedback([
      { user: 'ann', item: 'blues-0', signal: 'up' },
      { user: 'ann', item: 'blues-0', signal: 'down' },
      { user: 'ann', item: 'blues-1', signal: 'up' },
    ]);
    const reason = rec.explain('ann', 'blues-6');
    expect(reason.evidence.map((e) => e.id)).not.toContain('blues-0');
    expect(reason.text).not.toContain('blues song 0');
  });

  it('waits before quoting implicit signals back, but shows explicit thumbs at once', () => {
    const { rec, clock } = setup({ exploration: 0, implicitQuoteDelayMinutes: 180 });
    rec.feedback({ user: 'ann', item: 'house-0', signal: 'purchase' });
    clock.advance(2 * 60_000);
    const early = rec.explain('ann', 'house-6');
    expect(early.evidence.map((e) => e.id)).not.toContain('house-0');
    clock.advance(180 * 60_000);
    expect(rec.explain('ann', 'house-6').evidence.map((e) => e.id)).toContain('house-0');
    rec.feedback({ user: 'bob', item: 'house-0', signal: 'up' });
    expect(rec.explain('bob', 'house-6').evidence.map((e) => e.id)).toContain('house-0');
  });
});

describe('control and erasure', () => {
  it('removeFeedback forgets exactly: as if the signal was never given', () => {
    const a = setup().rec;
    const b = setup().rec;
    const e1 = { user: 'ann', item: 'pop-1', signal: 'up', at: T0 } as const;
    const e2 = { user: 'ann', item: 'pop-2', signal: 'down', at: T0 + 1 } as const;
    const e3 = { user: 'bob', item: 'pop-2', signal: 'up', at: T0 + 2 } as const;
    a.feedback([e1, e2, e3]);
    b.feedback([e1, e3]);
    expect(a.removeFeedback('ann', 'pop-2')).toBe(true);
    // The same records; statistics equal to rounding (their reference times may differ).
    // The life-stage watch keeps what it observed (it is not rebuilt on undo).
    const people = (r: typeof a) => r.snapshot().people.map((p) => ({ ...p, taste: null, watch: null }));
    expect(people(a)).toEqual(people(b));
    const scores = (r: typeof a) => r.recommend('ann', { count: 1000 }).map((x) => [x.item, x.score] as const);
    const [sa, sb] = [scores(a), scores(b)];
    expect(sa.map(([i]) => i)).toEqual(sb.map(([i]) => i));
    sa.forEach(([, s], i) => expect(Math.abs(s - sb[i]![1])).toBeLessThanOrEqual(1e-9));
    expect(a.removeFeedback('ann', 'pop-2')).toBe(false);
  });

  it('forget leaves everyone else exactly as if the user never existed', () => {
    const a = setup().rec;
    const b = setup().rec;
    const others = [
      { user: 'bob', item: 'punk-1', signal: 'up', at: T0 },
      { user: 'cat', item: 'punk-2', signal: 'play', at: T0 + 5 },
    ] as const;
    a.feedback([
      others[0],
      { user: 'zed', item: 'punk-1', signal: 'down', at: T0 + 1 },
      others[1],
      { user: 'zed', item: 'opera-1', signal: 'up', at: T0 + 6 },
    ]);
    b.feedback([...others]);
    a.recommend('zed');
    expect(a.forget('zed')).toBe(true);
    a.train();
    b.train();
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
    expect(JSON.stringify(a.snapshot())).not.toContain('zed');
    expect(a.recommend('bob')).toEqual(b.recommend('bob'));
    expect(a.forget('zed')).toBe(false);
  });

  it('opted-out users get popular lists and nothing they do is kept', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'rock-1', signal: 'up' });
    rec.setPreferences('ann', { optOut: true });
    const before = JSON.stringify(rec.snapshot());
    rec.feedback({ user: 'ann', item: 'rock-2', signal: 'up' });
    expect(
      rec
        .recommend('ann')
        .every(
          (r) =>
            r.reason.kind === (r.contributions.popularity > 0 ? 'popular' : 'catalog') && r.contributions.content === 0,
        ),
    ).toBe(true);
    expect(JSON.stringify(rec.snapshot())).toBe(before);
    expect(rec.profile('ann')).toMatchObject({ optOut: true, thumbs: [] });
    rec.setPreferences('ann', { optOut: false });
    expect(rec.profile('ann').thumbs).toEqual([]);
  });

  it('muted tags never appear and are never cited', () => {
    const { rec } = setup({ exploration: 0 });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up' });
    rec.setPreferences('ann', { mutedTags: ['mood:mellow'] });
    const items = new Map(musicCatalog().map((x) => [x.id, x]));
    for (const r of rec.recommend('ann', { count: 1000 })) {
      expect(items.get(r.item)!.tags).not.toContain('mood:mellow');
      expect(r.reason.evidence.map((e) => e.id)).not.toContain('mood:mellow');
    }
  });

  it('sensitive items need consent to be shown or learned from', () => {
    const items = [
      ...musicCatalog(5),
      { id: 'clinic', title: 'Clinic Finder', tags: ['topic:health'], sensitive: ['health'] },
    ];
    let now = T0;
    const rec = createRecommender({ items, now: () => now });
    expect(rec.recommend('ann', { count: 1000 }).map((r) => r.item)).not.toContain('clinic');
    const before = rec.profile('ann');
    rec.feedback({ user: 'ann', item: 'clinic', signal: 'up' });
    expect(rec.profile('ann').likedTags).toEqual(before.likedTags);
    rec.setPreferences('ann', { consent: { health: true } });
    expect(rec.profile('ann').likedTags.map((t) => t.tag)).toContain('topic:health');
    expect(rec.recommend('bob', { count: 1000 }).map((r) => r.item)).not.toContain('clinic');
    expect(rec.recommend('cy', { count: 1000 }).map((r) => r.item)).not.toContain('clinic');
    rec.setPreferences('cy', { consent: { health: true } });
    expect(rec.recommend('cy', { count: 1000 }).map((r) => r.item)).toContain('clinic');
  });

  it('setPreferences reset starts a new life stage, keeping bans', () => {
    const { rec } = setup();
    rec.feedback([
      { user: 'ann', item: 'rock-1', signal: 'up' },
      { user: 'ann', item: 'rock-2', signal: 'down' },
    ]);
    rec.setPreferences('ann', { reset: true });
    const p = rec.profile('ann');
    expect(p.likedTags).toEqual([]);
    expect(p.banned.map((b) => b.item)).toEqual(['rock-2']);
    expect(p.changes[0]!.cause).toBe('requested');
    expect(rec.recommend('ann', { count: 1000 }).map((r) => r.item)).not.toContain('rock-2');
  });
});

describe('bad input', () => {
  it('refuses bad events with a code, all-or-nothing', () => {
    const { rec } = setup();
    const before = JSON.stringify(rec.snapshot());
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'nope', signal: 'up' }))).toBe('UNKNOWN_ITEM');
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'love' as never }))).toBe('INVALID_EVENT');
    expect(codeOf(() => rec.feedback({ user: '', item: 'jazz-1', signal: 'up' }))).toBe('INVALID_EVENT');
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', weight: -1 }))).toBe('INVALID_EVENT');
    expect(codeOf(() => rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: Number.NaN }))).toBe(
      'INVALID_EVENT',
    );
    expect(
      codeOf(() =>
        rec.feedback([
          { user: 'ann', item: 'jazz-1', signal: 'up' },
          { user: 'ann', item: 'jazz-2', signal: 'up', context: { Gender: 'f' } },
        ]),
      ),
    ).toBe('PROTECTED_ATTRIBUTE');
    expect(JSON.stringify(rec.snapshot())).toBe(before);
  });

  it('refuses protected attributes in any spelling', () => {
    const { rec } = setup();
    for (const key of [
      'gender',
      'Gender',
      'user_gender',
      'RACE',
      'religion',
      'sexual-orientation',
      'age',
      'Nationality',
      'pregnancy',
      'ethnicity',
      'disability',
    ]) {
      expect(codeOf(() => rec.recommend('ann', { context: { [key]: 'x' } }))).toBe('PROTECTED_ATTRIBUTE');
    }
    expect(codeOf(() => createRecommender({ protectedAttributes: { replace: [] } }))).toBe('INVALID_OPTIONS');
    const custom = createRecommender({
      items: musicCatalog(1),
      protectedAttributes: { extend: ['income'] },
      now: () => T0,
    });
    expect(codeOf(() => custom.recommend('ann', { context: { incomeBand: 'high' } }))).toBe('PROTECTED_ATTRIBUTE');
    expect(codeOf(() => custom.recommend('ann', { context: { gender: 'x' } }))).toBe('PROTECTED_ATTRIBUTE');
  });

  it('names the call and what to fix', () => {
    const { rec } = setup();
    expect(() => rec.recommend('ann', { count: 1.5 })).toThrow(
      /^recommend: count must be a whole number from 1 to 1000, got 1.5$/,
    );
    expect(codeOf(() => rec.recommend('', {}))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => rec.addItems([{ id: 'jazz-1' }]))).toBe('DUPLICATE_ITEM');
    expect(codeOf(() => rec.addItems([{ id: 'new' }, { id: 'new' }]))).toBe('DUPLICATE_ITEM');
    expect(rec.itemCount).toBe(300);
    expect(codeOf(() => rec.explain('ann', 'missing'))).toBe('UNKNOWN_ITEM');
    expect(codeOf(() => rec.setPreferences('ann', { mutedTags: 'x' as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createRecommender({ halfLifeDays: -1 }))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => createRecommender({ items: [{ id: 'a' }, { id: 'a' }] }))).toBe('DUPLICATE_ITEM');
    expect(() => createRecommender({ propensityPatience: 0 })).toThrow(
      /^createRecommender: propensityPatience must be a whole number from 1 to 10000, got 0$/,
    );
    expect(codeOf(() => createRecommender({ propensityPatience: 2.5 }))).toBe('INVALID_OPTIONS');
  });

  it('keeps propensityPatience in a snapshot only when it is not the default, and restores it', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, tags: [`genre:g${i % 5}`] }));
    const made = (patience?: number) => {
      const rec = createRecommender({
        items,
        seed: 4,
        now: () => T0,
        ...(patience === undefined ? {} : { propensityPatience: patience }),
      });
      rec.feedback({ user: 'ann', item: 's1', signal: 'up', at: T0 });
      return rec;
    };
    expect('propensityPatience' in made().snapshot().options).toBe(false);
    const patient = made(10_000);
    const snapshot = JSON.parse(JSON.stringify(patient.snapshot()));
    expect(snapshot.options.propensityPatience).toBe(10_000);
    const restored = restoreRecommender(snapshot, { now: () => T0 });
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(patient.snapshot()));
    // the same draws, the same propensities
    const key = (r: { item: string; propensity: number }) => `${r.item}:${r.propensity}`;
    expect(restored.recommend('ann', { count: 5, at: T0 }).map(key)).toEqual(
      patient.recommend('ann', { count: 5, at: T0 }).map(key),
    );
  });

  it('refuses corrupt and unknown-version snapshots', () => {
    const { rec } = setup();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up' });
    const snap = JSON.parse(JSON.stringify(rec.snapshot()));
    expect(codeOf(() => restoreRecommender({ ...snap, version: 4 }))).toBe('BAD_SNAPSHOT');
    expect(
      codeOf(() =>
        restoreRecommender({
          ...snap,
          people: [{ ...snap.people[0], evidence: { ...snap.people[0].evidence, item: [9999] } }],
        }),
      ),
    ).toBe('BAD_SNAPSHOT');
    expect(
      codeOf(() =>
        restoreRecommender({
          ...snap,
          people: [{ ...snap.people[0], evidence: { ...snap.people[0].evidence, up: [-1] } }],
        }),
      ),
    ).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender({ ...snap, popularity: [[0, -1, 0, T0, 1]] }))).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender({ ...snap, items: [{ id: 'a' }, { id: 'a' }] }))).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender(null))).toBe('BAD_SNAPSHOT');
  });

  it('lets new items be added and recommended', () => {
    const { rec } = setup();
    rec.addItems([{ id: 'new-song', title: 'New Song', tags: ['genre:jazz'] }]);
    expect(rec.recommend('ann', { count: 1000 }).map((r) => r.item)).toContain('new-song');
  });
});

describe('restore validates what it reads', () => {
  it('refuses a snapshot whose records carry malformed contexts, or whose options are malformed', () => {
    const rec = createRecommender({ items: musicCatalog(2), now: () => T0 });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up', context: { hour: 8 } });
    const snap = JSON.parse(JSON.stringify(rec.snapshot()));
    const withContexts = (ctx: unknown) => ({
      ...snap,
      people: [{ ...snap.people[0], evidence: { ...snap.people[0].evidence, ctx: [[0, ctx]] } }],
    });
    expect(codeOf(() => restoreRecommender(withContexts({ 'daypart=morning': [1] })))).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender(withContexts({ 'daypart=morning': [-1, 0] })))).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender({ ...snap, options: { ...snap.options, lifeStages: 'yes' } }))).toBe(
      'BAD_SNAPSHOT',
    );
    expect(codeOf(() => restoreRecommender({ ...snap, options: { ...snap.options, halflifeDays: 3 } }))).toBe(
      'BAD_SNAPSHOT',
    );
    // Well formed, but the person's taste is no longer the sum of the records (issue 26, 13).
    expect(codeOf(() => restoreRecommender(withContexts({ 'daypart=morning': [2, 0] })))).toBe('BAD_SNAPSHOT');
    const own = snap.people[0].evidence.ctx[0][1];
    expect(restoreRecommender(withContexts(own)).profile('ann').thumbs).toHaveLength(1);
  });

  it('migrates a version 1 snapshot (every event) by replaying it once, and refuses its protected or malformed contexts', () => {
    const items = musicCatalog(2);
    const v1 = (context?: unknown) => ({
      format: 'attune.snapshot',
      version: 1,
      options: {
        seed: 0,
        halfLifeDays: 90,
        tiredDays: 30,
        holdBackDays: 14,
        holdBackFacets: ['category'],
        implicitQuoteDelayMinutes: 180,
        exploration: 0.3,
        propensitySamples: 32,
        facetCaps: { artist: 2 },
        maxTagShare: 0.7,
        mmrLambda: 1,
        protectedAttributes: ['gender', 'age'],
        poolSize: 200,
        lifeStages: true,
        collaborative: {},
      },
      items,
      users: [{ id: 'ann', optOut: false, consent: [], mutedTags: [], draws: 3, changes: [] }],
      events: [
        [0, 0, 'up', T0, 1, ...(context === undefined ? [] : [context])],
        [0, 1, 'down', T0 + 1, 1],
      ],
    });
    const migrated = restoreRecommender(v1({ hour: 9 }), { now: () => T0 + 10 });
    const fresh = createRecommender({ items, now: () => T0 + 10 });
    fresh.feedback([
      { user: 'ann', item: items[0]!.id, signal: 'up', at: T0, context: { hour: 9 } },
      { user: 'ann', item: items[1]!.id, signal: 'down', at: T0 + 1 },
    ]);
    expect(migrated.snapshot().people[0]!.evidence).toEqual(fresh.snapshot().people[0]!.evidence);
    expect(migrated.snapshot().version).toBe(3);
    expect(migrated.snapshot().people[0]!.draws).toBe(3);
    expect(codeOf(() => restoreRecommender(v1({ gender: 'f' })))).toBe('BAD_SNAPSHOT');
    expect(codeOf(() => restoreRecommender(v1({ hour: [8] })))).toBe('BAD_SNAPSHOT');
  });
});
