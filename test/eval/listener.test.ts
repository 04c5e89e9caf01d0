import { describe, expect, it } from 'vitest';
import { createListener, shareAccount, tasteMatch } from '../../src/eval/listener';
import { generateCatalog } from '../../src/eval/catalogGenerator';
import { DAY_MS } from '../../src/decay/decay.js';

const catalog = generateCatalog({ seed: 7, genres: 6, itemsPerGenre: 20 });
const ids = (genre: string): string[] => catalog.filter((i) => i.tags?.includes(`genre:${genre}`)).map((i) => i.id);
const T0 = Date.UTC(2024, 0, 1);
const jazz = { 'genre:jazz': 1 };
const rock = { 'genre:rock': 1 };

const make = (seed = 1, extra: Partial<Parameters<typeof createListener>[0]> = {}) =>
  createListener({ id: 'ann', seed, catalog, taste: jazz, changes: [{ at: T0 + 10 * DAY_MS, taste: rock }], ...extra });

describe('createListener', () => {
  it('is deterministic for a seed', () => {
    const list = [...ids('jazz').slice(0, 5), ...ids('rock').slice(0, 5), ...ids('folk').slice(0, 5)];
    const run = (seed: number) => {
      const l = make(seed);
      return [0, 1, 2].flatMap((d) => l.react(list, { at: T0 + d * DAY_MS }));
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1).map((e) => e.signal)).not.toEqual(run(2).map((e) => e.signal));
  });

  it('reacts according to taste: jazz liked, others skipped or disliked', () => {
    const l = make(3, { noise: 0.1 });
    const events = l.react([...ids('jazz'), ...ids('rock'), ...ids('classical')], { at: T0, context: { hour: 9 } });
    const liked = (e: { signal: string }) => e.signal === 'up' || e.signal === 'play';
    const jazzEvents = events.slice(0, 20);
    const others = events.slice(20);
    expect(jazzEvents.filter(liked).length).toBeGreaterThanOrEqual(19);
    expect(jazzEvents.some((e) => e.signal === 'up')).toBe(true);
    expect(others.filter(liked).length).toBeLessThanOrEqual(4);
    expect(events[0]?.context).toEqual({ hour: 9 });
    expect(events[1]!.at! - events[0]!.at!).toBe(4 * 60_000);
  });

  it('switches abruptly at the given time', () => {
    const l = make();
    const change = T0 + 10 * DAY_MS;
    expect(l.tasteAt(change - 1)).toEqual(jazz);
    expect(l.tasteAt(change)).toEqual(rock);
    expect(l.likes(ids('jazz')[0]!, change - 1)).toBe(true);
    expect(l.likes(ids('jazz')[0]!, change)).toBe(false);
    expect(l.likes(ids('rock')[0]!, change)).toBe(true);
    const after = l.react(ids('rock'), { at: change });
    expect(after.filter((e) => e.signal === 'up' || e.signal === 'play').length).toBeGreaterThanOrEqual(18);
    expect(l.changeTimes).toEqual([change]);
  });

  it('drifts slowly between two tastes', () => {
    const l = make(1, { changes: [{ at: T0, taste: rock, driftDays: 10 }] });
    expect(l.tasteAt(T0 + 5 * DAY_MS)).toEqual({ 'genre:jazz': 0.5, 'genre:rock': 0.5 });
    expect(l.match(ids('rock')[0]!, T0 + 2 * DAY_MS)).toBeCloseTo(0.2, 12);
    expect(l.tasteAt(T0 + 10 * DAY_MS)).toEqual(rock);
  });

  it('gets tired of a song liked too often', () => {
    const l = make(1, { noise: 0, tiredAfter: 3 });
    const song = ids('jazz')[0]!;
    const signals = [0, 1, 2, 3].map((d) => l.react([song], { at: T0 + d * 3600_000 })[0]?.signal);
    expect(signals.slice(0, 3).every((s) => s === 'up' || s === 'play')).toBe(true);
    expect(signals[3]).toBe('tired');
  });

  it('tasteMatch sums and clamps', () => {
    expect(tasteMatch(['genre:jazz', 'mood:mellow'], { 'genre:jazz': 0.8, 'mood:mellow': 0.5 })).toBe(1);
    expect(tasteMatch(['mood:mellow'], { 'mood:mellow': 0.5 })).toBe(0.5);
    expect(tasteMatch(undefined, jazz)).toBe(0);
  });

  it('refuses bad options and unknown items', () => {
    expect(() => createListener({ id: 'a', seed: 1, catalog, taste: { x: 2 } })).toThrow(
      /^createListener: taste\["x"\]/,
    );
    expect(() =>
      make(1, {
        changes: [
          { at: 5, taste: jazz },
          { at: 1, taste: rock },
        ],
      }),
    ).toThrow(/^createListener: changes must be in increasing order/);
    expect(() => make().react(['nope'], { at: T0 })).toThrow(/^listener\.react: item "nope"/);
  });

  it('reacts to the first `reactsTo` songs only, the same way as without the limit', () => {
    const list = [...ids('jazz').slice(0, 5), ...ids('rock').slice(0, 5)];
    const all = make(4).react(list, { at: T0 });
    const three = make(4, { reactsTo: 3 }).react(list, { at: T0 });
    expect(three).toEqual(all.slice(0, 3));
    expect(() => make(1, { reactsTo: 0 })).toThrow(/^createListener: reactsTo/);
  });

  it('slips: a share of reactions is a coin toss, whatever the song', () => {
    const loved = ids('jazz');
    const count = (slipRate: number) => {
      const l = make(5, { noise: 0, slipRate, tiredAfter: 1000 });
      const events = [0, 1, 2, 3, 4].flatMap((d) => l.react(loved, { at: T0 + d * 3600_000 }));
      return events.filter((e) => e.signal === 'skip' || e.signal === 'down').length / events.length;
    };
    expect(count(0)).toBe(0);
    expect(count(0.2)).toBeGreaterThan(0.04); // about 10 %: half the slips are dislikes
    expect(count(0.2)).toBeLessThan(0.2);
    expect(() => make(1, { slipRate: 1.5 })).toThrow(/^createListener: slipRate/);
  });
});

