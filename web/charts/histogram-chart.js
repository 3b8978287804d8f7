// @ts-check
/**
 * Histogram of one customer feature (recency, frequency, spend …), with the RFM score bins shaded
 * behind it. Skewed features get logarithmic bins on a log axis, and the axis says so. Pure: data
 * in, ECharts option out (no DOM), so Node tests can check it.
 */
import { escapeHtml, formatCompact, formatInteger, formatMoney, formatOneDecimal, formatPercent } from '../format.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {{x0: number, x1: number, count: number}} Bin  [x0, x1): values from x0, below x1
 * @typedef {{bins: Bin[], log: boolean, integer: boolean, total: number, excluded: number}} Histogram
 *   total: customers counted in bins; excluded: customers left off (not finite, or ≤ 0 on a log axis)
 */

/**
 * Whether a log axis shows the distribution better: (almost) all values positive and a long right
 * tail (moment skewness above 2). One pass, no sort: fine on the main thread for large files.
 * @param {ArrayLike<number>} values
 */
export function isSkewed(values) {
  let n = 0;
  let positive = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    if (v > 0) positive++;
  }
  if (n < 3 || positive < 0.95 * n) return false;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 && m3 / m2 ** 1.5 > 2;
}

/** A round step near `raw`: 1, 2, 2.5 or 5 × 10^k. @param {number} raw */
export function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/**
 * Bins for a histogram: round widths on a linear axis; 5 (or, over many decades, 3) bins a decade
 * on a log axis. Whole-number features get whole-number bin edges.
 * @param {ArrayLike<number>} values
 * @param {{log?: boolean, integer?: boolean, maxBins?: number}} [options]  log: default isSkewed(values)
 * @returns {Histogram}
 */
export function histogram(values, { log = isSkewed(values), integer = false, maxBins = 24 } = {}) {
  /** @type {number[]} */
  const used = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && (!log || v > 0)) used.push(v);
  }
  const excluded = values.length - used.length;
  if (used.length === 0) return { bins: [], log, integer, total: 0, excluded };
  let min = Infinity;
  let max = -Infinity;
  for (const v of used) {
    if (v < min) min = v;
    if (v > max) max = v;
  }

  /** @type {number[]} */
  let edges = [];
  if (log) {
    const lo = Math.log10(min);
    const hi = Math.log10(max);
    const perDecade = hi - lo > 4 ? 3 : 5;
    const start = Math.floor(lo * perDecade);
    const end = Math.floor(hi * perDecade) + 1;
    for (let i = start; i <= end; i++) edges.push(10 ** (i / perDecade));
    if (integer) {
      edges = [...new Set(edges.map((e) => Math.max(1, Math.round(e))))];
      if (edges[0] > min) edges.unshift(Math.floor(min));
      while (edges[edges.length - 1] <= max) edges.push(edges[edges.length - 1] + 1);
    }
  } else {
    let step = niceStep((max - min) / maxBins || 1);
    if (integer) step = Math.max(1, Math.ceil(step));
    const first = Math.floor(min / step) * step;
    for (let e = first; e <= max; e += step) edges.push(e);
    edges.push(edges[edges.length - 1] + step);
  }

  const bins = edges.slice(0, -1).map((x0, i) => ({ x0, x1: edges[i + 1], count: 0 }));
  for (const v of used) {
    // Binary search: the last edge ≤ v.
    let a = 0;
    let b = bins.length - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (bins[m].x0 <= v) a = m;
      else b = m - 1;
    }
    bins[a].count++;
  }
  return { bins, log, integer, total: used.length, excluded };
}

/** @typedef {'days' | 'count' | 'money' | 'ratio'} ValueKind */

/**
 * A value as the page shows it.
 * @param {number} v
 * @param {ValueKind} kind
 */
export function formatValue(v, kind) {
  if (kind === 'money') return formatMoney(v);
  if (kind === 'ratio') return formatOneDecimal(v);
  return formatInteger(v);
}

/**
 * "4–5", "7", "100.00–158.49": the values a bin holds, in words.
 * @param {Bin} bin
 * @param {boolean} integer
 * @param {ValueKind} kind
 */
export function binLabel(bin, integer, kind) {
  if (integer) {
    const last = Math.ceil(bin.x1) - 1;
    return last <= bin.x0 ? formatInteger(bin.x0) : `${formatInteger(bin.x0)}–${formatInteger(last)}`;
  }
  return `${formatValue(bin.x0, kind)} to under ${formatValue(bin.x1, kind)}`;
}

/**
 * @typedef {{score: number, customers: number, min: number, max: number}} ScoreBin
 * @typedef {{
 *   values: ArrayLike<number>, label: string, letter: 'R' | 'F' | 'M', kind: ValueKind,
 *   integer: boolean, scoreBins?: ScoreBin[], log?: boolean, width?: number
 * }} HistogramData  width: chart width (px), to label only the score bands wide enough
 */

/**
 * The score regions to shade: for each score, from the midpoint with the score below to the one
 * above (recency's scores run the other way). Scores whose customers share one value with a
 * neighbour (ties split by file order) have no width and are left out.
 * @param {ScoreBin[]} scoreBins  per score 1..5
 * @param {boolean} reversed  recency: score 5 holds the smallest values
 * @returns {{score: number, from: number, to: number}[]}
 */
