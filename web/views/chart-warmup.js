// @ts-check
/**
 * Warms ECharts up while a file is read. The first chart of a kind costs far more than the next
 * (measured in Chromium: a first line chart 100 ms, the same chart again 7 ms): V8 compiles the
 * code paths on first use. Drawn for real after the read, those first draws were long tasks that
 * froze the page. Here the same paths run on a tiny off-screen chart, one small step per task
 * (each well under 50 ms), while the main thread would otherwise wait for the worker.
 */

/** @typedef {import('echarts/core').EChartsCoreOption} Option */

const AXES = { grid: { top: 30, left: 40, right: 10, bottom: 30 }, xAxis: { type: 'value', name: 'x' }, yAxis: { type: 'value', name: 'y' } };
const POINTS = [
  [1, 1],
  [2, 3],
  [3, 2],
];

/**
 * The steps, in order: each merges into the previous option, so a step adds one kind of work.
 * Every series type and component the page's charts use appears once.
 * @type {{option: Option, notMerge?: boolean}[]}
 */
export const WARMUP_STEPS = [
  { option: { title: { text: 'a' } } }, // text measurement and the canvas: the first draw's own costs
  { option: AXES },
  { option: { legend: { data: ['a'] }, tooltip: { trigger: 'item' } } },
  { option: { series: [{ name: 'a', type: 'line', data: POINTS, showSymbol: false }] } },
  { option: { series: [{ name: 'a', type: 'line', data: POINTS, areaStyle: { opacity: 0.5 }, sampling: 'lttb', markLine: { symbol: 'none', data: [{ xAxis: 2 }] } }] } },
  { option: { series: [{ name: 'a', type: 'bar', data: POINTS, markArea: { data: [[{ xAxis: 1 }, { xAxis: 2 }]] } }] } },
  { option: { series: [{ name: 'a', type: 'scatter', data: POINTS, symbolSize: 6 }] } },
  { option: { yAxis: { type: 'log' }, series: [{ name: 'a', type: 'scatter', data: POINTS, large: true, largeThreshold: 0, symbolSize: 4 }] } },
  {
    notMerge: true,
    option: {
      ...AXES,
      xAxis: { type: 'category', data: ['a', 'b'] },
      yAxis: { type: 'category', data: ['a', 'b'] },
      series: [{ type: 'heatmap', data: [[0, 0, 1], [1, 1, 2]], label: { show: true } }],
    },
  },
  {
    notMerge: true,
    option: {
      ...AXES,
      series: [
        {
          type: 'custom',
          data: POINTS,
          renderItem: (/** @type {any} */ _params, /** @type {any} */ api) => {
            const [x, y] = api.coord([api.value(0), api.value(1)]);
            return { type: 'rect', shape: { x, y, width: 4, height: 4 }, style: { fill: '#888' } };
          },
        },
      ],
    },
  },
  { notMerge: true, option: { series: [{ type: 'treemap', data: [{ name: 'a', value: 3 }, { name: 'b', value: 1 }], label: { show: true } }] } },
];

/** @type {Promise<void> | null} */
let warming = null;

/**
 * Runs the warm-up once per page (later calls return the same promise).
 * @param {typeof import('echarts/core')} echarts
 * @param {(step: () => void) => Promise<void>} [schedule]  runs a step in a task of its own
 */
export function warmUpCharts(echarts, schedule = nextTask) {
  warming ??= (async () => {
    const container = document.createElement('div');
    container.setAttribute('aria-hidden', 'true');
    container.style.cssText = 'position:fixed;left:-10000px;top:0;width:480px;height:240px;visibility:hidden;pointer-events:none';
    document.body.append(container);
    /** @type {import('echarts/core').ECharts | null} */
    let chart = null;
    try {
      await schedule(() => {
        chart = echarts.init(container, null, { renderer: 'canvas' });
      });
      for (const [i, { option, notMerge }] of WARMUP_STEPS.entries()) {
        await schedule(() => {
          const start = performance.now();
          chart?.setOption(option, { notMerge: notMerge ?? false });
          performance.measure(`chart warm-up ${i}`, { start }); // bench/longtasks.mjs lists these
        });
      }
    } finally {
      await schedule(() => {
        /** @type {import('echarts/core').ECharts | null} */ (chart)?.dispose();
        container.remove();
      });
    }
  })();
  return warming;
}

/** @param {() => void} step */
function nextTask(step) {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        step();
        resolve();
      } catch (err) {
        reject(err);
      }
    }, 0);
  });
}
