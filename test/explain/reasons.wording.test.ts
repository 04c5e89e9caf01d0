/**
 * What each kind of reason says, word for word, and what it cites: small
 * worlds where one part of the score clearly leads, so that the kind, the
 * text, the evidence and the structured fields (`part`, `confident`,
 * `since`, `until`) can be read exactly. The faithfulness properties
 * (reasons.property.test.ts) say that a reason names what raised the
 * score; these say what it tells the person.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender, type RecommenderOptions } from '../../src/index.js';
import type { Item, Reason } from '../../src/types.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const DAY = 86_400_000;
const items: Item[] = [...musicCatalog(6, ['jazz', 'rock', 'soul']), { id: 'bare', title: 'Bare' }];

function world(options: Partial<RecommenderOptions> = {}) {
  const clock = { t: T0 };
  const rec = createRecommender({ items, seed: 3, exploration: 0, now: () => clock.t, ...options });
  return { rec, clock };
}

const ids = (r: Reason) => r.evidence.map((e) => e.id);
const sum = (r: Reason) => r.evidence.reduce((s, e) => s + e.weight, 0);
/** The taste part of a score, as a recommendation of `item` reports it. */
function tastePart(rec: Recommender, user: string, item: string, options: Record<string, unknown> = {}): number {
  const r = rec
    .recommend(user, { count: 1000, includeSeen: true, ...options })
    .find((x) => x.item === item)!.contributions;
  return r.content + r.context;
}

describe('reasons: turned down and resting', () => {
  it('a turned-down item says when, cites nothing and is sure of it, whatever its score', () => {
    const { rec, clock } = world();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'down', at: T0 + 5 });
    clock.t = T0 + 3 * DAY;
    expect(rec.explain('ann', 'jazz-2')).toEqual({
      kind: 'turned-down',
      text: 'You turned “jazz song 2” down on 2026-01-01: it will not be played for you again unless you undo that',
      evidence: [],
      part: { name: 'none', points: 0 },
      confident: true,
      since: T0 + 5,
    });
    // Turned down is said only of that item, and it is never cited as a reason to like another.
    for (const x of items) {
      const r = rec.explain('ann', x.id);
      expect(r.kind === 'turned-down').toBe(x.id === 'jazz-2');
      expect(ids(r)).not.toContain('jazz-2');
    }
  });

  it('a down on a station turns the item down there only, and is said there in the station’s words', () => {
    const { rec, clock } = world();
    rec.createStation('ann', { id: 'miles', name: 'Miles Radio', seeds: [{ tag: 'genre:jazz' }] });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'down', station: 'miles', at: T0 });
    clock.t = T0 + 1000;
    expect(rec.explain('ann', 'jazz-2', { station: 'miles' })).toMatchObject({
      kind: 'turned-down',
      text: 'On your Miles Radio — you turned “jazz song 2” down on 2026-01-01: it will not be played for you again unless you undo that',
      since: T0,
    });
    expect(rec.explain('ann', 'jazz-2').kind).not.toBe('turned-down');
  });

  it('a resting item says until when, to the day, and stops resting at its end exactly', () => {
    const { rec, clock } = world({ tiredDays: 10 });
    rec.feedback({ user: 'ann', item: 'rock-2', signal: 'tired', at: T0 });
    clock.t = T0 + DAY;
    expect(rec.explain('ann', 'rock-2')).toEqual({
      kind: 'resting',
      text: '“rock song 2” is resting until 2026-01-11: you said you were tired of it',
      evidence: [],
      part: { name: 'none', points: 0 },
      confident: true,
      until: T0 + 10 * DAY,
    });
    clock.t = T0 + 10 * DAY - 1;
    expect(rec.explain('ann', 'rock-2').kind).toBe('resting');
    clock.t = T0 + 10 * DAY;
    expect(rec.explain('ann', 'rock-2').kind).not.toBe('resting');
  });

  it('a guest or another person is never told of someone’s bans or rests', () => {
    const { rec, clock } = world();
    rec.feedback({ user: 'ann', item: 'rock-1', signal: 'down', at: T0 });
    rec.feedback({ user: 'ann', item: 'rock-2', signal: 'tired', at: T0 });
    clock.t = T0 + 1000;
    for (const user of [undefined, 'bob'])
      for (const item of ['rock-1', 'rock-2'])
        expect(['turned-down', 'resting']).not.toContain(rec.explain(user, item).kind);
  });
});

