/**
 * `npm run playground`: bundles the page (main.ts) against attune's built
 * ESM package — `dist/`, exactly what `npm install attune` gives a bundler —
 * and serves it on localhost. Only static files: attune runs in the page.
 *
 * Options: `--port N` (or PORT; default 4173), `--host H` (default 127.0.0.1).
 * The browser test starts it with {@link startPlayground} on a free port.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

/** `attune` and `attune/eval` resolve to the built package, as they would for an app that installed it. */
const builtAttune: Plugin = {
  name: 'built-attune',
  setup(b) {
    b.onResolve({ filter: /^attune(\/eval)?$/ }, (args) => {
      const file = join(root, 'dist', args.path === 'attune' ? 'index.js' : 'eval.js');
      if (!existsSync(file))
        return { errors: [{ text: `${file} is missing: run \`npm run build\` first (npm run playground does)` }] };
      return { path: file };
    });
  },
};

/** The page's script, bundled for browsers (attune, ml-matrix and seedrandom included). */
export async function bundlePlayground(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    sourcemap: 'inline',
    plugins: [builtAttune],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export interface RunningPlayground {
  url: string;
  close(): Promise<void>;
}

/** Bundles the page and serves it; `port: 0` picks a free port. */
export async function startPlayground(options: { port?: number; host?: string } = {}): Promise<RunningPlayground> {
  const app = await bundlePlayground();
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: readFileSync(join(here, 'index.html'), 'utf8') },
    '/style.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(here, 'style.css'), 'utf8') },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: app },
  };
  files['/index.html'] = files['/']!;
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (request.method !== 'GET' || file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(argument('port') ?? process.env['PORT'] ?? 4173);
  startPlayground({ port, host: argument('host') ?? '127.0.0.1' }).then(
    ({ url }) => console.log(`attune playground: ${url}  (Ctrl-C to stop)`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
