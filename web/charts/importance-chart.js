// @ts-check
/**
 * Relative importance heatmap: for each segment and feature, segment mean / mean of all
 * customers − 1 (the core's `profiles[].relative`), as a percentage in each cell, on a diverging
 * colour scale centred at 0 (blue below the average customer, orange above). Pure (no DOM).
 */
import { escapeHtml, formatInteger } from '../format.js';
import { feature } from '../model/definitions.js';
import { FONT, tooltipStyle } from './common.js';
import { divergingColor, textOn } from './palette.js';
import { CHART_THEMES } from './theme.js';

/** Colours saturate at ±this relative difference (+100 % = twice the average). */
export const IMPORTANCE_SATURATION = 1;

/**
 * A relative difference as a whole percentage with its sign: 1.82 → "+182%", −0.05 → "−5%".
 * @param {number} v
 */
export function relativeLabel(v) {
  if (!Number.isFinite(v)) return '—';
  const pct = Math.round(Math.abs(v) * 100);
  return `${v >= 0 || pct === 0 ? '+' : '−'}${formatInteger(pct)}%`;
}

/**
 * @param {{relative: ArrayLike<number>}[]} profiles
 * @param {string[]} allFeatures  profileFeatures
 * @param {import('../model/segment-style.js').SegmentStyle[]} styles
 * @param {import('./palette.js').Theme} theme
 * @param {number} width
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function importanceOption(profiles, allFeatures, styles, theme, width) {
  const colors = CHART_THEMES[theme];
  const { columns: keep } = importanceColumns(profiles, allFeatures);
  const features = keep.map((j) => allFeatures[j]);
  const labels = features.map((f) => feature(f).label);
  const data = [];
  for (let s = 0; s < profiles.length; s++) {
    for (let f = 0; f < features.length; f++) {
      const v = profiles[s].relative[keep[f]];
      const color = Number.isFinite(v) ? divergingColor(v / IMPORTANCE_SATURATION, theme) : colors.background;
      data.push({
        value: [f, s, Number.isFinite(v) ? v : null],
        itemStyle: { color, borderColor: colors.background, borderWidth: 2 },
        label: { color: textOn(color), formatter: relativeLabel(v) },
      });
    }
  }
  // A phone has no room for a column per feature: features become rows there.
  const transposed = width < 600;
  const narrow = width < 760;
  const featureAxis = {
    type: 'category',
    data: labels,
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: transposed
      ? { color: colors.muted, fontSize: 11, rotate: 0, width: 104, overflow: 'truncate' }
      : { color: colors.muted, fontSize: 11, interval: 0, rotate: 40, width: 130, overflow: 'truncate' },
  };
  const segmentAxis = {
    type: 'category',
    data: styles.map((s) => s.name),
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: transposed
      ? {
          color: colors.text,
          fontSize: 10,
          fontWeight: 600,
          interval: 0,
          rotate: 0,
          width: Math.max(40, (width - 120) / Math.max(1, styles.length) - 2),
          overflow: 'truncate',
        }
      : { color: colors.text, fontSize: 12, fontWeight: 600, rotate: 0, width: 100, overflow: 'truncate' },
  };
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: transposed ? { top: 28, left: 112, right: 8, bottom: 8 } : { top: 8, left: 110, right: 8, bottom: narrow ? 120 : 96 },
    // Every placement set explicitly: a resize merges this option into the drawn one.
    xAxis: { ...(transposed ? segmentAxis : featureAxis), position: transposed ? 'top' : 'bottom', inverse: false },
    yAxis: { ...(transposed ? featureAxis : segmentAxis), position: 'left', inverse: true },
    tooltip: tooltipStyle(theme, {
      trigger: 'item',
      formatter: (/** @type {{value: [number, number, number | null]}} */ p) => {
        const [a, b, v] = p.value;
        const [f, s] = transposed ? [b, a] : [a, b];
        return [
          `<strong>${escapeHtml(styles[s]?.name ?? '')} · ${escapeHtml(labels[f])}</strong>`,
          v === null
            ? 'No value (the average of all customers is 0 or undefined).'
            : `${escapeHtml(relativeLabel(v))} against the average customer (segment mean ÷ mean of all customers − 1).`,
        ].join('<br>');
      },
    }),
    series: [
      {
        type: 'heatmap',
        data: transposed ? data.map((d) => ({ ...d, value: [d.value[1], d.value[0], d.value[2]] })) : data,
        label: { show: true, fontSize: narrow ? 10 : 11 },
        emphasis: { itemStyle: { borderColor: colors.text, borderWidth: 2 } },
      },
    ],
  };
}

/**
 * The features worth a column: those with a relative value for some segment (a feature that is 0
 * for every customer — returns when cancellations are dropped — has none), and those left out.
 * @param {{relative: ArrayLike<number>}[]} profiles
 * @param {string[]} features
 * @returns {{columns: number[], omitted: string[]}}
 */
export function importanceColumns(profiles, features) {
  /** @type {number[]} */
  const columns = [];
  /** @type {string[]} */
  const omitted = [];
  features.forEach((name, j) => {
    if (profiles.some((p) => Number.isFinite(p.relative[j]))) columns.push(j);
    else omitted.push(name);
  });
  return { columns, omitted };
}

/**
 * Chart height: a row per segment (a row per feature on a phone, where the chart is transposed).
 * @param {number} k  segments
 * @param {number} features  features shown
 * @param {number} width
 */
export const importanceHeight = (k, features, width) => (width < 600 ? 40 + features * 30 : 110 + k * 38);
