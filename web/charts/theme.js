// @ts-check
/**
 * Chart colours for the light and dark page themes (kept in step with styles.css), so every
 * chart builder uses the same text, axis and tooltip styling.
 */

/**
 * @typedef {{text: string, muted: string, axisLine: string, splitLine: string,
 *            tooltipBackground: string, tooltipBorder: string, background: string}} ChartTheme
 */

/** @type {Record<import('./palette.js').Theme, ChartTheme>} */
export const CHART_THEMES = {
  light: {
    text: '#1a1f26',
    muted: '#596372',
    axisLine: '#c3cad3',
    splitLine: '#e9edf1',
    tooltipBackground: '#ffffff',
    tooltipBorder: '#dde2e8',
    background: '#ffffff',
  },
  dark: {
    text: '#e6e9ee',
    muted: '#9ba6b4',
    axisLine: '#3a4350',
    splitLine: '#232a33',
    tooltipBackground: '#1d232c',
    tooltipBorder: '#3a4350',
    background: '#161b22',
  },
};
