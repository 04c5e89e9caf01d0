/**
 * One user's system A = G + Σ_e a_e·y_e·y_eᵀ solved through G's Cholesky
 * factor, which every user shares, by the matrix inversion lemma (Woodbury).
 * With S = diag(√a_e), z_e = G⁻¹·y_e kept per item ({@link ItemSolves}),
 * K_ef = y_eᵀ·z_f and M = I + S·K·S (n×n, symmetric positive definite: every
 * eigenvalue at least 1),
 *
 *   x = A⁻¹·b = Σ_e (t_e − √a_e·w_e)·z_e,   w = M⁻¹·S·K·t,          (b = Σ_e t_e·y_e)
 *   y_eᵀ·A⁻¹·y_j = v_e − Σ_f K_ef·√a_f·r_f,  v_f = z_fᵀ·y_j,  r = M⁻¹·S·v,
 *
 * the second being what HKV's faithful explanation needs of item j (its
 * per-entry shares), with no solve for y_j itself. The cost of a user with n
 * entries is n(n + 1)/2 dot products of length k, an n×n Cholesky and n·k
 * more (plus k² for each entry whose z_e is not kept yet), against the
 * n·k²/2 + k³/6 of assembling and factorising A; each listed item's shares
 * cost n·k + 2n², against the k² of two substitutions with A's factor.
 * For a person with 20 entries at 128 factors that is about 31 thousand
 * multiply-adds instead of 530 thousand.
 *
 * Where an entry weighs much (√a_e·K_ee·√a_e > 1, see heavy()), the
 * subtractions above take nearly equal numbers apart, so its coefficient
 * t_e − √a_e·w_e and its shares are read off M⁻¹ as quotients instead (see
 * sharedFoldIn and sharedSharesInto): the same values in exact arithmetic.
 * test/models/mf/lowRankUpdate.test.ts holds the vector, the scores and the
 * shares to 1e-9 of the exact solution (a double-double reference), or a
 * condition number's share of rounding beyond 1e5, on random and
 * ill-conditioned inputs. Which path a user takes depends
 * only on k and n ({@link preferShared}), never on what is kept, so a fold-in
 * and the explanation of its list take the same one; and a kept z_e is the
 * same bits as a recomputed one, so results do not depend on the cache.
 */
import { choleskyLowerInto } from './choleskySolver.js';
import { dot, gatheredLowerCrossInto } from './dense.js';

/** G's Cholesky factor L and its transpose, both row-major, so that both substitutions read rows. */
export interface SharedFactor {
  lower: Float64Array;
  upper: Float64Array;
}

/** L and Lᵀ of G (k×k, symmetric positive definite); undefined when G cannot be factorised. */
export function sharedFactor(g: Float64Array, k: number): SharedFactor | undefined {
  const lower = new Float64Array(k * k);
  if (!choleskyLowerInto(g, k, lower)) return undefined;
  const upper = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) upper[j * k + i] = lower[i * k + j]!;
  return { lower, upper };
}

/**
 * Solves L·Lᵀ·x = b for `columns` right-hand sides (columns of length k,
 * read from `rhs` and written to `out` at the same place; the two may be the
 * same array). Four columns share each pass over a row of L and of Lᵀ: at
 * large k the factor does not fit in cache, and reading it once per column
 * was what a solve cost. Each column's sums run in the same order whatever
 * the columns beside it, so z_i is the same bits whether solved alone or not.
 */
function solveSharedInto(f: SharedFactor, k: number, rhs: Float64Array, columns: number, out: Float64Array): void {
  let c = 0;
  for (; c + 3 < columns; c += 4) solveFourShared(f, k, rhs, c * k, out);
  for (; c < columns; c++) solveOneShared(f, k, rhs, c * k, out);
}

function solveOneShared(f: SharedFactor, k: number, rhs: Float64Array, o: number, out: Float64Array): void {
  const { lower, upper } = f;
  for (let i = 0; i < k; i++) {
    const row = i * k;
    let s0 = rhs[o + i]!;
    let s1 = 0;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      s0 -= lower[row + j]! * out[o + j]!;
      s1 -= lower[row + j + 1]! * out[o + j + 1]!;
    }
    if (j < i) s0 -= lower[row + j]! * out[o + j]!;
    out[o + i] = (s0 + s1) / lower[row + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    const row = i * k;
    let s0 = out[o + i]!;
    let s1 = 0;
    let j = i + 1;
    for (; j + 1 < k; j += 2) {
      s0 -= upper[row + j]! * out[o + j]!;
      s1 -= upper[row + j + 1]! * out[o + j + 1]!;
    }
    if (j < k) s0 -= upper[row + j]! * out[o + j]!;
    out[o + i] = (s0 + s1) / upper[row + i]!;
  }
}

