// @ts-check
/**
 * The k sweep: four small charts over k = 2…10 for the chosen algorithm and features — the
 * objective (look for the elbow), the mean silhouette, the Davies–Bouldin index, and BIC for
 * Gaussian mixtures (Calinski–Harabasz for the others) — with the suggested k marked on each and
 * named in the title of the panel whose criterion chose it (the core's suggest_k: the silhouette,
 * or a mixture's BIC). A mixture's ks with a collapsed component have no BIC point: their drop is
 * an artefact of the collapse, not a better fit. Pure (no DOM).
 */
import { escapeHtml, formatInteger } from '../format.js';
import { FONT, axisStyle, tooltipStyle } from './common.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {import('../model/k-sweep.js').SweepResult} SweepResult
 * @typedef {import('../model/cluster-settings.js').Algorithm} Algorithm
 * @typedef {{key: keyof SweepResult, title: string, better: 'lower' | 'higher' | 'elbow', definition: string}} Panel
 */

/** @param {Algorithm} algorithm */
function objectiveDefinition(algorithm) {
  switch (algorithm) {
    case 'kmeans':
      return 'Inertia: sum of squared distances from each customer to its segment centre. It always falls as k grows; look for the bend (the elbow) after which it falls slowly.';
    case 'kmedoids':
      return 'Sum of distances from each customer to its segment’s medoid. It falls as k grows; look for the elbow.';
    case 'gmm':
      return 'Negative log-likelihood of the mixture (× customers). Lower fits better, but more segments always fit better: use BIC to compare k.';
    default:
      return 'Within-segment sum of squares of the tree cut into k segments. It falls as k grows; look for the elbow.';
  }
}

/**
 * The four panels for an algorithm.
 * @param {Algorithm} algorithm
 * @returns {Panel[]}
 */
export function sweepPanels(algorithm) {
  return [
    {
      key: algorithm === 'kmeans' ? 'inertia' : 'objective',
      title: algorithm === 'gmm' ? '−Log-likelihood' : 'Elbow: objective',
      better: 'elbow',
      definition: objectiveDefinition(algorithm),
    },
    {
      key: 'silhouette',
      title: 'Silhouette (higher is better)',
      better: 'higher',
      definition: 'Silhouette: how well each customer fits its segment compared with the next-closest one, −1 to 1, averaged over customers.',
    },
    {
      key: 'daviesBouldin',
      title: 'Davies–Bouldin (lower is better)',
      better: 'lower',
      definition: 'Davies–Bouldin index: the average, over segments, of the worst ratio of spread to separation with another segment. 0 is ideal.',
    },
    algorithm === 'gmm'
      ? {
          key: 'bic',
          title: 'BIC (lower is better)',
          better: 'lower',
          definition:
            'Bayesian information criterion: fit of the mixture penalised by its number of parameters. The lowest BIC is the k the data supports best.',
        }
      : {
          key: 'calinskiHarabasz',
          title: 'Calinski–Harabasz (higher is better)',
          better: 'higher',
          definition: 'Calinski–Harabasz index: between-segment dispersion over within-segment dispersion, scaled by the degrees of freedom.',
        },
  ];
}

/** Chart height for a width (two columns of panels from 620 px). @param {number} width */
export const sweepChartHeight = (width) => (width >= 620 ? 460 : 4 * 190);

