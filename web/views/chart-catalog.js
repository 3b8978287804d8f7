// @ts-check
/**
 * Every chart the Export step can save as PNG (and the report can embed), built from the state
 * with the same option builders the steps draw with. `hide` leaves segments out (the report's
 * suppressed ones): only the aggregate charts support it; the report uses only those.
 */
import { dendrogramOption } from '../charts/dendrogram-chart.js';
import { embeddingOption } from '../charts/embedding-chart.js';
import { importanceColumns, importanceHeight, importanceOption } from '../charts/importance-chart.js';
import { kSweepOption, sweepChartHeight } from '../charts/k-sweep-chart.js';
import { scatterChartOption } from '../charts/scatter-chart.js';
import { silhouetteOption } from '../charts/silhouette-chart.js';
import { snakeOption } from '../charts/snake-chart.js';
import { whatIfOption } from '../charts/what-if-chart.js';
import { isHierarchical, mapKey, sweepKey } from '../model/cluster-settings.js';
import { dendrogramData } from '../model/dendrogram.js';
import { silhouettePlotData } from '../model/silhouette-plot.js';
import { snakePlotData } from '../model/snake-plot.js';
import { currentResult, currentClustering, stylesOf } from '../state.js';
import { whatIfResult } from './whatif-summary.js';

/**
 * @typedef {import('../charts/palette.js').Theme} Theme
 * @typedef {{
 *   id: string, title: string, file: string, aggregate: boolean, available: boolean, why: string,
 *   height: (width: number) => number,
 *   build: (theme: Theme, width: number, hide?: Set<number>) => import('echarts/core').EChartsCoreOption
 * }} ChartEntry
 *   aggregate: shows no individual customer (the report may embed it)
 */

/**
 * @param {import('../state.js').AppState} state
 * @returns {ChartEntry[]}
 */
