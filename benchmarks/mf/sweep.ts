/**
 * The sweep that chose the collaborative defaults: `npm run sweep:mf -- [ratings.csv] [--stage N] [--write]`.
 *
 * Scored on MovieLens only (the random 80/20 split of benchmarks/movielens,
 * seed 42): the whole recommender through its public API (every training
 * rating an `up` at its own time, `train()`, each user's list at the time of
 * their last training rating, exploration off), one row per collaborative
 * configuration. The defaults were then checked, untouched, on a generated
 * play-count log (`npm run bench:playcounts`). `--write` puts the table
 * between the mf-sweep markers of benchmarks/README.md.
 */
import { randomSplit } from '../../src/eval/splits.js';
import type { CollaborativeOptions } from '../../src/models/collaborative/collaborative.js';
import { evaluateAttune } from '../movielens/attune.js';
import { ratingsPath, readRatings } from '../movielens/ratings.js';
import { machineLine, writeReadmeSection } from '../common/readme.js';

const SEED = 42;
const path = ratingsPath();
const ratings = readRatings(path);
const split = randomSplit(ratings, { testFraction: 0.2, seed: SEED });

/** The stages of the sweep, each around the best of the one before (`--stage N`, default 1). */
const STAGES: Record<string, () => CollaborativeOptions[]> = {
  // factors × regularization × alpha × scaling, blend weight 30 (the old default)
  '1': () => {
    const out: CollaborativeOptions[] = [];
    for (const factors of [32, 64])
      for (const regularization of [5, 20])
        for (const alpha of [0.5, 1, 2, 4])
          for (const confidenceScaling of ['linear', 'linear-log'] as const)
            out.push({ factors, regularization, alpha, confidenceScaling });
    return out;
  },
  // stronger regularization, smaller alpha, and the blend weight (ε = 3: linear for one thumb)
  '2': () => {
    const out: CollaborativeOptions[] = [];
    for (const regularization of [20, 40, 80])
      for (const alpha of [0.25, 0.5, 1])
        for (const weight of [30, 60])
          out.push({ factors: 64, regularization, alpha, confidenceScaling: 'linear-log', epsilon: 3, weight });
    return out;
  },
  // between the two regularizations that won, and heavier blend weights
  '3': () => {
    const out: CollaborativeOptions[] = [];
    for (const regularization of [10, 15, 20])
      for (const alpha of [0.5, 1])
        for (const weight of [60, 120, 240])
          out.push({ factors: 64, regularization, alpha, confidenceScaling: 'linear-log', epsilon: 3, weight });
    return out;
  },
  // more factors, alpha between 0.5 and 1, regularization between 20 and 40
  '4': () => {
    const out: CollaborativeOptions[] = [];
    for (const factors of [64, 96, 128])
      for (const regularization of [20, 30])
        for (const alpha of [0.5, 0.75])
          out.push({ factors, regularization, alpha, confidenceScaling: 'linear-log', epsilon: 3, weight: 60 });
    return out;
  },
  // ε = 1 (what the play-count check needs: raw counts within 3 % of log counts) at the factor counts that won
  '5': () => {
    const out: CollaborativeOptions[] = [];
    for (const factors of [96, 128])
      for (const alpha of [0.5, 0.75])
        out.push({ factors, regularization: 20, alpha, confidenceScaling: 'linear-log', epsilon: 1, weight: 60 });
    return out;
  },
};
const stageArg = process.argv.indexOf('--stage');
const stage = stageArg >= 0 ? (process.argv[stageArg + 1] ?? '1') : '1';
const grid = STAGES[stage];
if (grid === undefined)
  throw new Error(`sweep: unknown --stage ${stage}; stages are ${Object.keys(STAGES).join(', ')}`);

const rows: string[] = [];
for (const collaborative of grid()) {
  const { summary, seconds } = evaluateAttune(path, split.train, split.test, {
    collaborative: { iterations: 15, seed: SEED, ...collaborative },
  });
  const o = collaborative;
  const row = `| ${o.factors ?? '—'} | ${o.regularization ?? '—'} | ${o.alpha ?? '—'} | ${o.confidenceScaling ?? '—'} | ${o.epsilon ?? 1} | ${o.weight ?? 30} | ${summary.ndcg.toFixed(4)} | ${summary.recall.toFixed(4)} | ${seconds.toFixed(1)} s |`;
  rows.push(row);
  console.log(row);
}
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
  `Stage ${stage}. Command: \`npm run sweep:mf -- --stage ${stage} --write\` (MovieLens random 80/20 split, seed ${SEED}; the whole recommender, exploration off; 15 iterations).`,
  '',
  '| factors | regularization | alpha | confidenceScaling | epsilon | weight | NDCG@10 | recall@10 | run |',
  '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n');
if (process.argv.includes('--write')) writeReadmeSection(`mf-sweep${stage}`, body);
