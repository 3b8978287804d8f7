#!/usr/bin/env node
// @ts-check
/**
 * End-to-end test of the built page (dist/) in Debian's Chromium, served under a sub-path with
 * the page's CSP also sent as a header (so the worker runs under it too).
 *
 *   node tests/e2e/run.mjs        builds dist/ first when it is missing or older than the sources
 *   E2E_ONLY=Export node tests/e2e/run.mjs   only the cases whose name holds "Export"
 *
 * Prints PASS/FAIL per case and a closing "N passed, M failed"; exits non-zero on any failure.
 * Screenshots go to tests/e2e/screenshots/ (git-ignored).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../js/support/schema.js';
import { parseCsv } from '../../web/export/csv-export.js';
import { cliArgs, defaultRules } from '../../web/model/cleaning-rules.js';
import { criterionLabel } from '../../web/model/k-sweep.js';
import { loadWasm } from '../js/support/wasm-node.js';
import { ROOT, ensureBuild, launch, serve } from './support.mjs';

const SAMPLE = join(ROOT, 'public/samples/online-retail-sample.csv');
const MISSING_COLUMNS = join(ROOT, 'tests/fixtures/missing_columns.csv');
const CLI = join(ROOT, 'build/native/loyaltylens');
const SHOTS = join(ROOT, 'tests/e2e/screenshots');
const TIMEOUT = 30_000;

// ---------- page helpers ----------

/** @param {string} text */
const digits = (text) => Number(text.replace(/[^\d]/g, ''));

/**
 * Waits until the page computes nothing (no read, cleaning, scoring, segmenting or cohorts).
 * @param {import('playwright-core').Page} page
 */
async function waitIdle(page) {
  await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.body.dataset.phase === 'ready', null, {
    timeout: TIMEOUT,
  });
}

/**
 * Opens a step from the rail (once the page is ready).
 * @param {import('playwright-core').Page} page
 * @param {'data' | 'customers' | 'segments' | 'profiles' | 'cohorts' | 'whatif' | 'export'} step
 */
async function openStep(page, step) {
  await page.waitForSelector(`#step-${step}:not([disabled])`, { timeout: TIMEOUT });
  await page.click(`#step-${step}`);
  await page.waitForSelector(`#${step}-section:not([hidden])`, { timeout: TIMEOUT });
}

/**
 * Waits for the segment table to show `k` segments (and no segmentation in flight), on the
 * Segments step.
 * @param {import('playwright-core').Page} page
 * @param {number} k
 */
async function waitForSegments(page, k) {
  await page.waitForFunction(() => document.body.dataset.phase === 'ready', null, { timeout: TIMEOUT });
  if (await page.isHidden('#segments-section')) await openStep(page, 'segments');
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
 * The rows a ledger table row shows (digits of its "Rows removed" cell).
 * @param {import('playwright-core').Page} page
 * @param {string} rule
 */
async function ledgerRows(page, rule) {
  return digits((await page.textContent(`#ledger-table tr[data-rule="${rule}"] td:nth-child(3)`)) ?? '');
}

/**
 * Saves what a click downloads; returns its name and text.
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click(selector)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

/**
 * Runs the native CLI; returns stdout.
 * @param {string[]} args
 */
function cli(args) {
  const run = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error || run.status !== 0) {
    throw new Error(`native CLI failed (${run.error?.message ?? run.stderr}); build it with npm run build:native`);
  }
  return run.stdout;
}

/**
 * Checks the table's customer counts add up to the customers stat; returns that total.
 * @param {import('playwright-core').Page} page
 */
async function checkCustomerCounts(page) {
  const counts = await page.$$eval('#segment-table tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent ?? ''));
  const sum = counts.map(digits).reduce((a, b) => a + b, 0);
  const stat = digits((await page.textContent('#stat-customers .stat-value')) ?? '');
  if (!(stat > 0) || sum !== stat) throw new Error(`segment customers sum to ${sum}, customers stat is ${stat}`);
  return stat;
}

/**
 * The notice shown; with `expected`, waits (up to the timeout) for one whose text holds it, so a
 * notice left from the step before is not taken for the next one, then returns what is shown.
 * @param {import('playwright-core').Page} page
 * @param {string} [expected]
 */
async function waitForNotice(page, expected) {
  await page.waitForSelector('#notice:not([hidden])', { timeout: TIMEOUT });
  if (expected !== undefined) {
    await page
      .waitForFunction((text) => (document.querySelector('#notice:not([hidden])')?.textContent ?? '').includes(text), expected, { timeout: TIMEOUT })
      .catch(() => {});
  }
  return {
    kind: await page.getAttribute('#notice', 'data-kind'),
    text: (await page.textContent('#notice')) ?? '',
  };
}

/**
 * Waits until this browser keeps `fileName` as the last project (web/app/project-keeper.js writes
 * IndexedDB after the save or open returns; a page closed before that would race the next visit).
 * @param {import('playwright-core').Page} page
 * @param {string} fileName
 */
async function waitForKept(page, fileName) {
  await page.waitForFunction(
    (name) =>
      new Promise((resolve) => {
        const request = indexedDB.open('loyaltylens', 1);
        request.onerror = () => resolve(false);
        request.onsuccess = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains('projects')) {
            db.close();
            resolve(false);
            return;
          }
          const get = db.transaction('projects', 'readonly').objectStore('projects').get('last');
          get.onsuccess = () => {
            db.close();
            resolve(get.result?.fileName === name);
          };
          get.onerror = () => {
            db.close();
            resolve(false);
          };
        };
      }),
    fileName,
    { timeout: TIMEOUT, polling: 200 },
  );
}

// ---------- the k sweep, recorded ----------

/**
 * Records, in a page, what "Compare k" computes: every sweep result a worker posts (a whole sweep
 * from the analysis worker, one k from each pooled request) as the bits of each number, by k and
 * by the worker's script; and the sweep parameters the page sends. Installed before the page's
 * scripts run; the page itself is unchanged.
 * @param {import('playwright-core').Page} page
 */
async function recordSweeps(page) {
  await page.addInitScript(() => {
    const Native = window.Worker;
    /** @type {{parts: {script: string, k: number, bits: string[], sampled: boolean}[], params: {type: string, payload: any}[]}} */
    const log = { parts: [], params: [] };
    /** @type {any} */ (window).__sweeps = log;
    const CURVES = ['objective', 'inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz', 'bic'];
    const view = new DataView(new ArrayBuffer(8));
    /** @param {number} x */
    const bits = (x) => {
      view.setFloat64(0, x);
      return view.getBigUint64(0).toString(16);
    };
    window.Worker = class extends Native {
      /** @param {string | URL} url @param {WorkerOptions} [options] */
      constructor(url, options) {
        super(url, options);
        const script = String(url).split('/').pop() ?? '';
        this.addEventListener('message', (event) => {
          const { type, payload } = event.data ?? {};
          if (type !== 'result' || !payload || !('silhouetteSampled' in payload)) return;
          Array.from(payload.k).forEach((k, i) =>
            log.parts.push({ script, k: Number(k), bits: CURVES.map((c) => bits(payload[c][i])), sampled: payload.silhouetteSampled }),
          );
        });
      }
      /** @param {any} message @param {any} [transfer] */
      postMessage(message, transfer) {
        if (message?.type === 'kSweep' || message?.type === 'preparedPoints') log.params.push({ type: message.type, payload: message.payload });
        return super.postMessage(message, transfer);
      }
    };
  });
}

/**
 * The recorded sweep: k → the bits of its numbers, which worker scripts computed ks, the params.
 * @param {import('playwright-core').Page} page
 */
async function recordedSweep(page) {
  const log = await page.evaluate(() => /** @type {any} */ (window).__sweeps);
  /** @type {Map<number, string>} */
  const byK = new Map();
  for (const p of log.parts) byK.set(p.k, [...p.bits, p.sampled].join(' '));
  return {
    byK,
    scripts: new Set(log.parts.map((/** @type {{script: string}} */ p) => p.script.replace(/-[\w-]{8}\.js$/, ''))),
    params: log.params,
  };
}

/**
 * The sweep the wasm computes in Node (`kSweep` on the whole range) on the same file, in the
 * recorder's form.
 * @param {Buffer} bytes @param {string} fileName @param {object} params
 */
async function nodeSweep(bytes, fileName, params) {
  const wasm = await loadWasm();
  wasm.ingestBegin({ fileName, size: bytes.length });
  wasm.ingestChunk(bytes);
  wasm.ingestFinish();
  const r = wasm.kSweep(params);
  if (!r.ok) throw new Error(r.error.message);
  const view = new DataView(new ArrayBuffer(8));
  /** @param {number} x */
  const bits = (x) => {
    view.setFloat64(0, x);
    return view.getBigUint64(0).toString(16);
  };
  /** @type {Map<number, string>} */
  const byK = new Map();
  Array.from(/** @type {Int32Array} */ (r.k)).forEach((k, i) =>
    byK.set(
      k,
      [...['objective', 'inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz', 'bic'].map((c) => bits(r[c][i])), r.silhouetteSampled].join(' '),
    ),
  );
  return byK;
}

