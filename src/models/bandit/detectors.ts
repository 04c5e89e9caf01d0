/**
 * Change detection on each arm's reward stream, with a reset on a detection (GLR-klUCB / GLR-TS
 * style, Besson et al. 2020; Page–Hinkley, Page 1954): its options, resolved once, and the
 * detectors they make.
 */
import { AttuneError, check, describeValue, isFiniteNumber } from '../../errors.js';
import {
  GlrChangeDetector,
  PageHinkleyDetector,
  changeDetectorFromJSON,
  type ChangeDetector,
} from '../../decay/changeDetection.js';
import { BANDIT_DEFAULTS } from './constants.js';
import { positive } from './options.js';
import type { BanditChangeDetectionOptions } from './types.js';

const API = 'createBandit';

/** Change detection with every default filled in. */
export type ResolvedChangeDetection =
  | {
      kind: 'glr';
      delta: number;
      model: 'bernoulli' | 'gaussian';
      sigma: number;
      maxHistory: number;
      reset: 'arm' | 'all';
    }
  | { kind: 'page-hinkley'; delta: number; threshold: number; reset: 'arm' | 'all' };

/**
 * Checks and resolves the `changeDetection` option of a bandit of `kind`; a `contextual` bandit
 * watches residuals, so its GLR test is Gaussian.
 * @throws AttuneError `INVALID_OPTIONS` saying what to fix.
 */
export function resolveChangeDetection(
  cd: BanditChangeDetectionOptions | undefined,
  kind: string,
  contextual: boolean,
): ResolvedChangeDetection | null {
  if (cd === undefined) return null;
  const name = 'changeDetection';
  check(
    typeof cd === 'object' && cd !== null,
    'INVALID_OPTIONS',
    `${API}: ${name} must be an object like { kind: 'glr' }, got ${describeValue(cd)}`,
  );
  const reset = cd.reset ?? 'arm';
  check(
    reset === 'arm' || reset === 'all',
    'INVALID_OPTIONS',
    `${API}: ${name}.reset must be 'arm' or 'all', got ${describeValue(reset)}`,
  );
  switch (cd.kind) {
    case 'glr': {
      const delta = cd.delta ?? BANDIT_DEFAULTS.glrDelta;
      check(
        isFiniteNumber(delta) && delta > 0 && delta < 1,
        'INVALID_OPTIONS',
        `${API}: ${name}.delta must be in (0, 1), got ${describeValue(delta)}`,
      );
      const model = cd.model ?? (contextual ? 'gaussian' : 'bernoulli');
      check(
        model === 'bernoulli' || model === 'gaussian',
        'INVALID_OPTIONS',
        `${API}: ${name}.model must be 'bernoulli' or 'gaussian', got ${describeValue(model)}`,
      );
      check(
        !(contextual && model === 'bernoulli'),
        'INVALID_OPTIONS',
        `${API}: ${name}.model 'bernoulli' does not fit kind "${kind}" (it watches residuals); use 'gaussian'`,
      );
      const sigma = positive(cd.sigma ?? BANDIT_DEFAULTS.glrSigma, `${name}.sigma`);
      const maxHistory = cd.maxHistory ?? BANDIT_DEFAULTS.glrMaxHistory;
      check(
        Number.isInteger(maxHistory) && maxHistory >= 10,
        'INVALID_OPTIONS',
        `${API}: ${name}.maxHistory must be a whole number >= 10, got ${describeValue(maxHistory)}`,
      );
      return { kind: 'glr', delta, model, sigma, maxHistory, reset };
    }
    case 'page-hinkley': {
      const delta = cd.delta ?? BANDIT_DEFAULTS.pageHinkleyDelta;
      check(
        isFiniteNumber(delta) && delta >= 0,
        'INVALID_OPTIONS',
        `${API}: ${name}.delta must be a number >= 0, got ${describeValue(delta)}`,
      );
      const threshold = positive(cd.threshold ?? BANDIT_DEFAULTS.pageHinkleyThreshold, `${name}.threshold`);
      return { kind: 'page-hinkley', delta, threshold, reset };
    }
    default: {
      const _: never = cd;
      check(
        false,
        'INVALID_OPTIONS',
        `${API}: ${name}.kind must be 'glr' or 'page-hinkley', got ${describeValue((_ as { kind: unknown }).kind)}`,
      );
    }
  }
}

/** The detector the options ask for, or null. */
export function makeDetector(cd: ResolvedChangeDetection | null): ChangeDetector | null {
  if (cd === null) return null;
  switch (cd.kind) {
    case 'glr':
      return new GlrChangeDetector({ delta: cd.delta, model: cd.model, sigma: cd.sigma, maxHistory: cd.maxHistory });
    case 'page-hinkley':
      return new PageHinkleyDetector({ delta: cd.delta, threshold: cd.threshold });
    default: {
      const _: never = cd;
      throw new AttuneError('INVALID_OPTIONS', `${API}: unknown changeDetection ${describeValue(_)}`);
    }
  }
}

/**
 * An arm's detector from its snapshot: one of the kind the options ask for, or null without change detection.
 * @throws AttuneError `BAD_SNAPSHOT` naming `what`.
 */
export function restoreDetector(
  json: unknown,
  cd: ResolvedChangeDetection | null,
  what: string,
): ChangeDetector | null {
  const bad = (message: string): never => {
    throw new AttuneError('BAD_SNAPSHOT', `restoreBandit: ${what}${message}`);
  };
  if (cd === null) {
    if (json !== null) bad('.detector must be null without changeDetection');
    return null;
  }
  let detector: ChangeDetector;
  try {
    detector = changeDetectorFromJSON(json);
  } catch (e) {
    return bad(`.detector: ${(e as Error).message}`);
  }
  if (detector.toJSON().kind !== cd.kind) bad('.detector does not match options.changeDetection');
  return detector;
}
