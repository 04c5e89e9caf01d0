/**
 * The state the Redis lag benchmarks start from: every MovieLens-small
 * rating fed as feedback at its own time, a clock stopped at the last one,
 * and `train()` run in memory; with its snapshot.
 */
import { createRecommender } from '../../src/index.js';
import { readMovies } from '../movielens/attune.js';
import { ratingsAsFeedback, ratingsPath, readRatings } from '../movielens/ratings.js';

export function movieLensState(path = ratingsPath()) {
  const ratings = readRatings(path).sort((a, b) => a.at - b.at);
  const items = readMovies(
    path,
    ratings.map((r) => r.item),
  );
  const at = ratings[ratings.length - 1]!.at;
  const now = () => at;
  const rec = createRecommender({ items, seed: 1, now });
  rec.feedback(ratingsAsFeedback(ratings));
  const trained = rec.train();
  return { ratings, items, now, rec, trained, snapshot: rec.snapshot() };
}
