/**
 * A scope of a person: where evidence is kept and what is learned from it.
 * The person overall is the outer scope; each of their stations is an inner
 * one (see people/stations). Every scope holds the same things — one
 * evidence record per item given feedback in it, the taste read from those
 * records, the items turned down in it, and how many events it received —
 * so learning, entries, blending and reasons are written once over scopes.
 */
import type { Decay } from '../decay/decay.js';
import { Taste } from '../models/content/taste.js';
import { EvidenceTable } from './evidenceTable.js';

export interface Scope {
  /** item → evidence given in this scope; an item with any feedback here has a record. */
  evidence: EvidenceTable;
  /** The sum of the scope's learned records. */
  taste: Taste;
  /** item → time of the thumbs-down given in this scope (never recommended in it again). */
  banned: Map<number, number>;
  /**
   * item → until (ms) of the `tired` given in this scope. A rest holds in every scope of the person
   * (see {@link restUntil}); it is kept where it was given so that removing a station takes its rests.
   */
  rests: Map<number, number>;
  /**
   * item → time of the latest purchase given in this scope. A purchase is the person's wherever it was
   * given (see {@link purchasesOf}); it is kept where it was given so that removing a station takes it.
   */
  purchases: Map<number, number>;
  /** Events given in this scope. */
  events: number;
}

export function newScope(decay: Decay): Scope {
  return {
    evidence: new EvidenceTable(),
    taste: new Taste(decay),
    banned: new Map(),
    rests: new Map(),
    purchases: new Map(),
    events: 0,
  };
}
