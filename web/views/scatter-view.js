// @ts-check
/**
 * The customers scatter chart. ECharts is fetched when a file starts loading (in parallel with
 * the read), and the chart is drawn from the newest state once it is there.
 */
import { countNonPositive, plotTop, scatterChartOption } from '../charts/scatter-chart.js';
import { plural } from '../format.js';
import { currentClustering, matchesCustomers, stylesOf } from '../state.js';
import { byId } from './dom.js';

/**
 * The labels the Segments step shows: the clustering's, or (before it exists) the K-Means ones.
 * @param {import('../state.js').AppState} state
 * @returns {Int32Array | null}
 */
export function shownLabels(state) {
  const clustering = currentClustering(state);
  if (clustering) return clustering.labels;
  return state.segmentation && matchesCustomers(state.segmentation.labels, state) ? state.segmentation.labels : null;
}

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
    const { customers, summary } = state;
    const labels = shownLabels(state);
    if (!labels || !customers || !summary) return;
    chart ??= echarts.init(container, null, { renderer: 'canvas' });
    const styles = stylesOf(state);
    drawnK = styles.length;
    chart.setOption(
      scatterChartOption({ ...customers, labels, k: drawnK, asOf: summary.asOf }, state.theme, container.clientWidth, styles),
      { notMerge: true },
    );
    const hidden = countNonPositive(customers.monetary);
    note.textContent =
      hidden > 0
        ? `Bigger dots: more orders. ${plural(hidden, 'customer', 'customers')} with no positive spend not shown on the log scale.`
        : 'Bigger dots: more orders. Hover a dot for the customer.';
  }

  /** @type {{labels: unknown, styles: unknown} | null} what the chart shows */
  let drawn = null;

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    container.classList.toggle('is-stale', state.clusterBusy);
    if (state.phase === 'loading') runtime ??= import('./echarts-runtime.js');
    const labels = shownLabels(state);
    if (state.phase !== 'ready' || !labels) return;
    // Drawn when the step is shown (a hidden chart has no size), and only with its own customers.
    if (state.step !== 'segments') return;
    const styles = stylesOf(state);
    if (drawn && drawn.labels === labels && drawn.styles === styles) return;
    drawn = { labels, styles };
    draw(state).catch((err) => {
      note.textContent = `The chart could not be drawn (${err instanceof Error ? err.message : err}); the table below has the segments.`;
    });
  };
}
