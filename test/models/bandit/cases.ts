import fc from 'fast-check';
import type { BanditOptions } from '../../../src/models/bandit/index.js';

/** Context length of the linear cases. */
export const D = 3;
export const ARMS = ['a', 'b', 'c', 'd'];

/** Options without arms and seed, distributed over the kinds. */
type CaseOptions = BanditOptions extends infer O ? (O extends BanditOptions ? Omit<O, 'arms' | 'seed'> : never) : never;

export interface BanditCase {
  name: string;
  options: CaseOptions;
  linear: boolean;
  /** Propensities are exact in closed form (the Thompson kinds' are computed by quadrature, to about 1e−4). */
  exact: boolean;
}

/** Every kind (a test checks that none is missing), plus the non-stationary variants: the shared suite runs against each. */
export const CASES: BanditCase[] = [
  { name: 'thompson', options: { kind: 'thompson' }, linear: false, exact: false },
  { name: 'ucb1', options: { kind: 'ucb1' }, linear: false, exact: true },
  { name: 'epsilon-greedy', options: { kind: 'epsilon-greedy', epsilon: 0.2 }, linear: false, exact: true },
  { name: 'softmax', options: { kind: 'softmax', temperature: 0.2 }, linear: false, exact: true },
  { name: 'linucb', options: { kind: 'linucb', dimension: D, alpha: 0.5 }, linear: true, exact: true },
  { name: 'linear-thompson', options: { kind: 'linear-thompson', dimension: D }, linear: true, exact: false },
  { name: 'discounted thompson', options: { kind: 'thompson', halfLife: 8 }, linear: false, exact: false },
  { name: 'sliding-window ucb1', options: { kind: 'ucb1', window: 6 }, linear: false, exact: true },
  {
    name: 'glr thompson',
    options: { kind: 'thompson', changeDetection: { kind: 'glr', delta: 0.2 } },
    linear: false,
    exact: false,
  },
  { name: 'discounted linucb', options: { kind: 'linucb', dimension: D, halfLife: 4 }, linear: true, exact: true },
  {
    name: 'sliding-window linear-thompson',
    options: { kind: 'linear-thompson', dimension: D, window: 5 },
    linear: true,
    exact: false,
  },
  {
    name: 'page-hinkley linucb',
    options: { kind: 'linucb', dimension: D, changeDetection: { kind: 'page-hinkley', threshold: 1 } },
    linear: true,
    exact: true,
  },
];

export function optionsFor(c: BanditCase, seed: number | string = 7, arms: string[] = ARMS): BanditOptions {
  return { ...c.options, arms, seed } as BanditOptions;
}

export type Op =
  | { type: 'select'; context: number[]; exclude: string[] }
  | { type: 'rank'; context: number[] }
  | { type: 'update'; arm: string; reward: number; context: number[] };

const context = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: D, maxLength: D });

/** Random call sequences over {@link ARMS}. */
export function opsArbitrary(linear: boolean): fc.Arbitrary<Op[]> {
  const reward = linear
    ? fc.double({ min: -2, max: 2, noNaN: true })
    : fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ type: fc.constant('select' as const), context, exclude: fc.subarray(ARMS.slice(0, 3)) }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('rank' as const), context }) },
    {
      weight: 4,
      arbitrary: fc.record({ type: fc.constant('update' as const), arm: fc.constantFrom(...ARMS), reward, context }),
    },
  );
  return fc.array(op, { minLength: 1, maxLength: 40 });
}