/**
 * @param {SweepResult} sweep
 * @param {Algorithm} algorithm
 * @param {import('./palette.js').Theme} theme
 * @param {number} width
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function kSweepOption(sweep, algorithm, theme, width) {
  const colors = CHART_THEMES[theme];
  const panels = sweepPanels(algorithm);
  const suggestion = sweep.suggestion && sweep.suggestion.k > 0 ? sweep.suggestion : null;
  const chosenBy = suggestion ? (suggestion.criterion === 'silhouette' ? 'silhouette' : 'bic') : null;
  const ks = Array.from(sweep.k);
  const collapsed = Array.from(sweep.collapsed ?? []).map((c) => c > 0);
  const leftOut = collapsed.filter(Boolean).length;
  const twoColumns = width >= 620;
  const height = sweepChartHeight(width);
  const rows = twoColumns ? 2 : 4;
  const rowHeight = height / rows;
  const accent = theme === 'dark' ? '#5aa6ee' : '#0b63b5';
  const mark = theme === 'dark' ? '#fdb863' : '#b35806';
  const axis = axisStyle(theme);
  const grids = panels.map((_, i) => {
    const col = twoColumns ? i % 2 : 0;
    const row = twoColumns ? Math.floor(i / 2) : i;
    return twoColumns
      ? { left: `${col * 50 + 7}%`, width: '40%', top: row * rowHeight + 34, height: rowHeight - 76 }
      : { left: 56, right: 16, top: row * rowHeight + 34, height: rowHeight - 72 };
  });
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    title: panels.map((p, i) => ({
      text:
        (p.key === chosenBy && suggestion ? `${p.title} · suggested k = ${suggestion.k}` : p.title) +
        (p.key === 'bic' && leftOut > 0 ? ` · ${leftOut} k${leftOut === 1 ? '' : 's'} collapsed` : ''),
      left: twoColumns ? `${(i % 2) * 50 + 7}%` : 56,
      top: (twoColumns ? Math.floor(i / 2) : i) * rowHeight + 4,
      textStyle: { color: colors.text, fontSize: 13, fontWeight: 600 },
    })),
    grid: grids,
    xAxis: panels.map((_, i) => ({
      ...axis,
      type: 'category',
      gridIndex: i,
      data: ks.map(String),
      name: 'k (segments)',
      nameGap: 24,
      boundaryGap: false,
      axisLabel: { ...axis.axisLabel, interval: 0 },
    })),
    yAxis: panels.map((p, i) => ({
      ...axis,
      type: 'value',
      gridIndex: i,
      scale: true,
      splitNumber: 3,
      axisLine: { show: false },
      axisLabel: {
        ...axis.axisLabel,
        formatter: (/** @type {number} */ v) => (Math.abs(v) >= 1000 ? formatInteger(v) : String(Number(v.toPrecision(3)))),
      },
    })),
    tooltip: tooltipStyle(theme, {
      trigger: 'axis',
      formatter: (/** @type {{dataIndex: number}[]} */ params) => sweepTooltipHtml(sweep, algorithm, params[0]?.dataIndex ?? 0),
    }),
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    series: panels.map((p, i) => {
      // A mixture's BIC and likelihood at a collapsed fit are not plotted (no comparable value).
      const hides = algorithm === 'gmm' && (p.key === 'bic' || p.key === 'objective');
      const values = Array.from(/** @type {ArrayLike<number>} */ (sweep[p.key])).map((v, j) => (Number.isFinite(v) && !(hides && collapsed[j]) ? v : null));
      return {
        name: p.title,
        type: 'line',
        xAxisIndex: i,
        yAxisIndex: i,
        data: values.map((v, j) =>
          suggestion && ks[j] === suggestion.k ? { value: v, symbolSize: 11, itemStyle: { color: mark, borderColor: colors.background, borderWidth: 1.5 } } : v,
        ),
        symbol: 'circle',
        symbolSize: 7,
        lineStyle: { color: accent, width: 2 },
        itemStyle: { color: accent },
        markLine: suggestion
          ? {
              silent: true,
              symbol: 'none',
              label: { show: false },
              lineStyle: { color: mark, type: 'dashed', width: 1.5 },
              data: [{ xAxis: String(suggestion.k) }],
            }
          : undefined,
      };
    }),
  };
}

/**
 * @param {SweepResult} sweep
 * @param {Algorithm} algorithm
 * @param {number} index  position in sweep.k
 */
export function sweepTooltipHtml(sweep, algorithm, index) {
  const suggestion = sweep.suggestion && sweep.suggestion.k > 0 ? sweep.suggestion : null;
  const collapsedHere = (sweep.collapsed?.[index] ?? 0) > 0;
  /** @param {number} v */
  const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? formatInteger(v) : v.toFixed(3)) : '—');
  const lines = [`<strong>k = ${escapeHtml(sweep.k[index])}</strong>`];
  for (const p of sweepPanels(algorithm)) {
    const hidden = algorithm === 'gmm' && collapsedHere && (p.key === 'bic' || p.key === 'objective');
    const value = hidden ? 'not comparable' : fmt(/** @type {ArrayLike<number>} */ (sweep[p.key])[index]);
    lines.push(`${escapeHtml(p.title.replace(/ \(.*\)$/, ''))}: ${escapeHtml(value)}`);
  }
  if (collapsedHere) {
    const n = sweep.collapsed[index];
    lines.push(
      `${escapeHtml(n)} component${n === 1 ? '' : 's'} collapsed onto customers who share one value (e.g. one order): the likelihood grows without bound there.`,
    );
  }
  if (suggestion) lines.push(`<em>Suggested k = ${escapeHtml(suggestion.k)}: ${escapeHtml(suggestion.reason)}</em>`);
  if (sweep.silhouetteSampled) lines.push('Silhouette on a sample of 5,000 customers.');
  return lines.join('<br>');
}
