// @ts-check
/**
 * The R×F score grid: a 5×5 heatmap of customers (colour and first label line) and their revenue
 * (second line) per cell, with the named segments each cell feeds. Pure (no DOM).
 */
import { escapeHtml, formatCompact, formatInteger, formatMoney, formatPercent } from '../format.js';
import { sequentialColor, textOn } from './palette.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {{r: number, f: number, customers: number, revenue: number, segments: number[]}} GridCell
 *   segments: customers per segment index (index names.length = "Others")
 */

/**
 * Customers, revenue and segment mix per R×F cell (M is summed over).
 * @param {{r: Uint8Array, f: Uint8Array, segment: Int32Array}} scores
 * @param {ArrayLike<number>} monetary
 * @param {number} nRules
 * @returns {GridCell[]}  25 cells, R 1..5 × F 1..5, row-major by R
 */
export function rfmGridCells({ r, f, segment }, monetary, nRules) {
  /** @type {GridCell[]} */
  const cells = [];
  for (let R = 1; R <= 5; R++) {
    for (let F = 1; F <= 5; F++) cells.push({ r: R, f: F, customers: 0, revenue: 0, segments: new Array(nRules + 1).fill(0) });
  }
  for (let i = 0; i < r.length; i++) {
    const cell = cells[(r[i] - 1) * 5 + (f[i] - 1)];
    if (!cell) continue;
    cell.customers++;
    cell.revenue += monetary[i];
    const s = segment[i] >= 0 && segment[i] < nRules ? segment[i] : nRules;
    cell.segments[s]++;
  }
  return cells;
}

/**
 * @param {{cells: GridCell[], names: string[], fLabel: string}} data
 *   names: segment names, "Others" last; fLabel: the feature behind F (e.g. "orders")
 * @param {import('./palette.js').Theme} theme
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function rfmGridOption({ cells, names, fLabel }, theme) {
  const colors = CHART_THEMES[theme];
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const totalCustomers = cells.reduce((t, c) => t + c.customers, 0);
  const totalRevenue = cells.reduce((t, c) => t + c.revenue, 0);
  const axis = {
    type: 'category',
    data: ['1', '2', '3', '4', '5'],
    nameLocation: 'middle',
    nameTextStyle: { color: colors.muted, fontSize: 12 },
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: { color: colors.text, fontSize: 12, fontWeight: 600 },
    splitArea: { show: false },
  };
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: { top: 8, left: 44, right: 8, bottom: 44 },
    xAxis: { ...axis, name: `F score (${fLabel}) →`, nameGap: 26 },
    yAxis: { ...axis, name: 'R score (recent = 5) →', nameGap: 26 },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: colors.tooltipBackground,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 13 },
      formatter: (/** @type {{dataIndex: number}} */ p) => gridTooltipHtml(cells[p.dataIndex], names, totalCustomers, totalRevenue),
    },
    series: [
      {
        type: 'heatmap',
        data: cells.map((c) => {
          const color = sequentialColor(c.customers / max, theme);
          return {
            value: [c.f - 1, c.r - 1, c.customers],
            itemStyle: { color, borderColor: colors.background, borderWidth: 2, borderRadius: 3 },
            label: {
              color: textOn(color),
              formatter: c.customers > 0 ? `${formatInteger(c.customers)}\n${formatCompact(c.revenue)}` : '',
            },
          };
        }),
        label: { show: true, fontSize: 12, lineHeight: 16 },
        emphasis: { itemStyle: { borderColor: colors.text, borderWidth: 2 } },
      },
    ],
  };
}

/**
 * @param {GridCell} cell
 * @param {string[]} names  segment names, "Others" last
 * @param {number} totalCustomers
 * @param {number} totalRevenue
 */
export function gridTooltipHtml(cell, names, totalCustomers, totalRevenue) {
  const mix = cell.segments
    .map((n, i) => ({ n, name: names[i] ?? 'Others' }))
    .filter((s) => s.n > 0)
    .sort((a, b) => b.n - a.n)
    .map((s) => `${escapeHtml(s.name)}: ${escapeHtml(formatInteger(s.n))}`);
  return [
    `<strong>R ${cell.r} · F ${cell.f}</strong>`,
    `${escapeHtml(formatInteger(cell.customers))} customers (${escapeHtml(formatPercent(totalCustomers ? cell.customers / totalCustomers : 0))} of all)`,
    `Revenue ${escapeHtml(formatMoney(cell.revenue))} (${escapeHtml(formatPercent(totalRevenue ? cell.revenue / totalRevenue : 0))})`,
    ...(mix.length ? [`Segments: ${mix.join(', ')}`] : []),
  ].join('<br>');
}
