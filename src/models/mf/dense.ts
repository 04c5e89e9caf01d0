/** Small dense kernels over flat row-major typed arrays (no allocation). */

/** x·y over `k` numbers starting at `xOffset` and `yOffset` (four accumulators, to hide add latency). */
export function dot(x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  // eight products a step, each sum still over every fourth factor in order (see scoreAllInto64)
  for (const k8 = k - (k % 8); f < k8; f += 8) {
    const a = xOffset + f;
    const b = yOffset + f;
    s0 += (x[a] as number) * (y[b] as number);
    s1 += (x[a + 1] as number) * (y[b + 1] as number);
    s2 += (x[a + 2] as number) * (y[b + 2] as number);
    s3 += (x[a + 3] as number) * (y[b + 3] as number);
    s0 += (x[a + 4] as number) * (y[b + 4] as number);
    s1 += (x[a + 5] as number) * (y[b + 5] as number);
    s2 += (x[a + 6] as number) * (y[b + 6] as number);
    s3 += (x[a + 7] as number) * (y[b + 7] as number);
  }
  for (const k4 = k - (k % 4); f < k4; f += 4) {
    s0 += (x[xOffset + f] as number) * (y[yOffset + f] as number);
    s1 += (x[xOffset + f + 1] as number) * (y[yOffset + f + 1] as number);
    s2 += (x[xOffset + f + 2] as number) * (y[yOffset + f + 2] as number);
    s3 += (x[xOffset + f + 3] as number) * (y[yOffset + f + 3] as number);
  }
  for (; f < k; f++) s0 += (x[xOffset + f] as number) * (y[yOffset + f] as number);
  return s0 + s1 + (s2 + s3);
}

/**
 * out[t·n + e] = z_e·y_{rows[t]} for every e < n and t < rows.length (rows of
 * k numbers): the very sums {@link dot} makes — four, each over every fourth
 * factor in order, the last k mod 4 factors into the first — two rows of `y`
 * a pass over a row of `z`, written into an array (a number returned by a call
 * that is not inlined is a new heap object).
 */
export function crossDotsInto(
  z: Float64Array,
  n: number,
  y: Float64Array,
  rows: ArrayLike<number>,
  k: number,
  out: Float64Array,
): void {
  const m = rows.length;
  const k4 = k - (k % 4);
  for (let t = 0; t < m; t += 2) {
    // with odd m the last row pairs with itself and its second sums are not written
    const t1 = t + 1 < m ? t + 1 : t;
    const b0 = (rows[t] as number) * k;
    const b1 = (rows[t1] as number) * k;
    for (let e = 0; e < n; e++) {
      const a = e * k;
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      let f = 0;
      for (; f < k4; f += 4) {
        const x0 = z[a + f] as number;
        const x1 = z[a + f + 1] as number;
        const x2 = z[a + f + 2] as number;
        const x3 = z[a + f + 3] as number;
        p0 += x0 * (y[b0 + f] as number);
        p1 += x1 * (y[b0 + f + 1] as number);
        p2 += x2 * (y[b0 + f + 2] as number);
        p3 += x3 * (y[b0 + f + 3] as number);
        q0 += x0 * (y[b1 + f] as number);
        q1 += x1 * (y[b1 + f + 1] as number);
        q2 += x2 * (y[b1 + f + 2] as number);
        q3 += x3 * (y[b1 + f + 3] as number);
      }
      for (; f < k; f++) {
        const x = z[a + f] as number;
        p0 += x * (y[b0 + f] as number);
        q0 += x * (y[b1 + f] as number);
      }
      out[t * n + e] = p0 + p1 + (p2 + p3);
      if (t1 !== t) out[t1 * n + e] = q0 + q1 + (q2 + q3);
    }
  }
}

/**
 * Writes YᵀY + λI (k×k, full and exactly symmetric) into `out`; `lambda`
 * may be 0. This is the Gram matrix HKV precompute once per sweep. Y is
 * transposed first so each entry is a long contiguous dot product, and the
 * entries are computed in 2×4 blocks: eight sums from six loads per row
 * (1.4× the speed of 2×2 blocks, measured at k = 64). `columns` is room for
 * the transposed rows (at least rows·k numbers): a caller that computes many
 * Grams passes one buffer instead of having one allocated every time.
 */
