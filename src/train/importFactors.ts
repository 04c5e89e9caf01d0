/**
 * `importItemFactors`: item factors trained elsewhere (Spark MLlib, Python
 * `implicit`) become the recommender's collaborative model. Users are folded
 * in against them from their own feedback, exactly as after `train()`, so
 * scores and the faithful collaborative reasons (HKV section 5) work as usual.
 */
import type { Catalog } from '../catalog/catalog.js';
import { AttuneError, describeValue } from '../errors.js';
import {
  COLLABORATIVE_DEFAULTS,
  CollaborativeModel,
  MAX_COLLABORATIVE_WEIGHT,
  MAX_FACTOR_VALUE,
  type CollaborativeOptions,
} from '../models/collaborative/collaborative.js';
import { parseItemFactors, type ItemFactorSource } from '../models/mf/import/itemFactors.js';
import { AlsModel, type AlsOptions } from '../models/mf/index.js';

/** How attune folds users in against imported factors; every field is optional. */
export interface ImportFactorsOptions {
  /** λ of each user's fold-in (HKV eq. 4). @default the recommender's `collaborative.regularization` */
  regularization?: number;
  /** α of c = 1 + α·h(r) for each user's evidence. @default the recommender's `collaborative.alpha` */
  alpha?: number;
  /** @default the recommender's `collaborative.confidenceScaling` */
  confidenceScaling?: CollaborativeOptions['confidenceScaling'];
  /** @default the recommender's `collaborative.epsilon` */
  epsilon?: number;
  /** Scale of the collaborative contribution in score points. @default the recommender's `collaborative.weight` */
  weight?: number;
}

/** What `importItemFactors` loaded. */
export interface ImportReport {
  /** Items that got factors. */
  items: number;
  /** Factors per item. */
  factors: number;
  /** Catalog items the source had no factors for: they get no collaborative score (zero vectors). */
  missing: number;
}

const OPTION_NAMES = ['regularization', 'alpha', 'confidenceScaling', 'epsilon', 'weight'] as const;

/**
 * Parses and validates `source` (`BAD_FACTORS` for anything malformed),
 * maps its ids onto the catalog (`UNKNOWN_ITEM` for an id the catalog does
 * not hold) and builds the model. Changes nothing; the caller installs it.
 */
export function importCollaborative(
  source: ItemFactorSource,
  catalog: Catalog,
  base: CollaborativeOptions,
  options: ImportFactorsOptions,
  api: string,
): { model: CollaborativeModel; report: ImportReport } {
  if (options === null || typeof options !== 'object')
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: options must be an object such as { regularization: 20 }, got ${describeValue(options)}`,
    );
  for (const key of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key))
      throw new AttuneError(
        'INVALID_OPTIONS',
        `${api}: unknown option ${describeValue(key)}; the options are ${OPTION_NAMES.join(', ')}`,
      );
  }
  const weight = options.weight ?? base.weight ?? COLLABORATIVE_DEFAULTS.weight;
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= MAX_COLLABORATIVE_WEIGHT))
    throw new AttuneError(
      'INVALID_OPTIONS',
      `${api}: weight must be a number from 0 to ${MAX_COLLABORATIVE_WEIGHT} (as in createRecommender's collaborative.weight), got ${describeValue(weight)}`,
    );
  const parsed = parseItemFactors(source, api);
  const k = parsed.factors;
  // A snapshot keeps factors up to MAX_FACTOR_VALUE (fitted ones are of order 1, and no score can overflow).
  for (let i = 0; i < parsed.values.length; i++) {
    if (Math.abs(parsed.values[i]!) > MAX_FACTOR_VALUE)
      throw new AttuneError(
        'BAD_FACTORS',
        `${api}: item ${describeValue(parsed.ids[Math.floor(i / k)])} has a factor of ${parsed.values[i]}; factors must be at most ${MAX_FACTOR_VALUE} in size (rescale them, and the weight with them)`,
      );
  }
  const values = new Float64Array(catalog.size * k);
  const covered = new Uint8Array(catalog.size);
  parsed.ids.forEach((id, r) => {
    const index = catalog.indexOf(id);
    if (index === undefined)
      throw new AttuneError(
        'UNKNOWN_ITEM',
        `${api}: item ${describeValue(id)} of the factors is not in the catalog; add it with addItems() first, or leave it out of the source`,
      );
    covered[index] = 1;
    values.set(parsed.values.subarray(r * k, (r + 1) * k), index * k);
  });
  const { weight: _weight, ...fitDefaults } = COLLABORATIVE_DEFAULTS;
  const { weight: _baseWeight, ...baseAls } = base;
  const { weight: _importWeight, ...given } = options;
  const importAls = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Omit<
    ImportFactorsOptions,
    'weight'
  >;
  let als: AlsModel;
  try {
    als = AlsModel.fromItemFactors(values, catalog.size, {
      ...fitDefaults,
      ...baseAls,
      ...(importAls as AlsOptions),
      kind: 'implicit',
      factors: k,
    });
  } catch (error) {
    if (error instanceof AttuneError && error.code === 'INVALID_OPTIONS')
      throw new AttuneError('INVALID_OPTIONS', error.message.replace('AlsModel.fromItemFactors', api));
    throw error;
  }
  const missing = covered.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
  const model = CollaborativeModel.fromImported(als, weight);
  return {
    model,
    report: { items: parsed.ids.length, factors: k, missing },
  };
}
