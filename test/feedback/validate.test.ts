import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { AttuneError } from '../../src/errors.js';
import { checkEvent } from '../../src/feedback/validate.js';
import { SIGNAL_NAMES } from '../../src/feedback/signals.js';
import { validateContext } from '../../src/feedback/context.js';
import { createRecommender, restoreRecommender } from '../../src/index.js';

const catalog = new Catalog();
catalog.add([{ id: 'so-what', tags: ['genre:jazz'] }, { id: '__proto__' }]);
const NOW = Date.UTC(2026, 0, 5);
const PROTECTED = ['gender', 'religion'];
const check = (raw: unknown) => checkEvent(raw, 'feedback: event', catalog, NOW, PROTECTED);

function refused(raw: unknown): AttuneError {
  try {
    check(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(AttuneError);
    return error as AttuneError;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('checkEvent', () => {
  it('applies the defaults and resolves the item to its index', () => {
    expect(check({ user: 'ann', item: 'so-what', signal: 'up' })).toEqual({
      user: 'ann',
      item: 0,
      signal: 'up',
      at: NOW,
      weight: 1,
      context: undefined,
    });
    const full = check({
      user: 'ann',
      item: '__proto__',
      signal: 'play',
      at: NOW - 5,
      weight: 2.5,
      context: { hour: 8, device: 'speaker', commute: true },
    });
    expect(full).toEqual({
      user: 'ann',
      item: 1,
      signal: 'play',
      at: NOW - 5,
      weight: 2.5,
      context: { hour: 8, device: 'speaker', commute: true },
    });
  });

  it('accepts every signal name and nothing else', () => {
    for (const signal of SIGNAL_NAMES) expect(check({ user: 'u', item: 'so-what', signal }).signal).toBe(signal);
    for (const signal of ['like', 'UP', '', 'toString', undefined, 1]) {
      const error = refused({ user: 'u', item: 'so-what', signal });
      expect(error.code).toBe('INVALID_EVENT');
      expect(error.message).toContain('up, down, tired, skip, play, purchase');
    }
  });

  it.each([
    ['not an object', null, 'INVALID_EVENT', 'must be an object'],
    ['an array', [], 'INVALID_EVENT', 'must be an object'],
    ['no user', { item: 'so-what', signal: 'up' }, 'INVALID_EVENT', '.user must be a non-empty string'],
    ['an empty user', { user: '', item: 'so-what', signal: 'up' }, 'INVALID_EVENT', '.user must be a non-empty string'],
    [
      'an item that is not a string',
      { user: 'u', item: 7, signal: 'up' },
      'INVALID_EVENT',
      '.item must be a non-empty string',
    ],
    [
      'an unknown item',
      { user: 'u', item: 'kind-of-blue', signal: 'up' },
      'UNKNOWN_ITEM',
      'add it with addItems first',
    ],
    [
      'a time that is not finite',
      { user: 'u', item: 'so-what', signal: 'up', at: Number.NaN },
      'INVALID_EVENT',
      'must be a finite number of ms since epoch',
    ],
    [
      'a time given as a date string',
      { user: 'u', item: 'so-what', signal: 'up', at: '2026-01-05' },
      'INVALID_EVENT',
      'must be a finite number of ms since epoch',
    ],
    [
      'a zero weight',
      { user: 'u', item: 'so-what', signal: 'up', weight: 0 },
      'INVALID_EVENT',
      '.weight must be a positive number up to 1000000',
    ],
    [
      'a negative weight',
      { user: 'u', item: 'so-what', signal: 'up', weight: -1 },
      'INVALID_EVENT',
      '.weight must be a positive number up to 1000000',
    ],
    [
      'an infinite weight',
      { user: 'u', item: 'so-what', signal: 'up', weight: Infinity },
      'INVALID_EVENT',
      '.weight must be a positive number up to 1000000',
    ],
    [
      'a weight above the bound',
      { user: 'u', item: 'so-what', signal: 'up', weight: 1e308 },
      'INVALID_EVENT',
      '.weight must be a positive number up to 1000000',
    ],
    [
      'a time in seconds',
      { user: 'u', item: 'so-what', signal: 'up', at: 1_767_571_200 },
      'INVALID_EVENT',
      'looks like seconds since epoch',
    ],
    [
      'a time a Date cannot show',
      { user: 'u', item: 'so-what', signal: 'up', at: 8.64e15 + 1 },
      'INVALID_EVENT',
      'the year 100,000',
    ],
    [
      'a misspelt field',
      { user: 'u', item: 'so-what', signal: 'up', wieght: 2 },
      'INVALID_EVENT',
      'unknown field "wieght"',
    ],
    [
      'a context that is not an object',
      { user: 'u', item: 'so-what', signal: 'up', context: 'morning' },
      'INVALID_ARGUMENT',
      'context must be a plain object',
    ],
    [
      'a context value that is an object',
      { user: 'u', item: 'so-what', signal: 'up', context: { hour: { h: 8 } } },
      'INVALID_ARGUMENT',
      'context.hour must be a string, finite number or boolean',
    ],
    [
      'a protected context key',
      { user: 'u', item: 'so-what', signal: 'up', context: { Gender: 'f' } },
      'PROTECTED_ATTRIBUTE',
      'is a protected attribute (gender)',
    ],
    [
      'a protected key inside a longer key',
      { user: 'u', item: 'so-what', signal: 'up', context: { user_religion: 'x' } },
      'PROTECTED_ATTRIBUTE',
      'remove it from the context',
    ],
  ])('refuses %s', (_, raw, code, words) => {
    const error = refused(raw);
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    expect(error.message.startsWith('feedback: event')).toBe(true);
  });
});

describe('protected attributes: whole words in any spelling', () => {
  // Made on first use, inside a test: a mutation run then knows which tests read the defaults.
  let defaults: string[] | undefined;
  const DEFAULTS = () =>
    (defaults ??= createRecommender({ items: [{ id: 'a', tags: ['genre:jazz'] }] }).options.protectedAttributes);
  const refused = (context: Record<string, unknown>) => {
    try {
      validateContext('recommend', context, DEFAULTS());
      return false;
    } catch (error) {
      if ((error as AttuneError).code !== 'PROTECTED_ATTRIBUTE') throw error;
      return true;
    }
  };

  it.each([
    'language',
    'page',
    'userAgent',
    'message',
    'storage',
    'screen_orientation',
    'trace_id',
    'stage',
    'usage',
    'average_rating',
    'homepage',
  ])('lets the ordinary key %s through', (key) => expect(refused({ [key]: 'x' })).toBe(false));

  it.each([
    'gender',
    'Gender',
    'user_gender',
    'userGender',
    'DOB',
    'birthdate',
    'yearOfBirth',
    'date-of-birth',
    'citizenship',
    'marital',
    'skin_color',
    'caste',
    'gendér',
    'gеnder',
    'ｇｅｎｄｅｒ',
    'SEXUAL_ORIENTATION',
    'ageGroup',
  ])('refuses the protected key %s', (key) => expect(refused({ [key]: 'x' })).toBe(true));

  it('refuses a value that names a protected group, under any key', () => {
    expect(refused({ segment: 'female' })).toBe(true);
    expect(refused({ audience: 'Muslim listeners' })).toBe(true);
    expect(refused({ segment: 'commuters', mood: 'mellow' })).toBe(false);
  });

  it('refuses a Date or String object as a context, and keeps a frozen copy', () => {
    expect(() => validateContext('recommend', new Date(), DEFAULTS())).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => validateContext('recommend', new String('x'), DEFAULTS())).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const original: Record<string, string | number> = { hour: 8 };
    const kept = validateContext('recommend', original, DEFAULTS())!;
    original['gender'] = 'f';
    expect(Object.keys(kept)).toEqual(['hour']);
    expect(Object.isFrozen(kept)).toBe(true);
  });

  it('cannot be switched off: replace must keep every built-in name, and a snapshot cannot drop one', () => {
    expect(() => createRecommender({ protectedAttributes: { replace: ['zzz'] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    const rec = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['caste', 'tribe'] } });
    const snap = JSON.parse(JSON.stringify(rec.snapshot()));
    snap.options.protectedAttributes = { replace: ['tribe'] };
    expect(() => restoreRecommender(snap)).toThrow(expect.objectContaining({ code: 'BAD_SNAPSHOT' }));
  });
});
