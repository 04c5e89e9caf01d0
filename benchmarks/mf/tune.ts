/**
 * Tuning the learning defaults on data that is never reported on:
 * `npx tsx benchmarks/mf/tune.ts [-- --write]`.
 *
 * - MovieLens served at one clock (benchmarks/decay/realLog.ts) on random
 *   splits with seeds 1 and 2 (the report uses seed 42), every rating a
 *   `play`, decay off (`halfLifeDays: Infinity`, so the table measures the
 *   learning objective and not the decay), and seed 1 fed as `up`s;
 * - the generated Last.fm-style log (benchmarks/mf/lastfmLike.ts, seed 11;
 *   the report uses seed 7), weights passed as raw counts, as log(1 + count)
 *   and as 1.
 *
 * One row per collaborative configuration: NDCG@10 of the whole
 * recommender (exploration off) on each. `--write` puts the table between
 * the tune markers of benchmarks/README.md.
 */
import type { RecommenderOptions } from '../../src/index.js';
import type { CollaborativeOptions } from '../../src/models/collaborative/collaborative.js';
import { evaluateServed, loadRealLog, randomServedCase } from '../decay/realLog.js';
import { machineLine, writeReadmeSection } from '../common/readme.js';
import { evaluateCounts, WEIGHTINGS } from './playcounts.js';
import { generateLastfmLike } from './lastfmLike.js';

export const TUNING_SEEDS = [1, 2];
export const TUNING_LASTFM_SEED = 11;

const GRID: CollaborativeOptions[] = [{ alpha: 1 }, { alpha: 1.25 }, { alpha: 1.75 }];

const started = performance.now();
const log = loadRealLog();
const cases = TUNING_SEEDS.map((s) => randomServedCase(log, s));
const lastfm = generateLastfmLike(TUNING_LASTFM_SEED);
const rows: string[] = [];
for (const collaborative of GRID) {
  const options: RecommenderOptions = { collaborative };
  const plays = cases.map((c) => evaluateServed(log, c, { ...options, halfLifeDays: Infinity }).ndcg);
  const ups = evaluateServed(log, cases[0]!, { ...options, halfLifeDays: Infinity }, 'up').ndcg;
  const counts = WEIGHTINGS.map((w) => evaluateCounts(lastfm, TUNING_LASTFM_SEED, w.weight, options).ndcg);
  const row = `| ${JSON.stringify(collaborative).replace(/"/g, '')} | ${plays.map((x) => x.toFixed(4)).join(' | ')} | ${ups.toFixed(4)} | ${counts.map((x) => x.toFixed(4)).join(' | ')} |`;
  rows.push(row);
  console.log(row);
}
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  'Command: `npx tsx benchmarks/mf/tune.ts -- --write` (tuning data only; every other option default).',
  '',
  `| collaborative | MovieLens plays, seed ${TUNING_SEEDS.join(' | MovieLens plays, seed ')} | MovieLens ups, seed ${TUNING_SEEDS[0]} | ${WEIGHTINGS.map((w) => `Last.fm-style, ${w.name}`).join(' | ')} |`,
  `| --- | ${[...TUNING_SEEDS, 0, ...WEIGHTINGS].map(() => '---:').join(' | ')} |`,
  ...rows,
].join('\n');
console.log(body);
writeReadmeSection('tune', body);
