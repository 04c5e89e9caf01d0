/**
 * The listener simulator and simulateListening driving the real recommender
 * (src/index.ts), through the structural interfaces of src/eval only.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index';
import {
  createListener,
  generateCatalog,
  logExposures,
  sessionTime,
  simulateListening,
  snips,
} from '../../src/eval/index';

const catalog = generateCatalog({ seed: 11, genres: 6, itemsPerGenre: 20 });
const T0 = Date.UTC(2024, 0, 1);

function run(seed: number) {
  let now = T0;
  const recommender = createRecommender({ items: catalog, seed, halfLifeDays: 14, now: () => now });
  const listeners = Array.from({ length: 4 }, (_, i) =>
    createListener({
      id: `listener-${i}`,
      seed,
      catalog,
      taste: { 'genre:jazz': 1 },
      changes: [{ at: sessionTime(12, { start: T0 }), taste: { 'genre:classical': 1 } }],
    }),
  );
  return simulateListening({ recommender, listeners, sessions: 24, start: T0, log: true, clock: (at) => (now = at) });
}

describe('simulateListening against the real recommender', () => {
  it('learns a taste, follows an abrupt change, and logs valid exposures', () => {
    const report = run(42);
    console.log('[integration] match share per session:', report.matchShare.map((v) => v.toFixed(2)).join(' '));
    console.log('[integration] sessions to adapt:', report.adaptations.map((a) => a.sessionsToAdapt).join(', '));
    const before = report.matchShare.slice(6, 12);
    expect(Math.max(...before)).toBeGreaterThan(report.matchShare[0]!);
    expect(Math.max(...before)).toBeGreaterThanOrEqual(0.5);
    expect(report.matchShare[12]).toBeLessThan(0.3); // the old taste no longer fits
    expect(Math.max(...report.matchShare.slice(14))).toBeGreaterThanOrEqual(0.5);
    expect(report.adaptedRate).toBeGreaterThanOrEqual(0.75);
    for (const record of report.log) {
      expect(record.propensity).toBeGreaterThan(0);
      expect(record.propensity).toBeLessThanOrEqual(1);
    }
    expect(snips(report.log, () => 1).value).toBeGreaterThan(0.2);
  });

  it('is reproducible: same seeds, same report', () => {
    expect(run(7)).toEqual(run(7));
  });

  it("logExposures accepts the recommender's own results", () => {
    const recommender = createRecommender({ items: catalog, seed: 1, now: () => T0 });
    const recs = recommender.recommend('ann', { count: 5, at: T0 });
    const log = logExposures(recs, { user: 'ann', at: T0 }, [
      { user: 'ann', item: recs[0]!.item, signal: 'up', at: T0 + 1 },
    ]);
    expect(log.map((r) => r.reward)).toEqual([1, 0, 0, 0, 0]);
  });
});
