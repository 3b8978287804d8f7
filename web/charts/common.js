// @ts-check
/**
 * Pieces every chart option shares: the font, axis styling and tooltip box of the page theme.
 * Pure (no DOM).
 */
import { CHART_THEMES } from './theme.js';

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** @param {import('./palette.js').Theme} theme */
export function axisStyle(theme) {
  const colors = CHART_THEMES[theme];
  return {
    nameLocation: 'middle',
    nameTextStyle: { color: colors.muted, fontSize: 12 },
    axisLine: { show: true, lineStyle: { color: colors.axisLine } },
    axisTick: { lineStyle: { color: colors.axisLine } },
    axisLabel: { color: colors.muted, fontSize: 11 },
    splitLine: { lineStyle: { color: colors.splitLine } },
  };
}

/**
 * @param {import('./palette.js').Theme} theme
 * @param {object} [extra]
 */
export function tooltipStyle(theme, extra = {}) {
  const colors = CHART_THEMES[theme];
  return {
    confine: true,
    backgroundColor: colors.tooltipBackground,
    borderColor: colors.tooltipBorder,
    textStyle: { color: colors.text, fontSize: 13 },
    ...extra,
  };
}

/** @param {string} color */
export const swatchHtml = (color) => `<span style="display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;background:${color}"></span>`;

/**
 * Above this many points a chart is drawn without animation, each series in one pass. One
 * element per point took ~30 ms of the main thread for 500 customers, in one task, and the
 * entrance animation repainted them all in every frame for 300 ms (issue 7: no long task).
 */
export const ANIMATION_LIMIT = 300;

/** Points a large scatter series draws per frame (a few ms of canvas work each). */
export const PROGRESSIVE_CHUNK = 1000;

/**
 * Above this many points a chart is drawn progressively, PROGRESSIVE_CHUNK points per series and
 * frame; below, at once. A progressive chart paints on three to five canvases (ECharts'
 * incremental layers), and those cost more to paint and commit, frame after frame, than a few
 * thousand points drawn in one pass.
 */
export const PROGRESSIVE_ABOVE = 5000;

/**
 * The progressive settings of a large scatter series of a chart with `n` points in all.
 * @param {number} n
 */
export const progressiveFor = (n) => ({ progressive: n > PROGRESSIVE_ABOVE ? PROGRESSIVE_CHUNK : 0, progressiveThreshold: PROGRESSIVE_CHUNK });
