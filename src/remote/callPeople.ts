/**
 * The people store the use cases see during one call of a store-backed
 * front: the records that call read from the store, and nothing else. After the call the
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
