/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in benchmarks/README.md, nothing else. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../movielens/ratings.js';

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

/** Machine and runtime line for a results section. */
export function machineLine(): string {
  return `${process.platform}/${process.arch}, ${cpuSummary()}, Node ${process.version}`;
}

function cpuSummary(): string {
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown CPU';
    const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
    return `${model} (${cores} cores, shared)`;
  } catch {
    return 'unknown CPU';
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
