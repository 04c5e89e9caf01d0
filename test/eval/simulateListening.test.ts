import { describe, expect, it } from 'vitest';
import { simulateListening, sessionTime, type ListeningRecommender } from '../../src/eval/simulateListening';
import { createListener } from '../../src/eval/listener';
import { generateCatalog } from '../../src/eval/catalogGenerator';
import { snips } from '../../src/eval/offpolicy';
import { DAY_MS } from '../../src/decay/decay.js';
import type { FeedbackEvent, Item } from '../../src/types';

const catalog = generateCatalog({ seed: 11, genres: 5, itemsPerGenre: 20 });
const T0 = Date.UTC(2024, 0, 1);

/**
 * A tiny tag-counting recommender with a half-life, standing in for the real
 * one: scores each item by the user's decayed net thumbs on its tags, plays
 * the best, and explores one slot uniformly.
 */
function tagCounter(items: readonly Item[], halfLifeDays: number): ListeningRecommender {
  const scores = new Map<string, Map<string, { value: number; t: number }>>();
  let draws = 0;
  const read = (user: string, tag: string, at: number): number => {
    const s = scores.get(user)?.get(tag);
    return s === undefined ? 0 : s.value * 2 ** (-(at - s.t) / (halfLifeDays * DAY_MS));
  };
  return {
    recommend(user, { count, at }) {
      const ranked = items
        .map((item) => ({ item: item.id, score: (item.tags ?? []).reduce((sum, tag) => sum + read(user, tag, at), 0) }))
        .sort((a, b) => b.score - a.score || a.item.localeCompare(b.item));
      const top = ranked.slice(0, count - 1).map((r) => ({ item: r.item, propensity: 1, explored: false }));
      const rest = ranked.slice(count - 1);
      const pick = rest[(draws++ * 7919) % rest.length]!;
      return [...top, { item: pick.item, propensity: 1 / rest.length, explored: true }];
    },
    feedback(events: FeedbackEvent[]) {
      for (const e of events) {
        const delta =
          e.signal === 'up' || e.signal === 'play' ? 1 : e.signal === 'down' || e.signal === 'skip' ? -1 : 0;
        const tags = items.find((i) => i.id === e.item)?.tags ?? [];
        let mine = scores.get(e.user);
        if (mine === undefined) scores.set(e.user, (mine = new Map()));
        for (const tag of tags) {
          const at = e.at ?? 0;
          mine.set(tag, { value: read(e.user, tag, at) + delta, t: at });
        }
      }
    },
  };
}

function listeners(n: number, changeSession: number) {
  return Array.from({ length: n }, (_, i) =>
    createListener({
      id: `listener-${i}`,
      seed: 21,
      catalog,
      taste: { 'genre:jazz': 1 },
      changes: [{ at: sessionTime(changeSession, { start: T0 }), taste: { 'genre:classical': 1 } }],
    }),
  );
}

describe('simulateListening', () => {
  it('reports reward curves and how fast the recommender follows a change', () => {
    const report = simulateListening({
      recommender: tagCounter(catalog, 3),
      listeners: listeners(4, 15),
      sessions: 30,
      start: T0,
      log: true,
    });
    console.log('[simulateListening] liked share per session:', report.likedShare.map((v) => v.toFixed(2)).join(' '));
    console.log(
      '[simulateListening] adaptations:',
      report.adaptations.map((a) => a.sessionsToAdapt),
    );
    expect(report.sessionTimes).toHaveLength(30);
    expect(report.sessionTimes[1]! - report.sessionTimes[0]!).toBe(DAY_MS);
    // learns the first taste, drops at the change, recovers
    expect(report.matchShare[14]).toBeGreaterThan(0.8);
    expect(report.matchShare[15]).toBeLessThan(0.3);
    expect(report.matchShare[29]).toBeGreaterThan(0.6);
    expect(report.likedShare[14]).toBeGreaterThan(report.likedShare[0]!);
    expect(report.exploredShare[0]).toBeCloseTo(0.1, 12);
    expect(report.adaptations).toHaveLength(4);
    expect(report.adaptedRate).toBe(1);
    expect(report.meanSessionsToAdapt).toBeGreaterThan(0);
    expect(report.meanSessionsToAdapt).toBeLessThan(15);
    // the log has one record per shown item, usable by the estimators
    expect(report.log).toHaveLength(4 * 30 * 10);
    const onPolicy = snips(report.log, () => 1);
    expect(onPolicy.value).toBeGreaterThan(0);
  });

  it('is deterministic given deterministic parts', () => {
    const run = () =>
      simulateListening({ recommender: tagCounter(catalog, 3), listeners: listeners(2, 5), sessions: 8, start: T0 });
    expect(run()).toEqual(run());
  });

  it('refuses bad options', () => {
    expect(() => simulateListening({ recommender: tagCounter(catalog, 3), listeners: [], sessions: 3 })).toThrow(
      /^simulateListening: listeners/,
    );
    expect(() =>
      simulateListening({ recommender: tagCounter(catalog, 3), listeners: listeners(1, 1), sessions: 0 }),
    ).toThrow(/^simulateListening: sessions/);
  });
});
