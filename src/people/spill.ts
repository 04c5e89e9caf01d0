/**
 * How much of a station's feedback reaches the person overall. Every event
 * is recorded whole in the person's own record — shared statistics
 * (popularity, the collaborative model) and what the person has seen count
 * it whole — but the person's own taste learns only STATION_SPILL of what
 * was liked on a station, and nothing of what was turned down or skipped
 * there: a down on the gym station says "not here", not "never", and a
 * thumb on one station should barely move another. So the person's taste
 * reads each record less the item's station records (each such event is in
 * both) — their positive sums times (1 − STATION_SPILL), their negative
 * sums whole — which keeps the taste an
 * exact sum of per-record parts (attribution splits it exactly, undoing an
 * item takes its part out) and makes a station's feedback reach the person
 * as a weak signal whatever the order events arrived in.
 */
import { STATION_SPILL } from '../constants.js';
import type { Decay } from '../decay/decay.js';
import { SIGNALS } from '../feedback/signals.js';
import { contribution, type Contribution } from './contribution.js';
import { LEARNING_SIGNALS, type ItemEvidence } from './evidence.js';
import type { PersonState } from './person.js';
import type { Scope } from './scope.js';
import type { StationState } from './stations.js';

/** Below this, what is left of a sum after taking a station's part out is rounding. */
const RESIDUE = 1e-9;

/** The shares of a station's sums taken out of the person's record, by label: positive, negative. */
export interface Shares {
  positive: number;
  negative: number;
}

/** Everything: what a removed station takes with it. */
export const WHOLE: Shares = { positive: 1, negative: 1 };
/** What the person's taste does not learn of a station's record. */
const STAYS_ON_STATION: Shares = { positive: 1 - STATION_SPILL, negative: 1 };
/** What popularity does not count of a station's record. */
const NOT_SHARED: Shares = { positive: 0, negative: 1 };

/**
 * Takes `shares` of the sums of `given` (a station's record of the same
 * item, whose events are a subset of `record`'s) out of `record`: sums per
 * signal and per context, brought to the record's reference time, the
 * positive ones (label 1) times `shares.positive`, the negative ones times
 * `shares.negative`. What is left below rounding is zero.
 */
export function subtractSums(record: ItemEvidence, given: ItemEvidence, decay: Decay, shares: Shares): void {
  const f = given.t === -Infinity ? 0 : decay.factor(record.t - given.t);
  if (f === 0) return;
  const minus = (x: number, y: number, share: number) => {
    const left = x - y * f * share;
    return left <= RESIDUE * Math.max(1, x) ? 0 : left;
  };
  for (const signal of LEARNING_SIGNALS) {
    const share = SIGNALS[signal].label === 1 ? shares.positive : shares.negative;
    record[signal] = minus(record[signal], given[signal], share);
  }
  if (record.ctx !== undefined && given.ctx !== undefined) {
    for (const [feature, [p, n]] of Object.entries(given.ctx)) {
      const pair = record.ctx[feature];
      if (pair === undefined) continue;
      pair[0] = minus(pair[0], p, shares.positive);
      pair[1] = minus(pair[1], n, shares.negative);
      if (pair[0] === 0 && pair[1] === 0) delete record.ctx[feature];
    }
    if (Object.keys(record.ctx).length === 0) record.ctx = undefined;
  }
}

/**
 * What one learned record teaches its scope's taste: the record's whole
 * contribution on a station; in the person's own scope, the record less
 * what stays on the person's stations of the item's records there
 * (`except`: a station being removed, counted as gone). A pure function of
 * the person's records of the item. O(stations).
 */
export function tasteContribution(
  person: PersonState,
  scope: Scope,
  item: number,
  record: ItemEvidence,
  decay: Decay,
  except?: StationState,
): Contribution {
  if (scope !== person) return contribution(record);
  return contribution(lessStations(person, item, record, decay, STAYS_ON_STATION, except));
}

/**
 * What the person's record of `item` adds to shared popularity: the record
 * less what was turned down or skipped on their stations — "not on this
 * station" says how a song fits a station, not how good it is — so a
 * station's down moves the song elsewhere (for everyone, the person
 * included) only through the collaborative model. Likes on a station count
 * whole. O(stations).
 */
export function sharedContribution(
  person: PersonState,
  item: number,
  record: ItemEvidence,
  decay: Decay,
  except?: StationState,
): Contribution {
  return contribution(lessStations(person, item, record, decay, NOT_SHARED, except));
}

/** The person's `record` of `item` less `shares` of its records on the person's stations (but `except`); a copy when anything is taken. */
function lessStations(
  person: PersonState,
  item: number,
  record: ItemEvidence,
  decay: Decay,
  shares: Shares,
  except: StationState | undefined,
): ItemEvidence {
  let own: ItemEvidence | undefined;
  for (const station of person.stations.values()) {
    if (station === except) continue;
    const given = station.evidence.get(item);
    if (given === undefined || given.t === -Infinity) continue;
    own ??= { ...record, ctx: cloneContexts(record.ctx) };
    subtractSums(own, given, decay, shares);
  }
  return own ?? record;
}

function cloneContexts(ctx: ItemEvidence['ctx']): ItemEvidence['ctx'] {
  if (ctx === undefined) return undefined;
  const out: Record<string, [number, number]> = {};
  for (const [c, [p, n]] of Object.entries(ctx)) out[c] = [p, n];
  return out;
}
