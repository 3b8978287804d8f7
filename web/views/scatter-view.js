// @ts-check
/**
 * The customers scatter chart. ECharts is fetched when a file starts loading (in parallel with
 * the read), and the chart is drawn from the newest state once it is there.
 */
import { countNonPositive, plotTop, scatterChartOption } from '../charts/scatter-chart.js';
import { plural } from '../format.js';
import { matchesCustomers } from '../state.js';
import { byId } from './dom.js';

export function createScatterView() {
  const container = byId('scatter-chart');
  const note = byId('chart-note');
  /** @type {Promise<typeof import('./echarts-runtime.js')> | null} */
  let runtime = null;
  /** @type {import('echarts/core').ECharts | null} */
  let chart = null;
  /** @type {import('../state.js').AppState | null} the state to draw once ECharts is loaded */
  let pending = null;
  /** Segments in the drawn chart (0 before the first draw). */
  let drawnK = 0;
  new ResizeObserver(() => {
    // A hidden step has no size: redrawing its points there is wasted main-thread work.
    if (!chart || container.clientWidth === 0) return;
    chart.setOption({ grid: { top: plotTop(drawnK, container.clientWidth) } });
    chart.resize();
  }).observe(container);

  /** @param {import('../state.js').AppState} state */
  async function draw(state) {
    pending = state;
    runtime ??= import('./echarts-runtime.js');
    const { echarts } = await runtime;
    if (pending !== state) return; // a newer state is being drawn
    const { segmentation, customers, summary } = state;
    if (!segmentation || !customers || !summary) return;
    chart ??= echarts.init(container, null, { renderer: 'canvas' });
    drawnK = segmentation.segments.length;
    chart.setOption(
      scatterChartOption(
        { ...customers, labels: segmentation.labels, k: drawnK, asOf: summary.asOf },
        state.theme,
        container.clientWidth,
      ),
      { notMerge: true },
    );
    const hidden = countNonPositive(customers.monetary);
    note.textContent =
      hidden > 0
        ? `Bigger dots: more orders. ${plural(hidden, 'customer', 'customers')} with no positive spend not shown on the log scale.`
        : 'Bigger dots: more orders. Hover a dot for the customer.';
  }

  /** @type {{segmentation: unknown, theme: string} | null} what the chart shows */
  let drawn = null;

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    container.classList.toggle('is-stale', state.segmenting);
    if (state.phase === 'loading') runtime ??= import('./echarts-runtime.js');
    if (state.phase !== 'ready' || !state.segmentation) return;
    // Drawn when the step is shown (a hidden chart has no size), and only with its own customers.
    if (state.step !== 'segments' || !matchesCustomers(state.segmentation.labels, state)) return;
    if (drawn && drawn.segmentation === state.segmentation && drawn.theme === state.theme) return;
    drawn = { segmentation: state.segmentation, theme: state.theme };
    draw(state).catch((err) => {
      note.textContent = `The chart could not be drawn (${err instanceof Error ? err.message : err}); the table below has the segments.`;
    });
  };
}
