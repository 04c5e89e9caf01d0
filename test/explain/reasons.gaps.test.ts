/**
 * buildReason on taste pieces given exactly: the attribution index of the
 * request is set by hand (the `index` a list shares between its reasons), so
 * that each case puts a piece exactly where a rule draws its line — a piece
 * of exactly the citing floor, a liked record whose undoing would not lower
 * the score, station seeds that share tags of different weights, a liked item
 * whose shared tags are each below the floor. The person's records are real
 * (given through the public API); the catalog is small, with mood tags, whose
 * order the description keeps.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender } from '../../src/index.js';
import { Decay } from '../../src/decay/decay.js';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import type { AttributionIndex } from '../../src/explain/attribution.js';
import { buildReason, CITE_FLOOR, type ExplainInput } from '../../src/explain/reasons.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { PeopleStore } from '../../src/people/store.js';
import { newStation, type SeedRef } from '../../src/people/stations.js';
import type { Contributions } from '../../src/types.js';
import { T0 } from '../__helpers__/catalog.js';

const DECAY = Decay.ofDays(30, DEFAULT_PAUSE_DAYS);
const NOW = T0 + 1000;

/** Tag ids follow first appearance: dark 0, dreamy 1, jazz 2, warm 3, slow 4. */
const ITEMS = [
  { id: 'a', title: 'A', tags: ['mood:dark', 'mood:dreamy', 'genre:jazz'] },
  { id: 'b', title: 'B', tags: ['mood:warm', 'genre:jazz'] },
  { id: 'y', title: 'Y', tags: ['mood:slow', 'genre:jazz'] },
  { id: 'x', title: 'X', tags: ['mood:slow', 'mood:warm', 'mood:dark', 'mood:dreamy', 'genre:jazz'] },
];

/** Pieces by tag name: the parts of records (by item id) and of station seeds (by position), as an attribution index holds them. */
interface Pieces {
  items?: Record<string, Record<string, number>>;
  causes?: Record<string, Record<string, number>>;
  uncited?: Record<string, number>;
  seeds?: Record<string, Record<number, number>>;
}

/** ann liked a, is tired of b, and played y a second ago (inside an hour's quoting delay). */
function setup() {
  const rec = createRecommender({ items: ITEMS, seed: 1, exploration: 0, halfLifeDays: 30, now: () => NOW });
  rec.feedback({ user: 'ann', item: 'a', signal: 'up', at: T0 });
  rec.feedback({ user: 'ann', item: 'b', signal: 'tired', at: T0 });
  rec.feedback({ user: 'ann', item: 'y', signal: 'play', at: NOW - 1 });
  const { world } = rec as unknown as { world: { people: PeopleStore; catalog: Catalog } };
  const catalog = world.catalog;
  const ann = world.people.get('ann')!;
  const item = (id: string) => catalog.indexOf(id)!;
  const tag = (name: string) => catalog.tags.indexOf(name);
  const byTag = <V>(o: Record<string, V> | undefined) =>
    Object.entries(o ?? {}).map(([name, v]) => [tag(name), v] as [number, V]);
  const index = (p: Pieces): AttributionIndex => ({
    items: new Map(
      byTag(p.items).map(([t, m]) => [t, new Map(Object.entries(m).map(([id, w]) => [item(id), w]))] as const),
    ),
    causes: new Map(
      byTag(p.causes).map(([t, m]) => [t, new Map(Object.entries(m).map(([id, w]) => [item(id), w]))] as const),
    ),
    uncited: new Map(byTag(p.uncited)),
    against: new Map(),
    contexts: new Map(),
    seeds: new Map(
      byTag(p.seeds).map(([t, m]) => [t, new Map(Object.entries(m).map(([k, w]) => [Number(k), w]))] as const),
    ),
    evidence: new Map(),
  });
  const station = (seeds: ({ item: string } | { tag: string })[]) =>
    newStation(
      'r',
      'R Radio',
      seeds.map((s): SeedRef => ('item' in s ? { item: item(s.item) } : { tag: tag(s.tag) })),
      T0,
      DECAY,
    );
  /** The reason for `x` with the taste part `content`, its pieces `p`, and what else is given. */
  const reason = (p: Pieces, parts: Partial<Contributions>, over: Partial<ExplainInput> = {}) =>
    buildReason({
      catalog,
      user: ann,
      lens: undefined,
      now: NOW,
      personNow: DECAY.personNow(ann.clock, NOW),
      decay: DECAY,
      quoteDelayMs: 3_600_000,
      contexts: [],
      mayName: () => true,
      item: item('x'),
      contributions: { content: 0, context: 0, collaborative: 0, popularity: 0, exploration: 0, ...parts },
      noise: undefined,
      explored: false,
      changing: false,
      hasEvidence: true,
      index: () => index(p),
      ...over,
    });
  return { catalog, item, tag, station, reason };
}

