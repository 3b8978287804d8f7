// @ts-check
/**
 * The customers scatter chart. ECharts is fetched when a file starts loading (in parallel with
 * the read), and the chart is drawn from the newest state once it is there (through the page's
 * chart queue, in short tasks: web/ui/chart-host.js).
 */
import { countNonPositive, plotTop, scatterChartOption } from '../charts/scatter-chart.js';
import { plural } from '../format.js';
import { currentResult, currentClustering, stylesOf } from '../state.js';
import { createChartHost, preloadCharts } from '../ui/chart-host.js';
import { byId } from '../ui/dom.js';

/**
 * The labels the Segments step shows: the clustering's, or (before it exists) the K-Means ones.
 * @param {import('../state.js').AppState} state
 * @returns {Int32Array | null}
 */
export function shownLabels(state) {
  const clustering = currentClustering(state);
  if (clustering) return clustering.labels;
  return currentResult(state, 'segment')?.labels ?? null;
}

export function createScatterView() {
  const container = byId('scatter-chart');
  const note = byId('chart-note');
  /** Segments in the drawn chart (0 before the first draw). */
  let drawnK = 0;
  const chart = createChartHost(container, { onResize: (width) => ({ grid: { top: plotTop(drawnK, width) } }) });

  /** @param {import('../state.js').AppState} state @param {Int32Array} labels */
  function draw(state, labels) {
    if (!state.analysis.value) return;
    const { customers, summary } = state.analysis.value;
    const styles = stylesOf(state);
    const hidden = countNonPositive(customers.monetary);
    note.textContent =
      hidden > 0
        ? `Bigger dots: more orders. ${plural(hidden, 'customer', 'customers')} with no positive spend not shown on the log scale.`
        : 'Bigger dots: more orders. Hover a dot for the customer.';
    chart
      .draw(() => {
        drawnK = styles.length;
        return scatterChartOption({ ...customers, labels, k: drawnK, asOf: summary.asOf }, state.theme, container.clientWidth, styles);
      })
      .catch((err) => {
        note.textContent = `The chart could not be drawn (${err instanceof Error ? err.message : err}); the table below has the segments.`;
      });
  }

  /** @type {{labels: unknown, styles: unknown, theme: unknown} | null} what the chart shows */
  let drawn = null;

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    container.classList.toggle('is-stale', state.cluster.busy);
    if (state.phase === 'loading') preloadCharts().catch(() => {});
    const labels = shownLabels(state);
    if (state.phase !== 'ready' || !labels) return;
    // Drawn when the step is shown (a hidden chart has no size), and only with its own customers.
    if (state.step !== 'segments') return;
    const styles = stylesOf(state);
    if (drawn && drawn.labels === labels && drawn.styles === styles && drawn.theme === state.theme) return;
    drawn = { labels, styles, theme: state.theme };
    draw(state, labels);
  };
}
