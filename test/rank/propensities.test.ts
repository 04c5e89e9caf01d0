import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/random/rng.js';
import type { PoolLists } from '../../src/rank/poolLists.js';
import { PROPENSITY_HITS, ShownPropensities } from '../../src/rank/propensities.js';

/**
 * A list policy whose inclusion probabilities are known: position p is in each draw's list with
 * probability `chance[p]`, independently. The estimator sees only `size`, `picked` and `draw`, as
 * with the ranker's own `PoolLists`.
 */
function knownLists(chance: readonly number[]): PoolLists {
  const picked = new Int32Array(chance.length);
  return {
    size: chance.length,
    picked,
    draw(rng: Rng): number {
      let k = 0;
      for (let p = 0; p < chance.length; p++) if (rng.next() < chance[p]!) picked[k++] = p;
      return k;
    },
  } as unknown as PoolLists;
}

/** Mean, standard error and relative standard deviation of 1/propensity × p over `runs` estimates. */
function inverseOf(chance: readonly number[], position: number, runs: number, samples: number, patience: number) {
  const lists = knownLists(chance);
  let sum = 0;
  let squares = 0;
  let draws = 0;
  for (let run = 0; run < runs; run++) {
    const estimate = new ShownPropensities(lists, [position], createRng(17, 'known', run), samples, patience);
    const scaled = chance[position]! / estimate.of(0);
    sum += scaled;
    squares += scaled * scaled;
    draws += estimate.drawCount();
  }
  const mean = sum / runs;
  const sd = Math.sqrt((squares - runs * mean * mean) / (runs - 1));
  return { mean, se: sd / Math.sqrt(runs), relativeSd: sd / mean, meanDraws: draws / runs };
}

// Exact checks first, the statistical ones last: a broken stopping rule fails in milliseconds.
describe('ShownPropensities on a policy with known inclusion probabilities', () => {
  it('at the cap reports (seen + 1)/(samples + 1), or 1/samples for an item never seen', () => {
    const lists = knownLists([0, 1]);
    const never = new ShownPropensities(lists, [0, 1], createRng(1), 50, 10_000);
    expect(never.of(0)).toBe(1 / 50);
    expect(never.drawCount()).toBe(50);
    // an item in every draw settles at its 4th: propensity 4/4, after 4 draws when alone
    expect(never.of(1)).toBe(1);
    const always = new ShownPropensities(knownLists([1]), [0], createRng(1), 50, 10_000);
    expect([always.of(0), always.drawCount()]).toEqual([1, PROPENSITY_HITS]);
    // with a patience of 2 it settles at draw 2, seen twice: (2 + 1)/(2 + 1)
    const impatient = new ShownPropensities(knownLists([1]), [0], createRng(1), 50, 2);
    expect([impatient.of(0), impatient.drawCount()]).toEqual([1, 2]);
    // seen 2 times in 4 draws (drawn at 0.5) when the cap comes first: (2 + 1)/(4 + 1)
    const seenTwice = (() => {
      const flips = [0.1, 0.9, 0.2, 0.8];
      let d = 0;
      const picked = new Int32Array(1);
      return {
        size: 1,
        picked,
        draw(): number {
          if (flips[d++ % 4]! < 0.5) {
            picked[0] = 0;
            return 1;
          }
          return 0;
        },
      } as unknown as PoolLists;
    })();
    expect(new ShownPropensities(seenTwice, [0], createRng(1), 4, 10_000).of(0)).toBe(3 / 5);
    // and the same at the patience: (2 + 1)/(4 + 1)
    expect(new ShownPropensities(seenTwice, [0], createRng(1), 10_000, 4).of(0)).toBe(3 / 5);
  });

  it('waits for the 4th appearance within the patience, so common items keep the inverse-binomial spread', () => {
    // an item shown half the time nearly always appears 4 times within 128 draws: relative sd √((1 − p)/4)
    const common = inverseOf([0.5], 0, 20_000, 10_000, 128);
    expect(common.relativeSd).toBeCloseTo(Math.sqrt(0.5 / PROPENSITY_HITS), 1);
    expect(common.meanDraws).toBeCloseTo(PROPENSITY_HITS / 0.5, 0);
  });

  it('bounds what a rare item costs: about patience + 1/p draws rather than 4/p', () => {
    const p = 0.004;
    const patient = inverseOf([p], 0, 2_000, 10_000, 10_000);
    const bounded = inverseOf([p], 0, 2_000, 10_000, 128);
    expect(patient.meanDraws).toBeGreaterThan(0.9 * (PROPENSITY_HITS / p));
    expect(bounded.meanDraws).toBeLessThan(1.1 * (128 + 1 / p));
    // the price: a wider spread (a geometric wait has relative sd √(1 − p))
    expect(bounded.relativeSd).toBeGreaterThan(patient.relativeSd);
    expect(bounded.relativeSd).toBeLessThan(1.05);
  });

  it('settles each shown item by its own appearances, whatever the others of the list do', () => {
    // the same item with a very rare neighbour in the list: the loop runs longer, its estimate is the same law
    const alone = inverseOf([0.05], 0, 20_000, 10_000, 128);
    const withRare = inverseOf([0.05, 0.002], 0, 20_000, 10_000, 128);
    expect(Math.abs(withRare.mean - 1)).toBeLessThan(4 * withRare.se);
    expect(withRare.relativeSd).toBeCloseTo(alone.relativeSd, 1);
  });

  it('keeps 1/propensity unbiased for 1/p at every patience, rare items included', () => {
    for (const patience of [1, 3, 16, 128, 10_000])
      for (const p of [0.004, 0.02, 0.1, 0.6]) {
        const { mean, se } = inverseOf([p], 0, 10_000, 4_000, patience);
        // E[p / propensity] = 1; 4 standard errors (about 1% here) leave a false alarm once in 15,000 checks
        expect(Math.abs(mean - 1), `p ${p}, patience ${patience}: ${mean.toFixed(4)} ± ${se.toFixed(4)}`).toBeLessThan(
          4 * se,
        );
      }
  });
});
