/**
 * A station's seeds on a small catalog, worked out by hand: how seeds are checked, what each seed
 * says tag by tag (frequency × pointwise information, scaled to its most telling tag), the seed
 * prior and its exact parts per seed, the defining and uncapped tags, the items near the seeds,
 * and how a station is named.
 */
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { AttuneError } from '../../src/errors.js';
import {
  checkSeeds,
  definingTags,
  describeSeeds,
  nearSeeds,
  newSeeds,
  seedKey,
  seedPrior,
  seedProfiles,
  seedToPublic,
  uncappedTags,
  type SeedRef,
} from '../../src/people/stations.js';

/**
 * Eight songs: two jazz artists (miles: 3 songs, all 1959; coltrane: 1 song), three rock songs,
 * one untagged song, one with only a mood that half the catalog shares.
 */
function catalog(): Catalog {
  const c = new Catalog();
  c.add([
    { id: 'm1', title: 'So What', tags: ['genre:jazz', 'artist:miles', 'year:1959', 'mood:calm'] },
    { id: 'm2', tags: ['genre:jazz', 'artist:miles', 'year:1959'] },
    { id: 'm3', tags: ['genre:jazz', 'artist:miles', 'year:1959', 'mood:calm'] },
    { id: 'c1', tags: ['genre:jazz', 'artist:coltrane', 'mood:calm'] },
    { id: 'r1', tags: ['genre:rock', 'mood:loud'] },
    { id: 'r2', tags: ['genre:rock', 'mood:calm'] },
    { id: 'r3', tags: ['genre:rock', 'mood:loud'] },
    { id: 'x', title: 'Untagged' },
  ]);
  return c;
}

const tag = (c: Catalog, name: string) => c.tagIndexOf(name)!;
const item = (c: Catalog, id: string) => c.indexOf(id)!;

/** f · max(0, ln(f·(N + 1)/n_u)): the information a tag of frequency f with the seed carries. */
const info = (f: number, n: number, size = 8) => f * Math.max(0, Math.log((f * (size + 1)) / n));

function refusal(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(AttuneError);
    return { code: (e as AttuneError).code, message: (e as Error).message };
  }
  throw new Error('expected a refusal');
}

