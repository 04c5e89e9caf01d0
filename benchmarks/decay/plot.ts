/**
 * The half-life plot (benchmarks/decay/halflife.svg): NDCG@10 on MovieLens
 * by half-life, as the change against no decay. `npm run bench:decay` draws
 * it from a fresh run; `npx tsx benchmarks/decay/plot.ts` redraws it from the
 * results already in benchmarks/README.md (the decay table), in a second and
 * without running the benchmark again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { linePlot } from '../common/svg.js';
import { repoRoot } from '../common/readme.js';

export interface HalfLifePoint {
  /** Infinity for no decay. */
  halfLifeDays: number;
  ndcg: number;
}

export const HALF_LIFE_SVG = resolve(repoRoot, 'benchmarks', 'decay', 'halflife.svg');

/**
 * The curve as the change of NDCG@10 against no decay, in percent (on
 * absolute NDCG the differences would look flat), with a tick at every
 * half-life that was measured.
 */
export function halfLifePlot(curve: readonly HalfLifePoint[]): string {
  const finite = curve.filter((r) => Number.isFinite(r.halfLifeDays)).sort((a, b) => a.halfLifeDays - b.halfLifeDays);
  const base = curve.find((r) => r.halfLifeDays === Infinity)?.ndcg;
  if (base === undefined || finite.length === 0)
    throw new Error('halfLifePlot: needs the no-decay point and at least one finite half-life');
  const xs = finite.map((r) => r.halfLifeDays);
  return linePlot({
    title: 'MovieLens, temporal split: NDCG@10 by half-life (decay + life-stage detection)',
    xLabel: 'half-life (days)',
    yLabel: 'NDCG@10 change vs no decay (%)',
    logX: true,
    xTicks: xs,
    note: `One deterministic temporal split of 690 users (no seeds, so no error bars). No decay: NDCG@10 ${base.toFixed(4)}.`,
    series: [
      { name: 'half-life decay', points: finite.map((r) => [r.halfLifeDays, 100 * (r.ndcg / base - 1)] as const) },
      {
        name: 'no decay (∞), the baseline',
        points: [
          [Math.min(...xs), 0],
          [Math.max(...xs), 0],
        ],
        markers: false,
      },
    ],
  });
}

/** The rows of the decay table in benchmarks/README.md with detection on: `| 90 d | on | **0.1145** | …`. */
export function curveFromReadme(text: string): HalfLifePoint[] {
  const points: HalfLifePoint[] = [];
  for (const match of text.matchAll(/^\| (\d+ d|∞ \(no decay\)) \| on \| \**([\d.]+)\** \|/gm)) {
    points.push({
      halfLifeDays: match[1]!.startsWith('∞') ? Infinity : Number.parseInt(match[1]!, 10),
      ndcg: Number(match[2]),
    });
  }
  return points;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const curve = curveFromReadme(readFileSync(resolve(repoRoot, 'benchmarks', 'README.md'), 'utf8'));
  writeFileSync(HALF_LIFE_SVG, halfLifePlot(curve));
  console.log(`${HALF_LIFE_SVG}: ${curve.length} half-lives from benchmarks/README.md`);
}
