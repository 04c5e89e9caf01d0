/**
 * Small helpers of the decay benchmark: order statistics that understand
 * censored runs and number formatting (the README writer, machine line and
 * median come from benchmarks/common/readme.ts, the mean from src/eval/harness.ts).
 */
import { median } from '../common/readme.js';

export { machineLine, repoRoot, writeReadmeSection } from '../common/readme.js';
export { mean } from '../../src/eval/harness.js';

/**
 * Median of values where `null` means "not reached within the horizon"
 * (right-censored, counted as +∞). Returns null when the median itself is censored.
 */
export function censoredMedian(values: readonly (number | null)[]): number | null {
  const m = median(values.map((v) => v ?? Infinity)); // NaN for no values
  return Number.isFinite(m) ? m : null;
}

/** The q-quantile (nearest rank) with null as +∞; null when it is censored. */
export function censoredQuantile(values: readonly (number | null)[], q: number): number | null {
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return Number.isFinite(v) ? v : null;
}

/** Fixed decimals, or "—" for a missing number. */
export function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A censored count: the number, or "> horizon". */
export function fmtCensored(value: number | null, horizon: number): string {
  return value === null ? `> ${horizon}` : fmt(value, value % 1 === 0 ? 0 : 1);
}

/** A markdown table. */
export function table(
  header: readonly string[],
  align: readonly ('l' | 'r')[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}
