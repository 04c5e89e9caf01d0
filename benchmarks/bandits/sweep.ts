/**
 * Defaults by sweep (issue 15): linear Thompson sampling's scale v, and the half-life of the
 * discounted kinds. Each is chosen on worlds generated here ("tuning worlds") and then reported on
 * other worlds generated with other seeds and other shapes ("report worlds"), plus the fixed worlds
 * of `run.ts`. `npx tsx benchmarks/bandits/sweep.ts` writes the bandit-sweep section of
 * benchmarks/README.md.
 */
import { createBandit, type BanditOptions } from '../../src/models/bandit/index.js';
import { banditPolicy, simulate, uniformPolicy, type World } from '../../src/eval/harness.js';
import { linearWorld, piecewiseBernoulliWorld } from '../../src/eval/worlds.js';
import { createRng } from '../../src/random/rng.js';
import { machineLine, writeReadmeSection } from '../common/readme.js';

const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  console.log(s);
};
const fmt = (v: number, digits = 1): string =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seeds = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

type Spec = BanditOptions extends infer O ? (O extends BanditOptions ? Omit<O, 'arms' | 'seed'> : never) : never;
function regret<Ctx>(world: World<Ctx>, spec: Spec, steps: number, runSeeds: number[]): number {
  return simulate({
    world,
    steps,
    seeds: runSeeds,
    makePolicy: (seed) =>
      banditPolicy<never>(createBandit({ ...spec, arms: world.arms, seed } as BanditOptions)) as unknown as ReturnType<
        typeof uniformPolicy<Ctx>
      >,
  }).meanRegret;
}

/** A table: one row per world, one column per value, each cell the mean regret; the best of each row in bold. */
function table<W>(
  label: string,
  values: number[],
  worlds: Array<{ name: string; world: W }>,
  cell: (world: W, value: number) => number,
): number[][] {
  say(`| world | ${values.map((v) => `${label} ${v}`).join(' | ')} |`);
  say(`| --- | ${values.map(() => '---:').join(' | ')} |`);
  const rows: number[][] = [];
  for (const { name, world } of worlds) {
    const row = values.map((v) => cell(world, v));
    const best = Math.min(...row);
    say(`| ${name} | ${row.map((r) => (r === best ? `**${fmt(r)}**` : fmt(r))).join(' | ')} |`);
    rows.push(row);
  }
  return rows;
}

/** Mean over worlds of regret / the world's best regret: 1.00 is best everywhere. */
function relative(rows: number[][], values: number[]): string {
  return values
    .map(
      (v, j) =>
        `${v}: ${(rows.reduce((s, row) => s + (row[j] as number) / Math.min(...row), 0) / rows.length).toFixed(2)}`,
    )
    .join(', ');
}

// ---------------------------------------------------------------- linear Thompson v
const V_VALUES = [0.05, 0.1, 0.2, 0.3, 0.5, 1];
const LIN_T = 3000;
const LIN_SEEDS = seeds(1, 4);
const tuneLinear = [
  { d: 10, noise: 0.1, seed: 101 },
  { d: 20, noise: 0.1, seed: 102 },
  { d: 10, noise: 0.3, seed: 103 },
  { d: 20, noise: 0.3, seed: 104 },
].map((w) => ({
  name: `d = ${w.d}, σ = ${w.noise}, world seed ${w.seed}`,
  world: { ...w, world: linearWorld(w.d, { arms: 10, noise: w.noise, seed: w.seed }) },
}));
const reportLinear = [
  { d: 5, noise: 0.05, seed: 201 },
  { d: 30, noise: 0.05, seed: 202 },
  { d: 20, noise: 0.5, seed: 203 },
  { d: 20, noise: 0.1, seed: 7 },
].map((w) => ({
  name: `d = ${w.d}, σ = ${w.noise}, world seed ${w.seed}${w.seed === 7 ? ' (the run.ts world)' : ''}`,
  world: { ...w, world: linearWorld(w.d, { arms: 10, noise: w.noise, seed: w.seed }) },
}));
type LinearCase = { d: number; world: World<Float64Array> };
const linearCell = (w: LinearCase, v: number) =>
  regret(w.world, { kind: 'linear-thompson', dimension: w.d, v }, LIN_T, LIN_SEEDS);