describe('checkSeeds', () => {
  it('resolves items and tags in the order given', () => {
    const c = catalog();
    expect(
      checkSeeds('api', [{ item: 'm2' }, { tag: 'genre:rock' }, { tag: 'genre:jazz', item: undefined }], c),
    ).toEqual([{ item: 1 }, { tag: tag(c, 'genre:rock') }, { tag: tag(c, 'genre:jazz') }]);
  });

  it('refuses what is not a list of { item } or { tag }, naming the seed and what to fix', () => {
    const c = catalog();
    const cases: Array<[unknown, string, RegExp]> = [
      [
        undefined,
        'INVALID_ARGUMENT',
        /^api: seeds must be a non-empty array of \{ item \} or \{ tag \}, got undefined$/,
      ],
      [[], 'INVALID_ARGUMENT', /^api: seeds must be a non-empty array/],
      [{ item: 'm1' }, 'INVALID_ARGUMENT', /^api: seeds must be a non-empty array/],
      [[null], 'INVALID_ARGUMENT', /^api: seeds\[0\] must be \{ item: id \} or \{ tag: 'facet:value' \}, got null$/],
      [[{ item: 'm1' }, 'm2'], 'INVALID_ARGUMENT', /^api: seeds\[1\] must be \{ item: id \} or \{ tag/],
      [[['m1']], 'INVALID_ARGUMENT', /^api: seeds\[0\] must be \{ item: id \}/],
      // eslint-disable-next-line no-sparse-arrays
      [[{ item: 'm1' }, , { item: 'm2' }], 'INVALID_ARGUMENT', /^api: seeds\[1\] must be \{ item: id \}/],
      [[{}], 'INVALID_ARGUMENT', /^api: seeds\[0\] must have exactly one of item or tag, got keys none$/],
      [
        [{ item: 'm1', tag: 'genre:jazz' }],
        'INVALID_ARGUMENT',
        /must have exactly one of item or tag, got keys item, tag$/,
      ],
      [[{ song: 'm1' }], 'INVALID_ARGUMENT', /must have exactly one of item or tag, got keys song$/],
      [[{ item: '' }], 'INVALID_ARGUMENT', /^api: seeds\[0\]\.item must be a non-empty string, got ""$/],
      [[{ tag: 3 }], 'INVALID_ARGUMENT', /^api: seeds\[0\]\.tag must be a non-empty string, got 3$/],
      [
        [{ item: 'nope' }],
        'UNKNOWN_ITEM',
        /^api: seeds\[0\]\.item "nope" is not in the catalog; add it with addItems first$/,
      ],
      [
        [{ tag: 'genre:polka' }],
        'UNKNOWN_TAG',
        /^api: seeds\[0\]\.tag "genre:polka" is not a tag of any item; seed with a tag/,
      ],
    ];
    for (const [seeds, code, message] of cases) {
      const error = refusal(() => checkSeeds('api', seeds, c));
      expect(error.code, JSON.stringify(seeds)).toBe(code);
      expect(error.message).toMatch(message);
    }
    // a tag no item carries any longer is unknown too
    c.tagItemCount[tag(c, 'mood:loud')] = 0;
    expect(refusal(() => checkSeeds('api', [{ tag: 'mood:loud' }], c)).code).toBe('UNKNOWN_TAG');
  });
});

describe('seeds as sets', () => {
  it('keys an item and a tag of the same index apart, and drops seeds already held or repeated', () => {
    expect(seedKey({ item: 3 })).toBe('i3');
    expect(seedKey({ tag: 3 })).toBe('t3');
    const held: SeedRef[] = [{ item: 1 }, { tag: 2 }];
    expect(newSeeds(held, [{ tag: 1 }, { item: 1 }, { item: 2 }, { tag: 1 }, { tag: 2 }, { item: 2 }])).toEqual([
      { tag: 1 },
      { item: 2 },
    ]);
    expect(newSeeds([], [])).toEqual([]);
  });
});

describe('seedProfiles', () => {
  it('an item seed: each of its tags by its information, the most telling one 1', () => {
    const c = catalog();
    const [profile] = seedProfiles(c, [{ item: item(c, 'm1') }], () => true);
    // counts: jazz 4, miles 3, 1959 3, calm 4 of 8 songs
    const raw = { jazz: info(1, 4), miles: info(1, 3), year: info(1, 3), calm: info(1, 4) };
    expect(profile!.size).toBe(4);
    expect(profile!.get(tag(c, 'artist:miles'))).toBeCloseTo(1, 12);
    expect(profile!.get(tag(c, 'year:1959'))).toBeCloseTo(1, 12);
    expect(profile!.get(tag(c, 'genre:jazz'))).toBeCloseTo(raw.jazz / raw.miles, 12);
    expect(profile!.get(tag(c, 'mood:calm'))).toBeCloseTo(raw.calm / raw.miles, 12);
  });

  it('an item seed it may not use says nothing', () => {
    const c = catalog();
    const profiles = seedProfiles(c, [{ item: 0 }, { item: 4 }], (i) => i !== 0);
    expect(profiles[0]!.size).toBe(0);
    expect(profiles[1]!.size).toBe(2);
  });

  it('a tag seed: itself at frequency 1, and each tag its items carry at its frequency among them', () => {
    const c = catalog();
    const [profile] = seedProfiles(c, [{ tag: tag(c, 'artist:miles') }], () => true);
    // miles' 3 songs: jazz 3/3, 1959 3/3, calm 2/3
    const raw = new Map([
      ['artist:miles', info(1, 3)],
      ['genre:jazz', info(1, 4)],
      ['year:1959', info(1, 3)],
      ['mood:calm', info(2 / 3, 4)],
    ]);
    const top = Math.max(...raw.values());
    expect([...profile!.keys()].map((t) => c.tags[t]).sort()).toEqual([...raw.keys()].sort());
    for (const [name, x] of raw) expect(profile!.get(tag(c, name)), name).toBeCloseTo(x / top, 12);
  });

  it('a tag that comes with the seed no more often than anywhere else says nothing, and is left out', () => {
    const c = catalog();
    // rock: 3 songs, loud on 2 (of 2 loud songs: telling), calm on 1 (1/3·ln(1/3·9/4) < 0 → 0)
    const [profile] = seedProfiles(c, [{ tag: tag(c, 'genre:rock') }], () => true);
    expect(info(1 / 3, 4)).toBe(0);
    expect(profile!.has(tag(c, 'mood:calm'))).toBe(false);
    expect(profile!.get(tag(c, 'mood:loud'))).toBeCloseTo(info(2 / 3, 2) / info(1, 3), 12);
    expect(profile!.get(tag(c, 'genre:rock'))).toBe(1);
  });

  it('a seed whose every tag every song shares counts its tags alike', () => {
    const c = new Catalog();
    c.add([
      { id: 'a', tags: ['kind:song', 'lang:en'] },
      { id: 'b', tags: ['kind:song', 'lang:en'] },
    ]);
    // tags as common as tags can be tell the same: each is the most telling, 1
    const [item] = seedProfiles(c, [{ item: 0 }], () => true);
    expect([...item!.values()]).toEqual([1, 1]);
    const d = new Catalog();
    d.add([{ id: 'a', tags: ['t:x'] }]);
    // a count above the catalog's size makes ln(f·(N + 1)/n) negative: no tag tells anything, each counts 1
    d.tagItemCount[0] = 5;
    const [flat] = seedProfiles(d, [{ item: 0 }], () => true);
    expect([...flat!.entries()]).toEqual([[0, 1]]);
  });

  it('reads each tag seed against its own songs when there are several', () => {
    const c = catalog();
    const [rock, miles, m1] = seedProfiles(
      c,
      [{ tag: tag(c, 'genre:rock') }, { tag: tag(c, 'artist:miles') }, { item: 0 }],
      () => true,
    );
    expect(rock!.has(tag(c, 'artist:miles'))).toBe(false);
    expect(miles!.has(tag(c, 'genre:rock'))).toBe(false);
    expect(miles!.get(tag(c, 'mood:calm'))).toBeCloseTo(info(2 / 3, 4) / info(1, 3), 12);
    expect(m1!.size).toBe(4);
  });
});

describe('seedPrior', () => {
  it('puts SEED_POINTS × share on each tag of each seed, and splits each tag weight exactly by seed', () => {
    const profiles = [
      new Map([
        [1, 1],
        [2, 0.25],
      ]),
      new Map([
        [2, 0.5],
        [3, 1],
      ]),
    ];
    const prior = seedPrior(profiles);
    expect([...prior.weight.entries()].sort()).toEqual([
      [1, 2],
      [2, 1.5],
      [3, 2],
    ]);
    expect(prior.parts.get(1)).toEqual(new Map([[0, 2]]));
    expect(prior.parts.get(2)).toEqual(
      new Map([
        [0, 0.5],
        [1, 1],
      ]),
    );
    expect(prior.parts.get(3)).toEqual(new Map([[1, 2]]));
    expect(seedPrior([]).weight.size).toBe(0);
  });
});

describe('definingTags, uncappedTags and nearSeeds', () => {
  it('a tag defines a station when it carries at least half of some seed’s information', () => {
    const profiles = [
      new Map([
        [1, 1],
        [2, 0.5],
        [3, 0.49],
      ]),
      new Map([[4, 0.7]]),
    ];
    expect([...definingTags(profiles)].sort()).toEqual([1, 2, 4]);
  });

  it('no cap holds back the tags a station was seeded on, nor a tag every song of one of them carries', () => {
    const c = catalog();
    const miles = tag(c, 'artist:miles');
    expect([...uncappedTags(c, [{ item: 0 }])]).toEqual([]);
    // every miles song is jazz and 1959; calm is on two of three
    expect([...uncappedTags(c, [{ tag: miles }, { item: 4 }])].map((t) => c.tags[t]).sort()).toEqual([
      'artist:miles',
      'genre:jazz',
      'year:1959',
    ]);
    // jazz: 4 songs; no other tag is on all four
    expect([...uncappedTags(c, [{ tag: tag(c, 'genre:jazz') }])].map((t) => c.tags[t])).toEqual(['genre:jazz']);
  });

  it('marks the item seeds and every item with a defining tag', () => {
    const c = catalog();
    const near = nearSeeds(
      c,
      [{ item: item(c, 'x') }, { tag: tag(c, 'artist:miles') }],
      new Set([tag(c, 'mood:loud')]),
    );
    expect(Array.from(near)).toEqual([0, 0, 0, 0, 1, 0, 1, 1]);
    const both = nearSeeds(c, [{ item: 0 }], new Set([tag(c, 'year:1959'), tag(c, 'artist:coltrane')]));
    expect(Array.from(both)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });
});

describe('naming a station', () => {
  it('says its seeds in words, the last after “and”', () => {
    const c = catalog();
    const name = (t: string) => t.split(':')[1]!;
    expect(describeSeeds(c, [], name)).toBe('nothing');
    expect(describeSeeds(c, [{ item: 0 }], name)).toBe('“So What”');
    expect(describeSeeds(c, [{ item: 1 }, { tag: tag(c, 'genre:jazz') }], name)).toBe('“m2” and jazz');
    expect(describeSeeds(c, [{ item: 0 }, { item: 7 }, { tag: tag(c, 'mood:calm') }], name)).toBe(
      '“So What”, “Untagged” and calm',
    );
  });

  it('gives a seed back as the app wrote it', () => {
    const c = catalog();
    expect(seedToPublic(c, { item: 1 })).toEqual({ item: 'm2' });
    expect(seedToPublic(c, { tag: tag(c, 'mood:calm') })).toEqual({ tag: 'mood:calm' });
  });
});
