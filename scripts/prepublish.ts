/**
 * `npm publish` runs this first (`prepublishOnly`): it refuses to publish a
 * package that does not say where it lives. npm shows `repository`,
 * `homepage` and `bugs` on the package's page and `npm repo` / `npm bugs`
 * open them; a URL nobody owns would send users nowhere, so this project
 * leaves them out until it has one, and this check keeps that gap from being
 * published. Exits 1 and names each missing field.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The metadata a published package must carry: each field's name and what it should hold. */
export const REQUIRED_METADATA = [
  ['repository', 'the source repository, e.g. { "type": "git", "url": "git+https://…/attune.git" }'],
  ['homepage', 'a URL where the project is described (its README on the repository host will do)'],
  ['bugs', 'where users report problems, e.g. { "url": "https://…/attune/issues" }'],
] as const;

/** What is missing from a package.json for publication: one line per missing field (none when ready). */
export function missingMetadata(pkg: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const [field, what] of REQUIRED_METADATA) {
    const value = pkg[field];
    const url = typeof value === 'string' ? value : (value as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string' || !/^(git\+)?https?:\/\/\S+$/.test(url))
      missing.push(`package.json: add "${field}": ${what}`);
  }
  return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const missing = missingMetadata(pkg);
  if (missing.length > 0) {
    console.error(`Not publishing ${String(pkg['name'])}@${String(pkg['version'])}:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  console.log('package metadata: repository, homepage and bugs are set');
}