/** {@link solveOneShared} for four columns at once (at o0 and the next three), the same sums per column. */
function solveFourShared(f: SharedFactor, k: number, rhs: Float64Array, o0: number, out: Float64Array): void {
  const { lower, upper } = f;
  const o1 = o0 + k;
  const o2 = o1 + k;
  const o3 = o2 + k;
  for (let i = 0; i < k; i++) {
    const row = i * k;
    let a0 = rhs[o0 + i]!;
    let b0 = rhs[o1 + i]!;
    let c0 = rhs[o2 + i]!;
    let d0 = rhs[o3 + i]!;
    let a1 = 0;
    let b1 = 0;
    let c1 = 0;
    let d1 = 0;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const l0 = lower[row + j]!;
      const l1 = lower[row + j + 1]!;
      a0 -= l0 * out[o0 + j]!;
      a1 -= l1 * out[o0 + j + 1]!;
      b0 -= l0 * out[o1 + j]!;
      b1 -= l1 * out[o1 + j + 1]!;
      c0 -= l0 * out[o2 + j]!;
      c1 -= l1 * out[o2 + j + 1]!;
      d0 -= l0 * out[o3 + j]!;
      d1 -= l1 * out[o3 + j + 1]!;
    }
    if (j < i) {
      const l0 = lower[row + j]!;
      a0 -= l0 * out[o0 + j]!;
      b0 -= l0 * out[o1 + j]!;
      c0 -= l0 * out[o2 + j]!;
      d0 -= l0 * out[o3 + j]!;
    }
    const d = lower[row + i]!;
    out[o0 + i] = (a0 + a1) / d;
    out[o1 + i] = (b0 + b1) / d;
    out[o2 + i] = (c0 + c1) / d;
    out[o3 + i] = (d0 + d1) / d;
  }
  for (let i = k - 1; i >= 0; i--) {
    const row = i * k;
    let a0 = out[o0 + i]!;
    let b0 = out[o1 + i]!;
    let c0 = out[o2 + i]!;
    let d0 = out[o3 + i]!;
    let a1 = 0;
    let b1 = 0;
    let c1 = 0;
    let d1 = 0;
    let j = i + 1;
    for (; j + 1 < k; j += 2) {
      const u0 = upper[row + j]!;
      const u1 = upper[row + j + 1]!;
      a0 -= u0 * out[o0 + j]!;
      a1 -= u1 * out[o0 + j + 1]!;
      b0 -= u0 * out[o1 + j]!;
      b1 -= u1 * out[o1 + j + 1]!;
      c0 -= u0 * out[o2 + j]!;
      c1 -= u1 * out[o2 + j + 1]!;
      d0 -= u0 * out[o3 + j]!;
      d1 -= u1 * out[o3 + j + 1]!;
    }
    if (j < k) {
      const u0 = upper[row + j]!;
      a0 -= u0 * out[o0 + j]!;
      b0 -= u0 * out[o1 + j]!;
      c0 -= u0 * out[o2 + j]!;
      d0 -= u0 * out[o3 + j]!;
    }
    const d = upper[row + i]!;
    out[o0 + i] = (a0 + a1) / d;
    out[o1 + i] = (b0 + b1) / d;
    out[o2 + i] = (c0 + c1) / d;
    out[o3 + i] = (d0 + d1) / d;
  }
}

/**
 * The largest share of the factors a user's entries may make for the shared
 * path: a user with n ≤ SHARED_SOLVE_SHARE·k entries is solved through G's
 * factor, one with more factorises A. Measured by
 * benchmarks/recommend/sharedSolve.ts (one fold-in plus ten listed items'
 * shares, against assembling, factorising and substituting A; load 8.8 on 2
 * shared cores, so each ratio ±30%): with every z_e kept the shared path was
 * 3.7–6.5× faster at n = k/4 (k = 64–512) and stayed ahead up to n ≈ k/2–3k/4;
 * with no z_e kept (each entry pays its k² solve, as right after an import)
 * it was 1.0–1.3× at n = k/4 and 0.4–1.4× beyond. A quarter is where the
 * shared path is never slower, whatever is kept; the people with few entries
 * it takes are those whose fold-in is most of a list's cost.
 */
