import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random/rng';
import { doublyRobust, ips, normalQuantile, replay, snips, type OffPolicyEstimate } from '../../src/eval/offpolicy';
import { AttuneError } from '../../src/errors';

/**
 * A contextual world whose truth is known: 5 equally likely contexts, 4
 * actions, Bernoulli rewards with fixed probabilities. The logging policy
 * and the candidate are known stochastic policies, so the candidate's true
 * value is Σ_x P(x) Σ_a π(a|x) p(x, a).
 */
const CONTEXTS = 5;
const ACTIONS = 4;
const worldRng = createRng('offpolicy-world');
const rewardProb = Array.from({ length: CONTEXTS }, () =>
  Array.from({ length: ACTIONS }, () => 0.1 + 0.8 * worldRng.next()),
);

function softmax(scores: number[], temperature: number): number[] {
  const e = scores.map((s) => Math.exp(s / temperature));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

// logging policy: prefers low-index actions; candidate: prefers the truly better ones
const logging = rewardProb.map((_, x) => softmax([1, 0.5, 0, (x % 2) * 0.3], 0.6));
const candidatePolicy = rewardProb.map((row) => softmax(row, 0.2));
const uniform = rewardProb.map(() => Array.from({ length: ACTIONS }, () => 1 / ACTIONS));
const greedy = rewardProb.map((row) => row.map((p) => (p === Math.max(...row) ? 1 : 0)));

const value = (policy: number[][]): number =>
  policy.reduce((sum, probs, x) => sum + probs.reduce((s, p, a) => s + p * (rewardProb[x]?.[a] as number), 0), 0) /
  CONTEXTS;

interface Rec {
  x: number;
  a: number;
  propensity: number;
  reward: number;
}

function collect(seed: number, policy: number[][], n: number): Rec[] {
  const rng = createRng(seed, 'offpolicy-log');
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.int(CONTEXTS);
    const probs = policy[x] as number[];
    let u = rng.next();
    let a = 0;
    while (a < ACTIONS - 1 && u >= (probs[a] as number)) u -= probs[a++] as number;
    out.push({ x, a, propensity: probs[a] as number, reward: rng.next() < (rewardProb[x]?.[a] as number) ? 1 : 0 });
  }
  return out;
}

const prob =
  (policy: number[][]) =>
  (r: Rec): number =>
    policy[r.x]?.[r.a] as number;
// a deliberately biased reward model: DR should still cover thanks to the correction
const model = (x: number, a: number): number =>
  Math.min(1, (rewardProb[x]?.[a] as number) + (a % 2 === 0 ? 0.15 : -0.1));
const drOptions = {
  rewardModel: (r: Rec) => model(r.x, r.a),
  candidateModelReward: (r: Rec) => (candidatePolicy[r.x] as number[]).reduce((s, p, a) => s + p * model(r.x, a), 0),
};

const SEEDS = Array.from({ length: 100 }, (_, i) => 1000 + i);
const covers = (e: OffPolicyEstimate, truth: number): boolean => e.low <= truth && truth <= e.high;

