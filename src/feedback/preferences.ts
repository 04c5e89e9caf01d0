/** Validation of `setPreferences` at the public boundary. */
import { AttuneError, describeValue, everyIndex } from '../errors.js';
import type { Preferences } from '../types.js';

const KNOWN = new Set(['optOut', 'consent', 'mutedTags', 'reset', 'keepBans']);

/** Checks preferences; throws `INVALID_ARGUMENT` naming what to fix. Returns a copy. */
export function checkPreferences(prefs: unknown): Preferences {
  if (prefs === null || typeof prefs !== 'object' || Array.isArray(prefs)) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      'setPreferences: preferences must be an object such as { optOut: false, consent: { health: true }, mutedTags: [] }',
    );
  }
  const p = prefs as Record<string, unknown>;
  for (const key of Object.keys(p))
    if (!KNOWN.has(key))
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `setPreferences: unknown preference ${describeValue(key)}; use optOut, consent, mutedTags, reset or keepBans`,
      );
  for (const key of ['optOut', 'reset', 'keepBans'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'boolean')
      throw new AttuneError(
        'INVALID_ARGUMENT',
        `setPreferences: ${key} must be a boolean, got ${describeValue(p[key])}`,
      );
  }
  const consent = p['consent'];
  if (consent !== undefined) {
    if (
      consent === null ||
      typeof consent !== 'object' ||
      Array.isArray(consent) ||
      Object.values(consent).some((v) => typeof v !== 'boolean')
    ) {
      throw new AttuneError(
        'INVALID_ARGUMENT',
        'setPreferences: consent must map categories to booleans, e.g. { health: true }',
      );
    }
  }
  const muted = p['mutedTags'];
  if (muted !== undefined && (!Array.isArray(muted) || !everyIndex(muted, (t) => typeof t === 'string' && t !== ''))) {
    throw new AttuneError(
      'INVALID_ARGUMENT',
      'setPreferences: mutedTags must be an array of tag strings such as ["genre:polka"]',
    );
  }
  const out: Preferences = {};
  if (p['optOut'] !== undefined) out.optOut = p['optOut'] as boolean;
  if (consent !== undefined) out.consent = { ...(consent as Record<string, boolean>) };
  if (muted !== undefined) out.mutedTags = [...(muted as string[])];
  if (p['reset'] !== undefined) out.reset = p['reset'] as boolean;
  if (p['keepBans'] !== undefined) out.keepBans = p['keepBans'] as boolean;
  return out;
}
