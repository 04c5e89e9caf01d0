/** The collaborative model (matrix factorisation by ALS): its public pieces. */
export { AlsModel } from './alsModel.js';
export type { BackgroundFitHooks, FitHooks, FitProgress, FoldedIn, TrainReport } from './alsModel.js';
export type { Contribution, Explanation } from './explain.js';
export { interactionsFromCoordinates, interactionsFromRows } from './interactions.js';
export type { Interactions } from './interactions.js';
export { ALS_DEFAULTS } from './options.js';
export { logAboveOne } from './confidence.js';
export type { AlsKind, AlsOptions, AlsSolver, ConfidenceScaling, ResolvedAlsOptions } from './options.js';
export type { AlsJSON } from './snapshot.js';
export { topK } from './topK.js';