export function gramInto(
  y: Float64Array,
  rows: number,
  k: number,
  lambda: number,
  out: Float64Array,
  columns = new Float64Array(rows * k),
): void {
  const used = gramColumnsInto(y, rows, k, columns);
  gramLowerRowsInto(columns, rows, used, k, out, 0, k);
  mirrorGramInto(out, k, lambda);
}

/**
 * The first step of {@link gramInto}: Y's rows that are not all zero,
 * transposed into `columns` (column f starts at f·rows); returns how many.
 * Rows that are all zero add nothing to any sum (a fit's rows without
 * entries are zero), so they are left out.
 */
export function gramColumnsInto(y: Float64Array, rows: number, k: number, columns: Float64Array): number {
  return gramColumnsRangeInto(y, rows, k, columns, 0, rows, 0);
}

/**
 * {@link gramColumnsInto} over rows `from` to `to` only, `used` columns
 * filled by the rows before `from`; returns the count after `to`. Calls over
 * consecutive ranges fill what one call over all the rows fills.
 */
export function gramColumnsRangeInto(
  y: Float64Array,
  rows: number,
  k: number,
  columns: Float64Array,
  from: number,
  to: number,
  used: number,
): number {
  for (let i = from; i < to; i++) {
    let zero = true;
    for (let f = 0; f < k && zero; f++) zero = y[i * k + f] === 0;
    if (zero) continue;
    for (let f = 0; f < k; f++) columns[f * rows + used] = y[i * k + f] as number;
    used++;
  }
  return used;
}

/**
 * The second step of {@link gramInto}: rows `from` (even) to `to` of the
 * lower triangle of YᵀY, from the `used` columns. Each entry is one whole
 * sum, so computing the rows in several calls gives the same bits as one.
 */
export function gramLowerRowsInto(
  columns: Float64Array,
  rows: number,
  used: number,
  k: number,
  out: Float64Array,
  from: number,
  to: number,
): void {
  // Two rows (a, a + 1) by four columns per pass: 6 loads per 8 multiply-adds.
  for (let a = from; a < to; a += 2) {
    const pair = a + 1 < k;
    const ca = a * rows;
    const ca1 = pair ? ca + rows : ca;
    const last = pair ? a + 1 : a;
    const ra = a * k;
    const ra1 = pair ? ra + k : ra;
    let b = 0;
    for (; b + 3 <= last; b += 4) {
      const cb = b * rows;
      const cb1 = cb + rows;
      const cb2 = cb1 + rows;
      const cb3 = cb2 + rows;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let i = 0; i < used; i++) {
        const ya = columns[ca + i] as number;
        const ya1 = columns[ca1 + i] as number;
        const y0 = columns[cb + i] as number;
        const y1 = columns[cb1 + i] as number;
        const y2 = columns[cb2 + i] as number;
        const y3 = columns[cb3 + i] as number;
        s00 += ya * y0;
        s01 += ya * y1;
        s02 += ya * y2;
        s03 += ya * y3;
        s10 += ya1 * y0;
        s11 += ya1 * y1;
        s12 += ya1 * y2;
        s13 += ya1 * y3;
      }
      out[ra + b] = s00;
      out[ra + b + 1] = s01;
      out[ra + b + 2] = s02;
      out[ra + b + 3] = s03;
      // with odd k the last row has no pair: ra1 = ra and these rewrite the same sums
      out[ra1 + b] = s10;
      out[ra1 + b + 1] = s11;
      out[ra1 + b + 2] = s12;
      out[ra1 + b + 3] = s13;
    }
    for (; b <= last; b++) {
      const cb = b * rows;
      let s0 = 0;
      let s1 = 0;
      for (let i = 0; i < used; i++) {
        const yb = columns[cb + i] as number;
        s0 += (columns[ca + i] as number) * yb;
        s1 += (columns[ca1 + i] as number) * yb;
      }
      out[ra + b] = s0;
      out[ra1 + b] = s1;
    }
  }
}

