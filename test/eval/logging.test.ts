import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNAL_REWARDS, logExposures, signalReward, toLogRecord } from '../../src/eval/logging';
import type { FeedbackEvent } from '../../src/types';

const shown = [
  { item: 'a', propensity: 0.9, explored: false },
  { item: 'b', propensity: 0.2, explored: true },
  { item: 'c', propensity: 0.5, explored: false },
];
const exposure = { user: 'ann', at: 1000, context: { hour: 8 } };

describe('logExposures', () => {
  it('turns a list and its feedback into one record per item', () => {
    const feedback: FeedbackEvent[] = [
      { user: 'ann', item: 'a', signal: 'play', at: 1100 },
      { user: 'ann', item: 'a', signal: 'up', at: 1200 }, // latest wins
      { user: 'ann', item: 'b', signal: 'skip', at: 1100 },
      { user: 'bob', item: 'c', signal: 'up', at: 1100 }, // another user
      { user: 'ann', item: 'c', signal: 'up', at: 900 }, // before the exposure
    ];
    const log = logExposures(shown, exposure, feedback);
    expect(log).toEqual([
      {
        user: 'ann',
        item: 'a',
        context: { hour: 8 },
        at: 1000,
        propensity: 0.9,
        reward: 1,
        explored: false,
        position: 0,
      },
      {
        user: 'ann',
        item: 'b',
        context: { hour: 8 },
        at: 1000,
        propensity: 0.2,
        reward: 0,
        explored: true,
        position: 1,
      },
      {
        user: 'ann',
        item: 'c',
        context: { hour: 8 },
        at: 1000,
        propensity: 0.5,
        reward: 0,
        explored: false,
        position: 2,
      },
    ]);
  });

  it('uses a configurable mapping', () => {
    const feedback: FeedbackEvent[] = [
      { user: 'ann', item: 'a', signal: 'down', at: 1100 },
      { user: 'ann', item: 'b', signal: 'play', at: 1100 },
    ];
    const log = logExposures(shown, exposure, feedback, { rewards: { down: -1, play: 0.5 }, noFeedbackReward: -0.1 });
    expect(log.map((r) => r.reward)).toEqual([-1, 0.5, -0.1]);
  });

  it('toLogRecord handles one item', () => {
    const r = toLogRecord(shown[1]!, { user: 'ann', at: 5 }, [{ user: 'ann', item: 'b', signal: 'purchase', at: 6 }], {
      position: 1,
    });
    expect(r).toEqual({
      user: 'ann',
      item: 'b',
      context: {},
      at: 5,
      propensity: 0.2,
      reward: 1,
      explored: true,
      position: 1,
    });
  });

  it('documents its defaults and refuses bad input', () => {
    expect(DEFAULT_SIGNAL_REWARDS).toEqual({ up: 1, play: 1, purchase: 1, skip: 0, down: 0, tired: 0 });
    expect(signalReward(undefined)).toBe(0);
    expect(signalReward('tired', { rewards: { tired: 0.2 } })).toBe(0.2);
    expect(() => logExposures([{ item: 'a', propensity: 0, explored: false }], exposure)).toThrow(
      /^logExposures: recommendation 0/,
    );
    expect(() => logExposures(shown, exposure, [], { rewards: { up: Number.NaN } })).toThrow(
      /^logExposures: rewards\.up/,
    );
  });
});
