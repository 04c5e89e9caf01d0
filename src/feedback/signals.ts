import type { Signal } from '../types.js';

/** How a signal teaches the models. */
export interface SignalSemantics {
  /** Label for the preference models: 1 liked, 0 not liked, null teaches nothing. */
  label: 1 | 0 | null;
  /** Importance of one event (before its `weight`): how much a model should move. */
  strength: number;
  /** Explicit signals are quoted in reasons at once; implicit ones after a delay. */
  explicit: boolean;
}

/**
 * Pandora semantics: thumbs are strong, plays and skips weak, `tired` is a
 * rest with no negative learning, a purchase is a strong positive.
 */
export const SIGNALS = {
  up: { label: 1, strength: 3, explicit: true },
  down: { label: 0, strength: 3, explicit: true },
  tired: { label: null, strength: 0, explicit: true },
  skip: { label: 0, strength: 0.5, explicit: false },
  play: { label: 1, strength: 0.5, explicit: false },
  purchase: { label: 1, strength: 2, explicit: false },
} as const satisfies Readonly<Record<Signal, SignalSemantics>>;

export const SIGNAL_NAMES = Object.keys(SIGNALS) as Signal[];

/** The signals whose label is not null, read from {@link SIGNALS}. */
type LabelledSignal = { [S in Signal]: (typeof SIGNALS)[S]['label'] extends null ? never : S }[Signal];

/** The signals that teach (a label that is not null): each has a decayed sum in a person's evidence records. */
export type LearningSignal = Exclude<Signal, 'tired'>;

// A signal added without a label, or `tired` given one, fails to compile here: the two must agree.
const LEARNING_SIGNAL_AGREES: [LabelledSignal] extends [LearningSignal]
  ? [LearningSignal] extends [LabelledSignal]
    ? true
    : never
  : never = true;
void LEARNING_SIGNAL_AGREES;

/** The signals that teach, in the order of {@link SIGNALS} (the order of their columns in a snapshot). */
export const LEARNING_SIGNALS = SIGNAL_NAMES.filter((s) => SIGNALS[s].label !== null) as LearningSignal[];

export function isSignal(value: unknown): value is Signal {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SIGNALS, value);
}
