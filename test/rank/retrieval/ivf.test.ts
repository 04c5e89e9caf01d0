import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/random/rng.js';
import { IvfIndex } from '../../../src/rank/retrieval/ivf.js';
import { finishSteps as runSteps } from '../../../src/models/mf/training/runners.js';
import { kmeans, rowNorms } from '../../../src/rank/retrieval/kmeans.js';

/** Rows around `directions` unit directions, each row scaled by a random length (0.2 to 5). */
function planted(rows: number, dim: number, directions: number, seed: number) {
  const rng = createRng(seed, 'planted');
  const centers = Array.from({ length: directions }, () => {
    const c = Float64Array.from({ length: dim }, () => rng.normal());
    const norm = Math.hypot(...c);
    return c.map((v) => v / norm);
  });
  const truth = new Int32Array(rows);
  const values = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const d = rng.int(directions);
    truth[r] = d;
    const length = 0.2 + 4.8 * rng.next();
    for (let f = 0; f < dim; f++) values[r * dim + f] = length * (centers[d]![f]! + 0.05 * rng.normal());
  }
  return { values, truth };
}

describe('spherical k-means', () => {
  it('groups rows by direction, whatever their length', () => {
    const dim = 16;
    const { values, truth } = planted(600, dim, 4, 1);
    const members = Int32Array.from({ length: 600 }, (_, i) => i);
    const centroids = new Float64Array(4 * dim);
    const k = runSteps(kmeans(values, rowNorms(values, 600, dim), dim, members, 4, 10, createRng(2), centroids));
    expect(k).toBe(4);
    // every planted direction maps to one centroid, and no centroid to two directions
    const cluster = (r: number) => {
      let best = -1;
      let bestCos = -Infinity;
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let f = 0; f < dim; f++) s += values[r * dim + f]! * centroids[c * dim + f]!;
        if (s > bestCos) [best, bestCos] = [c, s];
      }
      return best;
    };
    const mapping = new Map<number, number>();
    for (let r = 0; r < 600; r++) {
      const c = cluster(r);
      if (!mapping.has(truth[r]!)) mapping.set(truth[r]!, c);
      expect(mapping.get(truth[r]!)).toBe(c);
    }
    expect(new Set(mapping.values()).size).toBe(4);
    // centroids are unit vectors
    for (let c = 0; c < 4; c++) expect(Math.hypot(...centroids.subarray(c * dim, (c + 1) * dim))).toBeCloseTo(1, 12);
  });

  it('makes every member a centroid when there are no more members than centroids', () => {
    const values = Float64Array.from([3, 4, 0, 2, 0, 0]);
    const centroids = new Float64Array(3 * 2);
    const k = runSteps(
      kmeans(values, rowNorms(values, 3, 2), 2, Int32Array.from([0, 1]), 3, 5, createRng(1), centroids),
    );
    expect(k).toBe(2);
    expect(Array.from(centroids.subarray(0, 4))).toEqual([0.6, 0.8, 0, 1]);
  });
});