describe('reasons: nothing known, and what is popular', () => {
  it('a guest gets a plain pick; a newcomer is told how to tune; a person whose evidence says nothing of the item is told so', () => {
    const { rec, clock } = world();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    clock.t = T0 + 1000;
    const none = { evidence: [], part: { name: 'none', points: 0 }, confident: false };
    expect(rec.explain(undefined, 'rock-3')).toEqual({ kind: 'catalog', text: 'A pick from the catalog', ...none });
    expect(rec.explain('zed', 'rock-3')).toEqual({
      kind: 'new-user',
      text: 'New here: a pick from the catalog to start — a thumbs up or down tunes your picks',
      ...none,
    });
    expect(rec.explain('ann', 'rock-3')).toEqual({
      kind: 'catalog',
      text: 'A pick from the catalog: nothing you have told us points to it yet',
      ...none,
    });
  });

  it('popular: firm above half a point, tentative below; a newcomer is told how to tune, a guest and a known person are not', () => {
    const { rec, clock } = world();
    for (let u = 0; u < 8; u++) rec.feedback({ user: `u${u}`, item: 'rock-2', signal: 'up', at: T0 });
    rec.feedback({ user: 'u9', item: 'rock-3', signal: 'play', at: T0 });
    clock.t = T0 + 1000;
    const strong = rec.explain('zed', 'rock-2');
    expect(strong).toMatchObject({
      kind: 'popular',
      text: 'Popular with listeners right now — a thumbs up or down tunes your picks',
      part: { name: 'popularity' },
      confident: true,
    });
    expect(strong.part.points).toBeGreaterThanOrEqual(0.5);
    expect(strong.evidence).toEqual([
      { type: 'people', id: 'popularity', label: 'listeners overall', weight: strong.part.points },
    ]);
    const weak = rec.explain('zed', 'rock-3');
    expect(weak).toMatchObject({
      kind: 'popular',
      text: 'Some listeners have enjoyed this lately — a thumbs up or down tunes your picks',
      confident: false,
    });
    expect(weak.part.points).toBeGreaterThan(0);
    expect(weak.part.points).toBeLessThan(0.5);
    expect(rec.explain(undefined, 'rock-2').text).toBe('Popular with listeners right now');
    rec.feedback({ user: 'zed', item: 'soul-1', signal: 'up', at: clock.t });
    expect(rec.explain('zed', 'rock-2')).toMatchObject({ kind: 'popular', text: 'Popular with listeners right now' });
    expect(rec.explain('zed', 'rock-3').text).toBe('Some listeners have enjoyed this lately');
  });
});

