/**
 * Logged exposures: what was shown, with what probability, and what came of
 * it. Every `recommend` result carries `propensity` (the probability that
 * the item was shown at all under the policy's randomness) and `explored`;
 * kept together with the feedback that followed, they are the raw material
 * of off-policy evaluation (see `offpolicy.ts`).
 */
import type { Context, FeedbackEvent, Signal } from '../types.js';
import { check, describeValue } from '../errors.js';
import { fail } from './validate.js';

/** One exposure: an item shown to a user, and the reward its feedback earned. */
export interface ExposureLogRecord {
  user: string;
  item: string;
  /** The context of the request that produced the list. */
  context: Context;
  /** When the list was shown (ms since epoch). */
  at: number;
  /** Probability that the logging policy shows this item in this situation, in (0, 1]. */
  propensity: number;
  /** Reward of the feedback that followed (see {@link SignalRewards}). */
  reward: number;
  /** Whether the item was shown by exploration. */
  explored: boolean;
  /** 0-based position in the list. */
  position: number;
}

/** The part of a recommendation a log needs (a `Recommendation` from `recommend` fits). */
export interface ShownItem {
  readonly item: string;
  readonly propensity: number;
  readonly explored: boolean;
}

/** Reward per signal. Every signal must have a finite reward. */
export type SignalRewards = Readonly<Record<Signal, number>>;

/**
 * The default signal → reward mapping: a thumbs-up, a completed play and a
 * purchase are successes (1); a skip, a thumbs-down and "tired of this" are
 * not (0). An exposure with no feedback at all earns {@link DEFAULT_NO_FEEDBACK_REWARD}.
 *
 * `tired` is 0 rather than negative: the listener liked the song enough to
 * hear it often, but this exposure did not please them.
 */
export const DEFAULT_SIGNAL_REWARDS: SignalRewards = Object.freeze({
  up: 1,
  play: 1,
  purchase: 1,
  skip: 0,
  down: 0,
  tired: 0,
});

/** Reward of an exposure no feedback followed. */
export const DEFAULT_NO_FEEDBACK_REWARD = 0;

/** Options of {@link toLogRecord} and {@link logExposures}. */
export interface RewardOptions {
  /** Rewards per signal; the ones given replace the defaults. @default DEFAULT_SIGNAL_REWARDS */
  rewards?: Partial<Record<Signal, number>>;
  /** Reward of an exposure with no feedback. @default 0 */
  noFeedbackReward?: number;
}

/** Where and when a list was shown. */
export interface Exposure {
  user: string;
  /** When the list was shown (ms since epoch). */
  at: number;
  /** @default {} */
  context?: Context;
}

interface ResolvedRewards {
  rewards: SignalRewards;
  none: number;
}

function resolveRewards(fn: string, options: RewardOptions): ResolvedRewards {
  const rewards = { ...DEFAULT_SIGNAL_REWARDS, ...options.rewards };
  for (const [signal, value] of Object.entries(rewards)) {
    check(
      Number.isFinite(value),
      'INVALID_OPTIONS',
      `${fn}: rewards.${signal} must be a finite number, got ${describeValue(value)}`,
    );
  }
  const none = options.noFeedbackReward ?? DEFAULT_NO_FEEDBACK_REWARD;
  check(
    Number.isFinite(none),
    'INVALID_OPTIONS',
    `${fn}: noFeedbackReward must be a finite number, got ${describeValue(none)}`,
  );
  return { rewards, none };
}

/**
 * The reward of the feedback that followed one exposure: the reward of the
 * latest of the user's signals on that item at or after the exposure (ties
 * go to the later event in the array), so "play, then thumbs-up" counts as
 * the thumbs-up; events of other users or items, or from before the
 * exposure, are ignored.
 */
function rewardFor(
  user: string,
  item: string,
  at: number,
  feedback: readonly FeedbackEvent[],
  resolved: ResolvedRewards,
): number {
  let best: FeedbackEvent | undefined;
  for (const event of feedback) {
    if (event.user !== user || event.item !== item) continue;
    const when = event.at ?? at;
    if (when < at) continue;
    if (best === undefined || when >= (best.at ?? at)) best = event;
  }
  return best === undefined ? resolved.none : resolved.rewards[best.signal];
}

function checkShown(fn: string, shown: ShownItem, position: number): void {
  if (typeof shown.item !== 'string') fail(fn, `recommendation ${position} needs a string item id`);
  if (!(shown.propensity > 0 && shown.propensity <= 1)) {
    fail(
      fn,
      `recommendation ${position} (${JSON.stringify(shown.item)}) needs a propensity in (0, 1], got ${describeValue(shown.propensity)}`,
    );
  }
}

function checkExposure(fn: string, exposure: Exposure): void {
  if (typeof exposure.user !== 'string')
    fail(fn, `exposure.user must be a string, got ${describeValue(exposure.user)}`);
  if (!Number.isFinite(exposure.at))
    fail(fn, `exposure.at must be a time in ms since epoch, got ${describeValue(exposure.at)}`);
}

/**
 * Turns one shown item and the feedback that followed into a log record.
 *
 * @param shown the recommendation (its `item`, `propensity`, `explored`).
 * @param exposure who saw it, when, in which context.
 * @param feedback the events that followed (any user or item; the matching one is picked).
 * @param options what counts as a reward, and `position`: the 0-based position in the list (default 0).
 */
export function toLogRecord(
  shown: ShownItem,
  exposure: Exposure,
  feedback: readonly FeedbackEvent[] = [],
  options: RewardOptions & { position?: number } = {},
): ExposureLogRecord {
  const fn = 'toLogRecord';
  checkExposure(fn, exposure);
  const position = options.position ?? 0;
  checkShown(fn, shown, position);
  const resolved = resolveRewards(fn, options);
  return {
    user: exposure.user,
    item: shown.item,
    context: exposure.context ?? {},
    at: exposure.at,
    propensity: shown.propensity,
    reward: rewardFor(exposure.user, shown.item, exposure.at, feedback, resolved),
    explored: shown.explored,
    position,
  };
}

/**
 * Turns a whole recommended list and the feedback that followed into one
 * log record per shown item, in list order.
 */
export function logExposures(
  recommendations: readonly ShownItem[],
  exposure: Exposure,
  feedback: readonly FeedbackEvent[] = [],
  options: RewardOptions = {},
): ExposureLogRecord[] {
  const fn = 'logExposures';
  checkExposure(fn, exposure);
  recommendations.forEach((shown, position) => checkShown(fn, shown, position));
  const resolved = resolveRewards(fn, options);
  const context = exposure.context ?? {};
  return recommendations.map((shown, position) => ({
    user: exposure.user,
    item: shown.item,
    context,
    at: exposure.at,
    propensity: shown.propensity,
    reward: rewardFor(exposure.user, shown.item, exposure.at, feedback, resolved),
    explored: shown.explored,
    position,
  }));
}

/** The reward of one signal under a mapping (defaults filled in). */
export function signalReward(signal: Signal | undefined, options: RewardOptions = {}): number {
  const resolved = resolveRewards('signalReward', options);
  if (signal === undefined) return resolved.none;
  if (!Object.hasOwn(resolved.rewards, signal))
    fail('signalReward', `signal must be one of up, down, tired, skip, play, purchase, got ${describeValue(signal)}`);
  return resolved.rewards[signal];
}
