/**
 * A detected change of life stage fades every scope of the person alike: right after the event
 * that set it off, no tag keeps more than LIFE_STAGE_KEPT_EVIDENCE of old evidence — overall and on
 * the station the events were given on — and the whole amount keeps at most LIFE_STAGE_KEEP of itself.
 */
import { describe, expect, it } from 'vitest';
import { LIFE_STAGE_KEEP, LIFE_STAGE_KEPT_EVIDENCE } from '../../src/constants.js';
import { createRecommender, type TagAffinity } from '../../src/index.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const heaviest = (tags: readonly TagAffinity[]) => Math.max(0, ...tags.map((t) => t.evidence));

describe('a detected change of life stage', () => {
  it('leaves no tag more than the kept evidence, overall and on the station, however long the old history', () => {
    const items = musicCatalog(30, ['jazz', 'rock']);
    let now = T0;
    const rec = createRecommender({ items, seed: 1, exploration: 0, now: () => now });
    rec.createStation('ann', { id: 'mix', seeds: [{ tag: 'genre:jazz' }] });
    let seen: { before: number; weight: number; station: number } | undefined;
    // A month of loving jazz and skipping rock (on the station every other session), then the reverse.
    for (let day = 0; day < 120 && seen === undefined; day++) {
      const [loved, skipped] = day < 30 ? ['jazz', 'rock'] : ['rock', 'jazz'];
      for (let i = 0; i < 8 && seen === undefined; i++) {
        now = T0 + day * DAY + i * 4 * MINUTE;
        const k = (day * 8 + i) % 30;
        for (const [item, signal] of [
          [`${loved}-${k}`, 'up'],
          [`${skipped}-${k}`, 'skip'],
        ] as const) {
          const p = rec.profile('ann');
          const before = { before: heaviest([...p.likedTags, ...p.dislikedTags]), weight: p.evidence.weight };
          const station = heaviest([...p.stations[0]!.likedTags, ...p.stations[0]!.dislikedTags]);
          rec.feedback({ user: 'ann', item, signal, at: now, ...(day % 2 === 0 ? { station: 'mix' } : {}) });
          if (rec.profile('ann').changes.some((c) => c.cause === 'detected')) {
            seen = { ...before, station };
            break;
          }
        }
      }
    }
    expect(seen, 'the switch from jazz to rock is detected').toBeDefined();
    // The history was heavy: keeping LIFE_STAGE_KEEP of it would leave some tag far over the cap.
    expect(seen!.before * LIFE_STAGE_KEEP).toBeGreaterThan(3 * LIFE_STAGE_KEPT_EVIDENCE);
    expect(seen!.station * LIFE_STAGE_KEEP).toBeGreaterThan(LIFE_STAGE_KEPT_EVIDENCE);
    const after = rec.profile('ann');
    expect(heaviest([...after.likedTags, ...after.dislikedTags])).toBeLessThanOrEqual(LIFE_STAGE_KEPT_EVIDENCE);
    expect(heaviest([...after.stations[0]!.likedTags, ...after.stations[0]!.dislikedTags])).toBeLessThanOrEqual(
      LIFE_STAGE_KEPT_EVIDENCE,
    );
    expect(after.evidence.weight).toBeLessThanOrEqual(seen!.weight * LIFE_STAGE_KEEP);
    expect(after.evidence.weight).toBeGreaterThan(0);
  });
});