describe('reasons: taste', () => {
  it('liked-similar names the liked item and the tags both share, crediting no more than the taste part', () => {
    const { rec, clock } = world();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    clock.t = T0 + 1000;
    const r = rec.explain('ann', 'jazz-2');
    expect(r).toMatchObject({
      kind: 'liked-similar',
      text: 'Because you liked “jazz song 1”: both are jazz from the 1950s',
      part: { name: 'taste' },
      confident: true,
    });
    expect(r.evidence).toEqual([
      { type: 'item', id: 'jazz-1', label: 'jazz song 1', weight: r.part.points, tags: ['genre:jazz', 'era:1950s'] },
    ]);
    expect(r.part.points).toBeCloseTo(tastePart(rec, 'ann', 'jazz-2'), 12);
    // The liked item itself: "before", citing itself with every tag it has.
    const self = rec.explain('ann', 'jazz-1');
    expect(self.text).toBe('You liked “jazz song 1” before');
    expect(self.evidence).toEqual([expect.objectContaining({ id: 'jazz-1', weight: self.part.points })]);
    expect(self.evidence[0]!.tags).toHaveLength(4);
  });

  it('liked-similar cites the two largest liked items, largest first, then tags, five at most', () => {
    const { rec, clock } = world();
    for (let k = 0; k < 5; k++) rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'up', at: T0 });
    clock.t = T0 + 1000;
    const r = rec.explain('ann', 'jazz-5');
    expect(r.kind).toBe('liked-similar');
    expect(r.text).toBe('Because you liked “jazz song 1”: both are upbeat jazz');
    const cited = r.evidence.filter((e) => e.type === 'item');
    expect(cited.map((e) => e.id)).toEqual(['jazz-1', 'jazz-0']);
    expect(cited[0]!.weight).toBeGreaterThan(cited[1]!.weight);
    expect(cited[0]!.tags).toEqual(['mood:upbeat', 'genre:jazz', 'era:1950s']);
    expect(r.evidence.length).toBeLessThanOrEqual(5);
    expect(sum(r)).toBeLessThanOrEqual(r.part.points * (1 + 1e-12));
  });

  it('liked-similar is tentative on a thin taste part: "You might like"', () => {
    const { rec, clock } = world();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'play', at: T0 });
    clock.t = T0 + 2 * DAY;
    const other = rec.explain('ann', 'jazz-2');
    expect(other.part.points).toBeLessThan(0.5);
    expect(other).toMatchObject({
      kind: 'liked-similar',
      text: 'You might like this — it is a little like “jazz song 1”: both are jazz from the 1950s',
      confident: false,
    });
    expect(rec.explain('ann', 'jazz-1')).toMatchObject({
      text: 'You might like “jazz song 1” again',
      confident: false,
    });
  });

  it('tag-affinity: evidence that may not be quoted by item yet is told by its tags, lately or not', () => {
    const { rec, clock } = world();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'play', at: T0 });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'play', at: T0 });
    clock.t = T0 + 1000;
    // Plays a second old are not quoted by item (the quoting delay): their tags are.
    const thin = rec.explain('ann', 'jazz-3');
    expect(thin).toMatchObject({
      kind: 'tag-affinity',
      text: 'You might like this: you have enjoyed some jazz from the 1950s',
      confident: false,
    });
    expect(thin.evidence).toEqual([
      { type: 'tag', id: 'genre:jazz', label: 'jazz', weight: expect.any(Number) },
      { type: 'tag', id: 'era:1950s', label: '1950s', weight: expect.any(Number) },
    ]);
    expect(sum(thin)).toBeCloseTo(thin.part.points, 9);
    for (let k = 0; k < 6; k++) rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'play', at: clock.t });
    const firm = rec.explain('ann', 'jazz-3');
    expect(firm).toMatchObject({
      kind: 'tag-affinity',
      text: 'You have been enjoying jazz from the 1950s',
      part: { name: 'taste' },
    });
    expect(ids(firm)).toEqual(['genre:jazz', 'era:1950s', 'mood:dreamy']);
  });

  it('tag-affinity after a long pause says "enjoyed", not "lately" (resting items are cited by tag)', () => {
    const { rec, clock } = world({ tiredDays: 60 });
    for (let k = 0; k < 5; k++) rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'up', at: T0 });
    for (let k = 0; k < 5; k++) rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'tired', at: T0 });
    clock.t = T0 + 30 * DAY;
    const lately = rec.explain('ann', 'jazz-5');
    expect(lately).toMatchObject({ kind: 'tag-affinity', text: 'You have been enjoying jazz from the 1950s' });
    // A resting item is never named as a reason.
    for (const e of lately.evidence) expect(e.type).toBe('tag');
    clock.t = T0 + 30 * DAY + 1;
    expect(rec.explain('ann', 'jazz-5')).toMatchObject({
      kind: 'tag-affinity',
      text: 'You enjoyed jazz from the 1950s',
      confident: true,
    });
  });

  it('context: the request’s context is cited when it raised the score most', () => {
    const { rec, clock } = world();
    for (let k = 0; k < 6; k++)
      rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'play', at: T0, context: { hour: 8 } });
    for (let k = 0; k < 6; k++)
      rec.feedback({ user: 'ann', item: `jazz-${k}`, signal: 'skip', at: T0 + 1, context: { hour: 21 } });
    clock.t = T0 + 1000;
    const morning = rec.explain('ann', 'jazz-5', { context: { hour: 8 } });
    expect(morning).toEqual({
      kind: 'context',
      text: 'You might like upbeat jazz on mornings',
      evidence: [{ type: 'context', id: 'daypart=morning', label: 'mornings', weight: morning.part.points }],
      part: { name: 'taste', points: morning.part.points },
      confident: false,
    });
    expect(morning.part.points).toBeCloseTo(tastePart(rec, 'ann', 'jazz-5', { context: { hour: 8 } }), 12);
    // At night the same item is not raised by its context: no context reason.
    expect(rec.explain('ann', 'jazz-5', { context: { hour: 21 } }).kind).not.toBe('context');
  });
});