export const SHARED_SOLVE_SHARE = 0.25;

/** Whether a user with `n` entries is solved through G's shared factor at `k` factors (see {@link SHARED_SOLVE_SHARE}). */
export function preferShared(k: number, n: number): boolean {
  return n > 0 && n <= SHARED_SOLVE_SHARE * k;
}

/**
 * The memory the kept z_i = G⁻¹·y_i of one model may take at most (bytes):
 * 32 MiB, 32,768 items at 128 factors. A catalog at most that size (at 128
 * factors: up to 32,768 items, a copy of the item factors' size) is kept
 * whole once every item was seen; a larger one keeps the items seen last,
 * clock-wise (a second chance for each item used since the hand passed).
 * Besides: one 32-bit slot number per item of the catalog (4 MB at a million).
 */
export const ITEM_SOLVES_BYTES = 32 * 2 ** 20;

/**
 * z_i = G⁻¹·y_i per item, computed when first asked for and kept up to
 * {@link ITEM_SOLVES_BYTES} (the row store grows by doubling up to that).
 */
export class ItemSolves {
  /** Look-ups that found z_i kept, and those that solved for it (for tests and benchmarks). */
  hits = 0;
  misses = 0;
  private readonly capacity: number;
  private slotOf: Int32Array | undefined;
  private itemOf = new Int32Array(0);
  private used = new Uint8Array(0);
  private rows = new Float64Array(0);
  /** Scratch: the entries of a gather whose z is not kept. */
  private missed = new Int32Array(0);
  private size = 0;
  private hand = 0;

  constructor(
    private readonly factor: SharedFactor,
    private readonly y: Float64Array,
    private readonly k: number,
    private readonly itemCount: number,
    bytes = ITEM_SOLVES_BYTES,
  ) {
    this.capacity = Math.max(1, Math.min(itemCount, Math.floor(bytes / (8 * k))));
  }

  /** Bytes held now (rows, slots, marks). */
  get bytes(): number {
    return this.rows.byteLength + (this.slotOf?.byteLength ?? 0) + this.itemOf.byteLength + this.used.byteLength;
  }

  /** How many items' z_i are kept now. */
  get kept(): number {
    return this.size;
  }

  /**
   * Writes z_i for each of `items` into `out` (row e for items[e]), solving
   * together for those not kept (see {@link solveSharedInto}) and keeping them.
   */
  gatherInto(items: ArrayLike<number>, out: Float64Array): void {
    const k = this.k;
    const n = items.length;
    const slotOf = (this.slotOf ??= new Int32Array(this.itemCount).fill(-1));
    if (this.missed.length < n) this.missed = new Int32Array(Math.max(n, 2 * this.missed.length));
    let missing = 0;
    // Rows are copied by plain loops: a subarray a row was a new typed-array object per entry.
    for (let e = 0; e < n; e++) {
      const item = items[e] as number;
      const slot = slotOf[item]!;
      if (slot < 0) {
        copyRow(this.y, item * k, out, e * k, k);
        this.missed[missing++] = e;
        continue;
      }
      this.hits++;
      this.used[slot] = 1;
      copyRow(this.rows, slot * k, out, e * k, k);
    }
    if (missing === 0) return;
    this.misses += missing;
    // The missing rows in a block of their own, solved in place, then kept.
    const block = missing === n ? out : new Float64Array(missing * k);
    if (block !== out) for (let m = 0; m < missing; m++) copyRow(out, this.missed[m]! * k, block, m * k, k);
    solveSharedInto(this.factor, k, block, missing, block);
    for (let m = 0; m < missing; m++) {
      const e = this.missed[m]!;
      if (block !== out) copyRow(block, m * k, out, e * k, k);
      const item = items[e] as number;
      if (slotOf[item]! >= 0) continue; // an item twice among `items`
      const slot = this.freeSlot();
      copyRow(block, m * k, this.rows, slot * k, k);
      slotOf[item] = slot;
      this.itemOf[slot] = item;
      this.used[slot] = 0;
    }
  }

