/**
 * The facade: validates each call, hands it to the parts, shapes the answer.
 * It holds no algorithm.
 *
 * State is each person's evidence (people/), the shared popularity sums and
 * the collaborative item factors. A feedback event updates one record and
 * the tags of one item; an undo, an erasure, a consent change or a reset
 * touches only that person's records; snapshots hold that state.
 */
import { Catalog, tagPhrase } from './catalog/catalog.js';
import { LIFE_STAGE_BOOST, LIFE_STAGE_BOOST_DAYS, SEED_IMPORTANCE } from './constants.js';
import { DAY_MS, halfLifeDaysToMs } from './decay/halfLife.js';
import { exploreBoostUntil } from './decay/lifeStages.js';
import { AttuneError, describeValue } from './errors.js';
import { checkPreferences } from './feedback/preferences.js';
import { checkRequest, checkUser, readClock, type CheckedRequest } from './feedback/request.js';
import { checkEvent, type CheckedEvent } from './feedback/validate.js';
import { attributionIndex, buildReason, type CollaborativePiece, type ExplainInput } from './explain/reasons.js';
import {
  buildStationReason,
  personOnStation,
  stationAttributionIndex,
  type StationReasonContext,
} from './explain/stationReasons.js';
import { CollaborativeModel } from './models/collaborative/collaborative.js';
import { PopularityModel, type PopularitySums } from './models/popularity/popularity.js';
import { forEachInSlices } from './models/mf/training/runners.js';
import {
  optionsFromJSON,
  optionsToJSON,
  resolveOptions,
  type RecommenderOptions,
  type ResolvedOptions,
} from './options.js';
import { personEntries } from './people/entries.js';
import { heldTags } from './people/holds.js';
import { personFromJSON, personToJSON } from './people/json.js';
import {
  applyEvent,
  consented,
  learnedRecords,
  removeItem,
  resetPerson,
  syncConsent,
  withdrawPerson,
  withdrawStation,
  type LearningContext,
} from './people/learning.js';
import { newPerson, type PersonState } from './people/person.js';
import { applyStationEvent } from './people/stationLearning.js';
import {
  checkSeeds,
  newSeeds,
  newStation,
  seedPrior,
  seedTagged,
  seedToPublic,
  type SeedRef,
  type StationState,
} from './people/stations.js';
import { MemoryPeopleStore, type PeopleStore } from './people/store.js';
import { PersonVectors } from './people/vectors.js';
import { stationEntries } from './people/stationEntries.js';
import type { UserEntries } from './models/collaborative/collaborative.js';
import { StationVectors } from './people/stationVectors.js';
import {
  optionsFromV1,
  readEnvelope,
  readPopularity,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type Snapshot,
} from './persist/snapshot.js';
import type { SnapshotV1 } from './persist/snapshotV1.js';
import { describeProfile, type Profile } from './profile/describe.js';
import { createRng, type Rng } from './random/rng.js';
import { collaborativeShare, contributionsOf, popularityWeight, tasteArrays, tastePartsOf } from './rank/blend.js';
import { diversityRules } from './rank/caps.js';
import { checkBackgroundTrainOptions, fitHooks, type BackgroundTrainOptions } from './train/backgroundOptions.js';
import { importCollaborative, type ImportFactorsOptions, type ImportReport } from './train/importFactors.js';
import type { ItemFactorSource } from './models/mf/import/itemFactors.js';
import { eligibility } from './rank/guardrails.js';
import { Ranker, type Contributions, type RankInput, type RankedItem } from './rank/ranker.js';
import { anchorMinimum, stationPartsOf, stationTasteArrays, stationWeights } from './rank/stationBlend.js';
import type {
  Context,
  FeedbackEvent,
  Item,
  Preferences,
  Reason,
  RecommendOptions,
  Recommendation,
  Station,
  StationOptions,
  StationSeed,
} from './types.js';

/** What `train()` reports. */
export interface TrainReport {
  /** Sweeps of the collaborative model (0 when it had nothing to learn from). */
  iterations: number;
  /** Training loss after each sweep. */
  loss: number[];
  seconds: number;
  /** Events held in the evidence the models were fitted on. */
  events: number;
  /** People with learned evidence. */
  users: number;
  /** Threads the sweeps ran on (`trainInBackground` only). */
  threads?: number;
  /** Present when imported item factors were kept rather than refitted (see `TrainOptions.replaceImportedFactors`). */
  keptImportedFactors?: true;
}

/** Options of `train()`. */
export interface TrainOptions {
  onProgress?: (progress: { iteration: number; iterations: number; loss: number }) => void;
  /**
   * After `importItemFactors`, `train()` keeps the imported item factors (and
   * says so with `keptImportedFactors`); `true` replaces them with a model
   * fitted on the feedback attune holds. @default false
   */
  replaceImportedFactors?: boolean;
}

/** A station request: the reason context and what its ranking reads. */
interface StationRequest extends StationReasonContext {
  /** Evidence that weighs the popularity part on the station. */
  evidence: number;
  /** Evidence behind the collaborative vector, which weighs its part. */
  collaborativeEvidence: number;
  /** The collaborative vector on the station (undefined without a model). */
  vector: Float64Array | undefined;
  /** The entries the vector was folded in from. */
  entries: () => UserEntries;
}

/** A recommendation with the named parts of its score (they add up to `score`). */
export interface ExplainedRecommendation extends Recommendation {
  contributions: Contributions;
}

/**
 * @internal What a store outside the process (attune/redis) supplies to the
 * facade: the people of the current call, and the shared popularity that
 * records the deltas learning makes instead of owning the sums.
 */
