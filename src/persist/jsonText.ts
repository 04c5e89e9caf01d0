/**
 * JSON text written and read a little at a time: what streamed persistence
 * needs of JSON, apart from what a snapshot holds. Writing yields the text
 * of `JSON.stringify(value)` in pieces (objects member by member, arrays in
 * batches, lazily made elements one by one); reading is `JSON.parse(text)`
 * as steps that pause between batches of array elements and between object
 * members. The numbers, strings and small values are turned into text and
 * back by `JSON.stringify` / `JSON.parse` themselves, so the results are
 * theirs to the last bit; only the structure around them is walked here.
 */
import { AttuneError } from '../errors.js';
import { JsonNumbers } from '../kernels/jsonNumbers.js';
import type { Steps } from '../kernels/steps.js';

/** An array whose elements' JSON texts are made only when they are written (a person's, for one). */
export class LazyJsonArray {
  constructor(
    readonly length: number,
    readonly textAt: (index: number) => string,
  ) {}
}

/** Elements of a plain array written by one `JSON.stringify` call. */
const ARRAY_BATCH = 1024;
/** Numbers of a Float64Array written by one `JSON.stringify` call. */
const NUMBER_BATCH = 8192;

/** The elements of `list` as JSON text without the brackets (`JSON.stringify(list)` minus its first and last character). */
function elementsText(list: readonly unknown[]): string {
  return JSON.stringify(list).slice(1, -1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * The text of `JSON.stringify(value)` in pieces, each a little work. Plain
 * objects and arrays are walked; a {@link LazyJsonArray} is written as an
 * array of its elements' texts, made one at a time; a Float64Array as an array of its
 * numbers (where `JSON.stringify` would write an object of indices); any
 * other value by `JSON.stringify` in one piece.
 */
export function* jsonPieces(value: unknown): Generator<string, void, void> {
  if (value instanceof LazyJsonArray) {
    yield '[';
    for (let i = 0; i < value.length; i++) yield (i > 0 ? ',' : '') + value.textAt(i);
    yield ']';
  } else if (value instanceof Float64Array) {
    yield '[';
    for (let i = 0; i < value.length; i += NUMBER_BATCH)
      yield (i > 0 ? ',' : '') + elementsText(Array.from(value.subarray(i, i + NUMBER_BATCH)));
    yield ']';
  } else if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i += ARRAY_BATCH)
      yield (i > 0 ? ',' : '') + elementsText(value.slice(i, i + ARRAY_BATCH));
    yield ']';
  } else if (isPlainObject(value)) {
    let first = true;
    yield '{';
    for (const key of Object.keys(value)) {
      const member = value[key];
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      yield* jsonPieces(member);
      first = false;
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

/** Characters of array elements parsed by one `JSON.parse` call (a fraction of a millisecond, warm). */
const BATCH_CHARS = 1 << 14;
/** Objects nested deeper than this are parsed whole (a snapshot's large arrays sit at depth 3 at most). */
const WALKED_DEPTH = 4;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** What text steps yield to ask for the next piece of text: answer with `next(piece)`, or `next(undefined)` when there is none. */
export const MORE_TEXT: unique symbol = Symbol('attune.moreText');

/**
 * Steps that read their text as they go: they yield `undefined` where they
 * may pause and {@link MORE_TEXT} when they need the next piece of text.
 */
export type TextSteps<T> = Generator<typeof MORE_TEXT | undefined, T, string | undefined>;

/**
 * Takes the elements of an array as they are parsed, instead of the parse
 * keeping them (see {@link parseJsonSteps}).
 */
export interface ArrayTaker {
  /** Takes the next elements (a batch, in order), as steps that may pause. */
  take(elements: readonly unknown[]): Steps<void>;
  /** What the parse gives in place of the array (asked once the array has been read). */
  readonly parsed: unknown;
}

/**
 * Asked at every array that is a member of an object the parse walks, with
 * the keys from the top-level object down to the array's (`['people']`,
 * `['collaborative', 'als', 'itemFactors']`) and the object as read so far
 * (the members before it): what takes its elements, or undefined for the
 * parse to keep them.
 */
export type TakeArray = (path: readonly string[], before: Readonly<Record<string, unknown>>) => ArrayTaker | undefined;

/**
 * Takes an array of numbers into a {@link JsonNumbers} (no JavaScript
 * array of a million numbers grown and copied as it is read); an element
 * that is not a number turns it back into a plain array, so the reader of
 * the array sees what `JSON.parse` gives.
 */
export class NumbersTaker implements ArrayTaker {
  private numbers = new Float64Array(1024);
  private count = 0;
  private plain: unknown[] | undefined;

  *take(elements: readonly unknown[]): Steps<void> {
    this.add(elements);
    yield;
  }

  private add(elements: readonly unknown[]): void {
    if (this.plain !== undefined) {
      for (const element of elements) this.plain.push(element);
      return;
    }
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i];
      if (typeof element !== 'number') {
        this.plain = Array.from(this.numbers.subarray(0, this.count));
        for (let j = i; j < elements.length; j++) this.plain.push(elements[j]);
        return;
      }
      if (this.count === this.numbers.length) {
        const grown = new Float64Array(2 * this.numbers.length);
        grown.set(this.numbers);
        this.numbers = grown;
      }
      this.numbers[this.count++] = element;
    }
  }

  get parsed(): unknown {
    return this.plain ?? new JsonNumbers(this.numbers.buffer, 0, this.count);
  }
}

/** Runs text steps to the end at once over the pieces of a text. */
export function finishTextSteps<T>(steps: TextSteps<T>, pieces: Iterable<string>): T {
  const source = pieces[Symbol.iterator]();
  let answer: string | undefined;
  for (;;) {
    const next = steps.next(answer);
    if (next.done === true) return next.value;
    answer = next.value === MORE_TEXT ? (source.next().value ?? undefined) : undefined;
  }
}

/**
 * `JSON.parse` of a text read piece by piece, as steps: arrays are parsed a
 * batch of elements at a time, objects down to a few levels member by
 * member, and only the text not parsed yet is kept. Refuses what
 * `JSON.parse` refuses, with `BAD_SNAPSHOT` naming `api`; gives what it
 * gives (keys in the same order, `__proto__` an ordinary key, the last of
 * repeated keys). `batchChars`: how many characters of elements make a
 * batch (tests pass a few, to split often).
 */
export function* parseJsonSteps(api: string, batchChars = BATCH_CHARS, takeArray?: TakeArray): TextSteps<unknown> {
  const reader = new JsonReader(api, batchChars, takeArray);
  const value = yield* reader.value(0);
  if (!Number.isNaN(yield* reader.peek())) reader.fail('unexpected text after the end of the snapshot');
  return value;
}

class JsonReader {
  /** The text read and not yet consumed (at least from the start of the token being read). */
  private text = '';
  /** Where `text` starts in the whole text (for messages). */
  private offset = 0;
  private ended = false;
  /** The next character to read, in `text`. */
  private pos = 0;

  constructor(
    private readonly api: string,
    private readonly batchChars: number,
    private readonly takeArray: TakeArray | undefined,
  ) {}

  fail(what: string, at = this.pos): never {
    throw new AttuneError(
      'BAD_SNAPSHOT',
      `${this.api}: the text is not JSON: ${what} (at character ${this.offset + at})`,
    );
  }

  /**
   * Asks for the next piece of text, dropping what comes before `keep`;
   * returns how far positions in `text` moved back (-1: the text has ended).
   */
  private *more(keep: number): TextSteps<number> {
    if (this.ended) return -1;
    const piece = yield MORE_TEXT;
    if (piece === undefined) {
      this.ended = true;
      return -1;
    }
    this.text = this.text.slice(keep) + piece;
    this.offset += keep;
    this.pos -= keep;
    return keep;
  }

  /** The character at `pos` after spaces (NaN at the end of the text). */
  *peek(): TextSteps<number> {
    for (;;) {
      while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
      if (this.pos < this.text.length) return this.text.charCodeAt(this.pos);
      if ((yield* this.more(this.pos)) < 0) return NaN;
    }
  }

  /** From `from` to where `find` says the token ends, reading more text until it can say (or the text ends). */
  private *extent(from: number, find: (from: number) => number): TextSteps<{ from: number; end: number }> {
    for (;;) {
      const end = find(from);
      if (end >= 0) return { from, end };
      const moved = yield* this.more(from);
      if (moved < 0) return { from, end: this.text.length };
      from -= moved;
    }
  }

  /** `JSON.parse` of `text` from `from` to `to`, its errors as `BAD_SNAPSHOT`. */
  private parse(from: number, to: number, wrap = false): unknown {
    const slice = this.text.slice(from, to);
    try {
      return JSON.parse(wrap ? `[${slice}]` : slice);
    } catch (error) {
      return this.fail((error as Error).message, from);
    }
  }

  /** The value at `pos`; `member`: where it is a member of a walked object (the keys down to it, and that object as read so far). */
  *value(depth: number, member?: { path: readonly string[]; of: Record<string, unknown> }): TextSteps<unknown> {
    const c = yield* this.peek();
    if (c === OPEN_BRACE && depth < WALKED_DEPTH) return yield* this.object(depth, member?.path ?? []);
    if (c === OPEN_BRACKET) {
      const taker = member === undefined ? undefined : this.takeArray?.(member.path, member.of);
      if (taker === undefined) return yield* this.array();
      yield* this.array(taker);
      return taker.parsed;
    }
    const { from, end } = yield* this.extent(this.pos, (f) => this.valueEnd(f));
    this.pos = end;
    return this.parse(from, end);
  }

  private *object(depth: number, path: readonly string[]): TextSteps<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    this.pos++;
    if ((yield* this.peek()) === CLOSE_BRACE) {
      this.pos++;
      return out;
    }
    for (;;) {
      if ((yield* this.peek()) !== QUOTE) this.fail('expected a key in double quotes');
      const { from, end } = yield* this.extent(this.pos, (f) => this.stringEnd(f));
      this.pos = end;
      const key = this.parse(from, end) as string;
      if ((yield* this.peek()) !== COLON) this.fail('expected ":" after a key');
      this.pos++;
      const value = yield* this.value(depth + 1, { path: [...path, key], of: out });
      // As JSON.parse does: an own data property, even for "__proto__"; a repeated key keeps its place and takes the last value.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      yield;
      const c = yield* this.peek();
      this.pos++;
      if (c === CLOSE_BRACE) return out;
      if (c !== COMMA) this.fail('expected "," or "}" after a member', this.pos - 1);
    }
  }

  /** An array, a batch of whole elements (of any depth) per `JSON.parse`; handed to `taker` one by one when given. */
  private *array(taker?: ArrayTaker): TextSteps<unknown[]> {
    const out: unknown[] = [];
    this.pos++;
    for (let first = true, more = true; more; first = false) {
      const { from, end } = yield* this.extent(this.pos, (f) => this.batchEnd(f));
      const c = this.text.charCodeAt(end);
      if (c !== CLOSE_BRACKET && c !== COMMA) this.fail('the text ends inside an array', end);
      more = c === COMMA;
      this.pos = end + 1;
      const batch = this.parse(from, end, true) as unknown[];
      // `[1,]` is not JSON, though its batches "1" and "" each parse: only an empty array has an empty batch.
      if (batch.length === 0 && !(first && !more)) this.fail('expected a value', from);
      if (taker === undefined) for (const element of batch) out.push(element);
      else {
        const steps = taker.take(batch);
        while (steps.next().done !== true) yield;
      }
      yield;
    }
    return out;
  }

  /**
   * Where the batch of elements starting at `from` ends: at the array's
   * closing bracket, or at the first comma between elements once the batch
   * holds `batchChars` characters; -1 when `text` ends first. Brackets are
   * counted without checking their kinds: a batch that does not parse is
   * refused by `JSON.parse`, and one that parses has balanced brackets, so
   * the end found was the real one.
   */
  private batchEnd(from: number): number {
    const text = this.text;
    let depth = 0;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = this.stringEnd(i) - 1;
        if (i < 0) return -1;
      } else if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
      else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
        if (depth === 0) return c === CLOSE_BRACKET ? i : this.fail('expected "]" to close an array', i);
        depth--;
      } else if (c === COMMA && depth === 0 && i - from >= this.batchChars) return i;
    }
    return -1;
  }

  /** Where the value starting at `from` ends (a string, a nested container, or a number or literal); -1 when `text` ends first. */
  private valueEnd(from: number): number {
    const text = this.text;
    const first = text.charCodeAt(from);
    if (first === QUOTE) return this.stringEnd(from);
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      let depth = 0;
      for (let i = from; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          i = this.stringEnd(i) - 1;
          if (i < 0) return -1;
        } else if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
        else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && --depth === 0) return i + 1;
      }
      return -1;
    }
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) return i;
    }
    return -1;
  }

  /** The position after the string whose opening quote is at `from`; -1 when `text` ends first. */
  private stringEnd(from: number): number {
    const text = this.text;
    for (let i = from + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) return i + 1;
    }
    return -1;
  }
}
