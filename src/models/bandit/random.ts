/**
 * A restorable random stream for the bandits.
 *
 * Making a keyed generator costs microseconds, too much for every `select`,
 * so draws come from blocks: block `k` is `createRng(seed, 'bandit', k)`,
 * and the stream counts the uniforms it has used from the current block. A
 * snapshot stores `{ block, used, spare }`; restoring re-creates the block and
 * skips `used` uniforms (at most {@link BLOCK_SIZE}), so a restored bandit
 * continues with exactly the draws the original would have made.
 *
 * The samplers are written over counted uniforms (rather than calling the
 * generator's own `normal`/`gamma`) so that every uniform consumed is counted.
 */
import { createRng, type Rng } from '../../random/rng.js';

/** Uniforms per block before the stream moves to the next keyed block. */
export const BLOCK_SIZE = 4096;

/** The restorable position of a {@link BanditRandom}. */
export interface BanditRandomState {
  block: number;
  used: number;
  /** The second normal of the last polar pair, kept for the next draw. */
  spare: number | null;
}

export class BanditRandom {
  private rng: Rng;
  private block: number;
  private used: number;
  private spare: number | null;

  constructor(
    private readonly seed: number | string,
    state: BanditRandomState = { block: 0, used: 0, spare: null },
  ) {
    this.block = state.block;
    this.used = 0;
    this.spare = state.spare;
    this.rng = createRng(seed, 'bandit', this.block);
    for (let i = 0; i < state.used; i++) this.rng.next();
    this.used = state.used;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    if (this.used >= BLOCK_SIZE) {
      this.block += 1;
      this.used = 0;
      this.rng = createRng(this.seed, 'bandit', this.block);
    }
    this.used += 1;
    return this.rng.next();
  }

  /** Whole number uniform in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Gamma(shape, 1) (Marsaglia & Tsang 2000; boosted for shape < 1). */
  gamma(shape: number): number {
    if (shape < 1) {
      const u = this.uniform();
      return this.gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Beta(a, b) as a ratio of gammas. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    const s = x + y;
    return s > 0 ? x / s : 0.5;
  }

  state(): BanditRandomState {
    return { block: this.block, used: this.used, spare: this.spare };
  }
}
