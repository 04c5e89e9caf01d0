/**
 * One request's view of one person: the scope asked for (the person, or
 * one of their stations), the lens its score reads through (score/lens),
 * and the collaborative vector of that scope. Plain lists and stations
 * differ only here.
 */
import { AttuneError, describeValue } from '../errors.js';
import type { PersonState } from '../people/person.js';
import type { StationState } from '../people/stations.js';
import type { Solved } from '../people/vectors.js';
import type { Lens } from '../score/blend.js';
import { personLens, stationLens } from '../score/lens.js';
import type { World } from '../world.js';

export interface View {
  person: PersonState;
  /** The person's own time for this request (their evidence is read at it; see Decay.personNow). */
  personNow: number;
  station: StationState | undefined;
  lens: Lens;
  /** The scope's collaborative vector and its entries (undefined without a model or evidence). */
  collaborative: Solved | undefined;
}

export function viewOf(world: World, person: PersonState, station: StationState | undefined, at: number): View {
  const personNow = world.decay.personNow(person.clock, at);
  if (station === undefined)
    return {
      person,
      personNow,
      station,
      lens: personLens(person, personNow),
      collaborative: world.personVector(person),
    };
  const own = world.stationVector(person, station);
  return {
    person,
    personNow,
    station,
    lens: stationLens(world.catalog, person, station, personNow, own !== undefined),
    // Until the station has entries of its own, the person's vector stands in for it.
    collaborative: own ?? world.personVector(person),
  };
}

/** The station `id` of `user`, or `UNKNOWN_STATION` (`INVALID_ARGUMENT` for a malformed id). */
export function stationOf(
  api: string,
  user: string | undefined,
  person: PersonState | undefined,
  id: unknown,
): StationState {
  if (typeof id !== 'string' || id === '')
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: station must be a station id (a non-empty string), got ${describeValue(id)}`,
    );
  const station = person?.stations.get(id);
  if (station === undefined) {
    const who =
      user === undefined
        ? 'a guest has no stations'
        : `user ${describeValue(user)} has no station ${describeValue(id)}`;
    throw new AttuneError('UNKNOWN_STATION', `${api}: ${who}; create it with createStation first`);
  }
  return station;
}
