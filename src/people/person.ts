/**
 * Everything attune keeps about one person: their evidence (one record per
 * item), the taste read from it, bans, rests, purchases, consent, opt-out,
 * muted tags, life-stage changes and the watch that detects them, and
 * their stations. A plain record with nothing derived from other people,
 * so that a store (memory, Redis) can hold it; `people/json` gives its
 * JSON form.
 */
import type { Decay } from '../decay/decay.js';
import { Taste } from '../models/content/taste.js';
import { newWatch, type LifeStageChange, type LifeStageWatch } from '../decay/lifeStages.js';
import { EvidenceTable } from './evidenceTable.js';
import type { StationState } from './stations.js';

export interface PersonState {
  id: string;
  optOut: boolean;
  /** Sensitive categories the person consented to. */
  consent: Set<string>;
  mutedTags: Set<string>;
  /** Requests served, keying this person's random draws. */
  draws: number;
  /** Events held in the records (for the profile). */
  events: number;
  /** item → evidence; an item with any feedback has a record. */
  evidence: EvidenceTable;
  /** Tag statistics: the sum of the learned records. */
  taste: Taste;
  /** item → time of the thumbs-down (never recommended until removeFeedback). */
  banned: Map<number, number>;
  /** item → until (ms) for `tired`. */
  rests: Map<number, number>;
  /** item → purchase time (the item is never recommended again; its category is held back a while). */
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
    draws: 0,
    events: 0,
    evidence: new EvidenceTable(),
    taste: new Taste(decay),
    banned: new Map(),
    rests: new Map(),
    purchases: new Map(),
    changes: [],
    watch: newWatch(),
    stations: new Map(),
  };
}
