// @ts-check
/**
 * The one queue every chart of the page draws through, so the main thread never runs long (the
 * page's requirement: no task above 50 ms, on a slow or busy machine too).
 *
 * - A job is a chart's draw cut into steps; each step runs in a task of its own (the queue
 *   yields between steps with a message, which neither waits for a frame nor is clamped like a
 *   nested setTimeout), and after a job that rendered, the queue waits for the next animation
 *   frame, where ECharts paints: one chart's paint per frame.
 * - Charts on screen go first (an IntersectionObserver keeps the flag), then the others in order.
 * - A newer draw of a chart replaces its waiting one (the newest option wins).
 * - ECharts itself is loaded in four modules, each evaluated in a task of its own, and warmed up
 *   (web/ui/chart-warmup.js) in idle time only: a warm-up step never runs while a chart waits.
 * - User Timing: every step is a `performance.measure` (`chart <id> <step>`, `chart warm-up i`)
 *   that bench/longtasks.mjs lists inside the long tasks.
 */

import { WARMUP_STEPS } from './chart-warmup.js';
import { nextTask } from './tasks.js';

/**
 * A step returns whether it did something (false: outdated, the job stops).
 * @typedef {() => boolean} Step
 * @typedef {{key: HTMLElement, name: string, kind: 'draw' | 'resize', steps: Step[], started: boolean, resolve: (drawn: boolean) => void, reject: (err: unknown) => void}} Job
 */

/** @type {Job[]} */
const jobs = [];
let running = false;
/** Containers seen on screen (the IntersectionObserver's last word on each). */
const onScreen = new WeakSet();
/** @type {IntersectionObserver | null} */
let observer = null;
const observed = new WeakSet();

/** @param {HTMLElement} el */
function watch(el) {
  if (observed.has(el) || typeof IntersectionObserver === 'undefined') return;
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) onScreen.add(/** @type {HTMLElement} */ (e.target));
      else onScreen.delete(/** @type {HTMLElement} */ (e.target));
    }
  });
  observed.add(el);
  observer.observe(el);
}

/** After the next animation frame (where ECharts paints), in a task of its own; at most ~100 ms. */
function afterFrame() {
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      nextTask().then(resolve);
    };
    requestAnimationFrame(go);
    setTimeout(go, 100); // a hidden tab has no frames
  });
}

/**
 * Runs `fn` and records it as a User Timing measure.
 * @template T
 * @param {string} name
 * @param {() => T} fn
 * @returns {T}
 */
export function measure(name, fn) {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(name, { start });
  }
}

function setBusy() {
  const busy = jobs.length > 0 || running;
  const value = busy ? 'busy' : 'idle';
  if (document.body.dataset.charts !== value) document.body.dataset.charts = value;
}

/**
 * Queues a chart's job. A newer draw replaces the chart's waiting job; a resize waits behind (or
 * is dropped for) the chart's waiting draw, which sizes the chart itself.
 * @param {HTMLElement} key  the chart's container
 * @param {string} name  for User Timing
 * @param {Step[]} steps
 * @param {'draw' | 'resize'} [kind]
 * @returns {Promise<boolean>} whether every step ran (and the frame after them passed)
 */
export function enqueue(key, name, steps, kind = name.endsWith(' resize') ? 'resize' : 'draw') {
  watch(key);
  const pending = jobs.filter((j) => j.key === key && !j.started);
  if (kind === 'resize' && pending.length > 0) return Promise.resolve(false);
  for (const j of pending) {
    jobs.splice(jobs.indexOf(j), 1);
    j.resolve(false);
  }
  return new Promise((resolve, reject) => {
    jobs.push({ key, name, kind, steps, started: false, resolve, reject });
    setBusy();
    pump();
  });
}

/** The next job: the first one on screen, else the first one. */
function nextJob() {
  const i = jobs.findIndex((j) => onScreen.has(j.key));
  return jobs.splice(i >= 0 ? i : 0, 1)[0];
}

async function pump() {
  if (running) return;
  running = true;
  try {
    while (jobs.length > 0) {
      await nextTask();
      const job = nextJob();
      if (!job) continue;
      job.started = true;
      let complete = true;
      try {
        for (const [i, step] of job.steps.entries()) {
          if (i > 0) await nextTask();
          if (!measure(`${job.name} ${STEP_NAMES[job.kind][i] ?? i}`, step)) {
            complete = false;
            break;
          }
        }
        if (complete) await afterFrame();
        job.resolve(complete);
      } catch (err) {
        job.reject(err);
      }
    }
  } finally {
    running = false;
    setBusy();
  }
  scheduleWarmUp();
}

