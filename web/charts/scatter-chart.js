// @ts-check
/**
 * Customers scatter: recency (x) against spend (y, log axis), one series per segment, marker
 * size by number of orders. Pure: data in, ECharts option out (no DOM), so Node tests can check it.
 */
import { escapeHtml, formatCompact, formatInteger, formatMoney, segmentName } from '../format.js';
import { numberedStyles } from '../model/segment-style.js';
import { segmentColor } from './palette.js';
import { ANIMATION_LIMIT, axisStyle, progressiveFor } from './common.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {{
 *   ids: string[], recency: Float64Array, frequency: Float64Array, monetary: Float64Array,
 *   labels: Int32Array, k: number, asOf: string
 * }} ScatterData
 * One point: [recency, monetary, frequency, customer index].
 * @typedef {[number, number, number, number]} Point
 */

/** Marker size classes: orders in [2^c, 2^(c+1)), the last class open-ended. */
const SIZE_CLASSES = 6;

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

/** The size class of a number of orders (0 for one order). @param {number} orders */
export function sizeClass(orders) {
  return Math.min(SIZE_CLASSES - 1, Math.floor(Math.log2(Math.max(1, orders))));
}

/** The marker diameter of a size class: that of its geometric middle. @param {number} c */
function classSize(c) {
  return c === 0 ? markerSize(1) : markerSize(2 ** (c + 0.5));
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

  // Many points: each segment is drawn as a few ECharts "large" series (one canvas path each, one
  // per marker size class) instead of one element per customer, which kept the main thread busy
  // for hundreds of ms. Few points: one series per segment, each marker sized by its orders.
  const many = labels.length > ANIMATION_LIMIT;
  const classes = many ? SIZE_CLASSES : 1;
  /** @type {Point[][]} by segment × size class */
  const points = Array.from({ length: k * classes }, () => []);
  for (let i = 0; i < labels.length; i++) {
    if (!(monetary[i] > 0)) continue;
    const c = many ? sizeClass(frequency[i]) : 0;
    points[labels[i] * classes + c].push([recency[i], monetary[i], frequency[i], i]);
  }
  /** @type {{segment: number, sizeClass: number, data: Point[]}[]} big markers first, so small ones stay visible */
  const groups = [];
  for (let c = classes - 1; c >= 0; c--) {
    for (let s = 0; s < k; s++) {
      const data = points[s * classes + c];
      // No empty "large" series: ECharts' progressive painter fails on one (no points buffer).
      if (data.length > 0 || !many) groups.push({ segment: s, sizeClass: c, data });
    }
  }

  const axisCommon = axisStyle(theme);

  return {
    backgroundColor: 'transparent',
    animation: !many,
    animationDuration: 300,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    color: style.slice(0, k).map((st) => st.color),
    legend: {
      data: style.slice(0, k).map((st) => st.name),
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
      formatter: (/** @type {{data: Point, seriesIndex: number}} */ params) => {
        const segment = groups[params.seriesIndex].segment;
        return tooltipHtml(params.data, segment, ids[params.data[3]], asOf, theme, style[segment]);
      },
    },
    // Series of one segment share its name, so its legend entry shows and hides all of them.
    series: groups.map(({ segment, sizeClass: c, data }) => ({
      name: style[segment].name,
      type: 'scatter',
      data,
      large: many,
      largeThreshold: 0,
      // and, with many points, drawn over several frames, PROGRESSIVE_CHUNK points each
      ...progressiveFor(labels.length),
      symbol: style[segment].shape,
      symbolSize: many ? classSize(c) : (/** @type {Point} */ value) => markerSize(value[2]),
      // Explicit: ECharts hands out palette colours by series name, in order of first appearance.
      itemStyle: { color: style[segment].color, opacity: theme === 'dark' ? 0.85 : 0.72, borderColor: colors.background, borderWidth: many ? 0 : 0.5 },
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
