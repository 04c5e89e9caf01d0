/**
 * Focused runs of the listener kinds while working on the detector:
 * `tsx benchmarks/decay/kindsProbe.ts everyday,implicit3 101-110 [off]`
 * prints, per seed, sessions to 60 % of the new taste, detection delay and
 * false alarms (lifeStages on, or off with `off`).
 */
import { LISTENER_KINDS, runKind } from './listenerKinds.js';

const [kindsArg = 'everyday', seedsArg = '101-110', variant = 'on'] = process.argv.slice(2);
const [lo, hi] = seedsArg.split('-').map(Number) as [number, number];
const seeds = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, i) => lo + i);
for (const key of kindsArg.split(',')) {
  const kind = LISTENER_KINDS.find((k) => k.key === key);
  if (kind === undefined) throw new Error(`unknown kind ${key}`);
  const t = performance.now();
  const runs = seeds.map((seed) => runKind(kind, seed, variant !== 'off'));
  const fmt = (x: number | null) => (x === null ? '∞' : String(Math.round(x * 10) / 10));
  const sorted = runs.map((r) => r.sessionsToAdapt ?? Infinity).sort((a, b) => a - b);
  const med =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  console.log(
    `${key.padEnd(10)} ${variant.padEnd(3)} adapt ${runs.map((r) => fmt(r.sessionsToAdapt)).join(',')} (median ${med}) | delay ${runs.map((r) => fmt(r.detectionDelayDays)).join(',')} | ≤14d ${runs.filter((r) => r.detectionDelayDays !== null && r.detectionDelayDays <= 14).length}/${runs.length} | false ${runs.reduce((s, r) => s + r.falseAlarms, 0)} | liked ${(runs.reduce((s, r) => s + r.likedStable, 0) / runs.length).toFixed(3)} | ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
}
