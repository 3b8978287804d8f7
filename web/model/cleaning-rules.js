// @ts-check
/**
 * The cleaning rules as the page's form holds them, and their translation into the wasm's
 * CleaningRules (docs/protocol.md §1; cpp/core/cleaning.h). Pure, so Node tests check it.
 *
 * The form keeps every parameter even while its rule is off (turning a rule back on restores
 * what was typed), and says which rule is on with explicit modes.
 */

import { defaultOf, defaultsOf, param } from './schema.js';

/**
 * @typedef {{
 *   missingCustomer: 'drop' | 'synthetic',
 *   dropDuplicates: boolean,
 *   cancellations: 'drop' | 'net',
 *   cancelPrefix: 'auto' | 'on' | 'off',
 *   dropNonProduct: boolean,
 *   nonProductCodes: string[],
 *   dropBadPrice: boolean,
 *   countryMode: 'all' | 'keep' | 'exclude',
 *   countries: string[],
 *   windowMode: 'all' | 'months' | 'range',
 *   windowMonths: number,
 *   windowStart: string,
 *   windowEnd: string,
 *   outliers: 'off' | 'percentile' | 'iqr',
 *   outlierPercentile: number,
 *   iqrFactor: number,
 *   rareProducts: boolean,
 *   minProductCustomers: number,
 * }} RulesForm
 */

/**
 * The core's defaults (its schema: drop rows without customer id and cancellations, every other
 * rule off), as the form holds them. A rule that is off by default shows the value the schema
 * suggests for when it is turned on.
 * @returns {RulesForm}
 */
export function defaultRules() {
  return rulesFormOf(defaultsOf('clean'));
}

/**
 * The form for the core's clean group (a saved project's, or the core's defaults): the inverse
 * of toWasmRules. A rule that is off keeps the value the schema suggests for it.
 * @param {Record<string, any>} clean  the core's clean group (every key; defaults where absent)
 * @returns {RulesForm}
 */
export function rulesFormOf(clean) {
  const d = { ...defaultsOf('clean'), ...clean };
  const suggested = (/** @type {string} */ key) => /** @type {number} */ (param('clean', key).suggested);
  return {
    missingCustomer: d.missingCustomer,
    dropDuplicates: d.dropDuplicates,
    cancellations: d.cancellations,
    cancelPrefix: d.cancelPrefix,
    dropNonProduct: d.dropNonProduct,
    nonProductCodes: [...d.nonProductCodes],
    dropBadPrice: d.dropBadPrice,
    countryMode: d.countries.length === 0 ? 'all' : d.excludeCountries ? 'exclude' : 'keep',
    countries: [...d.countries],
    windowMode: d.windowMonths > 0 ? 'months' : d.windowStart || d.windowEnd ? 'range' : 'all',
    windowMonths: d.windowMonths > 0 ? d.windowMonths : suggested('windowMonths'),
    windowStart: d.windowStart,
    windowEnd: d.windowEnd,
    outliers: d.outliers,
    outlierPercentile: d.outlierPercentile,
    iqrFactor: d.iqrFactor,
    rareProducts: d.minProductCustomers > 0,
    minProductCustomers: d.minProductCustomers > 0 ? d.minProductCustomers : suggested('minProductCustomers'),
  };
}

/**
 * "POST, DOT ,, M" → ["POST", "DOT", "M"]: trimmed, empty entries and repeats dropped, case kept
 * (codes are case-sensitive: "M" and "m" differ).
 * @param {string} text
 * @returns {string[]}
 */
