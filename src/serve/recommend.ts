/**
 * The read use cases: `recommend` and `explain`. One path for plain lists
 * and stations — the request's view (serve/view) says which scope the
 * score reads; eligibility, the blend, the ranker and the reasons are the
 * same code for both. Reasons are built only for the items shown, from the
 * same contributions as their scores.
 */
import { LIFE_STAGE_BOOST, LIFE_STAGE_BOOST_DAYS } from '../constants.js';
import { DAY_MS } from '../decay/decay.js';
import { exploreBoostUntil } from '../decay/lifeStages.js';
import { AttuneError, describeValue } from '../errors.js';
import {
  attributionIndex,
  buildReason,
  type AttributionIndex,
  type CollaborativePiece,
  type ExplainInput,
} from '../explain/reasons.js';
import { checkRequest, type CheckedRequest } from '../feedback/request.js';
import { consented } from '../people/contribution.js';
import { newPerson, type PersonState } from '../people/person.js';
import { uncappedTags } from '../people/stations.js';
import { createRng, type Rng } from '../random/rng.js';
import type { RankInput, RankedItem } from '../rank/ranker.js';
import { collaborativeShare, contributionsOf, popularityWeight, tasteArrays, tasteParts } from '../score/blend.js';
import { CandidateVerdicts, eligibility } from '../score/eligibility.js';
import { stationAnchor, stationExploreCap } from '../score/lens.js';
import type { Context, Contributions, ExplainedRecommendation, Reason, RecommendOptions } from '../types.js';
import type { World } from '../world.js';
import { stationOf, viewOf, type View } from './view.js';

/**
 * The verdict array the requests of one world reuse when they judge candidates only (approximate
 * retrieval, a guest's popular items): each verdict is read within its request, before the next.
 */
const verdicts = new WeakMap<World, CandidateVerdicts>();
function verdictsOf(world: World): CandidateVerdicts {
  let v = verdicts.get(world);
  if (v === undefined) verdicts.set(world, (v = new CandidateVerdicts()));
  return v;
}

/**
 * Up to `count` items for `user` (undefined: a guest), each with its score,
 * contributions, reason, exploration flag and propensity. Reading never
 * creates state: a person with no record is served as a newcomer.
 */
export function recommend(
  world: World,
  user: string | undefined,
  options: RecommendOptions,
): ExplainedRecommendation[] {
  const o = world.options;
  const req = checkRequest('recommend', user, options, o.now, o.protectedAttributes);
  const stored = user === undefined ? undefined : world.people.get(user);
  const station = req.station === undefined ? undefined : stationOf('recommend', user, stored, req.station);
  if (user === undefined || stored?.optOut === true) return recommendPopular(world, req, stored);
  const person = stored ?? newPerson(user, world.decay);
  const view = viewOf(world, person, station, req.at);
  // Draws are keyed by the person, their own requests so far, the request time (and the station).
  const rng = createRng(
    o.seed,
    'user',
    user,
    person.draws,
    req.at,
    ...(station === undefined ? [] : ['station', station.id]),
  );
  const ranked = world.ranker.rank(rankInput(world, view, req, rng));
  const base = reasonBase(world, person, view, req);
  const shown = ranked.filter((r) => !r.explored).map((r) => r.item);
  // One index for the list, built by the first reason that needs it (a taste reason): most need none.
  let built: AttributionIndex | undefined;
  const index = base.hasEvidence ? () => (built ??= attributionIndex(base)) : undefined;
  const collaborative = collaborativePieces(world, view, shown);
  const list = ranked.map((r) =>
    present(world, r, buildReason(itemInput(base, r, index, r.explored ? undefined : collaborative.get(r.item)))),
  );
  if (stored !== undefined) stored.draws++;
  return list;
}

