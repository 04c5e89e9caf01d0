/**
 * `npm run test:mutation`: mutation testing of the learning and responsibility core (StrykerJS with
 * its vitest runner). Each area (`stryker/<area>.config.mjs`) mutates its files against the tests
 * that exercise them; the areas run one after the other, each with its own incremental file, and a
 * table of scores per file closes the run. Exits 1 when an area falls under its `thresholds.break`.
 *
 *   npm run test:mutation                                  every enabled area (incremental)
 *   npm run test:mutation -- --force                       every enabled area, every mutant again
 *   npm run test:mutation -- --area people,decay           some areas (incremental)
 *   npm run test:mutation -- --mutate src/decay/lifeStages.ts   quick: one file against its area's tests
 *   npm run test:mutation -- --changed [ref]               quick: the core files changed since ref (default HEAD~1)
 *   npm run test:mutation -- --list                        the areas, their files and test files
 *
 * STRYKER_CONCURRENCY sets the test runner processes (default 2).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';

interface Area {
  name: string;
  configFile: string;
  enabled: boolean;
  options: { mutate: string[]; testFiles: string[]; thresholds: { break: number } };
}

interface FileScore {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  other: number;
}

const root = resolve(import.meta.dirname, '..');

async function loadAreas(): Promise<Area[]> {
  const dir = resolve(root, 'stryker');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.config.mjs'))
    .sort();
  const areas: Area[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(resolve(dir, f)).href)) as { default: Area['options']; enabled?: boolean };
    areas.push({
      name: f.replace(/\.config\.mjs$/, ''),
      configFile: `stryker/${f}`,
      enabled: mod.enabled !== false,
      options: mod.default,
    });
  }
  return areas;
}

/** A mutate pattern (a path, `*` and `**` globs) as a test of a repository path. */
function matcher(pattern: string): (path: string) => boolean {
  const source = pattern
    .split('**/')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('(?:.*/)?');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

function owns(area: Area, file: string): boolean {
  return area.options.mutate.some((p) => !p.startsWith('!') && matcher(p)(file));
}

/** The files changed since `ref` (committed or not), or undefined when git cannot tell (no such commit, a shallow clone). */
function changedFiles(ref: string): string[] | undefined {
  try {
    const out = execFileSync('git', ['diff', '--name-only', ref, '--'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    return out.split('\n').filter((f) => f !== '');
  } catch {
    return undefined;
  }
}

function scoresOf(results: readonly MutantResult[]): FileScore[] {
  const byFile = new Map<string, FileScore>();
  for (const m of results) {
    const file = relative(root, resolve(root, m.fileName));
    let s = byFile.get(file);
    if (s === undefined) byFile.set(file, (s = { file, killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 }));
    if (m.status === 'Killed') s.killed++;
    else if (m.status === 'Timeout') s.timeout++;
    else if (m.status === 'Survived') s.survived++;
    else if (m.status === 'NoCoverage') s.noCoverage++;
    else s.other++; // Ignored (a disable comment), CompileError, RuntimeError: not in the score
  }
  return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/** Stryker's mutation score: detected (killed + timeout) over detected + undetected (survived + no coverage). */
function score(s: Omit<FileScore, 'file'>): number {
  const detected = s.killed + s.timeout;
  const total = detected + s.survived + s.noCoverage;
  return total === 0 ? 100 : (100 * detected) / total;
}

function sum(rows: readonly FileScore[], file: string): FileScore {
  const total: FileScore = { file, killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
  for (const r of rows) {
    total.killed += r.killed;
    total.timeout += r.timeout;
    total.survived += r.survived;
    total.noCoverage += r.noCoverage;
    total.other += r.other;
  }
  return total;
}

function table(rows: readonly FileScore[]): string {
  const head = '| file | score | killed | timeout | survived | no coverage | ignored / errors |';
  const line = (r: FileScore) =>
    `| \`${r.file}\` | ${score(r).toFixed(1)}% | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.other} |`;
  return [head, '| --- | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.includes(name);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length && !args[i + 1]!.startsWith('--') ? args[i + 1] : undefined;
  };
  const areas = await loadAreas();
  if (flag('--list')) {
    for (const a of areas) {
      console.log(`${a.name}${a.enabled ? '' : ' (disabled)'}: break ${a.options.thresholds.break}`);
      console.log(`  mutate: ${a.options.mutate.join(', ')}`);
      console.log(`  tests:  ${a.options.testFiles.join(', ')}`);
    }
    return;
  }

  // What to run: [area, mutate override (quick mode) or undefined]
  const plan: [Area, string[] | undefined][] = [];
  const only = value('--area');
  const mutate = value('--mutate');
  if (mutate !== undefined) {
    const file = relative(root, resolve(mutate));
    const area = areas.find((a) => owns(a, file));
    if (area === undefined) throw new Error(`test:mutation: ${file} is in no area (stryker/*.config.mjs)`);
    plan.push([area, [file]]);
  } else if (flag('--changed')) {
    const ref = value('--changed') ?? 'HEAD~1';
    const changed = changedFiles(ref);
    if (changed === undefined) {
      console.log(`test:mutation: git cannot tell what changed since ${ref}; nothing mutated`);
      return;
    }
    for (const area of areas.filter((a) => a.enabled)) {
      const files = changed.filter((f) => owns(area, f));
      if (files.length > 0) plan.push([area, files]);
    }
    if (plan.length === 0) {
      console.log('test:mutation: no core file changed; nothing to mutate');
      return;
    }
  } else {
    const named = only?.split(',');
    for (const area of areas) {
      if (named !== undefined ? named.includes(area.name) : area.enabled) plan.push([area, undefined]);
    }
    if (plan.length === 0) throw new Error(`test:mutation: no area ${only ?? ''} (see --list)`);
  }

  const quick = plan.some(([, files]) => files !== undefined);
  const rows: FileScore[] = [];
  const failed: string[] = [];
  const started = Date.now();
  for (const [area, files] of plan) {
    const options: PartialStrykerOptions = { configFile: area.configFile };
    if (files !== undefined) {
      // Quick mode: a subset of the area, written beside the area's own reports, never into its incremental file.
      options.mutate = files;
      options.jsonReporter = { fileName: `reports/mutation/quick-${area.name}.json` };
      options.htmlReporter = { fileName: `reports/mutation/quick-${area.name}.html` };
    } else {
      options.incremental = true;
      options.force = flag('--force');
    }
    const t = Date.now();
    console.log(`\n== ${area.name}: ${(files ?? area.options.mutate).join(', ')}`);
    let results: MutantResult[];
    try {
      results = await new Stryker(options).runMutationTest();
    } catch (error) {
      // A failed dry run (a test that fails or times out unmutated) fails the area, not the run.
      console.error(`== ${area.name}: Stryker failed: ${(error as Error).message}`);
      failed.push(`${area.name} (Stryker failed)`);
      continue;
    }
    const areaRows = scoresOf(results);
    const areaScore = score(sum(areaRows, area.name));
    console.log(`== ${area.name}: ${areaScore.toFixed(1)}% in ${((Date.now() - t) / 60_000).toFixed(1)} min`);
    if (areaScore < area.options.thresholds.break) failed.push(`${area.name} ${areaScore.toFixed(1)}%`);
    rows.push(...areaRows);
  }
  const total = sum(rows, quick ? 'all mutated' : 'core');
  console.log(`\n${table([...rows, total])}`);
  console.log(`\n${((Date.now() - started) / 60_000).toFixed(1)} min; load average ${loadAverage()}`);
  if (failed.length > 0) {
    console.error(`test:mutation: under the break threshold: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

function loadAverage(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' })
      .trim()
      .replace(/.*load average:\s*/, '');
  } catch {
    return 'unknown';
  }
}

await main();