describe('off-policy estimators in a seeded world with a known truth', () => {
  const truth = value(candidatePolicy);

  it('SNIPS and DR intervals cover the true value in ≥ 90% of 100 seeds; IPS is unbiased on average', () => {
    const hits = { ips: 0, snips: 0, dr: 0 };
    const ipsValues: number[] = [];
    const meanError = { ips: 0, snips: 0, dr: 0 };
    for (const seed of SEEDS) {
      const log = collect(seed, logging, 1500);
      const e = {
        ips: ips(log, prob(candidatePolicy)),
        snips: snips(log, prob(candidatePolicy)),
        dr: doublyRobust(log, prob(candidatePolicy), drOptions),
      };
      ipsValues.push(e.ips.value);
      meanError.ips += e.ips.standardError / SEEDS.length;
      meanError.snips += e.snips.standardError / SEEDS.length;
      meanError.dr += e.dr.standardError / SEEDS.length;
      for (const k of ['ips', 'snips', 'dr'] as const) if (covers(e[k], truth)) hits[k]++;
    }
    const meanIps = ipsValues.reduce((a, b) => a + b, 0) / ipsValues.length;
    const sdIps = Math.sqrt(ipsValues.reduce((a, b) => a + (b - meanIps) ** 2, 0) / (ipsValues.length - 1));
    console.log(
      `[offpolicy] seeds ${SEEDS[0]}–${SEEDS[SEEDS.length - 1]}, n=1500 per log, true value ${truth.toFixed(4)}; ` +
        `95% interval coverage: IPS ${hits.ips}%, SNIPS ${hits.snips}%, DR ${hits.dr}%; ` +
        `mean IPS ${meanIps.toFixed(4)} (sd over seeds ${sdIps.toFixed(4)}); mean standard errors IPS ${meanError.ips.toFixed(4)}, SNIPS ${meanError.snips.toFixed(4)}, DR ${meanError.dr.toFixed(4)}`,
    );
    expect(hits.snips).toBeGreaterThanOrEqual(90);
    expect(hits.dr).toBeGreaterThanOrEqual(90);
    expect(hits.ips).toBeGreaterThanOrEqual(85);
    expect(Math.abs(meanIps - truth)).toBeLessThan((3 * sdIps) / Math.sqrt(SEEDS.length));
  });

  it('replay agrees with the true value on uniform logs', () => {
    const truthGreedy = value(greedy);
    let hits = 0;
    let sum = 0;
    for (const seed of SEEDS) {
      const log = collect(seed, uniform, 2000);
      const e = replay(log, prob(greedy));
      sum += e.value;
      if (covers(e, truthGreedy)) hits++;
      expect(e.effectiveSampleSize).toBeGreaterThan(350); // about a quarter of the log matches
    }
    const mean = sum / SEEDS.length;
    console.log(
      `[offpolicy] replay on uniform logs, seeds ${SEEDS[0]}–${SEEDS[SEEDS.length - 1]}, n=2000: true ${truthGreedy.toFixed(4)}, mean estimate ${mean.toFixed(4)}, coverage ${hits}%`,
    );
    expect(hits).toBeGreaterThanOrEqual(90);
    expect(Math.abs(mean - truthGreedy)).toBeLessThan(0.01);
  });

  it('replay refuses logs that are not uniform, and calls onMatch in order', () => {
    expect(() => replay(collect(1, logging, 50), prob(greedy))).toThrow(
      /^replay: the log must come from uniform exploration/,
    );
    const matched: number[] = [];
    const log = collect(2, uniform, 40);
    replay(log, prob(greedy), { onMatch: (r) => matched.push(log.indexOf(r)) });
    expect(matched).toEqual(log.map((r, i) => (prob(greedy)(r) > 0 ? i : -1)).filter((i) => i >= 0));
  });

  it('on-policy, every estimator reduces to the sample mean with full effective sample size', () => {
    const log = collect(3, logging, 500);
    const mean = log.reduce((s, r) => s + r.reward, 0) / log.length;
    for (const e of [ips(log, prob(logging)), snips(log, prob(logging))]) {
      expect(e.value).toBeCloseTo(mean, 12);
      expect(e.effectiveSampleSize).toBeCloseTo(500, 9);
    }
  });

  it('bootstrap intervals are seeded and close to the normal ones', () => {
    const log = collect(4, logging, 1500);
    const normal = snips(log, prob(candidatePolicy));
    const boot = snips(log, prob(candidatePolicy), { interval: 'bootstrap', seed: 9, bootstrapSamples: 400 });
    expect(snips(log, prob(candidatePolicy), { interval: 'bootstrap', seed: 9, bootstrapSamples: 400 })).toEqual(boot);
    expect(boot.value).toBe(normal.value);
    expect(Math.abs(boot.low - normal.low)).toBeLessThan(0.015);
    expect(Math.abs(boot.high - normal.high)).toBeLessThan(0.015);
  });

  it('clipping bounds the weights', () => {
    const log = [
      { propensity: 0.001, reward: 1 },
      { propensity: 0.5, reward: 0 },
    ];
    expect(ips(log, () => 1).value).toBeCloseTo((1000 + 0) / 2, 9);
    expect(ips(log, () => 1, { minPropensity: 0.1 }).value).toBeCloseTo(10 / 2, 9);
    expect(ips(log, () => 1, { maxWeight: 4 }).value).toBeCloseTo(4 / 2, 9);
  });

  it('refuses bad records and options with messages naming the function', () => {
    expect(() => ips([], () => 1)).toThrow(AttuneError);
    expect(() => snips([{ propensity: 0, reward: 1 }], () => 1)).toThrow(/^snips: record 0 needs a propensity/);
    expect(() => ips([{ propensity: 0.5, reward: 1 }], () => 2)).toThrow(
      /^ips: the candidate must return a probability/,
    );
    expect(() => ips([{ propensity: 0.5, reward: 1 }], () => 1, { confidence: 1 })).toThrow(/^ips: confidence/);
  });

  it('gives a bad option one code however it is wrong', () => {
    const log = [{ propensity: 0.5, reward: 1 }];
    for (const confidence of [0, 1, 1.5, Number.NaN]) {
      expect(() => snips(log, () => 1, { confidence })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
    expect(() => replay(log, () => 1, { uniformTolerance: Number.NaN })).toThrow(/^replay: uniformTolerance must be/);
    expect(() => replay(log, () => 1, { uniformTolerance: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('normalQuantile matches known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });
});
