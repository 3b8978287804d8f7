// @ts-check
/**
 * Silhouette plot: every customer's silhouette, sorted within its segment, one filled band per
 * segment in its colour, and the mean over all customers as a dashed line. Pure (no DOM).
 */
import { escapeHtml, formatInteger } from '../format.js';
import { FONT, axisStyle, swatchHtml, tooltipStyle } from './common.js';
import { plotTop } from './scatter-chart.js';
import { CHART_THEMES } from './theme.js';

/**
 * @param {import('../model/silhouette-plot.js').SilhouettePlot} plot
 * @param {import('../model/segment-style.js').SegmentStyle[]} styles
 * @param {import('./palette.js').Theme} theme
 * @param {number} width
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function silhouetteOption(plot, styles, theme, width) {
  const colors = CHART_THEMES[theme];
  const axis = axisStyle(theme);
  const meanColor = theme === 'dark' ? '#fdb863' : '#b35806';
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    color: styles.map((s) => s.color),
    legend: {
      top: 0,
      left: 'center',
      itemGap: 16,
      itemWidth: 12,
      itemHeight: 12,
      icon: 'roundRect',
      textStyle: { color: colors.text },
      data: styles.map((s) => s.name),
    },
    grid: { top: plotTop(styles.length, width) + 10, left: 56, right: 20, bottom: 40 },
    xAxis: {
      ...axis,
      type: 'value',
      min: 0,
      max: plot.width,
      name: 'Customers, sorted within each segment',
      nameGap: 14,
      axisLabel: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
    },
    // Ticks every 0.25 from a multiple of 0.25, so no label crowds the fixed ends.
    yAxis: {
      ...axis,
      type: 'value',
      min: (/** @type {{min: number}} */ v) => Math.min(-0.25, Math.floor(v.min * 4) / 4),
      max: 1,
      interval: 0.25,
      name: 'Silhouette (−1 to 1)',
      nameGap: 40,
    },
    tooltip: tooltipStyle(theme, {
      trigger: 'item',
      formatter: (/** @type {{seriesIndex: number}} */ p) => {
        const band = plot.bands[p.seriesIndex];
        if (!band) return `Mean silhouette over all customers: ${escapeHtml(plot.mean.toFixed(3))}`;
        const style = styles[band.segment];
        return [
          `${swatchHtml(style.color)}<strong>${escapeHtml(style.name)}</strong>`,
          `${escapeHtml(formatInteger(band.customers))} customers, mean silhouette ${escapeHtml(Number.isFinite(band.mean) ? band.mean.toFixed(3) : '—')}`,
          'Silhouette: how well each customer fits its segment compared with the next-closest one, −1 to 1.',
        ].join('<br>');
      },
    }),
    series: [
      ...plot.bands.map((band) => ({
        name: styles[band.segment].name,
        type: 'line',
        data: band.points,
        showSymbol: false,
        lineStyle: { width: 1, color: styles[band.segment].color },
        areaStyle: { color: styles[band.segment].color, opacity: 0.75, origin: 0 },
        emphasis: { focus: 'series' },
      })),
      {
        name: 'Mean',
        type: 'line',
        data: [
          [0, plot.mean],
          [plot.width, plot.mean],
        ],
        showSymbol: false,
        silent: false,
        lineStyle: { type: 'dashed', color: meanColor, width: 1.5 },
        endLabel: { show: true, formatter: `mean ${plot.mean.toFixed(2)}`, color: meanColor, fontSize: 11, offset: [-64, -10] },
        z: 5,
      },
    ],
  };
}
