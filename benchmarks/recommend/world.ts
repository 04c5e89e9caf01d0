/**
 * A catalog world for the recommend benchmark: a generated catalog of any
 * size (12 genres, about 200 songs an artist), 128-dimensional item factors
 * with planted structure — each song near its artist, each artist near its
 * genre, popular songs longer — imported the way an application would bring
 * factors trained elsewhere (`importItemFactors`, `.npy`), and 2,000 people
 * whose feedback follows the same structure (a home genre, favourite
 * artists, some wandering).
 */
import type { FeedbackEvent, Item } from '../../src/index.js';
import { generateCatalog } from '../../src/eval/index.js';
import { createRng } from '../../src/random/rng.js';

export const FACTORS = 128;
const GENRES = 12;
const SONGS_PER_ARTIST = 200;

export interface World {
  items: Item[];
  /** The factors as the bytes of a float32 .npy file, row r for items[r]. */
  npy: Uint8Array;
  /** The same factors, row-major single precision (for the raw scan). */
  factors: Float32Array;
  events: FeedbackEvent[];
  people: number;
}

/** Unit-variance normal vector of `dim` numbers scaled by `scale`. */
function normalVector(rng: ReturnType<typeof createRng>, dim: number, scale: number): Float64Array {
  return Float64Array.from({ length: dim }, () => rng.normal() * scale);
}

export function buildWorld(size: number, people: number, eventsPerPerson: number, now: number): World {
  const perGenre = Math.ceil(size / GENRES);
  const artistsPerGenre = Math.max(2, Math.round(perGenre / SONGS_PER_ARTIST));
  const items = generateCatalog({ seed: 1, genres: GENRES, itemsPerGenre: perGenre, artistsPerGenre }).slice(0, size);
  const n = items.length;
  const rng = createRng(7, 'recommend-bench', n);
  const d = FACTORS;
  const genreCenter = Array.from({ length: GENRES }, () => normalVector(rng, d, 1 / Math.sqrt(d)));
  const artistCenter = new Map<string, Float64Array>();
  const artistOf: string[] = [];
  const songsOf = new Map<string, number[]>();
  const factors = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const tags = items[i]!.tags!;
    const genre = Math.floor(i / perGenre);
    const artist = tags.find((t) => t.startsWith('artist:'))!;
    artistOf.push(artist);
    (songsOf.get(artist) ?? songsOf.set(artist, []).get(artist)!).push(i);
    let a = artistCenter.get(artist);
    if (a === undefined) {
      a = normalVector(rng, d, 0.6 / Math.sqrt(d));
      artistCenter.set(artist, a);
    }
    const g = genreCenter[genre]!;
    // popularity: a few songs much stronger than most (log-normal length)
    const strength = Number(process.env.STRENGTH ?? 1) * Math.exp(0.5 * rng.normal());
    for (let f = 0; f < d; f++) factors[i * d + f] = strength * (g[f]! + a[f]! + (rng.normal() * 0.4) / Math.sqrt(d));
  }
  const events: FeedbackEvent[] = [];
  const artistsByGenre = Array.from({ length: GENRES }, (_, g) => [
    ...new Set(artistOf.slice(g * perGenre, Math.min(n, (g + 1) * perGenre))),
  ]);
  for (let u = 0; u < people; u++) {
    const home = rng.int(GENRES);
    const homeArtists = artistsByGenre[home]!;
    const favourites = Array.from({ length: 3 }, () => homeArtists[rng.int(homeArtists.length)]!);
    for (let e = 0; e < eventsPerPerson; e++) {
      const r = rng.next();
      let item: number;
      if (r < 0.6) {
        const songs = songsOf.get(favourites[rng.int(3)]!)!;
        item = songs[rng.int(songs.length)]!;
      } else if (r < 0.9) item = Math.min(n - 1, home * perGenre + rng.int(perGenre));
      else item = rng.int(n);
      events.push({
        user: `p${u}`,
        item: items[item]!.id,
        signal: rng.next() < 0.15 ? 'up' : rng.next() < 0.85 ? 'play' : 'skip',
        at: now - rng.int(90) * 86_400_000,
      });
    }
  }
  return { items, npy: npyFloat32(factors, n, d), factors, events, people };
}

/** The bytes numpy.save writes for a C-order float32 array of shape (rows, columns). */
export function npyFloat32(values: Float32Array, rows: number, columns: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}