  /** A slot for a new row: a new one while below capacity (growing the store), else the clock's victim. */
  private freeSlot(): number {
    if (this.size < this.capacity) {
      if (this.size === this.itemOf.length) this.grow();
      return this.size++;
    }
    for (;;) {
      const slot = this.hand;
      this.hand = (this.hand + 1) % this.capacity;
      if (this.used[slot] === 1) {
        this.used[slot] = 0;
        continue;
      }
      this.slotOf![this.itemOf[slot]!] = -1;
      return slot;
    }
  }

  private grow(): void {
    const slots = Math.min(this.capacity, Math.max(64, 2 * this.itemOf.length));
    const rows = new Float64Array(slots * this.k);
    rows.set(this.rows);
    this.rows = rows;
    const itemOf = new Int32Array(slots);
    itemOf.set(this.itemOf);
    this.itemOf = itemOf;
    const used = new Uint8Array(slots);
    used.set(this.used);
    this.used = used;
  }
}

/**
 * What a user's shared solve leaves for explaining their list later (see the
 * file comment): their entries' z_e, √a_e, K and M's Cholesky factor.
 * n·k + 2n² + n numbers: about a quarter of A's kept factor at n = k/4.
 */
export interface SharedFold {
  readonly n: number;
  /** Row e: z_e = G⁻¹·y_e. */
  readonly z: Float64Array;
  /** √a_e. */
  readonly scale: Float64Array;
  /** K_ef = y_eᵀ·z_f for f ≤ e (n×n, row-major; the upper triangle is not read). */
  readonly kernel: Float64Array;
  /** The Cholesky factor of M = I + S·K·S (n×n, row-major, lower). */
  readonly lower: Float64Array;
}

/** to[at .. at + k) = from[start .. start + k). */
function copyRow(from: Float64Array, start: number, to: Float64Array, at: number, k: number): void {
  for (let p = 0; p < k; p++) to[at + p] = from[start + p]!;
}

/** 0, 1, …, n − 1: the rows of a gathered block, for the dense kernels that read through an index list. */
let identity = new Int32Array(0);
function rowsUpTo(n: number): Int32Array {
  if (identity.length < n) identity = Int32Array.from({ length: Math.max(n, 2 * identity.length) }, (_, i) => i);
  return identity;
}

/**
 * Solves the user's system for x (written into `x`, k numbers) through G's
 * factor, with the z_e from `solves`. Returns what {@link sharedSharesInto}
 * needs, or undefined (leaving `x` unspecified) when a curvature is negative
 * or not finite or M cannot be factorised (non-finite input): the caller then
 * solves A directly, which says what is wrong.
 */
export function sharedFoldIn(
  solves: ItemSolves,
  y: Float64Array,
  k: number,
  items: ArrayLike<number>,
  curvature: ArrayLike<number>,
  target: ArrayLike<number>,
  x: Float64Array,
): SharedFold | undefined {
  const n = items.length;
  const scale = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const a = curvature[e] as number;
    if (!(a >= 0 && a < Infinity)) return undefined;
    scale[e] = Math.sqrt(a);
  }
  // z_e gathered in entry order (they are kept with the fold); the cross products read y_e in place.
  const z = new Float64Array(n * k);
  solves.gatherInto(items, z);
  const kernel = new Float64Array(n * n);
  gatheredLowerCrossInto(y, z, k, rowsUpTo(n), 0, n, kernel, items);
  // M = I + S·K·S, and K·t_L: K's products with the targets of the light entries only
  // (K_ef = K_fe from the lower triangle). An entry is heavy when M_ee > 2 (see {@link heavy}).
  const m = new Float64Array(n * n);
  const tl = new Float64Array(n);
  for (let e = 0; e < n; e++) tl[e] = heavy(scale, kernel, n, e) ? 0 : (target[e] as number);
  const ktl = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const se = scale[e]!;
    const te = tl[e]!;
    const row = e * n;
    for (let f = 0; f < e; f++) {
      const kef = kernel[row + f]!;
      m[row + f] = se * kef * scale[f]!;
      ktl[e] = ktl[e]! + kef * tl[f]!;
      ktl[f] = ktl[f]! + kef * te;
    }
    const kee = kernel[row + e]!;
    m[row + e] = 1 + se * kee * se;
    ktl[e] = ktl[e]! + kee * te;
  }
  const lower = new Float64Array(n * n);
  if (!choleskyLowerInto(m, n, lower)) return undefined;
  // With τ_e = t_e/√a_e for a heavy entry (0 for a light one), t = S·τ + t_L and
  // c = (I + S²·K)⁻¹·t = t_L + S·M⁻¹·(τ − S·K·t_L): a heavy entry's coefficient is
  // √a_e·g_e, with no subtraction from t_e (see the file comment).
  const g = ktl;
  for (let e = 0; e < n; e++) {
    const se = scale[e]!;
    g[e] = (heavy(scale, kernel, n, e) ? (target[e] as number) / se : 0) - se * ktl[e]!;
  }
  substituteInto(lower, n, g);
  // x = Σ_e c_e·z_e
  x.fill(0, 0, k);
  for (let e = 0; e < n; e++) {
    const c = tl[e]! + scale[e]! * g[e]!;
    if (c === 0) continue;
    const o = e * k;
    for (let p = 0; p < k; p++) x[p] = x[p]! + c * z[o + p]!;
  }
  return { n, z, scale, kernel, lower };
}

