#!/usr/bin/env node
// @ts-check
/**
 * End-to-end test of the built page (dist/) in Debian's Chromium, served under a sub-path with
 * the page's CSP also sent as a header (so the worker runs under it too).
 *
 *   node tests/e2e/run.mjs        builds dist/ first when it is missing or older than the sources
 *
 * Prints PASS/FAIL per case and a closing "N passed, M failed"; exits non-zero on any failure.
 * Screenshots go to tests/e2e/screenshots/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const SAMPLE = join(ROOT, 'public/samples/online-retail-sample.csv');
const MISSING_COLUMNS = join(ROOT, 'tests/fixtures/missing_columns.csv');
const CLI = join(ROOT, 'build/native/loyaltylens');
const SHOTS = join(ROOT, 'tests/e2e/screenshots');
const BASE_PATH = '/demo/';
const TIMEOUT = 30_000;

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  "connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'";

/** @type {Record<string, string>} */
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

// ---------- build and serve ----------

/** Newest modification time (ms) of the files under `path`. @param {string} path @returns {number} */
function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function ensureBuild() {
  const built = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(
    newestMtime(join(ROOT, 'web')),
    newestMtime(join(ROOT, 'public')),
    newestMtime(join(ROOT, 'vite.config.js')),
  );
  if (built >= sources) return;
  if (!statSync(join(ROOT, 'web/generated/loyaltylens.js'), { throwIfNoEntry: false })) {
    throw new Error('web/generated/loyaltylens.js is missing: run `npm run build:wasm` first');
  }
  console.log('e2e: building dist/ (vite build)');
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
}