/**
 * Checks two recorded sweeps hold the same ks with the same bits.
 * @param {Map<number, string>} actual @param {Map<number, string>} expected @param {string} what
 */
function checkSameSweep(actual, expected, what) {
  check(actual.size === expected.size && actual.size > 0, `${what}: ${actual.size} ks, expected ${expected.size}`);
  for (const [k, bits] of expected) check(actual.get(k) === bits, `${what}: k = ${k} differs: ${actual.get(k)} ≠ ${bits}`);
}

/** A customer-level file of `n` customers that takes seconds to sweep. @param {number} n */
function manyCustomers(n) {
  const rows = ['customer_id,recency,frequency,monetary'];
  for (let i = 0; i < n; i++) rows.push(`C${i},${(i * 37) % 365},${1 + (i % 17)},${((i * 7919) % 5000) + 1}.5`);
  return Buffer.from(rows.join('\n'));
}

/**
 * A transactions file (the sample's M/D/YYYY dates) split at a day: the lines before it and from
 * it, each with the header; bytes kept as they are.
 * @param {Buffer} bytes
 * @param {string} day  YYYY-MM-DD
 */
function splitByDate(bytes, day) {
  const [header, ...lines] = bytes
    .toString('latin1')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  /** @type {string[]} */ const first = [];
  /** @type {string[]} */ const second = [];
  for (const line of lines) {
    const m = /,(\d{1,2})\/(\d{1,2})\/(\d{4}) \d/.exec(line);
    if (!m) throw new Error(`no date in ${line}`);
    const iso = `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
    (iso < day ? first : second).push(line);
  }
  const join = (/** @type {string[]} */ part) => Buffer.from([header, ...part].join('\n') + '\n', 'latin1');
  return { first: join(first), second: join(second) };
}

/** @param {boolean} condition @param {string} message */
function check(condition, message) {
  if (!condition) throw new Error(message);
}

// ---------- cases ----------

async function main() {
  ensureBuild();
  mkdirSync(SHOTS, { recursive: true });
  const { server, origin, base } = await serve();
  const browser = await launch();
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
  context.on('weberror', (error) => problems.push(`page error: ${error.error().message}${process.env.E2E_STACKS ? `\n${error.error().stack}` : ''}`));
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

  /**
   * @param {{search?: string, record?: boolean}} [options]  search: the URL's query (?workers=N);
   *        record: record the k sweeps (recordSweeps)
   * @returns {Promise<import('playwright-core').Page>}
   */
  async function freshPage({ search = '', record = false } = {}) {
    const page = await context.newPage();
    page.on('worker', (worker) =>
      worker.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`worker console error: ${msg.text()}`);
      }),
    );
    if (record) await recordSweeps(page);
    await page.goto(base + search);
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
      check((await page.textContent('#segments-summary'))?.includes('4 segments') ?? false, 'summary line names 4 segments');
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
      check((await dropPage.textContent('#info-file')) === 'online-retail-sample.csv', 'top bar shows the dropped file name');
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
      check((await page.textContent('#segments-summary'))?.includes('3 segments') ?? false, 'summary says 3 segments');
      check(await page.isHidden('#progress-card'), 'no file progress for a change of k');
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
      cli(['segment', SAMPLE, '--k', '3', '--seed', '1', '--out', out]);
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
    name: 'other containers: the sample as .csv.gz, and the real UCI Parquet file, give the same customers',
    async run() {
      const page = await freshPage();
      const gz = gzipSync(readFileSync(SAMPLE));
      await page.setInputFiles('#file-input', { name: 'online-retail-sample.csv.gz', mimeType: 'application/gzip', buffer: gz });
      await waitForSegments(page, 4);
      check(digits((await page.textContent('#info-customers')) ?? '') === 872, 'gzip: 872 customers as from the CSV');
      const parquet = join(ROOT, '..', 'shared', 'data', 'real', 'online_retail', 'online_retail.parquet');
      if (existsSync(parquet)) {
        await page.setInputFiles('#file-input', parquet);
        await page.waitForFunction(() => document.querySelector('#info-file')?.textContent === 'online_retail.parquet', null, { timeout: 60000 });
        await waitForSegments(page, 4);
        check(digits((await page.textContent('#info-customers')) ?? '') === 4339, 'Parquet: 4,339 customers as from the CSV');
      }
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
    name: 'exports never seen: CA-/US- order ids keep every row ("not applicable" said in the panel and ledger); forcing the prefix warns; ", "-delimited dialect shown and overridable; a PDF named .csv is refused by name',
    async run() {
      const page = await freshPage();
      const lines = ['Order ID,Order Date,Customer ID,Product ID,Sales,Quantity'];
      for (let i = 0; i < 40; i++) {
        const id = `${i % 5 === 0 ? 'US' : 'CA'}-2016-${150000 + i}`;
        lines.push(`${id},11/${1 + (i % 28)}/2016,CG-${12520 + (i % 7)},FUR-${i},${(10 + i).toFixed(2)},${1 + (i % 3)}`);
      }
      await page.setInputFiles('#file-input', { name: 'superstore.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
      await waitIdle(page);
      await openStep(page, 'data');
      check((await ledgerRows(page, 'cancellations')) === 0, 'no row lost to the C prefix');
      const note = (await page.textContent('[data-check="cancellations"]')) ?? '';
      check(note.includes('not applicable to this file'), `the panel says the prefix does not apply: ${note}`);
      const ledgerCell = (await page.textContent('#ledger-table tr[data-rule="cancellations"] .rule-check')) ?? '';
      check(ledgerCell.includes('most invoices'), `the ledger gives the reason: ${ledgerCell}`);
      check((await page.textContent('#decision-list')).includes('Day and month in slash dates'), "the reader's decisions are listed");
      check(((await page.textContent('#role-customer-reason')) ?? '').includes('"Customer ID"'), 'the customer role says why');

      await page.selectOption('#rule-cancel-prefix', 'on');
      await waitIdle(page);
      check((await ledgerRows(page, 'cancellations')) === 32, 'forced on: the CA- rows go');
      const warning = (await page.textContent('#ledger-table tr[data-rule="cancellations"] .rule-warning')) ?? '';
      check(warning.includes('removed 80% of the rows'), `the ledger warns: ${warning}`);
      check(((await page.textContent('#warnings')) ?? '').includes('removed 80% of the rows'), "the page's warnings say it too");
      await page.screenshot({ path: join(SHOTS, 'evidence-1440-light.png'), fullPage: true });

      const spaced =
        '# till export\nInvoiceNo, InvoiceDate, Description, Quantity, UnitPrice, CustomerID\n1, 2011-01-01, "MUG, RED", 2, 1.5, A\n2, 2011-01-02, PLATE, 1, 4, B\n';
      await page.setInputFiles('#file-input', { name: 'till.csv', mimeType: 'text/csv', buffer: Buffer.from(spaced) });
      await waitIdle(page);
      await openStep(page, 'data');
      const formats = (await page.textContent('#format-list')) ?? '';
      check(formats.includes('Spaces after delimiter') && formats.includes('skipped'), `spaces after the delimiter: ${formats}`);
      check(formats.includes('1 skipped'), 'one comment line skipped');
      check(digits((await page.textContent('#info-customers')) ?? '') === 2, 'two customers');
      await page.selectOption('#skip-space', 'off');
      await waitIdle(page);
      const kept = (await page.textContent('#format-list')) ?? '';
      // Read with the spaces kept, "MUG, RED" no longer opens a quoted field: line 3 has 7 fields.
      check(kept.includes('Rows with another field count1 (kept)'), `keeping the spaces reads the file again: ${kept}`);
      check(
        ((await page.textContent('#warnings')) ?? '').includes("1 row has more fields than the header's 6 (line 3)"),
        'the ragged row is listed with its line',
      );
      await page.selectOption('#skip-space', 'auto');
      await waitIdle(page);

      await page.setInputFiles('#file-input', { name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1') });
      const notice = await waitForNotice(page);
      check(notice.kind === 'error' && notice.text.includes('"report.csv" is a PDF document'), `PDF refused by name: ${notice.text}`);
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

  /** The page the workflow cases share (sample data, rules changed along the way). @type {import('playwright-core').Page | null} */
  let workflow = null;
  /** The cleaning rules the workflow page has, as the page's form holds them. */
  const workflowRules = { ...defaultRules(), dropDuplicates: true, cancellations: /** @type {const} */ ('net'), rareProducts: true, minProductCustomers: 2 };

  cases.push({
    name: 'Data step: keyboard rail, detected format and roles; a role change re-reads; a bad role or date order is explained and undone',
    async run() {
      const page = await freshPage();
      await page.click('#sample-button');
      await waitIdle(page);
      check(await page.isVisible('#data-section'), 'the page opens on the Data step');
      check(/99,096 rows read · 72,987 kept · 872 customers/.test((await page.textContent('#data-summary')) ?? ''), 'data summary line');
      const formats = (await page.textContent('#format-list')) ?? '';
      for (const text of ['Windows-1252', 'comma', 'UCI Online Retail', 'M/D/YYYY', '1234.56']) check(formats.includes(text), `format list shows ${text}`);
      check((await page.inputValue('#role-customer')) === 'CustomerID', 'detected customer column');

      // The rail works from the keyboard.
      await page.focus('#step-data');
      await page.keyboard.press('ArrowDown');
      check((await page.evaluate(() => document.activeElement?.id)) === 'step-customers', 'ArrowDown moves along the rail');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#customers-section:not([hidden])');
      check((await page.getAttribute('#step-customers', 'aria-current')) === 'step', 'current step marked');
      await openStep(page, 'data');

      const rows = await page.textContent('#info-rows');
      await page.selectOption('#role-product', 'Description');
      await waitIdle(page);
      check((await page.inputValue('#role-product')) === 'Description', 'product role now Description');
      check(await page.isHidden('#analysis-error'), 'no error for a valid role');
      check((await page.textContent('#info-rows')) === rows, 'same rows read');
      check(await page.isVisible('#reset-read-button'), '"Use detected settings" offered');

      await page.selectOption('#role-customer', '');
      await waitIdle(page);
      check(await page.isVisible('#analysis-error'), 'error shown without a customer column');
      check(((await page.textContent('#analysis-error')) ?? '').includes('customer id'), 'the error names what is missing');
      check(await page.isDisabled('#step-customers'), 'later steps need customers');
      check(await page.isDisabled('#rule-duplicates'), 'no cleaning without a read table');
      await page.click('#reset-read-button');
      await waitIdle(page);
      check(await page.isHidden('#analysis-error'), 'detected settings read again');
      check((await page.inputValue('#role-product')) === 'StockCode', 'roles back to detected');
      check(await page.isEnabled('#step-customers'), 'later steps open again');

      await page.selectOption('#date-order', 'dmy');
      await waitIdle(page);
      check(((await page.textContent('#analysis-error')) ?? '').includes('month/day/year'), 'day-first dates are refused, with the way out');
      await page.selectOption('#date-order', 'mdy');
      await waitIdle(page);
      check(await page.isHidden('#analysis-error'), 'month-first dates read');
      check(digits((await page.textContent('#info-customers')) ?? '') === 872, 'same customers as detected');
      workflow = page;
    },
  });

  cases.push({
    name: 'Cleaning rules change the ledger (turning duplicates on re-reads the kept file with line hashes, without the file progress); the exported ledger equals `loyaltylens clean` with the same rules',
    async run() {
      if (!workflow) throw new Error('needs the Data step case');
      const page = workflow;
      await openStep(page, 'data');
      const kept = async () => digits((await page.textContent('#stat-rows-kept .stat-value')) ?? '');
      const keptBefore = await kept();
      check((await ledgerRows(page, 'duplicates')) === 0, 'duplicates rule off at first');

      await page.click('label[for="rule-duplicates"]');
      await waitIdle(page);
      const duplicates = await ledgerRows(page, 'duplicates');
      check(duplicates > 0, 'the ledger counts the duplicates');
      const removed = await page.$$eval('#ledger-table tbody tr[data-rule] td:nth-child(3)', (cells) =>
        cells.reduce((t, c) => t + Number((c.textContent ?? '').replace(/[^\d]/g, '')), 0),
      );
      const before = digits((await page.textContent('#stat-rows-read .stat-value')) ?? '');
      check((await kept()) === before - removed, `rows kept = rows read − the ledger's removals (${await kept()} = ${before} − ${removed})`);
      check((await kept()) < keptBefore, 'fewer rows kept with duplicates dropped');
      check(await page.isHidden('#progress-card'), 'no file progress for a rule change');

      await page.selectOption('#rule-cancellations', 'net');
      await waitIdle(page);
      check((await ledgerRows(page, 'cancellations')) === 0, 'netted cancellations are kept');
      await page.click('label[for="rule-rare-products"]');
      await waitIdle(page);
      check((await ledgerRows(page, 'rare_products')) > 0, 'rare products removed');

      // Country filter: keeping nothing is refused in place; keeping France filters.
      const customersBefore = digits((await page.textContent('#info-customers')) ?? '');
      await page.selectOption('#rule-country-mode', 'keep');
      await page.waitForSelector('#error-countries:not([hidden])');
      await page.click('#rule-countries label:has-text("France")');
      await waitIdle(page);
      check((await ledgerRows(page, 'country')) > 0, 'the country rule removed rows');
      check(digits((await page.textContent('#info-customers')) ?? '') < customersBefore, 'fewer customers in France only');
      await page.selectOption('#rule-country-mode', 'all');
      await waitIdle(page);
      check(digits((await page.textContent('#info-customers')) ?? '') === customersBefore, 'every country again');

      // A percentile out of range is explained and not applied.
      await page.selectOption('#rule-outliers', 'percentile');
      await waitIdle(page);
      check((await ledgerRows(page, 'outliers')) > 0, '99.9th percentile outliers removed');
      await page.fill('#rule-outlier-percentile', '150');
      await page.press('#rule-outlier-percentile', 'Tab');
      await page.waitForSelector('#error-outlierPercentile:not([hidden])');
      await page.selectOption('#rule-outliers', 'off');
      await waitIdle(page);

      const { name, text } = await download(page, '#ledger-export-button');
      check(name === 'cleaning-ledger.csv', `file name ${name}`);
      const args = cliArgs(workflowRules);
      const out = join(tmpdir(), `loyaltylens-e2e-ledger-${process.pid}.csv`);
      cli(['clean', SAMPLE, ...args, '--ledger-csv', out]);
      const expected = readFileSync(out, 'utf8');
      if (text !== expected) {
        const a = text.split('\n');
        const b = expected.split('\n');
        const line = a.findIndex((l, i) => l !== b[i]);
        throw new Error(`ledger differs from the CLI (${args.join(' ')}) at line ${line + 1}: ${JSON.stringify(a[line])} vs ${JSON.stringify(b[line])}`);
      }
      const json = JSON.parse(cli(['clean', SAMPLE, ...args, '--json']));
      for (const rule of json.ledger.rules) {
        if (rule.enabled) check((await ledgerRows(page, rule.rule)) === rule.rows, `${rule.rule}: page and CLI remove the same rows`);
      }
      check((await kept()) === json.ledger.after.rows, 'rows kept = CLI');
      const parsed = parseCsv(text);
      check(parsed[0][0] === 'step' && parsed.length === 12, 'ledger CSV: header, before, 9 rules, after');
    },
  });

  cases.push({
    name: 'Customers step: distributions, R×F grid, treemap; presets and rule edits show the coverage check',
    async run() {
      if (!workflow) throw new Error('needs the Data step case');
      const page = workflow;
      await openStep(page, 'customers');
      await waitIdle(page);
      for (const id of ['histogram-r', 'histogram-f', 'histogram-m', 'rfm-grid-chart', 'treemap-chart']) {
        await page.waitForSelector(`#${id} canvas`, { timeout: TIMEOUT });
      }
      check(/customers · \d+ RFM segments/.test((await page.textContent('#customers-summary')) ?? ''), 'customers summary line');
      check(((await page.textContent('#histogram-note-m')) ?? '').includes('Log scale'), 'spend on a log axis, said so');
      check((await page.$$('#bins-m tbody tr')).length === 5, 'five M bins with edges and sizes');
      check(await page.isVisible('#coverage .coverage-ok'), 'the R×F grid covers every cell');
      check(
        (await page.getAttribute('#metric-title-r .term', 'data-tip'))?.includes('as-of date − day of the last purchase') ?? false,
        'recency definition in the tooltip',
      );

      await page.selectOption('#preset-select', 'rfm-package');
      await waitIdle(page);
      for (const kind of ['uncovered', 'overlapping', 'unreachable']) {
        check(await page.isVisible(`#coverage [data-kind="${kind}"]`), `rfm package: ${kind} warning`);
      }
      const uncovered = (await page.textContent('#coverage [data-kind="uncovered"]')) ?? '';
      check(/\d+ customers? falls? in these cells and (is|are) shown as “Others”/.test(uncovered), `uncovered warning counts customers: ${uncovered}`);
      check(await page.isVisible('#rules-table .others-row'), 'Others row in the rules table');

      await page.selectOption('#preset-select', 'rf-grid');
      await waitIdle(page);
      check(await page.isVisible('#coverage .coverage-ok'), 'back to full coverage');
      await page.click('#rule-9-remove');
      await waitIdle(page);
      check(await page.isVisible('#coverage [data-kind="uncovered"]'), 'removing Hibernating uncovers its cells');
      check((await page.inputValue('#preset-select')) === 'custom', 'the preset select says custom');
      await page.click('#add-rule-button');
      await waitIdle(page);
      check(await page.isHidden('#coverage [data-kind="uncovered"]'), 'a new rule takes the cells left');
      check(await page.isVisible('#coverage [data-kind="overlapping"]'), 'and overlaps the earlier rules (they win)');
      await page.selectOption('#rule-0-rMin', '5');
      await page.selectOption('#rule-0-rMax', '4');
      await waitIdle(page);
      check(await page.isVisible('#coverage [data-kind="invalid"]'), 'min above max is an invalid range');
      await page.click('#reset-rules-button');
      await waitIdle(page);
      check((await page.inputValue('#preset-select')) === 'rf-grid' && (await page.$$('#rules-table tbody tr')).length === 10, 'reset to the R×F grid');

      await page.selectOption('#feature-f', 'visits_4w');
      await waitIdle(page);
      check(((await page.textContent('#histogram-note-f')) ?? '').includes('split by file order'), 'tied visits explained');
      await page.selectOption('#feature-f', 'frequency');
      await waitIdle(page);
    },
  });

  cases.push({
    name: 'Download customer table: one row per customer, every feature, scores and segments; same customers as `loyaltylens features`',
    async run() {
      if (!workflow) throw new Error('needs the Data step case');
      const page = workflow;
      await openStep(page, 'customers');
      await waitIdle(page);
      const { name, text } = await download(page, '#customer-download-button');
      check(name === 'customers.csv', `file name ${name}`);
      check(text.startsWith('\uFEFFcustomer_id,country,recency,frequency,monetary,'), 'UTF-8 BOM and the header');
      const [header, ...rows] = parseCsv(text);
      const customers = digits((await page.textContent('#info-customers')) ?? '');
      check(rows.length === customers, `${rows.length} rows for ${customers} customers`);
      for (const column of [
        'avg_order_value',
        'spend_4w',
        'first_purchase',
        'last_purchase',
        'r_score',
        'f_score',
        'm_score',
        'rfm_cell',
        'rfm_segment',
        'kmeans_segment',
      ]) {
        check(header.includes(column), `column ${column}`);
      }
      const col = (/** @type {string} */ n) => header.indexOf(n);
      check(
        rows.every((r) => r[col('rfm_segment')] !== 'Others' && r[col('rfm_segment')] !== ''),
        'every customer in a named R×F segment',
      );
      check(
        rows.every((r) => /^[1-5]{3}$/.test(r[col('rfm_cell')])),
        'RFM cells',
      );
      const k = digits((await page.textContent('#download-k')) ?? '');
      check(
        rows.every((r) => Number(r[col('kmeans_segment')]) >= 1 && Number(r[col('kmeans_segment')]) <= k),
        `K-Means segments 1..${k}`,
      );

      const out = join(tmpdir(), `loyaltylens-e2e-features-${process.pid}.csv`);
      cli(['features', SAMPLE, ...cliArgs(workflowRules), '--out', out]);
      const [cliHeader, ...cliRows] = parseCsv(readFileSync(out, 'utf8'));
      check(cliRows.length === rows.length, 'as many customers as the CLI');
      for (const column of ['customer_id', 'recency', 'frequency', 'first_purchase', 'last_purchase']) {
        const a = cliHeader.indexOf(column);
        const i = rows.findIndex((r, j) => r[col(column)] !== cliRows[j][a]);
        check(i < 0, `${column} equals the CLI's (row ${i + 2}: ${rows[i]?.[col(column)]} vs ${cliRows[i]?.[a]} for ${rows[i]?.[0]})`);
      }
      const m = cliHeader.indexOf('monetary');
      check(
        rows.every((r, i) => Math.abs(Number(r[col('monetary')]) - Number(cliRows[i][m])) < 0.006),
        "spend equals the CLI's",
      );
    },
  });

  cases.push({
    name: 'Cohorts step: retention heatmap, measure toggle, matrix export',
    async run() {
      if (!workflow) throw new Error('needs the Data step case');
      const page = workflow;
      await openStep(page, 'cohorts');
      await waitIdle(page);
      await page.waitForSelector('#cohort-chart canvas', { timeout: TIMEOUT });
      check(/^13 monthly cohorts · [\d,]+ customers · [\d.]+% buy again/.test((await page.textContent('#cohorts-summary')) ?? ''), 'cohort summary line');
      check(((await page.textContent('#cohort-note')) ?? '').includes('partial month'), 'the partial last month is pointed out');
      const retention = await download(page, '#cohort-export-button');
      check(retention.name === 'cohorts-retention.csv', retention.name);
      const [header, ...rows] = parseCsv(retention.text);
      check(header.length === 15 && header[2] === 'month_0', 'cohort, customers, month_0 … month_12');
      check(rows.length === 13, '13 cohorts');
      check(
        rows.every((r) => r[2] === '1'),
        'retention in month 0 is 100%',
      );
      const customers = digits((await page.textContent('#info-customers')) ?? '');
      check(rows.reduce((t, r) => t + Number(r[1]), 0) === customers, 'cohort sizes add up to the customers');
      check(
        rows[12].slice(3).every((v) => v === ''),
        'nothing after the data ends',
      );

      await page.click('label.segmented-option:has-text("Customers buying")');
      await page.waitForFunction(() => document.querySelector('#cohort-note')?.textContent?.startsWith('Customers of each cohort'));
      const active = await download(page, '#cohort-export-button');
      check(active.name === 'cohorts-customers.csv', active.name);
      check(
        parseCsv(active.text)
          .slice(1)
          .every((r) => r[2] === r[1]),
        'active in month 0 = cohort size',
      );
    },
  });

  /** The sample, for the Segments → Export cases (default cleaning, so the CLI and the wasm in Node agree). @type {import('playwright-core').Page | null} */
  let studio = null;
  /** The sample's customers as the wasm reads them in Node (ids for the report check, a reference k sweep). */
  const reference = await (async () => {
    const wasm = await loadWasm();
    const bytes = readFileSync(SAMPLE);
    wasm.ingestBegin({ fileName: 'online-retail-sample.csv', size: bytes.length });
    wasm.ingestChunk(bytes);
    const analysis = wasm.ingestFinish();
    const ward = wasm.kSweep({ algorithm: 'ward', kMin: 2, kMax: 10, seed: 1 });
    const gmm = wasm.kSweep({ algorithm: 'gmm', kMin: 2, kMax: 10, seed: 1 });
    return {
      ids: analysis.customerIds.split('\n'),
      wardSuggestion: wasm.suggestK(ward, { algorithm: 'ward' }),
      gmmSweep: gmm,
      gmmSuggestion: wasm.suggestK(gmm, { algorithm: 'gmm' }),
    };
  })();

  cases.push({
    name: 'Segments step: GMM and Ward from the panel, the dendrogram, the k sweep with its suggested k; a change of k updates the segments',
    async run() {
      const page = await freshPage();
      await page.click('#sample-button');
      await waitForSegments(page, 4);
      await page.waitForSelector('#embedding-chart canvas', { timeout: TIMEOUT });
      await page.waitForSelector('#silhouette-chart canvas', { timeout: TIMEOUT });
      check(/silhouette 0\.\d\d/.test((await page.textContent('#segments-summary')) ?? ''), 'the summary line has the mean silhouette');
      check((await page.textContent('#map-title')) === 'Customer map (PCA)', 'PCA map by default');
      check(((await page.textContent('#map-note')) ?? '').includes('PC1:'), 'the map says what its axes are made of');
      const names = await page.$$eval('#segment-table tbody tr td:first-child', (cells) => cells.map((c) => c.textContent ?? ''));
      check(names.includes('Insiders'), `automatic names in the table: ${names.join(', ')}`);

      // A change of k: the table and the status follow (how fast: bench/longtasks.mjs, not a test).
      await page.focus('#k-input');
      await page.keyboard.press('ArrowRight');
      await waitForSegments(page, 5);
      await page.keyboard.press('ArrowLeft');
      await waitForSegments(page, 4);

      await page.selectOption('#algorithm-select', 'gmm');
      await waitIdle(page);
      await waitForSegments(page, 4);
      check(await page.isVisible('#covariance-field'), 'covariance offered for the mixture');
      const gmmStatus = (await page.textContent('#segment-status')) ?? '';
      check(/Gaussian mixture · silhouette [\d.]+ · BIC/.test(gmmStatus), `GMM status: ${gmmStatus}`);
      check(((await page.textContent('#segments-detail')) ?? '').startsWith('Gaussian mixture (full covariance)'), 'settings line');
      check(((await page.textContent('#download-note')) ?? '').includes('follows the K-Means defaults'), 'the download says it is the K-Means of the CLI');
      check(await page.isHidden('#dendrogram-card'), 'no dendrogram for a mixture');
      await checkCustomerCounts(page);

      await page.selectOption('#algorithm-select', 'ward');
      await waitIdle(page);
      await waitForSegments(page, 4);
      await page.waitForSelector('#dendrogram-card:not([hidden]) #dendrogram-chart canvas', { timeout: TIMEOUT });
      check(((await page.textContent('#dendrogram-note')) ?? '').includes('truncate_mode="lastp"'), 'the truncation is said');
      await checkCustomerCounts(page);

      await page.click('#sweep-button');
      await page.waitForSelector('#job:not([hidden])', { timeout: TIMEOUT }).catch(() => {});
      await waitIdle(page);
      await page.waitForSelector('#sweep-chart canvas', { timeout: TIMEOUT });
      const sweepNote = (await page.textContent('#sweep-note')) ?? '';
      const expected = reference.wardSuggestion;
      check(
        expected.k > 0 && sweepNote.includes(`Suggested k = ${expected.k} (by the silhouette). ${expected.reason}`),
        `suggested k ${expected.k}: ${sweepNote}`,
      );
      check(((await page.textContent('#sweep-button')) ?? '').startsWith('Compare again'), 'the sweep is current');
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SHOTS, 'segments-ward-sweep-1440-light-full.png'), fullPage: true });
      await page.selectOption('#algorithm-select', 'kmeans');
      await waitIdle(page);
      check(((await page.textContent('#sweep-note')) ?? '').includes('settings changed'), 'a sweep of other settings is marked as such');

      // A mixture's sweep: the suggestion follows BIC (without the ks where a component
      // collapsed), not the silhouette, and says which criterion chose it.
      await page.selectOption('#algorithm-select', 'gmm');
      await waitIdle(page);
      await page.click('#sweep-button');
      await waitIdle(page);
      await page.waitForFunction(() => (document.querySelector('#sweep-note')?.textContent ?? '').includes('Suggested k'), null, { timeout: TIMEOUT });
      const gmmNote = (await page.textContent('#sweep-note')) ?? '';
      const g = reference.gmmSuggestion;
      check(
        g.k > 0 && gmmNote.includes(`Suggested k = ${g.k} (by ${criterionLabel(g.criterion)}). ${g.reason}`),
        `GMM suggestion ${JSON.stringify(g)}: ${gmmNote}`,
      );
      const collapsedKs = Array.from(reference.gmmSweep.collapsed).filter((c) => Number(c) > 0).length;
      const validKs = reference.gmmSweep.k.length - collapsedKs;
      check(
        validKs >= 2 ? g.criterion.startsWith('bic') : g.criterion === 'silhouette' && g.reason.includes('collapsed'),
        `criterion ${g.criterion} with ${validKs} ks without a collapsed component`,
      );
      await page.selectOption('#algorithm-select', 'ward');
      await waitIdle(page);
      studio = page;
    },
  });

  cases.push({
    name: 'average linkage above 10,000 customers shows the core’s refusal; the last segments stay',
    async run() {
      // Two workers in all, whatever the machine: the sweep below runs on the pool.
      const page = await freshPage({ search: '?workers=2' });
      await page.setInputFiles('#file-input', { name: 'customers.csv', mimeType: 'text/csv', buffer: manyCustomers(10_050) });
      await waitForSegments(page, 4);
      await page.selectOption('#algorithm-select', 'average');
      await waitIdle(page);
      await page.waitForSelector('#cluster-error:not([hidden])', { timeout: TIMEOUT });
      const message = (await page.textContent('#cluster-error-message')) ?? '';
      check(
        message.includes('average linkage keeps all n(n-1)/2 pairwise distances: n_samples=10050 is above its limit of 10000 rows'),
        `core message: ${message}`,
      );
      check((await page.$$('#segment-table tbody tr')).length === 4, 'the K-Means segments stay on screen');

      // The k sweep on 10,050 customers takes seconds: its progress shows, and Cancel stops it,
      // the sweep worker too.
      await page.selectOption('#algorithm-select', 'kmeans');
      await waitIdle(page);
      const sweepWorker = page.waitForEvent('worker', { predicate: (w) => w.url().includes('pool-worker'), timeout: TIMEOUT });
      await page.click('#sweep-button');
      await page.waitForFunction(
        () => /Comparing k = 2–10 .* of 9$/.test(document.querySelector('#job-text')?.textContent ?? '') && !document.querySelector('#job')?.hidden,
        null,
        { timeout: TIMEOUT },
      );
      const closed = (await sweepWorker).waitForEvent('close', { timeout: TIMEOUT });
      await page.click('#job-cancel');
      const notice = await waitForNotice(page);
      check(notice.text.includes('Change cancelled'), `cancel notice: ${notice.text}`);
      await closed;
      await waitIdle(page);
      check(await page.isHidden('#sweep-chart'), 'no curves from a cancelled sweep');
      check((await page.$$('#segment-table tbody tr')).length === 4, 'the segments stay');
      await page.focus('#k-input');
      await page.keyboard.press('ArrowRight');
      await waitForSegments(page, 5);
      await page.close();
    },
  });

  /** "Compare k" on 10,050 customers with one worker (the first case below; the others compare with it, or with Node when run alone). @type {Map<number, string> | null} */
  let singleSweep = null;
  const many = manyCustomers(10_050);

  /**
   * Loads the 10,050 customers in a recording page, runs "Compare k" for K-Means and waits for the curves.
   * @param {string} search
   * @param {(page: import('playwright-core').Page) => Promise<void>} [during]  runs while the sweep does
   */
  async function sweepMany(search, during) {
    const page = await freshPage({ search, record: true });
    await page.setInputFiles('#file-input', { name: 'customers.csv', mimeType: 'text/csv', buffer: many });
    await waitForSegments(page, 4);
    await waitIdle(page);
    await page.click('#sweep-button');
    await during?.(page);
    await page.waitForFunction(() => (document.querySelector('#sweep-button')?.textContent ?? '').startsWith('Compare again'), null, { timeout: 120_000 });
    await page.waitForSelector('#sweep-chart canvas', { timeout: TIMEOUT });
    return { page, note: (await page.textContent('#sweep-note')) ?? '', ...(await recordedSweep(page)) };
  }

  cases.push({
    name: 'Compare k with one worker (?workers=1) gives the numbers of kSweep in Node, bit for bit',
    async run() {
      const single = await sweepMany('?workers=1');
      check(single.params.length === 1 && single.params[0].type === 'kSweep', `one kSweep request: ${JSON.stringify(single.params)}`);
      check(
        [...single.scripts].every((s) => s === 'worker'),
        `only the analysis worker: ${[...single.scripts]}`,
      );
      check(/Suggested k = \d+/.test(single.note), `a suggested k: ${single.note}`);
      checkSameSweep(single.byK, await nodeSweep(many, 'customers.csv', single.params[0].payload), 'one worker vs Node');
      singleSweep = single.byK;
      await single.page.close();
    },
  });

  cases.push({
    name: 'Compare k with the pool (?workers=3) gives the single-worker numbers bit for bit, from every worker',
    async run() {
      const pooled = await sweepMany('?workers=3');
      check(pooled.params.length === 1 && pooled.params[0].type === 'preparedPoints', `points prepared once: ${JSON.stringify(pooled.params)}`);
      check(pooled.scripts.has('worker') && pooled.scripts.has('pool-worker'), `ks from the analysis worker and the sweep workers: ${[...pooled.scripts]}`);
      checkSameSweep(pooled.byK, singleSweep ?? (await nodeSweep(many, 'customers.csv', pooled.params[0].payload)), 'pool vs one worker');
      check(/Suggested k = \d+/.test(pooled.note), `a suggested k: ${pooled.note}`);
      await pooled.page.close();
    },
  });

  cases.push({
    name: 'a sweep worker that crashes during Compare k is reported; the sweep completes with the same numbers',
    async run() {
      const crashed = await sweepMany('?workers=2', async (page) => {
        const worker =
          page.workers().find((w) => w.url().includes('pool-worker')) ??
          (await page.waitForEvent('worker', { predicate: (w) => w.url().includes('pool-worker'), timeout: TIMEOUT }));
        // The next request it receives throws out of a message listener: its `error` event on the page.
        await worker.evaluate(() =>
          self.addEventListener('message', () => {
            throw new Error('simulated sweep worker crash');
          }),
        );
      });
      const notice = await waitForNotice(crashed.page);
      check(
        notice.kind === 'info' && notice.text.includes('A helper worker stopped') && notice.text.includes('simulated sweep worker crash'),
        `crash notice: ${notice.text}`,
      );
      checkSameSweep(crashed.byK, singleSweep ?? (await nodeSweep(many, 'customers.csv', crashed.params[0].payload)), 'after a crash vs one worker');
      await crashed.page.close();
    },
  });

  cases.push({
    name: 'Profiles step: snake plot, importance, crosstab; renaming a segment shows everywhere and in the export',
    async run() {
      if (!studio) throw new Error('needs the Segments case');
      const page = studio;
      await openStep(page, 'profiles');
      await waitIdle(page);
      for (const id of ['snake-chart', 'importance-chart']) await page.waitForSelector(`#${id} canvas`, { timeout: TIMEOUT });
      check((await page.$$('#profile-table tbody tr')).length === 4, 'one profile row per segment');
      const crossTotal = digits((await page.textContent('#crosstab-table tfoot td:last-child')) ?? '');
      check(crossTotal === 872, `the crosstab holds every customer (${crossTotal})`);
      const before = await page.inputValue('#segment-name-1');
      check(before.length > 0, 'segment 1 has an automatic name');
      await page.fill('#segment-name-1', 'VIP <b>club</b>');
      await page.press('#segment-name-1', 'Tab');
      await page.waitForFunction(() => document.querySelector('#profile-table tbody tr th')?.textContent === 'VIP <b>club</b>', null, { timeout: TIMEOUT });
      check((await page.$$('#profile-table b')).length === 0, 'the name is text, not HTML');
      await page.fill('#segment-color-1', '#aa3377');
      check(
        (await page.evaluate(() =>
          getComputedStyle(/** @type {Element} */ (document.querySelector('#profile-table tbody tr .chip-swatch')))
            .getPropertyValue('--chip-color')
            .trim(),
        )) === '#aa3377',
        'the colour applies',
      );
      check((await page.evaluate(() => document.body.dataset.busy)) === 'false', 'renaming runs nothing in the worker');
      await openStep(page, 'segments');
      check(((await page.textContent('#segment-table tbody')) ?? '').includes('VIP <b>club</b>'), 'the Segments table shows the new name');
      await openStep(page, 'export');
      await waitIdle(page);
      const { name, text } = await download(page, '#target-download-button');
      check(name === 'target-all-segments.csv', name);
      const [header, ...rows] = parseCsv(text);
      const col = header.indexOf('segment');
      check(col >= 0 && rows.some((r) => r[col] === 'VIP <b>club</b>'), 'the target list uses the new name');
    },
  });

  cases.push({
    name: 'What-if step: a change of uplift gives the total a hand computation of the numbers shown gives',
    async run() {
      if (!studio) throw new Error('needs the Segments case');
      const page = studio;
      await openStep(page, 'whatif');
      await waitIdle(page);
      await page.waitForSelector('#whatif-chart canvas', { timeout: TIMEOUT });
      await page.fill('#whatif-uplift', '25');
      await page.press('#whatif-uplift', 'Tab');
      await page.fill('#whatif-conversion-3', '12.5');
      await page.press('#whatif-conversion-3', 'Tab');
      await page.waitForFunction(() => document.querySelector('#whatif-summary')?.textContent?.includes('→'), null, { timeout: TIMEOUT });
      await page.waitForTimeout(100);
      const num = (/** @type {string} */ t) => Number(t.replace(/[^\d.−-]/g, '').replace('−', '-'));
      const rows = await page.$$eval('#whatif-table tbody tr', (trs) =>
        trs.map((tr) => ({ best: tr.getAttribute('data-best') === 'true', cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })),
      );
      const uplift = Number(await page.inputValue('#whatif-uplift')) / 100;
      check(uplift === 0.25, 'uplift 25 %');
      const conversions = await page.$$eval('#whatif-conversions input', (inputs) => inputs.map((i) => /** @type {HTMLInputElement} */ (i).value));
      // Columns: customers, after, mean spend, revenue, projected, change, change %.
      const best = rows.findIndex((r) => r.best);
      check(best >= 0, 'a best segment is marked');
      const nBest = num(rows[best].cells[0]);
      const rBest = num(rows[best].cells[3]);
      let after = 0;
      let moved = 0;
      rows.forEach((r, s) => {
        if (s === best) return;
        const c = Number(conversions[s]) / 100;
        after += num(r.cells[3]) * (1 - c);
        moved += num(r.cells[0]) * c;
      });
      after += (nBest + moved) * (rBest / nBest) * (1 + uplift);
      const shown = num((await page.textContent('#whatif-total-after')) ?? '');
      check(Math.abs(shown - after) < 0.05, `projected total ${shown} = hand computation ${after.toFixed(2)}`);
      const beforeTotal = num((await page.textContent('#whatif-total-before')) ?? '');
      const change = num((await page.textContent('#whatif-total-change')) ?? '');
      check(Math.abs(shown - beforeTotal - change) < 0.02, 'change = after − before');
      check(((await page.getAttribute('#whatif-formula', 'data-tip')) ?? '').includes('(1 + uplift)'), 'the formula is in the tooltip');
    },
  });

  cases.push({
    name: 'Export step: target list columns and rows, the HTML report holds no customer id, a chart as PNG',
    async run() {
      if (!studio) throw new Error('needs the Segments case');
      const page = studio;
      await openStep(page, 'export');
      await waitIdle(page);
      // Segment 2 out, the email-less file has no contact columns to offer.
      const segmentCounts = await page.$$eval('#export-segments label', (labels) =>
        labels.map((l) => Number((l.textContent ?? '').replace(/.*\(([\d,]+)\)$/, '$1').replace(/,/g, ''))),
      );
      await page.click('#export-segment-2');
      await page.click('#export-column-monetary');
      await page.click('#export-column-tenure');
      const { name, text } = await download(page, '#target-download-button');
      check(name === 'target-3-segments.csv', name);
      check(text.startsWith('\uFEFF'), 'a byte order mark for Excel');
      const [header, ...rows] = parseCsv(text);
      check(
        JSON.stringify(header) === JSON.stringify(['customer_id', 'segment', 'rfm_cell', 'recency', 'frequency', 'tenure', 'country']),
        `columns: ${header.join(',')}`,
      );
      const expectedRows = segmentCounts.reduce((t, n, s) => (s === 1 ? t : t + n), 0);
      check(rows.length === expectedRows, `${rows.length} rows for ${expectedRows} customers of the chosen segments`);
      check(
        rows.every((r) => reference.ids.includes(r[0])),
        'real customer ids',
      );
      check(((await page.textContent('#platform-note')) ?? '').includes('no email or phone column'), 'no contact columns: said so, with what to add');
      check(await page.isDisabled('#export-meta'), 'no platform file without contacts');

      const report = await download(page, '#report-button');
      check(report.name === 'loyaltylens-report.html', report.name);
      const visible = report.text.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'data:…');
      const leaked = reference.ids.filter((id) => new RegExp(`(^|[^\\w.,])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w.,]|$)`).test(visible));
      check(leaked.length === 0, `no customer id in the report (found ${leaked.slice(0, 5).join(', ')})`);
      check(!/<script/i.test(report.text) && !/(?:src|href)="(?!data:)/.test(report.text), 'no script, no external resource');
      check((report.text.match(/<img src="data:image\/png;base64,/g) ?? []).length >= 3, 'charts embedded as PNG');
      check(report.text.includes('VIP &lt;b&gt;club&lt;/b&gt;'), 'the renamed segment, escaped');

      const [png] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click('button[data-chart="snake"]')]);
      const bytes = readFileSync(await png.path());
      check(png.suggestedFilename() === 'profiles-snake.png', png.suggestedFilename());
      check(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG magic bytes');
      const full = await download(page, '#full-table-button');
      const [fullHeader, ...fullRows] = parseCsv(full.text);
      check(fullHeader.slice(-2).join() === 'segment,segment_name' && fullRows.length === 872, 'the full table has the segments shown');
    },
  });

  cases.push({
    name: 'platform files from a file with an email column: Meta holds the SHA-256 of the normalised email',
    async run() {
      const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,Email,Phone'];
      const first = ['Ann', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay'];
      for (let c = 0; c < 30; c++) {
        const email = c === 0 ? ' Ann.Lee+promo@GMail.com ' : `${first[c % first.length]}.${c}@Example.com`;
        const phone = c % 3 === 0 ? `07700 9${String(c).padStart(5, '0')}` : '';
        for (let o = 0; o <= c % 4; o++) {
          lines.push(
            `${10000 + c * 10 + o},A${o},Item,${1 + o},2011-0${1 + o}-1${c % 9} 10:00,${(2.5 + c).toFixed(2)},${20000 + c},United Kingdom,${email},${phone}`,
          );
        }
      }
      const page = await freshPage();
      await page.setInputFiles('#file-input', { name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
      await waitIdle(page);
      await openStep(page, 'export');
      await waitIdle(page);
      const note = (await page.textContent('#platform-note')) ?? '';
      check(
        !note.includes('does not pass contact values'),
        `the analysis module returns no contact values (cpp/wasm/bindings.cpp analysis_to_js sets no emails/phones): ${note}`,
      );
      const meta = await download(page, '#export-meta');
      const [header, ...rows] = parseCsv(meta.text);
      check(header.join() === 'EMAIL,PHONE', `Meta header ${header.join()}`);
      const ann = createHash('sha256').update('ann.lee+promo@gmail.com').digest('hex');
      check(
        rows.some((r) => r[0] === ann),
        'the SHA-256 of “ann.lee+promo@gmail.com”',
      );
      const phone = createHash('sha256').update('447700900000').digest('hex');
      check(
        rows.some((r) => r[1] === phone),
        'the SHA-256 of 447700900000 (UK number, no +)',
      );
      check(rows.length === 30 && rows.every((r) => /^[0-9a-f]{64}$/.test(r[0])), 'every customer, hex digests');
      const google = await download(page, '#export-google');
      check(
        parseCsv(google.text).some((r) => r[0] === createHash('sha256').update('annlee@gmail.com').digest('hex')),
        'Google: Gmail dots and +suffix removed',
      );
      check(/google-all-segments\.csv: 30 customers/.test((await page.textContent('#platform-status')) ?? ''), 'the status counts the rows');
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, 'export-contacts-1440-light.png') });
      await page.close();
    },
  });

  cases.push({
    name: 'Cancel a re-read from the panel: the last results stay; the next change reads the file first',
    async run() {
      const page = await freshPage();
      const dataTransfer = await page.evaluateHandle(async () => {
        const sample = await (await fetch('samples/online-retail-sample.csv')).text();
        const cut = sample.indexOf('\n') + 1;
        const file = new File([sample.slice(0, cut), ...Array(12).fill(sample.slice(cut))], 'twelve.csv', { type: 'text/csv' });
        const dt = new DataTransfer();
        dt.items.add(file);
        return dt;
      });
      await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
      await waitIdle(page);
      const customers = await page.textContent('#info-customers');
      const kept = await page.textContent('#stat-rows-kept .stat-value');
      await page.selectOption('#date-order', 'mdy');
      await page.waitForSelector('#job:not([hidden])', { timeout: TIMEOUT });
      check(/Reading twelve\.csv again/.test((await page.textContent('#job-text')) ?? ''), 'the panel says the file is read again');
      await page.click('#job-cancel');
      const notice = await waitForNotice(page);
      check(notice.kind === 'info' && notice.text.includes('cancelled'), `cancel notice: ${notice.text}`);
      await waitIdle(page);
      check((await page.inputValue('#date-order')) === 'auto', 'the form is back to the settings shown');
      check((await page.textContent('#info-customers')) === customers, 'results stay');
      check(await page.isEnabled('#step-customers'), 'the steps stay open');

      await page.click('label[for="rule-duplicates"]');
      await waitIdle(page);
      check((await ledgerRows(page, 'duplicates')) > 0, 'the rule applies after the file is read again');
      check((await page.textContent('#stat-rows-kept .stat-value')) !== kept, 'rows kept changed');
      await page.close();
    },
  });

  cases.push({
    name: 'text from the file (ids, countries, descriptions with HTML) is shown as text, never run',
    async run() {
      const evil = [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        ...Array.from(
          { length: 6 },
          (_, i) =>
            `5363${i}0,8512${i},"<script>window.__pwned=1</script>",${i + 1},2010-12-0${i + 1} 08:26:00,2.55,"<img src=x onerror=window.__pwned=2>${i}","<b>Bold</b>"`,
        ),
        '536399,22633,"<svg onload=window.__pwned=3>",6,2010-12-09 09:00:00,1.85,,"<i>None</i>"',
        '536400,22634,"<em>x</em>",abc,2010-12-09 09:00:00,1.85,C9,UK',
      ].join('\n');
      const page = await freshPage();
      await page.setInputFiles('#file-input', { name: '<u>evil</u>.csv', mimeType: 'text/csv', buffer: Buffer.from(evil) });
      await waitIdle(page);
      check((await page.textContent('#info-file')) === '<u>evil</u>.csv', 'file name as text');
      const warnings = (await page.textContent('#warnings')) ?? '';
      check(warnings.includes('1 row could not be read') && warnings.includes('quantity "abc" is not a number'), `unreadable row listed: ${warnings}`);
      check(((await page.textContent('#rule-countries')) ?? '').includes('<b>Bold</b>'), 'country as text in the filter');
      await page.click('#ledger-table tr[data-rule="missing_customer"] .link-button');
      check(
        ((await page.textContent('#ledger-table')) ?? '').includes('<script>window.__pwned=1</script>') ||
          ((await page.textContent('#ledger-table')) ?? '').includes('<svg onload'),
        'descriptions as text in the examples',
      );
      for (const step of /** @type {const} */ (['customers', 'segments', 'profiles', 'cohorts', 'whatif', 'export'])) {
        if (await page.isEnabled(`#step-${step}`)) {
          await openStep(page, step);
          await waitIdle(page);
          const box = await page.$(`#${step}-section .chart`);
          if (box) {
            const b = await box.boundingBox();
            if (b)
              for (const [fx, fy] of [
                [0.3, 0.5],
                [0.5, 0.5],
                [0.7, 0.4],
              ])
                await page.mouse.move(b.x + b.width * fx, b.y + b.height * fy);
          }
        }
      }
      await page.waitForTimeout(300);
      check((await page.evaluate(() => /** @type {any} */ (window).__pwned)) === undefined, 'no script from the file ran');
      check((await page.$$('img[src="x"], script:not([src]), svg[onload], b, u, i, em')).length === 0, 'no element from the file');
      await page.close();
    },
  });

  // ---------- projects (issue 16), in a browser context of their own (IndexedDB) ----------

  const projectContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light', acceptDownloads: true });
  projectContext.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error (projects): ${msg.text()}`);
  });
  projectContext.on('weberror', (error) => problems.push(`page error (projects): ${error.error().message}`));
  /** @returns {Promise<import('playwright-core').Page>} */
  async function projectPage() {
    const page = await projectContext.newPage();
    await page.goto(base);
    await page.waitForSelector('#drop-zone:not([hidden])');
    return page;
  }
  // The sample split in two periods: the project is fitted on the first, applied to the second.
  const periods = splitByDate(readFileSync(SAMPLE), '2011-07-01');
  const periodDir = join(tmpdir(), `ll-e2e-periods-${process.pid}`);
  mkdirSync(periodDir, { recursive: true });
  const firstPath = join(periodDir, 'retail-2011-h1.csv');
  const secondPath = join(periodDir, 'retail-2011-h2.csv');
  writeFileSync(firstPath, periods.first);
  writeFileSync(secondPath, periods.second);
  /** The project saved from the page (case 1), and its path. */
  let savedProject = '';
  const projectPath = join(periodDir, 'retail-h1.loyaltylens.json');

  cases.push({
    name: 'Save project = `loyaltylens segment --save-project` byte for byte; renamed, saved, then opened with the same file: the same segments, names and colours',
    async run() {
      const page = await projectPage();
      await page.setInputFiles('#file-input', firstPath);
      await waitIdle(page);
      await openStep(page, 'segments');
      await page.focus('#k-input');
      await page.keyboard.press('ArrowLeft');
      await waitForSegments(page, 3);
      const plain = await download(page, '#save-project-button');
      check(plain.name.endsWith('.loyaltylens.json'), `project file name: ${plain.name}`);
      const cliProject = join(periodDir, 'cli-project.json');
      cli(['segment', firstPath, '--k', '3', '--save-project', cliProject, '--out', join(periodDir, 'cli-segments.csv')]);
      check(readFileSync(cliProject, 'utf8') === plain.text, 'the page saves the bytes `loyaltylens segment --save-project` writes');
      const saved = JSON.parse(plain.text);
      check(saved.format === 'loyaltylens-project' && saved.model.k === 3, 'a project of 3 segments');
      check(!plain.text.includes('17850'), 'no customer id in the project');

      // Rename and recolour segment 1, save again: the project holds them.
      await openStep(page, 'profiles');
      await page.fill('#segment-name-1', 'Best customers');
      await page.press('#segment-name-1', 'Tab');
      await page.fill('#segment-color-1', '#aa3377');
      await page.waitForFunction(() => document.querySelector('#profile-table tbody tr th')?.textContent === 'Best customers', null, { timeout: TIMEOUT });
      const named = await download(page, '#save-project-button');
      savedProject = named.text;
      writeFileSync(projectPath, named.text);
      const model = JSON.parse(named.text).model;
      check(model.segments[0].name === 'Best customers' && model.segments[0].color === '#aa3377', 'the name and colour are saved');
      await openStep(page, 'segments');
      const table = await page.textContent('#segment-table tbody');
      const labels = await download(page, '#download-button');
      await waitForKept(page, named.name);
      await page.close();

      // A new visit: the project and the same file dropped together restore the analysis.
      const again = await projectPage();
      const offered = await again
        .waitForSelector('#last-project:not([hidden])', { timeout: TIMEOUT })
        .then(() => true)
        .catch(() => false);
      check(offered, 'the last project is offered on the next visit');
      await again.setInputFiles('#file-input', [projectPath, firstPath]);
      await waitIdle(again);
      const notice = await waitForNotice(again, 'restored');
      check(notice.text.includes('restored'), `restored notice: ${notice.text}`);
      await openStep(again, 'segments');
      await waitForSegments(again, 3);
      check((await again.textContent('#segment-table tbody')) === table, 'the same segments, names and sizes');
      const colour = await again.evaluate(() =>
        getComputedStyle(/** @type {Element} */ (document.querySelector('#segment-table tbody tr .chip-swatch')))
          .getPropertyValue('--chip-color')
          .trim(),
      );
      check(colour === '#aa3377', `the saved colour (${colour})`);
      check((await again.inputValue('#k-input')) === '3', 'k restored');
      check(((await again.textContent('#project-chip-name')) ?? '') === 'retail-h1.loyaltylens.json', 'the project is shown in the top bar');
      check((await download(again, '#download-button')).text === labels.text, 'segments.csv identical after the restore');
      await waitForKept(again, 'retail-h1.loyaltylens.json');
      await again.close();
    },
  });

  cases.push({
    name: 'apply a project to the next period: every customer in a saved segment, drift panel, Download segments = `loyaltylens apply`; fit again and back; frozen or refitted RFM bins',
    async run() {
      if (!savedProject) throw new Error('needs the Save project case');
      const page = await projectPage();
      await page.click('#last-project-open');
      const opened = await waitForNotice(page, 'is open');
      check(opened.text.includes('is open'), `a project alone waits for a file: ${opened.text}`);
      await page.setInputFiles('#file-input', secondPath);
      await waitIdle(page);
      const notice = await waitForNotice(page, 'Scored with the segments of');
      check(notice.text.includes('Scored with the segments of retail-h1.loyaltylens.json'), `applied notice: ${notice.text}`);
      await openStep(page, 'segments');
      await waitForSegments(page, 3);
      await checkCustomerCounts(page);
      check(await page.isVisible('#project-card'), 'the project card');
      check(((await page.textContent('#segments-detail')) ?? '').includes('Saved segments of the project'), 'the segments are the saved ones');
      const drift = await page.$$eval('#drift-table tbody tr', (rows) =>
        rows.map((r) => [r.getAttribute('data-feature'), r.getAttribute('data-level'), r.querySelector('td')?.textContent]),
      );
      check(
        drift.length === 3 && drift.every(([f, level, psi]) => !!f && ['ok', 'warn', 'bad'].includes(level ?? '') && Number.isFinite(Number(psi))),
        `drift rows: ${JSON.stringify(drift)}`,
      );
      await page.waitForSelector('#drift-chart[data-chart="drawn"] canvas', { state: 'attached', timeout: TIMEOUT });
      check(((await page.textContent('#segment-table tbody')) ?? '').includes('Best customers'), 'saved names');

      // The page's segments.csv and drift are the CLI's.
      const applied = await download(page, '#download-button');
      const cliOut = join(periodDir, 'cli-applied.csv');
      const cliDrift = join(periodDir, 'cli-drift.json');
      cli(['apply', projectPath, secondPath, '--out', cliOut, '--drift-json', cliDrift]);
      check(readFileSync(cliOut, 'utf8') === applied.text, 'Download segments = loyaltylens apply --out, byte for byte');
      const [header, ...rows] = parseCsv(applied.text);
      check(header.join(',') === 'customer_id,segment,recency,frequency,monetary,segment_name', `columns: ${header}`);
      check(
        rows.length === digits((await page.textContent('#info-customers')) ?? '') && rows.every((r) => ['1', '2', '3'].includes(r[1])),
        'every customer in a saved segment',
      );
      const psi = JSON.parse(readFileSync(cliDrift, 'utf8')).features.map((/** @type {{psi: number}} */ f) => f.psi.toFixed(3));
      check(JSON.stringify(psi) === JSON.stringify(drift.map((d) => d[2])), `PSI as the CLI's: ${psi} vs ${drift.map((d) => d[2])}`);

      // RFM on the project's bin edges, or this file's quintiles.
      await openStep(page, 'customers');
      check(await page.isChecked('#rfm-bins input[value="frozen"]'), 'RFM on the frozen edges by default');
      await page.check('#rfm-bins input[value="quintiles"]');
      await waitIdle(page);
      check(((await page.textContent('#rfm-status')) ?? '').includes('by quintile'), 'RFM refitted');

      // Fit again on this file, then back to the saved segments.
      await openStep(page, 'segments');
      await page.click('#project-refit-button');
      await waitIdle(page);
      await waitForSegments(page, 3);
      check(!((await page.textContent('#segments-detail')) ?? '').includes('Saved segments'), 'fitted again on this file');
      check(await page.isHidden('#drift-body'), 'no drift for a refit');
      await page.click('#project-saved-button');
      await waitIdle(page);
      await waitForSegments(page, 3);
      check(((await page.textContent('#segments-detail')) ?? '').includes('Saved segments of the project'), 'back to the saved segments');
      check((await download(page, '#download-button')).text === applied.text, 'the same saved segments again');

      // A bad project: refused by name, the analysis stays.
      const rowsBefore = await page.textContent('#info-rows');
      const bad = JSON.parse(savedProject);
      bad.model.k = 4;
      await page.setInputFiles('#project-input', { name: 'bad-k.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
      const refused = await waitForNotice(page, 'bad-k.json');
      check(
        refused.kind === 'error' && refused.text.includes('bad-k.json') && refused.text.includes('model.k'),
        `bad project refused by field: ${refused.text}`,
      );
      check((await page.textContent('#info-rows')) === rowsBefore && (await page.isVisible('#segment-table')), 'the analysis on screen stays');
      await page.setInputFiles('#project-input', {
        name: 'notes.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"format": "loyaltylens-project", "version": 99}'),
      });
      const newer = await waitForNotice(page, 'notes.json');
      check(newer.text.includes('99') && newer.text.includes('newer'), `a newer format is refused by name: ${newer.text}`);

      // Close the project: the segments are fitted on this file.
      await page.click('#project-close-button');
      await waitIdle(page);
      check(await page.isHidden('#project-chip'), 'the project is closed');
      check(!((await page.textContent('#segments-detail')) ?? '').includes('Saved segments'), 'segments fitted on this file');
      await page.close();
    },
  });

  cases.push({
    name: 'the project kept in the browser can be forgotten; a project named like a CSV column the file lacks is refused and the page recovers',
    async run() {
      const page = await projectPage();
      const offered = await page
        .waitForSelector('#last-project:not([hidden])', { timeout: TIMEOUT })
        .then(() => true)
        .catch(() => false);
      check(offered, 'offered');
      await page.click('#last-project-forget');
      await page.waitForSelector('#last-project', { state: 'hidden', timeout: TIMEOUT });
      await page.reload();
      await page.waitForSelector('#drop-zone:not([hidden])');
      await page.waitForTimeout(300);
      check(await page.isHidden('#last-project'), 'forgotten for good');
      // A project whose customer column is not in this file.
      const wrong = JSON.parse(savedProject);
      wrong.settings.read.roles = { customer: 'ClientNumber' };
      await page.setInputFiles('#file-input', [{ name: 'wrong-column.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrong)) }]);
      await waitForNotice(page);
      await page.setInputFiles('#file-input', firstPath);
      const notice = await waitForNotice(page);
      check(
        notice.kind === 'error' && notice.text.includes('ClientNumber') && notice.text.includes('wrong-column.json'),
        `the read names the column and the project: ${notice.text}`,
      );
      await page.click('#project-close-button').catch(() => {});
      await page.setInputFiles('#file-input', firstPath);
      await waitIdle(page);
      check(await page.isHidden('#project-chip'), 'without the project the file reads');
      await page.close();
    },
  });

  cases.push({
    name: 'every step opens with its views and draws its charts, those below the fold too (steps load after the start)',
    async run() {
      // The steps' modules are not part of the page's start (web/steps/step-loader.js); the
      // sample comes at once, before they are prefetched, and every step must still work.
      const page = await freshPage();
      await page.click('#sample-button');
      await waitIdle(page);
      /** Charts each step shows for the sample (the sweep waits for "Compare k"). */
      const expected = { data: 0, customers: 5, segments: 3, profiles: 2, cohorts: 1, whatif: 1, export: 0 };
      for (const [step, count] of Object.entries(expected)) {
        await openStep(page, /** @type {any} */ (step));
        await waitIdle(page);
        check(((await page.textContent(`#${step}-summary`)) ?? '').trim().length > 0, `${step}: a summary line`);
        const charts = await page.$$eval(`#${step}-section .chart`, (els) => els.filter((el) => !el.closest('[hidden]')).map((el) => el.id));
        check(charts.length === count, `${step}: ${charts.length} charts shown, expected ${count}`);
        // Drawn without scrolling: a card below the fold is not rendered (content-visibility),
        // its chart is drawn all the same, after those on screen.
        for (const id of charts) await page.waitForSelector(`#${id}[data-chart="drawn"] canvas`, { state: 'attached', timeout: TIMEOUT });
        for (const id of charts) {
          await page.locator(`#${id}`).scrollIntoViewIfNeeded();
          const box = await page.locator(`#${id} canvas`).first().boundingBox();
          check(!!box && box.width > 100 && box.height > 100, `${step}: #${id} has a canvas of its size on screen`);
        }
      }
      await page.close();
    },
  });

  cases.push({
    name: 'screenshots of every step at 1440×900 light and dark and 390×844 light and dark',
    async run() {
      const page = await freshPage();
      await page.click('#sample-button');
      await waitIdle(page);
      // Cards far below the fold are not rendered until scrolled near (content-visibility: auto);
      // a full-page capture does not scroll, so it would show them empty.
      await page.addStyleTag({ content: '.result-section .card { content-visibility: visible; }' });
      /** @param {string} suffix */
      const shootSteps = async (suffix) => {
        for (const step of /** @type {const} */ (['data', 'customers', 'segments', 'profiles', 'cohorts', 'whatif', 'export'])) {
          await openStep(page, step);
          await waitIdle(page);
          await page.mouse.move(0, 0);
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.waitForTimeout(400);
          await page.screenshot({ path: join(SHOTS, `${step}-${suffix}.png`) });
          await page.screenshot({ path: join(SHOTS, `${step}-${suffix}-full.png`), fullPage: true });
        }
      };
      await shootSteps('1440-light');
      await page.click('#theme-toggle');
      check((await page.getAttribute('html', 'data-theme')) === 'dark', 'theme toggle switches to dark');
      await shootSteps('1440-dark');
      await page.setViewportSize({ width: 390, height: 844 });
      await shootSteps('390-dark');
      await page.click('#theme-toggle');
      await shootSteps('390-light');
      await page.close();

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
  // E2E_ONLY="text" runs the cases whose name holds it (cases that build on an earlier one fail alone).
  const only = process.env.E2E_ONLY;
  try {
    for (const c of only ? cases.filter((x) => x.name.includes(only)) : cases) {
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
