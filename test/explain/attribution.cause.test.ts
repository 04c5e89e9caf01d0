/**
 * The cause check of attribution: how much a citable record's undoing would lower the taste part
 * (`causes`, `causeByItem`) and the evidence that weighs popularity down (`evidence`), pinned
 * against tastes rebuilt without the record, and what `causeOf` decides from them. Fixed
 * histories, no simulation: each check reads a few numbers.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { Signal } from '../../src/types.js';
import {
  attribute,
  attributionIndex,
  byWeight,
  causeOf,
  isCitable,
  type AttributionIndex,
  type AttributionRequest,
  type TastePieces,
} from '../../src/explain/attribution.js';
import { Decay } from '../../src/decay/decay.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { PeopleStore } from '../../src/people/store.js';
import type { PersonState } from '../../src/people/person.js';
import { restUntil } from '../../src/people/person.js';
import { contribution } from '../../src/people/contribution.js';
import { HALF_EVIDENCE, type Lens } from '../../src/score/blend.js';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const DECAY = Decay.ofDays(30, DEFAULT_PAUSE_DAYS);
const items = musicCatalog(4, ['jazz', 'rock', 'folk']);
const MORNING = 'daypart=morning';
const EVENING = 'daypart=evening';

interface Step {
  user: string;
  item: string;
  signal: Signal;
  hour?: number;
  /** Minutes before this event. */
  gap: number;
}

// Decayed records (days apart), records with evidence both ways (a play and a skip; jazz-3's skip
// keeps the morning's evidence against jazz above jazz-1's part of it), records
// given in a context and without one (folk-0: no context, sharing genre:folk with folk-1, given in
// the morning), a net-negative record, and a second person whose records stand in for a station's.
const history: Step[] = [
  { user: 'ann', item: 'jazz-0', signal: 'up', hour: 8, gap: 0 },
  { user: 'ann', item: 'jazz-1', signal: 'play', hour: 20, gap: 30 },
  { user: 'ann', item: 'jazz-1', signal: 'play', hour: 8, gap: 2 * 1440 },
  { user: 'ann', item: 'jazz-1', signal: 'skip', hour: 8, gap: 20 },
  { user: 'ann', item: 'jazz-3', signal: 'skip', hour: 8, gap: 15 },
  { user: 'ann', item: 'folk-0', signal: 'up', gap: 1440 },
  { user: 'ann', item: 'folk-1', signal: 'up', hour: 8, gap: 60 },
  { user: 'ann', item: 'rock-1', signal: 'down', hour: 20, gap: 3 * 1440 },
  { user: 'ann', item: 'rock-0', signal: 'up', hour: 20, gap: 30 },
  { user: 'bob', item: 'jazz-2', signal: 'up', hour: 8, gap: 10 },
  { user: 'bob', item: 'folk-2', signal: 'play', gap: 1440 },
  { user: 'bob', item: 'folk-2', signal: 'up', hour: 8, gap: 600 },
  { user: 'ann', item: 'jazz-0', signal: 'play', hour: 20, gap: 2 * 1440 },
];
const END = T0 + history.reduce((t, s) => t + s.gap, 0) * MINUTE + 3 * DAY;

/** The history played into a fresh recommender, leaving out `without`'s events of one item. */
function build(without?: { user: string; item: string }): Recommender {
  let now = T0;
  const rec = createRecommender({ items, seed: 3, exploration: 0, halfLifeDays: 30, now: () => now });
  for (const s of history) {
    now += s.gap * MINUTE;
    if (s.user === without?.user && s.item === without.item) continue;
    rec.feedback({
      user: s.user,
      item: s.item,
      signal: s.signal,
      ...(s.hour === undefined ? {} : { context: { hour: s.hour } }),
    });
  }
  return rec;
}

function world(rec: Recommender): { catalog: Catalog; people: PeopleStore } {
  return (rec as unknown as { world: { people: PeopleStore; catalog: Catalog } }).world;
}

const full = build();
const { catalog } = world(full);
const ann = world(full).people.get('ann')!;
const bob = world(full).people.get('bob')!;
const at = DECAY.personNow(ann.clock, END);
const CONTEXTS = [MORNING, EVENING];

function request(lens: Lens | undefined, user: PersonState = ann): AttributionRequest {
  return {
    catalog,
    user,
    lens,
    now: END,
    personNow: at,
    decay: DECAY,
    quoteDelayMs: 0,
    contexts: CONTEXTS,
    mayName: () => true,
  };
}

