/**
 * The input of the collaborative model: a user × item matrix in compressed
 * sparse row (CSR) form, one row per user, with two numbers per stored entry.
 */
import { AttuneError } from '../../errors.js';

/**
 * User × item feedback in CSR form. Row `u` holds entries
 * `indptr[u] .. indptr[u + 1] - 1`; entry `e` is item `indices[e]`.
 *
 * - `confidence[e]` ≥ 0 is the *extra* confidence r_ui of Hu, Koren & Volinsky
 *   (2008), eq. 2: the model weighs the entry by c_ui = 1 + alpha·r_ui.
 * - `preference[e]` is p_ui: 1 for a liked item, 0 for a known zero (a
 *   thumbs-down: confident that p = 0, which is not the same as missing data).
 *   For explicit ALS it is the rating itself.
 */
export interface Interactions {
  userCount: number;
  itemCount: number;
  indptr: Int32Array;
  indices: Int32Array;
  confidence: Float64Array;
  preference: Float64Array;
}

/** Throws `INVALID_ARGUMENT` (message prefixed with `api`) unless `data` is a well-formed {@link Interactions}. */
export function validateInteractions(data: Interactions, api: string, implicit: boolean): void {
  const fail = (what: string): never => {
    throw new AttuneError('INVALID_ARGUMENT', `${api}: ${what}`);
  };
  const { userCount, itemCount, indptr, indices, confidence, preference } = data;
  if (!Number.isInteger(userCount) || userCount < 0) fail(`userCount must be a whole number ≥ 0, got ${userCount}`);
  if (!Number.isInteger(itemCount) || itemCount < 0) fail(`itemCount must be a whole number ≥ 0, got ${itemCount}`);
  if (!(indptr instanceof Int32Array) || indptr.length !== userCount + 1) fail(`indptr must be an Int32Array of length userCount + 1 (${userCount + 1})`);
  const nnz = indices.length;
  if (!(indices instanceof Int32Array)) fail('indices must be an Int32Array');
  if (!(confidence instanceof Float64Array) || confidence.length !== nnz) fail(`confidence must be a Float64Array of length ${nnz}`);
  if (!(preference instanceof Float64Array) || preference.length !== nnz) fail(`preference must be a Float64Array of length ${nnz}`);
  if (indptr[0] !== 0 || indptr[userCount] !== nnz) fail(`indptr must start at 0 and end at the entry count ${nnz}`);
  for (let u = 0; u < userCount; u++) {
    if ((indptr[u + 1] as number) < (indptr[u] as number)) fail(`indptr must not decrease (row ${u})`);
  }
  for (let e = 0; e < nnz; e++) {
    const item = indices[e] as number;
    if (item < 0 || item >= itemCount) fail(`indices[${e}] = ${item} is not an item index below itemCount ${itemCount}`);
    const c = confidence[e] as number;
    if (!Number.isFinite(c) || c < 0) fail(`confidence[${e}] must be a finite number ≥ 0, got ${c}`);
    const p = preference[e] as number;
    if (!Number.isFinite(p) || (implicit && p < 0)) fail(`preference[${e}] must be a finite number${implicit ? ' ≥ 0' : ''}, got ${p}`);
  }
}

/**
 * Builds {@link Interactions} from coordinate lists (one entry per index).
 * Entries are grouped by user and sorted by item; a repeated (user, item)
 * pair is merged by adding confidences and keeping the larger preference.
 */
export function interactionsFromCoordinates(
  userCount: number,
  itemCount: number,
  users: ArrayLike<number>,
  items: ArrayLike<number>,
  confidence: ArrayLike<number>,
  preference: ArrayLike<number>,
): Interactions {
  const n = users.length;
  if (items.length !== n || confidence.length !== n || preference.length !== n) {
    throw new AttuneError('INVALID_ARGUMENT', 'interactionsFromCoordinates: users, items, confidence and preference must have the same length');
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (users[a] as number) - (users[b] as number) || (items[a] as number) - (items[b] as number) || a - b);
  const indptr = new Int32Array(userCount + 1);
  const outItems: number[] = [];
  const outConfidence: number[] = [];
  const outPreference: number[] = [];
  let lastUser = -1;
  let lastItem = -1;
  for (const i of order) {
    const u = users[i] as number;
    const item = items[i] as number;
    if (!Number.isInteger(u) || u < 0 || u >= userCount) throw new AttuneError('INVALID_ARGUMENT', `interactionsFromCoordinates: user ${u} is not an index below ${userCount}`);
    if (u === lastUser && item === lastItem) {
      const last = outItems.length - 1;
      outConfidence[last] = (outConfidence[last] as number) + (confidence[i] as number);
      outPreference[last] = Math.max(outPreference[last] as number, preference[i] as number);
      continue;
    }
    outItems.push(item);
    outConfidence.push(confidence[i] as number);
    outPreference.push(preference[i] as number);
    indptr[u + 1] = (indptr[u + 1] as number) + 1;
    lastUser = u;
    lastItem = item;
  }
  for (let u = 0; u < userCount; u++) indptr[u + 1] = (indptr[u + 1] as number) + (indptr[u] as number);
  return {
    userCount,
    itemCount,
    indptr,
    indices: Int32Array.from(outItems),
    confidence: Float64Array.from(outConfidence),
    preference: Float64Array.from(outPreference),
  };
}

/** The same entries grouped by item (CSR of the transpose), with the per-entry values carried along. */
export function transposeWeights(
  data: Interactions,
  perEntry: ReadonlyArray<Float64Array>,
): { indptr: Int32Array; indices: Int32Array; values: Float64Array[] } {
  const { userCount, itemCount, indptr, indices } = data;
  const nnz = indices.length;
  const outPtr = new Int32Array(itemCount + 1);
  for (let e = 0; e < nnz; e++) {
    const slot = (indices[e] as number) + 1;
    outPtr[slot] = (outPtr[slot] as number) + 1;
  }
  for (let i = 0; i < itemCount; i++) outPtr[i + 1] = (outPtr[i + 1] as number) + (outPtr[i] as number);
  const cursor = outPtr.slice(0, itemCount);
  const outIndices = new Int32Array(nnz);
  const values = perEntry.map(() => new Float64Array(nnz));
  for (let u = 0; u < userCount; u++) {
    for (let e = indptr[u] as number, end = indptr[u + 1] as number; e < end; e++) {
      const item = indices[e] as number;
      const slot = cursor[item] as number;
      cursor[item] = slot + 1;
      outIndices[slot] = u;
      for (let v = 0; v < perEntry.length; v++) (values[v] as Float64Array)[slot] = (perEntry[v] as Float64Array)[e] as number;
    }
  }
  return { indptr: outPtr, indices: outIndices, values };
}
