/**
 * A seeded simulated listener: someone with tastes over tags, tastes that
 * change at given times (an abrupt switch, or a slow drift from one taste to
 * another), who listens to a recommended list and answers with Pandora
 * signals — `up`, `play`, `skip`, `down`, `tired` — according to how well
 * each song's tags match their taste at that moment, plus noise.
 *
 * How a listener reacts to one item, given its match m ∈ [−1, 1] (see
 * {@link tasteMatch}) and u = m + noise · N(0, 1):
 * - u ≥ likeThreshold: a like. If the listener has liked this song
 *   `tiredAfter` times within `tiredWindowDays`, `tired`; else `up` with
 *   probability `thumbsRate`, otherwise `play`.
 * - u ≤ dislikeThreshold: a dislike: `down` with probability `thumbsRate`,
 *   otherwise `skip`.
 * - in between: `play` with probability u / likeThreshold (0 when u ≤ 0),
 *   otherwise `skip` — lukewarm songs are sometimes played through.
 */
import type { Context, FeedbackEvent, Item, Signal } from '../types.js';
import { createRng } from '../random/rng.js';
import { DAY_MS } from '../decay/decay.js';
import { describeValue } from '../errors.js';
import { checkRange, checkSeed, checkWhole, fail } from './validate.js';

/** Affinity per tag, each in [−1, 1]; tags not named are neutral (0). */
export type Taste = Readonly<Record<string, number>>;

/** A change of taste at time `at`. */
export interface TasteChange {
  /** When the change starts (ms since epoch). */
  at: number;
  /** The taste after the change. */
  taste: Taste;
  /**
   * 0: an abrupt switch at `at`. More: a slow drift, the taste moving
   * linearly from the previous one to `taste` over this many days. @default 0
   */
  driftDays?: number;
}

/** Options of {@link createListener}. */
export interface ListenerOptions {
  /** The user id the listener's feedback carries. */
  id: string;
  /** Same seed (and id), same reactions to the same lists. */
  seed: number | string;
  /** The items the listener may be shown (ids, tags). */
  catalog: readonly Item[];
  /** The taste at the start. */
  taste: Taste;
  /** Later changes of taste, in increasing order of `at`. @default [] */
  changes?: readonly TasteChange[];
  /** Standard deviation of the noise added to each match. @default 0.15 */
  noise?: number;
  /** Share of likes and dislikes expressed as an explicit thumb. @default 0.25 */
  thumbsRate?: number;
  /** Match (with noise) from which a song is liked. @default 0.5 */
  likeThreshold?: number;
  /** Match (with noise) at or below which a song is disliked. @default -0.3 */
  dislikeThreshold?: number;
  /** Likes of one song within `tiredWindowDays` after which it draws `tired`. @default 5 */
  tiredAfter?: number;
  /** @default 7 */
  tiredWindowDays?: number;
  /** Length of a song: the i-th item of a list is reacted to at `at + (i + 1) · trackMinutes`. @default 4 */
  trackMinutes?: number;
  /**
   * How many songs at the top of each list the listener reacts to; the rest
   * get no event at all (a listener who turns the radio off after three
   * songs). @default every song of the list
   */
  reactsTo?: number;
  /**
   * Share of reactions that are slips: a like or a dislike at random (a coin
   * toss), whatever the song — a wrong button, someone else in the room.
   * Slips are expressed as thumbs at `thumbsRate` like any reaction. @default 0
   */
  slipRate?: number;
}

/** A simulated listener. */
export interface Listener {
  readonly id: string;
  /** Match (with noise) from which a song is liked. */
  readonly likeThreshold: number;
  /** Times at which a change of taste starts, ascending. */
  readonly changeTimes: readonly number[];
  /** The taste at time `at` (during a drift, the blend of the two tastes). */
  tasteAt(at: number): Taste;
  /** Match of an item with the taste at `at`, in [−1, 1]. */
  match(itemId: string, at: number): number;
  /** Match of an item with any taste, in [−1, 1]. */
  matchWith(itemId: string, taste: Taste): number;
  /** Whether the listener likes the item at `at`, without noise (match ≥ likeThreshold). */
  likes(itemId: string, at: number): boolean;
  /**
   * Listens to a list shown at `at` and returns one event per item it
   * reacts to (the first `reactsTo`), in list order. Advances the listener's random stream and play memory.
   */
  react(items: readonly string[], options: { at: number; context?: Context }): FeedbackEvent[];
}

/**
 * How well tags fit a taste: the sum of the taste's affinities for the
 * tags, clamped to [−1, 1]. A jazz fan (`genre:jazz: 1`) matches every jazz
 * song fully; `mood:mellow: 0.5` alone half-matches a mellow folk song.
 */
