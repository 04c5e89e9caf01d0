import { createBandit, restoreBandit, type Bandit, type BanditOptions } from '../../../src/models/bandit/index.js';
import { CASES, D, type BanditCase } from './cases.js';

/** A small seeded generator of the script's own (Park–Miller), so a transcript depends on nothing else. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/**
 * Runs one fixed script of calls over every method of a bandit — selects with exclusions, ranks,
 * updates (on the step clock, or on the ms clock with late updates when `clock` is 'ms'), warm
 * starts, removals, resets, a restart, a restore half-way — and returns everything it answered
 * plus every snapshot taken, as one JSON text. The same code gives the same text, byte for byte.
 */
export function transcript(c: BanditCase, clock: 'steps' | 'ms', steps = 240): string {
  const rand = lcg(clock === 'ms' ? 4242 : 1717);
  const out: unknown[] = [];
  const ctx = (): number[] | undefined =>
    c.linear ? Array.from({ length: D }, () => Math.round((rand() * 2 - 1) * 1000) / 1000) : undefined;
  const reward = (): number => (c.linear ? rand() * 3 - 1 : rand() < 0.35 ? 1 : rand() < 0.5 ? rand() : 0);
  let bandit: Bandit = createBandit({ ...c.options, arms: ['a', 'b', 'c'], seed: `t-${c.name}` } as BanditOptions);
  let at = 1_000_000;
  for (let i = 0; i < steps; i++) {
    const x = ctx();
    const roll = rand();
    const arms = bandit.arms;
    if (roll < 0.45) {
      const exclude = rand() < 0.2 ? [arms[0] as string] : [];
      const choice = bandit.select(x, clock === 'ms' ? { exclude, at: at + 10 } : { exclude });
      out.push(['select', choice.arm, choice.propensity]);
      at += Math.floor(rand() * 400);
      // late updates (before the arm's reference time) exercise the discount-to-the-past path
      const when = clock === 'ms' ? at - Math.floor(rand() * 900) : undefined;
      bandit.update(choice.arm, reward(), x, when);
    } else if (roll < 0.55) {
      out.push(['rank', bandit.rank(x).map((r) => [r.arm, r.score, r.propensity])]);
    } else if (roll < 0.8) {
      const arm = arms[Math.floor(rand() * arms.length)] as string;
      at += Math.floor(rand() * 400);
      bandit.update(arm, reward(), x, clock === 'ms' ? at : undefined);
    } else if (roll < 0.86) {
      out.push(['expectations', bandit.expectations(x, clock === 'ms' ? { at: at + 50 } : undefined)]);
    } else if (roll < 0.89) {
      const id = `n${i}`;
      bandit.addArm(id, rand() < 0.5 ? { warmStartFrom: arms[0] as string } : undefined);
    } else if (roll < 0.91 && arms.length > 2) {
      bandit.removeArm(arms[Math.floor(rand() * arms.length)] as string);
    } else if (roll < 0.93) {
      bandit.resetArm(arms[Math.floor(rand() * arms.length)] as string);
    } else if (roll < 0.94) {
      bandit.restart();
    } else if (roll < 0.97) {
      const text = JSON.stringify(bandit.toJSON());
      out.push(['snapshot', text]);
      bandit = restoreBandit(JSON.parse(text));
    }
  }
  out.push(['detections', bandit.detections, 'final', JSON.stringify(bandit.toJSON())]);
  return JSON.stringify(out);
}

/** The shared cases and a few variants they leave out. */
export const TRANSCRIPT_CASES: BanditCase[] = [
  ...CASES,
  {
    name: 'plain thompson',
    options: { kind: 'thompson', optimistic: false, prior: { alpha: 2, beta: 3 } },
    linear: false,
    exact: false,
  },
  { name: 'discounted ucb1', options: { kind: 'ucb1', halfLife: 20, c: 0.7 }, linear: false, exact: true },
  { name: 'windowed softmax', options: { kind: 'softmax', window: 9 }, linear: false, exact: true },
  { name: 'discounted epsilon-greedy', options: { kind: 'epsilon-greedy', halfLife: 30 }, linear: false, exact: true },
  {
    name: 'page-hinkley thompson, global restart',
    options: { kind: 'thompson', changeDetection: { kind: 'page-hinkley', threshold: 2, reset: 'all' } },
    linear: false,
    exact: false,
  },
  {
    name: 'glr linear-thompson',
    options: {
      kind: 'linear-thompson',
      dimension: D,
      lambda: 0.5,
      v: 0.3,
      changeDetection: { kind: 'glr', delta: 0.3 },
    },
    linear: true,
    exact: false,
  },
  {
    name: 'discounted linear-thompson',
    options: { kind: 'linear-thompson', dimension: D, halfLife: 3 },
    linear: true,
    exact: false,
  },
  {
    name: 'windowed linucb',
    options: { kind: 'linucb', dimension: D, window: 4, lambda: 2 },
    linear: true,
    exact: true,
  },
];
