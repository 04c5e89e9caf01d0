/** The `profile` use case: what attune knows about a person, in words (see profile/describe). */
import { tagPhrase } from '../catalog/catalog.js';
import { DAY_MS } from '../decay/decay.js';
import { checkUser, readClock } from '../feedback/request.js';
import { heldTags } from '../people/holds.js';
import { describeProfile, type Profile } from '../profile/describe.js';
import type { World } from '../world.js';

export function profile(world: World, user: string): Profile {
  checkUser('profile', user, false);
  const now = readClock('profile', world.options.now);
  const person = world.people.get(user);
  const { holdBackMs, holdBackFacets } = world.holds;
  const held =
    person === undefined ? new Map<number, number>() : heldTags(world.catalog, person, holdBackMs, holdBackFacets);
  const personNow = person === undefined ? now : world.decay.personNow(person.clock, now);
  return describeProfile(
    world.catalog,
    person,
    user,
    now,
    personNow,
    tagPhrase,
    held,
    world.options.tiredDays * DAY_MS,
  );
}
