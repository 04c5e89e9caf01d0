import type { Context, Signal } from '../types.js';
import { TasteModel, type Increment } from '../models/content/tasteModel.js';

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
  /** Life-stage detector state (owned by the recommender). */
  detector: unknown;
  /** Until when exploration is raised after a change. */
  exploreBoostUntil: number;
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
    detector: undefined,
    exploreBoostUntil: -Infinity,
  };
}
