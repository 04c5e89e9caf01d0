/**
 * `npm run size`: what a page pays for attune. Each case is a one-line app
 * bundled by esbuild for browsers from the built package (dist/, so run
 * `npm run build` first), minified, then gzipped at level 9; the budget is
 * checked against the gzipped size, and the share of each dependency is
 * printed from esbuild's metafile. Exits 1 when a case is over its budget.
 *
 * Budgets (gzipped), chosen from the sizes measured plus headroom for one
 * small feature, so that a jump (a new dependency, a lost tree-shake) fails:
 * - the recommender, 76.0 kB measured: 78 kB. Since 74.3 kB (budget 75 kB) it gained the fold-in
 *   through the shared factor for people with few entries (the Woodbury solve, the per-item
 *   G⁻¹y cache with its clock eviction, the small system kept for reasons), the reused candidate
 *   verdicts and sensitivity mask, the capped IVF scan, and each scope's purchases and the time of
 *   the latest up off any station (with the reading of 0.3 records). At 72.6 kB: 75 kB. The fourth wave added 6.9 kB:
 *   approximate retrieval for large catalogs (the IVF index, its k-means,
 *   tag postings: 11.7 kB of the minified 232 kB), restore's record checks
 *   (a record read back only as attune writes it), the person clock, and
 *   stations' seed prior and spill. Before: 65.7 kB measured (64.1 before the third wave: the
 *   pool-local list draws, popularity re-summed in slices), budget 67 kB. First set at 48 kB (45.3 kB
 *   measured) before the second wave, which added per-person evidence and
 *   snapshot version 2 with the version 1 migration, stations, faithful
 *   reasons, the session change detector, background training with its
 *   time-slice runner, the .npy / Spark factor readers and the Unicode
 *   folding of protected attributes — 18.8 kB of attune's own code in all.
 *   ml-matrix is 33 % of its minified code (the ALS Cholesky solves).
 * - a bandit-only page (`attune/bandit`), 18.9 kB measured: 20 kB (was 31,
 *   then 34, then 36 with ml-matrix in it: the exact Thompson propensities
 *   added the quadrature and the incomplete beta, then the cached per-arm
 *   Beta-law tables of betaLaw.ts, +1.5 kB). ml-matrix left it when the
 *   linear policies' Cholesky inverse became attune's own
 *   (src/models/bandit/linearAlgebra.ts, 34.5 kB to 18.9 kB with the
 *   one-policy-a-file split, which itself added about 1.6 kB).
 * - the evaluation tools (`attune/eval`, everything), 14.4 kB measured: 16 kB.
 */
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../benchmarks/common/readme.js';

interface Case {
  name: string;
  code: string;
  budgetKb: number;
}

const CASES: readonly Case[] = [
  {
    name: "createRecommender from 'attune'",
    code: "import { createRecommender } from 'attune'; globalThis.x = createRecommender;",
    budgetKb: 78,
  },
  {
    name: "createBandit from 'attune/bandit'",
    code: "import { createBandit } from 'attune/bandit'; globalThis.x = createBandit;",
    budgetKb: 20,
  },
  {
    name: "everything from 'attune/eval'",
    code: "import * as evaluation from 'attune/eval'; globalThis.x = evaluation;",
    budgetKb: 16,
  },
];

const ENTRY_FILES: Record<string, string> = {
  attune: 'index.js',
  'attune/eval': 'eval.js',
  'attune/bandit': 'bandit.js',
};

async function measure(c: Case): Promise<{ gzip: number; minified: number; shares: Map<string, number> }> {
  const result = await build({
    stdin: { contents: c.code, resolveDir: repoRoot, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'built-attune',
        setup(b) {
          b.onResolve({ filter: /^attune(\/eval|\/bandit)?$/ }, (args) => ({
            path: resolve(repoRoot, 'dist', ENTRY_FILES[args.path]!),
          }));
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.contents;
  const shares = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'attune';
      shares.set(owner, (shares.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return { gzip: gzipSync(code, { level: 9 }).length, minified: code.length, shares };
}

if (!existsSync(resolve(repoRoot, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
let over = 0;
for (const c of CASES) {
  const { gzip, minified, shares } = await measure(c);
  const kb = gzip / 1000;
  const ok = kb <= c.budgetKb;
  if (!ok) over++;
  const parts = [...shares]
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${name} ${Math.round((100 * bytes) / minified)} %`);
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${c.name.padEnd(36)} ${kb.toFixed(1).padStart(5)} kB gzipped (budget ${c.budgetKb} kB; ${(minified / 1000).toFixed(1)} kB minified: ${parts.join(', ')})`,
  );
}
if (over > 0) {
  console.error(
    `${over} bundle(s) over budget: find what grew (the shares above), or raise the budget in scripts/size.ts with a reason`,
  );
  process.exitCode = 1;
}
