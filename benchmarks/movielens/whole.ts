/**
 * The whole recommender's NDCG@10 on MovieLens (random and temporal splits),
 * quickly: `npx tsx benchmarks/movielens/whole.ts [ratings.csv] [halfLifeDays]`.
 * The same protocol as eval.ts (evaluateAttune), without the baselines.
 */
import { randomSplit, temporalSplit } from '../../src/eval/splits.js';
import { evaluateAttune } from './attune.js';
import { ratingsPath, readRatings } from './ratings.js';

const path = ratingsPath();
const ratings = readRatings(path);
const random = randomSplit(ratings, { testFraction: 0.2, seed: 42 });
const temporal = temporalSplit(ratings, { testFraction: 0.2 });
for (const [name, split] of [
  ['random', random],
  ['temporal', temporal],
] as const) {
  const { summary, seconds } = evaluateAttune(path, split.train, split.test);
  console.log(`${name}: NDCG@10 ${summary.ndcg.toFixed(4)} (${seconds.toFixed(1)} s)`);
}
