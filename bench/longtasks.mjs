// The page's main thread during a session, in Debian's Chromium: every long task (> 50 ms, the
// browser's own PerformanceObserver 'longtask' entries) while a file is dropped, each step is
// opened, k and the method are changed, the map switches to t-SNE and "Compare k" runs.
// One JSON line per file: the longest task (median over runs), how many there were, where they
// happened, and each chart's slowest draw (init + setOption, timed in the page).
// Also: the time from a change of k (the slider's change event) to the new segment table.
//   node bench/longtasks.mjs [--runs 3] [--verbose] FILE…
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureBuild, launch, serve } from '../tests/e2e/support.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const verbose = args.includes('--verbose') ? (args.splice(args.indexOf('--verbose'), 1), true) : false;
const files = args;
const TIMEOUT = 600000;

/** @param {import('playwright-core').Page} page */
async function idle(page) {
  await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.body.dataset.phase === 'ready', null, { timeout: TIMEOUT, polling: 50 });
  // Charts draw in tasks of their own after the state settles.
  await page.waitForTimeout(600);
}

/** @param {import('playwright-core').Page} page @param {string} label */
async function mark(page, label) {
  await page.evaluate((l) => { /** @type {any} */ (window).__llPhase = l; }, label);
}

/** @param {import('playwright-core').Page} page @param {string} step */
async function openStep(page, step) {
  await mark(page, `open ${step}`);
  await page.click(`#step-${step}`);
  await page.waitForSelector(`#${step}-section:not([hidden])`, { timeout: TIMEOUT });
  await idle(page);
}

/** @param {import('playwright-core').Page} page @param {string} file */
async function session(page, file) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__llPhase = 'drop';
    w.__llTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__llTasks.push({ phase: w.__llPhase, ms: Math.round(e.duration), start: e.startTime });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('#segment-table tbody tr', { timeout: TIMEOUT, state: 'attached' });
  await idle(page);
  for (const step of ['data', 'customers', 'segments', 'profiles', 'cohorts', 'whatif', 'export', 'segments']) await openStep(page, step);
  await mark(page, 'k = 6');
  // How long until the new segments are on screen (the page's own clock, from the change event).
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    document.querySelector('#k-input')?.addEventListener('change', () => { w.__llKStart = performance.now(); }, { capture: true, once: true });
    new MutationObserver((_, observer) => {
      if (w.__llKStart && document.querySelectorAll('#segment-table tbody tr').length === 6) {
        w.__llKMs = performance.now() - w.__llKStart;
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.fill('#k-input', '6');
  await page.dispatchEvent('#k-input', 'change');
  await idle(page);
  const kChangeMs = await page.evaluate(() => Math.round(/** @type {any} */ (window).__llKMs));
  await mark(page, 'method gmm');
  await page.selectOption('#algorithm-select', 'gmm');
  await idle(page);
  await mark(page, 'map t-SNE');
  await page.click('#map-method-tsne');
  await idle(page);
  await mark(page, 'compare k');
  await page.click('#sweep-button');
  await idle(page);
  await page.waitForFunction(() => document.querySelector('#job')?.hidden !== false, null, { timeout: TIMEOUT });
  await page.waitForTimeout(600);
  await openStep(page, 'profiles');
  return page.evaluate(() => {
    /** @type {Record<string, number>} the slowest draw of each chart (User Timing from the page) */
    const charts = {};
    for (const m of performance.getEntriesByType('measure')) {
      if (m.name.startsWith('chart ')) charts[m.name.slice(6)] = Math.max(charts[m.name.slice(6)] ?? 0, Math.round(m.duration));
    }
    const w = /** @type {any} */ (window);
    const measures = performance.getEntriesByType('measure');
    for (const t of w.__llTasks) t.inside = measures.filter((m) => m.startTime >= t.start - 1 && m.startTime < t.start + t.ms).map((m) => `${m.name} ${Math.round(m.duration)}`);
    return { tasks: w.__llTasks, charts };
  }).then((r) => ({ ...r, kChangeMs }));
}

ensureBuild();
const { server, base } = await serve([]);
try {
  for (const file of files) {
    if (!existsSync(file)) continue;
    const longest = [];
    let all = [];
    /** @type {Record<string, number>} */
    const charts = {};
    /** @type {number[]} */
    const kTimes = [];
    for (let r = 0; r < runs; r++) {
      const browser = await launch();
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(base, { waitUntil: 'load' });
      const { tasks, charts: drawn, kChangeMs } = await session(page, file);
      kTimes.push(kChangeMs);
      await browser.close();
      for (const [id, ms] of Object.entries(drawn)) charts[id] = Math.max(charts[id] ?? 0, ms);
      longest.push(Math.max(0, ...tasks.map((t) => t.ms)));
      all = all.concat(tasks);
    }
    longest.sort((a, b) => a - b);
    const byPhase = {};
    for (const t of all) byPhase[t.phase] = Math.max(byPhase[t.phase] ?? 0, t.ms);
    kTimes.sort((a, b) => a - b);
    console.log(JSON.stringify({ file: path.basename(file), k_change_to_table_ms: kTimes[Math.floor(kTimes.length / 2)], longest_task_ms: longest[Math.floor(longest.length / 2)], runs: longest, long_tasks_per_run: all.length / runs, worst_by_phase: byPhase, slowest_chart_draw_ms: charts }));
    if (verbose) console.log(JSON.stringify(all));
  }
} finally {
  server.close();
}