export interface StoreParts {
  people: PeopleStore;
  popularity: PopularityModel;
}

export class Recommender {
  private readonly opts: ResolvedOptions;
  private readonly halfLifeMs: number;
  private readonly catalog = new Catalog();
  private readonly popularity: PopularityModel;
  private readonly people: PeopleStore;
  private readonly vectors = new PersonVectors();
  private readonly ranker: Ranker;
  private readonly learning: LearningContext;
  private popCache: { now: number; values: Float64Array; version: number } | undefined;
  private popVersion = 0;
  private collab: CollaborativeModel | undefined;
  private collabScratch = new Float64Array(0);
  /** Erasures and undos so far: a train() that sees this change while fitting fits again. */
  private erasures = 0;
  /** True while `trainInBackground` runs. */
  private training = false;
  private readonly stationVectors = new StationVectors();

  /** @internal use {@link createRecommender} */
  constructor(options: ResolvedOptions, items: readonly Item[], parts?: StoreParts) {
    this.opts = options;
    this.halfLifeMs = halfLifeDaysToMs(this.opts.halfLifeDays);
    this.catalog.add(items);
    this.people = parts?.people ?? new MemoryPeopleStore();
    this.popularity = parts?.popularity ?? new PopularityModel(this.halfLifeMs);
    this.popularity.resize(this.catalog.size);
    this.ranker = new Ranker(this.catalog);
    this.learning = {
      catalog: this.catalog,
      halfLifeMs: this.halfLifeMs,
      tiredMs: this.opts.tiredDays * DAY_MS,
      lifeStages: this.opts.lifeStages,
      popularity: this.popularity,
    };
  }

  /** The resolved options (read-only view). */
  get options(): Readonly<ResolvedOptions> {
    return this.opts;
  }

  /** Number of items in the catalog. */
  get itemCount(): number {
    return this.catalog.size;
  }

  /**
   * @internal A store changed state under the facade (another process wrote
   * it): the popularity sums, the collaborative model (`null`: none), or the
   * records of these people, whose cached vectors are then stale.
   */
  sharedStateChanged(change: {
    popularity?: boolean;
    collaborative?: CollaborativeModel | null;
    people?: readonly string[];
  }): void {
    if (change.popularity === true) this.popVersion++;
    if (change.collaborative !== undefined) {
      this.collab = change.collaborative ?? undefined;
      this.vectors.clear();
    }
    for (const id of change.people ?? []) this.vectors.invalidate(id);
  }

  // ------------------------------------------------------------------ feedback

  /**
   * Learns from one event or a batch. A batch is all-or-nothing: every event
   * is validated before any is applied. Feedback from an opted-out user is
   * neither learned nor stored.
   */
  feedback(events: FeedbackEvent | readonly FeedbackEvent[]): void {
    const now = readClock('feedback', this.opts.now);
    const batch = Array.isArray(events);
    const list: readonly unknown[] = batch ? (events as readonly unknown[]) : [events];
    // Array.from visits holes ([a, , b]) as undefined, which checkEvent refuses: a batch is all-or-nothing.
    const checked = Array.from(list, (e, i) =>
      checkEvent(
        e,
        batch ? `feedback: events[${i}]` : 'feedback: event',
        this.catalog,
        now,
        this.opts.protectedAttributes,
      ),
    );
    checked.forEach((e, i) => {
      const person = this.people.get(e.user);
      // Feedback of an opted-out person is dropped whole, station or not.
      if (e.station !== undefined && person?.optOut !== true)
        this.stationOf(batch ? `feedback: events[${i}]` : 'feedback: event', e.user, person, e.station);
    });
    let changed = false;
    for (const e of checked) changed = this.apply(e) || changed;
    if (changed) this.popVersion++;
  }

  private apply(e: CheckedEvent): boolean {
    let person = this.people.get(e.user);
    if (person?.optOut === true) return false;
    if (person === undefined) this.people.set((person = newPerson(e.user, this.halfLifeMs)));
    this.vectors.invalidate(e.user);
    // The station first, so that a life-stage fade triggered by the event covers both records alike.
    if (e.station !== undefined)
      applyStationEvent(this.catalog, this.halfLifeMs, person, person.stations.get(e.station)!, e);
    return applyEvent(this.learning, person, e);
  }

  // ------------------------------------------------------------------ recommend

  /**
   * Recommends up to `count` items, each with a score, an honest reason, an
   * exploration flag and a propensity. `user` undefined is a guest: a
   * non-personalised list that teaches nothing. Reading never creates state:
   * a person with no record is served as a newcomer and nothing is stored.
   */
  recommend(user: string | undefined, options: RecommendOptions = {}): ExplainedRecommendation[] {
    const req = checkRequest('recommend', user, options, this.opts.now, this.opts.protectedAttributes);
    const stored = user === undefined ? undefined : this.people.get(user);
    const station = req.station === undefined ? undefined : this.stationOf('recommend', user, stored, req.station);
    if (user === undefined || stored?.optOut === true) return this.recommendPopular(req, stored);
    const person = stored ?? newPerson(user, this.halfLifeMs);
    const onStation = station === undefined ? undefined : this.stationContext(person, station, req.at);
    // Draws are keyed by the person, their own requests so far, the request time (and the station).
    const rng = createRng(
      this.opts.seed,
      'user',
      user,
      person.draws,
      req.at,
      ...(station === undefined ? [] : ['station', station.id]),
    );
    const ranked = this.ranker.rank(this.rankInput(person, req, rng, onStation));
    const base = this.reasonInput(station === undefined ? person : personOnStation(person, station), req);
    const shown = ranked.filter((r) => !r.explored).map((r) => r.item);
    const index =
      shown.length > 0 && base.hasEvidence
        ? onStation === undefined
          ? attributionIndex(base)
          : stationAttributionIndex(base, person, onStation)
        : undefined;
    const collaborative = this.collaborativePieces(person, shown, req.at, onStation);
    const list = ranked.map((r) => {
      const input: ExplainInput = {
        ...base,
        item: r.item,
        contributions: r.contributions,
        noise: r.noise,
        explored: r.explored,
        ...(index !== undefined ? { index } : {}),
        ...(collaborative.has(r.item) && !r.explored ? { collaborative: collaborative.get(r.item)! } : {}),
      };
      return this.present(r, onStation === undefined ? buildReason(input) : buildStationReason(input, onStation));
    });
    if (stored !== undefined) stored.draws++;
    return list;
  }

