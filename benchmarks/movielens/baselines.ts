/** Non-personalised and neighbourhood baselines for the MovieLens evaluation. */
import type { Interactions } from '../../src/models/mf/index.js';

/** Training count of every item (the popularity baseline's score). */
export function popularityScores(train: Interactions): Float64Array {
  const counts = new Float64Array(train.itemCount);
  for (let e = 0; e < train.indices.length; e++) {
    const item = train.indices[e] as number;
    counts[item] = (counts[item] as number) + 1;
  }
  return counts;
}

/**
 * Item-kNN with binary cosine similarity, sim(i, j) = |U_i ∩ U_j| / √(|U_i|·|U_j|),
 * keeping each item's `neighbours` most similar items; a user's score for j is
 * Σ over the user's training items i of sim(i, j).
 */
export class ItemKnn {
  private readonly neighbourIds: Int32Array[];
  private readonly neighbourSims: Float64Array[];

  constructor(
    private readonly train: Interactions,
    neighbours = 100,
  ) {
    const { userCount, itemCount, indptr, indices } = train;
    const itemUsers: number[][] = Array.from({ length: itemCount }, () => []);
    for (let u = 0; u < userCount; u++)
      for (let e = indptr[u] as number; e < (indptr[u + 1] as number); e++) itemUsers[indices[e] as number]!.push(u);
    const co = new Float64Array(itemCount);
    const touched: number[] = [];
    this.neighbourIds = [];
    this.neighbourSims = [];
    for (let i = 0; i < itemCount; i++) {
      touched.length = 0;
      for (const u of itemUsers[i]!) {
        for (let e = indptr[u] as number; e < (indptr[u + 1] as number); e++) {
          const j = indices[e] as number;
          if (j === i) continue;
          if (co[j] === 0) touched.push(j);
          co[j] = (co[j] as number) + 1;
        }
      }
      const ni = itemUsers[i]!.length;
      const scored = touched.map((j) => ({ j, s: (co[j] as number) / Math.sqrt(ni * itemUsers[j]!.length) }));
      for (const j of touched) co[j] = 0;
      scored.sort((a, b) => b.s - a.s || a.j - b.j);
      const kept = scored.slice(0, neighbours);
      this.neighbourIds.push(Int32Array.from(kept, (x) => x.j));
      this.neighbourSims.push(Float64Array.from(kept, (x) => x.s));
    }
  }

  scoreInto(user: number, out: Float64Array): void {
    out.fill(0);
    const { indptr, indices } = this.train;
    for (let e = indptr[user] as number; e < (indptr[user + 1] as number); e++) {
      const i = indices[e] as number;
      const ids = this.neighbourIds[i]!;
      const sims = this.neighbourSims[i]!;
      for (let n = 0; n < ids.length; n++)
        out[ids[n] as number] = (out[ids[n] as number] as number) + (sims[n] as number);
    }
  }
}
