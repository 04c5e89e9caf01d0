import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leaveLastOut, randomSplit, temporalSplit } from '../../src/eval/splits';
import { AttuneError } from '../../src/errors';

interface Rec {
  user: string;
  item: string;
  at: number;
}

function makeRecords(users: number, perUser: number): Rec[] {
  const out: Rec[] = [];
  for (let t = 0; t < perUser; t++)
    for (let u = 0; u < users; u++)
      out.push({ user: `u${u}`, item: `i${(u * 7 + t * 3) % 50}`, at: 1000 * (perUser - t) + u });
  return out;
}

describe('randomSplit', () => {
  it('holds out the rounded fraction per user, seeded', () => {
    const records = makeRecords(20, 10);
    const a = randomSplit(records, { testFraction: 0.2, seed: 7 });
    const b = randomSplit(records, { testFraction: 0.2, seed: 7 });
    const c = randomSplit(records, { testFraction: 0.2, seed: 8 });
    expect(a.test).toEqual(b.test);
    expect(a.test).not.toEqual(c.test);
    expect(a.test.length).toBe(40);
    expect(a.train.length + a.test.length).toBe(records.length);
    for (let u = 0; u < 20; u++) expect(a.test.filter((r) => r.user === `u${u}`)).toHaveLength(2);
  });

  it("one user's split does not depend on other users", () => {
    const records = makeRecords(5, 10);
    const alone = randomSplit(
      records.filter((r) => r.user === 'u3'),
      { testFraction: 0.3, seed: 1 },
    );
    const all = randomSplit(records, { testFraction: 0.3, seed: 1 });
    expect(all.test.filter((r) => r.user === 'u3')).toEqual(alone.test);
  });

  it('keeps minTrain records in training', () => {
    const records = makeRecords(3, 2);
    const s = randomSplit(records, { testFraction: 0.9, seed: 1, minTrain: 1 });
    expect(s.test).toHaveLength(3);
    expect(randomSplit(records, { testFraction: 0.9, seed: 1, minTrain: 2 }).test).toHaveLength(0);
  });

  it('refuses bad options', () => {
    expect(() => randomSplit([], { testFraction: 1.5, seed: 1 })).toThrow(AttuneError);
    expect(() => randomSplit([], { testFraction: 1, seed: 1 })).toThrow(/^randomSplit:/);
    for (const testFraction of [1, 1.5, -0.1]) {
      expect(() => temporalSplit([], { testFraction })).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: expect.stringMatching(/^temporalSplit: testFraction/),
        }),
      );
    }
  });
});

describe('temporalSplit', () => {
  it("holds out each user's latest records", () => {
    const records = makeRecords(4, 10);
    const s = temporalSplit(records, { testFraction: 0.3 });
    for (let u = 0; u < 4; u++) {
      const mine = records.filter((r) => r.user === `u${u}`).sort((x, y) => x.at - y.at);
      expect(s.test.filter((r) => r.user === `u${u}`).sort((x, y) => x.at - y.at)).toEqual(mine.slice(7));
    }
  });

  it('needs `at` on every record', () => {
    expect(() =>
      temporalSplit(
        [
          { user: 'a', item: 'x' },
          { user: 'a', item: 'y' },
        ],
        { testFraction: 0.5 },
      ),
    ).toThrow(/needs a finite `at`/);
  });
});

describe('leaveLastOut', () => {
  it('by time when timed, by input order otherwise', () => {
    const records = makeRecords(3, 5);
    const s = leaveLastOut(records, { k: 2 });
    expect(s.test).toHaveLength(6);
    // records are inserted newest first (at = 1000 · (5 − t) + u): the two latest are 5000+u and 4000+u
    for (const r of s.test) expect(r.at).toBeGreaterThanOrEqual(4000);
    const untimed = [
      { user: 'a', item: '1' },
      { user: 'a', item: '2' },
      { user: 'a', item: '3' },
    ];
    expect(leaveLastOut(untimed).test).toEqual([{ user: 'a', item: '3' }]);
  });

  it('refuses a mix of timed and untimed records for one user', () => {
    expect(() =>
      leaveLastOut([
        { user: 'a', item: '1', at: 1 },
        { user: 'a', item: '2' },
      ]),
    ).toThrow(/^leaveLastOut:/);
  });

  it('partitions the input, preserving order (property)', () => {
    const rec = fc.record({ user: fc.constantFrom('a', 'b', 'c'), item: fc.string(), at: fc.integer() });
    fc.assert(
      fc.property(
        fc.array(rec, { maxLength: 40 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer(),
        (records, f, seed) => {
          for (const s of [
            randomSplit(records, { testFraction: f, seed }),
            temporalSplit(records, { testFraction: f }),
            leaveLastOut(records, { k: 2 }),
          ]) {
            expect(s.train.length + s.test.length).toBe(records.length);
            const idx = (x: unknown): number => records.indexOf(x as (typeof records)[number]);
            const ti = s.train.map(idx);
            expect(ti).toEqual([...ti].sort((x, y) => x - y));
            for (const user of ['a', 'b', 'c']) {
              if (records.some((r) => r.user === user)) expect(s.train.some((r) => r.user === user)).toBe(true);
            }
          }
        },
      ),
    );
  });
});
