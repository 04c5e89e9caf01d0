/**
 * Collaborative vectors of stations: the fold-in of each station's entries
 * (see people/stationEntries) against the current item factors. Derived,
 * never stored, solved lazily like a person's own vector and kept while
 * the model and the person's own vector are the same objects — the
 * person's vector is re-solved after any change to their evidence, so a
 * station's is too. A change of seeds forgets the station's vector.
 */
import { AttuneError } from '../errors.js';
import type { CollaborativeModel, UserEntries } from '../models/collaborative/collaborative.js';

interface Cached {
  model: CollaborativeModel;
  base: Float64Array | undefined;
  vector: Float64Array | undefined;
}

export class StationVectors {
  private readonly cache = new Map<string, Map<string, Cached>>();

  /**
   * The station's vector for `model`; `base` is the person's own current
   * vector (the key of validity), `entries` the station's entries. A failed
   * solve (non-finite input) falls back on no vector until the next change.
   */
  get(
    user: string,
    station: string,
    model: CollaborativeModel,
    base: Float64Array | undefined,
    entries: () => UserEntries,
  ): Float64Array | undefined {
    let byStation = this.cache.get(user);
    if (byStation === undefined) this.cache.set(user, (byStation = new Map()));
    const cached = byStation.get(station);
    if (cached !== undefined && cached.model === model && cached.base === base) return cached.vector;
    let vector: Float64Array | undefined;
    try {
      vector = model.foldIn(entries());
    } catch (error) {
      if (!(error instanceof AttuneError && error.code === 'NUMERIC_ERROR')) throw error;
      vector = undefined;
    }
    byStation.set(station, { model, base, vector });
    return vector;
  }

  /** The station's seeds changed, or it was removed. */
  invalidate(user: string, station: string): void {
    this.cache.get(user)?.delete(station);
  }

  /** The person was erased: nothing keyed by them remains. */
  forget(user: string): void {
    this.cache.delete(user);
  }

  clear(): void {
    this.cache.clear();
  }
}