/** The last step of {@link gramInto}: the upper triangle from the lower one, and λ on the diagonal. */
export function mirrorGramInto(out: Float64Array, k: number, lambda: number): void {
  // Row a's entry past the diagonal, computed by gramLowerRowsInto, is overwritten by its mirror.
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) out[a * k + b] = out[b * k + a] as number;
    out[a * k + a] = (out[a * k + a] as number) + lambda;
  }
}

/**
 * Lower triangle of `out` (k×k, row-major) += Σ_j w_j·y_j·y_jᵀ for the four
 * rows of `y` at offsets o0..o3. Four rows per pass load and store each
 * entry of `out` once instead of four times, which is what bounds the
 * rank-1 version.
 */
export function addRank4LowerInto(
  out: Float64Array,
  k: number,
  y: Float64Array,
  o0: number,
  w0: number,
  o1: number,
  w1: number,
  o2: number,
  w2: number,
  o3: number,
  w3: number,
): void {
  for (let p = 0; p < k; p++) {
    const c0 = w0 * (y[o0 + p] as number);
    const c1 = w1 * (y[o1 + p] as number);
    const c2 = w2 * (y[o2 + p] as number);
    const c3 = w3 * (y[o3 + p] as number);
    const row = p * k;
    for (let q = 0; q <= p; q++) {
      out[row + q] =
        (out[row + q] as number) +
        (c0 * (y[o0 + q] as number) +
          c1 * (y[o1 + q] as number) +
          (c2 * (y[o2 + q] as number) + c3 * (y[o3 + q] as number)));
    }
  }
}

/** Lower triangle of `out` += w·y_o·y_oᵀ (the remainder of {@link addRank4LowerInto}). */
export function addRank1LowerInto(out: Float64Array, k: number, y: Float64Array, o: number, w: number): void {
  for (let p = 0; p < k; p++) {
    const c = w * (y[o + p] as number);
    const row = p * k;
    for (let q = 0; q <= p; q++) out[row + q] = (out[row + q] as number) + c * (y[o + q] as number);
  }
}

/** Copies the lower triangle of a k×k row-major matrix onto its upper triangle. */
export function mirrorLowerTriangle(m: Float64Array, k: number): void {
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < p; q++) m[q * k + p] = m[p * k + q] as number;
  }
}

/** out = M·v for a k×k row-major M (see {@link matVecInto}). */
export function symMatVecInto(m: Float64Array, v: Float64Array, k: number, out: Float64Array): void {
  matVecInto(m, 'full', v, 0, k, out, 0);
}

/**
 * out[outOffset ..] = M·v[vOffset ..] for a k×k row-major M that is `full`,
 * or triangular with zeros stored on the other side: a `lower` M has entries
 * at columns ≤ the row, an `upper` one at columns ≥ it. Rows go in blocks of
 * eight over the columns any of them has (the stored zeros make up the
 * triangle inside the block), eight sums per load of v.
 */
export function matVecInto(
  m: Float64Array,
  part: 'full' | 'lower' | 'upper',
  v: Float64Array,
  vOffset: number,
  k: number,
  out: Float64Array,
  outOffset: number,
): void {
  let a = 0;
  for (const k8 = k - (k % 8); a < k8; a += 8) {
    const r0 = a * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let b = part === 'upper' ? a : 0, to = part === 'lower' ? a + 8 : k; b < to; b++) {
      const vb = v[vOffset + b] as number;
      s0 += (m[r0 + b] as number) * vb;
      s1 += (m[r0 + k + b] as number) * vb;
      s2 += (m[r0 + 2 * k + b] as number) * vb;
      s3 += (m[r0 + 3 * k + b] as number) * vb;
      s4 += (m[r0 + 4 * k + b] as number) * vb;
      s5 += (m[r0 + 5 * k + b] as number) * vb;
      s6 += (m[r0 + 6 * k + b] as number) * vb;
      s7 += (m[r0 + 7 * k + b] as number) * vb;
    }
    out[outOffset + a] = s0;
    out[outOffset + a + 1] = s1;
    out[outOffset + a + 2] = s2;
    out[outOffset + a + 3] = s3;
    out[outOffset + a + 4] = s4;
    out[outOffset + a + 5] = s5;
    out[outOffset + a + 6] = s6;
    out[outOffset + a + 7] = s7;
  }
  for (; a < k; a++) {
    const from = part === 'upper' ? a : 0;
    const to = part === 'lower' ? a + 1 : k;
    out[outOffset + a] = dot(m, a * k + from, v, vOffset + from, to - from);
  }
}

