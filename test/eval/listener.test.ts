import { describe, expect, it } from 'vitest';
import { createListener, tasteMatch } from '../../src/eval/listener';
import { generateCatalog } from '../../src/eval/catalogGenerator';
import { DAY_MS } from '../../src/decay/halfLife';

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
    expect(() => createListener({ id: 'a', seed: 1, catalog, taste: { x: 2 } })).toThrow(/^createListener: taste\["x"\]/);
    expect(() => make(1, { changes: [{ at: 5, taste: jazz }, { at: 1, taste: rock }] })).toThrow(/^createListener: changes must be in increasing order/);
    expect(() => make().react(['nope'], { at: T0 })).toThrow(/^listener\.react: item "nope"/);
  });
});
