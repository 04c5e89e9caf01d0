import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../../src/index.js';
import { KeptFolds, keptCapacity } from '../../../src/models/collaborative/keptFolds.js';
import type { UserEntries } from '../../../src/models/collaborative/collaborative.js';
import type { World } from '../../../src/world.js';
import { musicCatalog, T0 } from '../../__helpers__/catalog.js';

const worldOf = (rec: Recommender): World => (rec as unknown as { world: World }).world;

/** 60 listeners over a 10-genre catalog, each on a home genre with some wandering. */
function history() {
  const items = musicCatalog(20);
  const events = [];
  let t = T0;
  for (let u = 0; u < 60; u++) {
    const home = u % 10;
    for (let e = 0; e < 14; e++) {
      const i = e % 4 === 3 ? (u * 31 + e * 17) % items.length : home * 20 + ((u * 7 + e * 5) % 20);
      const signal = e % 5 === 4 ? ('skip' as const) : e % 3 === 0 ? ('up' as const) : ('play' as const);
      events.push({ user: `u${u}`, item: items[i]!.id, signal, at: (t += 60_000) });
    }
  }
  return { items, events, now: () => t + 3_600_000 };
}

/** Two recommenders with the same state; the second keeps no factorisation (every reason factorises). */
function pair() {
  const { items, events, now } = history();
  const make = () => {
    const rec = createRecommender({ items, seed: 9, now, collaborative: { factors: 16, regularization: 2 } });
    rec.feedback(events);
    rec.train();
    return rec;
  };
  const kept = make();
  const uncached = make();
  worldOf(uncached).model!.kept.resize(0);
  return { kept, uncached, items };
}

/** Lists and reasons of both, and the collaborative attributions (evidence weights) to 1e-9. */
function expectSame(a: Recommender, b: Recommender, user: string, station?: string) {
  const options = { count: 10, ...(station === undefined ? {} : { station }) };
  const x = a.recommend(user, options);
  const y = b.recommend(user, options);
  expect(x.map((r) => r.item)).toEqual(y.map((r) => r.item));
  x.forEach((r, i) => {
    const s = y[i]!;
    expect(r.reason.kind).toBe(s.reason.kind);
    expect(r.reason.text).toBe(s.reason.text);
    expect(Math.abs(r.reason.part.points - s.reason.part.points)).toBeLessThanOrEqual(1e-9);
    expect(r.reason.evidence.map((e) => e.id)).toEqual(s.reason.evidence.map((e) => e.id));
    r.reason.evidence.forEach((e, j) =>
      expect(Math.abs(e.weight - s.reason.evidence[j]!.weight)).toBeLessThanOrEqual(1e-9),
    );
  });
  expect(x).toEqual(y);
  return x;
}

/** The pieces the reasons are built from, for `items`: kept path against a fresh factorisation. */
function expectSamePieces(rec: Recommender, user: string, items: number[]) {
  const world = worldOf(rec);
  const solved = world.personVector(world.people.get(user)!)!;
  const model = world.model!;
  const cached = model.explainMany(solved.entries, items);
  const e = solved.entries;
  const fresh = model.als.explainMany(e.items, e.confidence, e.preference, items);
  cached.forEach((x, t) =>
    x.contributions.forEach((c, j) => {
      expect(c.item).toBe(fresh[t]!.contributions[j]!.item);
      expect(Math.abs(c.weight - fresh[t]!.contributions[j]!.weight)).toBeLessThanOrEqual(1e-9);
    }),
  );
}

