// @ts-check
/**
 * Customers scatter: recency (x) against spend (y, log axis), one series per segment, marker
 * size by number of orders. Pure: data in, ECharts option out (no DOM), so Node tests can check it.
 */
import { escapeHtml, formatCompact, formatInteger, formatMoney, segmentName } from '../format.js';
import { numberedStyles } from '../model/segment-style.js';
import { segmentColor } from './palette.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {{
 *   ids: string[], recency: Float64Array, frequency: Float64Array, monetary: Float64Array,
 *   labels: Int32Array, k: number, asOf: string
 * }} ScatterData
 * One point: [recency, monetary, frequency, customer index].
 * @typedef {[number, number, number, number]} Point
 */

/** Above this many points ECharts draws each series in one pass (fixed marker size). */
const LARGE_THRESHOLD = 20000;
/** Above this many points the chart is not animated and is drawn progressively. */
const ANIMATION_LIMIT = 1500;

/**
 * Customers a log axis cannot show (zero or negative spend, e.g. refunds only).
 * @param {Float64Array} monetary
 */
export function countNonPositive(monetary) {
  let n = 0;
  for (const m of monetary) if (!(m > 0)) n++;
  return n;
}

/** Legend entries ("● Segment 10") are at most about this wide, gap included (px). */
const LEGEND_ITEM_WIDTH = 112;
const LEGEND_ROW_HEIGHT = 22;

/**
 * Top of the plot area, below a legend that wraps onto as many rows as the width needs.
 * @param {number} k      number of segments (legend entries)
 * @param {number} width  chart width (px)
 */
export function plotTop(k, width) {
  const perRow = Math.max(1, Math.floor((width - 20) / LEGEND_ITEM_WIDTH));
  return 20 + Math.ceil(k / perRow) * LEGEND_ROW_HEIGHT;
}

/** Marker diameter (px) for a number of orders: grows with log2, capped. @param {number} orders */
export function markerSize(orders) {
  return Math.min(16, 4 + 2.5 * Math.log2(Math.max(1, orders)));
}

/**
 * @param {ScatterData} data
 * @param {import('./palette.js').Theme} theme
 * @param {number} width  chart width (px), to make room for the legend
 * @param {import('../model/segment-style.js').SegmentStyle[]} [styles]  names and colours
 *        (default: "Segment 1" … in palette colours)
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function scatterChartOption(data, theme, width, styles) {
  const colors = CHART_THEMES[theme];
  const { ids, recency, frequency, monetary, labels, k, asOf } = data;
  const style = styles ?? numberedStyles(k, theme);

  /** @type {Point[][]} */
  const points = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) {
    if (monetary[i] > 0) points[labels[i]].push([recency[i], monetary[i], frequency[i], i]);
  }
  const large = labels.length > LARGE_THRESHOLD;

  const axisCommon = {
    nameLocation: 'middle',
    nameTextStyle: { color: colors.muted, fontSize: 12 },
    axisLine: { show: true, lineStyle: { color: colors.axisLine } },
    axisTick: { lineStyle: { color: colors.axisLine } },
    axisLabel: { color: colors.muted, fontSize: 11 },
    splitLine: { lineStyle: { color: colors.splitLine } },
  };

  // Thousands of animated points keep the main thread busy for hundreds of ms: no animation then,
  // and ECharts draws them in chunks over several frames.
  const many = labels.length > ANIMATION_LIMIT;
  return {
    backgroundColor: 'transparent',
    animation: !many,
    animationDuration: 300,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    color: points.map((_, s) => style[s].color),
    legend: {
      top: 0,
      left: 'center',
      itemGap: 16,
      itemWidth: 12,
      itemHeight: 12,
      textStyle: { color: colors.text },
    },
    grid: { top: plotTop(k, width), left: 64, right: 20, bottom: 52 },
    xAxis: {
      ...axisCommon,
      type: 'value',
      name: 'Recency: days since last purchase',
      nameGap: 30,
      min: 0,
      splitLine: { show: false },
    },
    yAxis: {
      ...axisCommon,
      type: 'log',
      logBase: 10,
      name: 'Spend (log scale)',
      nameGap: 46,
      axisLabel: { ...axisCommon.axisLabel, formatter: formatCompact },
    },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: colors.tooltipBackground,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 13 },
      formatter: (/** @type {{data: Point, seriesIndex: number}} */ params) =>
        tooltipHtml(params.data, params.seriesIndex, ids[params.data[3]], asOf, theme, style[params.seriesIndex]),
    },
    series: points.map((data, s) => ({
      name: style[s].name,
      type: 'scatter',
      data,
      large,
      progressive: 300,
      progressiveThreshold: many ? 300 : ANIMATION_LIMIT,
      symbol: style[s].shape,
      symbolSize: large ? 4 : (/** @type {Point} */ value) => markerSize(value[2]),
      itemStyle: { opacity: theme === 'dark' ? 0.85 : 0.72, borderColor: colors.background, borderWidth: large ? 0 : 0.5 },
      emphasis: { focus: 'series', itemStyle: { opacity: 1, borderColor: colors.text } },
    })),
  };
}

/**
 * Tooltip for one customer. Every value from the file is escaped: ids are arbitrary text.
 * @param {Point} point
 * @param {number} segment
 * @param {string} customerId
 * @param {string} asOf
 * @param {import('./palette.js').Theme} theme
 * @param {import('../model/segment-style.js').SegmentStyle} [style]  the segment's name and colour
 */
export function tooltipHtml([recency, monetary, orders], segment, customerId, asOf, theme, style) {
  const color = style?.color ?? segmentColor(segment, theme);
  const swatch = `<span style="display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;background:${color}"></span>`;
  return [
    `<strong>Customer ${escapeHtml(customerId)}</strong>`,
    `${swatch}${escapeHtml(style?.name ?? segmentName(segment))}`,
    `Recency: ${escapeHtml(formatInteger(recency))} days since last purchase (as of ${escapeHtml(asOf)})`,
    `Frequency: ${escapeHtml(formatInteger(orders))} ${orders === 1 ? 'order' : 'orders'}`,
    `Monetary: ${escapeHtml(formatMoney(monetary))} total spend`,
  ].join('<br>');
}
