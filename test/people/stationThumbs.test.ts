/**
 * Removing a station gives each item back the thumb it would have without the station: the latest
 * one given elsewhere — a person-wide down, another station's thumb, an up given off any station —
 * a down winning a tie, with the time it was given (the profile's thumbs, dated).
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { Signal } from '../../src/types.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const DAY = 86_400_000;
const items = musicCatalog(3, ['jazz', 'rock']);

/** `[item, signal, day, station]`: the station `gone` is the one removed. */
type Given = [string, Signal, number, string | undefined];

function run(events: readonly Given[], withGone: boolean): Recommender {
  let now = T0;
  const rec = createRecommender({ items, seed: 4, exploration: 0, lifeStages: false, now: () => now });
  for (const id of ['kept', 'other', ...(withGone ? ['gone'] : [])])
    rec.createStation('ann', { id, seeds: [{ tag: 'genre:jazz' }] });
  for (const [item, signal, day, station] of events) {
    if (station === 'gone' && !withGone) continue;
    now = T0 + day * DAY;
    rec.feedback({ user: 'ann', item, signal, at: now, ...(station === undefined ? {} : { station }) });
  }
  if (withGone) rec.removeStation('ann', 'gone');
  now = T0 + 30 * DAY;
  return rec;
}

const thumbs = (rec: Recommender) => {
  const p = rec.profile('ann');
  return {
    person: p.thumbs.map((t) => [t.item, t.signal, t.at]),
    stations: p.stations.map((s) => [s.id, s.thumbs.map((t) => [t.item, t.signal, t.at])]),
    banned: p.banned.map((b) => [b.item, b.at]),
  };
};

describe('removing a station: the thumbs left', () => {
  it.each<[string, Given[], [Signal, number]]>([
    [
      'a person-wide down outlasts an up on the station',
      [
        ['jazz-0', 'down', 1, undefined],
        ['jazz-0', 'up', 2, 'gone'],
      ],
      ['down', 1],
    ],
    [
      'another station’s up comes back after a down on the removed one',
      [
        ['jazz-0', 'up', 1, 'kept'],
        ['jazz-0', 'down', 2, 'gone'],
      ],
      ['up', 1],
    ],
    [
      'the latest thumb elsewhere wins, whichever station it was on',
      [
        ['jazz-0', 'up', 1, 'kept'],
        ['jazz-0', 'down', 2, 'other'],
        ['jazz-0', 'up', 3, 'gone'],
      ],
      ['down', 2],
    ],
    [
      'the latest thumb elsewhere wins, in either order of the stations',
      [
        ['jazz-0', 'down', 1, 'other'],
        ['jazz-0', 'up', 2, 'kept'],
        ['jazz-0', 'down', 3, 'gone'],
      ],
      ['up', 2],
    ],
    [
      'a down wins a tie with an up at the same time',
      [
        ['jazz-0', 'up', 1, 'kept'],
        ['jazz-0', 'down', 1, 'other'],
        ['jazz-0', 'up', 3, 'gone'],
      ],
      ['down', 1],
    ],
    [
      'a person-wide down later than another station’s up',
      [
        ['jazz-0', 'up', 1, 'kept'],
        ['jazz-0', 'down', 2, undefined],
        ['jazz-0', 'up', 3, 'gone'],
      ],
      ['down', 2],
    ],
    [
      'an up given off any station, first of the record, keeps its time',
      [
        ['jazz-0', 'up', 1, undefined],
        ['jazz-0', 'down', 2, 'gone'],
      ],
      ['up', 1],
    ],
    [
      'an up given off any station after a person-wide down, at the time of an up on the removed one',
      [
        ['jazz-0', 'down', 1, undefined],
        ['jazz-0', 'up', 2, undefined],
        ['jazz-0', 'up', 2, 'gone'],
      ],
      ['up', 2],
    ],
    [
      'the latest of several ups given off any station keeps its time',
      [
        ['jazz-0', 'up', 1, undefined],
        ['jazz-0', 'up', 3, undefined],
        ['jazz-0', 'down', 4, 'gone'],
      ],
      ['up', 3],
    ],
    [
      'an up given off any station, late (its time before the latest), still counts by its time',
      [
        ['jazz-0', 'up', 5, undefined],
        ['jazz-0', 'down', 6, 'gone'],
        ['jazz-0', 'up', 3, undefined],
      ],
      ['up', 5],
    ],
  ])('%s', (_, events, [signal, day]) => {
    const removed = run(events, true);
    const never = run(events, false);
    expect(thumbs(removed)).toEqual(thumbs(never));
    expect(thumbs(removed).person).toEqual([['jazz-0', signal, T0 + day * DAY]]);
  });

  it('a record whose only thumb was on the removed station keeps no thumb, only its plays', () => {
    const events: Given[] = [
      ['rock-1', 'play', 1, 'kept'],
      ['rock-1', 'up', 2, 'gone'],
    ];
    const removed = run(events, true);
    expect(thumbs(removed)).toEqual(thumbs(run(events, false)));
    expect(thumbs(removed).person).toEqual([]);
  });
});
