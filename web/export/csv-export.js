// @ts-check
/**
 * CSV files the page writes itself (the customer table, the cohort matrix): UTF-8, RFC 4180
 * quoting, and cells that a spreadsheet cannot mistake for a formula (OWASP "CSV injection"):
 * a text cell starting with = + - @ tab, CR or LF gets a leading ' unless the whole cell is a
 * number. Pure functions, no DOM, so the worker and Node tests use them as they are.
 */
import { FEATURES, feature } from '../model/definitions.js';

/** Byte order mark: lets Excel open the file as UTF-8 (accented countries, ids). */
export const BOM = '\uFEFF';
/** RFC 4180 line break. */
export const EOL = '\r\n';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** @param {string} text  whether the text is a plain decimal number ("-12.5", "+3", "1e6") */
export const isNumericText = (text) => NUMBER.test(text);

/**
 * One cell: numbers as they are (non-finite → empty), text defused and quoted as needed.
 * @param {string | number | null | undefined} value
 * @returns {string}
 */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text) && !isNumericText(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole file: header, rows, CRLF after every line, BOM first (unless `bom: false`).
 * @param {string[]} header
 * @param {Iterable<(string | number | null | undefined)[]>} rows
 * @param {{bom?: boolean}} [options]
 */
export function toCsv(header, rows, { bom = true } = {}) {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return (bom ? BOM : '') + lines.join(EOL) + EOL;
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of strings; a BOM is
 * skipped. Used to check exports round-trip.
 * @param {string} text
 * @returns {string[][]}
 */
export function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {string[]} */
  let row = [];
  let field = '';
  let quoted = false;
  let i = text.startsWith(BOM) ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * A number with at most `decimals` decimals, trailing zeros kept for money (2) and dropped
 * otherwise; NaN and ±∞ → empty. Always "." as the decimal mark (a file, not a display).
 * @param {number} value
 * @param {number} decimals
 */
export function formatNumber(value, decimals) {
  if (!Number.isFinite(value)) return '';
  if (decimals === 0) return String(Math.round(value) + 0); // + 0 turns -0 into 0
  const fixed = value.toFixed(decimals);
  const text = decimals === 2 ? fixed : fixed.replace(/\.?0+$/, '');
  return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

/**
 * @typedef {{
 *   ids: string[], countries: string[], features: Record<string, Float64Array>,
 *   r: Uint8Array, f: Uint8Array, m: Uint8Array,
 *   rfmSegment: Int32Array, rfmNames: string[], labels: Int32Array, asOf?: string,
 *   segments?: {labels: ArrayLike<number>, names: string[]}
 * }} CustomerTableData
 * rfmSegment: index into rfmNames, rfmNames.length = "Others"; labels: K-Means segment 0..k-1;
 * asOf (YYYY-MM-DD): adds first_purchase = asOf − tenure and last_purchase = asOf − recency, as
 * the CLI's features.csv has them; segments: the Segments step's clustering, added as
 * `segment` (number from 1) and `segment_name` (the name shown on the page) after the others.
 */

/**
 * The day `days` before an ISO date; empty when `days` is not finite.
 * @param {string} iso  YYYY-MM-DD
 * @param {number} days
 */
export function daysBefore(iso, days) {
  if (!Number.isFinite(days)) return '';
  const t = Date.parse(`${iso}T00:00:00Z`) - Math.round(days) * 86_400_000;
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '';
}

/** Column names of the customer table, after the features. */
export const CUSTOMER_SCORE_COLUMNS = ['r_score', 'f_score', 'm_score', 'rfm_cell', 'rfm_segment', 'kmeans_segment'];

/**
 * The customer table: id, country, every feature (in the core's order; extra ones after), the
 * R/F/M scores, the RFM cell and named segment, and the K-Means segment (numbered from 1, as in
 * segments.csv). One row per customer, in file order.
 * @param {CustomerTableData} data
 * @returns {string}
 */
export function customerTableCsv(data) {
  const { ids, countries, features, r, f, m, rfmSegment, rfmNames, labels, asOf, segments } = data;
  const n = ids.length;
  for (const [name, array] of /** @type {[string, ArrayLike<number>][]} */ ([
    ['countries', countries],
    ['r', r],
    ['f', f],
    ['m', m],
    ['rfmSegment', rfmSegment],
    ['labels', labels],
    ...(segments ? [['segments', segments.labels]] : []),
    ...Object.entries(features),
  ])) {
    if (array.length !== n) throw new RangeError(`${name} has ${array.length} entries for ${n} customers`);
  }
  const known = FEATURES.map((d) => d.name).filter((name) => name in features);
  const names = [...known, ...Object.keys(features).filter((name) => !known.includes(name))];
  const columns = names.map((name) => ({ values: features[name], decimals: feature(name).decimals }));
  const dates = asOf !== undefined && 'tenure' in features && 'recency' in features;
  const header = [
    'customer_id',
    'country',
    ...names,
    ...(dates ? ['first_purchase', 'last_purchase'] : []),
    ...CUSTOMER_SCORE_COLUMNS,
    ...(segments ? ['segment', 'segment_name'] : []),
  ];

  /** @returns {Generator<(string | number)[]>} */
  function* rows() {
    for (let i = 0; i < n; i++) {
      const segment = rfmSegment[i];
      yield [
        ids[i],
        countries[i],
        ...columns.map((c) => formatNumber(c.values[i], c.decimals)),
        ...(dates ? [daysBefore(/** @type {string} */ (asOf), features.tenure[i]), daysBefore(/** @type {string} */ (asOf), features.recency[i])] : []),
        r[i],
        f[i],
        m[i],
        `${r[i]}${f[i]}${m[i]}`,
        segment >= 0 && segment < rfmNames.length ? rfmNames[segment] : 'Others',
        labels[i] + 1,
        ...(segments ? [segments.labels[i] + 1, segments.names[segments.labels[i]] ?? ''] : []),
      ];
    }
  }
  return toCsv(header, rows());
}

/** @typedef {'retention' | 'customers' | 'revenue'} CohortMeasure */

/**
 * The cohort matrix as shown: one row per cohort (month, size), one column per month since the
 * first purchase; retention as a share 0..1 with 4 decimals, revenue with 2. Months after the
 * end of the data are empty.
 * @param {import('../api/protocol.js').CohortsResult} cohorts
 * @param {CohortMeasure} measure
 */
export function cohortMatrixCsv({ months, active, revenue }, measure) {
  const width = months.length;
  const header = ['cohort', 'customers', ...Array.from({ length: width }, (_, n) => `month_${n}`)];
  const rows = months.map((month, i) => {
    const size = active[i][0] ?? 0;
    const cells = Array.from({ length: width }, (_, n) => {
      if (n >= width - i) return '';
      if (measure === 'customers') return formatNumber(active[i][n], 0);
      if (measure === 'revenue') return formatNumber(revenue[i][n], 2);
      return size > 0 ? formatNumber(active[i][n] / size, 4) : '';
    });
    return [month, size, ...cells];
  });
  return toCsv(header, rows);
}
