/**
 * What a person controls (DESIGN, "Responsible personalisation"): opt-out,
 * consent per sensitive category, muted tags, a new start; undoing one
 * item's feedback; erasure. Each touches only that person's records and
 * their part of shared statistics — O(their items), never a replay.
 */
import { AttuneError, describeValue } from '../errors.js';
import { checkPreferences } from '../feedback/preferences.js';
import { checkUser, readClock } from '../feedback/request.js';
import { removeItem, resetPerson, syncConsent, withdrawPerson } from '../people/learning.js';
import { newWatch } from '../decay/lifeStages.js';
import { newPerson, type PersonState } from '../people/person.js';
import type { Preferences } from '../types.js';
import type { World } from '../world.js';

/** Opt out or in, set consent per sensitive category, mute tags, or start a new life stage. */
export function setPreferences(world: World, user: string, preferences: Preferences): void {
  checkUser('setPreferences', user, false);
  const prefs = checkPreferences(preferences);
  const now = readClock('setPreferences', world.options.now);
  let person = world.people.get(user);
  if (prefs.optOut === true) {
    if (person?.optOut !== true) {
      erase(world, user);
      person = newPerson(user, world.decay);
      person.optOut = true;
      world.people.set(person);
    }
    return;
  }
  if (prefs.optOut === false && person?.optOut === true) {
    world.people.delete(user);
    person = undefined;
  }
  if (person?.optOut === true) return; // opted out: nothing else is kept
  if (person === undefined) world.people.set((person = newPerson(user, world.decay)));
  applyPreferences(world, person, prefs, now);
  // Preferences that leave nothing to keep (`{}`, consent withdrawn from a newcomer) keep no record.
  settle(world, person);
}

function applyPreferences(world: World, person: PersonState, prefs: Preferences, now: number): void {
  const user = person.id;
  world.personChanged(user);
  if (prefs.consent !== undefined) {
    const changed: string[] = [];
    for (const [category, given] of Object.entries(prefs.consent)) {
      if (person.consent.has(category) !== given) changed.push(category);
      if (given) person.consent.add(category);
      else person.consent.delete(category);
    }
    if (changed.length > 0) {
      syncConsent(world.learning, person, changed);
      world.evidenceWithdrawn(user);
    }
  }
  if (prefs.mutedTags !== undefined) person.mutedTags = new Set(prefs.mutedTags);
  if (prefs.reset === true) {
    resetPerson(world.learning, person, prefs.keepBans ?? true, now);
    world.evidenceWithdrawn(user);
  }
  world.popularityChanged();
}

/** Undoes every signal `user` gave on `item`, in every scope. Returns whether anything was removed. */
export function removeFeedback(world: World, user: string, item: unknown): boolean {
  checkUser('removeFeedback', user, false);
  if (typeof item !== 'string')
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `removeFeedback: item must be an item id string, got ${describeValue(item)}`,
    );
  const index = world.catalog.indexOf(item);
  if (index === undefined)
    throw new AttuneError('UNKNOWN_ITEM', `removeFeedback: item ${describeValue(item)} is not in the catalog`);
  const person = world.people.get(user);
  if (person === undefined || !removeItem(world.learning, person, index)) return false;
  settle(world, person);
  world.evidenceWithdrawn(user);
  return true;
}

/**
 * After an undo or a preference: a person without evidence in any scope
 * keeps no detector state about it (the watch observed only what was
 * undone), and a person with nothing left at all — no evidence, stations,
 * consent, muted tags or changes — keeps no record: the state is then
 * exactly the one where nothing was ever given.
 */
export function settle(world: World, person: PersonState): void {
  if (person.optOut) return;
  if (person.evidence.size > 0 || [...person.stations.values()].some((s) => s.evidence.size > 0)) return;
  person.watch = newWatch();
  const blank =
    person.stations.size === 0 &&
    person.consent.size === 0 &&
    person.mutedTags.size === 0 &&
    person.changes.length === 0;
  if (blank) world.people.delete(person.id);
}

/** Erases `user` completely: their record and their part of shared statistics. Returns whether the user was known. */
export function forget(world: World, user: string): boolean {
  checkUser('forget', user, false);
  return erase(world, user);
}

function erase(world: World, user: string): boolean {
  const person = world.people.get(user);
  if (person === undefined) return false;
  withdrawPerson(world.learning, person);
  world.people.delete(user);
  world.evidenceWithdrawn(user);
  return true;
}
