// @ts-check
/**
 * The 2-D map of the customers (PCA of the clustering features, or t-SNE when the analysis
 * module offers it), one series per segment in its colour and name. The tooltip names the
 * customer (escaped: ids are arbitrary text), its segment and its R, F and M. Pure (no DOM).
 */
import { escapeHtml, formatInteger, formatMoney, formatPercent } from '../format.js';
import { ANIMATION_LIMIT, FONT, axisStyle, progressiveFor, swatchHtml, tooltipStyle } from './common.js';
import { plotTop } from './scatter-chart.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {import('../model/segment-style.js').SegmentStyle} SegmentStyle
 * @typedef {{
 *   coords: Float64Array, explainedVarianceRatio?: ArrayLike<number>, method: string,
 *   ids: string[], labels: Int32Array, recency: ArrayLike<number>, frequency: ArrayLike<number>,
 *   monetary: ArrayLike<number>
 * }} EmbeddingData
 * One point: [x, y, customer index].
 * @typedef {[number, number, number]} MapPoint
 */

/**
 * Axis names: the component and the share of variance it keeps (PCA), or plain t-SNE axes.
 * @param {string} method
 * @param {ArrayLike<number> | undefined} ratio
 * @returns {[string, string]}
 */
export function embeddingAxisNames(method, ratio) {
  if (method !== 'pca' || !ratio) return ['t-SNE 1 (no unit: only neighbourhoods matter)', 't-SNE 2'];
  /** @param {number} i */
  const name = (i) => `PC${i + 1} (${Number.isFinite(ratio[i]) ? formatPercent(ratio[i]) : '—'} of the variance)`;
  return [name(0), name(1)];
}

/**
 * @param {EmbeddingData} data
 * @param {SegmentStyle[]} styles
 * @param {import('./palette.js').Theme} theme
 * @param {number} width
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function embeddingOption(data, styles, theme, width) {
  const colors = CHART_THEMES[theme];
  const { coords, labels } = data;
  const k = styles.length;
  /** @type {MapPoint[][]} */
  const points = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const s = labels[i];
    if (s >= 0 && s < k) points[s].push([coords[2 * i], coords[2 * i + 1], i]);
  }
  const n = labels.length;
  // Many points: each series is one canvas path (ECharts "large" mode, hover still finds the
  // customer) instead of one element per customer, which kept the main thread busy for long.
  const many = n > ANIMATION_LIMIT;
  const [xName, yName] = embeddingAxisNames(data.method, data.explainedVarianceRatio);
  const axis = axisStyle(theme);
  return {
    backgroundColor: 'transparent',
    animation: !many,
    textStyle: { fontFamily: FONT },
    color: styles.map((s) => s.color),
    legend: { top: 0, left: 'center', itemGap: 16, itemWidth: 12, itemHeight: 12, textStyle: { color: colors.text } },
    grid: { top: plotTop(k, width) + 10, left: 56, right: 20, bottom: 52 },
    xAxis: { ...axis, type: 'value', name: xName, nameGap: 30, scale: true, splitLine: { show: false } },
    yAxis: { ...axis, type: 'value', name: yName, nameGap: 36, scale: true },
    tooltip: tooltipStyle(theme, {
      trigger: 'item',
      formatter: (/** @type {{data: MapPoint, seriesIndex: number}} */ p) => embeddingTooltipHtml(data, styles[p.seriesIndex], p.data[2]),
    }),
    series: points.map((list, s) => ({
      name: styles[s].name,
      type: 'scatter',
      data: list,
      large: many && list.length > 0, // ECharts' progressive painter fails on an empty large series
      largeThreshold: 0,
      // and, with many points, drawn over several frames, PROGRESSIVE_CHUNK points each
      ...progressiveFor(n),
      symbol: styles[s].shape,
      symbolSize: n > 20000 ? 3 : n > 5000 ? 4 : 6,
      itemStyle: { opacity: theme === 'dark' ? 0.8 : 0.7 },
      emphasis: { focus: 'series', itemStyle: { opacity: 1, borderColor: colors.text } },
    })),
  };
}

/**
 * @param {Pick<EmbeddingData, 'ids' | 'recency' | 'frequency' | 'monetary'>} data
 * @param {SegmentStyle} style
 * @param {number} i  customer index
 */
export function embeddingTooltipHtml(data, style, i) {
  const orders = data.frequency[i];
  return [
    `<strong>Customer ${escapeHtml(data.ids[i])}</strong>`,
    `${swatchHtml(style.color)}${escapeHtml(style.name)}`,
    `R: ${escapeHtml(formatInteger(data.recency[i]))} days since last purchase`,
    `F: ${escapeHtml(formatInteger(orders))} ${orders === 1 ? 'order' : 'orders'}`,
    `M: ${escapeHtml(formatMoney(data.monetary[i]))} total spend`,
  ].join('<br>');
}

/**
 * What the two PCA axes are made of, in words: the features with the largest loadings.
 * @param {ArrayLike<number>} loadings  d × 2 row-major
 * @param {string[]} features
 * @param {(name: string) => string} label
 */
export function loadingsNote(loadings, features, label) {
  /** @param {number} c */
  const top = (c) =>
    features
      .map((f, j) => ({ f, w: loadings[j * 2 + c] }))
      .filter((x) => Number.isFinite(x.w))
      .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
      .slice(0, 3)
      .map((x) => `${label(x.f).toLowerCase()} ${x.w >= 0 ? '+' : '−'}${Math.abs(x.w).toFixed(2)}`)
      .join(', ');
  return features.length >= 2 ? `PC1: ${top(0)}. PC2: ${top(1)}.` : '';
}
