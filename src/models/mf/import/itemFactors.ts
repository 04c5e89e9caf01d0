/**
 * Item factors trained elsewhere, read and validated: Spark MLlib ALS
 * (`model.itemFactors` written as JSON lines, `{"id": …, "features": […]}`)
 * and the Python `implicit` library (`numpy.save` of `model.item_factors`
 * plus the list of item ids, row r ↔ ids[r]).
 */
import { AttuneError, describeValue } from '../../../errors.js';
import { parseNpy } from './npy.js';

/** Where imported item factors come from. */
export type ItemFactorSource =
  | {
      /** Spark MLlib: `model.itemFactors.write.json(path)` (one JSON object a line). */
      format: 'spark-json';
      /** The text of the JSON-lines file(s). */
      text: string;
    }
  | {
      /** Python `implicit`: `numpy.save(path, model.item_factors)`. */
      format: 'npy';
      /** The bytes of the .npy file. */
      data: Uint8Array | ArrayBuffer;
      /** The item id of each row, in row order (e.g. the categories of the item column). */
      ids: readonly (string | number)[];
    };

/** Validated factors: one row of `factors` numbers per id, row-major. */
export interface ParsedItemFactors {
  ids: string[];
  factors: number;
  values: Float64Array;
}

/** The most factors an imported model may have. */
export const MAX_IMPORTED_FACTORS = 1024;

function bad(api: string, what: string): never {
  throw new AttuneError('BAD_FACTORS', `${api}: ${what}`);
}

function idOf(value: unknown, api: string, where: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return bad(api, `${where}: an id must be a non-empty string or a whole number, got ${describeValue(value)}`);
}

function parseSpark(text: string, api: string): ParsedItemFactors {
  const ids: string[] = [];
  const rows: number[][] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      bad(api, `line ${n + 1} is not JSON; expected {"id": …, "features": […]} on every line`);
    }
    if (row === null || typeof row !== 'object' || !Array.isArray((row as { features?: unknown }).features))
      bad(api, `line ${n + 1} must be an object {"id": …, "features": […]}`);
    const { id, features } = row as { id: unknown; features: unknown[] };
    const rowId = idOf(id, api, `line ${n + 1}`);
    // Checked row by row, before anything is sized from a row: one huge line is refused, not allocated.
    if (features.length > MAX_IMPORTED_FACTORS)
      bad(
        api,
        `item ${describeValue(rowId)} has ${features.length} features; at most ${MAX_IMPORTED_FACTORS} are supported`,
      );
    if (rows.length > 0 && features.length !== rows[0]!.length)
      bad(
        api,
        `item ${describeValue(rowId)} has ${features.length} features, the first has ${rows[0]!.length}; every row must have the same length`,
      );
    ids.push(rowId);
    rows.push(features as number[]);
  });
  const factors = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * factors);
  rows.forEach((features, r) => {
    features.forEach((v, f) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        bad(api, `item ${describeValue(ids[r])} has a non-finite or non-numeric feature ${describeValue(v)}`);
      values[r * factors + f] = v;
    });
  });
  return { ids, factors, values };
}

function parseImplicit(
  data: Uint8Array | ArrayBuffer,
  ids: readonly (string | number)[],
  api: string,
): ParsedItemFactors {
  const bytes =
    data instanceof Uint8Array
      ? data
      : data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : bad(api, 'data must be the bytes of the .npy file (a Uint8Array or ArrayBuffer)');
  if (!Array.isArray(ids)) bad(api, 'ids must be an array with the item id of each row');
  const matrix = parseNpy(bytes, api, MAX_IMPORTED_FACTORS);
  if (matrix.rows !== ids.length)
    bad(
      api,
      `the .npy file has ${matrix.rows} rows but ids names ${ids.length} items; pass one id per row, in row order`,
    );
  // Array.from visits holes ([a, , b]) as undefined, which idOf refuses: no row is dropped.
  return {
    ids: Array.from(ids, (id, r) => idOf(id, api, `ids[${r}]`)),
    factors: matrix.columns,
    values: matrix.values,
  };
}

/**
 * Reads `source`, then checks what every format must satisfy: at least one
 * item and one factor, finite numbers, no id twice. Throws `BAD_FACTORS`.
 */
export function parseItemFactors(source: ItemFactorSource, api: string): ParsedItemFactors {
  if (source === null || typeof source !== 'object')
    bad(
      api,
      `source must be { format: 'spark-json', text } or { format: 'npy', data, ids }, got ${describeValue(source)}`,
    );
  let parsed: ParsedItemFactors;
  if (source.format === 'spark-json') {
    if (typeof source.text !== 'string') bad(api, 'text must be the JSON-lines text Spark wrote');
    parsed = parseSpark(source.text, api);
  } else if (source.format === 'npy') parsed = parseImplicit(source.data, source.ids, api);
  else
    return bad(
      api,
      `format must be 'spark-json' or 'npy', got ${describeValue((source as { format?: unknown }).format)}`,
    );
  if (parsed.ids.length === 0 || parsed.factors === 0)
    bad(api, 'no factors found: the source holds no rows, or rows without features');
  if (parsed.factors > MAX_IMPORTED_FACTORS)
    bad(api, `at most ${MAX_IMPORTED_FACTORS} factors are supported, got ${parsed.factors}`);
  for (let i = 0; i < parsed.values.length; i++) {
    if (!Number.isFinite(parsed.values[i] as number))
      bad(
        api,
        `item ${describeValue(parsed.ids[Math.floor(i / parsed.factors)])} has a non-finite or non-numeric factor`,
      );
  }
  const seen = new Set<string>();
  for (const id of parsed.ids) {
    if (seen.has(id)) bad(api, `item ${describeValue(id)} appears twice`);
    seen.add(id);
  }
  return parsed;
}
