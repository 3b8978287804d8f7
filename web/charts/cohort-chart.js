// @ts-check
/**
 * Monthly retention heatmap: one row per acquisition cohort (month of first purchase, with its
 * size), one column per month since then. Retention % (share of the cohort buying in month n),
 * active customers, or revenue. Pure (no DOM).
 */
import { escapeHtml, formatCompact, formatInteger, formatMoney, formatPercent } from '../format.js';
import { sequentialColor, textOn } from './palette.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {import('../export/csv-export.js').CohortMeasure} CohortMeasure
 * @typedef {{month: string, size: number, values: (number | null)[], active: number[], revenue: number[]}} CohortRow
 *   values: the measure per month since acquisition; null after the data ends
 */

/** "2011-01" + n months → "2011-04". @param {string} month @param {number} n */
export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/**
 * @param {import('../api/protocol.js').CohortsResult} cohorts
 * @param {CohortMeasure} measure
 * @returns {CohortRow[]}
 */
export function cohortRows({ months, active, revenue }, measure) {
  const width = months.length;
  return months.map((month, i) => {
    const size = active[i]?.[0] ?? 0;
    const values = Array.from({ length: width }, (_, n) => {
      if (n >= width - i) return null;
      if (measure === 'customers') return active[i][n];
      if (measure === 'revenue') return revenue[i][n];
      return size > 0 ? active[i][n] / size : null;
    });
    return { month, size, values, active: Array.from(active[i] ?? []), revenue: Array.from(revenue[i] ?? []) };
  });
}

/**
 * The value that gets the strongest colour: for retention and customers, the largest value after
 * month 0 (month 0 is the whole cohort by definition and would wash out the rest).
 * @param {CohortRow[]} rows
 * @param {CohortMeasure} measure
 */
export function colourMax(rows, measure) {
  let max = 0;
  for (const row of rows) {
    row.values.forEach((v, n) => {
      if (v === null || (n === 0 && measure !== 'revenue' && rows[0].values.length > 1)) return;
      if (v > max) max = v;
    });
  }
  return max > 0 ? max : 1;
}

/**
 * Average share of a cohort still buying n months after its first purchase, over the cohorts
 * that have reached month n (weighted by cohort size).
 * @param {import('../api/protocol.js').CohortsResult} cohorts
 * @param {number} n
 * @returns {number | null}
 */
export function meanRetention({ months, active }, n) {
  let kept = 0;
  let size = 0;
  months.forEach((_, i) => {
    if (n >= months.length - i) return;
    kept += active[i][n];
    size += active[i][0];
  });
  return size > 0 ? kept / size : null;
}

/** @param {number} v @param {CohortMeasure} measure */
function cellText(v, measure) {
  if (measure === 'retention') return `${Math.round(v * 100)}%`;
  if (measure === 'revenue') return formatCompact(v);
  return formatInteger(v);
}

const GRID = { top: 26, left: 118, right: 12, bottom: 46 };
/** Label cells only when they have room. */
const MIN_LABEL_WIDTH = 30;
export const ROW_HEIGHT = 26;

/** Chart height (px) for this many cohorts. @param {number} nRows */
export const cohortChartHeight = (nRows) => GRID.top + GRID.bottom + Math.max(1, nRows) * ROW_HEIGHT;

/**
 * @param {import('../api/protocol.js').CohortsResult} cohorts
 * @param {CohortMeasure} measure
 * @param {import('./palette.js').Theme} theme
 * @param {number} width  chart width (px): cell labels only when they fit
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function cohortOption(cohorts, measure, theme, width) {
  const colors = CHART_THEMES[theme];
  const rows = cohortRows(cohorts, measure);
  const max = colourMax(rows, measure);
  const nCols = cohorts.months.length;
  const cellWidth = (width - GRID.left - GRID.right) / Math.max(1, nCols);
  const showLabels = cellWidth >= MIN_LABEL_WIDTH;
  /** @type {object[]} */
  const data = [];
  rows.forEach((row, i) => {
    row.values.forEach((v, n) => {
      if (v === null) return;
      const color = sequentialColor(v / max, theme);
      data.push({
        value: [n, i, v],
        itemStyle: { color },
        label: { color: textOn(color), formatter: cellText(v, measure) },
      });
    });
  });
  const axisCommon = {
    type: 'category',
    axisLine: { show: false },
    axisTick: { show: false },
    nameTextStyle: { color: colors.muted, fontSize: 12 },
    axisLabel: { color: colors.muted, fontSize: 11 },
    splitArea: { show: false },
  };
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: GRID,
    xAxis: {
      ...axisCommon,
      data: cohorts.months.map((_, n) => String(n)),
      name: 'Months since first purchase',
      nameLocation: 'middle',
      nameGap: 26,
      position: 'bottom',
    },
    yAxis: {
      ...axisCommon,
      inverse: true,
      data: rows.map((r) => `${r.month} · ${formatInteger(r.size)}`),
      name: 'Cohort · customers',
      nameLocation: 'start',
      nameGap: 8,
      nameTextStyle: { color: colors.muted, fontSize: 11, align: 'right', padding: [0, 8, 0, 0] },
      axisLabel: { ...axisCommon.axisLabel, fontVariantNumeric: 'tabular-nums' },
    },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: colors.tooltipBackground,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 13 },
      formatter: (/** @type {{value: [number, number, number]}} */ p) => {
        const [n, i] = p.value;
        const row = rows[i];
        const activeN = row.active[n] ?? 0;
        return [
          `<strong>Cohort ${escapeHtml(row.month)}</strong> · ${escapeHtml(formatInteger(row.size))} new customers`,
          `Month ${n} (${escapeHtml(addMonths(row.month, n))})`,
          `${escapeHtml(formatInteger(activeN))} bought (${escapeHtml(formatPercent(row.size ? activeN / row.size : 0))} of the cohort)`,
          `Revenue ${escapeHtml(formatMoney(row.revenue[n] ?? 0))}`,
        ].join('<br>');
      },
    },
    series: [
      {
        type: 'heatmap',
        name: measure,
        data,
        label: { show: showLabels, fontSize: 11 },
        itemStyle: { borderColor: colors.background, borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: colors.text, borderWidth: 1 } },
      },
    ],
  };
}
