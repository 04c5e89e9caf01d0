/**
 * What every benchmark shares: where the repository is, the machine line
 * of a results section, the median, the writer that replaces only the
 * text between `<!-- name:start -->` and `<!-- name:end -->` in
 * benchmarks/README.md (when the run was given `--write`), and the check
 * that the MovieLens data is where the benchmarks look for it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Whether this run should update the tracked benchmarks/README.md: only when asked with `--write`. */
export function writeRequested(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--write');
}

/**
 * Replaces the body of the `name` section of benchmarks/README.md and
 * nothing else — when the run was given `--write`; otherwise it says how to
 * and leaves the tracked file alone (results are printed either way).
 */
export function writeReadmeSection(name: string, body: string): void {
  if (!writeRequested()) {
    console.log(`[${name}] benchmarks/README.md left as it is; run again with --write to put these results there`);
    return;
  }
  const path = resolve(repoRoot, 'benchmarks', 'README.md');
  const text = readFileSync(path, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`benchmarks/README.md has no ${start} … ${end} section`);
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${body.trim()}\n${text.slice(to)}`);
  console.log(`[${name}] results written to benchmarks/README.md (${name} section)`);
}

/**
 * Stops the run with directions when MovieLens `ratings.csv` is not at
 * `path`, instead of a raw ENOENT. The data is not part of this repository
 * (GroupLens licence): download `ml-latest-small` and unpack it as
 * `../shared/data/ml-latest-small/` beside the repository (on this project's
 * machines it is at /work/shared/data/ml-latest-small), or name another
 * ratings.csv as the first argument or in ATTUNE_RATINGS.
 */
export function requireRatings(path: string): void {
  if (existsSync(path)) return;
  console.error(
    [
      `MovieLens ratings not found at ${path}.`,
      'This benchmark needs the MovieLens "ml-latest-small" data set (about 100,000 ratings), which is not part of the repository (GroupLens research licence).',
      `Download ml-latest-small.zip from https://grouplens.org/datasets/movielens/ and unpack it so that ${resolve(repoRoot, '..', 'shared', 'data', 'ml-latest-small', 'ratings.csv')} exists,`,
      'or pass the path of a ratings.csv as the first argument (npm run eval:movielens -- path/to/ratings.csv) or in ATTUNE_RATINGS.',
    ].join('\n'),
  );
  process.exit(2);
}

/** "linux/x64, AMD EPYC … (2 cores, 24 GiB, shared; load 1.5), Node v20.x". */
export function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg()[0] ?? 0;
  return `${process.platform}/${process.arch}, ${model} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, shared; 1-min load ${load.toFixed(1)}), Node ${process.version}`;
}

/** Median (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
