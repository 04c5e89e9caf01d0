/**
 * `npm run size`: what a page pays for attune. Each case is a one-line app
 * bundled by esbuild for browsers from the built package (dist/, so run
 * `npm run build` first), minified, then gzipped at level 9; the budget is
 * checked against the gzipped size, and the share of each dependency is
 * printed from esbuild's metafile. Exits 1 when a case is over its budget.
 *
 * Budgets (gzipped), chosen on 2026-11-30 from the sizes then plus headroom
 * for one feature, so that a jump (a new dependency, a lost tree-shake) fails:
 * - the recommender, 45.3 kB measured: 48 kB. ml-matrix is 46 % of its
 *   minified code (the ALS Cholesky solves), attune 49 %, seedrandom 5 %.
 * - a bandit-only page (`attune/bandit`), 29.7 kB measured: 31 kB. It leaves
 *   the recommender out but still carries ml-matrix (66 % of it), which
 *   src/models/bandit/linearAlgebra.ts imports for the linear policies'
 *   solves; with a small Cholesky of its own it would be about 11 kB, and
 *   this budget should then drop to 13 kB.
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
  { name: "createRecommender from 'attune'", code: "import { createRecommender } from 'attune'; globalThis.x = createRecommender;", budgetKb: 48 },
  { name: "createBandit from 'attune/bandit'", code: "import { createBandit } from 'attune/bandit'; globalThis.x = createBandit;", budgetKb: 31 },
  { name: "everything from 'attune/eval'", code: "import * as evaluation from 'attune/eval'; globalThis.x = evaluation;", budgetKb: 16 },
];

const ENTRY_FILES: Record<string, string> = { attune: 'index.js', 'attune/eval': 'eval.js', 'attune/bandit': 'bandit.js' };

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
          b.onResolve({ filter: /^attune(\/eval|\/bandit)?$/ }, (args) => ({ path: resolve(repoRoot, 'dist', ENTRY_FILES[args.path]!) }));
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
  const parts = [...shares].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => `${name} ${Math.round((100 * bytes) / minified)} %`);
  console.log(`${ok ? 'ok  ' : 'OVER'} ${c.name.padEnd(36)} ${kb.toFixed(1).padStart(5)} kB gzipped (budget ${c.budgetKb} kB; ${(minified / 1000).toFixed(1)} kB minified: ${parts.join(', ')})`);
}
if (over > 0) {
  console.error(`${over} bundle(s) over budget: find what grew (the shares above), or raise the budget in scripts/size.ts with a reason`);
  process.exitCode = 1;
}
