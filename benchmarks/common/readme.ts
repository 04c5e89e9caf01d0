/**
 * What every benchmark shares: where the repository is, the machine line
 * of a results section, the median, and the writer that replaces only the
 * text between `<!-- name:start -->` and `<!-- name:end -->` in
 * benchmarks/README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Replaces the body of the `name` section of benchmarks/README.md and nothing else. */
export function writeReadmeSection(name: string, body: string): void {
  const path = resolve(repoRoot, 'benchmarks', 'README.md');
  const text = readFileSync(path, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`benchmarks/README.md has no ${start} … ${end} section`);
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${body.trim()}\n${text.slice(to)}`);
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
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
