/**
 * A restorable random stream for the bandits.
 *
 * Making a keyed generator costs microseconds, too much for every `select`,
 * so draws come from blocks: block `k` is `createRng(seed, 'bandit', k)`,
 * and the stream counts the uniforms it has used from the current block. A
 * snapshot stores `{ block, used, spare }`; restoring re-creates the block and
 * resumes after its first `used` uniforms (at most {@link BLOCK_SIZE}), so a
 * restored bandit continues with exactly the draws the original would have
 * made. Uniforms are drawn {@link CHUNK} at a time in one tight loop, so a draw
 * in the hot path is an array read (and a bandit holds only a small buffer).
 *
 * The samplers are written over counted uniforms (rather than calling the
 * generator's own `normal`/`beta`) so that every uniform consumed is counted.
 */
import { createRng, type Rng } from '../../random/rng.js';

const LN4 = Math.log(4);
const LN5 = Math.log(5);
/** Above this, exp overflows. */
const MAX_EXP = Math.log(Number.MAX_VALUE);

/** Uniforms drawn from the generator at a time. */
const CHUNK = 64;

/** Uniforms per block before the stream moves to the next keyed block. */
export const BLOCK_SIZE = 4096;

/** The restorable position of a {@link BanditRandom}. */
export interface BanditRandomState {
  block: number;
  used: number;
  /** The second normal of the last polar pair, kept for the next draw. */
  spare: number | null;
}

/** Beta shapes whose sum exceeds this are drawn from their normal approximation (see `beta`). */
const BETA_NORMAL_ABOVE = 1e7;

export class BanditRandom {
  private rng: Rng;
  /** The block's next uniforms, from `cursor` on, drawn in one loop by {@link refill}. */
  private readonly chunk = new Float64Array(CHUNK);
  private cursor = CHUNK;
  private block: number;
  private used: number;
  private spare: number | null;

  constructor(
    private readonly seed: number | string,
    state: BanditRandomState = { block: 0, used: 0, spare: null },
  ) {
    this.block = state.block;
    this.spare = state.spare;
    this.rng = createRng(seed, 'bandit', this.block);
    for (let i = 0; i < state.used; i++) this.rng.next();
    this.used = state.used;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    if (this.cursor === CHUNK) this.refill();
    this.used += 1;
    return this.chunk[this.cursor++] as number;
  }

  /** Draws the next chunk of the stream, moving to the next block when this one is used up. */
  private refill(): void {
    if (this.used >= BLOCK_SIZE) {
      this.block += 1;
      this.used = 0;
      this.rng = createRng(this.seed, 'bandit', this.block);
    }
    // never past the block's end, so a block holds exactly BLOCK_SIZE uniforms
    const n = Math.min(CHUNK, BLOCK_SIZE - this.used);
    this.cursor = CHUNK - n;
    for (let i = this.cursor; i < CHUNK; i++) this.chunk[i] = this.rng.next();
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

  /**
   * Beta(a, b), exactly, by the rejection algorithms of Cheng (1978), "Generating beta variates
   * with nonintegral shape parameters", CACM 21(4): BB when both shapes exceed 1, BC otherwise;
   * a shape of exactly 1 uses the inverse CDF (Beta(a, 1) = U^{1/a}, Beta(1, b) = 1 − U^{1/b}).
   * Each BB/BC trial costs two uniforms, a log and an exp (acceptance ≥ 0.75 for BB), against two
   * Marsaglia–Tsang gammas — each a normal, a uniform and often a log — for a ratio of gammas.
   */
  beta(a: number, b: number): number {
    // Past ~1e7 pseudo-counts a Beta is a normal to far below the resolution of a double, and Cheng's
    // constants overflow (a + b = Infinity would make the rejection loop spin for ever): draw the normal.
    if (!(a + b <= BETA_NORMAL_ABOVE)) {
      const mean = 1 / (1 + b / a);
      const sd = Math.sqrt((mean * (1 - mean)) / (a + b + 1));
      return Math.min(1, Math.max(0, mean + sd * this.normal()));
    }
    if (a === 1) return b === 1 ? this.uniform() : 1 - Math.pow(this.openUniform(), 1 / b);
    if (b === 1) return Math.pow(this.openUniform(), 1 / a);
    return a > 1 && b > 1 ? this.chengBB(a, b) : this.chengBC(a, b);
  }

  /** Uniform in (0, 1): 0 is redrawn, so logs and reciprocal powers stay finite. */
  private openUniform(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Cheng's algorithm BB, for min(a, b) > 1 (acceptance ≥ 0.75 for any such shapes). */
  private chengBB(a: number, b: number): number {
    const small = a < b ? a : b;
    const large = a < b ? b : a;
    const sum = small + large;
    const scale = Math.sqrt((sum - 2) / (2 * small * large - sum));
    const shift = small + 1 / scale;
    let w = 0;
    for (;;) {
      const u1 = this.openUniform();
      const u2 = this.uniform();
      const v = scale * Math.log(u1 / (1 - u1));
      w = v > MAX_EXP ? Number.MAX_VALUE : small * Math.exp(v);
      const z = u1 * u1 * u2;
      const r = shift * v - LN4;
      const s = small + r - w;
      if (s + 1 + LN5 >= 5 * z) break;
      const t = Math.log(z);
      if (s > t) break;
      if (r + sum * Math.log(sum / (large + w)) >= t) break;
    }
    return a === small ? w / (large + w) : large / (large + w);
  }

  /** Cheng's algorithm BC, for min(a, b) ≤ 1. */
  private chengBC(a: number, b: number): number {
    const large = a > b ? a : b;
    const small = a > b ? b : a;
    const sum = small + large;
    const scale = 1 / small;
    const delta = 1 + large - small;
    const k1 = (delta * (1 / 72 + small / 24)) / (large * scale - 7 / 9);
    const k2 = 0.25 + (0.5 + 0.25 / delta) * small;
    let w = 0;
    for (;;) {
      const u1 = this.openUniform();
      const u2 = this.uniform();
      let z: number;
      if (u1 < 0.5) {
        const y = u1 * u2;
        z = u1 * y;
        if (0.25 * u2 + z - y >= k1) continue;
      } else {
        z = u1 * u1 * u2;
        if (z <= 0.25) {
          const v = scale * Math.log(u1 / (1 - u1));
          w = v > MAX_EXP ? Number.MAX_VALUE : large * Math.exp(v);
          break;
        }
        if (z >= k2) continue;
      }
      const v = scale * Math.log(u1 / (1 - u1));
      w = v > MAX_EXP ? Number.MAX_VALUE : large * Math.exp(v);
      if (sum * (Math.log(sum / (small + w)) + v) - LN4 >= Math.log(z)) break;
    }
    return a === large ? w / (small + w) : small / (small + w);
  }

  state(): BanditRandomState {
    return { block: this.block, used: this.used, spare: this.spare };
  }
}
