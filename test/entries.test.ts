import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..', 'src');

/** Every module the file statically imports, followed through relative imports. */
function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.add(spec);
    }
  };
  visit(join(src, entry));
  return { files, external };
}

describe('package entries', () => {
  it('the browser entry (src/index.ts) never reaches a Node-only module', () => {
    const { files, external } = importGraph('index.ts');
    expect([...external].filter((s) => s.startsWith('node:'))).toEqual([]);
    expect([...files].some((f) => f.includes(`${join('mf', 'workers')}`))).toBe(false);
    expect([...external].sort()).toEqual(['ml-matrix', 'seedrandom']);
  });

  it('the Node entry adds worker threads and nothing else', () => {
    const { external } = importGraph('node.ts');
    expect([...external].sort()).toEqual(['ml-matrix', 'node:os', 'node:worker_threads', 'seedrandom']);
  });
});
