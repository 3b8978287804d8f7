// @ts-check
/**
 * Snake plot: the standardized mean of each clustering feature per segment (model/snake-plot.js),
 * one line per segment; 0 is the average customer. Pure (no DOM).
 */
import { escapeHtml } from '../format.js';
import { feature } from '../model/definitions.js';
import { FONT, axisStyle, swatchHtml, tooltipStyle } from './common.js';
import { plotTop } from './scatter-chart.js';
import { CHART_THEMES } from './theme.js';

/**
 * @param {import('../model/snake-plot.js').SnakePlot} plot
 * @param {import('../model/segment-style.js').SegmentStyle[]} styles
 * @param {import('./palette.js').Theme} theme
 * @param {number} width
 * @param {{log1p?: boolean}} [options]
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function snakeOption(plot, styles, theme, width, { log1p = true } = {}) {
  const colors = CHART_THEMES[theme];
  const axis = axisStyle(theme);
  const labels = plot.features.map((f) => feature(f).label);
  const rotate = labels.length > 4 && width < 700;
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    color: styles.map((s) => s.color),
    legend: { top: 0, left: 'center', itemGap: 16, itemWidth: 14, itemHeight: 10, textStyle: { color: colors.text } },
    grid: { top: plotTop(styles.length, width) + 10, left: 56, right: 24, bottom: rotate ? 72 : 32 },
    xAxis: {
      ...axis,
      type: 'category',
      data: labels,
      boundaryGap: true,
      axisLabel: { ...axis.axisLabel, interval: 0, rotate: rotate ? 30 : 0, width: 110, overflow: 'truncate' },
    },
    yAxis: {
      ...axis,
      type: 'value',
      name: 'Mean z-score (0 = average)',
      nameGap: 36,
    },
    tooltip: tooltipStyle(theme, {
      trigger: 'axis',
      formatter: (/** @type {{seriesIndex: number, dataIndex: number, value: number}[]} */ params) => {
        const f = params[0]?.dataIndex ?? 0;
        return [
          `<strong>${escapeHtml(labels[f])}</strong>`,
          ...params.map(
            (p) =>
              `${swatchHtml(styles[p.seriesIndex].color)}${escapeHtml(styles[p.seriesIndex].name)}: ${escapeHtml(Number.isFinite(p.value) ? (p.value >= 0 ? '+' : '') + p.value.toFixed(2) : '—')} sd`,
          ),
          `Mean of the segment’s z-scores${log1p ? ' of log1p(value)' : ''}: in standard deviations from the average customer.`,
        ].join('<br>');
      },
    }),
    series: plot.means.map((row, s) => ({
      name: styles[s].name,
      type: 'line',
      data: row.map((v) => (Number.isFinite(v) ? v : null)),
      symbol: styles[s].shape,
      symbolSize: 7,
      lineStyle: { width: 2, color: styles[s].color },
      itemStyle: { color: styles[s].color },
      emphasis: { focus: 'series' },
      markLine:
        s === 0
          ? { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: colors.axisLine, type: 'solid' }, data: [{ yAxis: 0 }] }
          : undefined,
    })),
  };
}
