/** Restoring a bandit from its JSON snapshot, validating everything. */
import { AttuneError, check, describeValue, isFiniteNumber } from '../../errors.js';
import type { ArmState, WindowEntry } from './arms.js';
import { BANDIT_FORMAT, BANDIT_VERSION } from './constants.js';
import { BanditCore } from './core.js';
import { restoreDetector } from './detectors.js';
import { optionsFromJSON } from './options.js';
import { resolveBandit, type ResolvedBandit } from './policies.js';
import { BLOCK_SIZE } from './random.js';
import type { Bandit } from './types.js';

/** The largest decayed count an arm of a restored snapshot may hold (a trillion updates). */
const MAX_ARM_COUNT = 1e12;

const API = 'restoreBandit';
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

function bad(what: string): never {
  throw new AttuneError('BAD_SNAPSHOT', `${API}: ${what}`);
}

/**
 * Restores a bandit from `toJSON()` output (or its JSON text parsed). The restored bandit
 * makes exactly the choices the original would have made next.
 * @throws AttuneError `BAD_SNAPSHOT` when the snapshot is corrupt or of an unknown version.
 */
export function restoreBandit(json: unknown): Bandit {
  check(
    typeof json === 'object' && json !== null,
    'BAD_SNAPSHOT',
    `${API}: expected a bandit snapshot object, got ${describeValue(json)}`,
  );
  const s = json as Record<string, unknown>;
  if (s['format'] !== BANDIT_FORMAT) bad(`format must be "${BANDIT_FORMAT}", got ${describeValue(s['format'])}`);
  if (s['version'] !== BANDIT_VERSION)
    bad(`unsupported version ${describeValue(s['version'])}; this attune reads version ${BANDIT_VERSION}`);
  const armsJson = s['arms'];
  if (!Array.isArray(armsJson)) bad('arms must be an array');
  const ids = armsJson.map((a: unknown) =>
    typeof a === 'object' && a !== null ? (a as Record<string, unknown>)['id'] : undefined,
  );
  const optionsJson = s['options'];
  if (typeof optionsJson !== 'object' || optionsJson === null) bad('options must be an object');
  let o: ResolvedBandit;
  try {
    o = resolveBandit(optionsFromJSON(optionsJson as Record<string, unknown>, ids as string[]), true).resolved;
  } catch (e) {
    bad(`invalid options or arm ids (${(e as Error).message})`);
  }
  const random = s['random'] as Record<string, unknown> | null;
  if (typeof random !== 'object' || random === null) bad('random must be an object');
  const { block, used, spare } = random;
  if (!isCount(block) || !isCount(used) || used > BLOCK_SIZE || !(spare === null || isFiniteNumber(spare)))
    bad('random must be { block, used, spare } with whole block and used and a finite or null spare');
  for (const key of ['selects', 'steps', 'detections'] as const)
    if (!isCount(s[key])) bad(`${key} must be a whole number >= 0`);
  const clock = s['clock'];
  if (clock !== null && clock !== 'steps' && clock !== 'ms') bad('clock must be "steps", "ms" or null');
  const lastAt = s['lastAt'];
  if (!(lastAt === null || isFiniteNumber(lastAt)) || (clock === 'ms') !== (lastAt !== null))
    bad('lastAt must be a finite number exactly when clock is "ms"');

  const evidence = o.policy.evidence;
  const arms: ArmState[] = armsJson.map((raw: unknown, i: number) => {
    const a = raw as Record<string, unknown>;
    const what = `arms[${i}]`;
    if (
      !isFiniteNumber(a['t']) ||
      !isFiniteNumber(a['n']) ||
      !isFiniteNumber(a['s']) ||
      (a['n'] as number) < 0 ||
      (a['n'] as number) > MAX_ARM_COUNT ||
      Math.abs(a['s'] as number) > MAX_ARM_COUNT
    )
      bad(`${what} must have finite t, s and n with 0 <= n <= ${MAX_ARM_COUNT}`);
    const detector = restoreDetector(a['detector'], o.changeDetection, what);
    return {
      id: a['id'] as string,
      n: { value: a['n'] as number, t: a['t'] as number },
      s: { value: a['s'] as number, t: a['t'] as number },
      lin: evidence.readArm(a, what),
      detector,
    };
  });
  const byId = new Map(arms.map((a) => [a.id, a]));
  const windowJson = s['window'];
  const windowSize = o.common.window;
  if (
    !Array.isArray(windowJson) ||
    windowJson.length > windowSize ||
    (windowSize === Infinity && windowJson.length > 0)
  )
    bad('window must be an array no longer than options.window');
  const window: WindowEntry[] = windowJson.map((raw: unknown, i: number) => {
    const e = raw as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || !isFiniteNumber(e['reward']))
      bad(`window[${i}] must be { arm, reward, context? }`);
    const armId = e['arm'];
    if (armId !== null && !byId.has(armId as string)) bad(`window[${i}].arm names unknown arm ${describeValue(armId)}`);
    return {
      arm: armId === null ? null : (byId.get(armId as string) as ArmState),
      reward: e['reward'] as number,
      context: evidence.readContext(e['context'], `window[${i}].context`),
    };
  });
  return new BanditCore(o, {
    random: { block, used, spare },
    selects: s['selects'] as number,
    steps: s['steps'] as number,
    clock,
    lastAt,
    detections: s['detections'] as number,
    arms,
    window,
  });
}
