/**
 * The people store the facade sees during one call of attune/redis: the
 * records that call read from Redis, and nothing else. After the call the
 * store tells what became of each (changed, replaced, erased), which is
 * what gets written back.
 */
import type { PersonState } from '../people/person.js';
import { MemoryPeopleStore } from '../people/store.js';

export class CallPeople extends MemoryPeopleStore {
  /** Empties the store and returns what it held. */
  drain(): Map<string, PersonState> {
    const out = new Map([...this.values()].map((p) => [p.id, p]));
    for (const id of out.keys()) this.delete(id);
    return out;
  }
}
