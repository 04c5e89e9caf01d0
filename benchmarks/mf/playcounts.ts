/**
 * Weights as users pass them: `npm run bench:playcounts [-- --write]`.
 *
 * Two generated play-count logs (seed 7; tuning used other seeds, see
 * tune.ts), each (listener, song) pair one `play` event whose `weight` is
 * the raw count, log(1 + count), or 1:
 *
 * - "mixed appetites": 1,500 listeners and 3,000 songs in 12 genres; each
 *   listener has a hidden taste (rank 8) and a heavy-tailed appetite — how
 *   many songs (10–400, log-normal) and how many plays per song (log-normal
 *   intensity × taste); song popularity is Zipf-like;
 * - "Last.fm-style" (lastfmLike.ts): every listener's top 50 artists with
 *   counts of hundreds to hundreds of thousands.
 *
 * Each listener's distinct songs are split 80/20 (seeded); the held-out
 * songs are the relevant ones. NDCG@10 of the whole recommender (exploration
 * off, defaults), every list served at one clock (the log's last event + 1 s).
 */
import { createRecommender, type FeedbackEvent, type Item, type RecommenderOptions } from '../../src/index.js';
import { evaluateRankings, type RankingSummary } from '../../src/eval/metrics.js';
import { randomSplit } from '../../src/eval/splits.js';
import { createRng } from '../../src/random/rng.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';
import { generateLastfmLike, type CountedPlay, type PlayCountLog } from './lastfmLike.js';

const SEED = 7;
const USERS = 1500;
const SONGS = 3000;
const GENRES = 12;
const RANK = 8;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** The ways an app may pass a play count as `weight`. */
export const WEIGHTINGS: { name: string; weight: (count: number) => number }[] = [
  { name: 'raw count', weight: (c) => c },
  { name: 'log(1 + count)', weight: Math.log1p },
  { name: 'weight 1', weight: () => 1 },
];

export function generateMixedAppetites(seed: number): PlayCountLog {
  const rng = createRng(seed, 'playcounts');
  const genreTaste = Array.from({ length: GENRES }, () => Array.from({ length: RANK }, () => rng.normal()));
  const songVectors = Array.from({ length: SONGS }, (_, s) =>
    genreTaste[s % GENRES]!.map((g) => g + 0.6 * rng.normal()),
  );
  const songPopularity = Array.from({ length: SONGS }, (_, s) => 1 / Math.pow(1 + ((s * 7919) % SONGS), 0.6));
  const items: Item[] = Array.from({ length: SONGS }, (_, s) => ({
    id: `s${s}`,
    title: `Song ${s}`,
    tags: [`genre:g${s % GENRES}`],
  }));
  const plays: CountedPlay[] = [];
  for (let u = 0; u < USERS; u++) {
    const taste = Array.from({ length: RANK }, () => rng.normal());
    const distinct = Math.min(400, Math.max(10, Math.round(Math.exp(3.5 + 0.9 * rng.normal()))));
    const intensity = Math.exp(1 + 1.3 * rng.normal());
    // Gumbel top-k: songs drawn without replacement by taste-softmax × popularity.
    const keyed = songVectors.map((v, s) => {
      const affinity = v.reduce((sum, x, f) => sum + x * taste[f]!, 0) / Math.sqrt(RANK);
      const gumbel = -Math.log(-Math.log(Math.max(rng.next(), 1e-12)));
      return { s, affinity, key: 1.5 * affinity + Math.log(songPopularity[s]!) + gumbel };
    });
    keyed.sort((a, b) => b.key - a.key);
    for (const { s, affinity } of keyed.slice(0, distinct)) {
      const count = Math.max(1, Math.round(intensity * Math.exp(0.8 * affinity + 0.7 * rng.normal())));
      plays.push({ user: `u${u}`, item: `s${s}`, count, at: T0 + Math.floor(rng.next() * 30 * DAY) });
    }
  }
  return { items, plays };
}

/** NDCG@10 & co. of the whole recommender on a seeded 80/20 split of `log`, counts passed through `weight`. */
export function evaluateCounts(
  log: PlayCountLog,
  seed: number,
  weight: (count: number) => number,
  options: RecommenderOptions = {},
): RankingSummary {
  const split = randomSplit(log.plays, { testFraction: 0.2, seed });
  const sorted = [...split.train].sort((a, b) => a.at - b.at);
  const now = (sorted[sorted.length - 1]?.at ?? T0) + 1000;
  const rec = createRecommender({
    items: log.items,
    seed: 42,
    exploration: 0,
    propensitySamples: 1,
    now: () => now,
    ...options,
  });
  const events = sorted.map((p): FeedbackEvent => ({
    user: p.user,
    item: p.item,
    signal: 'play',
    weight: weight(p.count),
    at: p.at,
  }));
  for (let i = 0; i < events.length; i += 5000) rec.feedback(events.slice(i, i + 5000));
  rec.train();
  const relevant = new Map<string, Set<string>>();
  for (const p of split.test) {
    if (!relevant.has(p.user)) relevant.set(p.user, new Set());
    relevant.get(p.user)!.add(p.item);
  }
  const cases = [...relevant].map(([user, rel]) => ({
    ranked: rec.recommend(user, { count: 10, at: now }).map((r) => r.item),
    relevant: rel,
  }));
  return evaluateRankings(cases, { k: 10 });
}

function main(): void {
  const started = performance.now();
  const logs = [
    { name: 'mixed appetites', log: generateMixedAppetites(SEED) },
    { name: 'Last.fm-style', log: generateLastfmLike(SEED) },
  ];
  const lines: string[] = [];
  const verdicts: string[] = [];
  for (const { name, log } of logs) {
    const ndcg = WEIGHTINGS.map((w) => evaluateCounts(log, SEED, w.weight).ndcg);
    const best = Math.max(...ndcg);
    const counts = log.plays.map((p) => p.count);
    const row = `| ${name} (${log.plays.length} pairs; counts median ${median(counts)}, max ${Math.max(...counts)}) | ${ndcg.map((x) => x.toFixed(4)).join(' | ')} | ${ndcg.map((x) => `${(100 * (x / best - 1)).toFixed(1)} %`).join(' / ')} |`;
    lines.push(row);
    console.log(row);
    const within = [0, 1].every((i) => ndcg[i]! >= 0.97 * best);
    verdicts.push(
      `${name}: raw and log(1 + count) ${within ? 'both within 3 % of the best (met)' : '**not both within 3 % of the best (not met)**'}`,
    );
  }
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    `Command: \`npm run bench:playcounts -- --write\`. Generated logs (seed ${SEED}), 80/20 split of each listener's songs (seed ${SEED}); defaults; served at one clock.`,
    '',
    `| log | ${WEIGHTINGS.map((w) => `NDCG@10, weight = ${w.name}`).join(' | ')} | vs the best of the row |`,
    `| --- | ${WEIGHTINGS.map(() => '---:').join(' | ')} | ---: |`,
    ...lines,
    '',
    ...verdicts.map((v) => `- ${v}.`),
  ].join('\n');
  console.log(body);
  writeReadmeSection('playcounts', body);
}

if (process.argv[1]?.endsWith('playcounts.ts')) main();