/**
 * Whether entry e weighs much in the user's system: √a_e·K_ee·√a_e > 1, so
 * M_ee > 2. Its coefficient and its shares are then read off M⁻¹ directly
 * (a quotient), since taking them as a difference from t_e or v_e would
 * subtract nearly equal numbers.
 */
function heavy(scale: Float64Array, kernel: Float64Array, n: number, e: number): boolean {
  const se = scale[e]!;
  return se * se * kernel[e * n + e]! > 1;
}

/** Solves L·Lᵀ·w = rhs in place (L: n×n lower, row-major) and returns it. */
function substituteInto(l: Float64Array, n: number, rhs: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) rhs[i] = (rhs[i]! - dot(l, i * n, rhs, 0, i)) / l[i * n + i]!;
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i]!;
    for (let p = i + 1; p < n; p++) s -= l[p * n + i]! * rhs[p]!;
    rhs[i] = s / l[i * n + i]!;
  }
  return rhs;
}

/**
 * out[e] = y_eᵀ·A⁻¹·y_item for every entry e of the fold (see the file
 * comment): the per-entry similarities HKV's explanation weighs, for n·k + 2n²
 * multiply-adds. `y` holds the item factors the fold was solved against; `r`
 * is scratch of n numbers.
 *
 * With q = M⁻¹·S·v, the share of an entry is both v_e − Σ_f K_ef·√a_f·q_f and
 * q_e/√a_e (M·q = S·v read at row e). The first subtracts nearly equal
 * numbers when the entry weighs much (its own weight shrinks its share far
 * below v_e) and loses about as many digits as M_ee is large: 5e-8 of the
 * score on an explicit system with λ = 1e-3 in the test, and 5e-7 on one
 * that fast-check drew (issue 25). So a heavy entry takes the quotient, and a
 * light one (M_ee ≤ 2) the difference, which then loses at most a bit and
 * avoids dividing by a small √a_e.
 */
export function sharedSharesInto(
  fold: SharedFold,
  y: Float64Array,
  k: number,
  item: number,
  out: Float64Array,
  r = new Float64Array(fold.n),
): void {
  const { n, z } = fold;
  const o = item * k;
  for (let e = 0; e < n; e++) out[e] = dot(z, e * k, y, o, k);
  sharesFromDotsInto(fold, out, r);
}

/**
 * {@link sharedSharesInto} from out[e] = z_eᵀ·y_item already written (for
 * several items at once by crossDotsInto in dense.ts): the same numbers.
 */
export function sharesFromDotsInto(fold: SharedFold, out: Float64Array, r = new Float64Array(fold.n)): void {
  const { n, scale, kernel, lower } = fold;
  for (let e = 0; e < n; e++) r[e] = scale[e]! * out[e]!;
  substituteInto(lower, n, r);
  for (let e = 0; e < n; e++) r[e] = scale[e]! * r[e]!;
  // r is S·q. A heavy entry: q_e/√a_e; a light one: v_e − Σ_f K_ef·(S·q)_f, with K_ef = K_fe from the lower triangle.
  for (let e = 0; e < n; e++) {
    const row = e * n;
    const se = scale[e]!;
    if (heavy(scale, kernel, n, e)) {
      out[e] = r[e]! / se / se;
      continue;
    }
    let s = 0;
    for (let f = 0; f <= e; f++) s += kernel[row + f]! * r[f]!;
    for (let f = e + 1; f < n; f++) s += kernel[f * n + e]! * r[f]!;
    out[e] = out[e]! - s;
  }
}
