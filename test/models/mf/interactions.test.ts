import { describe, expect, it } from 'vitest';
import { interactionsFromCoordinates } from '../../../src/models/mf/index.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    expect((error as Error).message).toMatch(/^interactionsFromCoordinates: /);
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('interactionsFromCoordinates', () => {
  it('groups by user, sorts by item and merges repeated pairs', () => {
    const data = interactionsFromCoordinates(3, 4, [2, 0, 2, 0], [1, 3, 1, 0], [1, 2, 3, 4], [0, 1, 1, 1]);
    expect(Array.from(data.indptr)).toEqual([0, 2, 2, 3]);
    expect(Array.from(data.indices)).toEqual([0, 3, 1]);
    expect(Array.from(data.confidence)).toEqual([4, 2, 4]);
    expect(Array.from(data.preference)).toEqual([1, 1, 1]);
  });

  it('refuses bad counts, lengths, users and items with INVALID_ARGUMENT', () => {
    expect(code(() => interactionsFromCoordinates(-1, 2, [], [], [], []))).toBe('INVALID_ARGUMENT');
    expect(code(() => interactionsFromCoordinates(2, 1.5, [], [], [], []))).toBe('INVALID_ARGUMENT');
    expect(code(() => interactionsFromCoordinates(2, 2, [0], [0, 1], [1], [1]))).toBe('INVALID_ARGUMENT');
    expect(code(() => interactionsFromCoordinates(2, 2, [2], [0], [1], [1]))).toBe('INVALID_ARGUMENT');
    for (const item of [2, -1, 0.5, Number.NaN])
      expect(code(() => interactionsFromCoordinates(2, 2, [0, 0], [item, item], [1, 1], [1, 1]))).toBe(
        'INVALID_ARGUMENT',
      );
  });
});
