import { describe, expect, it } from 'vitest';
import { createBandit } from '../../src/models/bandit/index.js';
import { banditPolicy, mean, median, simulate, uniformPolicy, type Policy } from '../../src/eval/harness.js';
import { bernoulliWorld, linearWorld, piecewiseBernoulliWorld } from '../../src/eval/worlds.js';

describe('simulate', () => {
  const world = bernoulliWorld([0.2, 0.5, 0.9]);

  it('is a pure function of its seeds', () => {
    console.log('[harness] seeds 1, 2, 3');
    const run = () =>
      simulate({
        world,
        steps: 300,
        seeds: [1, 2, 3],
        makePolicy: (seed) => banditPolicy(createBandit({ kind: 'thompson', arms: world.arms, seed })),
      });
    const a = run();
    const b = run();
    expect(b.perSeed).toEqual(a.perSeed);
    expect(a.seeds).toEqual([1, 2, 3]);
    expect(a.checkpoints).toHaveLength(20);
    expect(a.checkpoints.at(-1)).toBe(300);
    expect(a.perSeed[0]!.regretCurve.at(-1)).toBe(a.perSeed[0]!.regret);
    expect(a.meanRegret).toBeCloseTo(mean(a.perSeed.map((r) => r.regret)), 12);
    expect(a.stepsPerSecond).toBeGreaterThan(0);
  });

  it('measures dynamic pseudo-regret exactly for a fixed policy', () => {
    const always: Policy<undefined> = { choose: () => ({ arm: 'arm-0' }), learn: () => {} };
    const report = simulate({ world, steps: 100, seeds: 2, makePolicy: () => always, checkpoints: [10, 100] });
    expect(report.seeds).toEqual([0, 1]);
    expect(report.meanRegretCurve[0]).toBeCloseTo(7, 9);
    expect(report.medianRegret).toBeCloseTo(70, 9);
    const piecewise = piecewiseBernoulliWorld(
      [
        [0.9, 0.1],
        [0.1, 0.9],
      ],
      10,
    );
    const dynamic = simulate({
      world: piecewise,
      steps: 20,
      seeds: 1,
      makePolicy: () => always,
      checkpoints: [10, 20],
    });
    expect(dynamic.perSeed[0]!.regretCurve).toEqual([0, expect.closeTo(8, 9)]);
  });

  it('refuses bad options', () => {
    const makePolicy = (seed: number) => uniformPolicy(world.arms, seed);
    expect(() => simulate({ world, steps: 0, seeds: 1, makePolicy })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => simulate({ world, steps: 10, seeds: [], makePolicy })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => simulate({ world, steps: 10, seeds: Number.POSITIVE_INFINITY, makePolicy })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => simulate({ world, steps: 10, seeds: 1.5, makePolicy })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => simulate({ world, steps: 10, seeds: 1, makePolicy, checkpoints: [5, 3] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => bernoulliWorld([1.5])).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => linearWorld(0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('has a linear world whose rewards are centred on the expected value', () => {
    const lw = linearWorld(4, { arms: 3, noise: 0 });
    const report = simulate({
      world: lw,
      steps: 50,
      seeds: 1,
      makePolicy: (seed) => banditPolicy(createBandit({ kind: 'linucb', arms: lw.arms, dimension: 4, seed })),
    });
    expect(Number.isFinite(report.meanReward)).toBe(true);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
