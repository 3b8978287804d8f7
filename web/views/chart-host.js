// @ts-check
/**
 * An ECharts instance in a container: ECharts is loaded on first use, the newest option wins when
 * several arrive while it loads, and the chart follows the container's size.
 */

/** @type {Promise<typeof import('./echarts-runtime.js')> | null} */
let runtime = null;

/** Starts loading ECharts (while a file is read, so the charts do not wait for it later). */
export function preloadCharts() {
  runtime ??= import('./echarts-runtime.js');
  return runtime;
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
    if (!chart || container.clientWidth === 0) return;
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
      chart ??= echarts.init(container, null, { renderer: 'canvas' });
      lastWidth = container.clientWidth;
      chart.setOption(build(), { notMerge: true });
      chart.resize();
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
