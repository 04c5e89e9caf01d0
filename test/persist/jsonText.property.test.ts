/**
 * JSON written in pieces and parsed in steps (fast-check; seed printed by
 * vitest.setup.ts): the pieces join to `JSON.stringify`'s text, and the
 * stepped parse accepts exactly what `JSON.parse` accepts and gives what it
 * gives — with batches of a few characters, so that arrays split often.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttuneError } from '../../src/errors.js';
import { JsonNumbers } from '../../src/kernels/jsonNumbers.js';
import {
  finishTextSteps,
  jsonPieces,
  LazyJsonArray,
  NumbersTaker,
  parseJsonSteps,
} from '../../src/persist/jsonText.js';

/** The text parsed in pieces cut at `cuts` (any places, even inside a token). */
function parsed(
  text: string,
  batchChars: number,
  cuts: number[] = [],
): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: finishTextSteps(parseJsonSteps('test', batchChars), piecesOf(text, cuts)) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** `text` cut at `cuts` (any places, even inside a token). */
function piecesOf(text: string, cuts: number[]): string[] {
  const places = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...places].map((from, i) => text.slice(from, places[i] ?? text.length));
}

function reference(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The same value, own keys in the same order (toStrictEqual ignores order), -0 told from 0. */
function same(a: unknown, b: unknown): void {
  expect(a).toStrictEqual(b);
  if (a !== null && typeof a === 'object') {
    expect(Object.keys(a)).toStrictEqual(Object.keys(b as object));
    for (const key of Object.keys(a)) same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
  }
}

/** JSON texts with extra whitespace in places and awkward keys. */
const textArb = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v, null, 1)),
  fc.constantFrom(
    '{"__proto__":{"a":1},"b":[]}',
    '{"a":1,"b":2,"a":3}',
    '[ ]',
    '[[],[[]],{}]',
    ' \t\n\r[1 , 2 ]\n',
    '"\\u0000\\"[,]"',
    '{"x":[{"y":[1,2,{"z":[3]}]}]}',
    '[-0, 1e400, -1e-400, 0.1, 1E+2]',
  ),
);

/** A JSON text with one character inserted, removed or replaced: often not JSON any more. */
const brokenArb = fc
  .tuple(textArb, fc.nat(), fc.constantFrom('insert', 'remove', 'replace'), fc.constantFrom(...',:[]{}"\\ 1-eantu'))
  .map(([text, at, how, c]) => {
    const i = at % (text.length + 1);
    if (how === 'insert') return text.slice(0, i) + c + text.slice(i);
    if (how === 'remove') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + c + text.slice(i + 1);
  });

/** A text (often not JSON), a batch size of a few characters and places to cut the text at. */
const inputArb = fc.tuple(
  fc.oneof(textArb, brokenArb),
  fc.integer({ min: 1, max: 12 }),
  fc.array(fc.nat(), { maxLength: 8 }),
);

