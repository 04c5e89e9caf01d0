/**
 * Small helpers of the decay benchmark: where the repository is, the
 * machine line, order statistics that understand censored runs, number
 * formatting, and the README section writer (it replaces only the text
 * between `<!-- decay:start -->` and `<!-- decay:end -->`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
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

/** "linux/x64, AMD EPYC … (2 cores, 24 GiB), Node v20.x". */
export function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${process.platform}/${process.arch}, ${model} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, shared), Node ${process.version}`;
}

/**
 * Median of values where `null` means "not reached within the horizon"
 * (right-censored, counted as +∞). Returns null when the median itself is censored.
 */
export function censoredMedian(values: readonly (number | null)[]): number | null {
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Number.isFinite(m) ? m : null;
}

/** The q-quantile (nearest rank) with null as +∞; null when it is censored. */
export function censoredQuantile(values: readonly (number | null)[], q: number): number | null {
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return Number.isFinite(v) ? v : null;
}

export const mean = (values: readonly number[]): number => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);

/** Fixed decimals, or "—" for a missing number. */
export function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A censored count: the number, or "> horizon". */
export function fmtCensored(value: number | null, horizon: number): string {
  return value === null ? `> ${horizon}` : fmt(value, value % 1 === 0 ? 0 : 1);
}

/** A markdown table. */
export function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}
