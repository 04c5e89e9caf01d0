/**
 * A small, seeded, music-like catalog for demos, tests and benchmarks:
 * songs tagged `genre:…`, `mood:…`, `era:…` and `artist:…`, with titles and
 * artist names a person can read. Moods are shared across neighbouring
 * genres (jazz and soul are both `mood:warm`), so taste can carry over from
 * one genre to another as it does for real listeners.
 */
import type { Item } from '../types.js';
import { createRng, type Rng } from '../random/rng.js';
import { checkSeed, checkWhole, fail } from './validate.js';

/** The moods and eras songs of one genre are drawn from. */
export interface GenreStyle {
  moods: readonly string[];
  eras: readonly string[];
}

/** The built-in genres, in the order `genres: n` takes them. */
export const BUILT_IN_GENRES: Readonly<Record<string, GenreStyle>> = Object.freeze({
  jazz: { moods: ['mellow', 'smoky', 'warm', 'upbeat'], eras: ['1950s', '1960s', '1970s'] },
  rock: { moods: ['energetic', 'rebellious', 'anthemic'], eras: ['1960s', '1970s', '1980s', '1990s'] },
  classical: { moods: ['serene', 'dramatic', 'romantic'], eras: ['1700s', '1800s', '1900s'] },
  'hip-hop': { moods: ['confident', 'gritty', 'laid-back'], eras: ['1980s', '1990s', '2000s', '2010s'] },
  electronic: { moods: ['hypnotic', 'euphoric', 'dark', 'energetic'], eras: ['1990s', '2000s', '2010s'] },
  folk: { moods: ['wistful', 'warm', 'mellow'], eras: ['1960s', '1970s', '2010s'] },
  soul: { moods: ['warm', 'romantic', 'uplifting'], eras: ['1960s', '1970s'] },
  country: { moods: ['heartfelt', 'rowdy', 'wistful'], eras: ['1970s', '1990s', '2000s'] },
  reggae: { moods: ['sunny', 'laid-back', 'conscious'], eras: ['1970s', '1980s'] },
  metal: { moods: ['aggressive', 'dark', 'epic'], eras: ['1980s', '1990s', '2000s'] },
  blues: { moods: ['melancholy', 'gritty', 'smoky'], eras: ['1940s', '1950s', '1960s'] },
  pop: { moods: ['upbeat', 'catchy', 'bittersweet', 'euphoric'], eras: ['1980s', '2000s', '2020s'] },
});

const FIRST_NAMES = [
  'Mara',
  'Theo',
  'Ines',
  'Otis',
  'Lena',
  'Rafael',
  'June',
  'Cyrus',
  'Nell',
  'Amos',
  'Vera',
  'Silas',
  'Ada',
  'Felix',
  'Rosa',
  'Hugo',
  'Iris',
  'Jonah',
  'Maeve',
  'Elias',
];
const LAST_NAMES = [
  'Quinn',
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Hale',
  'Tanaka',
  'Baptiste',
  'Novak',
  'Reyes',
  'Whitlock',
  'Adeyemi',
  'Castell',
  'Brandt',
  'Sato',
  'Delacroix',
  'Marsh',
];
const BAND_ADJECTIVES = [
  'Velvet',
  'Electric',
  'Paper',
  'Silver',
  'Midnight',
  'Hollow',
  'Golden',
  'Wandering',
  'Quiet',
  'Neon',
  'Copper',
  'Northern',
];
const BAND_NOUNS = [
  'Owls',
  'Lanterns',
  'Rivers',
  'Foxes',
  'Engines',
  'Sparrows',
  'Tides',
  'Ghosts',
  'Pines',
  'Satellites',
  'Horses',
  'Mirrors',
];
const ENSEMBLES = ['Trio', 'Quartet', 'Band', 'Orchestra', 'Collective', 'Ensemble'];
const TITLE_ADJECTIVES = [
  'Blue',
  'Slow',
  'Lonely',
  'Bright',
  'Broken',
  'Endless',
  'Summer',
  'Crimson',
  'Gentle',
  'Restless',
  'Faded',
  'Wild',
  'Distant',
  'Silent',
  'Burning',
];
const TITLE_NOUNS = [
  'Midnight',
  'Harbor',
  'Highway',
  'Letters',
  'Rain',
  'Morning',
  'Echoes',
  'Garden',
  'Skyline',
  'Heart',
  'Shadows',
  'Train',
  'Window',
  'River',
  'Dance',
];
const PLACES = ['Lisbon', 'Memphis', 'the Valley', 'the Old Town', 'Kingston', 'the Coast', 'Harlem', 'the North'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)] as T;
}