/** The reason `item` would be recommended to `user` now (no exploration); with `station`, on that station. */
export function explain(
  world: World,
  user: string | undefined,
  item: unknown,
  options: { at?: number; context?: Context; station?: string },
): Reason {
  const o = world.options;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new AttuneError(
      'INVALID_ARGUMENT',
      `explain: options must be an object such as { at, context, station }, got ${describeValue(options)}`,
    );
  const req = checkRequest(
    'explain',
    user,
    {
      ...(options.at !== undefined ? { at: options.at } : {}),
      ...(options.context !== undefined ? { context: options.context } : {}),
      ...(options.station !== undefined ? { station: options.station } : {}),
    },
    o.now,
    o.protectedAttributes,
  );
  if (typeof item !== 'string')
    throw new AttuneError('INVALID_ARGUMENT', `explain: item must be an item id string, got ${describeValue(item)}`);
  const index = world.catalog.indexOf(item);
  if (index === undefined)
    throw new AttuneError('UNKNOWN_ITEM', `explain: item ${describeValue(item)} is not in the catalog`);
  const stored = user === undefined ? undefined : world.people.get(user);
  const station = req.station === undefined ? undefined : stationOf('explain', user, stored, req.station);
  const noise = { noise: undefined, explored: false };
  if (user === undefined || stored?.optOut === true) {
    const contributions = popularContributions(world, index, req.at);
    return buildReason({ ...reasonBase(world, stored, undefined, req), item: index, contributions, ...noise });
  }
  const person = stored ?? newPerson(user, world.decay);
  const view = viewOf(world, person, station, req.at);
  const collaborative = collaborativePieces(world, view, [index]).get(index);
  return buildReason({
    ...reasonBase(world, person, view, req),
    item: index,
    contributions: contributionsOf(
      tasteParts(world.catalog, view.lens, index, req.contexts, view.personNow),
      collaborativePart(world, view, index),
      { weight: popularityWeight(view.lens.evidence), lift: world.popularity.logOddsLift(index, req.at) },
    ),
    ...noise,
    ...(collaborative !== undefined ? { collaborative } : {}),
  });
}

