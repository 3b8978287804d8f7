// The page in Debian's Chromium: time from the file landing in the page (the input's change event,
// timed inside the page) to the worker's reply with the customers (the in-page ingest) and to the
// segment table on screen, and the renderer's peak memory (the worker's wasm heap lives there). One
// JSON line per file; median of --runs fresh pages.
//   node bench/chromium.mjs [--runs 3] FILE…
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ensureBuild, launch, serve } from '../tests/e2e/support.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const files = args;

/** Peak resident memory (MB) over Chromium's renderer processes, from /proc. */
function rendererPeakMb() {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  return peak;
}

ensureBuild();
const { server, base } = await serve([]);
try {
  for (const file of files) {
    if (!existsSync(file)) continue;
    const times = [];
    const reads = [];
    let peak = 0;
    let customers = 0;
    for (let r = 0; r < runs; r++) {
      const browser = await launch();
      const page = await browser.newPage();
      // The worker's first result is the file read (loadFile: read, clean, features): its arrival on
      // the main thread is the in-page ingest time.
      await page.addInitScript(() => {
        const w = /** @type {any} */ (window);
        const add = Worker.prototype.addEventListener;
        Worker.prototype.addEventListener = function (type, listener, options) {
          if (type === 'message') {
            add.call(this, 'message', (/** @type {MessageEvent} */ e) => {
              if (w.__llStart && !w.__llRead && e.data?.type === 'result') w.__llRead = performance.now();
            });
          }
          return add.call(this, type, listener, options);
        };
      });
      await page.goto(base, { waitUntil: 'load' });
      // Nobody drops a file within a second of the page opening: by then the worker has loaded and
      // warmed up its wasm (web/worker/warmup.js), as it has for a person.
      await page.waitForTimeout(1000);
      await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        document.querySelector('#file-input')?.addEventListener(
          'change',
          () => {
            w.__llStart = performance.now();
          },
          { capture: true },
        );
        new MutationObserver(() => {
          if (w.__llStart && !w.__llDone && document.querySelector('#segment-table tbody tr')) w.__llDone = performance.now();
        }).observe(document.body, { childList: true, subtree: true });
      });
      await page.setInputFiles('#file-input', file);
      await page.waitForFunction(() => /** @type {any} */ (window).__llDone, null, { timeout: 600000, polling: 50 });
      const [done, read] = await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        return [(w.__llDone - w.__llStart) / 1000, (w.__llRead - w.__llStart) / 1000];
      });
      times.push(done);
      reads.push(read);
      customers = Number(((await page.textContent('#info-customers')) ?? '').replace(/[^\d]/g, ''));
      peak = Math.max(peak, rendererPeakMb());
      await browser.close();
    }
    const median = (/** @type {number[]} */ v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(
      JSON.stringify({ file: path.basename(file), seconds: median(times), read_seconds: median(reads), runs: times, renderer_peak_mb: peak, customers }),
    );
  }
} finally {
  server.close();
}
