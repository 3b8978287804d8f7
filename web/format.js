// @ts-check
/**
 * Number, size and text formatting for the page, in the user's locale (thousands separators,
 * decimal marks). Dates stay ISO (YYYY-MM-DD) so they are never ambiguous.
 */

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimalFormat = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const moneyFormat = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percentFormat = new Intl.NumberFormat(undefined, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const compactFormat = new Intl.NumberFormat(undefined, {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** @param {number} n  e.g. 4338 → "4,338" */
export const formatInteger = (n) => integerFormat.format(n);

/** @param {number} n  e.g. 3.14159 → "3.1" */
export const formatOneDecimal = (n) => oneDecimalFormat.format(n);

/** @param {number} n  an amount, two decimals: 1234.5 → "1,234.50" (currency unknown) */
export const formatMoney = (n) => moneyFormat.format(n);

/** @param {number} share  0..1 → "25.0%" */
export const formatPercent = (share) => percentFormat.format(share);

/** @param {number} n  axis labels: 12000 → "12K" */
export const formatCompact = (n) => compactFormat.format(n);

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