/** Names of the steps in User Timing. */
const STEP_NAMES = { draw: ['build', 'init', 'option', 'render'], resize: ['resize', 'patch'] };

// ---------- ECharts: loaded in parts, then warmed up in idle time ----------

/** @type {Promise<typeof import('./echarts-runtime.js')> | null} */
let runtime = null;

/**
 * ECharts, loaded once: zrender, then ECharts' core and the canvas renderer, then the components,
 * then the chart types, each part's modules evaluated in a task of its own.
 */
export function loadRuntime() {
  if (!runtime) {
    const start = performance.now();
    runtime = (async () => {
      await import('./echarts-zrender.js');
      await nextTask();
      const core = await import('./echarts-runtime.js');
      await nextTask();
      await import('./echarts-components.js');
      await nextTask();
      await import('./echarts-charts.js');
      await nextTask();
      return core;
    })();
    runtime
      .then((core) => {
        performance.measure('chart library loaded', { start });
        warmUp = warmUpTasks(core.echarts);
        scheduleWarmUp();
      })
      .catch(() => {});
  }
  return runtime;
}

/**
 * The warm-up still to run, one task per function (built once ECharts is loaded).
 * @type {{tasks: (() => void)[], chart: any, container: HTMLElement | null} | null}
 */
let warmUp = null;
let warmUpScheduled = false;

/**
 * The warm-up as tasks: create an off-screen chart; then each entry of WARMUP_STEPS, a `run` in
 * one task, an option in three (its model; its layout and render; its paint); then dispose of
 * the chart.
 * @param {typeof import('echarts/core')} echarts
 */
function warmUpTasks(echarts) {
  const w = { tasks: /** @type {(() => void)[]} */ ([]), chart: /** @type {any} */ (null), container: /** @type {HTMLElement | null} */ (null) };
  w.tasks.push(() => {
    const container = document.createElement('div');
    container.setAttribute('aria-hidden', 'true');
    container.style.cssText = 'position:fixed;left:-10000px;top:0;width:480px;height:240px;visibility:hidden;pointer-events:none';
    document.body.append(container);
    w.container = container;
    measure('chart warm-up init', () => {
      w.chart = echarts.init(container, null, { renderer: 'canvas' });
    });
  });
  for (const [n, step] of WARMUP_STEPS.entries()) {
    const { run, option, notMerge } = step;
    if (run) {
      w.tasks.push(() => measure(`chart warm-up ${n}`, () => run(echarts, w.chart)));
      continue;
    }
    w.tasks.push(
      () =>
        measure(`chart warm-up ${n} option`, () => {
          w.chart.setOption(option, { notMerge: notMerge ?? false, lazyUpdate: true });
          w.chart.getZr().animation.stop(); // the update waits for the next task, not the next frame
        }),
      () =>
        measure(`chart warm-up ${n} render`, () => {
          if (w.chart.__pendingUpdate) w.chart.resize();
          w.chart.getZr().animation.stop();
        }),
      () => measure(`chart warm-up ${n} paint`, () => w.chart.getZr().flush()),
    );
  }
  w.tasks.push(disposeWarmUp);
  return w;
}

/** The next warm-up task, in idle time, when no chart waits. */
function scheduleWarmUp() {
  if (!warmUp || warmUpScheduled || warmUp.tasks.length === 0) return;
  warmUpScheduled = true;
  const run = (/** @type {IdleDeadline | undefined} */ deadline) => {
    warmUpScheduled = false;
    if (!warmUp || jobs.length > 0 || running) return; // a real draw first; pump() calls back when done
    // Idle time left for a task (the browser's hint); most take a few ms once ECharts is warm.
    if (deadline && !deadline.didTimeout && deadline.timeRemaining() < 10) {
      scheduleWarmUp();
      return;
    }
    const task = warmUp.tasks.shift();
    try {
      task?.();
    } catch {
      disposeWarmUp(); // only an optimisation
      return;
    }
    scheduleWarmUp();
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 500 });
  else setTimeout(run, 20);
}

function disposeWarmUp() {
  if (!warmUp) return;
  warmUp.chart?.dispose();
  warmUp.container?.remove();
  warmUp.tasks = [];
  warmUp.chart = null;
  warmUp.container = null;
}
