// Shared by the browser benches: Chromium's flags, a static server for a build, the bench build of
// the app (mode "bench", app entry only), medians.
import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.PACKETARIUM_CHROMIUM || '/usr/bin/chromium';
export const ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const VIEWPORT = { width: 1280, height: 800 };
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.yaml': 'text/yaml',
};

/** Serves `dir` on 127.0.0.1 at a free port. */
export function serve(dir) {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = resolve(dir, `.${pathname}`);
    if (file !== dir && !file.startsWith(dir + sep)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, baseUrl: `http://127.0.0.1:${server.address().port}` })));
}

/**
 * The project's vite config, but only the app entry (index.html): that is what is measured. Mode
 * "bench" keeps the dev-only bench module (src/view3d/bench.tsx) that `?bench=` loads; it is
 * otherwise the production build. Returns { dir, tmp } (tmp: the directory to remove afterwards).
 */
export async function buildBenchApp() {
  const tmp = mkdtempSync(join(tmpdir(), 'packetarium-bench-'));
  const dir = join(tmp, 'dist');
  const { build } = await import('vite');
  await build({
    root,
    mode: 'bench',
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
    plugins: [
      {
        name: 'bench-app-entry-only',
        enforce: 'post',
        config(config) {
          config.build ??= {};
          config.build.rollupOptions ??= {};
          config.build.rollupOptions.input = { main: join(root, 'index.html') };
        },
      },
    ],
  });
  return { dir, tmp };
}

export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
