// @ts-check
/**
 * An ECharts instance in a container: ECharts is loaded on first use, the newest option wins when
 * several arrive while it loads, and the chart follows the container's size.
 */

import { warmUpCharts } from './chart-warmup.js';

/** @type {Promise<typeof import('./echarts-runtime.js')> | null} */
let runtime = null;

/**
 * Starts loading ECharts and warming it up (while a file is read, so the charts neither wait for
 * it nor pay its first-use costs later).
 */
export function preloadCharts() {
  if (!runtime) {
    const start = performance.now();
    runtime = import('./echarts-runtime.js');
    runtime.then(() => performance.measure('chart library loaded', { start })).catch(() => {});
    runtime.then(({ echarts }) => warmUpCharts(echarts)).catch(() => {}); // only an optimisation
  }
  return runtime;
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
 * @param {HTMLElement} container
 * @param {{onResize?: (width: number) => import('echarts/core').EChartsCoreOption | null}} [options]
 *        onResize: an option to merge after a resize (e.g. labels that need the new width)
 */
export function createChartHost(container, { onResize } = {}) {
  /** @type {import('echarts/core').ECharts | null} */
  let chart = null;
  /** @type {(() => import('echarts/core').EChartsCoreOption) | null} */
  let pending = null;
  let lastWidth = container.clientWidth;

  new ResizeObserver(() => {
    // A hidden step has no size; a chart drawn at its present size needs no second full draw.
    if (!chart || container.clientWidth === 0 || !sizeChanged(chart, container)) return;
    chart.resize();
    if (onResize && container.clientWidth !== lastWidth) {
      lastWidth = container.clientWidth;
      const patch = onResize(lastWidth);
      if (patch) chart.setOption(patch);
    }
  }).observe(container);

  return {
    /**
     * Draws an option (built once ECharts is there, from the newest call).
     * @param {() => import('echarts/core').EChartsCoreOption} build
     */
    async draw(build) {
      pending = build;
      const { echarts } = await preloadCharts();
      // Each chart in a task of its own, so a step with several charts never blocks the page long.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (pending !== build) return;
      const start = performance.now();
      const option = build(); // first: it may set the container's height
      if (!chart) {
        chart = echarts.init(container, null, { renderer: 'canvas' });
      } else if (sizeChanged(chart, container)) {
        chart.resize(); // resized while hidden, or by build(); resizing after setOption would draw twice
      }
      lastWidth = container.clientWidth;
      chart.setOption(option, { notMerge: true });
      // A User Timing entry per draw: bench/longtasks.mjs reports the slowest charts.
      performance.measure(`chart ${container.id}`, { start });
    },
    clear() {
      pending = null;
      chart?.clear();
    },
    get width() {
      return container.clientWidth;
    },
  };
}
