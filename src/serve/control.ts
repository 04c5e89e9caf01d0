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
import { newPerson } from '../people/person.js';
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
  world.evidenceWithdrawn(user);
  return true;
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
