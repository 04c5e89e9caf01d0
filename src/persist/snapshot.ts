/**
 * The snapshot format: plain JSON, versioned, a pure function of what was
 * learned (no wall-clock stamp), so two recommenders in the same state give
 * byte-identical snapshots. Version 2 holds state, not history: the options,
 * the catalog, every person's record (one entry per item they gave feedback
 * on), the shared popularity sums and the collaborative item factors. Its
 * size follows (person, item) pairs, and restoring it reads it without
 * replaying anything. Version 3 adds each person's own clock (their
 * evidence ages on their own time: absence is not forgetting) and each
 * record's wall time; a version 2 snapshot is read as people whose clocks
 * have not yet compressed a pause (their times were wall times). Version 1
 * snapshots (every event) are migrated by replaying them.
 */
import { MAX_DURATION_DAYS, MAX_TIME_MS, MIN_TIME_MS } from '../constants.js';
import { AttuneError, describeValue } from '../errors.js';
import type { OptionsJson } from '../options.js';
import type { PersonJson } from '../people/json.js';
import type { PopularityJson } from '../models/popularity/popularity.js';
import type { Item } from '../types.js';
import { SNAPSHOT_FORMAT } from './format.js';
import { parseSnapshotV1, type SnapshotV1 } from './snapshotV1.js';

export { SNAPSHOT_FORMAT };
export const SNAPSHOT_VERSION = 3;

/** A snapshot of a recommender (see `Recommender.snapshot`). */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  options: OptionsJson;
  items: Item[];
  people: PersonJson[];
  /** Shared popularity sums: [item, positive, negative, t, records]. */
  popularity: PopularityJson;
  /** Collaborative item factors, when trained. */
  collaborative?: unknown;
}

function bad(message: string): never {
  throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: ${message}`);
}

/**
 * Checks the envelope of a snapshot and returns it by version; the parts
 * (options, items, people, popularity) are validated by the readers of each.
 */
export function readEnvelope(
  raw: unknown,
): { version: 2 | 3; snapshot: Snapshot } | { version: 1; snapshot: SnapshotV1 } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    bad(`a snapshot must be an object, got ${describeValue(raw)}`);
  const o = raw as Record<string, unknown>;
  if (o['format'] !== SNAPSHOT_FORMAT) bad(`format must be "${SNAPSHOT_FORMAT}", got ${describeValue(o['format'])}`);
  if (o['version'] === 1) return { version: 1, snapshot: parseSnapshotV1(raw) };
  if (o['version'] !== SNAPSHOT_VERSION && o['version'] !== 2) {
    bad(
      `version ${describeValue(o['version'])} is not supported; this attune reads versions 1 and 2 (migrated on restore) and ${SNAPSHOT_VERSION}`,
    );
  }
  const known = new Set(['format', 'version', 'options', 'items', 'people', 'popularity', 'collaborative']);
  for (const key of Object.keys(o)) if (!known.has(key)) bad(`unknown field ${describeValue(key)}`);
  if (!Array.isArray(o['items'])) bad('items must be an array');
  if (!Array.isArray(o['people'])) bad('people must be an array');
  if (!Array.isArray(o['popularity'])) bad('popularity must be an array');
  return { version: o['version'] as 2 | 3, snapshot: raw as unknown as Snapshot };
}

/** Validates popularity sums against the catalog size. */
export function readPopularity(raw: readonly unknown[], items: number): PopularityJson {
  const seen = new Set<number>();
  return raw.map((row, i) => {
    const ok =
      Array.isArray(row) &&
      row.length === 5 &&
      Number.isInteger(row[0]) &&
      row[0] >= 0 &&
      row[0] < items &&
      !seen.has(row[0]) &&
      [row[1], row[2]].every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0) &&
      typeof row[3] === 'number' &&
      row[3] >= MIN_TIME_MS &&
      row[3] <= MAX_TIME_MS + MAX_DURATION_DAYS * 86_400_000 &&
      Number.isInteger(row[4]) &&
      row[4] >= 1;
    if (!ok) bad(`popularity[${i}] must be [item, positive, negative, time, records] for an item of the catalog`);
    seen.add(row[0] as number);
    return row as PopularityJson[number];
  });
}

/** Options of a version 1 snapshot in the current form. */
export function optionsFromV1(o: SnapshotV1['options']): OptionsJson {
  return {
    seed: o.seed,
    halfLifeDays: o.halfLifeDays,
    tiredDays: o.tiredDays,
    holdBackDays: o.holdBackDays,
    holdBackFacets: o.holdBackFacets,
    implicitQuoteDelayMinutes: o.implicitQuoteDelayMinutes,
    exploration: o.exploration,
    propensitySamples: o.propensitySamples,
    diversity: { facetCaps: o.facetCaps, maxTagShare: o.maxTagShare, mmrLambda: o.mmrLambda },
    // version 1 could drop built-in names; a migrated snapshot protects at least the built-in list
    protectedAttributes: { extend: o.protectedAttributes },
    poolSize: o.poolSize,
    lifeStages: o.lifeStages,
    collaborative: o.collaborative as OptionsJson['collaborative'],
  };
}