describe('reasons: exploration', () => {
  it('an explored item says it is new, names at most two tags, and cites no more than the draw', () => {
    const { rec } = world({ exploration: 1 });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    const explored = rec.recommend('ann', { count: 10 }).filter((r) => r.explored);
    expect(explored.length).toBeGreaterThan(1);
    for (const r of explored) {
      expect(r.reason.kind).toBe('exploring');
      expect(r.reason.part).toEqual({ name: 'exploration', points: Math.max(0, r.contributions.exploration) });
      expect(r.reason.text).toMatch(/^Something new for you: .+, to learn what you think of it$/);
      expect(sum(r.reason)).toBeLessThanOrEqual(r.reason.part.points * (1 + 1e-12));
      for (const e of r.reason.evidence) {
        expect(e.type).toBe('tag');
        expect(items.find((x) => x.id === r.item)!.tags).toContain(e.id);
        expect(e.weight).toBeGreaterThan(0);
      }
      if (r.item === 'bare')
        expect(r.reason.text).toBe(
          'Something new for you: something you have not tried, to learn what you think of it',
        );
    }
  });
});

describe('reasons: on a station', () => {
  function station() {
    const w = world();
    w.rec.createStation('ann', {
      id: 'miles',
      name: 'Miles Radio',
      seeds: [{ item: 'jazz-1' }, { tag: 'genre:jazz' }],
    });
    w.rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', station: 'miles', at: T0 });
    w.rec.feedback({ user: 'ann', item: 'soul-2', signal: 'up', at: T0 });
    w.clock.t = T0 + 1000;
    return w;
  }

  it('cites the seeds when they lead, largest first, with the tags the item shares with them and the songs liked there', () => {
    const { rec } = station();
    const r = rec.explain('ann', 'jazz-3', { station: 'miles' });
    expect(r.kind).toBe('station-seed');
    expect(r.text).toBe(
      'On your Miles Radio, built on jazz and “jazz song 1”: jazz by Jazz A3 from the 1950s, like “jazz song 2”, which you liked',
    );
    expect(r.evidence.map((e) => [e.type, e.id])).toEqual([
      ['tag', 'genre:jazz'],
      ['item', 'jazz-1'],
      ['item', 'jazz-2'],
    ]);
    expect(r.evidence[2]!.tags).toEqual(['genre:jazz', 'era:1950s']);
    expect(r.evidence[0]!.weight).toBeGreaterThan(r.evidence[1]!.weight);
    expect(sum(r)).toBeLessThanOrEqual(r.part.points * (1 + 1e-12));
    expect(r.part.points).toBeCloseTo(tastePart(rec, 'ann', 'jazz-3', { station: 'miles' }), 12);
    // The liked song itself is not cited as a reason to like itself.
    const liked = rec.explain('ann', 'jazz-2', { station: 'miles' });
    expect(liked.text).toBe('On your Miles Radio, built on jazz and “jazz song 1”: jazz by Jazz A2 from the 1950s');
    expect(ids(liked)).toEqual(['genre:jazz', 'jazz-1']);
  });

  it('an item seed leads for the songs near it only, and other reasons are said "On your" station', () => {
    const { rec } = station();
    const soul = rec.explain('ann', 'soul-3', { station: 'miles' });
    expect(soul.text).toBe(
      'On your Miles Radio, built on “jazz song 1” and jazz: upbeat soul by Soul A3, like “soul song 2”, which you liked',
    );
    expect(ids(soul)).toEqual(['jazz-1', 'genre:jazz', 'soul-2']);
    expect(rec.explain('ann', 'soul-2', { station: 'miles' })).toMatchObject({
      kind: 'liked-similar',
      text: 'On your Miles Radio — you liked “soul song 2” before',
    });
    // Off the station, the same item is explained without it.
    expect(rec.explain('ann', 'soul-2').text).toBe('You liked “soul song 2” before');
    expect(rec.explain('ann', 'rock-1', { station: 'miles' }).text).toBe(
      'On your Miles Radio — you might like this — it is a little like “jazz song 2”: both are dark',
    );
  });

  it('a seed the person turned down or is resting still leads the station but is not cited', () => {
    const { rec, clock } = station();
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', at: clock.t });
    const rested = rec.explain('ann', 'jazz-3', { station: 'miles' });
    expect(rested.kind).toBe('station-seed');
    expect(rested.text).toMatch(/^On your Miles Radio, built on jazz: /);
    expect(ids(rested)).not.toContain('jazz-1');
    clock.t += 30 * DAY - 1;
    expect(ids(rec.explain('ann', 'jazz-3', { station: 'miles' }))).not.toContain('jazz-1');
    clock.t += 1; // the rest ends
    expect(ids(rec.explain('ann', 'jazz-3', { station: 'miles' }))).toContain('jazz-1');
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'down', station: 'miles', at: clock.t });
    expect(ids(rec.explain('ann', 'jazz-3', { station: 'miles' }))).not.toContain('jazz-1');
  });
});

