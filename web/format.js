// @ts-check
/**
 * Number, size and text formatting for the page, in the user's locale (thousands separators,
 * decimal marks). Dates stay ISO (YYYY-MM-DD) so they are never ambiguous.
 */

/**
 * The formatters, made on first use: the first Intl object of a page loads the locale data (20–45
 * ms on the test machine), which must not happen while the page's modules are evaluated at start
 * (issue 7: no long task). warmFormats() makes them in a task of their own, in idle time.
 * @param {Intl.NumberFormatOptions} options
 */
function lazyFormat(options) {
  /** @type {Intl.NumberFormat | null} */
  let format = null;
  /** @param {number} n */
  return (n) => (format ??= new Intl.NumberFormat(undefined, options)).format(n);
}

/** @param {number} n  e.g. 4338 → "4,338" */
export const formatInteger = lazyFormat({ maximumFractionDigits: 0 });

/** @param {number} n  e.g. 3.14159 → "3.1" */
export const formatOneDecimal = lazyFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** @param {number} n  an amount, two decimals: 1234.5 → "1,234.50" (currency unknown) */
export const formatMoney = lazyFormat({ minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** @param {number} share  0..1 → "25.0%" */
export const formatPercent = lazyFormat({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** @param {number} n  axis labels: 12000 → "12K" */
export const formatCompact = lazyFormat({ notation: 'compact', maximumFractionDigits: 1 });

/** Makes every formatter now (the page calls it in idle time, before the first number shows). */
export function warmFormats() {
  for (const format of [formatInteger, formatOneDecimal, formatMoney, formatPercent, formatCompact]) format(0);
}

/** @param {number} bytes  → "3.2 MB" (decimal megabytes, as file managers show them) */
export function formatMegabytes(bytes) {
  const mb = bytes / 1e6;
  return `${mb < 10 ? formatOneDecimal(mb) : formatInteger(mb)} MB`;
}

/** @param {number} index  zero-based segment number → "Segment 1" */
export const segmentName = (index) => `Segment ${index + 1}`;

/** @param {number} n @param {string} one @param {string} many */
export const plural = (n, one, many) => `${formatInteger(n)} ${n === 1 ? one : many}`;

/** @type {Record<string, string>} */
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for use inside HTML (chart tooltips are HTML strings).
 * @param {unknown} text
 */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