  private present(r: RankedItem, reason: Reason): ExplainedRecommendation {
    return {
      item: this.catalog.ids[r.item]!,
      score: r.score,
      reason,
      explored: r.explored,
      // Estimated on first read (JSON.stringify reads it too): a caller that never logs it pays nothing.
      get propensity() {
        return r.propensity;
      },
      set propensity(value: number) {
        Object.defineProperty(this, 'propensity', { value, writable: true, enumerable: true, configurable: true });
      },
      contributions: r.contributions,
    };
  }

  /** What every reason of one request shares. */
  private reasonInput(
    person: PersonState | undefined,
    req: CheckedRequest,
  ): Omit<ExplainInput, 'item' | 'contributions' | 'noise' | 'explored'> {
    const personal = person !== undefined && !person.optOut;
    return {
      catalog: this.catalog,
      user: person,
      contexts: personal ? req.contexts : [],
      now: req.at,
      halfLifeMs: this.halfLifeMs,
      quoteDelayMs: personal ? this.opts.implicitQuoteDelayMinutes * 60_000 : 0,
      changing: personal && req.at < this.boostUntil(person),
      hasEvidence: personal && person.taste.evidenceAt(req.at) > 0,
      mayName: (j: number) => personal && consented(this.catalog, person, j),
    };
  }

  /** The reason `item` would be recommended to `user` now (no exploration); with `station`, on that station. */
  explain(
    user: string | undefined,
    item: string,
    options: { at?: number; context?: Context; station?: string } = {},
  ): Reason {
    const req = checkRequest(
      'explain',
      user,
      {
        ...(options.at !== undefined ? { at: options.at } : {}),
        ...(options.context !== undefined ? { context: options.context } : {}),
        ...(options.station !== undefined ? { station: options.station } : {}),
      },
      this.opts.now,
      this.opts.protectedAttributes,
    );
    if (typeof item !== 'string')
      throw new AttuneError('INVALID_ARGUMENT', `explain: item must be an item id string, got ${describeValue(item)}`);
    const index = this.catalog.indexOf(item);
    if (index === undefined)
      throw new AttuneError('UNKNOWN_ITEM', `explain: item ${describeValue(item)} is not in the catalog`);
    const stored = user === undefined ? undefined : this.people.get(user);
    const station = req.station === undefined ? undefined : this.stationOf('explain', user, stored, req.station);
    const person =
      stored?.optOut === true ? stored : user === undefined ? undefined : (stored ?? newPerson(user, this.halfLifeMs));
    const personal = person !== undefined && !person.optOut;
    const onStation = personal && station !== undefined ? this.stationContext(person, station, req.at) : undefined;
    const collaborative = personal
      ? this.collaborativePieces(person, [index], req.at, onStation).get(index)
      : undefined;
    const input: ExplainInput = {
      ...this.reasonInput(onStation === undefined ? person : personOnStation(person!, onStation.station), req),
      item: index,
      contributions: this.contributionsOf(personal ? person : undefined, index, req, onStation),
      noise: undefined,
      explored: false,
      ...(collaborative !== undefined ? { collaborative } : {}),
    };
    if (onStation === undefined) return buildReason(input);
    return buildStationReason(
      { ...input, ...(input.hasEvidence ? { index: stationAttributionIndex(input, person!, onStation) } : {}) },
      onStation,
    );
  }

  /** One item's contributions without exploration, as the ranker computes them (no catalog scan). */
  private contributionsOf(
    person: PersonState | undefined,
    item: number,
    req: CheckedRequest,
    onStation?: StationRequest,
  ): Contributions {
    const lift = this.popularity.logOddsLift(item, req.at);
    if (person === undefined)
      return contributionsOf({ content: 0, context: 0 }, { weight: 0, raw: 0 }, { weight: 1, lift });
    const evidence = onStation?.evidence ?? person.taste.evidenceAt(req.at);
    const vector = onStation === undefined ? this.vectors.get(person, this.collab, this.halfLifeMs) : onStation.vector;
    const collab = this.collab;
    const raw =
      collab !== undefined && vector !== undefined && item < collab.itemCount ? collab.score(vector, item) : 0;
    const collabEvidence = onStation?.collaborativeEvidence ?? evidence;
    return contributionsOf(
      onStation === undefined
        ? tastePartsOf(this.catalog, person.taste, item, req.contexts, req.at)
        : stationPartsOf(this.catalog, person.taste, onStation.station, onStation.prior, item, req.contexts, req.at),
      { weight: collab === undefined ? 0 : collab.weight * collaborativeShare(collabEvidence), raw },
      { weight: popularityWeight(evidence), lift },
    );
  }

