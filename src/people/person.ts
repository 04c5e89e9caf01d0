/**
 * Everything attune keeps about one person: their evidence (one record per
 * item), the taste read from it, bans, rests, purchases, consent, opt-out,
 * muted tags, life-stage changes and the watch that detects them, and
 * their stations. A plain record with nothing derived from other people,
 * so that a store (memory, Redis) can hold it; `people/json` gives its
 * JSON form.
 */
import { newClock, type Decay, type PersonClock } from '../decay/decay.js';
import { newWatch, type LifeStageChange, type LifeStageWatch } from '../decay/lifeStages.js';
import { newScope, type Scope } from './scope.js';
import type { StationState } from './stations.js';

/** The person's own scope (evidence, taste, bans person-wide) and everything else kept about them. */
export interface PersonState extends Scope {
  id: string;
  optOut: boolean;
  /** Sensitive categories the person consented to. */
  consent: Set<string>;
  mutedTags: Set<string>;
  /** The person's own clock: their evidence ages on their own time (see Decay.personTime). */
  clock: PersonClock;
  /** Requests served, keying this person's random draws. */
  draws: number;
  /** item → until (ms) of the `tired` given off any station (a station keeps its own: see {@link restUntil}). */
  rests: Map<number, number>;
  /**
   * item → time of the latest purchase given off any station (a station keeps its own: see
   * {@link purchasesOf}). A purchased item is never recommended again; its category is held back a while.
   */
  purchases: Map<number, number>;
  changes: LifeStageChange[];
  watch: LifeStageWatch;
  /** station id → station, in creation order (see people/stations). */
  stations: Map<string, StationState>;
}

export function newPerson(id: string, decay: Decay): PersonState {
  return {
    id,
    optOut: false,
    consent: new Set(),
    mutedTags: new Set(),
    clock: newClock(),
    draws: 0,
    ...newScope(decay),
    changes: [],
    watch: newWatch(),
    stations: new Map(),
  };
}

/** When the person's rest of `item` ends (the latest rest given in any of their scopes), or undefined when never rested. */
export function restUntil(person: PersonState, item: number): number | undefined {
  let until = person.rests.get(item) ?? -Infinity;
  for (const station of person.stations.values()) until = Math.max(until, station.rests.get(item) ?? -Infinity);
  return until === -Infinity ? undefined : until;
}

/** Every rest of the person (item → the latest until over their scopes). O(rests). */
export function restsOf(person: PersonState): Map<number, number> {
  if (person.stations.size === 0) return person.rests;
  const out = new Map(person.rests);
  for (const station of person.stations.values())
    for (const [item, until] of station.rests) out.set(item, Math.max(out.get(item) ?? -Infinity, until));
  return out;
}

/** Every purchase of the person (item → the latest time over their scopes). O(purchases). */
export function purchasesOf(person: PersonState): Map<number, number> {
  if (person.stations.size === 0) return person.purchases;
  const out = new Map(person.purchases);
  for (const station of person.stations.values())
    for (const [item, at] of station.purchases) out.set(item, Math.max(out.get(item) ?? -Infinity, at));
  return out;
}
