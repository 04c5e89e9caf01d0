/**
 * Simulated listeners for the decay benchmark: one session of 10 songs a
 * day against the real recommender (src/index.ts), driven by attune/eval's
 * `simulateListening`. Each listener gets a recommender of its own, so the
 * numbers are per listener and nothing is shared between seeds.
 *
 * Scenarios (seed s picks the genres; the catalog is seeded by s too):
 * - abrupt: taste `{ genre:A: 1 }` for a year (365 sessions), then from day
 *   365 on `{ genre:B: 1 }`, B ≠ A.
 * - drift: the same, but the taste moves linearly from A to B over 90 days
 *   from day 365 (B becomes the favourite at day 45 of the drift).
 * - stationary: a mixed, never-changing taste
 *   `{ genre:A: 0.7, genre:B: 0.5, mood:M: 0.3 }` (B songs are liked about
 *   half the time, so the surprise stream is noisy) for a year.
 */
import { createRecommender } from '../../src/index.js';
import {
  BUILT_IN_GENRES,
  createListener,
  generateCatalog,
  sessionTime,
  simulateListening,
} from '../../src/eval/index.js';
import type { Listener, Taste } from '../../src/eval/index.js';
import { DAY_MS } from '../../src/decay/decay.js';
import { mean } from './report.js';

/** First session: 2023-01-01 20:00 UTC (an evening session every day). */
export const T0 = Date.UTC(2023, 0, 1, 20);
export const STABLE_DAYS = 365;
export const DRIFT_DAYS = 90;
/** Sessions simulated after a change, at most (runs that never adapt are censored here). */
export const HORIZON = 365;
/** Sessions after a change over which liked and match shares are averaged. */
export const AFTER_WINDOW = 30;
const CHUNK = 10;

export const CATALOG_SHAPE = { genres: 8, itemsPerGenre: 50, artistsPerGenre: 8 } as const;

export interface Variant {
  key: 'full' | 'decay' | 'detect' | 'none';
  label: string;
  halfLifeDays: number;
  lifeStages: boolean;
}

export const VARIANTS: readonly Variant[] = [
  { key: 'full', label: 'decay (90 d) + detection (defaults)', halfLifeDays: 90, lifeStages: true },
  { key: 'decay', label: 'decay only (90 d, `lifeStages: false`)', halfLifeDays: 90, lifeStages: false },
  { key: 'detect', label: 'detection only (`halfLifeDays: Infinity`)', halfLifeDays: Infinity, lifeStages: true },
  {
    key: 'none',
    label: 'neither (`halfLifeDays: Infinity, lifeStages: false`)',
    halfLifeDays: Infinity,
    lifeStages: false,
  },
];

export type ScenarioKind = 'abrupt' | 'drift' | 'stationary';

/** What one listener's run measured. */
export interface ListenerRun {
  seed: number;
  /** Sessions of feedback after the change before the top 10 held ≥ 6 songs of the new taste; null: not within HORIZON. */
  sessionsToAdapt: number | null;
  /** Mean liked share (up/play) over the stable year. */
  likedStable: number;
  /** Mean liked share and match share over the first AFTER_WINDOW sessions after the change. */
  likedAfter: number;
  matchAfter: number;
  /** Detected changes during the stable year (false alarms). */
  falseAlarms: number;
  /** Days from the change to the first detection after it; null: none within the run. */
  detectionDelayDays: number | null;
  sessions: number;
}

const GENRES = Object.keys(BUILT_IN_GENRES).slice(0, CATALOG_SHAPE.genres);

/** Genre A (before), genre B (after), and a mood, picked by the seed; B ≠ A. */
export function genresFor(seed: number): { before: string; after: string; mood: string } {
  const before = GENRES[seed % GENRES.length] as string;
  const after = GENRES[(seed + 1 + (((seed * 7) >> 3) % (GENRES.length - 1))) % GENRES.length] as string;
  const moods = BUILT_IN_GENRES[after]?.moods ?? ['mellow'];
  return { before, after, mood: moods[seed % moods.length] as string };
}

function listenerFor(
  kind: ScenarioKind,
  seed: number,
  catalog: Parameters<typeof createListener>[0]['catalog'],
): Listener {
  const { before, after, mood } = genresFor(seed);
  const changeAt = sessionTime(STABLE_DAYS, { start: T0 });
  if (kind === 'stationary') {
    const taste: Taste = { [`genre:${before}`]: 0.7, [`genre:${after}`]: 0.5, [`mood:${mood}`]: 0.3 };
    return createListener({ id: `listener-${seed}`, seed, catalog, taste });
  }
  return createListener({
    id: `listener-${seed}`,
    seed,
    catalog,
    taste: { [`genre:${before}`]: 1 },
    changes: [
      { at: changeAt, taste: { [`genre:${after}`]: 1 }, ...(kind === 'drift' ? { driftDays: DRIFT_DAYS } : {}) },
    ],
  });
}

/**
 * One listener, one variant: a stable year, then (unless stationary) the
 * change, simulated in chunks of 10 sessions until the recommender has
 * adapted and AFTER_WINDOW sessions have passed, or HORIZON is reached.
 */
export function runListener(kind: ScenarioKind, seed: number, variant: Variant): ListenerRun {
  const catalog = generateCatalog({ seed, ...CATALOG_SHAPE });
  let now = T0;
  const recommender = createRecommender({
    items: catalog,
    seed,
    halfLifeDays: variant.halfLifeDays,
    lifeStages: variant.lifeStages,
    // propensities are not read here; one draw instead of 32 gives the very same lists, faster
    propensitySamples: 1,
    now: () => now,
  });
  const listener = listenerFor(kind, seed, catalog);
  const clock = (at: number) => (now = at);
  const stable = simulateListening({ recommender, listeners: [listener], sessions: STABLE_DAYS, start: T0, clock });
  const changeAt = sessionTime(STABLE_DAYS, { start: T0 });
  const liked: number[] = [];
  const match: number[] = [];
  let sessionsToAdapt: number | null = null;
  let offset = 0;
  if (kind !== 'stationary') {
    while (offset < HORIZON && (sessionsToAdapt === null || offset < AFTER_WINDOW)) {
      const n = Math.min(CHUNK, HORIZON - offset);
      const report = simulateListening({
        recommender,
        listeners: [listener],
        sessions: n,
        start: changeAt + offset * DAY_MS,
        clock,
      });
      liked.push(...report.likedShare);
      match.push(...report.matchShare);
      const adapted = report.adaptations[0]?.sessionsToAdapt;
      if (sessionsToAdapt === null && adapted !== null && adapted !== undefined) sessionsToAdapt = offset + adapted;
      offset += n;
    }
  }
  const detected = recommender
    .profile(listener.id)
    .changes.filter((c) => c.cause === 'detected')
    .map((c) => c.at);
  const firstAfter = detected.find((at) => at >= changeAt);
  return {
    seed,
    sessionsToAdapt,
    likedStable: mean(stable.likedShare),
    likedAfter: mean(liked.slice(0, AFTER_WINDOW)),
    matchAfter: mean(match.slice(0, AFTER_WINDOW)),
    falseAlarms: detected.filter((at) => at < changeAt).length,
    detectionDelayDays: firstAfter === undefined ? null : (firstAfter - changeAt) / DAY_MS,
    sessions: STABLE_DAYS + offset,
  };
}