export function chartCatalog(state) {
  const clustering = currentClustering(state);
  const customers = state.analysis.value?.customers;
  const styles = stylesOf(state);
  const none = !clustering || !customers;
  /** @param {Set<number> | undefined} hide */
  const keep = (hide) => styles.map((_, s) => !hide?.has(s));
  /** @param {number} w */
  const legendHeight = (w) => Math.round(w * 0.5) + Math.ceil(styles.length / Math.max(1, Math.floor((w - 20) / 112))) * 22;

  const embedding = currentResult(state, 'embed');
  const mapFresh = !!embedding && !!customers && state.embed.key === mapKey(state.clusterSettings, state.mapMethod);
  const sweep = state.sweep.value;
  const sweepFresh = !!sweep && state.sweep.key === sweepKey(state.clusterSettings);
  const whatIf = whatIfResult(state);
  const hierarchical = !!clustering?.linkage && isHierarchical(clustering.run.algorithm);

  return [
    {
      id: 'scatter',
      title: 'Customers by segment (recency × spend)',
      file: 'segments-scatter.png',
      aggregate: false,
      available: !none,
      why: 'No segments yet.',
      height: legendHeight,
      build: (theme, width) =>
        scatterChartOption(
          {
            .../** @type {NonNullable<typeof customers>} */ (customers),
            labels: /** @type {NonNullable<typeof clustering>} */ (clustering).labels,
            k: styles.length,
            asOf: state.analysis.value?.summary?.asOf ?? '',
          },
          theme,
          width,
          styles,
        ),
    },
    {
      id: 'map',
      title: embedding?.method === 'tsne' ? 'Customer map (t-SNE)' : 'Customer map (PCA)',
      file: 'segments-map.png',
      aggregate: false,
      available: !none && mapFresh,
      why: 'Open step 3 to compute the map for these settings.',
      height: legendHeight,
      build: (theme, width) => {
        const e = /** @type {NonNullable<typeof embedding>} */ (embedding);
        return embeddingOption(
          {
            .../** @type {NonNullable<typeof customers>} */ (customers),
            coords: e.coords,
            explainedVarianceRatio: e.explainedVarianceRatio,
            method: e.method,
            labels: /** @type {NonNullable<typeof clustering>} */ (clustering).labels,
          },
          styles,
          theme,
          width,
        );
      },
    },
    {
      id: 'silhouette',
      title: 'Silhouette plot',
      file: 'segments-silhouette.png',
      aggregate: false,
      available: !none && !!clustering?.silhouette,
      why: 'No silhouette for these segments.',
      height: () => 380,
      build: (theme, width) => {
        const c = /** @type {NonNullable<typeof clustering>} */ (clustering);
        const sil = /** @type {NonNullable<typeof c.silhouette>} */ (c.silhouette);
        const plot = silhouettePlotData(sil.values, sil.values.length === c.labels.length ? null : sil.rows, c.labels, styles.length);
        return silhouetteOption(plot, styles, theme, width);
      },
    },
    {
      id: 'dendrogram',
      title: 'Dendrogram',
      file: 'segments-dendrogram.png',
      aggregate: false,
      available: !none && hierarchical,
      why: 'Only for the hierarchical methods (Ward, average, complete, single).',
      height: () => 420,
      build: (theme) => {
        const c = /** @type {NonNullable<typeof clustering>} */ (clustering);
        return dendrogramOption(dendrogramData(/** @type {Float64Array} */ (c.linkage), c.labels, styles.length), styles, customers?.ids ?? [], theme);
      },
    },
    {
      id: 'sweep',
      title: 'How many segments? (k = 2–10)',
      file: 'segments-k-sweep.png',
      aggregate: true,
      available: sweepFresh,
      why: 'Run “Compare k” in step 3 first.',
      height: sweepChartHeight,
      build: (theme, width) => {
        const s = /** @type {NonNullable<typeof sweep>} */ (sweep);
        return kSweepOption(s, s.algorithm, theme, width);
      },
    },
    {
      id: 'snake',
      title: 'Snake plot',
      file: 'profiles-snake.png',
      aggregate: true,
      available: !none,
      why: 'No segments yet.',
      height: () => 400,
      build: (theme, width, hide) => {
        const c = /** @type {NonNullable<typeof clustering>} */ (clustering);
        const plot = snakePlotData(/** @type {NonNullable<typeof customers>} */ (customers).features, c.run.features, c.labels, styles.length, {
          log1p: c.run.log1p,
        });
        const shown = keep(hide);
        return snakeOption(
          { ...plot, means: plot.means.filter((_, s) => shown[s]), counts: plot.counts.filter((_, s) => shown[s]) },
          styles.filter((_, s) => shown[s]),
          theme,
          width,
          { log1p: c.run.log1p },
        );
      },
    },
    {
      id: 'importance',
      title: 'Relative importance',
      file: 'profiles-importance.png',
      aggregate: true,
      available: !none,
      why: 'No segments yet.',
      height: (width) =>
        importanceHeight(styles.length, clustering ? importanceColumns(clustering.profiles, clustering.profileFeatures).columns.length : 0, width) + 20,
      build: (theme, width, hide) => {
        const c = /** @type {NonNullable<typeof clustering>} */ (clustering);
        const shown = keep(hide);
        return importanceOption(
          c.profiles.filter((_, s) => shown[s]),
          c.profileFeatures,
          styles.filter((_, s) => shown[s]),
          theme,
          width,
        );
      },
    },
    {
      id: 'whatif',
      title: 'What-if: revenue before and after',
      file: 'what-if.png',
      aggregate: true,
      available: !!whatIf,
      why: 'No projection yet.',
      height: () => 380,
      build: (theme, _width, hide) => {
        const r = /** @type {NonNullable<typeof whatIf>} */ (whatIf);
        return whatIfOption({ ...r, rows: r.rows.filter((row) => !hide?.has(row.segment)) }, styles, theme);
      },
    },
  ];
}