describe('reasons: a station whose seeds may not be cited', () => {
  it('says the song is the station’s, naming no seed and no taste the person never showed', () => {
    const { rec, clock } = world();
    rec.createStation('bob', { id: 's', name: 'So What Radio', seeds: [{ item: 'jazz-1' }] });
    rec.feedback({ user: 'bob', item: 'jazz-1', signal: 'tired', at: T0 });
    clock.t = T0 + 1000;
    const r = rec.explain('bob', 'jazz-2', { station: 's' });
    expect(r).toMatchObject({
      kind: 'station-seed',
      text: 'On your So What Radio: dark jazz from the 1950s',
      evidence: [],
      part: { name: 'taste' },
    });
    expect(r.part.points).toBeGreaterThan(0);
    // Once the rest ends the seed is cited again.
    clock.t = T0 + 31 * DAY;
    expect(rec.explain('bob', 'jazz-2', { station: 's' }).text).toBe(
      'On your So What Radio, built on “jazz song 1”: dark jazz from the 1950s',
    );
  });
});

describe('reasons: a station, more', () => {
  it('a song liked cites before a seed that may not be cited, however large the seed part', () => {
    const { rec, clock } = world();
    rec.createStation('ann', { id: 's', name: 'S Radio', seeds: [{ item: 'jazz-1' }] });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'tired', at: T0 });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', at: T0 });
    clock.t = T0 + 1000;
    const r = rec.explain('ann', 'jazz-3', { station: 's' });
    expect(r.text).toBe('On your S Radio — because you liked “jazz song 2”: both are jazz from the 1950s');
    expect(ids(r)).toEqual(['jazz-2']);
  });

  it('two songs liked on the station are both named after the seeds', () => {
    const { rec, clock } = world();
    rec.createStation('ann', { id: 'miles', name: 'Miles Radio', seeds: [{ item: 'jazz-1' }, { tag: 'genre:jazz' }] });
    rec.feedback({ user: 'ann', item: 'jazz-2', signal: 'up', station: 'miles', at: T0 });
    rec.feedback({ user: 'ann', item: 'jazz-4', signal: 'up', station: 'miles', at: T0 });
    clock.t = T0 + 1000;
    expect(rec.explain('ann', 'jazz-3', { station: 'miles' }).text).toBe(
      'On your Miles Radio, built on jazz and “jazz song 1”: jazz by Jazz A3 from the 1950s, like “jazz song 2” and “jazz song 4”, which you liked',
    );
  });
});

describe('reasons: collaborative', () => {
  it('names the liked items it comes from and counts the rest as liked, played or both; "before" of an item the person liked', () => {
    const catalog = musicCatalog(10).map((i) => ({ id: i.id, title: i.title! }));
    const rec = createRecommender({
      items: catalog,
      seed: 3,
      now: () => T0 + 1e9,
      exploration: 0,
      collaborative: { factors: 8, iterations: 5 },
    });
    const history: { user: string; item: string; signal: 'up' | 'play' }[] = [];
    for (let u = 0; u < 40; u++)
      for (let n = 0; n < 24; n++)
        history.push({ user: `u${u}`, item: catalog[(u % 4) * 25 + ((n * 7 + u) % 25)]!.id, signal: 'up' });
    // Listeners of one cluster: all thumbs, all plays, both, and too few to count any.
    const people: Record<string, [number, (k: number) => 'up' | 'play', string]> = {
      many: [12, () => 'up', 'liked'],
      player: [12, () => 'play', 'played'],
      mixed: [12, (k) => (k % 3 === 0 ? 'play' : 'up'), 'liked or played'],
      four: [4, () => 'up', 'liked'],
      three: [3, () => 'up', 'liked'],
    };
    for (const [user, [n, signal]] of Object.entries(people))
      for (let k = 0; k < n; k++) history.push({ user, item: catalog[(k * 7) % 25]!.id, signal: signal(k) });
    rec.feedback(history.map((e, n) => ({ ...e, at: T0 + n })));
    rec.train();
    const seen = new Set<string>();
    for (const [user, [n, , verb]] of Object.entries(people)) {
      const given = new Set(Array.from({ length: n }, (_, k) => catalog[(k * 7) % 25]!.id));
      const collaborative = rec
        .recommend(user, { count: 100, includeSeen: true })
        .filter((r) => r.reason.kind === 'collaborative');
      expect(collaborative.length).toBeGreaterThan(1);
      for (const { item, reason } of collaborative) {
        const named = reason.evidence.filter((e) => e.type === 'item');
        const group = reason.evidence.find((e) => e.type === 'items');
        for (const e of named) expect(given.has(e.id)).toBe(true);
        expect(named.length + (group?.count ?? 0)).toBe(n);
        if (group !== undefined) {
          const noun = group.count === 1 ? 'song' : 'songs';
          expect(group).toMatchObject({ id: 'other-items', label: `${group.count} other ${noun} you ${verb}` });
        }
        const list = [
          ...named.filter((e) => e.id !== item).map((e) => `“${e.label}”`),
          ...(group ? [group.label] : []),
        ];
        const what = list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
        const self = named.some((e) => e.id === item);
        expect(reason.text).toBe(
          self
            ? `You liked this before; listeners who like ${what} like it too`
            : `Because you liked ${what}: listeners who like them like this too`,
        );
        expect(reason.confident).toBe(true);
        expect(reason.part.name).toBe('collaborative');
        seen.add(`${user} ${self ? 'self' : 'other'} ${group === undefined ? 'named' : `group of ${group.count}`}`);
      }
    }
    for (const user of Object.keys(people))
      expect([...seen]).toContain(
        `${user} self ${user === 'three' ? 'named' : user === 'four' ? 'group of 1' : 'group of 9'}`,
      );
    expect([...seen]).toContain('three other named');
  });
});

