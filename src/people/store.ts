/**
 * The store boundary: where person records live. The in-memory store is the
 * embedded default; another store (Redis, in `attune/redis`) holds the same
 * plain records (see people/json for their serialised form).
 */
import type { PersonState } from './person.js';

export interface PeopleStore {
  get(id: string): PersonState | undefined;
  set(person: PersonState): void;
  delete(id: string): boolean;
  /** Every person, in the order they were first stored. */
  values(): IterableIterator<PersonState>;
  readonly size: number;
}

export class MemoryPeopleStore implements PeopleStore {
  private readonly people = new Map<string, PersonState>();
  private readonly readers = new Set<(person: PersonState) => void>();

  get(id: string): PersonState | undefined {
    const person = this.people.get(id);
    if (person !== undefined) for (const read of this.readers) read(person);
    return person;
  }

  /**
   * Calls `read` with each person `get` hands out, before the caller can
   * change them, until the returned function is called: a streamed snapshot
   * writes a person it has not reached yet as they were when it started.
   */
  beforeGet(read: (person: PersonState) => void): () => void {
    this.readers.add(read);
    return () => this.readers.delete(read);
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
}