describe('kept fold-ins (the reasons of a list without a second factorisation)', () => {
  it('give the same lists, reasons and attributions as the uncached path, request after request', () => {
    const { kept, uncached } = pair();
    const model = worldOf(kept).model!;
    let collaborative = 0;
    for (let round = 0; round < 3; round++)
      for (const user of ['u1', 'u7', 'u22', 'u40']) {
        const list = expectSame(kept, uncached, user);
        collaborative += list.filter((r) => r.reason.kind === 'collaborative').length;
      }
    expect(collaborative).toBeGreaterThan(0);
    // the first request of each person folded in and kept it; every reason after found it
    expect(model.kept.misses).toBe(0);
    expect(model.kept.hits).toBe(12);
    expect(worldOf(uncached).model!.kept.size).toBe(0);
    expectSamePieces(kept, 'u7', [0, 5, 33, 140, 199]);
  });

  it('are given up when the person’s evidence changes, and when a new model comes', () => {
    const { kept, uncached, items } = pair();
    const before = expectSame(kept, uncached, 'u3');
    const old = worldOf(kept).model!;
    const oldEntries = worldOf(kept).personVector(worldOf(kept).people.get('u3')!)!.entries;
    // new evidence: the kept fold-in of the old entries is never used again
    for (const rec of [kept, uncached])
      rec.feedback([
        { user: 'u3', item: items[150]!.id, signal: 'up' },
        { user: 'u3', item: items[151]!.id, signal: 'up' },
      ]);
    const after = expectSame(kept, uncached, 'u3');
    expect(after).not.toEqual(before);
    const newEntries = worldOf(kept).personVector(worldOf(kept).people.get('u3')!)!.entries;
    expect(newEntries).not.toBe(oldEntries);
    expectSamePieces(kept, 'u3', [150, 151, 2, 3]);
    // evidence that changes a confidence only (the same items): a new fold-in too
    const sameItems = worldOf(kept).personVector(worldOf(kept).people.get('u3')!)!.entries.items.slice();
    for (const rec of [kept, uncached]) rec.feedback({ user: 'u3', item: items[150]!.id, signal: 'play', weight: 40 });
    expect(worldOf(kept).personVector(worldOf(kept).people.get('u3')!)!.entries.items).toEqual(sameItems);
    expect(expectSame(kept, uncached, 'u3')).not.toEqual(after);
    expectSamePieces(kept, 'u3', [150, 151, 2, 3]);
    // a new model: a store of its own, nothing carried over
    kept.train();
    uncached.train();
    worldOf(uncached).model!.kept.resize(0);
    const model = worldOf(kept).model!;
    expect(model).not.toBe(old);
    expect(model.kept.size).toBe(0);
    expectSame(kept, uncached, 'u3');
    expectSame(kept, uncached, 'u3');
    expect(model.kept.hits).toBe(2);
    expectSamePieces(kept, 'u3', [150, 151, 2, 3]);
  });

  it('serve stations the same way (their own entries, kept apart from the person’s)', () => {
    const { kept, uncached, items } = pair();
    for (const rec of [kept, uncached]) {
      rec.createStation('u5', { id: 'late', seeds: [{ item: items[41]!.id }, { tag: 'genre:folk' }] });
      rec.feedback({ user: 'u5', item: items[42]!.id, signal: 'up', station: 'late' });
    }
    expectSame(kept, uncached, 'u5', 'late');
    expectSame(kept, uncached, 'u5', 'late');
    expectSame(kept, uncached, 'u5');
  });

  it('are bounded: the least recently used is dropped beyond capacity', () => {
    const store = new KeptFolds(2);
    const entries = (): UserEntries => ({
      items: Int32Array.of(1),
      confidence: Float64Array.of(1),
      preference: Float64Array.of(1),
    });
    const folded = {
      vector: new Float64Array(1),
      factor: { k: 1, lower: Float64Array.of(1), upper: Float64Array.of(1) },
    };
    const [a, b, c] = [entries(), entries(), entries()];
    store.set(a, folded);
    store.set(b, folded);
    expect(store.get(a)).toBe(folded); // a is now the most recent
    store.set(c, folded);
    expect(store.size).toBe(2);
    expect(store.get(b)).toBeUndefined();
    expect(store.get(a)).toBe(folded);
    expect(store.get(c)).toBe(folded);
    // a fold-in without a factorisation is not kept
    store.set(entries(), { vector: new Float64Array(1), factor: undefined });
    expect(store.size).toBe(2);
    // one through the shared factor keeps its small system
    const d = entries();
    const shared = {
      vector: new Float64Array(1),
      factor: undefined,
      shared: {
        n: 1,
        z: Float64Array.of(1),
        scale: Float64Array.of(1),
        kernel: Float64Array.of(1),
        lower: Float64Array.of(1),
      },
    };
    store.set(d, shared);
    expect(store.get(d)).toBe(shared);
    expect(store.size).toBe(2);
    expect(keptCapacity(128)).toBe(252);
  });
});
