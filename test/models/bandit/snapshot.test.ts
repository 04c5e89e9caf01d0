import { describe, expect, it } from 'vitest';
import { createBandit, restoreBandit, type BanditSnapshot } from '../../../src/models/bandit/index.js';

/** A LinUCB bandit with evidence on arm a and none on arm b, as JSON. */
function linearSnapshot(): BanditSnapshot {
  const bandit = createBandit({ kind: 'linucb', arms: ['a', 'b'], dimension: 2, seed: 1 });
  for (let i = 0; i < 5; i++) bandit.update('a', 1, [1, 0.5]);
  return JSON.parse(JSON.stringify(bandit.toJSON())) as BanditSnapshot;
}

const refused = (snapshot: unknown, message: RegExp) =>
  expect(() => restoreBandit(snapshot)).toThrow(
    expect.objectContaining({ code: 'BAD_SNAPSHOT', message: expect.stringMatching(message) }),
  );

describe('restoreBandit refuses a state no sequence of updates could give', () => {
  it('refuses an A⁻¹ entry of 1e308, with or without evidence behind it (its expectations could not be finite)', () => {
    for (const arm of [0, 1]) {
      for (const entry of [0, 1, 3]) {
        const snapshot = linearSnapshot();
        snapshot.arms[arm]!.Ainv![entry] = 1e308;
        refused(snapshot, /^restoreBandit: arms\[\d\]: every entry of A⁻¹ must be at most 2\/prior = 2 in magnitude/);
      }
    }
    expect(() => restoreBandit(linearSnapshot())).not.toThrow();
  });

  it('refuses an A⁻¹ that is not the inverse of A, a regulariser outside [λ/2, λ] and a reward sum on a linear arm', () => {
    const notInverse = linearSnapshot();
    notInverse.arms[0]!.A![0] = -1;
    refused(notInverse, /arms\[0\]: Ainv must be the inverse of A/);
    const prior = linearSnapshot();
    prior.arms[0]!.prior = 0.4;
    refused(prior, /arms\[0\]: prior must be from lambda\/2 to lambda \(0\.5 to 1\), got 0\.4/);
    const refresh = linearSnapshot();
    refresh.arms[0]!.refresh = 1000;
    refused(refresh, /arms\[0\]: refresh must be a whole number below 1000/);
    const sum = linearSnapshot();
    sum.arms[1]!.s = 3;
    refused(sum, /arms\[1\]\.s must be 0 for a linear arm/);
  });

  it('refuses a Bernoulli reward sum outside [0, n]', () => {
    const bandit = createBandit({ kind: 'thompson', arms: ['a'], seed: 1 });
    for (let i = 0; i < 4; i++) bandit.update('a', i % 2);
    const snapshot = JSON.parse(JSON.stringify(bandit.toJSON())) as BanditSnapshot;
    for (const s of [-0.5, 4.5]) {
      snapshot.arms[0]!.s = s;
      refused(snapshot, /^restoreBandit: arms\[0\]\.s must be from 0 to n = 4/);
    }
  });
});

describe('a linear update that would leave its arm unsound', () => {
  it('is refused with nothing changed, where it was accepted and the own snapshot then refused', () => {
    for (const kind of ['linucb', 'linear-thompson'] as const) {
      const bandit = createBandit({ kind, arms: ['a', 'b'], dimension: 3, seed: 1 });
      bandit.update('a', 0.5, [0.1, 0.2, 0.3]);
      const before = JSON.stringify(bandit.toJSON());
      // x xᵀ overflows A
      expect(() => bandit.update('a', 0, [0, 0, -1e300])).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/^bandit\.update: this update would leave arm "a" unsound \(A has an entry/),
        }),
      );
      // r·x overflows b
      expect(() => bandit.update('b', 1e300, [1e10, 0, 0])).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/b has an entry/) }),
      );
      expect(JSON.stringify(bandit.toJSON())).toBe(before);
      expect(JSON.stringify(restoreBandit(JSON.parse(before)).toJSON())).toBe(before);
    }
  });
});
