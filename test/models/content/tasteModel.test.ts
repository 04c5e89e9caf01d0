import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TasteModel, type Increment } from '../../../src/models/content/tasteModel.js';

const DAY = 86_400_000;

describe('TasteModel', () => {
  it('with no new events a preference halves every half-life (to 1e-9 relative)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), fc.integer({ min: 1, max: 20 }), (halfLifeDays, k) => {
        const m = new TasteModel(halfLifeDays * DAY);
        m.learn(Int32Array.of(0, 1), [], 1, 3, 0, []);
        const w0 = m.tagMean(0, 0);
        const wk = m.tagMean(0, k * halfLifeDays * DAY);
        expect(Math.abs(wk / w0 - Math.pow(2, -k))).toBeLessThan(1e-9 * Math.pow(2, -k));
      }),
    );
  });

  it('a mean is exactly the sum of its decayed increments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ tags: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }), label: fc.constantFrom<0 | 1>(0, 1), gap: fc.integer({ min: 0, max: 30 * DAY }) }), { maxLength: 25 }),
        (events) => {
          const halfLife = 10 * DAY;
          const m = new TasteModel(halfLife);
          const incs: Increment[] = [];
          let t = 0;
          for (const e of events) {
            t += e.gap;
            m.learn(Int32Array.from(e.tags), ['daypart=morning'], e.label, 2, t, incs);
          }
          const now = t + 3 * DAY;
          for (let tag = 0; tag < 6; tag++) {
            const brute = incs.filter((i) => i.tag === tag && i.context === undefined).reduce((s, i) => s + i.delta * Math.pow(2, -(now - i.at) / halfLife), 0);
            expect(m.tagMean(tag, now)).toBeCloseTo(brute, 10);
            const cross = incs.filter((i) => i.tag === tag && i.context !== undefined).reduce((s, i) => s + i.delta * Math.pow(2, -(now - i.at) / halfLife), 0);
            expect(m.crossMean('daypart=morning', tag, now)).toBeCloseTo(cross, 10);
          }
        },
      ),
    );
  });

  it('learns up and down in the right direction; uncertainty shrinks with evidence', () => {
    const m = new TasteModel(Infinity);
    const v0 = m.tagVariance(0, 0);
    m.learn(Int32Array.of(0), [], 1, 3, 0, []);
    m.learn(Int32Array.of(1), [], 0, 3, 0, []);
    expect(m.tagMean(0, 0)).toBeGreaterThan(0);
    expect(m.tagMean(1, 0)).toBeLessThan(0);
    expect(m.tagVariance(0, 0)).toBeLessThan(v0);
    expect(m.predict(Int32Array.of(0), [], 0)).toBeGreaterThan(m.predict(Int32Array.of(1), [], 0));
  });

  it('memory grows with touched tags only', () => {
    const m = new TasteModel(Infinity);
    m.learn(Int32Array.of(5, 90_000), ['device=phone'], 1, 1, 0, []);
    expect(m.tags.size).toBe(2);
    expect(m.crosses.get('device=phone')!.size).toBe(2);
  });
});
