import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_CASES, transcript } from './transcript.js';

/**
 * SHA-256 of each case's transcript (every answer and every snapshot of one fixed script of calls),
 * written by the single-class bandit before it became one policy a file over a shared core
 * (commit 56d30a7). Equal digests mean the same choices, propensities, expectations and snapshot
 * bytes for the same calls. A change that means to alter them rewrites this file and says why; a
 * case added since (a new policy in `cases.ts`) has no digest here and is not pinned.
 */
const expected = JSON.parse(readFileSync(new URL('./transcripts.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;

const runs = TRANSCRIPT_CASES.flatMap((c) => (['steps', 'ms'] as const).map((clock) => ({ c, clock })));

describe('bandit transcripts', () => {
  it('still runs every case it has a digest for', () => {
    const names = new Set(runs.map(({ c, clock }) => `${c.name} / ${clock}`));
    expect(Object.keys(expected).filter((name) => !names.has(name))).toEqual([]);
  });

  it.each(runs.filter(({ c, clock }) => `${c.name} / ${clock}` in expected))(
    '$c.name on the $clock clock answers and snapshots byte for byte as before',
    ({ c, clock }) => {
      const digest = createHash('sha256').update(transcript(c, clock)).digest('hex');
      expect(digest).toBe(expected[`${c.name} / ${clock}`]);
    },
  );
});
