/**
 * buildReason on parts given exactly: the edges a whole recommender rarely
 * reaches — a part of exactly the citing floor or exactly the confidence
 * threshold, a guest with a part only a person can have, an exploration draw
 * with pushes of both signs or none, collaborative pieces from nothing to one
 * liked item. The person's records are real (given through the public API);
 * only the parts of the score are set by hand.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import { Decay } from '../../src/decay/decay.js';
import { buildReason, CITE_FLOOR, CONFIDENT_POINTS, type ExplainInput } from '../../src/explain/reasons.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { PeopleStore } from '../../src/people/store.js';
import type { Contributions } from '../../src/types.js';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const DECAY = Decay.ofDays(30, DEFAULT_PAUSE_DAYS);
const NOW = T0 + 1000;

/** ann liked jazz-1 and jazz-2 a second ago; bob has told nothing. */
function setup() {
  const rec = createRecommender({
    items: [...musicCatalog(6, ['jazz', 'rock']), { id: 'bare', title: 'Bare' }],
    seed: 3,
    exploration: 0,
    halfLifeDays: 30,
    now: () => NOW,
  });
  rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
  rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', at: T0 });
  return inputsOf(rec);
}

/** ann's record in `rec`, and inputs for buildReason about her at NOW with the parts given. */
function inputsOf(rec: Recommender) {
  const { world } = rec as unknown as { world: { people: PeopleStore; catalog: Catalog } };
  const catalog = world.catalog;
  const ann = world.people.get('ann')!;
  const at = (id: string) => catalog.indexOf(id)!;
  const input = (item: string, parts: Partial<Contributions>, over: Partial<ExplainInput> = {}): ExplainInput => ({
    catalog,
    user: ann,
    lens: undefined,
    now: NOW,
    personNow: DECAY.personNow(ann.clock, NOW),
    decay: DECAY,
    quoteDelayMs: 0,
    contexts: [],
    mayName: () => true,
    item: at(item),
    contributions: { content: 0, context: 0, collaborative: 0, popularity: 0, exploration: 0, ...parts },
    noise: undefined,
    explored: false,
    changing: false,
    hasEvidence: true,
    ...over,
  });
  return { catalog, ann, at, input };
}