describe('IvfIndex', () => {
  const dim = 12;
  const rows = 900;
  const { values } = planted(rows, dim, 9, 3);
  const index = runSteps(IvfIndex.build(values, rows, dim, 30, createRng(4, 'ivf')));

  it('puts every item in exactly one list', () => {
    const seen = new Int32Array(rows);
    for (let l = 0; l < index.lists; l++) for (const i of index.members(l)) seen[i]!++;
    expect(Array.from(seen).every((c) => c === 1)).toBe(true);
    expect(index.lists).toBeGreaterThan(15);
    // about 30: each of the √30 coarse cells rounds its share of lists
    expect(index.lists).toBeLessThanOrEqual(30 + Math.round(Math.sqrt(30)));
  });

  it('scans lists best first and gives x·y to single precision', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: dim, maxLength: dim }), (q) => {
        const x = Float64Array.from(q);
        const items = new Int32Array(rows + index.largestList);
        const dots = new Float64Array(rows + index.largestList);
        const all = index.probe(x, 1, undefined, rows, items, dots);
        expect(all).toBe(rows);
        for (let j = 0; j < all; j++) {
          let exact = 0;
          for (let f = 0; f < dim; f++) exact += x[f]! * values[items[j]! * dim + f]!;
          expect(Math.abs(dots[j]! - exact)).toBeLessThan(1e-5 * (1 + Math.abs(exact)));
          expect(dots[j]).toBe(index.approximateDot(x, items[j]!));
        }
        // A small budget scans whole lists, the one whose centroid scores best first.
        const few = index.probe(x, 1, undefined, 1, items, dots);
        const first = Array.from(items.subarray(0, few)).sort((a, b) => a - b);
        const listScores = Array.from({ length: index.lists }, (_, l) => {
          const members = index.members(l);
          const mean = new Float64Array(dim);
          for (const i of members) for (let f = 0; f < dim; f++) mean[f]! += values[i * dim + f]! / members.length;
          return mean.reduce((s, v, f) => s + v * x[f]!, 0);
        });
        const best = listScores.indexOf(Math.max(...listScores));
        expect(first).toEqual(Array.from(index.members(best)).sort((a, b) => a - b));
        // A bonus per list reorders them.
        const bonus = new Float64Array(index.lists);
        const favoured = (best + 1) % index.lists;
        bonus[favoured] = 1e6;
        const boosted = index.probe(x, 1, bonus, 1, items, dots);
        expect(Array.from(items.subarray(0, boosted)).sort((a, b) => a - b)).toEqual(
          Array.from(index.members(favoured)).sort((a, b) => a - b),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('is the same index, bit for bit, whether built at once or step by step, and yields while building', () => {
    const steps = IvfIndex.build(values, rows, dim, 30, createRng(4, 'ivf'));
    let yields = 0;
    let next = steps.next();
    while (next.done !== true) {
      yields++;
      next = steps.next();
    }
    expect(yields).toBeGreaterThan(5);
    const again = next.value;
    const x = Float64Array.from({ length: dim }, (_, f) => Math.sin(f + 1));
    const a = { items: new Int32Array(2 * rows), dots: new Float64Array(2 * rows) };
    const b = { items: new Int32Array(2 * rows), dots: new Float64Array(2 * rows) };
    const na = index.probe(x, 1, undefined, 200, a.items, a.dots);
    const nb = again.probe(x, 1, undefined, 200, b.items, b.dots);
    expect(nb).toBe(na);
    expect(b.items).toEqual(a.items);
    expect(b.dots).toEqual(a.dots);
    expect(again.bytes).toBe(index.bytes);
  });

  it('keeps each list longest vector first, and cuts the list that crosses the limit there', () => {
    const norm = (i: number) => Math.hypot(...values.subarray(i * dim, (i + 1) * dim));
    for (let l = 0; l < index.lists; l++) {
      const members = Array.from(index.members(l));
      for (let j = 1; j < members.length; j++) expect(norm(members[j - 1]!)).toBeGreaterThanOrEqual(norm(members[j]!));
    }
    const x = Float64Array.from({ length: dim }, (_, f) => Math.cos(f + 2));
    const whole = { items: new Int32Array(2 * rows), dots: new Float64Array(2 * rows) };
    const cut = { items: new Int32Array(2 * rows), dots: new Float64Array(2 * rows) };
    const n = index.probe(x, 1, undefined, 100, whole.items, whole.dots);
    expect(n).toBeGreaterThan(100); // whole lists overshoot the budget
    const limited = index.probe(x, 1, undefined, 100, cut.items, cut.dots, 101);
    expect(limited).toBe(101);
    // the same scan up to the limit: the lists in the same order, the crossing one's longest first
    expect(cut.items.subarray(0, 101)).toEqual(whole.items.subarray(0, 101));
    expect(cut.dots.subarray(0, 101)).toEqual(whole.dots.subarray(0, 101));
    // a limit the whole lists stay under changes nothing
    expect(index.probe(x, 1, undefined, 100, cut.items, cut.dots, n)).toBe(n);
  });

  it('holds its vectors in less memory than the factors', () => {
    expect(index.bytes).toBeLessThan(values.byteLength);
  });
});