/** `Mara Quinn Trio` → `mara-quinn-trio`. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function artistName(rng: Rng): string {
  switch (rng.int(3)) {
    case 0:
      return `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`;
    case 1:
      return `The ${pick(rng, BAND_ADJECTIVES)} ${pick(rng, BAND_NOUNS)}`;
    default:
      return `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)} ${pick(rng, ENSEMBLES)}`;
  }
}

function songTitle(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return `${pick(rng, TITLE_ADJECTIVES)} ${pick(rng, TITLE_NOUNS)}`;
    case 1:
      return `${pick(rng, TITLE_NOUNS)} in ${pick(rng, PLACES)}`;
    case 2:
      return `${pick(rng, TITLE_NOUNS)} for ${pick(rng, FIRST_NAMES)}`;
    default:
      return `The ${pick(rng, TITLE_ADJECTIVES)} ${pick(rng, TITLE_NOUNS)}`;
  }
}

/** Options of {@link generateCatalog}. */
export interface GenerateCatalogOptions {
  /** Same seed, same catalog. */
  seed: number | string;
  /**
   * How many of the built-in genres (1–12, in the order of
   * {@link BUILT_IN_GENRES}), or their names; an unknown name gets a generic
   * style. @default 6
   */
  genres?: number | readonly string[];
  /** Songs per genre. @default 20 */
  itemsPerGenre?: number;
  /** Artists per genre; each artist belongs to one era. @default 4 */
  artistsPerGenre?: number;
}

const GENERIC_STYLE: GenreStyle = { moods: ['mellow', 'energetic', 'upbeat'], eras: ['1990s', '2000s', '2010s'] };

/**
 * Generates a tagged, music-like catalog. Every item has an id
 * `${genre}-${n}` (n from 001), a title such as "Blue Midnight", and the tags
 * `genre:…`, `mood:…`, `era:…` (the era of its artist) and `artist:…`.
 */
export function generateCatalog(options: GenerateCatalogOptions): Item[] {
  const fn = 'generateCatalog';
  checkSeed(fn, options.seed);
  const builtIn = Object.keys(BUILT_IN_GENRES);
  const genreOption = options.genres ?? 6;
  let genres: readonly string[];
  if (typeof genreOption === 'number') {
    checkWhole(fn, 'genres', genreOption, 1);
    if (genreOption > builtIn.length)
      fail(fn, `genres must be at most ${builtIn.length} built-in genres, or a list of names; got ${genreOption}`);
    genres = builtIn.slice(0, genreOption);
  } else {
    if (
      !Array.isArray(genreOption as unknown) ||
      genreOption.length === 0 ||
      genreOption.some((g) => typeof g !== 'string' || slug(g) === '')
    ) {
      fail(fn, 'genres must be a number or a non-empty list of genre names');
    }
    if (new Set(genreOption.map(slug)).size !== genreOption.length) fail(fn, 'genres must not repeat a name');
    genres = genreOption;
  }
  const itemsPerGenre = options.itemsPerGenre ?? 20;
  checkWhole(fn, 'itemsPerGenre', itemsPerGenre, 1);
  const artistsPerGenre = options.artistsPerGenre ?? 4;
  checkWhole(fn, 'artistsPerGenre', artistsPerGenre, 1);

  const rng = createRng(options.seed, 'generateCatalog');
  const usedArtists = new Set<string>();
  const items: Item[] = [];
  for (const genre of genres) {
    const style = BUILT_IN_GENRES[genre] ?? GENERIC_STYLE;
    const genreSlug = slug(genre);
    const artists: { name: string; era: string }[] = [];
    for (let a = 0; a < artistsPerGenre; a++) {
      let name = artistName(rng);
      for (let n = 2; usedArtists.has(slug(name)); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
      usedArtists.add(slug(name));
      artists.push({ name, era: pick(rng, style.eras) });
    }
    for (let i = 0; i < itemsPerGenre; i++) {
      const artist = pick(rng, artists);
      items.push({
        id: `${genreSlug}-${String(i + 1).padStart(3, '0')}`,
        title: songTitle(rng),
        tags: [
          `genre:${genreSlug}`,
          `mood:${pick(rng, style.moods)}`,
          `era:${artist.era}`,
          `artist:${slug(artist.name)}`,
        ],
      });
    }
  }
  return items;
}
