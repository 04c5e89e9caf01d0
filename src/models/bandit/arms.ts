/** The state every policy shares: arms, the sliding window, and everything a snapshot restores. */
import type { ChangeDetector } from '../../decay/changeDetection.js';
import type { DecayedSum } from '../../decay/decay.js';
import type { LinearStats } from './linear.js';
import type { BanditRandomState } from './random.js';

/** One arm's statistics. */
export interface ArmState {
  id: string;
  /** Discounted evidence (the count of updates); its time is the arm's reference time. */
  n: DecayedSum;
  /** Discounted reward sum of the context-free kinds (0 for the linear kinds). */
  s: DecayedSum;
  /** The linear kinds' model of the arm; null for the context-free kinds. */
  lin: LinearStats | null;
  detector: ChangeDetector | null;
}

/** One update inside the sliding window. */
export interface WindowEntry {
  /** Null once the arm is removed or reset: the entry must never be subtracted. */
  arm: ArmState | null;
  reward: number;
  context: Float64Array | null;
}

/** Everything a snapshot restores. */
export interface BanditState {
  random: BanditRandomState;
  selects: number;
  steps: number;
  clock: 'steps' | 'ms' | null;
  lastAt: number | null;
  detections: number;
  arms: ArmState[];
  window: WindowEntry[];
}

/** JSON has no −0: write +0 so a snapshot and its restored copy serialise alike. */
export function positiveZero(v: number): number {
  return v + 0;
}