export function parseCodeList(text) {
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** @param {readonly string[]} codes */
export const formatCodeList = (codes) => codes.join(', ');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** @param {string} s  a real calendar date YYYY-MM-DD */
function isIsoDate(s) {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * @typedef {'nonProductCodes' | 'countries' | 'windowMonths' | 'windowStart' | 'windowEnd' |
 *           'outlierPercentile' | 'iqrFactor' | 'minProductCustomers'} RuleField
 * @typedef {{field: RuleField, message: string}} RuleProblem
 */

/**
 * What keeps the form from being applied, per field, in words that say what to do. Only the
 * parameters of rules that are on are checked.
 * @param {RulesForm} form
 * @returns {RuleProblem[]}
 */
export function validateRules(form) {
  /** @type {RuleProblem[]} */
  const problems = [];
  if (form.dropNonProduct && form.nonProductCodes.length === 0) {
    problems.push({ field: 'nonProductCodes', message: 'List at least one code, separated by commas, or turn the rule off.' });
  }
  if (form.countryMode !== 'all' && form.countries.length === 0) {
    problems.push({ field: 'countries', message: 'Tick at least one country, or choose “Every country”.' });
  }
  if (form.windowMode === 'months' && !(Number.isInteger(form.windowMonths) && form.windowMonths >= 1)) {
    problems.push({ field: 'windowMonths', message: 'Enter a whole number of months, 1 or more.' });
  }
  if (form.windowMode === 'range') {
    if (form.windowStart && !isIsoDate(form.windowStart)) {
      problems.push({ field: 'windowStart', message: 'Enter the first day as YYYY-MM-DD.' });
    }
    if (form.windowEnd && !isIsoDate(form.windowEnd)) {
      problems.push({ field: 'windowEnd', message: 'Enter the last day as YYYY-MM-DD.' });
    }
    if (!form.windowStart && !form.windowEnd) {
      problems.push({ field: 'windowStart', message: 'Enter a first day, a last day, or both.' });
    } else if (isIsoDate(form.windowStart) && isIsoDate(form.windowEnd) && form.windowStart > form.windowEnd) {
      problems.push({ field: 'windowEnd', message: 'The last day is before the first day.' });
    }
  }
  if (form.outliers === 'percentile' && !(form.outlierPercentile > 0 && form.outlierPercentile <= 100)) {
    problems.push({ field: 'outlierPercentile', message: 'Enter a percentile above 0 and at most 100, e.g. 99.9.' });
  }
  if (form.outliers === 'iqr' && !(form.iqrFactor > 0 && Number.isFinite(form.iqrFactor))) {
    problems.push({ field: 'iqrFactor', message: 'Enter a factor above 0, e.g. 3.' });
  }
  if (form.rareProducts && !(Number.isInteger(form.minProductCustomers) && form.minProductCustomers >= 1)) {
    problems.push({ field: 'minProductCustomers', message: 'Enter a whole number of customers, 1 or more.' });
  }
  return problems;
}

/**
 * The wasm's CleaningRules for a valid form: rules that are off get their neutral values.
 * @param {RulesForm} form
 * @returns {import('../api/protocol.js').CleaningRules}
 */
export function toWasmRules(form) {
  /** @type {import('../api/protocol.js').CleaningRules} */
  const rules = {
    missingCustomer: form.missingCustomer,
    dropDuplicates: form.dropDuplicates,
    cancellations: form.cancellations,
    cancelPrefix: form.cancelPrefix,
    dropNonProduct: form.dropNonProduct,
    nonProductCodes: [...form.nonProductCodes],
    dropBadPrice: form.dropBadPrice,
    countries: form.countryMode === 'all' ? [] : [...form.countries],
    excludeCountries: form.countryMode === 'exclude',
    windowMonths: form.windowMode === 'months' ? form.windowMonths : 0,
    outliers: form.outliers,
    // The core checks these even when the rule is off: send the defaults unless they are used.
    outlierPercentile: form.outliers === 'percentile' ? form.outlierPercentile : defaultOf('clean', 'outlierPercentile'),
    iqrFactor: form.outliers === 'iqr' ? form.iqrFactor : defaultOf('clean', 'iqrFactor'),
    minProductCustomers: form.rareProducts ? form.minProductCustomers : 0,
  };
  if (form.windowMode === 'range') {
    if (form.windowStart) rules.windowStart = form.windowStart;
    if (form.windowEnd) rules.windowEnd = form.windowEnd;
  }
  return rules;
}

/**
 * The CLI flags for the same rules (`loyaltylens clean FILE …`), to reproduce a page result on
 * the command line (and for the e2e test).
 * @param {RulesForm} form
 * @returns {string[]}
 */
export function cliArgs(form) {
  const r = toWasmRules(form);
  /** @type {string[]} */
  const args = [];
  if (r.missingCustomer !== 'drop') args.push('--missing-customer', r.missingCustomer);
  if (r.dropDuplicates) args.push('--drop-duplicates');
  if (r.cancellations !== 'drop') args.push('--cancellations', r.cancellations);
  if (r.cancelPrefix && r.cancelPrefix !== 'auto') args.push('--cancel-prefix', r.cancelPrefix);
  if (r.dropNonProduct) args.push('--drop-non-product');
  if (formatCodeList(form.nonProductCodes) !== formatCodeList(defaultOf('clean', 'nonProductCodes'))) {
    args.push('--non-product-codes', form.nonProductCodes.join(','));
  }
  if (r.dropBadPrice) args.push('--drop-bad-price');
  if (r.countries.length > 0) args.push(r.excludeCountries ? '--exclude-countries' : '--countries', r.countries.join(','));
  if (r.windowMonths > 0) args.push('--window-months', String(r.windowMonths));
  if (r.windowStart) args.push('--from', r.windowStart);
  if (r.windowEnd) args.push('--to', r.windowEnd);
  if (r.outliers !== 'off') {
    args.push('--outliers', r.outliers);
    if (r.outliers === 'percentile') args.push('--outlier-percentile', String(r.outlierPercentile));
    else args.push('--iqr-factor', String(r.iqrFactor));
  }
  if (r.minProductCustomers > 0) args.push('--min-product-customers', String(r.minProductCustomers));
  return args;
}
