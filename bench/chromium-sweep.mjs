// "Compare k" in the page in Debian's Chromium, with one worker and with the sweep pool: for each
// file and each worker count, the time from the click on the button to the curves' "Compare again"
// (K-Means, k = 2…10, the page's defaults), timed inside the page. One JSON line per file and
// worker count; median of --runs fresh pages.
//   node bench/chromium-sweep.mjs [--runs 3] [--workers 1,2] FILE…
// `--workers` lists the ?workers=N values (1: the single-worker sweep); the default, 1 and the
// page's own choice for this machine (no query: navigator.hardwareConcurrency).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureBuild, launch, serve } from '../tests/e2e/support.mjs';
import { sweepWorkerCount } from '../web/api/sweep-pool.js';

const args = process.argv.slice(2);
/** @param {string} flag */
const option = (flag) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const runs = Number(option('--runs') ?? 3);
const counts = (option('--workers') ?? '1,auto').split(',');
const files = args;

ensureBuild();
const { server, base } = await serve([]);
const browser = await launch();
try {
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const count of counts) {
      const times = [];
      let customers = 0;
      let workers = 0;
      for (let r = 0; r < runs; r++) {
        const page = await browser.newPage();
        await page.goto(count === 'auto' ? base : `${base}?workers=${count}`, { waitUntil: 'load' });
        await page.setInputFiles('#file-input', file);
        await page.waitForFunction(() => document.querySelectorAll('#segment-table tbody tr').length > 0 && document.body.dataset.busy === 'false', null, {
          timeout: 600000,
          polling: 100,
        });
        await page.click('#step-segments');
        await page.waitForSelector('#segments-section:not([hidden])');
        await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          const button = /** @type {HTMLElement} */ (document.querySelector('#sweep-button'));
          button.addEventListener(
            'click',
            () => {
              w.__llStart = performance.now();
            },
            { capture: true },
          );
          new MutationObserver(() => {
            if (w.__llStart && !w.__llDone && button.textContent?.startsWith('Compare again')) w.__llDone = performance.now();
          }).observe(button, { childList: true, characterData: true, subtree: true });
        });
        await page.click('#sweep-button');
        await page.waitForFunction(() => /** @type {any} */ (window).__llDone, null, { timeout: 600000, polling: 50 });
        times.push(
          await page.evaluate(() => {
            const w = /** @type {any} */ (window);
            return (w.__llDone - w.__llStart) / 1000;
          }),
        );
        customers = Number(((await page.textContent('#info-customers')) ?? '').replace(/[^\d]/g, ''));
        workers = 1 + sweepWorkerCount(await page.evaluate(() => navigator.hardwareConcurrency), count === 'auto' ? '' : `?workers=${count}`);
        await page.close();
      }
      times.sort((a, b) => a - b);
      console.log(JSON.stringify({ file: path.basename(file), workers, seconds: times[Math.floor(times.length / 2)], runs: times, customers }));
    }
  }
} finally {
  await browser.close();
  server.close();
}
