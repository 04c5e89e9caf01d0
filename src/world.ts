/**
 * The shared state of one recommender — the catalog, the people store, the
 * popularity sums, the collaborative model — and the caches derived from
 * them (popularity lifts, people's collaborative vectors), with the one
 * place that invalidates those caches. The use cases (serve/, train/,
 * persist/) read and change state through a World; the fronts (the
 * in-memory recommender, the store-backed one) build one and wire calls to
 * the use cases. A store-backed front gives it a people store and a
 * popularity model of its own, and tells it what other processes changed.
 */
import { Catalog } from './catalog/catalog.js';
import { DAY_MS, Decay } from './decay/decay.js';
import { consented } from './people/contribution.js';
import { scopeEntries } from './people/entries.js';
import type { LearningContext } from './people/learning.js';
import type { PersonState } from './people/person.js';
import { MemoryPeopleStore, type PeopleStore } from './people/store.js';
import type { StationState } from './people/stations.js';
import { ScopeVectors, type Solved } from './people/vectors.js';
import { CollaborativeModel } from './models/collaborative/collaborative.js';
import { PopularityModel } from './models/popularity/popularity.js';
import type { ResolvedOptions } from './options.js';
import { diversityRules } from './rank/caps.js';
import type { DiversityRules } from './rank/diversity.js';
import { PopularTop } from './rank/popularTop.js';
import { Ranker } from './rank/ranker.js';
import { Retrieval } from './rank/retrieval/retrieval.js';
import type { HoldBack } from './score/eligibility.js';
import type { Item } from './types.js';

/** Stores a front may hand a world instead of the in-memory ones (made with the world's decay). */
export interface WorldStores {
  people: PeopleStore;
  popularity: PopularityModel;
}

export class World {
  readonly catalog = new Catalog();
  readonly decay: Decay;
  readonly people: PeopleStore;
  readonly popularity: PopularityModel;
  readonly learning: LearningContext;
  readonly ranker: Ranker;
  /** Approximate retrieval: the index over the model's item factors, and when requests use it. */
  readonly retrieval: Retrieval;
  /** The most popular items per popularity version: what guests' lists are ranked from (see rank/popularTop). */
  readonly popularTop = new PopularTop();
  /** Undos and erasures so far: a fit that sees this change while it runs fits again. */
  erasures = 0;
  /** True while a background training runs. */
  training = false;
  private collab: CollaborativeModel | undefined;
  private readonly vectors = new ScopeVectors();
  private popVersion = 0;
  private popCache: { now: number; values: Float64Array; version: number } | undefined;
  private collabScratch = new Float64Array(0);
  private popScratch = new Float64Array(0);

  constructor(
    readonly options: ResolvedOptions,
    items: readonly Item[],
    stores?: (decay: Decay) => WorldStores,
  ) {
    this.decay = Decay.ofDays(options.halfLifeDays, options.pauseDays);
    this.catalog.add(items);
    const given = stores?.(this.decay);
    this.people = given?.people ?? new MemoryPeopleStore();
    this.popularity = given?.popularity ?? new PopularityModel(this.decay);
    this.popularity.resize(this.catalog.size);
    this.ranker = new Ranker(this.catalog);
    this.retrieval = new Retrieval(options.retrieval, options.seed);
    this.learning = {
      catalog: this.catalog,
      decay: this.decay,
      tiredMs: options.tiredDays * DAY_MS,
      lifeStages: options.lifeStages,
      popularity: this.popularity,
    };
  }

  // ------------------------------------------------------------ what changed

  /** The collaborative model in use (undefined: none). */
  get model(): CollaborativeModel | undefined {
    return this.collab;
  }

  /**
   * A new model (trained, imported, or published by another process): every vector is re-solved,
   * and the retrieval index follows — built now (or the one prepared for it installed), or with
   * `index: 'background'` built in time slices while requests score every item.
   */
  setModel(model: CollaborativeModel | undefined, index: 'now' | 'background' = 'now'): void {
    this.collab = model;
    this.vectors.clear();
    if (index === 'now') this.retrieval.follow(model, this.catalog);
    else this.retrieval.followInBackground(model, this.catalog);
  }

  /** The popularity sums changed. */
  popularityChanged(): void {
    this.popVersion++;
  }

  /** Counts changes of the popularity sums (approximate retrieval refreshes its popular items by it). */
  get popularityVersion(): number {
    return this.popVersion;
  }