describe('shareAccount', () => {
  const owner = (seed = 1) => createListener({ id: 'ann', seed, catalog, taste: jazz, noise: 0.05 });
  const partner = (seed = 2) => createListener({ id: 'bob', seed, catalog, taste: rock, noise: 0.05 });
  const from = T0 + 5 * DAY_MS;

  it('is the owner alone until `from`, then mostly the partner, under the owner’s id', () => {
    const account = shareAccount({ owner: owner(), partner: partner(), from, seed: 3 });
    expect(account.id).toBe('ann');
    expect(account.changeTimes).toEqual([from]);
    expect(account.tasteAt(from - 1)).toEqual(jazz);
    expect(account.tasteAt(from)).toEqual(rock);
    const list = ids('jazz').slice(0, 5);
    const likedJazz = (d: number) =>
      account.react(list, { at: T0 + d * DAY_MS }).filter((e) => e.signal === 'up' || e.signal === 'play').length;
    for (let d = 0; d < 5; d++) expect(likedJazz(d)).toBe(5);
    const after = Array.from({ length: 30 }, (_, d) => likedJazz(5 + d));
    const partnerSessions = after.filter((n) => n <= 1).length;
    expect(partnerSessions).toBeGreaterThan(12); // 2 in 3 of 30 sessions expected
    expect(partnerSessions).toBeLessThan(28);
    expect(account.react(list, { at: from + 40 * DAY_MS }).every((e) => e.user === 'ann')).toBe(true);
  });

  it('is deterministic for its seed and refuses bad options', () => {
    const run = () => {
      const account = shareAccount({ owner: owner(), partner: partner(), from, seed: 9 });
      return Array.from({ length: 10 }, (_, d) =>
        account.react(ids('rock').slice(0, 3), { at: from + d * DAY_MS }).map((e) => e.signal),
      );
    };
    expect(run()).toEqual(run());
    expect(() => shareAccount({ owner: owner(), partner: partner(), from, seed: 1, partnerShare: 2 })).toThrow(
      /^shareAccount: partnerShare/,
    );
    expect(() => shareAccount({ owner: owner(), partner: partner(), from: Number.NaN, seed: 1 })).toThrow(
      /^shareAccount: from/,
    );
  });
});