/** Serves dist/ under BASE_PATH on an ephemeral 127.0.0.1 port. @returns {Promise<import('node:http').Server>} */
function serve() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === BASE_PATH.slice(0, -1)) {
      res.writeHead(301, { Location: BASE_PATH }).end();
      return;
    }
    const relative = url.pathname.startsWith(BASE_PATH)
      ? decodeURIComponent(url.pathname.slice(BASE_PATH.length)) || 'index.html'
      : null;
    const file = relative === null ? null : normalize(join(DIST, relative));
    if (req.method !== 'GET' || !file || !file.startsWith(DIST + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------- page helpers ----------

/** @param {string} text */
const digits = (text) => Number(text.replace(/[^\d]/g, ''));

/**
 * Waits for the segment table to show `k` segments (and no segmentation in flight).
 * @param {import('playwright-core').Page} page
 * @param {number} k
 */
async function waitForSegments(page, k) {
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#segment-table tbody tr').length === n &&
      !document.querySelector('#segments-section')?.hasAttribute('hidden') &&
      !document.querySelector('#segment-status')?.classList.contains('is-busy'),
    k,
    { timeout: TIMEOUT },
  );
}

/**
 * Checks the table's customer counts add up to the customers stat; returns that total.
 * @param {import('playwright-core').Page} page
 */
async function checkCustomerCounts(page) {
  const counts = await page.$$eval('#segment-table tbody tr td:nth-child(2)', (cells) =>
    cells.map((c) => c.textContent ?? ''),
  );
  const sum = counts.map(digits).reduce((a, b) => a + b, 0);
  const stat = digits(await page.textContent('#stat-customers .stat-value') ?? '');
  if (!(stat > 0) || sum !== stat) throw new Error(`segment customers sum to ${sum}, customers stat is ${stat}`);
  return stat;
}

/** @param {import('playwright-core').Page} page */
async function waitForNotice(page) {
  await page.waitForSelector('#notice:not([hidden])', { timeout: TIMEOUT });
  return {
    kind: await page.getAttribute('#notice', 'data-kind'),
    text: (await page.textContent('#notice')) ?? '',
  };
}

/** @param {boolean} condition @param {string} message */
function check(condition, message) {
  if (!condition) throw new Error(message);
}

// ---------- cases ----------

async function main() {
  ensureBuild();
  mkdirSync(SHOTS, { recursive: true });
  const server = await serve();
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://127.0.0.1:${address.port}`;
  const base = `${origin}${BASE_PATH}`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
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
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    colorScheme: 'light',
    acceptDownloads: true,
  });

  /** Problems seen anywhere during the run (case 6). @type {string[]} */
  const problems = [];
  context.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
  context.on('request', (request) => {
    const url = request.url();
    if (request.method() !== 'GET') problems.push(`${request.method()} request to ${url}`);
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) {
      problems.push(`request outside the page's origin: ${url}`);
    }
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });

  /** @returns {Promise<import('playwright-core').Page>} */
  async function freshPage() {
    const page = await context.newPage();
    page.on('worker', (worker) => worker.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`worker console error: ${msg.text()}`);
    }));
    await page.goto(base);
    await page.waitForSelector('#drop-zone:not([hidden])');
    return page;
  }

  /** @type {{name: string, run: () => Promise<void>}[]} */
  const cases = [];
  /** @type {import('playwright-core').Page | null} */
  let loaded = null;

  cases.push({
    name: 'drop the sample CSV (file picker and a real drop) → 4 segments that add up',
    async run() {
      const page = await freshPage();
      await page.setInputFiles('#file-input', SAMPLE);
      await waitForSegments(page, 4);
      const customers = await checkCustomerCounts(page);
      check(
        (await page.textContent('#summary-line'))?.includes('4 segments') ?? false,
        'summary line names 4 segments',
      );
      check(digits((await page.textContent('#info-customers')) ?? '') === customers, 'top bar customers');
      await page.close();

      const dropPage = await freshPage();
      const dataTransfer = await dropPage.evaluateHandle(async () => {
        const response = await fetch('samples/online-retail-sample.csv');
        const file = new File([await response.blob()], 'online-retail-sample.csv', { type: 'text/csv' });
        const dt = new DataTransfer();
        dt.items.add(file);
        return dt;
      });
      await dropPage.dispatchEvent('#drop-zone', 'dragenter', { dataTransfer });
      await dropPage.dispatchEvent('#drop-zone', 'dragover', { dataTransfer });
      await dropPage.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
      await waitForSegments(dropPage, 4);
      check((await checkCustomerCounts(dropPage)) === customers, 'the drop gives the same customers');
      check(
        (await dropPage.textContent('#info-file')) === 'online-retail-sample.csv',
        'top bar shows the dropped file name',
      );
      loaded = dropPage;
    },
  });

  cases.push({
    name: 'k = 3 from the keyboard → 3 segments, file not read again',
    async run() {
      if (!loaded) throw new Error('needs case 1');
      const page = loaded;
      const rowsBefore = await page.textContent('#info-rows');
      await page.focus('#k-input');
      await page.keyboard.press('ArrowLeft');
      check((await page.textContent('#k-output')) === '3', 'the k output shows 3');
      await waitForSegments(page, 3);
      await checkCustomerCounts(page);
      check((await page.textContent('#summary-line'))?.includes('3 segments') ?? false, 'summary says 3 segments');
      check((await page.isHidden('#progress-card')), 'no file progress for a change of k');
      check((await page.textContent('#info-rows')) === rowsBefore, 'rows unchanged');
    },
  });

  cases.push({
    name: 'Download segments = native CLI output byte for byte (k 3, seed 1)',
    async run() {
      if (!loaded) throw new Error('needs case 1');
      const page = loaded;
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-button')]);
      check(download.suggestedFilename() === 'segments.csv', `file name ${download.suggestedFilename()}`);
      const downloaded = readFileSync(await download.path());
      const out = join(tmpdir(), `loyaltylens-e2e-${process.pid}.csv`);
      const cli = spawnSync(CLI, ['segment', SAMPLE, '--k', '3', '--seed', '1', '--out', out], { encoding: 'utf8' });
      if (cli.error || cli.status !== 0) {
        throw new Error(`native CLI failed (${cli.error?.message ?? cli.stderr}); build it with npm run build:native`);
      }
      const expected = readFileSync(out);
      check(downloaded.length > 0, 'download is not empty');
      if (!downloaded.equals(expected)) {
        const a = downloaded.toString('utf8').split('\n');
        const b = expected.toString('utf8').split('\n');
        const line = a.findIndex((l, i) => l !== b[i]);
        throw new Error(
          `segments.csv (${downloaded.length} B) differs from the CLI (${expected.length} B) at line ${line + 1}: ` +
            `${JSON.stringify(a[line])} vs ${JSON.stringify(b[line])}`,
        );
      }
    },
  });

  cases.push({
    name: '"Try the sample data" loads the sample (relative URL under the sub-path)',
    async run() {
      const page = await freshPage();
      await page.click('#sample-button');
      await waitForSegments(page, 4);
      await checkCustomerCounts(page);
      check((await page.textContent('#info-file')) === 'online-retail-sample.csv', 'file name in the top bar');
      await page.close();
    },
  });

  cases.push({
    name: 'a PNG and a CSV without the needed columns show the error panel; the page recovers',
    async run() {
      const page = await freshPage();
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      await page.setInputFiles('#file-input', { name: 'logo.png', mimeType: 'image/png', buffer: png });
      let notice = await waitForNotice(page);
      check(notice.kind === 'error', 'error notice for the PNG');
      check(notice.text.includes('PNG') && notice.text.includes('logo.png'), `PNG message: ${notice.text}`);
      check(await page.isVisible('#drop-zone'), 'drop zone still there');

      await page.setInputFiles('#file-input', MISSING_COLUMNS);
      await page.waitForFunction(() => document.querySelector('#notice')?.textContent?.includes('missing_columns.csv'));
      notice = await waitForNotice(page);
      check(notice.kind === 'error', 'error notice for missing columns');
      for (const column of ['"name"', '"email"', '"signup"']) {
        check(notice.text.includes(column), `message names the found column ${column}: ${notice.text}`);
      }
      check(notice.text.includes('customer id'), 'message says what is missing');
      await page.screenshot({ path: join(SHOTS, 'error-1440-light.png') });

      await page.setInputFiles('#file-input', SAMPLE);
      await waitForSegments(page, 4);
      check(await page.isHidden('#notice'), 'the error is gone after a good file');
      await page.close();
    },
  });

  cases.push({
    name: 'Cancel while reading stops the worker and returns to the drop zone; it works again after',
    async run() {
      const page = await freshPage();
      const dataTransfer = await page.evaluateHandle(async () => {
        const sample = await (await fetch('samples/online-retail-sample.csv')).text();
        const body = sample.slice(sample.indexOf('\n') + 1);
        const header = sample.slice(0, sample.indexOf('\n') + 1);
        const file = new File([header, ...Array(60).fill(body)], 'big.csv', { type: 'text/csv' });
        const dt = new DataTransfer();
        dt.items.add(file);
        return dt;
      });
      await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
      await page.waitForSelector('#progress-card:not([hidden])');
      await page.waitForFunction(() => /rows\/s/.test(document.querySelector('#progress-detail')?.textContent ?? ''), null, {
        timeout: TIMEOUT,
      });
      await page.screenshot({ path: join(SHOTS, 'progress-1440-light.png') });
      await page.click('#cancel-button');
      const notice = await waitForNotice(page);
      check(notice.kind === 'info' && notice.text.includes('cancelled'), `cancel notice: ${notice.text}`);
      check(await page.isVisible('#drop-zone'), 'drop zone is back');
      await page.click('#sample-button');
      await waitForSegments(page, 4);
      await page.close();
    },
  });

  cases.push({
    name: 'a crashed worker is reported and replaced; changing k still works',
    async run() {
      const page = await freshPage();
      await page.click('#sample-button');
      await waitForSegments(page, 4);
      const [worker] = page.workers();
      check(!!worker, 'the analysis worker is running');
      // An uncaught exception in the worker fires its `error` event on the page.
      await worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('simulated crash');
        });
      });
      const notice = await waitForNotice(page);
      check(notice.kind === 'error' && notice.text.includes('stopped unexpectedly'), `crash notice: ${notice.text}`);
      check(await page.isVisible('#segment-table'), 'results stay on screen');
      await page.focus('#k-input');
      await page.keyboard.press('ArrowRight');
      await waitForSegments(page, 5);
      await checkCustomerCounts(page);
      await page.close();
    },
  });

  cases.push({
    name: 'screenshots at 1440×900 light and dark and 390×844',
    async run() {
      if (!loaded) throw new Error('needs case 1');
      const page = loaded;
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, 'segments-1440-light.png') });
      await page.screenshot({ path: join(SHOTS, 'segments-1440-light-full.png'), fullPage: true });
      await page.click('#theme-toggle');
      check((await page.getAttribute('html', 'data-theme')) === 'dark', 'theme toggle switches to dark');
      await page.mouse.move(0, 0);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, 'segments-1440-dark.png') });
      await page.screenshot({ path: join(SHOTS, 'segments-1440-dark-full.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, 'segments-390-dark-full.png'), fullPage: true });
      await page.click('#theme-toggle');
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, 'segments-390-light.png') });
      await page.screenshot({ path: join(SHOTS, 'segments-390-light-full.png'), fullPage: true });

      const empty = await freshPage();
      await empty.screenshot({ path: join(SHOTS, 'start-1440-light.png') });
      await empty.setViewportSize({ width: 390, height: 844 });
      await empty.screenshot({ path: join(SHOTS, 'start-390-light.png') });
      await empty.close();
    },
  });

  cases.push({
    name: 'no console errors, CSP violations, uploads or requests off the page origin',
    async run() {
      check(problems.length === 0, problems.join('\n  '));
    },
  });

  let passed = 0;
  let failed = 0;
  try {
    for (const c of cases) {
      try {
        await c.run();
        passed++;
        console.log(`PASS ${c.name}`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${c.name}\n  ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
