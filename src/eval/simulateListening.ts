/**
 * Runs a recommender against simulated listeners, session after session,
 * and reports how well it follows them: the share of each list they liked,
 * the share that fits their current taste, and how many sessions it takes to
 * catch up after their taste changes.
 *
 * Works with anything shaped like attune's recommender (see
 * {@link ListeningRecommender}), so candidate policies can be compared on
 * the same simulated audience.
 */
import type { Context, FeedbackEvent } from '../types.js';
import { DAY_MS } from '../decay/decay.js';
import { describeValue } from '../errors.js';
import type { Listener, Taste } from './listener.js';
import { logExposures, type ExposureLogRecord, type RewardOptions, type ShownItem } from './logging.js';
import { checkWhole, fail } from './validate.js';

/** The part of a recommender the simulation drives (attune's `Recommender` fits). */
export interface ListeningRecommender {
  recommend(
    user: string,
    options: { count: number; at: number; context?: Context; includeSeen?: boolean },
  ): readonly ShownItem[];
  feedback(events: FeedbackEvent[]): unknown;
}

/** Options of {@link simulateListening}. */
export interface SimulateListeningOptions {
  recommender: ListeningRecommender;
  listeners: readonly Listener[];
  /** Sessions per listener. */
  sessions: number;
  /** Time of the first session (ms since epoch). @default Date.UTC(2024, 0, 1) */
  start?: number;
  /** Time between sessions. @default one day */
  sessionGapMs?: number;
  /** Items per list. @default 10 */
  count?: number;
  /** Positions that count for `matchShare` and adaptation. @default 10 */
  topK?: number;
  /** Share of the top k the new taste must fill for the recommender to have adapted. @default 0.6 */
  adaptedShare?: number;
  /**
   * Passed to `recommend`: a station replays songs the listener already
   * reacted to (thumbs-down and resting `tired` songs stay out regardless). @default true
   */
  includeSeen?: boolean;
  /**
   * Called with the simulated time before each request and each feedback
   * batch, so a recommender with an injectable clock (`now`) can follow the
   * simulation: `let t = 0; createRecommender({ now: () => t })` with
   * `clock: (at) => { t = at; }`.
   */
  clock?: (at: number) => void;
  /** Context of each request. @default none */
  context?: (listener: Listener, session: number, at: number) => Context;
  /** Keep an exposure log of every shown item (for off-policy evaluation). @default false */
  log?: boolean;
  /** Signal → reward mapping of the log. @default the defaults of `logExposures` */
  rewards?: RewardOptions;
}

/** How long the recommender took to follow one change of taste. */
export interface Adaptation {
  listener: string;
  /** When the change started. */
  changeAt: number;
  /** The first session at or after the change. */
  firstSession: number;
  /**
   * Sessions of feedback after the change before a list's top k held at
   * least `adaptedShare` songs the new taste likes (0: the first list after
   * the change already did); `null` if that never happened.
   */
  sessionsToAdapt: number | null;
}

/** What {@link simulateListening} returns. Per-session arrays are means over listeners. */
export interface ListeningReport {
  /** Time of each session. */
  sessionTimes: number[];
  /** Share of each list the listener reacted to positively (`up`, `play`, `purchase`). */
  likedShare: number[];
  /** Share of each list's top k the listener likes under their taste of that moment (no noise). */
  matchShare: number[];
  /** Share of each list shown by exploration. */
  exploredShare: number[];
  /** One entry per listener and taste change that falls within the sessions. */
  adaptations: Adaptation[];
  /** Mean of `sessionsToAdapt` over the changes the recommender adapted to; null if none. */
  meanSessionsToAdapt: number | null;
  /** Share of changes adapted to within the simulation; null if there were none. */
  adaptedRate: number | null;
  /** Every exposure, when `log` was set; else empty. */
  log: ExposureLogRecord[];
}

const POSITIVE = new Set(['up', 'play', 'purchase']);

/** The time of session `session` under the options' start and gap. */
export function sessionTime(session: number, options: { start?: number; sessionGapMs?: number } = {}): number {
  return (options.start ?? Date.UTC(2024, 0, 1)) + session * (options.sessionGapMs ?? DAY_MS);
}

function shareOf(items: readonly string[], k: number, test: (item: string) => boolean): number {
  const n = Math.min(k, items.length);
  if (n === 0) return 0;
  let hits = 0;
  for (let i = 0; i < n; i++) if (test(items[i] as string)) hits++;
  return hits / n;
}

/**
 * Runs `sessions` sessions for every listener: in each, the recommender is
 * asked for a list at the session time, the listener reacts to it, and the
 * reactions are fed back as one batch. Listeners take turns within a
 * session, in the order given.
 */
