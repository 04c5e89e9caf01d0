/**
 * `npx tsx benchmarks/decay/tunePause.ts [ratings.csv]`: chooses the default
 * of `pauseDays` (how much of a pause counts in a person's own time) on
 * tuning data only — MovieLens served at one clock on the random split with
 * seed 1 and the time split at 2010-07-01 (the report uses seed 42 and
 * 2007, 2009, 2012) — and the returning listener in miniature on seeds 6–8
 * (the report uses 1–5). Prints NDCG@10 per candidate.
 *
 *   --pause=1,7,30,90,Infinity   the pauseDays candidates
 *   --half=90                    the halfLifeDays candidates
 */
import { evaluateServed, loadRealLog, randomServedCase, timeServedCase } from './realLog.js';
import { returningListener } from './returning.js';

const flag = (name: string, fallback: string) =>
  (process.argv.find((a) => a.startsWith(`--${name}=`)) ?? `=${fallback}`).split('=')[1]!.split(',').map(Number);
const CANDIDATES = flag('pause', '1,7,30,90,Infinity');
const HALF_LIVES = flag('half', '90');
const log = loadRealLog();
const cases = [randomServedCase(log, 1), timeServedCase(log, Date.parse('2010-07-01T00:00:00Z'))];
for (const halfLifeDays of HALF_LIVES)
  for (const pauseDays of CANDIDATES) {
    const ndcg = cases.map((c) => evaluateServed(log, c, { pauseDays, halfLifeDays }).ndcg);
    const returning = [6, 7, 8].map((seed) => returningListener(seed, { pauseDays, halfLifeDays }));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `[tune] halfLifeDays ${String(halfLifeDays).padStart(8)} pauseDays ${String(pauseDays).padStart(8)}: NDCG@10 ${ndcg.map((x) => x.toFixed(4)).join(' / ')}` +
        ` (mean ${mean(ndcg).toFixed(4)}); returning jazz share after a year ${mean(returning.map((r) => r.afterYear)).toFixed(2)}, after a rock up ${mean(returning.map((r) => r.afterRockUp)).toFixed(2)}`,
    );
  }
