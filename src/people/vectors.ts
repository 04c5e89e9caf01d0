/**
 * Collaborative vectors of people: the exact fold-in of each person's
 * entries against the current item factors. Derived, never stored: solved
 * lazily at the person's next request after their evidence or the model
 * changed (a fold-in is a pure function of both, so lazy and eager agree).
 */
import type { Decay } from '../decay/decay.js';
import { AttuneError } from '../errors.js';
import type { CollaborativeModel, UserEntries } from '../models/collaborative/collaborative.js';
import { personEntries } from './entries.js';
import type { PersonState } from './person.js';

export class PersonVectors {
  private readonly cache = new Map<
    string,
    { model: CollaborativeModel; vector: Float64Array | undefined; entries: UserEntries }
  >();

  /**
   * The person's vector for `model`. A failed solve means non-finite input;
   * the person then falls back on content and popularity until the next
   * train() rather than failing feedback that was already applied.
   */
  get(person: PersonState, model: CollaborativeModel | undefined, decay: Decay): Float64Array | undefined {
    // Nothing to fold in (and nothing kept for ids that never gave feedback).
    if (model === undefined || person.evidence.size === 0) return undefined;
    const cached = this.cache.get(person.id);
    if (cached !== undefined && cached.model === model) return cached.vector;
    const entries = personEntries(person, decay);
    let vector: Float64Array | undefined;
    try {
      vector = model.foldIn(entries);
    } catch (error) {
      if (!(error instanceof AttuneError && error.code === 'NUMERIC_ERROR')) throw error;
      vector = undefined;
    }
    this.cache.set(person.id, { model, vector, entries });
    return vector;
  }

  /** The entries the person's vector was folded in from (read once per change of evidence or model). */
  entries(person: PersonState, model: CollaborativeModel, decay: Decay): UserEntries {
    this.get(person, model, decay);
    return this.cache.get(person.id)?.entries ?? personEntries(person, decay);
  }

  /** The person's evidence changed (or they were erased). */
  invalidate(id: string): void {
    this.cache.delete(id);
  }

  clear(): void {
    this.cache.clear();
  }
}
