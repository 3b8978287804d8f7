// @ts-check
/**
 * Per-segment target lists and platform-ready audience files (step 7), built in the page from what
 * it holds: the customers, the clustering's labels, the segment names the user sees, the RFM
 * scores. Every file goes through csv-export.js (RFC 4180, CRLF, formula-injection safe).
 *
 *   target list   the columns the user picks; UTF-8, with a byte order mark when asked (Excel)
 *   Mailchimp     Email Address, Tags (= segment name)            plain UTF-8, no BOM
 *   Klaviyo       Email, Phone Number (E.164), Segment            plain UTF-8, no BOM
 *   Meta          EMAIL, PHONE: SHA-256 of the normalised values   (export/contacts.js)
 *   Google        Email, Phone: SHA-256 of the normalised values   (export/contacts.js)
 *
 * Customers come in file order; a customer whose email and phone both fail normalisation is
 * left out of a platform file and counted.
 */
import { FEATURES, feature } from '../model/definitions.js';
import { CALLING_CODES, normalizeEmail, normalizeEmailGoogle, normalizePhone, normalizePhoneMeta, sha256All } from './contacts.js';
import { formatNumber, toCsv } from './csv-export.js';

/**
 * @typedef {{
 *   ids: string[], countries: string[], features: Record<string, Float64Array>,
 *   labels: ArrayLike<number>, names: string[],
 *   rfm?: {r: ArrayLike<number>, f: ArrayLike<number>, m: ArrayLike<number>, segment: ArrayLike<number>, names: string[]} | null,
 *   emails?: string[] | null, phones?: string[] | null
 * }} ExportData
 *   labels: segment per customer (0..k−1); names: the segment names shown; rfm.names: RFM
 *   segment names (index names.length = "Others"); emails/phones: one per customer ('' = none),
 *   null when the file has no such column
 * @typedef {{id: string, label: string, definition: string}} ColumnChoice
 * @typedef {{csv: string, rows: number, skipped: number}} PlatformFile
 */

/**
 * The columns a target list can have, in file order: id, segment, RFM cell and segment, every
 * feature, country, and email / phone when the file has them.
 * @param {Pick<ExportData, 'features' | 'rfm' | 'emails' | 'phones'>} data
 * @returns {ColumnChoice[]}
 */
export function targetColumns(data) {
  const known = FEATURES.map((f) => f.name).filter((n) => n in data.features);
  const names = [...known, ...Object.keys(data.features).filter((n) => !known.includes(n))];
  return [
    { id: 'customer_id', label: 'Customer id', definition: 'The customer id as in the file.' },
    { id: 'segment', label: 'Segment', definition: 'The segment name as shown on the page.' },
    { id: 'segment_number', label: 'Segment number', definition: 'The segment number, from 1 (1 spends the most).' },
    ...(data.rfm
      ? [
          { id: 'rfm_cell', label: 'RFM cell', definition: 'The R, F and M scores written together, e.g. 545.' },
          { id: 'rfm_segment', label: 'RFM segment', definition: 'The named RFM segment of step 2.' },
        ]
      : []),
    ...names.map((n) => ({ id: n, label: feature(n).label, definition: feature(n).definition })),
    { id: 'country', label: 'Country', definition: 'Country of the customer’s first purchase.' },
    ...(data.emails ? [{ id: 'email', label: 'Email', definition: 'The email address as in the file.' }] : []),
    ...(data.phones ? [{ id: 'phone', label: 'Phone', definition: 'The phone number as in the file.' }] : []),
  ];
}

/**
 * Customers of the chosen segments, in file order.
 * @param {ArrayLike<number>} labels
 * @param {Iterable<number>} segments
 * @returns {number[]}
 */
export function customersIn(labels, segments) {
  const wanted = new Set(segments);
  /** @type {number[]} */
  const out = [];
  for (let i = 0; i < labels.length; i++) if (wanted.has(labels[i])) out.push(i);
  return out;
}

/**
 * One cell of a target list.
 * @param {ExportData} data
 * @param {string} column
 * @param {number} i  customer
 * @returns {string | number}
 */
function cell(data, column, i) {
  switch (column) {
    case 'customer_id':
      return data.ids[i];
    case 'segment':
      return data.names[data.labels[i]] ?? '';
    case 'segment_number':
      return data.labels[i] + 1;
    case 'rfm_cell':
      return data.rfm ? `${data.rfm.r[i]}${data.rfm.f[i]}${data.rfm.m[i]}` : '';
    case 'rfm_segment': {
      const s = data.rfm?.segment[i] ?? -1;
      return data.rfm ? (s >= 0 && s < data.rfm.names.length ? data.rfm.names[s] : 'Others') : '';
    }
    case 'country':
      return data.countries[i] ?? '';
    case 'email':
      return data.emails?.[i] ?? '';
    case 'phone':
      return data.phones?.[i] ?? '';
    default: {
      const values = data.features[column];
      return values ? formatNumber(values[i], feature(column).decimals) : '';
    }
  }
}

/**
 * A target list: the chosen columns (in the order of `targetColumns`) for the customers of the
 * chosen segments. Unknown columns are ignored.
 * @param {ExportData} data
 * @param {{columns: string[], segments: Iterable<number>, bom?: boolean}} options
 * @returns {{csv: string, rows: number}}
 */
export function targetListCsv(data, { columns, segments, bom = true }) {
  const chosen = targetColumns(data)
    .filter((c) => columns.includes(c.id))
    .map((c) => c.id);
  const rows = customersIn(data.labels, segments);
  const csv = toCsv(
    chosen,
    (function* () {
      for (const i of rows) yield chosen.map((c) => cell(data, c, i));
    })(),
    { bom },
  );
  return { csv, rows: rows.length };
}