/** True when every number is finite; turns −0 into +0 so a JSON round trip is bit-exact. */
export function finiteAndNormalised(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) return false;
    if (v === 0) values[i] = 0;
  }
  return true;
}

/**
 * out[e − start] = y_{cols[e]}·v for the gathered rows `start .. end - 1`.
 * Eight rows per pass share each load of v[f]; the loads, not the
 * multiplications, bound these loops.
 */
export function gatheredDotsInto(
  y: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  v: Float64Array,
  out: Float64Array,
): void {
  let e = start;
  for (const end8 = end - ((end - start) % 8); e < end8; e += 8) {
    const o0 = (cols[e] as number) * k;
    const o1 = (cols[e + 1] as number) * k;
    const o2 = (cols[e + 2] as number) * k;
    const o3 = (cols[e + 3] as number) * k;
    const o4 = (cols[e + 4] as number) * k;
    const o5 = (cols[e + 5] as number) * k;
    const o6 = (cols[e + 6] as number) * k;
    const o7 = (cols[e + 7] as number) * k;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let d4 = 0;
    let d5 = 0;
    let d6 = 0;
    let d7 = 0;
    for (let f = 0; f < k; f++) {
      const vf = v[f] as number;
      d0 += (y[o0 + f] as number) * vf;
      d1 += (y[o1 + f] as number) * vf;
      d2 += (y[o2 + f] as number) * vf;
      d3 += (y[o3 + f] as number) * vf;
      d4 += (y[o4 + f] as number) * vf;
      d5 += (y[o5 + f] as number) * vf;
      d6 += (y[o6 + f] as number) * vf;
      d7 += (y[o7 + f] as number) * vf;
    }
    const at = e - start;
    out[at] = d0;
    out[at + 1] = d1;
    out[at + 2] = d2;
    out[at + 3] = d3;
    out[at + 4] = d4;
    out[at + 5] = d5;
    out[at + 6] = d6;
    out[at + 7] = d7;
  }
  for (; e < end; e++) out[e - start] = dot(y, (cols[e] as number) * k, v, 0, k);
}

/** out += Σ_e w[e − start]·y_{cols[e]} over the gathered rows `start .. end - 1`, eight rows per pass over out. */
export function gatheredAxpyInto(
  y: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  w: Float64Array,
  out: Float64Array,
): void {
  let e = start;
  for (const end8 = end - ((end - start) % 8); e < end8; e += 8) {
    const o0 = (cols[e] as number) * k;
    const o1 = (cols[e + 1] as number) * k;
    const o2 = (cols[e + 2] as number) * k;
    const o3 = (cols[e + 3] as number) * k;
    const o4 = (cols[e + 4] as number) * k;
    const o5 = (cols[e + 5] as number) * k;
    const o6 = (cols[e + 6] as number) * k;
    const o7 = (cols[e + 7] as number) * k;
    const at = e - start;
    const w0 = w[at] as number;
    const w1 = w[at + 1] as number;
    const w2 = w[at + 2] as number;
    const w3 = w[at + 3] as number;
    const w4 = w[at + 4] as number;
    const w5 = w[at + 5] as number;
    const w6 = w[at + 6] as number;
    const w7 = w[at + 7] as number;
    for (let f = 0; f < k; f++) {
      out[f] =
        (out[f] as number) +
        (w0 * (y[o0 + f] as number) +
          w1 * (y[o1 + f] as number) +
          (w2 * (y[o2 + f] as number) + w3 * (y[o3 + f] as number)) +
          (w4 * (y[o4 + f] as number) +
            w5 * (y[o5 + f] as number) +
            (w6 * (y[o6 + f] as number) + w7 * (y[o7 + f] as number))));
    }
  }
  for (; e < end; e++) {
    const o = (cols[e] as number) * k;
    const we = w[e - start] as number;
    for (let f = 0; f < k; f++) out[f] = (out[f] as number) + we * (y[o + f] as number);
  }
}

