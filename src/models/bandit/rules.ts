/**
 * The two choice rules several policies share, as bases a policy file extends with its score:
 * the best index with ties split uniformly (UCB1, LinUCB), and the best posterior draw, whose
 * propensity is computed on read (Thompson, linear Thompson).
 */
import type { Candidates } from './candidates.js';
import type { Evidence } from './evidence.js';
import type { BanditKind, Policy } from './policies.js';
import { SampledChoice, type ShareLaw } from './shares.js';
import type { BanditChoice } from './types.js';

/** A deterministic index policy: the arm with the best score, ties split uniformly (propensity 1 / ties). */
export abstract class IndexPolicy implements Policy {
  abstract readonly kind: BanditKind;
  abstract readonly evidence: Evidence;
  abstract optionsJSON(): Record<string, unknown>;
  /** Writes each candidate's index into `c.scores`. */
  protected abstract score(c: Candidates): void;

  select(c: Candidates): BanditChoice {
    this.score(c);
    const ties = c.countTies();
    return { arm: c.idAt(c.pickTie(ties)), propensity: 1 / ties };
  }

  rank(c: Candidates): () => ArrayLike<number> {
    this.score(c);
    const ties = c.countTies();
    const p = Array.from(c.aux.subarray(0, c.m), (top) => (top === 1 ? 1 / ties : 0));
    return () => p;
  }
}

/** A sampling policy: the arm with the best posterior draw; P(best) over the posteriors is its propensity. */
export abstract class SampledPolicy implements Policy {
  abstract readonly kind: BanditKind;
  abstract readonly evidence: Evidence;
  abstract optionsJSON(): Record<string, unknown>;
  /** The posterior laws the draws come from. */
  protected abstract readonly law: ShareLaw;
  /**
   * Writes each candidate's draw into `c.scores`, and its posterior's two parameters (see {@link ShareLaw})
   * into a room of the share slab it reserves; returns where the room is.
   */
  protected abstract draw(c: Candidates): number;

  select(c: Candidates): BanditChoice {
    const at = this.draw(c);
    const best = c.pickTie(c.countTies());
    return new SampledChoice(c.idAt(best), c.slab.shares(at, c.m, this.law), best);
  }

  rank(c: Candidates): () => ArrayLike<number> {
    const shares = c.slab.shares(this.draw(c), c.m, this.law);
    return () => shares.all();
  }
}
