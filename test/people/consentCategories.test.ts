/**
 * An item sensitive in several categories is learned only with consent to every one of them:
 * withdrawing any one unlearns it — everyone is then served what they would be had that consent
 * never been given.
 */
import { describe, expect, it } from 'vitest';
import { createRecommender, type Recommender } from '../../src/index.js';
import type { Item } from '../../src/types.js';
import { T0, musicCatalog } from '../__helpers__/catalog.js';
import { servedScores as served } from '../__helpers__/served.js';

const items: Item[] = [
  ...musicCatalog(4, ['jazz', 'rock']),
  { id: 'hymn-0', tags: ['genre:jazz', 'topic:faith'], sensitive: ['religion', 'health'] },
  { id: 'hymn-1', tags: ['genre:rock', 'topic:faith'], sensitive: ['religion'] },
];

function world(consent: Record<string, boolean>) {
  const rec = createRecommender({ items, seed: 6, exploration: 0, lifeStages: false, now: () => T0 + 3_600_000 });
  rec.setPreferences('ann', { consent });
  rec.setPreferences('dee', { consent: { religion: true, health: true } });
  rec.feedback({ user: 'bob', item: 'jazz-1', signal: 'up', at: T0 });
  rec.feedback({ user: 'ann', item: 'hymn-0', signal: 'up', at: T0 });
  rec.feedback({ user: 'ann', item: 'hymn-1', signal: 'up', at: T0 + 1000 });
  rec.feedback({ user: 'ann', item: 'rock-2', signal: 'skip', at: T0 + 2000 });
  return rec;
}

describe('consent to several categories', () => {
  it('withdrawing one of an item’s categories unlearns it, as if that consent had never been given', () => {
    const withdrawn = world({ religion: true, health: true });
    const never = world({ religion: true });
    const both = world({ religion: true, health: true });
    withdrawn.setPreferences('ann', { consent: { health: false } });
    for (const user of ['ann', 'dee', 'bob', undefined]) expect(served(withdrawn, user)).toEqual(served(never, user));
    // While both were given, the item counted.
    expect(served(both, 'dee')).not.toEqual(served(never, 'dee'));
  });

  /**
   * dee (who consents) likes hymn-0 and bob likes jazz-1; with `ann`, ann first gives `consent`,
   * likes hymn-0, withdraws `withdraw`, then `after` runs. Without, ann never was.
   */
  function withdrawal(
    ann: { consent: Record<string, boolean>; withdraw: string } | undefined,
    after: (rec: Recommender) => void = () => {},
  ): Recommender {
    const rec = createRecommender({ items, seed: 6, exploration: 0, lifeStages: false, now: () => T0 + 3_600_000 });
    rec.setPreferences('dee', { consent: { religion: true, health: true } });
    if (ann !== undefined) {
      rec.setPreferences('ann', { consent: ann.consent });
      rec.feedback({ user: 'ann', item: 'hymn-0', signal: 'up', at: T0 });
      rec.setPreferences('ann', { consent: { [ann.withdraw]: false } });
    }
    rec.feedback({ user: 'dee', item: 'hymn-0', signal: 'up', at: T0 + 1000 });
    rec.feedback({ user: 'bob', item: 'jazz-1', signal: 'up', at: T0 + 2000 });
    after(rec);
    return rec;
  }
  const both = { consent: { religion: true, health: true }, withdraw: 'health' };

  it('forgetting a person whose consent was withdrawn takes out only what they still taught', () => {
    // ann's hymn was unlearned when she withdrew; forgetting her must not take it out of
    // popularity a second time: dee and bob are served as if ann had never been.
    const forgotten = withdrawal(both, (rec) => rec.forget('ann'));
    const never = withdrawal(undefined);
    for (const user of ['dee', 'bob', undefined]) expect(served(forgotten, user)).toEqual(served(never, user));
  });

  it('train() after a withdrawal rebuilds popularity from what is still taught', () => {
    const withdrawn = withdrawal(both, (rec) => rec.train());
    const never = withdrawal(undefined, (rec) => rec.train());
    for (const user of ['dee', 'bob', undefined]) expect(served(withdrawn, user)).toEqual(served(never, user));
  });

  it('withdrawing a consent from an item that was never learned takes nothing out', () => {
    // ann consented to religion only, so her hymn (religion and health) never taught; withdrawing
    // religion must leave dee's and bob's lists as if ann had never been.
    const withdrawn = withdrawal({ consent: { religion: true }, withdraw: 'religion' });
    const never = withdrawal(undefined);
    for (const user of ['dee', 'bob', undefined]) expect(served(withdrawn, user)).toEqual(served(never, user));
  });

  it('saying the same again changes nothing: a consent given twice, withdrawn twice, or withdrawn and given back', () => {
    const users = ['ann', 'dee', 'bob', undefined];
    const given = world({ religion: true, health: true });
    const never = world({ religion: true });
    const twice = world({ religion: true, health: true });
    twice.setPreferences('ann', { consent: { religion: true, health: true } });
    const withdrawnTwice = world({ religion: true, health: true });
    withdrawnTwice.setPreferences('ann', { consent: { health: false } });
    withdrawnTwice.setPreferences('ann', { consent: { health: false } });
    const back = world({ religion: true, health: true });
    back.setPreferences('ann', { consent: { health: false } });
    back.setPreferences('ann', { consent: { health: true } });
    for (const user of users) {
      expect(served(twice, user)).toEqual(served(given, user));
      expect(served(withdrawnTwice, user)).toEqual(served(never, user));
      expect(served(back, user)).toEqual(served(given, user));
    }
  });
});
