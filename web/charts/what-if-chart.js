// @ts-check
/**
 * What-if bars: revenue before and after the projected change, per segment (model/what-if.js).
 * Before in a neutral colour, after in the segment's colour. Pure (no DOM).
 */
import { escapeHtml, formatCompact, formatMoney, formatPercent } from '../format.js';
import { FONT, axisStyle, swatchHtml, tooltipStyle } from './common.js';
import { CHART_THEMES } from './theme.js';

/**
 * @param {import('../model/what-if.js').WhatIfResult} result
 * @param {import('../model/segment-style.js').SegmentStyle[]} styles
 * @param {import('./palette.js').Theme} theme
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function whatIfOption(result, styles, theme) {
  const colors = CHART_THEMES[theme];
  const axis = axisStyle(theme);
  const neutral = theme === 'dark' ? '#5a626d' : '#bbbbbb';
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    // No legend: "after" bars take each segment's colour; the card's note says grey = now.
    grid: { top: 16, left: 64, right: 16, bottom: 40 },
    xAxis: {
      ...axis,
      type: 'category',
      data: result.rows.map((r) => styles[r.segment]?.name ?? ''),
      axisLabel: { ...axis.axisLabel, interval: 0, width: 90, overflow: 'truncate', color: colors.text },
    },
    yAxis: { ...axis, type: 'value', name: 'Revenue', nameGap: 48, axisLabel: { ...axis.axisLabel, formatter: formatCompact } },
    tooltip: tooltipStyle(theme, {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (/** @type {{dataIndex: number}[]} */ params) => {
        const row = result.rows[params[0]?.dataIndex ?? 0];
        const style = styles[row.segment];
        return [
          `${swatchHtml(style.color)}<strong>${escapeHtml(style.name)}</strong>`,
          `Before: ${escapeHtml(formatMoney(row.revenueBefore))}`,
          `After: ${escapeHtml(formatMoney(row.revenueAfter))}`,
          `Change: ${escapeHtml(`${row.change >= 0 ? '+' : '−'}${formatMoney(Math.abs(row.change))}`)}${row.changeShare !== null ? ` (${escapeHtml(`${row.changeShare >= 0 ? '+' : '−'}${formatPercent(Math.abs(row.changeShare))}`)})` : ''}`,
        ].join('<br>');
      },
    }),
    series: [
      {
        name: 'Before',
        type: 'bar',
        data: result.rows.map((r) => r.revenueBefore),
        itemStyle: { color: neutral },
        barGap: '10%',
      },
      {
        name: 'After',
        type: 'bar',
        data: result.rows.map((r) => ({ value: r.revenueAfter, itemStyle: { color: styles[r.segment]?.color } })),
        itemStyle: { color: theme === 'dark' ? '#5aa6ee' : '#0b63b5' },
      },
    ],
  };
}