describe('parseJsonSteps', () => {
  it('gives what JSON.parse gives and refuses what it refuses, whatever the batch size and the pieces', () => {
    fc.assert(
      fc.property(inputArb, ([text, batchChars, cuts]) => {
        const mine = parsed(text, batchChars, cuts);
        const theirs = reference(text);
        expect(mine.ok).toBe(theirs.ok);
        if (mine.ok && theirs.ok) same(mine.value, theirs.value);
        if (!mine.ok) {
          expect(mine.error).toBeInstanceOf(AttuneError);
          expect((mine.error as AttuneError).code).toBe('BAD_SNAPSHOT');
          expect((mine.error as AttuneError).message).toMatch(/^test: the text is not JSON: /);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('hands the elements of walked members to a taker, in order, and gives what it says in their place', () => {
    fc.assert(
      fc.property(inputArb, ([text, batchChars, cuts]) => {
        const pieces = piecesOf(text, cuts);
        const taken = new Map<object, { path: string[]; elements: unknown[] }>();
        const take = (path: readonly string[]) => {
          // Every other array member is taken (the keys ending in an even character code), the rest kept.
          const key = path[path.length - 1]!;
          if (key.length > 0 && key.charCodeAt(key.length - 1) % 2 === 1) return undefined;
          const entry = { path: [...path], elements: [] as unknown[] };
          const parsed = { taken: path.join('.') };
          taken.set(parsed, entry);
          return {
            parsed,
            *take(elements: readonly unknown[]) {
              for (const element of elements) {
                yield;
                entry.elements.push(element);
              }
            },
          };
        };
        const theirs = reference(text);
        let mine: unknown;
        try {
          mine = finishTextSteps(parseJsonSteps('test', batchChars, take), pieces);
        } catch (error) {
          expect(theirs.ok).toBe(false);
          expect((error as AttuneError).code).toBe('BAD_SNAPSHOT');
          return;
        }
        expect(theirs.ok).toBe(true);
        if (!theirs.ok) return;
        // Where a taker's placeholder stands, its elements are the array JSON.parse gives there.
        const check = (got: unknown, expected: unknown, path: string[]): void => {
          const entry = got !== null && typeof got === 'object' ? taken.get(got) : undefined;
          if (entry !== undefined) {
            expect(entry.path).toStrictEqual(path);
            same(entry.elements, expected);
            return;
          }
          if (got === null || typeof got !== 'object' || Array.isArray(got)) return same(got, expected);
          expect(Object.keys(got)).toStrictEqual(Object.keys(expected as object));
          for (const key of Object.keys(got))
            check((got as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], [...path, key]);
        };
        check(mine, theirs.value, []);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads arrays of numbers into JsonNumbers, and an array with anything else into a plain array', () => {
    for (const [text, plain] of [
      ['{"a":{"f":[1,-0,2.5e300,-1e-300,3]}}', false],
      ['{"a":{"f":[]}}', false],
      ['{"a":{"f":[1,2,"x",{"y":[3]}]}}', true],
      ['{"a":{"f":[null,1]}}', true],
    ] as const) {
      const expected = (JSON.parse(text) as { a: { f: unknown[] } }).a.f;
      for (const batchChars of [1, 3, 1000]) {
        const got = (
          finishTextSteps(
            parseJsonSteps('test', batchChars, (path) => (path.join('.') === 'a.f' ? new NumbersTaker() : undefined)),
            [text],
          ) as { a: { f: unknown } }
        ).a.f;
        expect(got instanceof JsonNumbers).toBe(!plain);
        expect(Array.isArray(got)).toBe(plain);
        same(Array.from(got as ArrayLike<unknown>), expected);
      }
    }
  });

  it('refuses texts JSON.parse refuses only because of a split batch', () => {
    for (const text of ['[1,]', '[ ,1]', '[1,,2]', '[,]', '[1 2]', '{"a":[1,]}', '[1}', '{"a":1,}', '[1]x', ''])
      for (const batchChars of [1, 2, 64])
        for (const cuts of [[], [1], [2, 3]])
          expect(parsed(text, batchChars, cuts).ok, `${text} / ${batchChars}`).toBe(false);
  });
});

describe('jsonPieces', () => {
  it('joins to the text of JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value));
      }),
    );
  });

  it('writes lazily made elements and Float64Arrays as arrays, and leaves undefined members out', () => {
    const numbers = Float64Array.from({ length: 20_000 }, (_, i) => Math.sin(i) * 1e-3 * (i % 7 === 0 ? -1 : 1));
    const value = {
      a: undefined,
      list: new LazyJsonArray(3, (i) => JSON.stringify({ i })),
      numbers,
      empty: new Float64Array(0),
      rows: Array.from({ length: 3000 }, (_, i) => [i, i / 3]),
    };
    const plain = { list: [{ i: 0 }, { i: 1 }, { i: 2 }], numbers: Array.from(numbers), empty: [], rows: value.rows };
    expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(plain));
  });
});
