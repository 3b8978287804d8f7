// @ts-check
/**
 * Warms ECharts up while a file is read. The first chart of a kind costs far more than the next
 * (measured in Chromium: a first line chart 100 ms, the same chart again 7 ms): V8 compiles the
 * code paths on first use. Drawn for real after the read, those first draws were long tasks that
 * froze the page. Here the same paths run on a tiny off-screen chart, in idle time while the main
 * thread would otherwise wait for the worker (web/ui/chart-queue.js runs them: each entry in
 * two tasks, its option then its layout and paint, and never while a real chart waits). Each entry
 * adds one kind of work, so that no task compiles much at once.
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
 * `run`: a step of its own on ECharts' graphic layer (the first text: measured, then painted).
 * @type {{option?: Option, notMerge?: boolean, run?: (echarts: typeof import('echarts/core'), chart: any) => void}[]}
 */
export const WARMUP_STEPS = [
  { option: {} }, // the model and the update pipeline, with nothing to draw
  { run: (echarts) => void new echarts.graphic.Text({ style: { text: 'a', fontSize: 12 } }).getBoundingRect() },
  {
    run: (echarts, chart) => {
      const zr = chart.getZr();
      const text = new echarts.graphic.Text({ style: { text: 'a', fontSize: 12 } });
      zr.add(text);
      zr.flush();
      zr.remove(text);
    },
  },
  { option: { title: { text: 'a' } } }, // text measurement and the canvas: the first draw's own costs
  { option: { grid: AXES.grid, xAxis: AXES.xAxis, yAxis: { type: 'value' } } },
  { option: { yAxis: AXES.yAxis } }, // axis names
  { option: { tooltip: { trigger: 'item' } } },
  { option: { series: [{ name: 'a', type: 'line', data: POINTS, showSymbol: false }] } },
  { option: { legend: { data: ['a'] } } }, // after its series: a legend entry without one is a warning
  { option: { series: [{ name: 'a', type: 'line', data: POINTS, showSymbol: false, areaStyle: { opacity: 0.5 }, sampling: 'lttb' }] } },
  { option: { series: [{ name: 'a', type: 'line', data: POINTS, showSymbol: false, markLine: { symbol: 'none', data: [{ xAxis: 2 }] } }] } },
  { option: { series: [{ name: 'a', type: 'bar', data: POINTS }] } },
  { option: { series: [{ name: 'a', type: 'bar', data: POINTS, markArea: { data: [[{ xAxis: 1 }, { xAxis: 2 }]] } }] } },
  { option: { series: [{ name: 'a', type: 'scatter', data: POINTS, symbolSize: 6 }] } },
  { option: { yAxis: { type: 'log' } } },
  { option: { series: [{ name: 'a', type: 'scatter', data: POINTS, large: true, largeThreshold: 0, symbolSize: 4 }] } },
  {
    notMerge: true,
    option: {
      ...AXES,
      xAxis: { type: 'category', data: ['a', 'b'] },
      yAxis: { type: 'category', data: ['a', 'b'] },
      series: [
        {
          type: 'heatmap',
          data: [
            [0, 0, 1],
            [1, 1, 2],
          ],
        },
      ],
    },
  },
  {
    option: {
      series: [
        {
          type: 'heatmap',
          data: [
            [0, 0, 1],
            [1, 1, 2],
          ],
          label: { show: true },
        },
      ],
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
  {
    notMerge: true,
    option: {
      series: [
        {
          type: 'treemap',
          data: [
            { name: 'a', value: 3 },
            { name: 'b', value: 1 },
          ],
        },
      ],
    },
  },
  {
    option: {
      series: [
        {
          type: 'treemap',
          data: [
            { name: 'a', value: 3 },
            { name: 'b', value: 1 },
          ],
          label: { show: true },
        },
      ],
    },
  },
];