function present(world: World, r: RankedItem, reason: Reason): ExplainedRecommendation {
  return {
    item: world.catalog.ids[r.item]!,
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

/** The request's part of a reason input: what every reason of one request shares. */
type ReasonBase = Omit<ExplainInput, 'item' | 'contributions' | 'noise' | 'explored' | 'index' | 'collaborative'>;

/** What every reason of one request shares. `view` undefined: a guest or an opted-out person. */
function reasonBase(
  world: World,
  person: PersonState | undefined,
  view: View | undefined,
  req: CheckedRequest,
): ReasonBase {
  const personal = view !== undefined;
  return {
    catalog: world.catalog,
    user: person,
    lens: view?.lens,
    station: view?.station,
    contexts: personal ? req.contexts : [],
    now: req.at,
    personNow: view?.personNow ?? req.at,
    decay: world.decay,
    quoteDelayMs: personal ? world.options.implicitQuoteDelayMinutes * 60_000 : 0,
    changing: personal && req.at < boostUntil(view.person),
    hasEvidence: personal && view.person.taste.evidenceAt(view.personNow) > 0,
    mayName: (j: number) => personal && consented(world.catalog, view.person, j),
    itemNoun: world.options.itemNoun,
  };
}

/**
 * The reason input of one ranked item: the request's part field by field (an object spread of it
 * took V8's generic path, about 4 kB of garbage an item).
 */
function itemInput(
  base: ReasonBase,
  r: { item: number; contributions: Contributions; noise: Float64Array | undefined; explored: boolean },
  index: (() => AttributionIndex) | undefined,
  collaborative: readonly CollaborativePiece[] | undefined,
): ExplainInput {
  return {
    catalog: base.catalog,
    user: base.user,
    lens: base.lens,
    station: base.station,
    contexts: base.contexts,
    now: base.now,
    personNow: base.personNow,
    decay: base.decay,
    quoteDelayMs: base.quoteDelayMs,
    changing: base.changing,
    hasEvidence: base.hasEvidence,
    mayName: base.mayName,
    itemNoun: base.itemNoun,
    item: r.item,
    contributions: r.contributions,
    noise: r.noise,
    explored: r.explored,
    index,
    collaborative,
  };
}

function boostUntil(person: PersonState): number {
  return exploreBoostUntil(person.changes, LIFE_STAGE_BOOST_DAYS * DAY_MS);
}

/** The collaborative part's weight and raw score of one item in this view. */
function collaborativePart(world: World, view: View, item: number): { weight: number; raw: number } {
  const model = world.model;
  const vector = view.collaborative?.vector;
  if (model === undefined) return { weight: 0, raw: 0 };
  const raw = vector !== undefined && item < model.itemCount ? model.score(vector, item) : 0;
  return { weight: model.weight * collaborativeShare(view.lens.collaborativeEvidence), raw };
}

function rankInput(world: World, view: View, req: CheckedRequest, rng: Rng): RankInput {
  const o = world.options;
  const boost = req.at < boostUntil(view.person) ? LIFE_STAGE_BOOST : 1;
  const model = world.model;
  const taste = tasteArrays(world.catalog, view.lens, req.contexts, view.personNow);
  const vector = view.collaborative?.vector;
  const collaborativeWeight =
    model === undefined ? 0 : model.weight * collaborativeShare(view.lens.collaborativeEvidence);
  const exploration = o.exploration * boost;
  // For a large catalog, the index proposes the items to score (the guardrails judge what it
  // finds); the rest of the request is exact.
  const judge = (found?: Int32Array) =>
    eligibility(world.catalog, view.person, req, world.holds, view.lens, found, verdictsOf(world));
  const proposed = world.retrieval.candidates(
    model,
    {
      catalog: world.catalog,
      vector,
      collaborativeWeight,
      ...taste,
      exploration,
      popularity: world.popularity,
      popularityVersion: world.popularityVersion,
      popularityWeight: popularityWeight(view.lens.evidence),
      at: req.at,
      count: req.count,
      poolSize: o.poolSize,
    },
    judge,
  );
  const candidates = proposed?.items;
  return {
    catalog: world.catalog,
    eligible: proposed?.eligible ?? judge(),
    ...taste,
    ...(view.station === undefined
      ? {}
      : {
          anchor: stationAnchor(world.catalog, view.station, view.lens, req.count),
          maxExplored: stationExploreCap(req.count),
        }),
    collaborative: world.collaborativeScores(vector, candidates),
    collaborativeWeight,
    popularity: world.popularityLift(req.at, candidates),
    popularityWeight: popularityWeight(view.lens.evidence),
    count: req.count,
    poolSize: o.poolSize,
    exploration,
    propensitySamples: o.propensitySamples,
    propensityPatience: o.propensityPatience,
    rules: world.diversityRules(
      req.count,
      view.station === undefined ? undefined : uncappedTags(world.catalog, view.station.seeds),
    ),
    rng,
    ...(candidates === undefined ? {} : { candidates }),
  };
}

/**
 * Every per-liked-item piece of the collaborative contribution (HKV §5),
 * scaled like the score, for each of `items` (one factorisation for all).
 * The reason decides what of it may be named (quoting delay, bans).
 */
function collaborativePieces(world: World, view: View, items: readonly number[]): Map<number, CollaborativePiece[]> {
  const out = new Map<number, CollaborativePiece[]>();
  const model = world.model;
  const solved = view.collaborative;
  if (model === undefined || solved?.vector === undefined) return out;
  const known = items.filter((i) => i < model.itemCount);
  if (known.length === 0) return out;
  const scale = model.weight * collaborativeShare(view.lens.collaborativeEvidence);
  model.explainMany(solved.entries, known).forEach((x, t) => {
    // The explanation is this call's own: its pieces are scaled in place.
    for (const c of x.contributions) c.weight *= scale;
    out.set(known[t]!, x.contributions);
  });
  return out;
}

/** A guest's (or an opted-out person's) contributions: popularity alone. */
function popularContributions(world: World, item: number, at: number): Contributions {
  return contributionsOf(
    { content: 0, context: 0 },
    { weight: 0, raw: 0 },
    { weight: 1, lift: world.popularity.logOddsLift(item, at) },
  );
}

/** Guests and opted-out users: popularity only, deterministic (propensity 1), teaches nothing. */
function recommendPopular(
  world: World,
  req: CheckedRequest,
  person: PersonState | undefined,
): ExplainedRecommendation[] {
  const o = world.options;
  // Popularity alone decides the pool: it is among the most popular items, kept per popularity version.
  const proposed = world.popularTop.propose(
    world.popularity,
    world.popularityVersion,
    world.catalog.size,
    req.at,
    Math.max(o.poolSize, 4 * req.count),
    (items) => eligibility(world.catalog, person, req, world.holds, undefined, items, verdictsOf(world)),
  );
  const ranked = world.ranker.rank({
    catalog: world.catalog,
    eligible: proposed?.eligible ?? eligibility(world.catalog, person, req, world.holds),
    ...tasteArrays(world.catalog, undefined, [], req.at),
    collaborative: undefined,
    collaborativeWeight: 0,
    popularity: world.popularityLift(req.at, proposed?.items),
    popularityWeight: 1,
    ...(proposed === undefined ? {} : { candidates: proposed.items }),
    count: req.count,
    poolSize: o.poolSize,
    exploration: 0,
    propensitySamples: 1,
    propensityPatience: 1,
    rules: world.diversityRules(req.count),
    rng: createRng(0),
  });
  const base = reasonBase(world, person, undefined, req);
  return ranked.map((r) =>
    present(
      world,
      r,
      buildReason(
        itemInput(
          base,
          { item: r.item, contributions: r.contributions, noise: undefined, explored: false },
          undefined,
          undefined,
        ),
      ),
    ),
  );
}
