/**
 * How faithful are the reasons? Seeded histories (40 listeners with random
 * tastes, 160 songs, 200 days of daily sessions), train(), exploration off;
 * then every listener's top 10 plus an explain on one seen item each, read
 * against the named contributions of the score. Uses only the public API
 * (reasons and `contributions`), so it runs on any version.
 *
 *   npx tsx benchmarks/reasons/faithful.ts [seed]
 */
import { createRecommender, restoreRecommender } from '../../src/index.js';
import { createListener, generateCatalog } from '../../src/eval/index.js';

const DAY = 86_400_000;
const seed = Number(process.argv[2] ?? 1);
const catalog = generateCatalog({ seed, genres: 8, itemsPerGenre: 20, artistsPerGenre: 4 });
const tags = [...new Set(catalog.flatMap((i) => i.tags ?? []))];
let now = Date.UTC(2026, 0, 1);
const rec = createRecommender({ items: catalog, seed, now: () => now, exploration: 0 });

let state = seed * 7919 + 1;
const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
const people = Array.from({ length: 40 }, (_, n) => {
  const taste: Record<string, number> = {};
  for (let k = 0; k < 3; k++) taste[tags[Math.floor(random() * tags.length)]!] = random() * 1.6 - 0.6;
  return createListener({ id: `p${n}`, seed: seed * 100 + n, catalog, taste });
});
for (let day = 0; day < 200; day++) {
  now += DAY;
  for (const p of people) {
    if (random() < 0.5) continue;
    const list = rec.recommend(p.id, { count: 8, includeSeen: true });
    rec.feedback(
      p.react(
        list.map((r) => r.item),
        { at: now },
      ),
    );
  }
}
now += DAY;
rec.train();

type Row = {
  kind: string;
  parts: Record<string, number>;
  evidence: { type: string; id: string; weight: number }[];
  score: number;
  user: string;
  item: string;
  text: string;
};
const rows: Row[] = [];
for (const p of people) {
  for (const r of rec.recommend(p.id, { count: 10 })) {
    const c = r.contributions;
    rows.push({
      kind: r.reason.kind,
      text: r.reason.text,
      parts: { taste: c.content + c.context, collaborative: c.collaborative, popularity: c.popularity },
      evidence: r.reason.evidence,
      score: r.score,
      user: p.id,
      item: r.item,
    });
  }
}

const partOf: Record<string, string> = {
  'liked-similar': 'taste',
  'tag-affinity': 'taste',
  context: 'taste',
  collaborative: 'collaborative',
  popular: 'popularity',
};
// A part is positive above a millionth of a point (below is rounding).
const largest = (parts: Record<string, number>) =>
  Object.entries(parts).reduce((b, e) => (e[1] > b[1] ? e : b), ['none', 1e-6])[0];
const rightKind = rows.filter((r) => (partOf[r.kind] ?? 'none') === largest(r.parts)).length;
const explained = rows.filter((r) => partOf[r.kind] !== undefined);
const ratios = explained.map(
  (r) => r.evidence.reduce((s, e) => s + e.weight, 0) / Math.max(1e-12, r.parts[partOf[r.kind]!]!),
);
const overPart = ratios.filter((x) => x > 1 + 1e-9).length;
const likedOnNegative = rows.filter((r) => r.kind === 'liked-similar' && r.parts.taste! <= 0).length;
const popularAtZero = rows.filter((r) => r.kind === 'popular' && !(r.parts.popularity! > 0)).length;
const coverage = rows
  .filter((r) => r.kind === 'collaborative')
  .map((r) => r.evidence.reduce((s, e) => s + e.weight, 0) / r.parts.collaborative!)
  .sort((a, b) => a - b);
const quantile = (xs: number[], q: number) =>
  xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

// Rule 4 on every reason whose top evidence is an item: undo it on a copy, the score must fall.
const snap = JSON.parse(JSON.stringify(rec.snapshot())) as unknown;
let causal = 0;
let cited = 0;
for (const r of rows) {
  const top = r.evidence[0];
  if (top?.type !== 'item') continue;
  cited++;
  const copy = restoreRecommender(snap, { now: () => now });
  copy.removeFeedback(r.user, top.id);
  const after = copy.recommend(r.user, { count: 1000, includeSeen: true }).find((x) => x.item === r.item);
  if (after !== undefined && after.score < r.score) causal++;
  else if (process.env['VERBOSE'] !== undefined)
    console.log(
      'not a cause:',
      r.user,
      r.item,
      r.kind,
      top.id,
      r.score,
      '->',
      after?.score,
      JSON.stringify(r.parts),
      JSON.stringify(after?.contributions),
      r.text,
    );
}

const kinds = new Map<string, number>();
for (const r of rows) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
const pct = (a: number, b: number) => `${a}/${b} (${((100 * a) / Math.max(1, b)).toFixed(1)}%)`;
console.log(`reasons: ${rows.length} (seed ${seed}); kinds: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`1. kind names the largest positive part:        ${pct(rightKind, rows.length)}`);
console.log(
  `2. evidence sums to more than its part:          ${pct(overPart, explained.length)}; max evidence/part ${Math.max(0, ...ratios).toFixed(3)}`,
);
console.log(`   "liked" reasons on a net-negative taste part: ${likedOnNegative}`);
console.log(`   "popular" with popularity <= 0:               ${popularAtZero}`);
console.log(`4. undoing the top cited item lowers the score:  ${pct(causal, cited)}`);
console.log(
  `5. collaborative coverage: n ${coverage.length}, min ${quantile(coverage, 0).toFixed(2)}, median ${quantile(coverage, 0.5).toFixed(2)}, share >= 0.8: ${pct(coverage.filter((x) => x >= 0.8 - 1e-9).length, coverage.length)}`,
);
