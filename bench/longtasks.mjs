// The page's main thread during a session, in Debian's Chromium: every long task (> 50 ms, the
// browser's own PerformanceObserver 'longtask' entries) while a file is dropped, each step is
// opened, k and the method are changed, the map switches to t-SNE and "Compare k" runs.
// The page's own start (navigation until it is idle: module evaluation, first layout, what it
// loads in idle time) is a phase of its own, "start", reported apart from the session's tasks.
// One JSON line per file: the longest task of the session (median over runs), how many there
// were, where they happened, the same for the start, and the slowest of each timed step of the
// page (User Timing, e.g. `histogram-r build`,
// `… init`, `… option`, `… render`: a chart's draw is cut into those tasks by
// web/views/chart-queue.js; `warm-up i …`; `view <name>` for a view's render pass above 4 ms).
// Also: the time from a change of k (the slider's change event) to the new segment table.
// The file is dropped once the page's start is over (no fetch for 500 ms: its modules, the
// worker's wasm), as a visitor would; --at-load drops it at the load event, while the page still
// loads in idle time and the worker compiles (the timing of this bench before the "start" phase).
// --trace: Chrome's own trace of each run too, and per long task what the renderer did in it
// (self time of script by function, style, layout, paint, GC: what performance.measure cannot
// name, such as the layout of a step just opened).
//   node bench/longtasks.mjs [--runs 3] [--verbose] [--trace] [--at-load] FILE…
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureBuild, launch, serve } from '../tests/e2e/support.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const verbose = args.includes('--verbose') ? (args.splice(args.indexOf('--verbose'), 1), true) : false;
const trace = args.includes('--trace') ? (args.splice(args.indexOf('--trace'), 1), true) : false;
const atLoad = args.includes('--at-load') ? (args.splice(args.indexOf('--at-load'), 1), true) : false;
const files = args;
const TIMEOUT = 600000;

/** @param {import('playwright-core').Page} page */
async function idle(page) {
  await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.body.dataset.phase === 'ready', null, { timeout: TIMEOUT, polling: 50 });
  // Charts draw in tasks of their own after the state settles (web/views/chart-queue.js).
  await page.waitForTimeout(600);
  await page.waitForFunction(() => document.body.dataset.charts !== 'busy', null, { timeout: TIMEOUT, polling: 50 });
}

/** @param {import('playwright-core').Page} page @param {string} label */
async function mark(page, label) {
  await page.evaluate((l) => {
    /** @type {any} */ (window).__llPhase = l;
    performance.mark(`phase ${l}`); // in the trace too (--trace)
  }, label);
}

/**
 * The renderer main thread's tasks above 50 ms in a Chrome trace, each with what took its time:
 * self time by trace event (script by function and file), largest first.
 * @param {Buffer} buffer  the JSON of browser.stopTracing()
 */