/** A two-layer lens: ann at a prior's weight, bob's records as a station's (whole in the lens's evidence). */
function twoLayers(annWeight: number, bobWeight: number): Lens {
  return {
    layers: [
      { scope: ann, weight: annWeight },
      { scope: bob, weight: bobWeight },
    ],
    seeds: undefined,
    defining: new Set(),
    evidence: annWeight * ann.taste.evidenceAt(at) + bob.taste.evidenceAt(at),
    collaborativeEvidence: 0,
  };
}

/** The tag's weight and its context effects in one scope's taste (what a score reads of the tag). */
function tagPart(scope: PersonState, tag: number): number {
  return scope.taste.tagMean(tag, at) + CONTEXTS.reduce((s, c) => s + scope.taste.crossMean(c, tag, at), 0);
}

/** Every citable record the index holds (the keys of `items` over its tags). */
function citedRecords(index: AttributionIndex): Set<number> {
  const out = new Set<number>();
  for (const byItem of index.items.values()) for (const j of byItem.keys()) out.add(j);
  return out;
}

const id = (j: number) => items[j]!.id;

describe('attribution: what undoing a cited record would take away', () => {
  it('the history holds what the checks need: decayed records, evidence both ways, a record without the context its tag has', () => {
    let mixed = 0;
    let decayed = 0;
    ann.evidence.forEachView((_, record) => {
      const { pos, neg } = contribution(record);
      if (neg > 0 && pos > neg) mixed++;
      if (DECAY.factor(at - record.t) < 0.99) decayed++;
    });
    expect(mixed).toBeGreaterThan(0);
    expect(decayed).toBeGreaterThan(1);
    const folk = catalog.tagIndexOf('genre:folk')!;
    expect(ann.taste.crosses.get(MORNING)?.has(folk)).toBe(true);
    expect(ann.evidence.get(catalog.indexOf('folk-0')!)?.ctx?.[MORNING]).toBeUndefined();
  });

  it("on the person's own taste, each cited record's fall per tag and its evidence equal the taste rebuilt without it", () => {
    const index = attributionIndex(request(undefined));
    const cited = citedRecords(index);
    expect([...cited].map(id).sort()).toEqual(['folk-0', 'folk-1', 'jazz-0', 'jazz-1', 'rock-0']);
    for (const j of cited) {
      const without = world(build({ user: 'ann', item: id(j) })).people.get('ann')!;
      for (const tag of catalog.itemTags[j]!) {
        const fall = index.causes.get(tag)!.get(j)!;
        expect(fall).toBeCloseTo(tagPart(ann, tag) - tagPart(without, tag), 12);
      }
      expect(index.evidence.get(j)!).toBeCloseTo(ann.taste.evidenceAt(at) - without.taste.evidenceAt(at), 12);
    }
    // Only cited records have a fall or an evidence entry, and nothing else is keyed.
    for (const byItem of index.causes.values()) for (const j of byItem.keys()) expect(cited.has(j)).toBe(true);
    expect(new Set(index.evidence.keys())).toEqual(cited);
    expect(index.seeds.size).toBe(0);
  });

  it('on two layers, a fall counts at its layer’s weight, and the evidence at the person’s layer weight and a station’s whole', () => {
    const lens = twoLayers(0.3, 0.5);
    const index = attributionIndex(request(lens));
    const cited = citedRecords(index);
    for (const [user, weight, evidenceWeight] of [
      ['ann', 0.3, 0.3],
      ['bob', 0.5, 1],
    ] as const) {
      const scope = user === 'ann' ? ann : bob;
      const mine = [...cited].filter((j) => scope.evidence.get(j) !== undefined);
      expect(mine.length).toBeGreaterThan(0);
      for (const j of mine) {
        const without = world(build({ user, item: id(j) })).people.get(user)!;
        for (const tag of catalog.itemTags[j]!)
          expect(index.causes.get(tag)!.get(j)!).toBeCloseTo(
            weight * (tagPart(scope, tag) - tagPart(without, tag)),
            12,
          );
        expect(index.evidence.get(j)!).toBeCloseTo(
          evidenceWeight * (scope.taste.evidenceAt(at) - without.taste.evidenceAt(at)),
          12,
        );
      }
    }
    // A layer at weight 0 adds no piece, no fall and no evidence.
    const silent = attributionIndex(request({ ...lens, layers: [lens.layers[0]!, { scope: bob, weight: 0 }] }));
    const annOnly = attributionIndex(request({ ...lens, layers: [lens.layers[0]!] }));
    expect(silent).toEqual(annOnly);
  });

  it('the pieces of an item sum its tags’ falls by record, for the cited records only', () => {
    const index = attributionIndex(request(undefined));
    for (const target of ['jazz-3', 'folk-3', 'rock-2']) {
      const item = catalog.indexOf(target)!;
      const pieces = attribute(catalog, index, item);
      expect(new Set(pieces.causeByItem.keys())).toEqual(new Set(pieces.byItem.keys()));
      for (const [j, fall] of pieces.causeByItem) {
        const expected = [...catalog.itemTags[item]!].reduce((s, tag) => s + (index.causes.get(tag)?.get(j) ?? 0), 0);
        expect(fall).toBeCloseTo(expected, 12);
      }
    }
  });

  it('causeOf: the taste fall less the rise of a positive popularity part, which the record’s evidence held down', () => {
    const index = attributionIndex(request(undefined));
    const item = catalog.indexOf('jazz-3')!;
    const pieces = attribute(catalog, index, item);
    const evidence = ann.taste.evidenceAt(at);
    const j = catalog.indexOf('jazz-0')!;
    const without = world(build({ user: 'ann', item: 'jazz-0' })).people.get('ann')!;
    const fall = pieces.causeByItem.get(j)!;
    expect(fall).toBeGreaterThan(0);
    // The popularity part is weight·lift with weight H/(H + E): undoing the record moves E to E without it.
    const popularity = 0.8;
    const rise = popularity * ((HALF_EVIDENCE + evidence) / (HALF_EVIDENCE + without.taste.evidenceAt(at)) - 1);
    expect(rise).toBeGreaterThan(0);
    expect(causeOf(index, pieces, j, popularity, evidence)).toBeCloseTo(fall - rise, 12);
    // A popularity part large enough makes the record no cause at all.
    expect(causeOf(index, pieces, j, (2 * fall) / (rise / popularity), evidence)).toBeLessThan(0);
    // A popularity part that is not positive leaves the taste fall alone.
    expect(causeOf(index, pieces, j, 0, evidence)).toBe(fall);
    expect(causeOf(index, pieces, j, -0.8, evidence)).toBe(fall);
    // The evidence taken away is at most the lens's (a station's evidence may be smaller than the record's).
    const small = 0.25 * index.evidence.get(j)!;
    expect(causeOf(index, pieces, j, popularity, small)).toBeCloseTo(
      fall - popularity * ((HALF_EVIDENCE + small) / HALF_EVIDENCE - 1),
      12,
    );
    // A record that is not cited has no fall.
    expect(causeOf(index, pieces, catalog.indexOf('rock-1')!, 0, evidence)).toBe(0);
  });

  it('causeOf reads the fall and the evidence of the record it is asked about', () => {
    const index: AttributionIndex = {
      items: new Map(),
      uncited: new Map(),
      against: new Map(),
      contexts: new Map(),
      seeds: new Map(),
      causes: new Map(),
      evidence: new Map([
        [1, 2],
        [2, 6],
      ]),
    };
    const pieces = { causeByItem: new Map([[1, 0.5]]) } as TastePieces;
    expect(causeOf(index, pieces, 1, 1, 10)).toBeCloseTo(0.5 - (15 / 13 - 1), 15);
    expect(causeOf(index, pieces, 2, 1, 10)).toBeCloseTo(0 - (15 / 9 - 1), 15);
    expect(causeOf(index, pieces, 3, 1, 10)).toBe(0);
  });

  it('a rest ends at its time exactly: an item resting until now may be cited again', () => {
    let now = T0;
    const rec = createRecommender({ items, seed: 3, exploration: 0, halfLifeDays: 30, now: () => now });
    rec.feedback({ user: 'cat', item: 'jazz-0', signal: 'up' });
    now += MINUTE;
    rec.feedback({ user: 'cat', item: 'jazz-0', signal: 'tired' });
    const cat = world(rec).people.get('cat')!;
    const item = catalog.indexOf('jazz-0')!;
    const until = restUntil(cat, item)!;
    expect(until).toBeGreaterThan(now);
    const record = cat.evidence.get(item)!;
    const ask = (t: number) =>
      isCitable({ now: t, quoteDelayMs: 0, mayName: () => true, lens: undefined }, cat, item, record);
    expect(ask(until - 1)).toBe(false);
    expect(ask(until)).toBe(true);
  });

  it('weights within a relative 1e-9 of each other tie, at any magnitude', () => {
    expect(byWeight(1000, 1000 * (1 + 1e-10))).toBe(0);
    expect(byWeight(1e6, 1e6 + 1e-4)).toBe(0);
    expect(byWeight(1e-3, 1e-3 * (1 + 1e-10))).toBe(0);
    expect(byWeight(1e-3, 1e-3 * (1 + 1e-8))).toBeGreaterThan(0);
  });
});
