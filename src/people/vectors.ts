/**
 * Collaborative vectors of scopes: the exact fold-in of a scope's entries
 * against the current item factors. Derived, never stored: solved lazily at
 * the next request after the scope's evidence or the model changed (a
 * fold-in is a pure function of both, so lazy and eager agree).
 *
 * A person's vector is kept while the model is the same; a station's while
 * the model and the person's own vector are the same objects — the person's
 * vector is re-solved after any change to their evidence (a station event
 * reaches the person too), so a station's is too. A change of seeds forgets
 * the station's vector.
 */
import { AttuneError } from '../errors.js';
import type { CollaborativeModel, UserEntries } from '../models/collaborative/collaborative.js';

/** One solved vector: undefined when the solve failed (non-finite input) or there was nothing to fold in. */
export interface Solved {
  vector: Float64Array | undefined;
  entries: UserEntries;
}

interface Cached extends Solved {
  model: CollaborativeModel;
  /** For a station: the person's vector it was solved beside (the key of validity). */
  base?: Float64Array | undefined;
}

export class ScopeVectors {
  private readonly cache = new Map<string, { own?: Cached; stations: Map<string, Cached> }>();

  /**
   * The person's own vector, folded in from `entries()` when not cached. A
   * failed solve (non-finite input) falls back on no vector — the person is
   * then served from content and popularity until the next change — rather
   * than failing feedback that was already applied.
   */
  person(id: string, model: CollaborativeModel, entries: () => UserEntries): Solved {
    const slot = this.slot(id);
    if (slot.own?.model !== model) slot.own = { model, ...solve(model, entries()) };
    return slot.own;
  }

  /** A station's vector, kept while the model and the person's vector `base` are the same. */
  station(
    id: string,
    station: string,
    model: CollaborativeModel,
    base: Float64Array | undefined,
    entries: () => UserEntries,
  ): Solved {
    const slot = this.slot(id);
    const cached = slot.stations.get(station);
    if (cached !== undefined && cached.model === model && cached.base === base) return cached;
    const solved: Cached = { model, base, ...solve(model, entries()) };
    slot.stations.set(station, solved);
    return solved;
  }

  private slot(id: string) {
    let slot = this.cache.get(id);
    if (slot === undefined) this.cache.set(id, (slot = { stations: new Map() }));
    return slot;
  }

  /** The person's evidence changed: their own vector and so every station's. */
  invalidate(id: string): void {
    this.cache.delete(id);
  }

  /** A station's seeds changed, or it was removed. */
  invalidateStation(id: string, station: string): void {
    this.cache.get(id)?.stations.delete(station);
  }

  clear(): void {
    this.cache.clear();
  }
}

function solve(model: CollaborativeModel, entries: UserEntries): Solved {
  try {
    return { vector: model.foldIn(entries), entries };
  } catch (error) {
    if (!(error instanceof AttuneError && error.code === 'NUMERIC_ERROR')) throw error;
    return { vector: undefined, entries };
  }
}