  private boostUntil(person: PersonState): number {
    return exploreBoostUntil(person.changes, LIFE_STAGE_BOOST_DAYS * DAY_MS);
  }

  private holds() {
    return { holdBackMs: this.opts.holdBackDays * DAY_MS, holdBackFacets: this.opts.holdBackFacets };
  }

  private popularityLift(now: number): Float64Array {
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

  private rankInput(person: PersonState, req: CheckedRequest, rng: Rng, onStation?: StationRequest): RankInput {
    const evidence = onStation?.evidence ?? person.taste.evidenceAt(req.at);
    const boost = req.at < this.boostUntil(person) ? LIFE_STAGE_BOOST : 1;
    return {
      catalog: this.catalog,
      eligible: eligibility(this.catalog, person, req, this.holds(), onStation?.station),
      ...(onStation === undefined
        ? tasteArrays(this.catalog, person.taste, req.contexts, req.at)
        : stationTasteArrays(this.catalog, person.taste, onStation.station, onStation.prior, req.contexts, req.at)),
      ...(onStation === undefined
        ? {}
        : { anchor: { marked: seedTagged(this.catalog, onStation.station), minimum: anchorMinimum(req.count) } }),
      collaborative: this.collaborativeScores(
        onStation === undefined ? this.vectors.get(person, this.collab, this.halfLifeMs) : onStation.vector,
      ),
      collaborativeWeight:
        this.collab === undefined
          ? 0
          : this.collab.weight * collaborativeShare(onStation?.collaborativeEvidence ?? evidence),
      popularity: this.popularityLift(req.at),
      popularityWeight: popularityWeight(evidence),
      count: req.count,
      poolSize: this.opts.poolSize,
      exploration: this.opts.exploration * boost,
      propensitySamples: this.opts.propensitySamples,
      rules: this.diversityRules(req.count),
      rng,
    };
  }

  /** Raw collaborative scores x_u · y_i into a reused buffer. */
  private collaborativeScores(vector: Float64Array | undefined): Float64Array | undefined {
    if (this.collab === undefined || vector === undefined) return undefined;
    if (this.collabScratch.length !== this.catalog.size) this.collabScratch = new Float64Array(this.catalog.size);
    this.collab.scoreInto(vector, this.collabScratch);
    return this.collabScratch;
  }

  /**
   * Every per-liked-item piece of the collaborative contribution (HKV §5),
   * scaled like the score, for each of `items` (one factorisation for all).
   * The reason decides what of it may be named (quoting delay, bans).
   */
  private collaborativePieces(
    person: PersonState,
    items: readonly number[],
    now: number,
    onStation?: StationRequest,
  ): Map<number, CollaborativePiece[]> {
    const out = new Map<number, CollaborativePiece[]>();
    const collab = this.collab;
    const vector = onStation === undefined ? this.vectors.get(person, collab, this.halfLifeMs) : onStation.vector;
    if (collab === undefined || vector === undefined) return out;
    const known = items.filter((i) => i < collab.itemCount);
    if (known.length === 0) return out;
    const scale = collab.weight * collaborativeShare(onStation?.collaborativeEvidence ?? person.taste.evidenceAt(now));
    const entries =
      onStation === undefined ? this.vectors.entries(person, collab, this.halfLifeMs) : onStation.entries();
    collab.explainMany(entries, known).forEach((x, t) => {
      out.set(
        known[t]!,
        x.contributions.map((c) => ({ item: c.item, weight: c.weight * scale })),
      );
    });
    return out;
  }

  private diversityRules(count: number): RankInput['rules'] {
    return diversityRules(this.catalog, this.opts.facetCaps, this.opts.maxTagShare, this.opts.mmrLambda, count);
  }

  /** Guests and opted-out users: popularity only, deterministic (propensity 1), teaches nothing. */
  private recommendPopular(req: CheckedRequest, person: PersonState | undefined): ExplainedRecommendation[] {
    const ranked = this.ranker.rank({
      catalog: this.catalog,
      eligible: eligibility(this.catalog, person, req, this.holds()),
      ...tasteArrays(this.catalog, undefined, [], req.at),
      collaborative: undefined,
      collaborativeWeight: 0,
      popularity: this.popularityLift(req.at),
      popularityWeight: 1,
      count: req.count,
      poolSize: this.opts.poolSize,
      exploration: 0,
      propensitySamples: 1,
      rules: this.diversityRules(req.count),
      rng: createRng(0),
    });
    const base = this.reasonInput(person, req);
    return ranked.map((r) =>
      this.present(
        r,
        buildReason({ ...base, item: r.item, contributions: r.contributions, noise: undefined, explored: false }),
      ),
    );
  }

  // ------------------------------------------------------------------ control

  /** What attune knows about `user`, in words a person can read. */
  profile(user: string): Profile {
    checkUser('profile', user, false);
    const now = readClock('profile', this.opts.now);
    const person = this.people.get(user);
    const held =
      person === undefined
        ? new Map<number, number>()
        : heldTags(this.catalog, person, this.opts.holdBackDays * DAY_MS, this.opts.holdBackFacets);
    return describeProfile(this.catalog, person, user, now, tagPhrase, held);
  }

  /** Opt out or in, set consent per sensitive category, mute tags, or start a new life stage. */
  setPreferences(user: string, preferences: Preferences): void {
    checkUser('setPreferences', user, false);
    const prefs = checkPreferences(preferences);
    const now = readClock('setPreferences', this.opts.now);
    let person = this.people.get(user);
    if (prefs.optOut === true) {
      if (person?.optOut !== true) {
        this.erase(user);
        person = newPerson(user, this.halfLifeMs);
        person.optOut = true;
        this.people.set(person);
      }
      return;
    }
    if (prefs.optOut === false && person?.optOut === true) {
      this.people.delete(user);
      person = undefined;
    }
    if (person?.optOut === true) return; // opted out: nothing else is kept
    if (person === undefined) this.people.set((person = newPerson(user, this.halfLifeMs)));
    this.vectors.invalidate(user);
    if (prefs.consent !== undefined) {
      const changed: string[] = [];
      for (const [category, given] of Object.entries(prefs.consent)) {
        if (person.consent.has(category) !== given) changed.push(category);
        if (given) person.consent.add(category);
        else person.consent.delete(category);
      }
      if (changed.length > 0) {
        syncConsent(this.learning, person, changed);
        this.erasures++;
      }
    }
    if (prefs.mutedTags !== undefined) person.mutedTags = new Set(prefs.mutedTags);
    if (prefs.reset === true) {
      resetPerson(this.learning, person, prefs.keepBans ?? true, now);
      this.erasures++;
    }
    this.popVersion++;
  }

  /** Undoes every signal `user` gave on `item`: the models forget it. Returns whether anything was removed. */
  removeFeedback(user: string, item: string): boolean {
    checkUser('removeFeedback', user, false);
    if (typeof item !== 'string')
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `removeFeedback: item must be an item id string, got ${describeValue(item)}`,
      );
    const index = this.catalog.indexOf(item);
    if (index === undefined)
      throw new AttuneError('UNKNOWN_ITEM', `removeFeedback: item ${describeValue(item)} is not in the catalog`);
    const person = this.people.get(user);
    if (person === undefined || !removeItem(this.learning, person, index)) return false;
    this.erasures++;
    this.vectors.invalidate(user);
    this.popVersion++;
    return true;
  }

