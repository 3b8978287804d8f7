// @ts-check
/**
 * Contact values made ready for ad and e-mail platforms: emails and phone numbers normalised the
 * way each platform matches them, then hashed with SHA-256 in the page (crypto.subtle; nothing is
 * sent anywhere). Pure apart from crypto.subtle, which Node 20 has too (globalThis.crypto).
 *
 *   Meta Custom Audiences   email: trimmed, lower-cased.  phone: digits only, with the country
 *                           code, no '+' (e.g. 447700900123).  Both SHA-256, lower-case hex.
 *   Google Customer Match   email: trimmed, lower-cased; for gmail.com / googlemail.com the dots
 *                           and any "+suffix" before the @ removed.  phone: E.164 with '+'
 *                           (e.g. +447700900123).  Both SHA-256, lower-case hex.
 *   Klaviyo                 phone in E.164 (+447700900123), not hashed.
 */

/** A plausible address: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Email as Meta matches it: trimmed and lower-cased; null when it is not an address.
 * @param {string | null | undefined} raw
 */
export function normalizeEmail(raw) {
  const email = (raw ?? '').trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}

/** Google's Gmail rule applies to these domains. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Email as Google Customer Match matches it: trimmed, lower-cased, and for gmail.com and
 * googlemail.com addresses without the dots and the "+suffix" of the local part.
 * @param {string | null | undefined} raw
 */
export function normalizeEmailGoogle(raw) {
  const email = normalizeEmail(raw);
  if (!email) return null;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (!GMAIL_DOMAINS.has(domain)) return email;
  const local = email.slice(0, at).split('+')[0].replaceAll('.', '');
  return local ? `${local}@${domain}` : null;
}

/**
 * Country calling codes (ITU-T E.164) of the countries the sample data and common retail exports
 * name, for numbers written without one.
 * @type {Record<string, string>}
 */
export const CALLING_CODES = {
  'United Kingdom': '44',
  UK: '44',
  'Channel Islands': '44',
  EIRE: '353',
  Ireland: '353',
  France: '33',
  Germany: '49',
  Spain: '34',
  Netherlands: '31',
  Belgium: '32',
  Switzerland: '41',
  Portugal: '351',
  Italy: '39',
  Austria: '43',
  Denmark: '45',
  Norway: '47',
  Sweden: '46',
  Finland: '358',
  Iceland: '354',
  Poland: '48',
  'Czech Republic': '420',
  Lithuania: '370',
  Greece: '30',
  Cyprus: '357',
  Malta: '356',
  Israel: '972',
  Lebanon: '961',
  'Saudi Arabia': '966',
  'United Arab Emirates': '971',
  Bahrain: '973',
  RSA: '27',
  'South Africa': '27',
  Japan: '81',
  Singapore: '65',
  'Hong Kong': '852',
  Australia: '61',
  'New Zealand': '64',
  Canada: '1',
  USA: '1',
  'United States': '1',
  Brazil: '55',
  Mexico: '52',
  India: '91',
  China: '86',
};

/** Countries whose national numbers keep their leading 0 after the country code (Italy). */
const KEEP_TRUNK_ZERO = new Set(['39']);

/**
 * A phone number in E.164 ("+447700900123"), or null when it cannot be made one.
 * Numbers starting with + or 00 carry their country code; any other number is national: its
 * trunk prefix 0 is dropped (kept for Italy) and `callingCode` put in front. Extensions
 * ("x12", "ext. 12") and a "(0)" after the country code are dropped. E.164 allows 8 to 15 digits in all.
 * @param {string | null | undefined} raw
 * @param {string} callingCode  digits, e.g. "44"; '' when unknown (national numbers then fail)
 */
export function normalizePhone(raw, callingCode) {
  // "(0)" marks a trunk prefix to leave out when dialling from abroad: +44 (0)20 … is +44 20 ….
  const text = (raw ?? '')
    .trim()
    .replace(/\s*(?:x|ext\.?|extension)\s*\d+$/i, '')
    .replace(/\(0\)/g, '');
  if (!text) return null;
  let digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) {
    // Already international.
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else {
    const code = callingCode.replace(/\D/g, '');
    if (!code) return null;
    if (code === '1' && digits.length === 11 && digits.startsWith('1')) {
      // North American numbers are often written with their country code and no '+'.
    } else {
      if (digits.startsWith('0') && !KEEP_TRUNK_ZERO.has(code)) digits = digits.slice(1);
      digits = code + digits;
    }
  }
  return digits.length >= 8 && digits.length <= 15 && !digits.startsWith('0') ? `+${digits}` : null;
}

/**
 * Phone as Meta matches it: E.164 digits without '+'.
 * @param {string | null | undefined} raw
 * @param {string} callingCode
 */
export function normalizePhoneMeta(raw, callingCode) {
  const e164 = normalizePhone(raw, callingCode);
  return e164 ? e164.slice(1) : null;
}

/**
 * SHA-256 of the UTF-8 bytes of `text`, as lower-case hex.
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function sha256Hex(text) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Hashes many values, a batch at a time (so a long list does not hold the page for long);
 * null stays null.
 * @param {(string | null)[]} values
 * @param {{batch?: number}} [options]
 * @returns {Promise<(string | null)[]>}
 */
export async function sha256All(values, { batch = 2000 } = {}) {
  /** @type {(string | null)[]} */
  const out = new Array(values.length).fill(null);
  for (let start = 0; start < values.length; start += batch) {
    const end = Math.min(values.length, start + batch);
    const hashes = await Promise.all(values.slice(start, end).map((v) => (v === null ? null : sha256Hex(v))));
    for (let i = start; i < end; i++) out[i] = hashes[i - start];
  }
  return out;
}

/**
 * The calling code used for national numbers when a customer's country has none in the table:
 * that of the most common country among the customers, else ''.
 * @param {string[]} countries  one per customer
 */
export function defaultCallingCode(countries) {
  // Asked on every render of the Export step: counted once per country list.
  let code = callingCodeCache.get(countries);
  if (code === undefined) {
    code = mostCommonCallingCode(countries);
    callingCodeCache.set(countries, code);
  }
  return code;
}

/** @type {WeakMap<string[], string>} */
const callingCodeCache = new WeakMap();

/** @param {string[]} countries */
function mostCommonCallingCode(countries) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const c of countries) if (CALLING_CODES[c]) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best = '';
  let most = 0;
  for (const [c, n] of counts) if (n > most) [best, most] = [c, n];
  return best ? CALLING_CODES[best] : '';
}