say(
  `### Sweep: linear Thompson scale v (T = ${LIN_T.toLocaleString('en-US')}, 10 arms, run seeds ${LIN_SEEDS[0]}–${LIN_SEEDS.at(-1)}; mean regret)`,
);
say();
say('Tuning worlds (θₐ ~ N(0, I/d), unit contexts, Gaussian noise σ):');
say();
const tuneRows = table('v', V_VALUES, tuneLinear, linearCell);
say();
say(`Mean regret / best regret of the row, tuning worlds — ${relative(tuneRows, V_VALUES)}.`);
say();
say('Report worlds (other seeds, dimensions and noise):');
say();
const reportRows = table('v', V_VALUES, reportLinear, linearCell);
say();
say(`Mean regret / best regret of the row, report worlds — ${relative(reportRows, V_VALUES)}.`);
say();

// ---------------------------------------------------------------- half-life
const HL_VALUES = {
  thompson: [100, 200, 300, 500, 1000, 1500, 2000],
  ucb1: [250, 1000, 2000, 4000, 8000, 16_000, Infinity],
};
const PW_SEEDS = seeds(1, 5);
/** 5 arms; each segment one arm at 0.8 (a different one than before) and the rest uniform in [0.1, 0.6]. */
function randomPiecewise(
  seed: number,
  segmentLength: number,
  segments = 5,
): { name: string; world: World<undefined>; steps: number } {
  const rng = createRng(seed, 'sweep-piecewise');
  let best = -1;
  const means = Array.from({ length: segments }, () => {
    let next = rng.int(5);
    while (next === best) next = rng.int(5);
    best = next;
    return Array.from({ length: 5 }, (_, a) => (a === best ? 0.8 : Math.round((0.1 + 0.5 * rng.next()) * 100) / 100));
  });
  return {
    name: `changes every ${segmentLength.toLocaleString('en-US')}, world seed ${seed}`,
    world: piecewiseBernoulliWorld(means, segmentLength),
    steps: segments * segmentLength,
  };
}
const FIXED_SEGMENTS = [
  [0.8, 0.5, 0.3, 0.2, 0.1],
  [0.2, 0.5, 0.8, 0.3, 0.1],
  [0.2, 0.8, 0.3, 0.5, 0.1],
  [0.1, 0.3, 0.2, 0.5, 0.8],
  [0.8, 0.2, 0.1, 0.3, 0.5],
];
const tunePiecewise = [randomPiecewise(301, 2000), randomPiecewise(302, 2000), randomPiecewise(303, 2000)];
const reportPiecewise = [
  randomPiecewise(401, 2000),
  randomPiecewise(402, 1000),
  randomPiecewise(403, 4000),
  {
    name: 'changes every 2,000, the run.ts world',
    world: piecewiseBernoulliWorld(FIXED_SEGMENTS, 2000),
    steps: 10_000,
  },
];
type PiecewiseCase = { world: World<undefined>; steps: number };
for (const kind of ['thompson', 'ucb1'] as const) {
  const cell = (w: PiecewiseCase, halfLife: number) => regret(w.world, { kind, halfLife } as Spec, w.steps, PW_SEEDS);
  const label = kind === 'thompson' ? 'discounted Thompson (optimistic, the default)' : 'discounted UCB1';
  say(
    `### Sweep: half-life of ${label} (5 arms, 5 segments, run seeds ${PW_SEEDS[0]}–${PW_SEEDS.at(-1)}; mean dynamic regret)`,
  );
  say();
  say('Tuning worlds (each segment: one arm at 0.8, a different one each time, the others uniform in [0.1, 0.6]):');
  say();
  const tune = table(
    'halfLife',
    HL_VALUES[kind],
    tunePiecewise.map((w) => ({ name: w.name, world: w })),
    cell,
  );
  say();
  say(`Mean regret / best of the row, tuning worlds — ${relative(tune, HL_VALUES[kind])}.`);
  say();
  say('Report worlds:');
  say();
  const report = table(
    'halfLife',
    HL_VALUES[kind],
    reportPiecewise.map((w) => ({ name: w.name, world: w })),
    cell,
  );
  say();
  say(`Mean regret / best of the row, report worlds — ${relative(report, HL_VALUES[kind])}.`);
  say();
}

const header = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, with \`npx tsx benchmarks/bandits/sweep.ts\`.`,
  '',
];
writeReadmeSection('bandit-sweep', [...header, ...lines].join('\n'));
console.log('\nwrote benchmarks/README.md (bandit-sweep section)');
