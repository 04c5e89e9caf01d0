/**
 * Snapshots of attune 0.2 (version 2) are read by this one: their record
 * times are wall times (there was no person clock), so they restore as
 * people whose clock stands at their latest record, and a person who never
 * paused longer than the counted span reads exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/decay/decay.js';
import { createRecommender, restoreRecommender } from '../../src/index.js';
import { GENRES, musicCatalog, T0 } from '../__helpers__/catalog.js';

type Json = Record<string, unknown>;

/** The snapshot as attune 0.2 wrote it: version 2, records without their wall-time column. */
function asVersion2(snap: Json): Json {
  const copy = structuredClone(snap) as Json & { people: { evidence: Json; stations?: { evidence: Json }[] }[] };
  copy['version'] = 2;
  delete (copy['options'] as Json)['pauseDays'];
  for (const p of copy.people) {
    delete p.evidence['wt'];
    delete p.evidence['upAt'];
    for (const s of p.stations ?? []) {
      delete s.evidence['wt'];
      delete s.evidence['upAt'];
    }
  }
  return copy;
}

describe('version 2 snapshots', () => {
  it('restore with their wall times as the people’s own times: the same scores, the same profile', () => {
    const items = musicCatalog(8, GENRES.slice(0, 4));
    let now = T0;
    const rec = createRecommender({ items, seed: 3, now: () => now, exploration: 0 });
    rec.createStation('ann', { id: 'jazzy', name: 'Jazzy', seeds: [{ item: 'jazz-1' }] });
    for (let d = 0; d < 40; d++) {
      now = T0 + d * DAY_MS;
      const user = d % 3 === 0 ? 'bob' : 'ann';
      const genre = GENRES[d % 4]!;
      rec.feedback({
        user,
        item: `${genre}-${d % 8}`,
        signal: d % 5 === 0 ? 'down' : 'up',
        ...(user === 'ann' && d % 2 === 0 ? { station: 'jazzy' } : {}),
      });
    }
    rec.train();
    now += 2 * DAY_MS;
    const snap = rec.snapshot() as unknown as Json;
    expect(snap['version']).toBe(3);
    const old = restoreRecommender(asVersion2(snap), { now: () => now });
    expect(old.snapshot().version).toBe(3);
    for (const user of ['ann', 'bob']) {
      const a = rec.recommend(user, { count: 8, includeSeen: true });
      const b = old.recommend(user, { count: 8, includeSeen: true });
      expect(b.map((r) => r.item)).toEqual(a.map((r) => r.item));
      b.forEach((r, i) => expect(r.score).toBeCloseTo(a[i]!.score, 9));
      expect(old.profile(user).likedTags).toEqual(rec.profile(user).likedTags);
    }
    const onStation = (r: typeof rec) => r.recommend('ann', { station: 'jazzy', count: 5 }).map((x) => x.item);
    expect(onStation(old)).toEqual(onStation(rec));
    // And it learns on: one more event, the same in both.
    for (const r of [rec, old]) r.feedback({ user: 'ann', item: 'rock-2', signal: 'up' });
    expect(old.recommend('ann', { count: 8 }).map((r) => r.item)).toEqual(
      rec.recommend('ann', { count: 8 }).map((r) => r.item),
    );
  });

  it('refuses a version 3 record whose wall time is before its own time', () => {
    const rec = createRecommender({ items: musicCatalog(2, GENRES.slice(0, 1)), now: () => T0 });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up' });
    const snap = rec.snapshot() as unknown as { people: { evidence: { wt: number[] } }[] };
    snap.people[0]!.evidence.wt[0] = T0 - DAY_MS;
    expect(() => restoreRecommender(snap)).toThrow(/wt/);
  });
});
