/**
 * The input of the collaborative model: a user × item matrix in compressed
 * sparse row (CSR) form, one row per user, with two numbers per stored entry.
 */
import { AttuneError } from '../../errors.js';
import type { WeightedRows } from './sweep.js';

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
  if (!(indptr instanceof Int32Array) || indptr.length !== userCount + 1)
    fail(`indptr must be an Int32Array of length userCount + 1 (${userCount + 1})`);
  const nnz = indices.length;
  if (!(indices instanceof Int32Array)) fail('indices must be an Int32Array');
  if (!(confidence instanceof Float64Array) || confidence.length !== nnz)
    fail(`confidence must be a Float64Array of length ${nnz}`);
  if (!(preference instanceof Float64Array) || preference.length !== nnz)
    fail(`preference must be a Float64Array of length ${nnz}`);
  if (indptr[0] !== 0 || indptr[userCount] !== nnz) fail(`indptr must start at 0 and end at the entry count ${nnz}`);
  for (let u = 0; u < userCount; u++) {
    if ((indptr[u + 1] as number) < (indptr[u] as number)) fail(`indptr must not decrease (row ${u})`);
  }
  checkEntries(api, 'indices', indices, confidence, preference, itemCount, implicit);
}

/**
 * Throws `INVALID_ARGUMENT` (message prefixed with `api`) unless every entry
 * names an item below `itemCount` and has a finite confidence ≥ 0 and a
 * finite preference (≥ 0 when `implicit`). `itemsName` is the argument's name
 * in the message. The three arrays must already have the same length.
 */
export function checkEntries(
  api: string,
  itemsName: string,
  items: ArrayLike<number>,
  confidence: ArrayLike<number>,
  preference: ArrayLike<number>,
  itemCount: number,
  implicit: boolean,
): void {
  for (let e = 0; e < items.length; e++) {
    const item = items[e] as number;
    if (!Number.isInteger(item) || item < 0 || item >= itemCount) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: ${itemsName}[${e}] = ${item} is not an item index below itemCount ${itemCount}`,
      );
    }
    const c = confidence[e] as number;
    if (!Number.isFinite(c) || c < 0)
      throw new AttuneError('INVALID_ARGUMENT', `${api}: confidence[${e}] must be a finite number ≥ 0, got ${c}`);
    const p = preference[e] as number;
    if (!Number.isFinite(p) || (implicit && p < 0)) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: preference[${e}] must be a finite number${implicit ? ' ≥ 0' : ''}, got ${p}`,
      );
    }
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
  const fail = (what: string): never => {
    throw new AttuneError('INVALID_ARGUMENT', `interactionsFromCoordinates: ${what}`);
  };
  if (!Number.isInteger(userCount) || userCount < 0) fail(`userCount must be a whole number ≥ 0, got ${userCount}`);
  if (!Number.isInteger(itemCount) || itemCount < 0) fail(`itemCount must be a whole number ≥ 0, got ${itemCount}`);
  const n = users.length;
  if (items.length !== n || confidence.length !== n || preference.length !== n)
    fail('users, items, confidence and preference must have the same length');
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort(
    (a, b) => (users[a] as number) - (users[b] as number) || (items[a] as number) - (items[b] as number) || a - b,
  );
  const indptr = new Int32Array(userCount + 1);
  const outItems: number[] = [];
  const outConfidence: number[] = [];
  const outPreference: number[] = [];
  let lastUser = -1;
  let lastItem = -1;
  for (const i of order) {
    const u = users[i] as number;
    const item = items[i] as number;
    if (!Number.isInteger(u) || u < 0 || u >= userCount) fail(`user ${u} is not an index below ${userCount}`);
    if (!Number.isInteger(item) || item < 0 || item >= itemCount)
      fail(`item ${item} is not an index below ${itemCount}`);
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

/**
 * Builds {@link Interactions} from one entry list per user, each already
 * sorted by item without repeats (as a user's evidence is): the rows are
 * concatenated, no sort. Gives the same matrix as {@link interactionsFromCoordinates}.
 */
export function interactionsFromRows(
  itemCount: number,
  rows: readonly { items: ArrayLike<number>; confidence: ArrayLike<number>; preference: ArrayLike<number> }[],
): Interactions {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((row, u) => {
    indptr[u + 1] = (indptr[u] as number) + row.items.length;
  });
  const nnz = indptr[rows.length] as number;
  const indices = new Int32Array(nnz);
  const confidence = new Float64Array(nnz);
  const preference = new Float64Array(nnz);
  rows.forEach((row, u) => {
    const at = indptr[u] as number;
    for (let e = 0; e < row.items.length; e++) {
      const item = row.items[e] as number;
      if (e > 0 && !(item > (row.items[e - 1] as number)))
        throw new AttuneError(
          'INVALID_ARGUMENT',
          `interactionsFromRows: row ${u} must list its items in increasing order without repeats`,
        );
      indices[at + e] = item;
      confidence[at + e] = row.confidence[e] as number;
      preference[at + e] = row.preference[e] as number;
    }
  });
  return { userCount: rows.length, itemCount, indptr, indices, confidence, preference };
}

/** The same weighted entries grouped by column (CSR of the transpose); `columns` is the item count. */
export function transposeRows(byRow: WeightedRows, columns: number): WeightedRows {
  const { rows, indptr, indices, curvature, target } = byRow;
  const nnz = indices.length;
  const outPtr = new Int32Array(columns + 1);
  for (let e = 0; e < nnz; e++) {
    const slot = (indices[e] as number) + 1;
    outPtr[slot] = (outPtr[slot] as number) + 1;
  }
  for (let i = 0; i < columns; i++) outPtr[i + 1] = (outPtr[i + 1] as number) + (outPtr[i] as number);
  const cursor = outPtr.slice(0, columns);
  const outIndices = new Int32Array(nnz);
  const outCurvature = new Float64Array(nnz);
  const outTarget = new Float64Array(nnz);
  for (let r = 0; r < rows; r++) {
    for (let e = indptr[r] as number, end = indptr[r + 1] as number; e < end; e++) {
      const column = indices[e] as number;
      const slot = cursor[column] as number;
      cursor[column] = slot + 1;
      outIndices[slot] = r;
      outCurvature[slot] = curvature[e] as number;
      outTarget[slot] = target[e] as number;
    }
  }
  return { rows: columns, indptr: outPtr, indices: outIndices, curvature: outCurvature, target: outTarget };
}
