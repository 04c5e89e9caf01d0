/**
 * The fold-ins of the people (and stations) served last, with the
 * factorisations they made, so that the reasons of their lists — the exact
 * per-liked-item split of HKV section 5, which needs that factorisation —
 * cost substitutions only instead of a second k×k factorise-and-solve per
 * request.
 *
 * Keyed by the entries object a fold-in was solved from. Entries are
 * never changed once read (people/entries builds a new object at each
 * read), and they are read again exactly when the scope's evidence changed
 * (people/vectors forgets a scope's vector then); a new model is a new
 * CollaborativeModel with a store of its own. So a kept factorisation is
 * found exactly while it is the one the uncached path would make.
 *
 * Bounded: the least recently used is dropped beyond `capacity` scopes. A
 * kept factorisation of A is k(k + 1) doubles plus the vector: 129 KiB at
 * the default 128 factors, so the default capacity (see {@link keptCapacity})
 * holds at most {@link KEPT_BYTES} of them. A scope with few entries (n ≤ k/4)
 * is solved through the factor every scope shares (mf/lowRankUpdate.ts) and
 * keeps that solve's small system instead: n·k + 2n² + n doubles, at most
 * 3k²/8 + k/4 — about 50 KiB at 128 factors, 26 KiB for 20 entries — so the
 * bound holds for a mix of both.
 */
import type { FoldedIn } from '../mf/index.js';
import type { UserEntries } from './collaborative.js';

/** The memory the kept factorisations of one model may take at most (bytes). */
export const KEPT_BYTES = 32 * 2 ** 20;

/** How many scopes fit in {@link KEPT_BYTES} at `factors` (at least 4): 252 at 128 factors, 63 at 256. */
export function keptCapacity(factors: number): number {
  return Math.max(4, Math.floor(KEPT_BYTES / (8 * (factors * (factors + 1) + factors))));
}

export class KeptFolds {
  private readonly kept = new Map<UserEntries, FoldedIn>();
  /** Look-ups that found a kept factorisation, and those that did not (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  constructor(private capacity: number) {}

  /** The fold-in kept for `entries`, now the most recently used; undefined if not kept. */
  get(entries: UserEntries): FoldedIn | undefined {
    const folded = this.kept.get(entries);
    if (folded === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.kept.delete(entries);
    this.kept.set(entries, folded);
    return folded;
  }

  /** Keeps `folded` for `entries` (only one that holds a factorisation or a shared solve's small system), dropping the least recently used beyond capacity. */
  set(entries: UserEntries, folded: FoldedIn): void {
    if ((folded.factor === undefined && folded.shared === undefined) || this.capacity === 0) return;
    this.kept.delete(entries);
    this.kept.set(entries, folded);
    this.trim();
  }

  get size(): number {
    return this.kept.size;
  }

  /** Changes the bound (0 keeps nothing: every explanation factorises, the uncached path). */
  resize(capacity: number): void {
    this.capacity = capacity;
    this.trim();
  }

  private trim(): void {
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(oldest);
    }
  }
}