export function simulateListening(options: SimulateListeningOptions): ListeningReport {
  const fn = 'simulateListening';
  const { recommender, listeners, sessions } = options;
  if (typeof recommender?.recommend !== 'function' || typeof recommender.feedback !== 'function') {
    fail(fn, 'recommender must have recommend(user, options) and feedback(events) methods');
  }
  if (!Array.isArray(listeners as unknown) || listeners.length === 0)
    fail(fn, 'listeners must be a non-empty array (see createListener)');
  checkWhole(fn, 'sessions', sessions, 1);
  const count = options.count ?? 10;
  checkWhole(fn, 'count', count, 1);
  const includeSeen = options.includeSeen ?? true;
  const topK = options.topK ?? 10;
  checkWhole(fn, 'topK', topK, 1);
  const adaptedShare = options.adaptedShare ?? 0.6;
  if (!(adaptedShare > 0 && adaptedShare <= 1))
    fail(fn, `adaptedShare must be in (0, 1], got ${describeValue(adaptedShare)}`);
  const timing = { start: options.start ?? Date.UTC(2024, 0, 1), sessionGapMs: options.sessionGapMs ?? DAY_MS };
  if (!Number.isFinite(timing.start))
    fail(fn, `start must be a time in ms since epoch, got ${describeValue(timing.start)}`);
  if (!(timing.sessionGapMs > 0))
    fail(fn, `sessionGapMs must be a positive number of ms, got ${describeValue(timing.sessionGapMs)}`);

  const report: ListeningReport = {
    sessionTimes: [],
    likedShare: new Array<number>(sessions).fill(0),
    matchShare: new Array<number>(sessions).fill(0),
    exploredShare: new Array<number>(sessions).fill(0),
    adaptations: [],
    meanSessionsToAdapt: null,
    adaptedRate: null,
    log: [],
  };
  for (let s = 0; s < sessions; s++) report.sessionTimes.push(sessionTime(s, timing));

  // open adaptations per listener, with the taste each change leads to
  const pending = listeners.map((listener) =>
    listener.changeTimes
      .map((changeAt) => ({ changeAt, firstSession: report.sessionTimes.findIndex((t) => t >= changeAt) }))
      .filter((c) => c.firstSession >= 0)
      .map((c) => ({
        ...c,
        target: finalTaste(listener, c.changeAt),
        adaptation: undefined as Adaptation | undefined,
      })),
  );

  for (let s = 0; s < sessions; s++) {
    const at = report.sessionTimes[s] as number;
    listeners.forEach((listener, l) => {
      const context = options.context?.(listener, s, at);
      const request = context === undefined ? { count, at, includeSeen } : { count, at, context, includeSeen };
      options.clock?.(at);
      const shown = recommender.recommend(listener.id, request);
      const items = shown.map((r) => r.item);
      const events = listener.react(items, context === undefined ? { at } : { at, context });
      if (events.length > 0) {
        options.clock?.((events[events.length - 1] as FeedbackEvent).at ?? at);
        recommender.feedback(events);
      }

      const liked = events.filter((e) => POSITIVE.has(e.signal)).length;
      report.likedShare[s] = (report.likedShare[s] as number) + (events.length === 0 ? 0 : liked / events.length);
      const taste = listener.tasteAt(at); // once per list: during a drift, tasteAt blends two tastes on every call
      report.matchShare[s] =
        (report.matchShare[s] as number) +
        shareOf(items, topK, (item) => listener.matchWith(item, taste) >= listener.likeThreshold);
      report.exploredShare[s] =
        (report.exploredShare[s] as number) +
        (shown.length === 0 ? 0 : shown.filter((r) => r.explored).length / shown.length);
      for (const change of pending[l] ?? []) {
        if (s < change.firstSession || change.adaptation?.sessionsToAdapt != null) continue;
        change.adaptation ??= {
          listener: listener.id,
          changeAt: change.changeAt,
          firstSession: change.firstSession,
          sessionsToAdapt: null,
        };
        const share = shareOf(items, topK, (item) => listener.matchWith(item, change.target) >= listener.likeThreshold);
        if (share >= adaptedShare) change.adaptation.sessionsToAdapt = s - change.firstSession;
      }
      if (options.log === true)
        report.log.push(
          ...logExposures(
            shown,
            context === undefined ? { user: listener.id, at } : { user: listener.id, at, context },
            events,
            options.rewards ?? {},
          ),
        );
    });
    report.likedShare[s] = (report.likedShare[s] as number) / listeners.length;
    report.matchShare[s] = (report.matchShare[s] as number) / listeners.length;
    report.exploredShare[s] = (report.exploredShare[s] as number) / listeners.length;
  }

  for (const changes of pending)
    for (const change of changes) if (change.adaptation !== undefined) report.adaptations.push(change.adaptation);
  const adapted = report.adaptations.filter((a) => a.sessionsToAdapt !== null);
  if (report.adaptations.length > 0) report.adaptedRate = adapted.length / report.adaptations.length;
  if (adapted.length > 0)
    report.meanSessionsToAdapt = adapted.reduce((sum, a) => sum + (a.sessionsToAdapt as number), 0) / adapted.length;
  return report;
}

/**
 * The taste a change leads to: the listener's taste once the change (and any
 * drift) is complete, or just before the next change if that comes first.
 */
function finalTaste(listener: Listener, changeAt: number): Taste {
  const next = listener.changeTimes.find((t) => t > changeAt);
  // far enough for any drift to end, but before the next change
  const probe = next === undefined ? changeAt + 100 * 365 * DAY_MS : next - 1;
  return listener.tasteAt(probe);
}
