/**
 * A generic seeded simulation harness for sequential decision policies:
 * a {@link World} answers with rewards, a {@link Policy} chooses and learns,
 * and {@link simulate} runs one fresh policy per seed and reports the
 * cumulative reward and the dynamic (pseudo-)regret — at each step the best
 * arm's expected reward minus the chosen arm's, both at that step's context
 * and time (so the regret of a changing world is measured against the
 * changing best arm).
 *
 * Randomness: the world draws from `createRng(seed, 'world')`, the policy is
 * built by `makePolicy(seed)`; a run is a pure function of its seeds.
 */
import { check, describeValue } from '../errors.js';
import { createRng, type Rng } from '../random/rng.js';
import type { Bandit, BanditContext } from '../models/bandit/index.js';

/** An environment: arms, a context per step, and the reward law of each arm. */
export interface World<Ctx> {
  readonly arms: ReadonlyArray<string>;
  /** The context of step `t` (0-based). */
  context(t: number, rng: Rng): Ctx;
  /** The expected reward of `arm` in `ctx` at step `t`. */
  expected(arm: string, ctx: Ctx, t: number): number;
  /** A random reward of `arm` in `ctx` at step `t`. */
  draw(arm: string, ctx: Ctx, t: number, rng: Rng): number;
}

/** A decision policy under test. */
export interface Policy<Ctx> {
  choose(ctx: Ctx, t: number): { arm: string; propensity?: number };
  learn(arm: string, reward: number, ctx: Ctx, t: number): void;
}

/** Options of {@link simulate}. */
export interface SimulateOptions<Ctx> {
  world: World<Ctx>;
  /** Builds a fresh policy for one seed. */
  makePolicy: (seed: number) => Policy<Ctx>;
  /** Steps per seed, whole number >= 1. */
  steps: number;
  /** The seeds to run, or how many (seeds 0..n−1). */
  seeds: ReadonlyArray<number> | number;
  /** Steps (1..steps) at which the regret curve is recorded. @default 20 evenly spaced steps ending at `steps` */
  checkpoints?: ReadonlyArray<number>;
}

/** One seed's outcome. */
export interface SeedResult {
  seed: number;
  /** Sum of the rewards drawn. */
  cumulativeReward: number;
  /** Dynamic pseudo-regret after all steps. */
  regret: number;
  /** Dynamic pseudo-regret at each checkpoint. */
  regretCurve: number[];
}

/** What {@link simulate} reports. */
export interface SimulationReport {
  steps: number;
  seeds: number[];
  checkpoints: number[];
  perSeed: SeedResult[];
  meanRegret: number;
  medianRegret: number;
  meanReward: number;
  /** Mean over seeds of the regret at each checkpoint. */
  meanRegretCurve: number[];
  /** Median over seeds of the regret at each checkpoint. */
  medianRegretCurve: number[];
  /** Steps (choose + draw + learn) per second of wall-clock time, over all seeds. */
  stepsPerSecond: number;
}

/** The median of a list of numbers (NaN for an empty list). */
export function median(values: ReadonlyArray<number>): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The mean of a list of numbers (NaN for an empty list). */
export function mean(values: ReadonlyArray<number>): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Runs `makePolicy(seed)` against `world` for `steps` steps per seed.
 * @throws AttuneError `INVALID_OPTIONS` for bad steps, seeds or checkpoints.
 */
export function simulate<Ctx>(options: SimulateOptions<Ctx>): SimulationReport {
  const api = 'simulate';
  const { world, makePolicy, steps } = options;
  check(
    Number.isInteger(steps) && steps >= 1,
    'INVALID_OPTIONS',
    `${api}: steps must be a whole number >= 1, got ${describeValue(steps)}`,
  );
  const seedsOption: unknown = options.seeds;
  check(
    typeof seedsOption === 'number'
      ? Number.isInteger(seedsOption) && seedsOption >= 1
      : Array.isArray(seedsOption) && seedsOption.length >= 1 && seedsOption.every((s) => Number.isFinite(s)),
    'INVALID_OPTIONS',
    `${api}: seeds must be a whole count >= 1 or a non-empty list of finite numbers, got ${describeValue(seedsOption)}`,
  );
  const seeds: number[] =
    typeof seedsOption === 'number' ? Array.from({ length: seedsOption }, (_, i) => i) : [...(seedsOption as number[])];
  const checkpoints = options.checkpoints
    ? [...options.checkpoints]
    : Array.from({ length: 20 }, (_, i) => Math.max(1, Math.round(((i + 1) * steps) / 20)));
  check(
    checkpoints.every(
      (c, i) => Number.isInteger(c) && c >= 1 && c <= steps && (i === 0 || c > (checkpoints[i - 1] as number)),
    ),
    'INVALID_OPTIONS',
    `${api}: checkpoints must be increasing whole numbers from 1 to steps (${steps})`,
  );
  check(world.arms.length >= 1, 'INVALID_OPTIONS', `${api}: the world has no arms`);

  const perSeed: SeedResult[] = [];
  let elapsed = 0;
  for (const seed of seeds) {
    const rng = createRng(seed, 'world');
    const policy = makePolicy(seed);
    let reward = 0;
    let regret = 0;
    let next = 0;
    const curve: number[] = [];
    const started = performance.now();
    for (let t = 0; t < steps; t++) {
      const ctx = world.context(t, rng);
      const { arm } = policy.choose(ctx, t);
      const r = world.draw(arm, ctx, t, rng);
      policy.learn(arm, r, ctx, t);
      reward += r;
      let best = -Infinity;
      for (const a of world.arms) best = Math.max(best, world.expected(a, ctx, t));
      regret += best - world.expected(arm, ctx, t);
      if (t + 1 === checkpoints[next]) {
        curve.push(regret);
        next += 1;
      }
    }
    elapsed += performance.now() - started;
    perSeed.push({ seed, cumulativeReward: reward, regret, regretCurve: curve });
  }
  const regrets = perSeed.map((r) => r.regret);
  return {
    steps,
    seeds,
    checkpoints,
    perSeed,
    meanRegret: mean(regrets),
    medianRegret: median(regrets),
    meanReward: mean(perSeed.map((r) => r.cumulativeReward)),
    meanRegretCurve: checkpoints.map((_, i) => mean(perSeed.map((r) => r.regretCurve[i] as number))),
    medianRegretCurve: checkpoints.map((_, i) => median(perSeed.map((r) => r.regretCurve[i] as number))),
    stepsPerSecond: (steps * seeds.length) / Math.max(elapsed / 1000, 1e-9),
  };
}

/**
 * Adapts a bandit to {@link Policy}: `choose` is `select(ctx)`, `learn` is `update(arm, reward, ctx)`.
 * Context-free bandits ignore the context (pass `undefined` worlds).
 */
export function banditPolicy<Ctx extends BanditContext | undefined>(bandit: Bandit): Policy<Ctx> {
  return {
    choose: (ctx) => bandit.select(ctx),
    learn: (arm, reward, ctx) => bandit.update(arm, reward, ctx),
  };
}

/** A policy that picks an arm uniformly at random: the naive baseline. */
export function uniformPolicy<Ctx>(arms: ReadonlyArray<string>, seed: number): Policy<Ctx> {
  const rng = createRng(seed, 'uniform-policy');
  return {
    choose: () => ({ arm: arms[rng.int(arms.length)] as string, propensity: 1 / arms.length }),
    learn: () => {},
  };
}