describe('a taste reason cites only real causes above the floor', () => {
  it('a tag piece of exactly the floor is rounding: no tag is cited, the item’s own tags are named', () => {
    const { reason } = setup();
    const r = reason({ uncited: { 'genre:jazz': CITE_FLOOR } }, { content: 1 });
    expect(r).toMatchObject({ kind: 'tag-affinity', text: 'You have been enjoying slow warm', evidence: [] });
    // Just above the floor it is cited.
    const above = reason({ uncited: { 'genre:jazz': CITE_FLOOR * 1.5 } }, { content: 1 });
    expect(above).toMatchObject({ kind: 'tag-affinity', text: 'You have been enjoying jazz' });
    expect(above.evidence.map((e) => e.id)).toEqual(['genre:jazz']);
  });

  it('a liked record whose undoing would leave the score unchanged is not named; one whose undoing lowers it is', () => {
    const { reason } = setup();
    const liked = { 'genre:jazz': { a: 0.5 } };
    const unchanged = reason({ items: liked, causes: { 'genre:jazz': { a: 0 } } }, { content: 0.5 });
    // Nothing may be cited: the reason names the item's own tags, and no evidence.
    expect(unchanged).toMatchObject({ kind: 'tag-affinity', text: 'You have been enjoying slow warm', evidence: [] });
    const lowered = reason({ items: liked, causes: { 'genre:jazz': { a: 1e-3 } } }, { content: 0.5 });
    expect(lowered).toMatchObject({ kind: 'liked-similar', text: 'Because you liked “A”: both are jazz' });
  });

  it('a liked item whose shared tags are each below the floor is named alone, with no "both are"', () => {
    const { reason } = setup();
    const half = 0.8 * CITE_FLOOR;
    const r = reason(
      { items: { 'mood:slow': { y: half }, 'genre:jazz': { y: half } }, causes: { 'mood:slow': { y: 2 * half } } },
      { content: 2 * half },
      { quoteDelayMs: 0 },
    );
    expect(r.kind).toBe('liked-similar');
    expect(r.text).toBe('You might like this — it is a little like “Y”');
    expect(r.evidence).toEqual([{ type: 'item', id: 'y', label: 'Y', weight: 2 * half, tags: [] }]);
  });
});

describe('a station reason describes the item by what it shares with the seeds it cites', () => {
  it('the tags shared with a seed that may not be cited (resting) do not lead the description', () => {
    const { reason, station } = setup();
    // a shares dark; b (resting) shares warm, more heavily.
    const s = station([{ item: 'a' }, { item: 'b' }]);
    const r = reason({ seeds: { 'mood:dark': { 0: 0.3 }, 'mood:warm': { 1: 0.6 } } }, { content: 0.9 }, { station: s });
    expect(r.kind).toBe('station-seed');
    expect(r.text).toBe('On your R Radio, built on “A”: dark slow warm');
    expect(r.evidence.map((e) => e.id)).toEqual(['a']);
  });

  it('the tag shared most, summed over the cited seeds, leads', () => {
    const { reason, station } = setup();
    // a shares dark (0.3) and dreamy (0.2); the dreamy seed adds 0.4 to dreamy: dreamy (0.6) leads dark (0.3).
    const s = station([{ item: 'a' }, { tag: 'mood:dreamy' }]);
    const r = reason(
      { seeds: { 'mood:dark': { 0: 0.3 }, 'mood:dreamy': { 0: 0.2, 1: 0.4 } } },
      { content: 0.9 },
      { station: s },
    );
    expect(r.text).toBe('On your R Radio, built on “A” and dreamy: dreamy dark slow');
  });

  it('tags shared equally are described in one order whatever the order of the seeds', () => {
    const { reason, station } = setup();
    const text = (first: string, second: string) =>
      reason(
        { seeds: { [first]: { 0: 0.3 }, [second]: { 1: 0.3 } } },
        { content: 0.6 },
        { station: station([{ tag: first }, { tag: second }]) },
      ).text;
    expect(text('mood:dreamy', 'mood:dark')).toBe('On your R Radio, built on dreamy and dark: dark dreamy slow');
    expect(text('mood:dark', 'mood:dreamy')).toBe('On your R Radio, built on dark and dreamy: dark dreamy slow');
  });

  it('a part that is all seeds, each too small to cite, is said to be the station’s — not a taste the person showed', () => {
    const { reason, station } = setup();
    const s = station([{ tag: 'mood:warm' }, { tag: 'mood:dark' }]);
    const tiny = 0.6 * CITE_FLOOR;
    const r = reason(
      { seeds: { 'mood:warm': { 0: tiny }, 'mood:dark': { 1: tiny } } },
      { content: 2 * tiny },
      { station: s },
    );
    expect(r).toMatchObject({ kind: 'station-seed', text: 'On your R Radio: dark warm slow', evidence: [] });
  });

  it('a larger part of liked records that are not causes is not said to be the station’s, though a resting seed adds a little', () => {
    const { reason, station } = setup();
    const s = station([{ item: 'b' }]);
    const r = reason(
      { seeds: { 'mood:warm': { 0: 0.1 } }, items: { 'genre:jazz': { a: 1 } }, causes: { 'genre:jazz': { a: -0.2 } } },
      { content: 1.1 },
      { station: s },
    );
    expect(r).toMatchObject({
      kind: 'tag-affinity',
      text: 'On your R Radio — you have been enjoying slow warm',
      evidence: [],
    });
  });
});

describe('a collaborative reason with only a group to cite', () => {
  it('counts the songs without "other" and says "them"', () => {
    const { reason, item, catalog } = setup();
    // Every liked item was played inside the quoting delay: counted, never named.
    const rec = createRecommender({ items: ITEMS, seed: 1, exploration: 0, halfLifeDays: 30, now: () => NOW });
    for (const id of ['a', 'b', 'y']) rec.feedback({ user: 'bob', item: id, signal: 'play', at: NOW - 1 });
    const { world } = rec as unknown as { world: { people: PeopleStore } };
    const bob = world.people.get('bob')!;
    const collaborative = ['a', 'b', 'y'].map((id) => ({ item: item(id), weight: 0.3 }));
    const r = reason(
      {},
      { collaborative: 0.9 },
      { user: bob, personNow: DECAY.personNow(bob.clock, NOW), collaborative, catalog },
    );
    expect(r.kind).toBe('collaborative');
    expect(r.text).toBe('Because you liked 3 songs you played: listeners who like them like this too');
    expect(r.evidence).toEqual([
      { type: 'items', id: 'other-items', label: '3 songs you played', weight: expect.closeTo(0.9, 12), count: 3 },
    ]);
  });
});