/**
 * out += Σ_e (β·t_e + α·a_e·(y_e·v))·y_e over the gathered rows `start .. end - 1`,
 * i.e. {@link gatheredDotsInto}, the weights, then {@link gatheredAxpyInto},
 * fused block by block: each block of eight rows is read twice while it is
 * still in the L1 cache instead of in two passes over the whole row; four of
 * the last rows (after the blocks of eight) go in one block of four.
 */
export function gatheredDotAxpyInto(
  y: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  end: number,
  v: Float64Array,
  curvature: Float64Array,
  target: Float64Array,
  alpha: number,
  beta: number,
  out: Float64Array,
): void {
  let e = start;
  for (const end8 = end - ((end - start) % 8); e < end8; e += 8) {
    const o0 = (cols[e] as number) * k;
    const o1 = (cols[e + 1] as number) * k;
    const o2 = (cols[e + 2] as number) * k;
    const o3 = (cols[e + 3] as number) * k;
    const o4 = (cols[e + 4] as number) * k;
    const o5 = (cols[e + 5] as number) * k;
    const o6 = (cols[e + 6] as number) * k;
    const o7 = (cols[e + 7] as number) * k;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let d4 = 0;
    let d5 = 0;
    let d6 = 0;
    let d7 = 0;
    for (let f = 0; f < k; f++) {
      const vf = v[f] as number;
      d0 += (y[o0 + f] as number) * vf;
      d1 += (y[o1 + f] as number) * vf;
      d2 += (y[o2 + f] as number) * vf;
      d3 += (y[o3 + f] as number) * vf;
      d4 += (y[o4 + f] as number) * vf;
      d5 += (y[o5 + f] as number) * vf;
      d6 += (y[o6 + f] as number) * vf;
      d7 += (y[o7 + f] as number) * vf;
    }
    const w0 = beta * (target[e] as number) + alpha * (curvature[e] as number) * d0;
    const w1 = beta * (target[e + 1] as number) + alpha * (curvature[e + 1] as number) * d1;
    const w2 = beta * (target[e + 2] as number) + alpha * (curvature[e + 2] as number) * d2;
    const w3 = beta * (target[e + 3] as number) + alpha * (curvature[e + 3] as number) * d3;
    const w4 = beta * (target[e + 4] as number) + alpha * (curvature[e + 4] as number) * d4;
    const w5 = beta * (target[e + 5] as number) + alpha * (curvature[e + 5] as number) * d5;
    const w6 = beta * (target[e + 6] as number) + alpha * (curvature[e + 6] as number) * d6;
    const w7 = beta * (target[e + 7] as number) + alpha * (curvature[e + 7] as number) * d7;
    for (let f = 0; f < k; f++) {
      out[f] =
        (out[f] as number) +
        (w0 * (y[o0 + f] as number) +
          w1 * (y[o1 + f] as number) +
          (w2 * (y[o2 + f] as number) + w3 * (y[o3 + f] as number)) +
          (w4 * (y[o4 + f] as number) +
            w5 * (y[o5 + f] as number) +
            (w6 * (y[o6 + f] as number) + w7 * (y[o7 + f] as number))));
    }
  }
  if (end - e >= 4) {
    // four of the last rows in one block, as above
    const o0 = (cols[e] as number) * k;
    const o1 = (cols[e + 1] as number) * k;
    const o2 = (cols[e + 2] as number) * k;
    const o3 = (cols[e + 3] as number) * k;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let f = 0; f < k; f++) {
      const vf = v[f] as number;
      d0 += (y[o0 + f] as number) * vf;
      d1 += (y[o1 + f] as number) * vf;
      d2 += (y[o2 + f] as number) * vf;
      d3 += (y[o3 + f] as number) * vf;
    }
    const w0 = beta * (target[e] as number) + alpha * (curvature[e] as number) * d0;
    const w1 = beta * (target[e + 1] as number) + alpha * (curvature[e + 1] as number) * d1;
    const w2 = beta * (target[e + 2] as number) + alpha * (curvature[e + 2] as number) * d2;
    const w3 = beta * (target[e + 3] as number) + alpha * (curvature[e + 3] as number) * d3;
    axpy4Into(y, k, o0, w0, o1, w1, o2, w2, o3, w3, out);
    e += 4;
  }
  for (; e < end; e++) {
    const o = (cols[e] as number) * k;
    const we = beta * (target[e] as number) + alpha * (curvature[e] as number) * dot(y, o, v, 0, k);
    for (let f = 0; f < k; f++) out[f] = (out[f] as number) + we * (y[o + f] as number);
  }
}

