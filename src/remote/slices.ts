/**
 * The heavy JSON work of a store-backed front — a whole namespace read for
 * train(), a model of several megabytes published or read, a snapshot moved
 * in — done a few milliseconds at a time with a turn of the event loop in
 * between, so that the process keeps serving meanwhile (the same slices as
 * `restoreRecommenderFrom` and `snapshotChunks`).
 */
import { SLICE_MS, yieldToEventLoop } from '../kernels/steps.js';
import { jsonPieces, MORE_TEXT, parseJsonSteps } from '../persist/jsonText.js';

/** Characters of text handed to the parser at a time. */
const PIECE_CHARS = 1 << 16;

/** A clock of slices: `pause()` gives the event loop a turn once a slice's time has passed. */
export class Slices {
  private last = globalThis.performance.now();

  /** Gives the event loop a turn if this slice has lasted long enough. */
  async pause(): Promise<void> {
    if (globalThis.performance.now() - this.last < SLICE_MS) return;
    await yieldToEventLoop();
    this.last = globalThis.performance.now();
  }
}

/**
 * `JSON.stringify(value)`, in slices; a Float64Array is written as an array
 * of its numbers (see jsonPieces), so a model's typed view needs no copy.
 */
export async function stringifyInSlices(value: unknown): Promise<string> {
  const slices = new Slices();
  const pieces: string[] = [];
  for (const piece of jsonPieces(value)) {
    pieces.push(piece);
    await slices.pause();
  }
  return pieces.join('');
}

/** `JSON.parse(text)`, in slices; text that is not JSON is `BAD_SNAPSHOT` naming `api`. */
export async function parseInSlices(text: string, api: string): Promise<unknown> {
  if (text.length <= PIECE_CHARS) return JSON.parse(text) as unknown;
  const slices = new Slices();
  const steps = parseJsonSteps(api);
  let at = 0;
  let answer: string | undefined;
  for (;;) {
    const next = steps.next(answer);
    if (next.done === true) return next.value;
    answer = undefined;
    if (next.value === MORE_TEXT && at < text.length) {
      answer = text.slice(at, at + PIECE_CHARS);
      at += PIECE_CHARS;
    }
    await slices.pause();
  }
}

/**
 * The text of `JSON.stringify(value)` (as {@link stringifyInSlices}) cut
 * into parts of `partChars` characters (the last may be shorter), made in
 * slices: the whole text is never held at once.
 */
export async function* jsonTextParts(value: unknown, partChars: number): AsyncGenerator<string, void, undefined> {
  const slices = new Slices();
  let pending = '';
  for (const piece of jsonPieces(value)) {
    pending += piece;
    while (pending.length >= partChars) {
      yield pending.slice(0, partChars);
      pending = pending.slice(partChars);
    }
    await slices.pause();
  }
  if (pending !== '') yield pending;
}

/**
 * `JSON.parse` of the concatenation of `parts` (text read part by part, as
 * they arrive), in slices; text that is not JSON is `BAD_SNAPSHOT` naming
 * `api`. An error thrown by `parts` is passed on as it is.
 */
export async function parsePartsInSlices(parts: AsyncIterator<string>, api: string): Promise<unknown> {
  const slices = new Slices();
  const steps = parseJsonSteps(api);
  let part = '';
  let at = 0;
  let ended = false;
  let answer: string | undefined;
  for (;;) {
    const next = steps.next(answer);
    if (next.done === true) return next.value;
    answer = undefined;
    if (next.value === MORE_TEXT) {
      while (at >= part.length && !ended) {
        const got = await parts.next();
        if (got.done === true) ended = true;
        else [part, at] = [got.value, 0];
      }
      if (at < part.length) {
        answer = part.slice(at, at + PIECE_CHARS);
        at += PIECE_CHARS;
      }
    }
    await slices.pause();
  }
}

/** `list.map(fn)`, in slices. */
export async function mapInSlices<T, U>(list: readonly T[], fn: (element: T, index: number) => U): Promise<U[]> {
  const slices = new Slices();
  const out: U[] = [];
  for (let i = 0; i < list.length; i++) {
    out.push(fn(list[i]!, i));
    await slices.pause();
  }
  return out;
}

/** Commands (or other calls) sent per batch by {@link inBatches}. */
export const CALL_BATCH = 100;

/**
 * `Promise.all(list.map(call))`, sent `CALL_BATCH` at a time with a turn of
 * the event loop between batches, so that a read of every person neither
 * sends nor decodes all of their records at once.
 */
export async function inBatches<T, U>(list: readonly T[], call: (element: T) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  for (let i = 0; i < list.length; i += CALL_BATCH) {
    out.push(...(await Promise.all(list.slice(i, i + CALL_BATCH).map(call))));
    await yieldToEventLoop();
  }
  return out;
}
