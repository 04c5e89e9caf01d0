import { describe, expect, it } from 'vitest';
import { BUILT_IN_GENRES, generateCatalog } from '../../src/eval/catalogGenerator';

describe('generateCatalog', () => {
  it('is seeded and tags every song with genre, mood, era and artist', () => {
    const a = generateCatalog({ seed: 1, genres: 4, itemsPerGenre: 10 });
    expect(generateCatalog({ seed: 1, genres: 4, itemsPerGenre: 10 })).toEqual(a);
    expect(generateCatalog({ seed: 2, genres: 4, itemsPerGenre: 10 })).not.toEqual(a);
    expect(a).toHaveLength(40);
    expect(new Set(a.map((i) => i.id)).size).toBe(40);
    expect(a[0]?.id).toBe('jazz-001');
    for (const item of a) {
      expect(item.title).toMatch(/^[A-Z][A-Za-z ]+$/);
      expect(item.tags?.map((t) => t.split(':')[0])).toEqual(['genre', 'mood', 'era', 'artist']);
      const genre = item.tags?.[0]?.slice('genre:'.length) as string;
      expect(BUILT_IN_GENRES[genre]?.moods).toContain(item.tags?.[1]?.slice('mood:'.length));
    }
  });

  it('accepts genre names and keeps artists in one era', () => {
    const items = generateCatalog({ seed: 3, genres: ['jazz', 'Sea Shanty'], itemsPerGenre: 30, artistsPerGenre: 3 });
    expect(items.filter((i) => i.tags?.includes('genre:sea-shanty'))).toHaveLength(30);
    const eraOf = new Map<string, string>();
    for (const item of items) {
      const artist = item.tags?.[3] as string;
      const era = item.tags?.[2] as string;
      expect(eraOf.get(artist) ?? era).toBe(era);
      eraOf.set(artist, era);
    }
    expect(eraOf.size).toBeLessThanOrEqual(6);
  });

  it('refuses bad options', () => {
    expect(() => generateCatalog({ seed: 1, genres: 13 })).toThrow(/^generateCatalog: genres/);
    expect(() => generateCatalog({ seed: 1, itemsPerGenre: 0 })).toThrow(/^generateCatalog: itemsPerGenre/);
  });
});