function traceLongTasks(buffer) {
  const events = JSON.parse(buffer.toString('utf8')).traceEvents ?? [];
  // The page's renderer: the process of the phase marks (Chromium's own pages have renderers too).
  const pagePid = events.find((e) => typeof e.name === 'string' && e.name.startsWith('phase ') && e.cat?.includes('user_timing'))?.pid;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && (pagePid === undefined || e.pid === pagePid))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  /** @type {Map<string, any[]>} */
  const byThread = new Map();
  const phases = [];
  for (const e of events) {
    const t = `${e.pid}:${e.tid}`;
    if (typeof e.name === 'string' && e.name.startsWith('phase ') && e.cat?.includes('user_timing')) phases.push({ ts: e.ts, name: e.name.slice(6) });
    if (!mains.has(t) || e.ph !== 'X' || !(e.dur > 0)) continue;
    if (!byThread.has(t)) byThread.set(t, []);
    byThread.get(t)?.push(e);
  }
  phases.sort((a, b) => a.ts - b.ts);
  /** @param {any} e */
  const label = (e) => {
    const d = e.args?.data ?? e.args?.beginData ?? {};
    if (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.callFunction') {
      const file = String(d.url ?? '')
        .split('/')
        .pop()
        ?.replace(/-[\w-]{8}\.js$/, '.js');
      return `${e.name === 'FunctionCall' || e.name === 'v8.callFunction' ? 'script' : e.name} ${d.functionName || ''}${file ? ` (${file})` : ''}`.replace(
        '  ',
        ' ',
      );
    }
    return e.name;
  };
  const out = [];
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    for (let i = 0; i < list.length; i++) {
      const task = list[i];
      if (task.name !== 'RunTask' || task.dur < 50000) continue;
      const end = task.ts + task.dur;
      // The events inside, as a tree by nesting: self time = own duration − direct children's.
      const inside = [];
      for (let j = i + 1; j < list.length && list[j].ts < end; j++) inside.push(list[j]);
      /** @type {Map<string, number>} */
      const self = new Map();
      const stack = [{ e: task, child: 0 }];
      const close = (/** @type {number} */ ts) => {
        while (stack.length > 1 && stack[stack.length - 1].e.ts + stack[stack.length - 1].e.dur <= ts) {
          const top = /** @type {{e: any, child: number}} */ (stack.pop());
          self.set(label(top.e), (self.get(label(top.e)) ?? 0) + top.e.dur - top.child);
          stack[stack.length - 1].child += top.e.dur;
        }
      };
      for (const e of inside) {
        close(e.ts);
        stack.push({ e, child: 0 });
      }
      close(Infinity);
      const rest = task.dur - stack[0].child;
      if (rest > 0) self.set('(task itself)', rest);
      const phase = phases.filter((p) => p.ts <= task.ts).pop()?.name ?? 'start';
      const parts = [...self]
        .sort((a, b) => b[1] - a[1])
        .filter(([, us]) => us >= 2000)
        .slice(0, 6)
        .map(([n, us]) => `${n} ${Math.round(us / 1000)}`);
      // cpu: the thread's own time in the task (the rest it waited for a core: the machine was busy)
      out.push({ phase, ms: Math.round(task.dur / 1000), cpu_ms: task.tdur > 0 ? Math.round(task.tdur / 1000) : null, parts });
    }
  }
  return out;
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
  // The page's start is over once nothing was fetched for 500 ms (its modules loaded in idle
  // time, the worker's wasm); a visitor drops a file later than that.
  if (!atLoad) await page.waitForLoadState('networkidle', { timeout: TIMEOUT });
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__llPhase = 'drop';
    w.__llTasks = [];
    // Tasks that began before the session: the page's start (the observer reports them buffered).
    const sessionAt = performance.now();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__llTasks.push({ phase: e.startTime < sessionAt ? 'start' : w.__llPhase, ms: Math.round(e.duration), start: e.startTime });
    }).observe({ type: 'longtask', buffered: true });
  });
  await mark(page, 'drop');
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('#segment-table tbody tr', { timeout: TIMEOUT, state: 'attached' });
  await idle(page);
  for (const step of ['data', 'customers', 'segments', 'profiles', 'cohorts', 'whatif', 'export', 'segments']) await openStep(page, step);
  await mark(page, 'k = 6');
  // How long until the new segments are on screen (the page's own clock, from the change event).
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    document.querySelector('#k-input')?.addEventListener(
      'change',
      () => {
        w.__llKStart = performance.now();
      },
      { capture: true, once: true },
    );
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
  return page
    .evaluate(() => {
      /** @type {Record<string, number>} the slowest draw of each chart (User Timing from the page) */
      const charts = {};
      for (const m of performance.getEntriesByType('measure')) {
        if (m.name.startsWith('chart ')) charts[m.name.slice(6)] = Math.max(charts[m.name.slice(6)] ?? 0, Math.round(m.duration));
      }
      const w = /** @type {any} */ (window);
      const measures = performance.getEntriesByType('measure');
      for (const t of w.__llTasks)
        t.inside = measures.filter((m) => m.startTime >= t.start - 1 && m.startTime < t.start + t.ms).map((m) => `${m.name} ${Math.round(m.duration)}`);
      return { tasks: w.__llTasks, charts };
    })
    .then((r) => ({ ...r, kChangeMs }));
}

ensureBuild();
const { server, base } = await serve([]);
try {
  for (const file of files) {
    if (!existsSync(file)) continue;
    const longest = [];
    /** @type {number[]} */
    const startLongest = [];
    let all = [];
    /** @type {Record<string, number>} */
    const charts = {};
    /** @type {number[]} */
    const kTimes = [];
    for (let r = 0; r < runs; r++) {
      const browser = await launch();
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      if (trace) {
        // From before the navigation: the page's start is traced too.
        await browser.startTracing(page, {
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'toplevel'],
        });
      }
      await page.goto(base, { waitUntil: 'load' });
      const { tasks, charts: drawn, kChangeMs } = await session(page, file);
      if (trace) {
        const traced = traceLongTasks(await browser.stopTracing());
        console.log(JSON.stringify({ run: r + 1, trace_long_tasks: traced }));
      }
      kTimes.push(kChangeMs);
      await browser.close();
      for (const [id, ms] of Object.entries(drawn)) charts[id] = Math.max(charts[id] ?? 0, ms);
      const during = tasks.filter((t) => t.phase !== 'start');
      longest.push(Math.max(0, ...during.map((t) => t.ms)));
      startLongest.push(Math.max(0, ...tasks.filter((t) => t.phase === 'start').map((t) => t.ms)));
      all = all.concat(tasks);
    }
    const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const byPhase = {};
    for (const t of all) byPhase[t.phase] = Math.max(byPhase[t.phase] ?? 0, t.ms);
    const starts = all.filter((t) => t.phase === 'start').length;
    console.log(
      JSON.stringify({
        file: path.basename(file),
        k_change_to_table_ms: median(kTimes),
        // the session (drop … Profiles), without the page's start
        longest_task_ms: median(longest),
        runs: longest,
        long_tasks_per_run: (all.length - starts) / runs,
        // the page's start, before the file
        start_longest_task_ms: median(startLongest),
        start_runs: startLongest,
        start_long_tasks_per_run: starts / runs,
        worst_by_phase: byPhase,
        slowest_chart_draw_ms: charts,
      }),
    );
    if (verbose) console.log(JSON.stringify(all));
  }
} finally {
  server.close();
}
