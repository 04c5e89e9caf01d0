import type { Context, Signal } from '../types.js';
import { TasteModel, type Increment } from '../models/content/tasteModel.js';
import { GlrChangeDetector } from '../decay/changeDetection.js';
import { LIFE_STAGE_DETECTOR_DELTA, LIFE_STAGE_HISTORY } from '../constants.js';

/** One retained feedback event of a user. */
export interface StoredEvent {
  /** Arrival order across all users; replays follow it. */
  seq: number;
  item: number;
  signal: Signal;
  at: number;
  weight: number;
  context: Context | undefined;
  /** What this event added to the user's taste (empty when it taught nothing). */
  increments: Increment[];
  /** Whether the event was learned from (consent, signal). */
  learned: boolean;
}

/** A detected or requested change of life stage. */
export interface LifeStageChange {
  at: number;
  cause: 'detected' | 'requested';
  /** How much old evidence was kept (0–1). */
  kept: number;
}

/** Until when exploration stays raised after the user's latest change. */
export function exploreBoostUntil(user: UserState, boostMs: number): number {
  let until = -Infinity;
  for (const c of user.changes) until = Math.max(until, c.at + boostMs);
  return until;
}

/** Everything attune keeps about one user. Rebuilt from `events` by replay. */
export interface UserState {
  id: string;
  events: StoredEvent[];
  taste: TasteModel;
  /** item → time of the thumbs-down (banned until removeFeedback). */
  banned: Map<number, number>;
  /** item → until (ms) for `tired`. */
  snoozed: Map<number, number>;
  /** item → purchase time (the item itself is never recommended again). */
  purchased: Map<number, number>;
  /** tag index → until (ms): category hold-back after a purchase. */
  heldTags: Map<number, number>;
  /** items with any feedback. */
  seen: Set<number>;
  optOut: boolean;
  consent: Map<string, boolean>;
  mutedTags: Set<string>;
  /** Requests served, keying this user's random draws. */
  draws: number;
  changes: LifeStageChange[];
  /** Fades applied to old evidence (life-stage changes), for faithful attribution. */
  fades: { seq: number; factor: number }[];
  /** Life-stage watch, derived by replay (never stored). */
  watch: LifeStageWatch;
  /** Collaborative vector: the exact fold-in of this user's entries (derived, never stored). */
  factors: Float64Array | undefined;
  /** The collaborative model `factors` was solved against (stale when it differs from the current one). */
  factorsModel: unknown;
}

/** Per-user state of the life-stage detector. */
export interface LifeStageWatch {
  detector: GlrChangeDetector;
  /** Labelled events learned so far (the detector listens only after a warm-up). */
  learned: number;
  /** Surprise since the detector last restarted: sum and count. */
  sum: number;
  count: number;
  /** The most recent surprises (newest last). */
  recent: number[];
}

export function newUserState(id: string, halfLifeMs: number): UserState {
  return {
    id,
    events: [],
    taste: new TasteModel(halfLifeMs),
    banned: new Map(),
    snoozed: new Map(),
    purchased: new Map(),
    heldTags: new Map(),
    seen: new Set(),
    optOut: false,
    consent: new Map(),
    mutedTags: new Set(),
    draws: 0,
    changes: [],
    fades: [],
    watch: newWatch(),
    factors: undefined,
    factorsModel: undefined,
  };
}

export function newWatch(): LifeStageWatch {
  return {
    detector: new GlrChangeDetector({ delta: LIFE_STAGE_DETECTOR_DELTA, model: 'bernoulli', maxHistory: LIFE_STAGE_HISTORY, minSamples: 6 }),
    learned: 0,
    sum: 0,
    count: 0,
    recent: [],
  };
}
