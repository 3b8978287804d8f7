// @ts-check
/**
 * An ECharts instance in a container: ECharts is loaded on first use, the newest option wins when
 * several arrive while it loads or waits, and the chart follows the container's size.
 *
 * Every chart of the page draws through one queue (web/ui/chart-queue.js), in small steps of a
 * task each: build the option, create the chart (or size it), set the option (ECharts' model
 * only: `lazyUpdate`), lay it out and render it (`resize()` runs the pending update), and paint
 * it (ECharts' next animation frames). So opening a step with six charts is some twenty short
 * tasks, not one long one; charts on screen go first. A container gets `data-chart="drawn"` once
 * its newest option is painted (`"drawing"` while one waits or is built, `"rendered"` while its
 * frames are painted); the body's `data-charts` says whether any chart waits ("busy") or not
 * ("idle").
 */

import { enqueue, loadRuntime, measure } from './chart-queue.js';

/**
 * Starts loading ECharts and warming it up (while a file is read, so the charts neither wait for
 * it nor pay its first-use costs later).
 */
export function preloadCharts() {
  return loadRuntime();
}

/**
 * Whether a chart was laid out for another size than its container's now.
 * @param {import('echarts/core').ECharts} chart
 * @param {HTMLElement} container
 */
export function sizeChanged(chart, container) {
  return chart.getWidth() !== container.clientWidth || chart.getHeight() !== container.clientHeight;
}

/**
 * Sets an option's model only: ECharts' lazy update, with the chart's animation loop held until
 * flushPendingUpdate (else the next frame would lay out, render and paint it all in one task).
 * @param {import('echarts/core').ECharts} chart
 * @param {import('echarts/core').EChartsCoreOption} option
 */
function setModel(chart, option) {
  chart.setOption(option, { notMerge: true, lazyUpdate: true });
  /** @type {any} */ (chart).getZr().animation.stop();
}

/**
 * Runs ECharts' pending lazy update now (resize() does it: ECharts documents setOption with
 * lazyUpdate followed by resize()) and lets the animation loop run again: the paint follows in
 * the next frame, a task of its own.
 * @param {import('echarts/core').ECharts} chart
 */
function flushPendingUpdate(chart) {
  const zr = /** @type {any} */ (chart).getZr();
  if (/** @type {any} */ (chart).__pendingUpdate) chart.resize();
  zr.wakeUp();
}

/**
 * @param {HTMLElement} container
 * @param {{onResize?: (width: number) => import('echarts/core').EChartsCoreOption | null}} [options]
 *        onResize: an option to merge after a resize (e.g. labels that need the new width)
 */
export function createChartHost(container, { onResize } = {}) {
  /** @type {import('echarts/core').ECharts | null} */
  let chart = null;
  let lastWidth = container.clientWidth;
  /** Bumped by every draw and clear: the steps of an older one stop. */
  let version = 0;
  const name = `chart ${container.id}`;

  new ResizeObserver(() => {
    // A hidden step has no size; a chart drawn at its present size needs no second full draw.
    if (!chart || container.clientWidth === 0 || !sizeChanged(chart, container)) return;
    const at = version;
    enqueue(container, `${name} resize`, [
      () => {
        if (at !== version || !chart || container.clientWidth === 0 || !sizeChanged(chart, container)) return false;
        chart.resize();
        return true;
      },
      () => {
        if (at !== version || !chart || !onResize || container.clientWidth === lastWidth) return false;
        lastWidth = container.clientWidth;
        const patch = onResize(lastWidth);
        if (patch) chart.setOption(patch);
        return true;
      },
    ]).catch(() => {});
  }).observe(container);

  return {
    /**
     * Draws an option (built once ECharts is there, from the newest call). Resolves once it is
     * painted, or replaced by a newer draw.
     * @param {() => import('echarts/core').EChartsCoreOption} build
     */
    async draw(build) {
      const at = ++version;
      container.dataset.chart = 'drawing';
      const { echarts } = await loadRuntime();
      if (at !== version) return;
      /** @type {import('echarts/core').EChartsCoreOption | null} */
      let option = null;
      const current = () => at === version;
      const drawn = await enqueue(container, name, [
        () => {
          if (!current()) return false;
          option = build(); // first: it may set the container's height
          return true;
        },
        () => {
          if (!current()) return false;
          if (!chart) {
            // Creating the chart reads the container's size (a layout) and adds the tooltip's box.
            chart = echarts.init(container, null, { renderer: 'canvas' });
            chart.on('finished', () => {
              // Every frame painted (progressive series too): the newest option is on screen.
              if (container.dataset.chart === 'rendered') container.dataset.chart = 'drawn';
            });
          } else if (sizeChanged(chart, container)) {
            // Resized while hidden, or by build(): the old picture is of no use at the new size, and
            // resizing it would lay it out and render it once more for nothing.
            chart.clear();
            chart.resize();
          }
          return true;
        },
        () => {
          if (!current() || !chart || !option) return false;
          lastWidth = container.clientWidth;
          setModel(chart, option);
          option = null;
          return true;
        },
        () => {
          if (!current() || !chart) return false;
          container.dataset.chart = 'rendered'; // 'drawn' once ECharts reports every frame painted
          flushPendingUpdate(chart); // layout and render; painted in the next frames
          return true;
        },
      ]);
      if (!drawn && current()) delete container.dataset.chart;
    },
    clear() {
      version++;
      chart?.clear();
      /** @type {any} */ (chart)?.getZr().wakeUp(); // held by a draw that stopped between its steps
      delete container.dataset.chart;
    },
    get width() {
      return container.clientWidth;
    },
  };
}

export { measure };
