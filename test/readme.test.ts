import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every ```ts block of README.md must run as written (importing 'attune' from src).
const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = join(root, 'test', '.readme');

describe('README examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((code, i) => {
    it(`block ${i + 1} runs`, async () => {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `block-${i + 1}.ts`);
      const source = code
        .replace(/from 'attune\/eval'/g, "from '../../src/eval/index.js'")
        .replace(/from 'attune'/g, "from '../../src/index.js'");
      writeFileSync(file, source);
      const logs: string[] = [];
      const original = console.log;
      console.log = (...args: unknown[]) => void logs.push(args.join(' '));
      try {
        await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
      } finally {
        console.log = original;
      }
      // Where a block shows its output in a trailing comment, the output must match.
      const expected = [...code.matchAll(/console\.log\([^\n]*\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
      for (const line of expected) expect(logs).toContain(line);
    });
  });
});