  /** Erases `user` completely: their record and their part of shared statistics. Returns whether the user was known. */
  forget(user: string): boolean {
    checkUser('forget', user, false);
    return this.erase(user);
  }

  private erase(user: string): boolean {
    const person = this.people.get(user);
    if (person === undefined) return false;
    withdrawPerson(this.learning, person);
    this.people.delete(user);
    this.erasures++;
    this.vectors.invalidate(user);
    this.stationVectors.forget(user);
    this.popVersion++;
    return true;
  }

  // ------------------------------------------------------------------ stations

  /**
   * Creates a station for `user` (Pandora): seeded from items and tags, it
   * starts near its seeds before any thumbs, learns from the feedback given
   * on it (`feedback({ …, station })`) and shares what attune knows of the
   * person overall. Refuses a duplicate id (`DUPLICATE_STATION`), an
   * unknown item (`UNKNOWN_ITEM`), a tag no item has (`UNKNOWN_TAG`), a
   * sensitive item seed without consent and an opted-out user
   * (`INVALID_ARGUMENT`); nothing changes then.
   */
  createStation(user: string, options: StationOptions): Station {
    const api = 'createStation';
    checkUser(api, user, false);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: options must be an object { id, name?, seeds }, got ${describeValue(options)}`,
      );
    }
    const { id, name = options.id } = options;
    if (typeof id !== 'string' || id === '')
      throw new AttuneError('INVALID_ARGUMENT', `${api}: id must be a non-empty string, got ${describeValue(id)}`);
    if (typeof name !== 'string' || name === '')
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: name must be a non-empty string when given, got ${describeValue(name)}`,
      );
    const stored = this.people.get(user);
    this.refuseOptedOut(api, stored);
    if (stored?.stations.has(id) === true)
      throw new AttuneError(
        'DUPLICATE_STATION',
        `${api}: user ${describeValue(user)} already has a station ${describeValue(id)}; pick another id or add seeds with addStationSeeds`,
      );
    const seeds = this.checkStationSeeds(api, options.seeds, stored);
    const now = readClock(api, this.opts.now);
    let person = stored;
    if (person === undefined) this.people.set((person = newPerson(user, this.halfLifeMs)));
    const station = newStation(id, name, newSeeds([], seeds), now, this.halfLifeMs);
    person.stations.set(id, station);
    return this.stationInfo(station);
  }

  /** "Add variety": widens a station with more seeds (seeds it already has are ignored). Returns the station. */
  addStationSeeds(user: string, station: string, seeds: StationSeed[]): Station {
    const api = 'addStationSeeds';
    checkUser(api, user, false);
    const person = this.people.get(user);
    const target = this.stationOf(api, user, person, station);
    const checked = this.checkStationSeeds(api, seeds, person);
    target.seeds.push(...newSeeds(target.seeds, checked));
    this.stationVectors.invalidate(user, station);
    return this.stationInfo(target);
  }

  /** The user's stations in creation order, with their seeds (an unknown user has none). */
  stations(user: string): Station[] {
    checkUser('stations', user, false);
    const person = this.people.get(user);
    return person === undefined ? [] : [...person.stations.values()].map((s) => this.stationInfo(s));
  }

  /**
   * Removes a station and the feedback given on it: its records and bans,
   * and their part of the person's overall taste and of shared statistics.
   * O(the station's items). An unknown station is `UNKNOWN_STATION`.
   */
  removeStation(user: string, station: string): void {
    checkUser('removeStation', user, false);
    const person = this.people.get(user);
    const target = this.stationOf('removeStation', user, person, station);
    withdrawStation(this.learning, person!, target);
    person!.stations.delete(station);
    this.erasures++;
    this.vectors.invalidate(user);
    this.stationVectors.invalidate(user, station);
    this.popVersion++;
  }

  /** The station `id` of `user`, or `UNKNOWN_STATION`. */
  private stationOf(api: string, user: string | undefined, person: PersonState | undefined, id: unknown): StationState {
    if (typeof id !== 'string' || id === '')
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: station must be a station id (a non-empty string), got ${describeValue(id)}`,
      );
    const station = person?.stations.get(id);
    if (station === undefined) {
      const who =
        user === undefined
          ? 'a guest has no stations'
          : `user ${describeValue(user)} has no station ${describeValue(id)}`;
      throw new AttuneError('UNKNOWN_STATION', `${api}: ${who}; create it with createStation first`);
    }
    return station;
  }

  private refuseOptedOut(api: string, person: PersonState | undefined): void {
    if (person?.optOut === true) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `${api}: user ${describeValue(person.id)} has opted out and attune keeps nothing about them; opt in first with setPreferences(user, { optOut: false })`,
      );
    }
  }

  private checkStationSeeds(api: string, raw: unknown, person: PersonState | undefined): SeedRef[] {
    const seeds = checkSeeds(api, raw, this.catalog);
    seeds.forEach((seed, i) => {
      if (!('item' in seed) || this.catalog.itemSensitive[seed.item]!.length === 0) return;
      if (person === undefined || !consented(this.catalog, person, seed.item)) {
        throw new AttuneError(
          'INVALID_ARGUMENT',
          `${api}: seeds[${i}].item ${describeValue(this.catalog.ids[seed.item])} is sensitive (${this.catalog.itemSensitive[seed.item]!.join(', ')}); the user must consent first with setPreferences`,
        );
      }
    });
    return seeds;
  }

  /**
   * What a station request adds to the ranking and the reasons: the seed
   * prior, the blend's weights, the evidence that weighs popularity (the
   * station's own, the overall evidence at the overall taste's weight, and
   * SEED_IMPORTANCE for each seed: a seed says what the station is for),
   * and the collaborative vector — folded in from the station's item seeds
   * and records, or, until it has either, the person's own vector at the
   * overall taste's weight.
   */
  private stationContext(person: PersonState, station: StationState, at: number): StationRequest {
    const usable = (j: number) => consented(this.catalog, person, j);
    const weights = stationWeights(station, at);
    const seeds = station.seeds.filter((seed) => !('item' in seed) || usable(seed.item));
    const overall = weights.overall * person.taste.evidenceAt(at);
    const own = station.taste.evidenceAt(at) + SEED_IMPORTANCE * seeds.filter((seed) => 'item' in seed).length;
    const entries = stationEntries(station, this.halfLifeMs, usable);
    const standIn = entries.items.length === 0;
    const collab = this.collab;
    return {
      station,
      prior: seedPrior(this.catalog, station, usable),
      weights,
      evidence: station.taste.evidenceAt(at) + overall + SEED_IMPORTANCE * seeds.length,
      collaborativeEvidence: standIn ? overall : own,
      vector:
        collab === undefined
          ? undefined
          : standIn
            ? this.vectors.get(person, collab, this.halfLifeMs)
            : this.stationVectors.get(
                person.id,
                station.id,
                collab,
                this.vectors.get(person, collab, this.halfLifeMs),
                () => entries,
              ),
      entries: () => (standIn ? personEntries(person, this.halfLifeMs) : entries),
    };
  }

  private stationInfo(s: StationState): Station {
    return {
      id: s.id,
      name: s.name,
      seeds: s.seeds.map((seed) => seedToPublic(this.catalog, seed)),
      created: s.created,
      events: s.events,
      banned: [...s.banned.keys()].map((i) => this.catalog.ids[i]!),
    };
  }

  /** Adds items to the catalog; a duplicate id is refused and nothing is added. */
  addItems(items: Item[]): void {
    const valid = Catalog.validate('addItems', items, this.catalog);
    this.catalog.add(valid);
    this.popularity.resize(this.catalog.size);
    this.popVersion++;
  }

  /**
   * Batch (re)fit on all evidence: popularity is recomputed from every
   * person's records (so an erased person's part is gone to the last bit),
   * and the collaborative model (implicit ALS) is fitted anew; every
   * person's vector is re-solved against the new item factors at their next
   * request. `onProgress` is called after each iteration.
   */
  train(options: TrainOptions = {}): TrainReport {
    if (options === null || typeof options !== 'object')
      throw new AttuneError('INVALID_ARGUMENT', 'train: options must be an object such as { onProgress }');
    for (const key of Object.keys(options)) {
      if (key !== 'onProgress' && key !== 'replaceImportedFactors')
        throw new AttuneError(
          'INVALID_ARGUMENT',
          `train: unknown option ${describeValue(key)}; use onProgress or replaceImportedFactors`,
        );
    }
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
      throw new AttuneError('INVALID_ARGUMENT', 'train: onProgress must be a function');
    if (options.replaceImportedFactors !== undefined && typeof options.replaceImportedFactors !== 'boolean')
      throw new AttuneError('INVALID_ARGUMENT', 'train: replaceImportedFactors must be true or false');
    if (this.training)
      throw new AttuneError(
        'TRAINING_IN_PROGRESS',
        'train: trainInBackground() is running; await it (or abort it) first',
      );
    const started = Date.now();
    const erasures = this.erasures;
    const people = this.trainablePeople();
    this.popularity.rebuild(this.catalog.size, learnedRecords(people));
    this.popVersion++;
    let iterations = 0;
    let loss: number[] = [];
    const keepImported = this.collab?.imported === true && options.replaceImportedFactors !== true;
    if (this.opts.collaborative !== false && !keepImported) {
      const entries = people.map((p) => ({ key: p.id, entries: personEntries(p, this.halfLifeMs) }));
      const fitted = CollaborativeModel.train(entries, this.catalog, this.opts.collaborative, options.onProgress);
      // Someone was erased while the model was fitting (from onProgress): fit again without them.
      if (this.erasures !== erasures) return this.train(options);
      this.collab = fitted?.model;
      iterations = fitted?.report.iterations ?? 0;
      loss = fitted?.report.loss ?? [];
    }
    this.modelChanged();
    return {
      iterations,
      loss,
      seconds: (Date.now() - started) / 1000,
      ...this.learners(people),
      ...(keepImported ? { keptImportedFactors: true as const } : {}),
    };
  }

  private trainablePeople(): PersonState[] {
    return [...this.people.values()].filter((p) => !p.optOut);
  }

  private modelChanged(): void {
    this.vectors.clear();
    this.stationVectors.clear();
  }

  /** Events held and people with learned evidence, for a train report. */
  private learners(people: readonly PersonState[]): { events: number; users: number } {
    const counted = { events: 0, users: 0 };
    for (const p of people) countLearner(p, counted);
    return counted;
  }

  /**
   * The popularity sums re-summed from every trainable person's records, and
   * the report's counts, a few milliseconds at a time. Items whose sums
   * change meanwhile are tracked (the caller adopts or stops tracking).
   */
  private async popularityInSlices(
    signal: AbortSignal | undefined,
  ): Promise<{ sums: PopularitySums; counted: { events: number; users: number } }> {
    const api = 'trainInBackground';
    const people = this.trainablePeople();
    const sums = this.popularity.emptySums(this.catalog.size);
    const counted = { events: 0, users: 0 };
    this.popularity.track();
    try {
      await forEachInSlices(people, (p) => sums.addTimes(learnedRecords([p])), signal, api);
      await forEachInSlices(people, (p) => sums.addSums(learnedRecords([p])), signal, api);
      await forEachInSlices(people, (p) => countLearner(p, counted), signal, api);
    } catch (error) {
      this.popularity.stopTracking();
      throw error;
    }
    return { sums, counted };
  }

  /**
   * {@link train} without blocking the event loop: the same model, bit for
   * bit, as `train()` on the same evidence (each person's evidence is read in
   * slices at the start, so feedback arriving meanwhile may count for people
   * not yet read). In Node (the `node` export condition) the sweeps run on
   * worker threads (every core by default); in browsers, or with
   * `threads: 1`, they run on this thread in slices of a few milliseconds.
   * The new model replaces the old one only when the promise resolves; until
   * then `recommend` serves the old one. If feedback is undone or a person
   * erased while it runs, the result is thrown away and the fit redone, so
   * nobody erased leaves a trace. Rejects with `ABORTED` when `signal` fires
   * (nothing changes) and `TRAINING_IN_PROGRESS` when another background
   * training is running; `train()` refuses to run meanwhile.
   */
  async trainInBackground(options: BackgroundTrainOptions = {}): Promise<TrainReport> {
    const checked = checkBackgroundTrainOptions(options, 'trainInBackground');
    const hooks = fitHooks(checked);
    if (this.training)
      throw new AttuneError(
        'TRAINING_IN_PROGRESS',
        'trainInBackground: another background training is running; await it (or abort it) first',
      );
    this.training = true;
    try {
      const started = Date.now();
      const keepImported = this.collab?.imported === true && checked.replaceImportedFactors !== true;
      const collaborative = keepImported ? false : this.opts.collaborative;
      let fitted: Awaited<ReturnType<typeof CollaborativeModel.trainInBackground>>;
      let sums: PopularitySums;
      let counted: { events: number; users: number };
      for (let attempt = 1; ; attempt++) {
        const erasures = this.erasures;
        const entries = this.trainablePeople().map((p) => ({
          key: p.id,
          entries: () => personEntries(p, this.halfLifeMs),
        }));
        fitted =
          collaborative === false
            ? undefined
            : await CollaborativeModel.trainInBackground(entries, this.catalog, collaborative, hooks);
        // Popularity is re-summed from the evidence as it is now, in slices too (see PopularityModel.adopt).
        ({ sums, counted } = await this.popularityInSlices(hooks.signal));
        if (erasures === this.erasures) break;
        this.popularity.stopTracking();
        if (attempt === 3)
          throw new AttuneError(
            'ABORTED',
            'trainInBackground: feedback kept being erased or undone during training; call it again when that settles',
          );
      }
      this.popularity.adopt(sums);
      this.popVersion++;
      if (collaborative !== false) this.collab = fitted?.model;
      this.modelChanged();
      const report = fitted?.report;
      const kept = keepImported ? { keptImportedFactors: true as const } : {};
      return {
        iterations: report?.iterations ?? 0,
        loss: report?.loss ?? [],
        seconds: (Date.now() - started) / 1000,
        ...counted,
        threads: report?.threads ?? 1,
        ...kept,
      };
    } finally {
      this.training = false;
    }
  }

  /**
   * Loads item factors trained elsewhere — Spark MLlib ALS (`model.itemFactors`
   * as JSON lines) or the Python `implicit` library (`numpy.save` of
   * `model.item_factors` plus the item ids) — as the collaborative model.
   * Every person is then folded in against them from their own evidence, so
   * scores, fold-in after new feedback and the faithful collaborative reasons
   * work as after `train()`. Catalog items the source lacks get no
   * collaborative score. `train()` afterwards keeps these factors (its report
   * says `keptImportedFactors: true`); `train({ replaceImportedFactors: true })`
   * fits attune's own instead. Snapshots keep them. Throws `BAD_FACTORS`
   * (malformed, wrong shape, non-finite), `UNKNOWN_ITEM` (an id not in the
   * catalog) or `INVALID_OPTIONS`; a throwing call changes nothing.
   */
  importItemFactors(source: ItemFactorSource, options: ImportFactorsOptions = {}): ImportReport {
    const api = 'importItemFactors';
    if (this.training)
      throw new AttuneError(
        'TRAINING_IN_PROGRESS',
        `${api}: trainInBackground() is running; await it (or abort it) first`,
      );
    if (this.opts.collaborative === false)
      throw new AttuneError(
        'INVALID_OPTIONS',
        `${api}: the collaborative model is switched off (collaborative: false); create the recommender with collaborative options to use factors`,
      );
    const { model, report } = importCollaborative(source, this.catalog, this.opts.collaborative, options, api);
    this.collab = model;
    this.modelChanged();
    return report;
  }

  // ------------------------------------------------------------------ persistence

  /** Plain JSON of everything learned: state, not history; a pure function of it. */
  snapshot(): Snapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      options: optionsToJSON(this.opts),
      items: Array.from({ length: this.catalog.size }, (_, i) => this.catalog.item(i)),
      people: [...this.people.values()].map(personToJSON),
      popularity: this.popularity.toJSON(),
      ...(this.collab !== undefined ? { collaborative: this.collab.toJSON() } : {}),
    };
  }

  /** @internal Reads a validated snapshot: version 2 as it is, version 1 migrated by replaying its events once. */
  static fromSnapshot(raw: unknown, overrides: { now?: () => number }): Recommender {
    const envelope = readEnvelope(raw);
    const snap = envelope.snapshot;
    const options = envelope.version === 2 ? snap.options : optionsFromV1(envelope.snapshot.options);
    const rec = new Recommender(
      optionsFromJSON(options, overrides.now),
      Catalog.validate('restoreRecommender', snap.items),
    );
    if (envelope.version === 2) rec.loadState(envelope.snapshot);
    else rec.migrate(envelope.snapshot);
    if (snap.collaborative !== undefined) {
      try {
        rec.collab = CollaborativeModel.fromJSON(snap.collaborative);
      } catch (error) {
        throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: collaborative model: ${(error as Error).message}`);
      }
      if (rec.collab.itemCount > rec.catalog.size)
        throw new AttuneError(
          'BAD_SNAPSHOT',
          'restoreRecommender: the collaborative model knows more items than the catalog',
        );
    }
    return rec;
  }

  private loadState(snap: Snapshot): void {
    snap.people.forEach((json, i) => {
      const person = personFromJSON(json, this.catalog, this.halfLifeMs, `restoreRecommender: people[${i}]`);
      if (this.people.get(person.id) !== undefined)
        throw new AttuneError(
          'BAD_SNAPSHOT',
          `restoreRecommender: people[${i}] repeats the id ${describeValue(person.id)}`,
        );
      this.people.set(person);
    });
    this.popularity.load(this.catalog.size, readPopularity(snap.popularity, this.catalog.size));
  }

  /** Version 1 held every event: replay them once, in their arrival order, into evidence. */
  private migrate(snap: SnapshotV1): void {
    const people = snap.users.map((u) => {
      const person = newPerson(u.id, this.halfLifeMs);
      person.optOut = u.optOut;
      for (const c of u.consent) person.consent.add(c);
      person.mutedTags = new Set(u.mutedTags);
      person.draws = u.draws;
      person.changes = u.changes.filter((c) => c.cause === 'requested');
      this.people.set(person);
      return person;
    });
    for (const [userIndex, item, signal, at, weight, context] of snap.events) {
      const event = checkEvent(
        {
          user: people[userIndex]!.id,
          item: this.catalog.ids[item]!,
          signal,
          at,
          weight,
          ...(context !== undefined ? { context } : {}),
        },
        'restoreRecommender: an event',
        this.catalog,
        at,
        this.opts.protectedAttributes,
      );
      applyEvent(this.learning, people[userIndex]!, event);
    }
  }
}

