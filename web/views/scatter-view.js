// @ts-check
/**
 * The customers scatter chart. ECharts is fetched when a file starts loading (in parallel with
 * the read), and the chart is drawn from the newest state once it is there.
 */
import { countNonPositive, plotTop, scatterChartOption } from '../charts/scatter-chart.js';
import { plural } from '../format.js';
import { currentClustering, matchesCustomers, stylesOf } from '../state.js';
import { preloadCharts, sizeChanged } from './chart-host.js';
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
  /** @type {import('echarts/core').ECharts | null} */
  let chart = null;
  /** @type {import('../state.js').AppState | null} the state to draw once ECharts is loaded */
  let pending = null;
  /** Segments in the drawn chart (0 before the first draw). */
  let drawnK = 0;
  new ResizeObserver(() => {
    // A hidden step has no size: redrawing its points there is wasted main-thread work.
    if (!chart || container.clientWidth === 0 || !sizeChanged(chart, container)) return;
    chart.resize();
    chart.setOption({ grid: { top: plotTop(drawnK, container.clientWidth) } });
  }).observe(container);

  /** @param {import('../state.js').AppState} state */
  async function draw(state) {
    pending = state;
    const { echarts } = await preloadCharts();
    // In a task of its own, apart from the other charts of the step.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (pending !== state) return; // a newer state is being drawn
    const { customers, summary } = state;
    const labels = shownLabels(state);
    if (!labels || !customers || !summary) return;
    const start = performance.now();
    if (!chart) chart = echarts.init(container, null, { renderer: 'canvas' });
    else if (sizeChanged(chart, container)) chart.resize();
    const styles = stylesOf(state);
    drawnK = styles.length;
    chart.setOption(
      scatterChartOption({ ...customers, labels, k: drawnK, asOf: summary.asOf }, state.theme, container.clientWidth, styles),
      { notMerge: true },
    );
    performance.measure(`chart ${container.id}`, { start });
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
    if (state.phase === 'loading') preloadCharts().catch(() => {});
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