export function tasteMatch(tags: readonly string[] | undefined, taste: Taste): number {
  if (tags === undefined) return 0;
  let sum = 0;
  for (const tag of tags) sum += taste[tag] ?? 0;
  return sum > 1 ? 1 : sum < -1 ? -1 : sum;
}

function checkTaste(fn: string, name: string, taste: Taste): void {
  if (typeof taste !== 'object' || taste === null) fail(fn, `${name} must be an object of tag → affinity`);
  for (const [tag, value] of Object.entries(taste)) {
    if (!(typeof value === 'number' && value >= -1 && value <= 1))
      fail(fn, `${name}[${JSON.stringify(tag)}] must be a number from -1 to 1, got ${describeValue(value)}`);
  }
}

function blend(from: Taste, to: Taste, mix: number): Taste {
  const out: Record<string, number> = {};
  for (const tag of new Set([...Object.keys(from), ...Object.keys(to)]))
    out[tag] = (1 - mix) * (from[tag] ?? 0) + mix * (to[tag] ?? 0);
  return out;
}

/** Creates a seeded simulated listener (see the module notes for how it reacts). */
export function createListener(options: ListenerOptions): Listener {
  const fn = 'createListener';
  if (typeof options.id !== 'string' || options.id === '')
    fail(fn, `id must be a non-empty string, got ${describeValue(options.id)}`);
  checkSeed(fn, options.seed);
  if (!Array.isArray(options.catalog as unknown) || options.catalog.length === 0)
    fail(fn, 'catalog must be a non-empty array of items');
  checkTaste(fn, 'taste', options.taste);
  const changes = [...(options.changes ?? [])];
  changes.forEach((change, i) => {
    if (!Number.isFinite(change.at))
      fail(fn, `changes[${i}].at must be a time in ms since epoch, got ${describeValue(change.at)}`);
    if (i > 0 && change.at < (changes[i - 1] as TasteChange).at)
      fail(fn, `changes must be in increasing order of at; changes[${i}] comes before changes[${i - 1}]`);
    checkTaste(fn, `changes[${i}].taste`, change.taste);
    if (change.driftDays !== undefined && !(change.driftDays >= 0 && Number.isFinite(change.driftDays))) {
      fail(fn, `changes[${i}].driftDays must be a number of days ≥ 0, got ${describeValue(change.driftDays)}`);
    }
  });
  const noise = options.noise ?? 0.15;
  checkRange(fn, 'noise', noise, 0, 10);
  const thumbsRate = options.thumbsRate ?? 0.25;
  checkRange(fn, 'thumbsRate', thumbsRate, 0, 1);
  const likeThreshold = options.likeThreshold ?? 0.5;
  checkRange(fn, 'likeThreshold', likeThreshold, 0.01, 1);
  const dislikeThreshold = options.dislikeThreshold ?? -0.3;
  checkRange(fn, 'dislikeThreshold', dislikeThreshold, -1, 0);
  const tiredAfter = options.tiredAfter ?? 5;
  checkWhole(fn, 'tiredAfter', tiredAfter, 1);
  const tiredWindowMs = (options.tiredWindowDays ?? 7) * DAY_MS;
  checkRange(fn, 'tiredWindowDays', tiredWindowMs / DAY_MS, 0, 36500);
  const trackMs = (options.trackMinutes ?? 4) * 60_000;
  checkRange(fn, 'trackMinutes', trackMs / 60_000, 0, 600);
  const reactsTo = options.reactsTo ?? Infinity;
  if (reactsTo !== Infinity) checkWhole(fn, 'reactsTo', reactsTo, 1);
  const slipRate = options.slipRate ?? 0;
  checkRange(fn, 'slipRate', slipRate, 0, 1);

  const tagsById = new Map<string, readonly string[] | undefined>();
  for (const item of options.catalog) tagsById.set(item.id, item.tags);
  const rng = createRng(options.seed, 'listener', options.id);
  const likedAt = new Map<string, number[]>();

  function tasteAt(at: number): Taste {
    let taste = options.taste;
    for (const change of changes) {
      if (at < change.at) break;
      const drift = (change.driftDays ?? 0) * DAY_MS;
      taste = drift > 0 && at < change.at + drift ? blend(taste, change.taste, (at - change.at) / drift) : change.taste;
    }
    return taste;
  }

  function tagsOf(caller: string, itemId: string): readonly string[] | undefined {
    if (!tagsById.has(itemId)) fail(caller, `item ${JSON.stringify(itemId)} is not in the listener's catalog`);
    return tagsById.get(itemId);
  }

  /** The match as the listener feels it: with noise, or (a slip) a random like or dislike. */
  function felt(itemId: string, taste: Taste): number {
    const u = tasteMatch(tagsOf('listener.react', itemId), taste) + noise * rng.normal();
    // no draw without slips, so listeners without them react exactly as before slips existed
    if (slipRate === 0 || rng.next() >= slipRate) return u;
    return rng.next() < 0.5 ? likeThreshold : dislikeThreshold;
  }

  function reactTo(itemId: string, taste: Taste, at: number): Signal {
    const u = felt(itemId, taste);
    const thumb = rng.next() < thumbsRate;
    if (u >= likeThreshold) {
      const recent = (likedAt.get(itemId) ?? []).filter((t) => t > at - tiredWindowMs);
      if (recent.length >= tiredAfter) {
        likedAt.set(itemId, []);
        return 'tired';
      }
      recent.push(at);
      likedAt.set(itemId, recent);
      return thumb ? 'up' : 'play';
    }
    if (u <= dislikeThreshold) return thumb ? 'down' : 'skip';
    return u > 0 && rng.next() < u / likeThreshold ? 'play' : 'skip';
  }

  return {
    id: options.id,
    likeThreshold,
    changeTimes: changes.map((c) => c.at),
    tasteAt,
    match: (itemId, at) => tasteMatch(tagsOf('listener.match', itemId), tasteAt(at)),
    matchWith: (itemId, taste) => tasteMatch(tagsOf('listener.matchWith', itemId), taste),
    likes: (itemId, at) => tasteMatch(tagsOf('listener.likes', itemId), tasteAt(at)) >= likeThreshold,
    react(items, reactOptions) {
      if (!Array.isArray(items as unknown)) fail('listener.react', 'items must be an array of item ids');
      if (!Number.isFinite(reactOptions.at))
        fail('listener.react', `at must be a time in ms since epoch, got ${describeValue(reactOptions.at)}`);
      for (const id of items) tagsOf('listener.react', id);
      const events: FeedbackEvent[] = [];
      for (let i = 0; i < Math.min(items.length, reactsTo); i++) {
        const at = reactOptions.at + (i + 1) * trackMs;
        const item = items[i] as string;
        const event: FeedbackEvent = { user: options.id, item, signal: reactTo(item, tasteAt(at), at), at };
        if (reactOptions.context !== undefined) event.context = reactOptions.context;
        events.push(event);
      }
      return events;
    },
  };
}

