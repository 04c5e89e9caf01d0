/**
 * How much of a station's feedback reaches the person overall. Every event
 * is recorded whole in the person's own record — shared statistics
 * (popularity, the collaborative model) and what the person has seen count
 * it whole — but the person's own taste learns only STATION_SPILL of what
 * was given on a station: a down on the gym station says "not here", not
 * "never", and a thumb on one station should barely move another. So the
 * person's taste reads each record less (1 − STATION_SPILL) of the item's
 * station records (each such event is in both), which keeps the taste an
 * exact sum of per-record parts (attribution splits it exactly, undoing an
 * item takes its part out) and makes a station's feedback reach the person
 * as a weak signal whatever the order events arrived in.
 */
import { STATION_SPILL } from '../constants.js';
import type { Decay } from '../decay/decay.js';
import type { RecordContribution } from '../models/content/taste.js';
import { contribution } from './contribution.js';
import { LEARNING_SIGNALS, type ItemEvidence } from './evidence.js';
import type { PersonState } from './person.js';
import type { Scope } from './scope.js';
import type { StationState } from './stations.js';

/** Below this, what is left of a sum after taking a station's part out is rounding. */
const RESIDUE = 1e-9;

/**
 * Takes `share` of the sums of `given` (a station's record of the same
 * item, whose events are a subset of `record`'s) out of `record`: sums per
 * signal and per context, brought to the record's reference time. What is
 * left below rounding is zero.
 */
export function subtractSums(record: ItemEvidence, given: ItemEvidence, decay: Decay, share: number): void {
  const f = given.t === -Infinity ? 0 : share * decay.factor(record.t - given.t);
  if (f === 0) return;
  const minus = (x: number, y: number) => {
    const left = x - y * f;
    return left <= RESIDUE * Math.max(1, x) ? 0 : left;
  };
  for (const signal of LEARNING_SIGNALS) record[signal] = minus(record[signal], given[signal]);
  if (record.ctx !== undefined && given.ctx !== undefined) {
    for (const [feature, [p, n]] of Object.entries(given.ctx)) {
      const pair = record.ctx[feature];
      if (pair === undefined) continue;
      pair[0] = minus(pair[0], p);
      pair[1] = minus(pair[1], n);
      if (pair[0] === 0 && pair[1] === 0) delete record.ctx[feature];
    }
    if (Object.keys(record.ctx).length === 0) record.ctx = undefined;
  }
}

/**
 * What one learned record teaches its scope's taste: the record's whole
 * contribution on a station; in the person's own scope, the record less
 * (1 − STATION_SPILL) of the item's records on the person's stations
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
): RecordContribution {
  if (scope !== person || person.stations.size === 0) return contribution(record);
  let own: ItemEvidence | undefined;
  for (const station of person.stations.values()) {
    if (station === except) continue;
    const given = station.evidence.get(item);
    if (given === undefined || given.t === -Infinity) continue;
    own ??= { ...record, ctx: cloneContexts(record.ctx) };
    subtractSums(own, given, decay, 1 - STATION_SPILL);
  }
  return contribution(own ?? record);
}

function cloneContexts(ctx: ItemEvidence['ctx']): ItemEvidence['ctx'] {
  if (ctx === undefined) return undefined;
  const out: Record<string, [number, number]> = {};
  for (const [c, [p, n]] of Object.entries(ctx)) out[c] = [p, n];
  return out;
}
