/**
 * What a person's record must hold between its parts, so that a record
 * read from outside (a snapshot, a store) is one that learning could have
 * made: each scope's taste is the sum of its learned records' parts
 * (recomputed here with the very code learning uses — `tasteContribution`,
 * which reads the person's own records less what stays on their stations,
 * and `Taste.addRecord` — so the check follows any change to how evidence
 * is counted or ages), its event count is the sum of its records' counts, a
 * record is learned exactly when it holds a learning signal the person
 * consented to, and no stored context feature names a protected attribute.
 * Sums are compared to rounding: incremental sums and recomputed ones
 * differ in their last bits.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Decay } from '../decay/decay.js';
import { AttuneError } from '../errors.js';
import { validateContext } from '../feedback/context.js';
import { Taste, type TagStat } from '../models/content/taste.js';
import { consented, hasLearning } from './contribution.js';
import type { PersonState } from './person.js';
import type { Scope } from './scope.js';
import { tasteContribution } from './spill.js';

/** What reading a record checks it against. */
export interface RecordContext {
  catalog: Catalog;
  decay: Decay;
  /** How long `tired` rests an item, in ms (Infinity: for ever). */
  tiredMs: number;
  /** The protected attributes of the options (matching form). */
  protectedAttributes: readonly string[];
}

/**
 * Whether a stored sum (value `pos`/`neg` at time `t`, over `n` records)
 * equals a recomputed one to rounding. The stored time may be later (a
 * record added later has since been taken out): both are compared there.
 */
export function sameSums(stored: TagStat, sum: TagStat, decay: Decay): boolean {
  if (stored.n !== sum.n) return false;
  if (sum.n === 0) return stored.pos === 0 && stored.neg === 0;
  if (!(stored.t >= sum.t)) return false;
  const f = decay.factor(stored.t - sum.t);
  return close(stored.pos, sum.pos * f) && close(stored.neg, sum.neg * f);
}

/** Equal to rounding: incremental sums drift from recomputed ones by far less than a millionth. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b));
}

/**
 * Checks one scope of `person` (the person's own, or a station): events,
 * learned flags and the taste as the sum of the learned records' parts (the
 * person's stations must be read already). `fail` throws with what is wrong.
 */
export function checkScope(
  person: PersonState,
  scope: Scope,
  context: RecordContext,
  fail: (what: string) => never,
  where: string,
): void {
  const { catalog, decay } = context;
  let events = 0;
  const sum = new Taste(decay);
  scope.evidence.forEachView((item, record) => {
    events += record.count;
    const learns = hasLearning(record) && consented(catalog, person, item);
    if (record.learned !== learns)
      fail(
        `the record of item ${item} is ${record.learned ? '' : 'not '}learned, but it ${learns ? 'holds a learning signal the person consented to' : 'holds no learning signal the person consented to'}`,
      );
    if (record.learned) sum.addRecord(catalog.itemTags[item]!, tasteContribution(person, scope, item, record, decay));
  });
  if (events !== scope.events) fail(`events is ${scope.events}, but ${where}'s records count ${events}`);
  const taste = scope.taste;
  if (!sameSums(taste.total, sum.total, decay))
    fail(`taste.total is not the sum of ${where}'s learned records (${sum.total.n})`);
  const sameMaps = (stored: Map<number, TagStat>, want: Map<number, TagStat>, what: string) => {
    if (stored.size !== want.size) fail(`${what} holds ${stored.size} tags, the learned records ${want.size}`);
    for (const [tag, s] of want) {
      const got = stored.get(tag);
      if (got === undefined || !sameSums(got, s, decay))
        fail(`${what} of tag ${tag} is not the sum of ${where}'s learned records`);
    }
  };
  sameMaps(taste.tags, sum.tags, 'taste.tags');
  if (taste.crosses.size !== sum.crosses.size)
    fail(`taste.crosses holds ${taste.crosses.size} context features, the learned records ${sum.crosses.size}`);
  for (const [feature, byTag] of sum.crosses) {
    const got = taste.crosses.get(feature);
    if (got === undefined) fail(`taste.crosses lacks the context feature ${JSON.stringify(feature)}`);
    sameMaps(got, byTag, `taste.crosses ${JSON.stringify(feature)}`);
  }
}

/**
 * Refuses a stored context feature (`key=value`, `key~bucket`) that names a
 * protected attribute or group, in any scope's records or taste: what
 * `feedback` refuses may not come in through a record either.
 */
export function checkStoredContexts(person: PersonState, context: RecordContext, fail: (what: string) => never) {
  const checked = new Set<string>();
  const check = (feature: string) => {
    if (checked.has(feature)) return;
    checked.add(feature);
    const at = feature.search(/[=~]/);
    const key = at < 0 ? feature : feature.slice(0, at);
    const value = at >= 0 && feature[at] === '=' ? feature.slice(at + 1) : 0;
    try {
      validateContext('a stored context', { [key]: value }, context.protectedAttributes);
    } catch (error) {
      if (error instanceof AttuneError && error.code === 'PROTECTED_ATTRIBUTE')
        fail(`the stored context feature ${JSON.stringify(feature)} names a protected attribute or group`);
      throw error;
    }
  };
  for (const scope of [person, ...person.stations.values()]) {
    scope.evidence.forEachView((_, record) => {
      for (const feature of Object.keys(record.ctx ?? {})) check(feature);
    });
    for (const feature of scope.taste.crosses.keys()) check(feature);
  }
}