/** Options of {@link shareAccount}. */
export interface SharedAccountOptions {
  /** The person who had the account alone; the account's id is theirs. */
  owner: Listener;
  /** The person who starts listening on the same account at `from`. */
  partner: Listener;
  /** When the partner starts (ms since epoch). */
  from: number;
  /** Share of the sessions from `from` on in which the partner is the one listening. @default 2/3 */
  partnerShare?: number;
  /** Seeds who listens in each session. */
  seed: number | string;
}

/**
 * One account, two people: the owner alone until `from`, then in each
 * session (each `react` call) the partner with probability `partnerShare`,
 * else the owner. Events carry the owner's id. A change of taste at `from`
 * that the account never fully makes: its taste (`tasteAt`, what adaptation
 * is measured against) is the partner's from `from` on, while the owner
 * still listens in some sessions.
 */
export function shareAccount(options: SharedAccountOptions): Listener {
  const fn = 'shareAccount';
  const { owner, partner, from } = options;
  if (typeof owner?.react !== 'function' || typeof partner?.react !== 'function')
    fail(fn, 'owner and partner must be listeners (see createListener)');
  if (!Number.isFinite(from)) fail(fn, `from must be a time in ms since epoch, got ${describeValue(from)}`);
  const partnerShare = options.partnerShare ?? 2 / 3;
  checkRange(fn, 'partnerShare', partnerShare, 0, 1);
  checkSeed(fn, options.seed);
  const rng = createRng(options.seed, 'shared-account', owner.id);
  const tasteAt = (at: number): Taste => (at < from ? owner.tasteAt(at) : partner.tasteAt(at));
  return {
    id: owner.id,
    likeThreshold: owner.likeThreshold,
    changeTimes: [...owner.changeTimes.filter((t) => t < from), from],
    tasteAt,
    match: (itemId, at) => owner.matchWith(itemId, tasteAt(at)),
    matchWith: (itemId, taste) => owner.matchWith(itemId, taste),
    likes: (itemId, at) => owner.matchWith(itemId, tasteAt(at)) >= owner.likeThreshold,
    react(items, reactOptions) {
      const listening = reactOptions.at >= from && rng.next() < partnerShare ? partner : owner;
      return listening.react(items, reactOptions).map((e) => ({ ...e, user: owner.id }));
    },
  };
}
