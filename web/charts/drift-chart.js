// @ts-check
/**
 * Drift of a project's segments: each segment's share of the customers when the project was
 * fitted (neutral bars) and now (the segment's colour), from the core's drift report
 * (cpp/core/model.h drift_json). Pure (no DOM).
 */
import { escapeHtml, formatInteger, formatPercent } from '../format.js';
import { FONT, axisStyle, swatchHtml, tooltipStyle } from './common.js';
import { CHART_THEMES } from './theme.js';

/**
 * @param {import('../model/project.js').DriftReport} drift
 * @param {import('../model/segment-style.js').SegmentStyle[]} styles
 * @param {import('./palette.js').Theme} theme
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function driftSizesOption(drift, styles, theme) {
  const colors = CHART_THEMES[theme];
  const axis = axisStyle(theme);
  const neutral = theme === 'dark' ? '#5a626d' : '#bbbbbb';
  const rows = drift.segments;
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: { top: 16, left: 56, right: 16, bottom: 40 },
    xAxis: {
      ...axis,
      type: 'category',
      data: rows.map((r, i) => styles[i]?.name ?? r.name),
      axisLabel: { ...axis.axisLabel, interval: 0, width: 90, overflow: 'truncate', color: colors.text },
    },
    yAxis: {
      ...axis,
      type: 'value',
      name: 'Share of customers',
      nameGap: 40,
      axisLabel: { ...axis.axisLabel, formatter: (/** @type {number} */ v) => formatPercent(v) },
    },
    tooltip: tooltipStyle(theme, {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (/** @type {{dataIndex: number}[]} */ params) => {
        const i = params[0]?.dataIndex ?? 0;
        const r = rows[i];
        const style = styles[i];
        return [
          `${swatchHtml(style?.color ?? neutral)}<strong>${escapeHtml(style?.name ?? r.name)}</strong>`,
          `Then: ${escapeHtml(formatInteger(r.customersThen))} customers (${escapeHtml(formatPercent(r.shareThen))})`,
          `Now: ${escapeHtml(formatInteger(r.customersNow))} customers (${escapeHtml(formatPercent(r.shareNow))})`,
        ].join('<br>');
      },
    }),
    series: [
      { name: 'Then', type: 'bar', data: rows.map((r) => r.shareThen), itemStyle: { color: neutral }, barGap: '10%' },
      {
        name: 'Now',
        type: 'bar',
        data: rows.map((r, i) => ({ value: r.shareNow, itemStyle: { color: styles[i]?.color } })),
      },
    ],
  };
}
