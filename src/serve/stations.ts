/**
 * Stations (Pandora) as a person manages them: create, widen with seeds,
 * list, remove. A station is a scope of its person (people/scope), so
 * everything else — learning, scoring, reasons, erasure — is the person's
 * code with the station as the scope.
 */
import { MAX_SEEDS_PER_STATION, MAX_STATION_NAME_LENGTH, MAX_STATIONS_PER_PERSON } from '../constants.js';
import { AttuneError, describeValue } from '../errors.js';
import { checkUser, readClock } from '../feedback/request.js';
import { consented } from '../people/contribution.js';
import { withdrawStation } from '../people/learning.js';
import { newPerson, type PersonState } from '../people/person.js';
import { checkSeeds, newSeeds, newStation, seedToPublic, type SeedRef, type StationState } from '../people/stations.js';
import type { Station, StationOptions, StationSeed } from '../types.js';
import type { World } from '../world.js';
import { settle } from './control.js';
import { stationOf } from './view.js';

/** The options `createStation` knows (a misspelt one is refused, not ignored). */
const STATION_KEYS: readonly string[] = ['id', 'name', 'seeds'];

/**
 * Creates a station for `user`. Refuses a duplicate id (`DUPLICATE_STATION`),
 * an unknown item (`UNKNOWN_ITEM`), a tag no item has (`UNKNOWN_TAG`), a
 * sensitive item seed without consent and an opted-out user
 * (`INVALID_ARGUMENT`), more stations, seeds or name than the caps allow
 * (`LIMIT_EXCEEDED`); nothing changes then.
 */
export function createStation(world: World, user: string, options: StationOptions): Station {
  const api = 'createStation';
  checkUser(api, user, false);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: options must be an object { id, name?, seeds }, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options))
    if (!STATION_KEYS.includes(key))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: unknown option ${describeValue(key)}; a station has ${STATION_KEYS.join(', ')}`,
      );
  const { id, name = options.id } = options;
  if (typeof id !== 'string' || id === '')
    throw new AttuneError('INVALID_ARGUMENT', `${api}: id must be a non-empty string, got ${describeValue(id)}`);
  if (typeof name !== 'string' || name === '')
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: name must be a non-empty string when given, got ${describeValue(name)}`,
    );
  if (name.length > MAX_STATION_NAME_LENGTH)
    throw new AttuneError(
      'LIMIT_EXCEEDED',
      `${api}: a station name (the id when no name is given) has at most ${MAX_STATION_NAME_LENGTH} characters, got ${name.length}; give a shorter name`,
    );
  const stored = world.people.get(user);
  if (stored?.optOut === true) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `${api}: user ${describeValue(user)} has opted out and attune keeps nothing about them; opt in first with setPreferences(user, { optOut: false })`,
    );
  }
  if (stored?.stations.has(id) === true)
    throw new AttuneError(
      'DUPLICATE_STATION',
      `${api}: user ${describeValue(user)} already has a station ${describeValue(id)}; pick another id or add seeds with addStationSeeds`,
    );
  if ((stored?.stations.size ?? 0) >= MAX_STATIONS_PER_PERSON)
    throw new AttuneError(
      'LIMIT_EXCEEDED',
      `${api}: user ${describeValue(user)} already has ${MAX_STATIONS_PER_PERSON} stations, the most a person may have; remove one with removeStation first`,
    );
  const seeds = seedsWithin(api, [], checkStationSeeds(world, api, options.seeds, stored));
  const now = readClock(api, world.options.now);
  let person = stored;
  if (person === undefined) world.people.set((person = newPerson(user, world.decay)));
  const station = newStation(id, name, seeds, now, world.decay);
  person.stations.set(id, station);
  return stationInfo(world, station);
}

/** "Add variety": widens a station with more seeds (seeds it already has are ignored). Returns the station. */
export function addStationSeeds(world: World, user: string, station: string, seeds: StationSeed[]): Station {
  const api = 'addStationSeeds';
  checkUser(api, user, false);
  const person = world.people.get(user);
  const target = stationOf(api, user, person, station);
  const checked = checkStationSeeds(world, api, seeds, person);
  target.seeds.push(...seedsWithin(api, target.seeds, checked));
  world.stationChanged(user, station);
  return stationInfo(world, target);
}

/** The user's stations in creation order, with their seeds (an unknown user has none). */
export function stations(world: World, user: string): Station[] {
  checkUser('stations', user, false);
  const person = world.people.get(user);
  return person === undefined ? [] : [...person.stations.values()].map((s) => stationInfo(world, s));
}

/**
 * Removes a station and the feedback given on it: its records and bans,
 * and their part of the person's taste and of shared statistics. O(the
 * station's items). An unknown station is `UNKNOWN_STATION`.
 */
export function removeStation(world: World, user: string, station: string): void {
  checkUser('removeStation', user, false);
  const person = world.people.get(user);
  const target = stationOf('removeStation', user, person, station);
  withdrawStation(world.learning, person!, target);
  person!.stations.delete(station);
  settle(world, person!);
  world.stationChanged(user, station);
  world.evidenceWithdrawn(user);
}

function stationInfo(world: World, s: StationState): Station {
  return {
    id: s.id,
    name: s.name,
    seeds: s.seeds.map((seed) => seedToPublic(world.catalog, seed)),
    created: s.created,
    events: s.events,
    banned: [...s.banned.keys()].map((i) => world.catalog.ids[i]!),
  };
}

/** The seeds of `seeds` a station with `existing` does not have yet; `LIMIT_EXCEEDED` past the cap. */
function seedsWithin(api: string, existing: readonly SeedRef[], seeds: readonly SeedRef[]): SeedRef[] {
  const added = newSeeds(existing, seeds);
  if (existing.length + added.length > MAX_SEEDS_PER_STATION)
    throw new AttuneError(
      'LIMIT_EXCEEDED',
      `${api}: a station holds at most ${MAX_SEEDS_PER_STATION} seeds; this would make ${existing.length + added.length}`,
    );
  return added;
}

function checkStationSeeds(world: World, api: string, raw: unknown, person: PersonState | undefined): SeedRef[] {
  const { catalog } = world;
  const seeds = checkSeeds(api, raw, catalog);
  seeds.forEach((seed, i) => {
    if (!('item' in seed) || catalog.itemSensitive[seed.item]!.length === 0) return;
    if (person === undefined || !consented(catalog, person, seed.item)) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: seeds[${i}].item ${describeValue(catalog.ids[seed.item])} is sensitive (${catalog.itemSensitive[seed.item]!.join(', ')}); the user must consent first with setPreferences`,
      );
    }
  });
  return seeds;
}
