/**
 * describeTags groups tags by facet in one pass: it says what grouping them
 * facet by facet says (moods, other tags, genres; then artists and eras), for
 * any tags, in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeTags, tagLabel } from '../../src/catalog/catalog.js';

/** The phrase by its definition: one filter per facet, in the order the tags were given. */
function byFacet(tags: readonly string[]): string {
  const of = (facet: string) => tags.filter((t) => t.startsWith(`${facet}:`)).map(tagLabel);
  const known = ['mood', 'genre', 'artist', 'era'];
  const others = tags.filter((t) => !known.includes(t.slice(0, Math.max(0, t.indexOf(':'))))).map(tagLabel);
  let phrase = [...of('mood'), ...others, ...of('genre')].join(' ');
  const artists = of('artist').map((a) => a.replace(/\b\p{L}/gu, (c) => c.toUpperCase()));
  const eras = of('era');
  if (artists.length > 0)
    phrase = phrase === '' ? `songs by ${artists.join(' and ')}` : `${phrase} by ${artists.join(' and ')}`;
  if (eras.length > 0)
    phrase = phrase === '' ? `songs from the ${eras.join(' and ')}` : `${phrase} from the ${eras.join(' and ')}`;
  return phrase === '' ? 'this' : phrase;
}

describe('describeTags', () => {
  it('reads like a person: moods, then the genre, by the artist, from the era', () => {
    expect(describeTags(['era:1960s', 'artist:mara-quinn', 'genre:jazz', 'mood:mellow'])).toBe(
      'mellow jazz by Mara Quinn from the 1960s',
    );
    expect(describeTags(['artist:elise_roy', 'decade:1990s'])).toBe('1990s by Elise Roy');
    expect(describeTags([])).toBe('this');
  });

  it('says what grouping the tags facet by facet says, for any tags', () => {
    const facet = fc.constantFrom('mood', 'genre', 'artist', 'era', 'decade', 'moods', 'Mood', '');
    const label = fc.stringMatching(/^[a-zé0-9_:\- ]{0,8}$/);
    const tag = fc.oneof(
      fc.tuple(facet, label).map(([f, l]) => `${f}:${l}`),
      label,
    );
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 7 }), (tags) => {
        expect(describeTags(tags)).toBe(byFacet(tags));
      }),
    );
  });
});