export function scoreRegions(scoreBins, reversed) {
  const ordered = scoreBins.filter((b) => b.customers > 0 && Number.isFinite(b.min)).sort((a, b) => (reversed ? b.score - a.score : a.score - b.score));
  /** @type {{score: number, from: number, to: number}[]} */
  const out = [];
  ordered.forEach((b, i) => {
    const prev = ordered[i - 1];
    const next = ordered[i + 1];
    const from = prev ? (prev.max + b.min) / 2 : b.min;
    const to = next ? (b.max + next.min) / 2 : b.max;
    if (to > from) out.push({ score: b.score, from, to });
  });
  return out;
}

/**
 * @param {HistogramData} data
 * @param {import('./palette.js').Theme} theme
 * @returns {{option: import('echarts/core').EChartsCoreOption, histogram: Histogram}}
 */
export function histogramOption(data, theme) {
  const colors = CHART_THEMES[theme];
  const h = histogram(data.values, { integer: data.integer, log: data.log });
  const { bins, log, integer, total } = h;
  const regions = data.scoreBins ? scoreRegions(data.scoreBins, data.letter === 'R') : [];
  // A log axis starts at a power of ten, so its first label is a round number.
  const axisMin = log && bins.length ? 10 ** Math.floor(Math.log10(bins[0].x0)) : bins[0]?.x0;
  const axisMax = bins[bins.length - 1]?.x1;
  const positive = (/** @type {number} */ v) => (log ? Math.max(v, axisMin ?? 1) : v);
  const bar = theme === 'dark' ? '#5aa6ee' : '#0b63b5';
  const axisName = `${data.label}${log ? ' (log scale)' : ''}`;
  const grid = { top: 22, left: 52, right: 14, bottom: 44 };
  const plotWidth = Math.max(1, (data.width ?? 400) - grid.left - grid.right);
  /** Width of a score band on screen (px). @param {{from: number, to: number}} r */
  const bandWidth = (r) => {
    if (axisMin === undefined || axisMax === undefined) return 0;
    const t = log ? Math.log10 : (/** @type {number} */ v) => v;
    const span = t(axisMax) - t(axisMin);
    return span > 0 ? ((t(positive(Math.min(r.to, axisMax))) - t(positive(Math.max(r.from, axisMin)))) / span) * plotWidth : 0;
  };

  /** @type {import('echarts/core').EChartsCoreOption} */
  const option = {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid,
    xAxis: {
      type: log ? 'log' : 'value',
      logBase: 10,
      min: axisMin,
      max: axisMax,
      name: axisName,
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: { color: colors.muted, fontSize: 12 },
      axisLine: { show: true, lineStyle: { color: colors.axisLine } },
      axisTick: { lineStyle: { color: colors.axisLine } },
      axisLabel: {
        color: colors.muted,
        fontSize: 11,
        hideOverlap: true,
        // The last edge of a log axis is rarely round ("251.2K"): leave it unlabelled.
        showMaxLabel: !log,
        formatter: (/** @type {number} */ v) => formatCompact(v),
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: 'Customers',
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: 36,
      nameTextStyle: { color: colors.muted, fontSize: 12 },
      axisLabel: { color: colors.muted, fontSize: 11, formatter: (/** @type {number} */ v) => formatCompact(v) },
      splitLine: { lineStyle: { color: colors.splitLine } },
      minInterval: 1,
    },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: colors.tooltipBackground,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 13 },
      formatter: (/** @type {{data: [number, number, number]}} */ p) => {
        const [x0, x1, count] = p.data;
        return [
          `<strong>${escapeHtml(data.label)}: ${escapeHtml(binLabel({ x0, x1, count }, integer, data.kind))}</strong>`,
          `${escapeHtml(formatInteger(count))} customers (${escapeHtml(formatPercent(total > 0 ? count / total : 0))})`,
        ].join('<br>');
      },
    },
    series: [
      {
        type: 'custom',
        name: data.label,
        data: bins.map((b) => [b.x0, b.x1, b.count]),
        encode: { x: [0, 1], y: 2 },
        itemStyle: { color: bar, opacity: 0.85 },
        emphasis: { itemStyle: { opacity: 1 } },
        renderItem: (/** @type {any} */ _params, /** @type {any} */ api) => {
          const top = api.coord([api.value(0), api.value(2)]);
          const bottom = api.coord([api.value(1), 0]);
          return {
            type: 'rect',
            shape: { x: top[0] + 0.5, y: top[1], width: Math.max(1, bottom[0] - top[0] - 1), height: bottom[1] - top[1] },
            // The bar colour from the series' itemStyle (api.style() is deprecated since ECharts 5).
            style: { fill: api.visual('color'), opacity: 0.85 },
            emphasis: { style: { opacity: 1 } },
          };
        },
        markArea: regions.length
          ? {
              silent: true,
              data: regions.map((r, i) => [
                {
                  xAxis: positive(r.from),
                  name: `${data.letter}${r.score}`,
                  itemStyle: { color: i % 2 === 0 ? colors.splitLine : 'transparent' },
                  label: { show: bandWidth(r) >= 18 },
                },
                { xAxis: positive(r.to) },
              ]),
              label: { position: 'top', color: colors.muted, fontSize: 11, distance: 3 },
            }
          : undefined,
      },
    ],
  };
  return { option, histogram: h };
}
