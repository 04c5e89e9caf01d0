import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { AttuneError } from '../../src/errors.js';
import { checkEvent } from '../../src/feedback/validate.js';
import { SIGNAL_NAMES } from '../../src/feedback/signals.js';

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
    expect(check({ user: 'ann', item: 'so-what', signal: 'up' })).toEqual({ user: 'ann', item: 0, signal: 'up', at: NOW, weight: 1, context: undefined });
    const full = check({ user: 'ann', item: '__proto__', signal: 'play', at: NOW - 5, weight: 2.5, context: { hour: 8, device: 'speaker', commute: true } });
    expect(full).toEqual({ user: 'ann', item: 1, signal: 'play', at: NOW - 5, weight: 2.5, context: { hour: 8, device: 'speaker', commute: true } });
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
    ['an item that is not a string', { user: 'u', item: 7, signal: 'up' }, 'INVALID_EVENT', '.item must be a non-empty string'],
    ['an unknown item', { user: 'u', item: 'kind-of-blue', signal: 'up' }, 'UNKNOWN_ITEM', 'add it with addItems first'],
    ['a time that is not finite', { user: 'u', item: 'so-what', signal: 'up', at: Number.NaN }, 'INVALID_EVENT', '.at must be a finite number'],
    ['a time given as a date string', { user: 'u', item: 'so-what', signal: 'up', at: '2026-01-05' }, 'INVALID_EVENT', '.at must be a finite number'],
    ['a zero weight', { user: 'u', item: 'so-what', signal: 'up', weight: 0 }, 'INVALID_EVENT', '.weight must be a positive finite number'],
    ['a negative weight', { user: 'u', item: 'so-what', signal: 'up', weight: -1 }, 'INVALID_EVENT', '.weight must be a positive finite number'],
    ['an infinite weight', { user: 'u', item: 'so-what', signal: 'up', weight: Infinity }, 'INVALID_EVENT', '.weight must be a positive finite number'],
    ['a context that is not an object', { user: 'u', item: 'so-what', signal: 'up', context: 'morning' }, 'INVALID_ARGUMENT', 'context must be an object'],
    ['a context value that is an object', { user: 'u', item: 'so-what', signal: 'up', context: { hour: { h: 8 } } }, 'INVALID_ARGUMENT', 'context.hour must be a string, finite number or boolean'],
    ['a protected context key', { user: 'u', item: 'so-what', signal: 'up', context: { Gender: 'f' } }, 'PROTECTED_ATTRIBUTE', 'is a protected attribute (gender)'],
    ['a protected key inside a longer key', { user: 'u', item: 'so-what', signal: 'up', context: { user_religion: 'x' } }, 'PROTECTED_ATTRIBUTE', 'remove it from the context'],
  ])('refuses %s', (_, raw, code, words) => {
    const error = refused(raw);
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    expect(error.message.startsWith('feedback: event')).toBe(true);
  });
});
