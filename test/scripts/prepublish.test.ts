/** The publish guard (scripts/prepublish.ts): a package without repository, homepage and bugs is not published. */
import { describe, expect, it } from 'vitest';
import { missingMetadata } from '../../scripts/prepublish.js';

describe('the metadata a published package must carry', () => {
  it('names each missing field and what to put in it', () => {
    const missing = missingMetadata({ name: 'attune' });
    expect(missing).toHaveLength(3);
    expect(missing[0]).toMatch(/"repository"/);
    expect(missing[1]).toMatch(/"homepage"/);
    expect(missing[2]).toMatch(/"bugs"/);
  });

  it('accepts URLs given as strings or as { url } objects', () => {
    expect(
      missingMetadata({
        repository: { type: 'git', url: 'git+https://example.org/attune.git' },
        homepage: 'https://example.org/attune#readme',
        bugs: { url: 'https://example.org/attune/issues' },
      }),
    ).toEqual([]);
    expect(
      missingMetadata({
        repository: 'https://example.org/attune',
        homepage: 'https://example.org/attune',
        bugs: 'https://example.org/attune/issues',
      }),
    ).toEqual([]);
  });

  it('refuses empty or non-URL values', () => {
    const missing = missingMetadata({ repository: { type: 'git', url: '' }, homepage: 'TODO', bugs: {} });
    expect(missing).toHaveLength(3);
  });
});