/**
 * m[e·n + f] = a_{cols[start + e]}·b_{cols[start + f]} for f ≤ e < n: the
 * lower triangle of the cross products of n gathered rows of `a` with the same
 * rows of `b` (k numbers each). Two rows of `a` by four rows of `b` per pass
 * over k: eight sums from six loads, against one dot product per call for a
 * row at a time — the short rows this serves have too few entries for the
 * eight-row blocks of {@link gatheredDotsInto}. Some entries just above the
 * diagonal are written too (a block's corner); the lower triangle is exact.
 * The blocks are those of {@link gramInto} over gathered rows instead of
 * columns; one function over offset lists for both made the Gram 11% slower
 * (1.83 against 2.06 G multiply-adds a second at k = 64), so each keeps its own.
 * With `aRows`, row e of `a` is a_{aRows[e]} instead (a list of its own, read
 * from 0), so a caller need not gather those rows first.
 */
export function gatheredLowerCrossInto(
  a: Float64Array,
  b: Float64Array,
  k: number,
  cols: Int32Array,
  start: number,
  n: number,
  m: Float64Array,
  aRows?: ArrayLike<number>,
): void {
  for (let e = 0; e < n; e += 2) {
    // with odd n the last row pairs with itself and writes its sums twice
    const e1 = e + 1 < n ? e + 1 : e;
    const a0 = (aRows === undefined ? (cols[start + e] as number) : (aRows[e] as number)) * k;
    const a1 = (aRows === undefined ? (cols[start + e1] as number) : (aRows[e1] as number)) * k;
    const m0 = e * n;
    const m1 = e1 * n;
    let f = 0;
    for (; f + 3 <= e1; f += 4) {
      const b0 = (cols[start + f] as number) * k;
      const b1 = (cols[start + f + 1] as number) * k;
      const b2 = (cols[start + f + 2] as number) * k;
      const b3 = (cols[start + f + 3] as number) * k;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let t = 0; t < k; t++) {
        const x0 = a[a0 + t] as number;
        const x1 = a[a1 + t] as number;
        const y0 = b[b0 + t] as number;
        const y1 = b[b1 + t] as number;
        const y2 = b[b2 + t] as number;
        const y3 = b[b3 + t] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      m[m0 + f] = s00;
      m[m0 + f + 1] = s01;
      m[m0 + f + 2] = s02;
      m[m0 + f + 3] = s03;
      m[m1 + f] = s10;
      m[m1 + f + 1] = s11;
      m[m1 + f + 2] = s12;
      m[m1 + f + 3] = s13;
    }
    for (; f <= e1; f++) {
      const bf = (cols[start + f] as number) * k;
      let s0 = 0;
      let s1 = 0;
      for (let t = 0; t < k; t++) {
        const y = b[bf + t] as number;
        s0 += (a[a0 + t] as number) * y;
        s1 += (a[a1 + t] as number) * y;
      }
      m[m0 + f] = s0;
      m[m1 + f] = s1;
    }
  }
}

/** out += w0·y[o0 ..] + w1·y[o1 ..] + w2·y[o2 ..] + w3·y[o3 ..] over k numbers: four rows per pass over out. */
export function axpy4Into(
  y: Float64Array,
  k: number,
  o0: number,
  w0: number,
  o1: number,
  w1: number,
  o2: number,
  w2: number,
  o3: number,
  w3: number,
  out: Float64Array,
): void {
  for (let f = 0; f < k; f++) {
    out[f] =
      (out[f] as number) +
      (w0 * (y[o0 + f] as number) +
        w1 * (y[o1 + f] as number) +
        (w2 * (y[o2 + f] as number) + w3 * (y[o3 + f] as number)));
  }
}
