// Shared by the browser tests: build dist/ when the sources are newer, serve it under a sub-path
// with the production CSP while recording every request, and launch Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const BASE_PATH = '/demo/';

/** The Content-Security-Policy the built site is served with (docs: README, issue 9). */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
};

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs `vite build` when dist/ is older than web/, public/ or vite.config.js. */
export function ensureBuild() {
  const built = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(newestMtime(join(ROOT, 'web')), newestMtime(join(ROOT, 'public')), newestMtime(join(ROOT, 'vite.config.js')));
  if (built >= sources) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
}

/**
 * @typedef {{method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string, time: number}} Logged
 * Serves dist/ under BASE_PATH on an ephemeral loopback port; every request, with its body, is
 * appended to `log`.
 * @param {Logged[]} log
 * @returns {Promise<{server: import('node:http').Server, base: string, origin: string}>}
 */
export function serve(log = []) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      log.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('latin1'), time: Date.now() });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === BASE_PATH.slice(0, -1)) {
        res.writeHead(301, { Location: BASE_PATH }).end();
        return;
      }
      const relative = url.pathname.startsWith(BASE_PATH) ? decodeURIComponent(url.pathname.slice(BASE_PATH.length)) || 'index.html' : null;
      const file = relative === null ? null : normalize(join(DIST, relative));
      if (req.method !== 'GET' || !file || !file.startsWith(DIST + sep)) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
      resolve({ server, origin, base: `${origin}${BASE_PATH}` });
    }),
  );
}

/** Debian's Chromium, headless, with the flags this machine needs (no background networking). */
export function launch() {
  return chromium.launch({
    // LL_CHROMIUM: another executable, e.g. a wrapper that runs Chromium at a higher priority for
    // a benchmark on a busy machine.
    executablePath: process.env.LL_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
