/**
 * Attribution: the taste part of a score split into pieces a reason may cite.
 * Histories come through the public API; the pieces are read from the
 * recommender's own state (one accessor, `stateOf`, to re-point when the
 * shared state moves).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { Signal } from '../../src/types.js';
import { attribute, attributionIndex, byWeight, netFactor } from '../../src/explain/attribution.js';
import { Decay } from '../../src/decay/decay.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { PeopleStore } from '../../src/people/store.js';
import type { PersonState } from '../../src/people/person.js';
import { DEFAULT_PAUSE_DAYS } from '../../src/constants.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';

const MINUTE = 60_000;
// The recommenders below: a 30-day half-life, the default pause.
const DECAY = Decay.ofDays(30, DEFAULT_PAUSE_DAYS);
const personNow = (person: PersonState | undefined, now: number) =>
  person === undefined ? now : DECAY.personNow(person.clock, now);
const items = [
  ...musicCatalog(5, ['jazz', 'rock', 'folk']),
  { id: 'clinic', title: 'Clinic', tags: ['genre:jazz', 'topic:health'], sensitive: ['health'] },
];

function stateOf(rec: Recommender, user: string) {
  const { world } = rec as unknown as { world: { people: PeopleStore; catalog: Catalog } };
  return { catalog: world.catalog, person: world.people.get(user) };
}

const event = fc.record({
  item: fc.constantFrom(...items.map((x) => x.id)),
  signal: fc.constantFrom<Signal>('up', 'down', 'skip', 'skip', 'play', 'tired'),
  gapMinutes: fc.integer({ min: 0, max: 3 * 1440 }),
  hour: fc.constantFrom(8, 20),
});

describe('attribution', () => {
  it('cites only net-positive, quotable, nameable records that were not turned down; the pieces add up to the taste part', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom('jazz-1', 'rock-2'),
        (events, delayMinutes, unnameable) => {
          let now = T0;
          const rec = createRecommender({ items, seed: 3, exploration: 0, halfLifeDays: 30, now: () => now });
          const given = new Map<string, Signal[]>();
          const firstImplicit = new Map<string, number>();
          for (const e of events) {
            now += e.gapMinutes * MINUTE;
            rec.feedback({ user: 'ann', item: e.item, signal: e.signal, context: { hour: e.hour } });
            given.set(e.item, [...(given.get(e.item) ?? []), e.signal]);
            if ((e.signal === 'play' || e.signal === 'skip') && !firstImplicit.has(e.item))
              firstImplicit.set(e.item, now);
          }
          now += 60 * MINUTE;
          const { catalog, person } = stateOf(rec, 'ann');
          const request = {
            catalog,
            user: person,
            now,
            personNow: personNow(person, now),
            lens: undefined,
            decay: DECAY,
            quoteDelayMs: delayMinutes * MINUTE,
            contexts: ['daypart=morning'],
            mayName: (item: number) => item !== catalog.indexOf(unnameable),
          };
          const index = attributionIndex(request);
          const banned = new Set(rec.profile('ann').banned.map((b) => b.item));
          for (const r of rec.recommend('ann', { count: 1000, includeSeen: true, context: { hour: 8 } })) {
            const pieces = attribute(catalog, index, catalog.indexOf(r.item)!);
            for (const [j, part] of pieces.byItem) {
              const id = items[j]!.id;
              const signals = given.get(id)!;
              expect(part).toBeGreaterThan(0);
              expect(signals.some((s) => s === 'up' || s === 'play')).toBe(true); // something positive was given
              expect(banned.has(id)).toBe(false);
              expect(id).not.toBe(unnameable);
              expect(id).not.toBe('clinic'); // learned only with consent, which ann never gave
              // implicit evidence only: quotable once older than the delay
              if (!signals.includes('up') && !signals.includes('down'))
                expect(now - firstImplicit.get(id)!).toBeGreaterThanOrEqual(delayMinutes * MINUTE);
            }
            for (const part of pieces.byTag.values()) expect(part).toBeGreaterThan(0);
            expect(pieces.against).toBeLessThanOrEqual(0);
            const sum =
              [...pieces.byItem.values(), ...pieces.byTag.values(), ...pieces.byContext.values()].reduce(
                (a, b) => a + b,
                0,
              ) + pieces.against;
            expect(sum).toBeCloseTo(r.contributions.content + r.contributions.context, 9);
            for (const [j, byTag] of pieces.byItemTag) {
              const cells = [...byTag.values()].reduce((a, b) => a + b, 0);
              expect(cells).toBeCloseTo(pieces.byItem.get(j)!, 12);
            }
          }
        },
      ),
    );
  });

  it('counts a skipped item against the items that share its tags, and never cites it', () => {
    let now = T0;
    const rec = createRecommender({ items, seed: 3, exploration: 0, halfLifeDays: 30, now: () => now });
    rec.feedback({ user: 'ann', item: 'jazz-0', signal: 'up' });
    for (let i = 0; i < 4; i++) rec.feedback({ user: 'ann', item: 'jazz-1', signal: 'skip' });
    now += 600 * MINUTE;
    const { catalog, person } = stateOf(rec, 'ann');
    const request = {
      catalog,
      user: person,
      now,
      personNow: personNow(person, now),
      lens: undefined,
      decay: DECAY,
      quoteDelayMs: 0,
      contexts: [],
      mayName: () => true,
    };
    const pieces = attribute(catalog, attributionIndex(request), catalog.indexOf('jazz-2')!);
    expect([...pieces.byItem.keys()]).toEqual([catalog.indexOf('jazz-0')]);
    expect(pieces.against).toBeLessThan(0);
    expect(pieces.byTag.size).toBe(0);
    // A guest and a stranger have no taste to split.
    const none = attributionIndex({ ...request, user: undefined });
    expect(none.items.size + none.uncited.size + none.against.size + none.contexts.size).toBe(0);
  });

  it('nets a part out of its positive pieces, and orders weights with a rounding tolerance', () => {
    expect(netFactor(2, 4)).toBe(0.5);
    expect(netFactor(5, 4)).toBe(1);
    expect(netFactor(0, 4)).toBe(0);
    expect(netFactor(-1, 4)).toBe(0);
    expect(netFactor(1, 0)).toBe(0);
    expect(netFactor(Number.NaN, 1)).toBe(0);
    expect(byWeight(1, 2)).toBeGreaterThan(0);
    expect(byWeight(2, 1)).toBeLessThan(0);
    expect(byWeight(1, 1 + 1e-12)).toBe(0);
    expect(byWeight(1, 1 + 1e-6)).not.toBe(0);
    expect(byWeight(0, 0)).toBe(0);
  });
});
