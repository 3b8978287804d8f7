// @ts-check
/**
 * Dendrogram of a hierarchical clustering (layout from model/dendrogram.js, SciPy's): merges as
 * ⊓ shapes, coloured by segment below the cut, neutral above it, and the cut as a dashed line.
 * Leaves are customers (their id) or, when truncated, clusters shown with their size "(n)".
 * Pure (no DOM).
 */
import { escapeHtml, formatInteger } from '../format.js';
import { FONT, axisStyle, tooltipStyle } from './common.js';
import { CHART_THEMES } from './theme.js';

/**
 * @param {import('../model/dendrogram.js').Dendrogram} tree
 * @param {import('../model/segment-style.js').SegmentStyle[]} styles
 * @param {string[]} ids  customer ids (labels of single-customer leaves)
 * @param {import('./palette.js').Theme} theme
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function dendrogramOption(tree, styles, ids, theme) {
  const colors = CHART_THEMES[theme];
  const axis = axisStyle(theme);
  const neutral = colors.muted;
  const cutColor = theme === 'dark' ? '#fdb863' : '#b35806';
  /** One line series per colour; a null between ⊓ shapes breaks the line. */
  /** @type {Map<number, (number[] | null)[]>} */
  const byColour = new Map();
  for (const link of tree.links) {
    const list = byColour.get(link.segment) ?? [];
    for (let j = 0; j < 4; j++) list.push([link.x[j], link.y[j]]);
    list.push(null);
    byColour.set(link.segment, list);
  }
  const leafLabel = (/** @type {import('../model/dendrogram.js').DendrogramLeaf} */ leaf) =>
    leaf.customer === null ? `(${formatInteger(leaf.size)})` : String(ids[leaf.customer] ?? leaf.customer);
  const labels = new Map(tree.leaves.map((leaf) => [leaf.x, leaf]));
  const segments = [...byColour.keys()].sort((a, b) => a - b);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: { top: 16, left: 56, right: 20, bottom: 72 },
    xAxis: {
      ...axis,
      type: 'value',
      min: 0,
      max: tree.leaves.length * 10,
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: {
        ...axis.axisLabel,
        rotate: 90,
        fontSize: 10,
        customValues: tree.leaves.map((l) => l.x),
        formatter: (/** @type {number} */ x) => {
          const leaf = labels.get(x);
          return leaf ? leafLabel(leaf) : '';
        },
      },
    },
    yAxis: { ...axis, type: 'value', min: 0, name: 'Merge distance', nameGap: 40 },
    tooltip: tooltipStyle(theme, {
      trigger: 'item',
      formatter: (/** @type {{seriesIndex: number}} */ p) => {
        const segment = segments[p.seriesIndex];
        if (segment === undefined) return `The cut into ${styles.length} segments`;
        return segment < 0
          ? 'Merges above the cut: they join different segments.'
          : `<strong>${escapeHtml(styles[segment]?.name ?? '')}</strong><br>Merges inside this segment.`;
      },
    }),
    series: [
      ...segments.map((segment) => ({
        name: segment < 0 ? 'Above the cut' : styles[segment]?.name,
        type: 'line',
        data: byColour.get(segment),
        connectNulls: false,
        showSymbol: false,
        lineStyle: { width: 1.4, color: segment < 0 ? neutral : styles[segment]?.color },
        itemStyle: { color: segment < 0 ? neutral : styles[segment]?.color },
      })),
      ...(tree.cut !== null
        ? [
            {
              name: 'Cut',
              type: 'line',
              data: [
                [0, tree.cut],
                [tree.leaves.length * 10, tree.cut],
              ],
              showSymbol: false,
              lineStyle: { type: 'dashed', color: cutColor, width: 1.2 },
              endLabel: { show: true, formatter: `cut: ${styles.length} segments`, color: cutColor, fontSize: 11, offset: [-110, -10] },
            },
          ]
        : []),
    ],
  };
}
