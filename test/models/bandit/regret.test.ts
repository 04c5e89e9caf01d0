import { describe, expect, it } from 'vitest';
import { createBandit, type BanditOptions } from '../../../src/models/bandit/index.js';
import { banditPolicy, simulate, uniformPolicy } from '../../../src/eval/harness.js';
import { bernoulliWorld, linearWorld, piecewiseBernoulliWorld } from '../../../src/eval/worlds.js';

const SEEDS = [11, 12, 13];

describe('bandit regret in seeded simulation', () => {
  it('Thompson and UCB1 beat uniform random by a wide margin on a fixed world', () => {
    console.log(`[bandit regret] seeds ${SEEDS.join(', ')}`);
    const world = bernoulliWorld([0.1, 0.2, 0.3, 0.4, 0.6]);
    const steps = 3000;
    const regretOf = (kind: BanditOptions['kind']) =>
      simulate({
        world,
        steps,
        seeds: SEEDS,
        makePolicy: (seed) => banditPolicy(createBandit({ kind, arms: world.arms, seed } as BanditOptions)),
      }).meanRegret;
    const uniform = simulate({
      world,
      steps,
      seeds: SEEDS,
      makePolicy: (seed) => uniformPolicy(world.arms, seed),
    }).meanRegret;
    const ts = regretOf('thompson');
    const ucb = regretOf('ucb1');
    console.log(`[bandit regret] uniform ${uniform.toFixed(1)}, thompson ${ts.toFixed(1)}, ucb1 ${ucb.toFixed(1)}`);
    expect(uniform).toBeGreaterThan(700);
    expect(ts).toBeLessThan(uniform / 8);
    expect(ucb).toBeLessThan(uniform / 3);
  });

  it('a discounted Thompson variant follows a piecewise-stationary world better than stationary Thompson', () => {
    console.log(`[bandit regret, piecewise] seeds ${SEEDS.join(', ')}`);
    const world = piecewiseBernoulliWorld(
      [
        [0.8, 0.2, 0.1],
        [0.1, 0.2, 0.8],
      ],
      1000,
    );
    const run = (extra: Partial<BanditOptions>) =>
      simulate({
        world,
        steps: 4000,
        seeds: SEEDS,
        makePolicy: (seed) =>
          banditPolicy(createBandit({ kind: 'thompson', arms: world.arms, seed, ...extra } as BanditOptions)),
      }).meanRegret;
    const stationary = run({});
    const discounted = run({ halfLife: 100 });
    const detecting = run({ changeDetection: { kind: 'glr' } });
    console.log(
      `[bandit regret, piecewise] stationary ${stationary.toFixed(1)}, discounted ${discounted.toFixed(1)}, glr ${detecting.toFixed(1)}`,
    );
    expect(discounted).toBeLessThan(stationary / 2);
    expect(detecting).toBeLessThan(stationary / 2);
  });

  it('LinUCB and linear Thompson learn a linear world far better than uniform random', () => {
    console.log(`[bandit regret, linear] seeds ${SEEDS.join(', ')}`);
    const world = linearWorld(5, { arms: 5, noise: 0.1 });
    const steps = 1500;
    const uniform = simulate({
      world,
      steps,
      seeds: SEEDS,
      makePolicy: (seed) => uniformPolicy(world.arms, seed),
    }).meanRegret;
    for (const kind of ['linucb', 'linear-thompson'] as const) {
      const regret = simulate({
        world,
        steps,
        seeds: SEEDS,
        makePolicy: (seed) =>
          banditPolicy(
            createBandit({
              kind,
              arms: world.arms,
              seed,
              dimension: 5,
              ...(kind === 'linucb' ? { alpha: 0.3 } : { v: 0.1 }),
            }),
          ),
      }).meanRegret;
      console.log(`[bandit regret, linear] uniform ${uniform.toFixed(1)}, ${kind} ${regret.toFixed(1)}`);
      expect(regret).toBeLessThan(uniform / 4);
    }
  });
});