/** Creates a recommender over a catalog. See DESIGN.md for the options. */
export function createRecommender(options: RecommenderOptions = {}): Recommender {
  if (options === null || typeof options !== 'object')
    throw new AttuneError(
      'INVALID_OPTIONS',
      `createRecommender: options must be an object, got ${describeValue(options)}`,
    );
  const resolved = resolveOptions(options);
  const items = Catalog.validate('createRecommender', options.items ?? []);
  return new Recommender(resolved, items);
}

/**
 * Restores a recommender from a snapshot (after JSON round trip). Validates
 * everything and refuses a corrupt or unknown-version snapshot with `BAD_SNAPSHOT`.
 */
export function restoreRecommender(snapshot: unknown, options: { now?: () => number } = {}): Recommender {
  try {
    return Recommender.fromSnapshot(snapshot, options);
  } catch (error) {
    if (error instanceof AttuneError && error.code !== 'BAD_SNAPSHOT') {
      throw new AttuneError('BAD_SNAPSHOT', `restoreRecommender: the snapshot is not valid: ${error.message}`);
    }
    throw error;
  }
}

/** Adds one person's events, and the person if any of their evidence is learned, to `counted`. */
function countLearner(person: PersonState, counted: { events: number; users: number }): void {
  counted.events += person.events;
  let learned = false;
  person.evidence.forEachView((_, e) => {
    learned ||= e.learned;
  });
  if (learned) counted.users++;
}
