/**
 * The catalog the example server recommends from: MovieLens `movies.csv`
 * when it is there (each movie tagged with its genres and its decade), or
 * attune's built-in generated music catalog otherwise.
 *
 * Where the data goes: download `ml-latest-small.zip` from
 * https://grouplens.org/datasets/movielens/ and unpack it so that
 * `../shared/data/ml-latest-small/movies.csv` exists beside this repository,
 * or point `MOVIELENS_DIR` at the unpacked folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item } from '../../src/index.js';
import { generateCatalog } from '../../src/eval/index.js';

/** The folder MovieLens is read from: MOVIELENS_DIR, else ../shared/data/ml-latest-small beside the repository. */
export function movieLensDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return process.env['MOVIELENS_DIR'] ?? resolve(repo, '..', 'shared', 'data', 'ml-latest-small');
}

/** One line of movies.csv: `id,title,genres`, the title quoted when it holds a comma. */
const MOVIE_LINE = /^(\d+),("(?:[^"]|"")*"|[^,]*),(.*)$/;

/** Movies as items: `genre:…` tags from the genre list, `era:1990s` from the year in the title. */
export function readMovies(path: string): Item[] {
  const items: Item[] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = MOVIE_LINE.exec(line);
    if (match === null) continue; // the header and blank lines
    const [, id, quoted, genres] = match as unknown as [string, string, string, string];
    const title = quoted.startsWith('"') ? quoted.slice(1, -1).replaceAll('""', '"') : quoted;
    const tags = genres === '(no genres listed)' ? [] : genres.split('|').map((g) => `genre:${g.toLowerCase()}`);
    const year = /\((\d{4})\)\s*$/.exec(title)?.[1];
    if (year !== undefined) tags.push(`era:${year.slice(0, 3)}0s`);
    items.push({ id, title, tags });
  }
  return items;
}

/** The catalog and where it came from. */
export function loadCatalog(): { items: Item[]; source: string } {
  const movies = join(movieLensDir(), 'movies.csv');
  if (existsSync(movies)) return { items: readMovies(movies), source: `MovieLens (${movies})` };
  return {
    items: generateCatalog({ seed: 7, genres: 8, itemsPerGenre: 40, artistsPerGenre: 6 }),
    source: `the built-in demo catalog (no MovieLens at ${movies}: set MOVIELENS_DIR to use it)`,
  };
}
