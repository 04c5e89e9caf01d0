/**
 * `npm run bench`: every benchmark, one after another; each prints its
 * results. Pass names to run only some (`npm run bench -- bandits recommend`)
 * and `--write` to let each put its results into its section of
 * benchmarks/README.md (`npm run bench -- --write`).
 */
import { spawnSync } from 'node:child_process';

const all = [
  'state',
  'persist',
  'server',
  'bandits',
  'mf',
  'recommend',
  'decay',
  'reallog',
  'movielens',
  'stations',
] as const;
const scripts: Record<(typeof all)[number], string> = {
  state: 'benchmarks/state/run.ts',
  persist: 'benchmarks/persist/run.ts',
  server: 'benchmarks/server/run.ts',
  bandits: 'benchmarks/bandits/run.ts',
  mf: 'benchmarks/mf/run.ts',
  recommend: 'benchmarks/recommend/run.ts',
  decay: 'benchmarks/decay/run.ts',
  reallog: 'benchmarks/decay/realLogRun.ts',
  movielens: 'benchmarks/movielens/eval.ts',
  stations: 'benchmarks/stations/run.ts',
};
const chosen = process.argv.slice(2).filter((a): a is (typeof all)[number] => (all as readonly string[]).includes(a));
for (const name of chosen.length > 0 ? chosen : all) {
  console.log(`\n=== ${name} (${scripts[name]}) ===`);
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', scripts[name], ...(process.argv.includes('--write') ? ['--write'] : [])],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) {
    console.error(`${name} failed with exit code ${run.status}`);
    process.exitCode = 1;
  }
}