/**
 * The first rows of a target list as text cells, for a preview (the file has the same values).
 * @param {ExportData} data
 * @param {{columns: string[], segments: Iterable<number>}} options
 * @param {number} limit
 * @returns {{header: ColumnChoice[], rows: string[][], count: number}}
 */
export function targetListPreview(data, { columns, segments }, limit) {
  const header = targetColumns(data).filter((c) => columns.includes(c.id));
  const who = customersIn(data.labels, segments);
  const rows = who.slice(0, limit).map((i) => header.map((c) => String(cell(data, c.id, i))));
  return { header, rows, count: who.length };
}

/** A Mailchimp tag cannot hold a comma (Mailchimp splits tags on commas). @param {string} name */
export const mailchimpTag = (name) => name.replaceAll(',', ' ').replace(/\s+/g, ' ').trim();

/**
 * The calling code for a customer's national numbers: their country's, else the default.
 * @param {string} country
 * @param {string} fallback
 */
const callingCodeOf = (country, fallback) => CALLING_CODES[country] ?? fallback;

/**
 * Mailchimp audience import: "Email Address" and "Tags" (the segment name); customers without a
 * usable email are left out.
 * @param {ExportData} data
 * @param {{segments: Iterable<number>}} options
 * @returns {PlatformFile}
 */
export function mailchimpCsv(data, { segments }) {
  const rows = [];
  let skipped = 0;
  for (const i of customersIn(data.labels, segments)) {
    const email = normalizeEmail(data.emails?.[i]);
    if (!email) {
      skipped++;
      continue;
    }
    rows.push([email, mailchimpTag(data.names[data.labels[i]] ?? '')]);
  }
  return { csv: toCsv(['Email Address', 'Tags'], rows, { bom: false }), rows: rows.length, skipped };
}

/**
 * Klaviyo list import: "Email", "Phone Number" in E.164, and the segment as a custom property.
 * @param {ExportData} data
 * @param {{segments: Iterable<number>, callingCode: string}} options
 * @returns {PlatformFile}
 */
export function klaviyoCsv(data, { segments, callingCode }) {
  const rows = [];
  let skipped = 0;
  for (const i of customersIn(data.labels, segments)) {
    const email = normalizeEmail(data.emails?.[i]);
    const phone = normalizePhone(data.phones?.[i], callingCodeOf(data.countries[i], callingCode));
    if (!email && !phone) {
      skipped++;
      continue;
    }
    rows.push([email ?? '', phone ?? '', data.names[data.labels[i]] ?? '']);
  }
  return { csv: toCsv(['Email', 'Phone Number', 'Segment'], rows, { bom: false }), rows: rows.length, skipped };
}

/**
 * Rows of hashed identifiers.
 * @param {ExportData} data
 * @param {Iterable<number>} segments
 * @param {(raw: string | undefined) => string | null} email
 * @param {(raw: string | undefined, code: string) => string | null} phone
 * @param {string} callingCode
 */
async function hashedRows(data, segments, email, phone, callingCode) {
  const who = customersIn(data.labels, segments);
  const emails = who.map((i) => (data.emails ? email(data.emails[i]) : null));
  const phones = who.map((i) => (data.phones ? phone(data.phones[i], callingCodeOf(data.countries[i], callingCode)) : null));
  const [he, hp] = await Promise.all([sha256All(emails), sha256All(phones)]);
  const rows = [];
  let skipped = 0;
  for (let j = 0; j < who.length; j++) {
    if (he[j] === null && hp[j] === null) {
      skipped++;
      continue;
    }
    rows.push([he[j] ?? '', hp[j] ?? '']);
  }
  return { rows, skipped };
}

/**
 * Meta Custom Audiences customer file: EMAIL and PHONE, SHA-256 hex of the normalised values
 * (email trimmed, lower-cased; phone digits with the country code, no '+').
 * @param {ExportData} data
 * @param {{segments: Iterable<number>, callingCode: string}} options
 * @returns {Promise<PlatformFile>}
 */
export async function metaCsv(data, { segments, callingCode }) {
  const { rows, skipped } = await hashedRows(data, segments, normalizeEmail, normalizePhoneMeta, callingCode);
  return { csv: toCsv(['EMAIL', 'PHONE'], rows, { bom: false }), rows: rows.length, skipped };
}

/**
 * Google Customer Match: Email and Phone, SHA-256 hex of the normalised values (email trimmed,
 * lower-cased, Gmail dots and +suffix removed; phone E.164 with '+').
 * @param {ExportData} data
 * @param {{segments: Iterable<number>, callingCode: string}} options
 * @returns {Promise<PlatformFile>}
 */
export async function googleCsv(data, { segments, callingCode }) {
  const { rows, skipped } = await hashedRows(data, segments, normalizeEmailGoogle, normalizePhone, callingCode);
  return { csv: toCsv(['Email', 'Phone'], rows, { bom: false }), rows: rows.length, skipped };
}

/**
 * A file name for the chosen segments: "target-insiders.csv", "target-3-segments.csv".
 * @param {string} prefix
 * @param {number[]} segments
 * @param {string[]} names
 */
export function exportFileName(prefix, segments, names) {
  if (segments.length === names.length) return `${prefix}-all-segments.csv`;
  if (segments.length === 1) {
    const slug = (names[segments[0]] ?? `segment-${segments[0] + 1}`)
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return `${prefix}-${slug || `segment-${segments[0] + 1}`}.csv`;
  }
  return `${prefix}-${segments.length}-segments.csv`;
}
