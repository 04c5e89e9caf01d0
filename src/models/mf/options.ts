/** Options of the ALS model, their defaults (in one place) and their validation. */
import { AttuneError, describeValue } from '../../errors.js';

/** Which objective ALS minimises. */
export type AlsKind = 'implicit' | 'explicit';
/** How each k×k system is solved during `fit`. */
export type AlsSolver = 'cg' | 'cholesky';
/** How the stored `confidence` r_ui becomes the weight c_ui (see the `confidenceScaling` option of the collaborative model). */
export type ConfidenceScaling = 'linear' | 'log' | 'linear-log';

/** Options of {@link AlsModel.fit}. Every field is optional. */
export interface AlsOptions {
  /**
   * `'implicit'`: weighted matrix factorisation of Hu, Koren & Volinsky (2008), eq. 3 —
   * every (user, item) pair is a data point, p_ui = 0 where nothing is stored.
   * `'explicit'`: least squares over the stored ratings only (Zhou et al. 2008).
   * @default 'implicit'
   */
  kind?: AlsKind;
  /** Number of latent factors f. @default 64 */
  factors?: number;
  /** L2 penalty λ on every factor vector (HKV eq. 3). @default 0.1 */
  regularization?: number;
  /** Full alternating sweeps (users, then items). @default 15 */
  iterations?: number;
  /** Confidence scale α in c_ui = 1 + α·r_ui (HKV eq. 6). @default 5 */
  alpha?: number;
  /**
   * `'linear'`: c_ui = 1 + α·r_ui (HKV eq. 6); `'log'`: c_ui = 1 + α·ln(1 + r_ui/ε) (HKV eq. 7);
   * `'linear-log'`: linear up to ε and logarithmic above it,
   * c_ui = 1 + α·h(r_ui) with h(r) = r for r ≤ ε and h(r) = ε·(1 + ln(r/ε)) above
   * (continuous, with slope 1 at ε). Ordinary evidence (a thumb, a few plays)
   * keeps its linear weight, while a raw play count of 10,000 passed as a
   * `weight` counts like about 10 plays instead of swamping everything else.
   * @default 'linear'
   */
  confidenceScaling?: ConfidenceScaling;
  /** ε of the `'log'` and `'linear-log'` scalings. @default 1 */
  epsilon?: number;
  /**
   * `'cg'`: a few conjugate-gradient steps warm-started from the previous factor
   * (Takács, Pilászy & Tikk 2011) — fast, approximate per sweep; on a side with
   * many more rows than fixed rows they run preconditioned by the shared
   * YᵀY + λI (preconditioned CG), and the shortest rows may be solved exactly;
   * `'cholesky'`: the exact solve of HKV eq. 4 with `ml-matrix`.
   * @default 'cg'
   */
  solver?: AlsSolver;
  /** Conjugate-gradient steps per row and sweep (`solver: 'cg'`). @default 3 */
  cgSteps?: number;
  /** Seed of the keyed factor initialisation. @default 0 */
  seed?: number | string;
}

/** {@link AlsOptions} with every default filled in. */
export type ResolvedAlsOptions = Required<AlsOptions>;

/** The defaults of {@link AlsOptions}. */
export const ALS_DEFAULTS: Readonly<ResolvedAlsOptions> = Object.freeze({
  kind: 'implicit',
  factors: 64,
  regularization: 0.1,
  iterations: 15,
  alpha: 5,
  confidenceScaling: 'linear',
  epsilon: 1,
  solver: 'cg',
  cgSteps: 3,
  seed: 0,
});

/** Standard deviation of the initial factors (scaled by 1/√factors). */
export const INIT_SCALE = 0.1;

const MAX_FACTORS = 1024;

/** Fills in defaults and validates; throws `INVALID_OPTIONS` with a message prefixed by `api`. */
export function resolveAlsOptions(options: AlsOptions | undefined, api: string): ResolvedAlsOptions {
  const given: AlsOptions = options ?? {};
  const o: ResolvedAlsOptions = {
    kind: given.kind ?? ALS_DEFAULTS.kind,
    factors: given.factors ?? ALS_DEFAULTS.factors,
    regularization: given.regularization ?? ALS_DEFAULTS.regularization,
    iterations: given.iterations ?? ALS_DEFAULTS.iterations,
    alpha: given.alpha ?? ALS_DEFAULTS.alpha,
    confidenceScaling: given.confidenceScaling ?? ALS_DEFAULTS.confidenceScaling,
    epsilon: given.epsilon ?? ALS_DEFAULTS.epsilon,
    solver: given.solver ?? ALS_DEFAULTS.solver,
    cgSteps: given.cgSteps ?? ALS_DEFAULTS.cgSteps,
    seed: given.seed ?? ALS_DEFAULTS.seed,
  };
  const fail = (name: string, rule: string, value: unknown): never => {
    throw new AttuneError('INVALID_OPTIONS', `${api}: ${name} must be ${rule}, got ${describeValue(value)}`);
  };
  if (o.kind !== 'implicit' && o.kind !== 'explicit') fail('kind', "'implicit' or 'explicit'", o.kind);
  if (!Number.isInteger(o.factors) || o.factors < 1 || o.factors > MAX_FACTORS)
    fail('factors', `a whole number from 1 to ${MAX_FACTORS}`, o.factors);
  if (!Number.isFinite(o.regularization) || o.regularization < 0)
    fail('regularization', 'a finite number ≥ 0', o.regularization);
  if (!Number.isInteger(o.iterations) || o.iterations < 0 || o.iterations > 10_000)
    fail('iterations', 'a whole number from 0 to 10000', o.iterations);
  if (!Number.isFinite(o.alpha) || o.alpha < 0) fail('alpha', 'a finite number ≥ 0', o.alpha);
  if (o.confidenceScaling !== 'linear' && o.confidenceScaling !== 'log' && o.confidenceScaling !== 'linear-log')
    fail('confidenceScaling', "'linear', 'log' or 'linear-log'", o.confidenceScaling);
  if (!Number.isFinite(o.epsilon) || o.epsilon <= 0) fail('epsilon', 'a finite number > 0', o.epsilon);
  if (o.solver !== 'cg' && o.solver !== 'cholesky') fail('solver', "'cg' or 'cholesky'", o.solver);
  if (!Number.isInteger(o.cgSteps) || o.cgSteps < 1 || o.cgSteps > 1000)
    fail('cgSteps', 'a whole number from 1 to 1000', o.cgSteps);
  if (!(typeof o.seed === 'string' || Number.isFinite(o.seed))) fail('seed', 'a finite number or a string', o.seed);
  return o;
}
