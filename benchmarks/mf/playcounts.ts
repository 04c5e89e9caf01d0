/**
 * The collaborative defaults, checked untouched on data they were not chosen
 * on: `npm run bench:playcounts [-- --write]`.
 *
 * A generated play-count log (seeded): 1,500 listeners and 3,000 songs in 12
 * genres; each listener has a hidden taste (rank 8) and a heavy-tailed
 * appetite — how many songs (10–400, log-normal) and how many plays per song
 * (log-normal intensity × taste, so a few listeners have songs played
 * thousands of times). Songs carry their genre as a tag; song popularity is
 * Zipf-like. Each listener's distinct songs are split 80/20 (seeded); the
 * held-out songs are the relevant ones. Every training (listener, song) pair
 * is one `play` event whose `weight` is the raw count or log(1 + count).
 * NDCG@10 of the whole recommender (exploration off) with the defaults, and
 * for contrast with the old default options and with a second logarithm in
 * the ALS confidence on top of the default treatment of large weights.
 */
import { createRecommender, type FeedbackEvent, type Item, type RecommenderOptions } from '../../src/index.js';
import { evaluateRankings, type RankingSummary } from '../../src/eval/metrics.js';
import { randomSplit } from '../../src/eval/splits.js';
import { createRng } from '../../src/random/rng.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';

const SEED = 7;
const USERS = 1500;
const SONGS = 3000;
const GENRES = 12;
const RANK = 8;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

interface Play {
  user: string;
  item: string;
  count: number;
  at: number;
}

function generate(): { items: Item[]; plays: Play[] } {
  const rng = createRng(SEED, 'playcounts');
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
  const plays: Play[] = [];
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

function evaluate(
  items: Item[],
  train: readonly Play[],
  test: readonly Play[],
  weight: (count: number) => number,
  options: RecommenderOptions,
): RankingSummary {
  const sorted = [...train].sort((a, b) => a.at - b.at);
  const now = sorted[sorted.length - 1]?.at ?? T0;
  const rec = createRecommender({ items, seed: 42, exploration: 0, now: () => now, ...options });
  rec.feedback(
    sorted.map((p): FeedbackEvent => ({
      user: p.user,
      item: p.item,
      signal: 'play',
      weight: weight(p.count),
      at: p.at,
    })),
  );
  rec.train();
  const lastAt = new Map<string, number>();
  for (const p of sorted) lastAt.set(p.user, p.at);
  const relevant = new Map<string, Set<string>>();
  for (const p of test) {
    if (!relevant.has(p.user)) relevant.set(p.user, new Set());
    relevant.get(p.user)!.add(p.item);
  }
  const cases = [...relevant].map(([user, rel]) => ({
    ranked: rec.recommend(user, { count: 10, at: lastAt.get(user) ?? now }).map((r) => r.item),
    relevant: rel,
  }));
  return evaluateRankings(cases, { k: 10 });
}

const { items, plays } = generate();
const split = randomSplit(plays, { testFraction: 0.2, seed: SEED });
const counts = plays.map((p) => p.count);
const OLD_DEFAULTS = { factors: 32, regularization: 5, alpha: 0.5, weight: 30 };
const variants: { name: string; options: RecommenderOptions }[] = [
  { name: 'defaults', options: {} },
  { name: 'the old default options (k32, reg 5, alpha 0.5, weight 30)', options: { collaborative: OLD_DEFAULTS } },
  {
    name: "defaults with confidenceScaling 'linear-log', epsilon 1 (a second log on top)",
    options: { collaborative: { confidenceScaling: 'linear-log', epsilon: 1 } },
  },
];
const rows: string[] = [];
const ndcg = new Map<string, number>();
for (const v of variants) {
  const log = evaluate(items, split.train, split.test, Math.log1p, v.options).ndcg;
  const raw = evaluate(items, split.train, split.test, (c) => c, v.options).ndcg;
  ndcg.set(v.name, raw / log);
  const row = `| ${v.name} | ${log.toFixed(4)} | ${raw.toFixed(4)} | ${(100 * (raw / log - 1)).toFixed(1)} % |`;
  rows.push(row);
  console.log(row);
}
const loss = 100 * (1 - (ndcg.get('defaults') ?? Number.NaN));
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
  `Command: \`npm run bench:playcounts -- --write\`. Generated log (seed ${SEED}): ${USERS} listeners, ${SONGS} songs in ${GENRES} genres, ${plays.length} (listener, song) pairs; play counts median ${median(counts)}, max ${Math.max(...counts)}; 80/20 split of each listener's songs (seed ${SEED}); ${split.test.length} held out.`,
  '',
  '| collaborative options | NDCG@10, weight = log(1 + count) | NDCG@10, weight = raw count | raw vs log |',
  '| --- | ---: | ---: | ---: |',
  ...rows,
  '',
  `Raw counts as \`weight\` with the defaults: ${loss >= 0 ? `${loss.toFixed(1)} % below` : `${(-loss).toFixed(1)} % above`} log1p counts (goal: at most 3 % below): ${loss <= 3 ? 'met' : '**not met**'}.`,
].join('\n');
console.log(body);
if (process.argv.includes('--write')) writeReadmeSection('playcounts', body);
