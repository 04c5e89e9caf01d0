/**
 * The people store the facade sees during one call of attune/redis: the
 * records that call read from Redis, and nothing else. After the call the
 * store tells what became of each (changed, replaced, erased), which is
 * what gets written back.
 */
import type { PersonState } from '../people/person.js';
import type { PeopleStore } from '../people/store.js';

export class CallPeople implements PeopleStore {
  private readonly people = new Map<string, PersonState>();

  get(id: string): PersonState | undefined {
    return this.people.get(id);
  }

  set(person: PersonState): void {
    this.people.set(person.id, person);
  }

  delete(id: string): boolean {
    return this.people.delete(id);
  }

  values(): IterableIterator<PersonState> {
    return this.people.values();
  }

  get size(): number {
    return this.people.size;
  }

  /** Empties the store and returns what it held. */
  drain(): Map<string, PersonState> {
    const out = new Map(this.people);
    this.people.clear();
    return out;
  }
}
