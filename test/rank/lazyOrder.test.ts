import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tagRows } from '../../src/rank/diversity.js';
import { LazyOrder } from '../../src/rank/lazyOrder.js';

/** Positions by score, descending, ties to the lower position: what a stable sort gives. */
const sorted = (scores: number[]) => scores.map((_, p) => p).sort((a, b) => scores[b]! - scores[a]! || a - b);

const drain = (order: LazyOrder): number[] => {
  const out: number[] = [];
  for (let p = order.next(); p >= 0; p = order.next()) out.push(p);
  return out;
};

// scores from a few values, so that ties are common
const scoresArb = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 0, maxLength: 60 });

describe('LazyOrder', () => {
  it('produces positions best first, ties to the lower position', () => {
    fc.assert(
      fc.property(scoresArb, (scores) => {
        const order = new LazyOrder();
        order.reset(Float64Array.from(scores), scores.length);
        expect(drain(order)).toEqual(sorted(scores));
      }),
    );
  });

  it('drops every remaining position with a saturated tag, and starts over from the passed and the dropped in order', () => {
    fc.assert(
      fc.property(
        scoresArb,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 3 }),
        (scores, tagOf, popFirst, blockedTag) => {
          const n = scores.length;
          const itemTags = tagRows(tagOf.map((t) => [t, 10]));
          const items = Int32Array.from({ length: n }, (_, p) => p);
          const order = new LazyOrder();
          order.reset(Float64Array.from(scores), n);
          const passed: number[] = [];
          for (let k = 0; k < popFirst; k++) {
            const p = order.next();
            if (p >= 0) passed.push(p);
          }
          const saturated = new Uint8Array(11);
          saturated[blockedTag] = 1;
          const remaining = sorted(scores).slice(passed.length);
          const blocked = remaining.filter((p) => tagOf[p] === blockedTag);
          expect(order.dropTagged(items, itemTags, saturated)).toBe(blocked.length);
          expect(order.hasDropped()).toBe(blocked.length > 0);
          const rest = drain(order);
          expect(rest).toEqual(remaining.filter((p) => tagOf[p] !== blockedTag));
          order.restartWith(Int32Array.from([...passed, ...rest]), passed.length + rest.length);
          expect(drain(order)).toEqual(sorted(scores));
        },
      ),
    );
  });
});