describe('reasons: edges', () => {
  it('after a new life stage, an explored item says the taste seems to have changed', () => {
    const { rec, clock } = world({ exploration: 1 });
    rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'up', at: T0 });
    rec.setPreferences('ann', { reset: true });
    rec.feedback({ user: 'ann', item: 'soul-1', signal: 'up', at: T0 + 1000 });
    clock.t = T0 + 2000;
    const explored = rec.recommend('ann', { count: 10 }).filter((r) => r.explored);
    expect(explored.length).toBeGreaterThan(0);
    for (const r of explored)
      expect(r.reason.text).toMatch(/^Your taste seems to have changed lately — trying something new: .+$/);
  });

  it('equal evidence is cited in catalog order, whichever was given first', () => {
    const twins: Item[] = [
      { id: 'a', title: 'A', tags: ['genre:x', 'mood:m'] },
      { id: 'b', title: 'B', tags: ['genre:x', 'mood:m'] },
      { id: 'c', title: 'C', tags: ['genre:x', 'mood:m'] },
      { id: 'd', title: 'D', tags: ['genre:y'] },
    ];
    for (const first of ['a', 'b']) {
      const rec = createRecommender({ items: twins, seed: 1, exploration: 0, now: () => T0 + 1000 });
      rec.feedback({ user: 'ann', item: first, signal: 'up', at: T0 });
      rec.feedback({ user: 'ann', item: first === 'a' ? 'b' : 'a', signal: 'up', at: T0 });
      const r = rec.explain('ann', 'c');
      expect(r.text).toBe('Because you liked “A”: both are m x');
      expect(ids(r)).toEqual(['a', 'b']);
      expect(r.evidence[0]!.weight).toBe(r.evidence[1]!.weight);
    }
  });

  it('an opted-out person is never told to tune, and a station keeps a quoted title’s case', () => {
    const { rec, clock } = world();
    for (let u = 0; u < 8; u++) rec.feedback({ user: `u${u}`, item: 'rock-2', signal: 'up', at: T0 });
    rec.setPreferences('zed', { optOut: true });
    clock.t = T0 + 1000;
    expect(rec.explain('zed', 'rock-2').text).toBe('Popular with listeners right now');
    expect(rec.explain('zed', 'soul-5')).toMatchObject({ kind: 'catalog', text: 'A pick from the catalog' });

    rec.createStation('ann', { id: 'miles', name: 'Miles Radio', seeds: [{ tag: 'genre:jazz' }] });
    rec.feedback({ user: 'ann', item: 'rock-3', signal: 'tired', at: clock.t });
    expect(rec.explain('ann', 'rock-3', { station: 'miles' }).text).toBe(
      'On your Miles Radio — “rock song 3” is resting until 2026-01-31: you said you were tired of it',
    );
    expect(rec.explain('zed', 'rock-2').kind).toBe('popular');
  });
});
