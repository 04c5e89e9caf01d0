/**
 * The selection probabilities of the sampled kinds (Thompson, linear Thompson): P(arm k's index is
 * the largest), computed exactly by quadrature over the posteriors of one choice (`propensity.ts`)
 * and only when read, so a loop that never reads a propensity never pays for it.
 */
import { IndexQuadrature } from './propensity.js';
import type { BanditChoice } from './types.js';

/** Numbers per slab (16 KiB): 3 per eligible arm per sampled choice, so 68 choices of 10 arms. */
const SLAB_SIZE = 2048;

/** The posterior laws of a sampled choice: Beta (α, β), with or without the optimistic floor, or Gaussian (mean, sd). */
export type ShareLaw = 'beta' | 'optimistic-beta' | 'gaussian';

/** One workspace for every bandit: reads are synchronous, so they never overlap. */
const quadrature = new IndexQuadrature();

/**
 * The posterior parameters behind each sampled choice's lazy propensity, and the propensities once
 * read, packed into a shared slab (a fresh slab when this one is full) so that a choice allocates no
 * typed array. Empty until the first sampled choice, so the other kinds never hold one.
 */
export class ShareSlab {
  /** Where {@link reserve} put the parameters: `params[at + 2k]`, `params[at + 2k + 1]` of arm k. */
  params = new Float64Array(0);
  private used = 0;

  /** Room for `m` arms' parameters and probabilities (NaN: not yet computed); returns the offset. */
  reserve(m: number): number {
    if (this.used + 3 * m > this.params.length) {
      // earlier choices keep the old slab alive for as long as they live
      this.params = new Float64Array(Math.max(SLAB_SIZE, 3 * m));
      this.used = 0;
    }
    const at = this.used;
    this.used += 3 * m;
    this.params.fill(NaN, at + 2 * m, at + 3 * m);
    return at;
  }

  /** The lazy probabilities over the `m` arms' parameters written at `at`. */
  shares(at: number, m: number, law: ShareLaw): ExactShares {
    return new ExactShares(this.params, at, m, law);
  }
}

/**
 * Selection probabilities by quadrature: exact to the quadrature's accuracy, with no floor and no
 * sampling, so reading them never draws a random number. Computed on first read: one arm's for a
 * select, every arm's for a rank.
 */
export class ExactShares {
  private everything = false;

  /**
   * `params[at..at + 2m)` holds each arm's law (see {@link ShareLaw});
   * `params[at + 2m..at + 3m)` the probabilities, NaN until computed.
   */
  constructor(
    private readonly params: Float64Array,
    private readonly at: number,
    private readonly m: number,
    private readonly law: ShareLaw,
  ) {}

  /** P(arm k is chosen). */
  one(k: number): number {
    const slot = this.at + 2 * this.m + k;
    if (Number.isNaN(this.params[slot])) this.compute(k);
    return this.params[slot] as number;
  }

  /** Every arm's probability. */
  all(): Float64Array {
    const from = this.at + 2 * this.m;
    if (!this.everything) {
      this.compute(-1);
      this.everything = true;
    }
    return this.params.slice(from, from + this.m);
  }

  private compute(target: number): void {
    const { params, at, m } = this;
    const out = quadrature.output(m);
    if (this.law === 'gaussian') quadrature.gaussianShares(params, at, m, target, out);
    else quadrature.betaShares(params, at, m, this.law === 'optimistic-beta', target, out);
    for (let k = target < 0 ? 0 : target; k < (target < 0 ? m : target + 1); k++) {
      params[at + 2 * m + k] = Math.min(1, Math.max(0, out[k] as number));
    }
  }
}

/** A sampled choice whose propensity is computed on first read (see {@link ExactShares}). */
export class SampledChoice implements BanditChoice {
  readonly #shares: ExactShares;
  readonly #index: number;

  constructor(
    readonly arm: string,
    shares: ExactShares,
    index: number,
  ) {
    this.#shares = shares;
    this.#index = index;
  }

  /** Never 0 for the arm chosen: a value below the smallest double is reported as that double. */
  get propensity(): number {
    return Math.max(this.#shares.one(this.#index), Number.MIN_VALUE);
  }

  toJSON(): { arm: string; propensity: number } {
    return { arm: this.arm, propensity: this.propensity };
  }
}
