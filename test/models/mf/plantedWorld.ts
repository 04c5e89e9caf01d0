/**
 * A planted low-rank world for the ALS tests: users and items with hidden
 * rank-r taste vectors; each user likes the items their taste scores highest
 * (plus noise). Seeded and printed, so a failure can be replayed.
 */
import { createRng } from '../../../src/random/rng.js';
import { interactionsFromCoordinates, type Interactions } from '../../../src/models/mf/index.js';

export interface PlantedWorld {
  seed: number;
  train: Interactions;
  /** Held-out liked items per user. */
  heldOut: number[][];
  /** Training items per user. */
  trainItems: number[][];
}

export interface PlantedOptions {
  seed: number;
  users?: number;
  items?: number;
  rank?: number;
  likesPerUser?: number;
  heldOutPerUser?: number;
}

export function plantedWorld(o: PlantedOptions): PlantedWorld {
  const { seed, users = 300, items = 200, rank = 4, likesPerUser = 25, heldOutPerUser = 5 } = o;
  console.log(`[planted world] seed ${seed} (${users} users × ${items} items, rank ${rank})`);
  const rng = createRng(seed, 'planted-world');
  const draw = (n: number) => Array.from({ length: n }, () => Array.from({ length: rank }, () => rng.normal()));
  const userTaste = draw(users);
  const itemTaste = draw(items);
  const coordinates = {
    users: [] as number[],
    items: [] as number[],
    confidence: [] as number[],
    preference: [] as number[],
  };
  const heldOut: number[][] = [];
  const trainItems: number[][] = [];
  for (let u = 0; u < users; u++) {
    const taste = userTaste[u] as number[];
    const scored = itemTaste.map((t, i) => ({
      i,
      s: t.reduce((acc, v, f) => acc + v * (taste[f] as number), 0) + 0.3 * rng.normal(),
    }));
    scored.sort((a, b) => b.s - a.s);
    const liked = scored.slice(0, likesPerUser).map((x) => x.i);
    for (let j = liked.length - 1; j > 0; j--) {
      const swap = rng.int(j + 1);
      [liked[j], liked[swap]] = [liked[swap] as number, liked[j] as number];
    }
    heldOut.push(liked.slice(0, heldOutPerUser));
    const kept = liked.slice(heldOutPerUser);
    trainItems.push(kept);
    for (const i of kept) {
      coordinates.users.push(u);
      coordinates.items.push(i);
      coordinates.confidence.push(1 + rng.int(3));
      coordinates.preference.push(1);
    }
  }
  const train = interactionsFromCoordinates(
    users,
    items,
    coordinates.users,
    coordinates.items,
    coordinates.confidence,
    coordinates.preference,
  );
  return { seed, train, heldOut, trainItems };
}

/** Entries of one user row as plain arrays. */
export function rowOf(data: Interactions, u: number): { items: number[]; confidence: number[]; preference: number[] } {
  const start = data.indptr[u] as number;
  const end = data.indptr[u + 1] as number;
  return {
    items: Array.from(data.indices.subarray(start, end)),
    confidence: Array.from(data.confidence.subarray(start, end)),
    preference: Array.from(data.preference.subarray(start, end)),
  };
}

/** A seed for this run: FC_SEED if set, otherwise fixed so the suite is stable. */
export const WORLD_SEED = Number(process.env['WORLD_SEED'] ?? 20240611);