describe('buildReason at its edges', () => {
  it('a part of exactly the citing floor is rounding, not a cause; just above it, it is said', () => {
    const { input } = setup();
    expect(buildReason(input('rock-1', { popularity: CITE_FLOOR })).kind).toBe('catalog');
    expect(buildReason(input('rock-1', { popularity: CITE_FLOOR * 1.5 })).kind).toBe('popular');
  });

  it('ties between parts go to the person’s own evidence first, then collaborative, then popularity', () => {
    const { input, at } = setup();
    const collaborative = [{ item: at('jazz-1'), weight: 1 }];
    expect(buildReason(input('jazz-3', { content: 1, collaborative: 1, popularity: 1 }, { collaborative })).kind).toBe(
      'liked-similar',
    );
    expect(buildReason(input('jazz-3', { collaborative: 1, popularity: 1 }, { collaborative })).kind).toBe(
      'collaborative',
    );
  });

  it('wording is firm from exactly the confidence threshold, tentative just below it', () => {
    const { input, at } = setup();
    const below = CONFIDENT_POINTS * (1 - 1e-9);
    const popular = (p: number) => buildReason(input('rock-1', { popularity: p }));
    expect(popular(CONFIDENT_POINTS)).toMatchObject({ confident: true, text: 'Popular with listeners right now' });
    expect(popular(below)).toMatchObject({ confident: false, text: 'Some listeners have enjoyed this lately' });
    const taste = (p: number) => buildReason(input('jazz-3', { content: p }));
    expect(taste(CONFIDENT_POINTS)).toMatchObject({
      confident: true,
      text: 'Because you liked “jazz song 1”: both are jazz from the 1950s',
    });
    expect(taste(below)).toMatchObject({
      confident: false,
      text: 'You might like this — it is a little like “jazz song 1”: both are jazz from the 1950s',
    });
    const collaborative = [{ item: at('jazz-1'), weight: 1 }];
    const collab = (p: number) => buildReason(input('rock-1', { collaborative: p }, { collaborative }));
    expect(collab(CONFIDENT_POINTS)).toMatchObject({
      confident: true,
      text: 'Because you liked “jazz song 1”: listeners who like it like this too',
    });
    expect(collab(below)).toMatchObject({
      confident: false,
      text: 'You might like this: some listeners who like “jazz song 1” do',
    });
  });

  it('a guest is never told of a taste or of liked items, whatever the parts say', () => {
    const { input } = setup();
    for (const parts of [{ content: 2 }, { context: 2 }, { collaborative: 2 }]) {
      expect(buildReason(input('jazz-3', parts, { user: undefined }))).toMatchObject({
        kind: 'catalog',
        text: 'A pick from the catalog',
        evidence: [],
      });
    }
  });

  it('collaborative with nothing it may name says "listeners with tastes like yours"; with only the item itself, "before"', () => {
    const { input, at } = setup();
    expect(buildReason(input('rock-1', { collaborative: 2 }, { collaborative: [] }))).toEqual({
      kind: 'collaborative',
      text: 'Listeners with tastes like yours like this',
      evidence: [{ type: 'people', id: 'similar-listeners', label: 'listeners with tastes like yours', weight: 2 }],
      part: { name: 'collaborative', points: 2 },
      confident: true,
    });
    // No pieces given at all reads as none.
    expect(buildReason(input('rock-1', { collaborative: 2 }))).toEqual(
      buildReason(input('rock-1', { collaborative: 2 }, { collaborative: [] })),
    );
    expect(buildReason(input('rock-1', { collaborative: 0.2 }, { collaborative: [] })).text).toBe(
      'Some listeners with tastes like yours like this',
    );
    const self = [{ item: at('jazz-1'), weight: 1 }];
    expect(buildReason(input('jazz-1', { collaborative: 2 }, { collaborative: self })).text).toBe(
      'You liked this before',
    );
    expect(buildReason(input('jazz-1', { collaborative: 0.2 }, { collaborative: self })).text).toBe(
      'You might like this again',
    );
    const both = [...self, { item: at('jazz-2'), weight: 1 }];
    expect(buildReason(input('jazz-1', { collaborative: 0.2 }, { collaborative: both })).text).toBe(
      'You might like this again; listeners who like “jazz song 2” like it too',
    );
  });

  it('exploring cites the tags the draw pushed up, netted to the exploration part; none when the draw is not known', () => {
    const { input, catalog, at } = setup();
    const item = at('rock-4');
    const tags = Array.from(catalog.itemTags[item]!).map((t) => catalog.tags[t]!);
    // rock-4: genre, mood, artist, era. The draw pushed the genre and the era up, the mood down.
    const noise = Float64Array.from([0.3, -0.1, 0, 0.2]);
    const r = buildReason(input('rock-4', { exploration: 0.4 }, { explored: true, noise }));
    expect(r.kind).toBe('exploring');
    expect(r.evidence.map((e) => [e.id, e.weight])).toEqual([
      [tags[0], expect.closeTo(0.24, 12)],
      [tags[3], expect.closeTo(0.16, 12)],
    ]);
    expect(r.text).toBe('Something new for you: rock from the 1960s, to learn what you think of it');
    // A draw that added less than the floor cites nothing, and names the item's first two tags.
    const none = buildReason(input('rock-4', { exploration: 0 }, { explored: true, noise }));
    expect(none.evidence).toEqual([]);
    expect(none.text).toBe(buildReason(input('rock-4', {}, { explored: true, noise: undefined })).text);
    expect(none.text).toBe('Something new for you: upbeat rock, to learn what you think of it');
    expect(
      buildReason(input('bare', { exploration: 1 }, { explored: true, noise: new Float64Array(0), changing: true })),
    ).toMatchObject({
      text: 'Your taste seems to have changed lately — trying something new: something you have not tried',
      evidence: [],
      part: { name: 'exploration', points: 1 },
    });
  });
});