  /** A person's evidence changed: their vectors are re-solved at their next request. */
  personChanged(id: string): void {
    this.vectors.invalidate(id);
  }

  /** A station's seeds changed, or it was removed. */
  stationChanged(id: string, station: string): void {
    this.vectors.invalidateStation(id, station);
  }

  /**
   * Evidence was taken away (an undo, an erasure, a consent withdrawal, a
   * reset): shared statistics changed, and a fit running meanwhile must
   * fit again so that nothing taken away leaves a trace.
   */
  evidenceWithdrawn(id: string): void {
    this.erasures++;
    this.personChanged(id);
    this.popularityChanged();
  }

  /** Adds validated items to the catalog. */
  addItems(items: readonly Item[]): void {
    this.catalog.add(items);
    this.popularity.resize(this.catalog.size);
    this.popularityChanged();
    // Items added after the index was built are always proposed; a catalog grown past the threshold gets one.
    this.retrieval.follow(this.collab, this.catalog);
  }

  // ------------------------------------------------------------ derived, cached

  /**
   * Popularity's log-odds lift of every item at `now` (cached until popularity or the catalog
   * changes); with `candidates` (approximate retrieval), of those items only, into a reused buffer.
   */
  popularityLift(now: number, candidates?: Int32Array): Float64Array {
    if (candidates !== undefined) {
      if (this.popScratch.length !== this.catalog.size) this.popScratch = new Float64Array(this.catalog.size);
      for (let c = 0; c < candidates.length; c++)
        this.popScratch[candidates[c]!] = this.popularity.logOddsLift(candidates[c]!, now);
      return this.popScratch;
    }
    const cache = this.popCache;
    if (
      cache !== undefined &&
      cache.now === now &&
      cache.version === this.popVersion &&
      cache.values.length === this.catalog.size
    )
      return cache.values;
    const values = new Float64Array(this.catalog.size);
    for (let i = 0; i < values.length; i++) values[i] = this.popularity.logOddsLift(i, now);
    this.popCache = { now, values, version: this.popVersion };
    return values;
  }

  /** The person's own collaborative vector and the entries it was folded in from (none without a model or evidence). */
  personVector(person: PersonState): Solved | undefined {
    const model = this.collab;
    // Nothing to fold in (and nothing kept for ids that never gave feedback).
    if (model === undefined || person.evidence.size === 0) return undefined;
    return this.vectors.person(person.id, model, () => scopeEntries(person, this.decay));
  }

  /**
   * A station's collaborative vector, folded in from the station's own
   * records and usable item seeds; undefined while it has neither (the
   * person's vector then stands in, see score/lens).
   */
  stationVector(person: PersonState, station: StationState): Solved | undefined {
    const model = this.collab;
    if (model === undefined) return undefined;
    const seeds = station.seeds.flatMap((s) =>
      'item' in s && consented(this.catalog, person, s.item) ? [s.item] : [],
    );
    const entries = scopeEntries(station, this.decay, seeds);
    if (entries.items.length === 0) return undefined;
    const base = this.personVector(person)?.vector;
    return this.vectors.station(person.id, station.id, model, base, () => entries);
  }

  /** Raw collaborative scores x_u · y_i of every item (of `candidates` only, when given) into a reused buffer. */
  collaborativeScores(vector: Float64Array | undefined, candidates?: Int32Array): Float64Array | undefined {
    if (this.collab === undefined || vector === undefined) return undefined;
    if (this.collabScratch.length !== this.catalog.size) this.collabScratch = new Float64Array(this.catalog.size);
    if (candidates === undefined) this.collab.scoreInto(vector, this.collabScratch);
    else this.collab.scoreItemsInto(vector, candidates, this.collabScratch);
    return this.collabScratch;
  }

  /** Purchase hold-backs in the options' terms. */
  get holds(): HoldBack {
    return { holdBackMs: this.options.holdBackDays * DAY_MS, holdBackFacets: this.options.holdBackFacets };
  }

  /** The diversity caps of a list of `count` (`shareExempt`: tags without a share cap, those a station was seeded on). */
  diversityRules(count: number, shareExempt?: ReadonlySet<number>): DiversityRules {
    const o = this.options;
    return diversityRules(this.catalog, o.facetCaps, o.maxTagShare, o.mmrLambda, count, shareExempt);
  }
}
