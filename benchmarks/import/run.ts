/**
 * A person's first and next `recommend` after `importItemFactors`, by the
 * number of factors (issue 26, 8: at 1,024 factors, the documented maximum,
 * a first list took 1.0–1.4 s, because each fold-in and each list's
 * explanations factorised the person's k×k system). Since then a person
 * with few entries is solved through the factor of G = YᵀY + λI that
 * everyone shares (src/models/mf/lowRankUpdate.ts): the first person after
 * an import pays that one factorisation, the others a few substitutions.
 * The baseline, in the same run: one k×k Cholesky factorisation
 * (ml-matrix), of which the old path took two for a first list.
 * `npm run bench:import`; `--write` puts the table into benchmarks/README.md.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { createRecommender } from '../../src/index.js';
import { machineLine, median, writeReadmeSection } from '../common/readme.js';

const ITEMS = 2000;
const PEOPLE = 9;
const THUMBS = 20;
const now = Date.UTC(2026, 0, 1);

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
}

function choleskyMs(k: number): number {
  const r = rng(k);
  const y = Matrix.from1DArray(k + 8, k, Array.from({ length: (k + 8) * k }, r));
  const g = y.transpose().mmul(y).add(Matrix.eye(k, k).mul(20));
  const t = performance.now();
  new CholeskyDecomposition(g);
  return performance.now() - t;
}

const rows: string[] = [];
for (const k of [128, 256, 512, 1024]) {
  const items = Array.from({ length: ITEMS }, (_, i) => ({ id: `i${i}`, tags: [`genre:${i % 12}`] }));
  const rec = createRecommender({ items, seed: 1, now: () => now });
  const r = rng(7);
  const text = items
    .map((it) => JSON.stringify({ id: it.id, features: Array.from({ length: k }, () => r() / 4) }))
    .join('\n');
  let t = performance.now();
  rec.importItemFactors({ format: 'spark-json', text });
  const importMs = performance.now() - t;
  for (let u = 0; u < PEOPLE + 1; u++)
    rec.feedback(
      Array.from({ length: THUMBS }, (_, j) => ({
        user: `u${u}`,
        item: `i${(u * 97 + j * 31) % ITEMS}`,
        signal: 'up' as const,
      })),
    );
  t = performance.now();
  rec.recommend('u0', { count: 10 });
  const onceMs = performance.now() - t;
  const first: number[] = [];
  const next: number[] = [];
  for (let u = 1; u <= PEOPLE; u++) {
    t = performance.now();
    rec.recommend(`u${u}`, { count: 10 });
    first.push(performance.now() - t);
    t = performance.now();
    rec.recommend(`u${u}`, { count: 10 });
    next.push(performance.now() - t);
  }
  const chol = median([choleskyMs(k), choleskyMs(k), choleskyMs(k)]);
  rows.push(
    `| ${k} | ${importMs.toFixed(0)} | ${onceMs.toFixed(0)} | ${median(first).toFixed(1)} | ${median(next).toFixed(1)} | ${chol.toFixed(1)} |`,
  );
  console.log(rows[rows.length - 1]);
}

const body = [
  machineLine(),
  '',
  `${ITEMS} items; ${PEOPLE} people with ${THUMBS} thumbs each; medians in ms.`,
  '',
  '| factors | import | first list after the import (pays G’s factor once) | a person’s first list | their next list | baseline: one k×k Cholesky |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n');
console.log(body);
writeReadmeSection('import', body);
