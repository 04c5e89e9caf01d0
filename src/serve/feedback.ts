/**
 * The `feedback` use case: validate every event first (a batch is
 * all-or-nothing), then learn from each in its person's scopes
 * (people/learning), in time order. Feedback of an opted-out person is neither learned
 * nor stored.
 */
import { checkEvent } from '../feedback/validate.js';
import { readClock } from '../feedback/request.js';
import { applyEvent } from '../people/learning.js';
import { newPerson } from '../people/person.js';
import type { FeedbackEvent } from '../types.js';
import type { World } from '../world.js';
import { stationOf } from './view.js';

export function feedback(world: World, events: FeedbackEvent | readonly FeedbackEvent[]): void {
  const o = world.options;
  const now = readClock('feedback', o.now);
  const batch = Array.isArray(events);
  const list: readonly unknown[] = batch ? (events as readonly unknown[]) : [events];
  const where = (i: number) => (batch ? `feedback: events[${i}]` : 'feedback: event');
  // Array.from visits holes ([a, , b]) as undefined, which checkEvent refuses: a batch is all-or-nothing.
  const checked = Array.from(list, (e, i) => checkEvent(e, where(i), world.catalog, now, o.protectedAttributes));
  checked.forEach((e, i) => {
    const person = world.people.get(e.user);
    // Feedback of an opted-out person is dropped whole, station or not.
    if (e.station !== undefined && person?.optOut !== true) stationOf(where(i), e.user, person, e.station);
  });
  // A batch is learned in time order (stable for equal times), so the order of its array does not
  // matter: a person's own clock counts their pauses as they happened (Decay.personTime).
  checked.sort((a, b) => a.at - b.at);
  let changed = false;
  for (const e of checked) {
    let person = world.people.get(e.user);
    if (person?.optOut === true) continue;
    if (person === undefined) world.people.set((person = newPerson(e.user, world.decay)));
    world.personChanged(e.user);
    changed = applyEvent(world.learning, person, e) || changed;
  }
  if (changed) world.popularityChanged();
}