describe('buildReason: the kind of a taste reason', () => {
  it('equal groups go to the liked items first, before tags', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ id, title: id.toUpperCase(), tags: ['genre:x'] }));
    const rec = createRecommender({ items, seed: 1, exploration: 0, now: () => NOW });
    // b rests: its part is cited by its tag, equal to a's cited by item.
    rec.feedback({ user: 'ann', item: 'a', signal: 'up', at: T0 });
    rec.feedback({ user: 'ann', item: 'b', signal: 'up', at: T0 });
    rec.feedback({ user: 'ann', item: 'b', signal: 'tired', at: T0 });
    const r = rec.explain('ann', 'c');
    expect(r.kind).toBe('liked-similar');
    expect(r.evidence.map((e) => [e.type, e.id])).toEqual([
      ['item', 'a'],
      ['tag', 'genre:x'],
    ]);
    expect(r.evidence[0]!.weight).toBe(r.evidence[1]!.weight);
  });

  it('a context that lowered the score is never cited beside one that raised it', () => {
    const rec = createRecommender({ items: musicCatalog(6, ['jazz']), seed: 3, exploration: 0, now: () => NOW });
    for (let k = 0; k < 6; k++) {
      rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'play', at: T0, context: { hour: 8 } });
      rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'skip', at: T0, context: { device: 'speaker' } });
    }
    const { input } = inputsOf(rec);
    const r = buildReason(
      input('jazz-5', { context: 1 }, { quoteDelayMs: 60 * 60_000, contexts: ['daypart=morning', 'device=speaker'] }),
    );
    expect(r.kind).toBe('context');
    expect(r.evidence.map((e) => e.id)).toEqual(['daypart=morning']);
    expect(r.text).toBe('You often enjoy upbeat jazz on mornings');
  });

  it('equal exploration pushes are cited in tag order, not in the order the item lists its tags', () => {
    const { input, catalog, at } = setup();
    const item = at('rock-4');
    const tags = Array.from(catalog.itemTags[item]!);
    // rock-4 lists its genre (a tag first seen on the rock songs) before its mood (first seen on the jazz songs).
    expect(tags[0]!).toBeGreaterThan(tags[1]!);
    const noise = Float64Array.from([0.2, 0.2, 0, 0]);
    const r = buildReason(input('rock-4', { exploration: 0.4 }, { explored: true, noise }));
    expect(r.evidence.map((e) => e.id)).toEqual([catalog.tags[tags[1]!], catalog.tags[tags[0]!]]);
  });

  it('an exploration push of exactly the floor, once netted, is not cited', () => {
    const { input } = setup();
    const noise = Float64Array.from([2 * CITE_FLOOR, 0, 0, 0]);
    const r = buildReason(input('rock-4', { exploration: CITE_FLOOR }, { explored: true, noise }));
    expect(r.evidence).toEqual([]);
    expect(r.text).toBe('Something new for you: upbeat rock, to learn what you think of it');
  });
});

describe('buildReason: tags that may not be cited by item yet', () => {
  /** ann: one up on jazz-1, and plays on every jazz song inside the quoting delay. */
  function played() {
    const rec = createRecommender({ items: musicCatalog(6, ['jazz']), seed: 3, exploration: 0, now: () => NOW });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    for (let n = 0; n < 3; n++)
      for (let k = 0; k < 6; k++) rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'play', at: T0 + n });
    const { input } = inputsOf(rec);
    return (content: number) => input('jazz-5', { content }, { quoteDelayMs: 3_600_000 });
  }

  it('the tags lead when they carry more than the liked item, firm from exactly the threshold', () => {
    const input = played();
    const firm = buildReason(input(CONFIDENT_POINTS));
    expect(firm.kind).toBe('tag-affinity');
    expect(firm.text).toMatch(/^You have been enjoying /);
    expect(firm.evidence.every((e) => e.type === 'tag')).toBe(true);
    expect(buildReason(input(CONFIDENT_POINTS * (1 - 1e-9))).text).toMatch(
      /^You might like this: you have enjoyed some /,
    );
  });
});
