// @ts-check
/**
 * Charts as PNG images, rendered off screen at a fixed size from the same option builders the
 * page draws with (so a chart need not have been shown): ECharts' getDataURL with the theme's
 * background (white in light, the dark surface in dark), at twice the pixel density.
 */
import { CHART_THEMES } from '../charts/theme.js';
import { preloadCharts } from './chart-host.js';
import { nextTask } from './tasks.js';

/**
 * The option drawn at once: no animation, no progressive rendering (a PNG taken right after
 * setOption would otherwise miss the points still to come).
 * @param {any} option
 */
function staticOption(option) {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  return { ...option, animation: false, series: series.map((/** @type {any} */ s) => ({ ...s, progressive: 0, animation: false })) };
}

/**
 * @param {import('echarts/core').EChartsCoreOption} option
 * @param {{width: number, height: number, theme: import('../charts/palette.js').Theme, pixelRatio?: number}} size
 * @returns {Promise<string>} a data:image/png;base64 URL
 */
export async function chartPng(option, { width, height, theme, pixelRatio = 2 }) {
  const { echarts } = await preloadCharts();
  // Each part in a task of its own (the report draws several charts in a row): the chart, its
  // option (drawn at once: the PNG needs every point), the PNG.
  await nextTask();
  const box = document.createElement('div');
  box.style.cssText = `position:fixed;left:-100000px;top:0;width:${width}px;height:${height}px;`;
  box.setAttribute('aria-hidden', 'true');
  document.body.append(box);
  /** @type {import('echarts/core').ECharts | null} */
  let chart = null;
  try {
    chart = echarts.init(box, null, { renderer: 'canvas', width, height });
    await nextTask();
    chart.setOption(staticOption(option));
    await nextTask();
    return chart.getDataURL({ type: 'png', pixelRatio, backgroundColor: CHART_THEMES[theme].background });
  } finally {
    chart?.dispose();
    box.remove();
  }
}

/**
 * The bytes of a base64 data URL.
 * @param {string} url
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function dataUrlBytes(url) {
  const binary = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
