// @ts-check
/**
 * The cleaning rules as the page's form holds them, and their translation into the wasm's
 * CleaningRules (docs/protocol.md §1; cpp/core/cleaning.h). Pure, so Node tests check it.
 *
 * The form keeps every parameter even while its rule is off (turning a rule back on restores
 * what was typed), and says which rule is on with explicit modes.
 */

/**
 * The core's default non-product codes (cpp/core/cleaning.cpp). The wasm API has no call that
 * returns the default rules, so the page keeps this copy; a Node test compares it with the
 * ledger's description of the default list.
 */
export const DEFAULT_NON_PRODUCT_CODES = Object.freeze([
  'POST', 'DOT', 'M', 'm', 'D', 'C2', 'CRUK', 'BANK CHARGES', 'AMAZONFEE', 'S', 'PADS', 'B',
  'ADJUST', 'ADJUST2', 'TEST001', 'TEST002', 'gift_0001_10', 'gift_0001_20', 'gift_0001_30',
  'gift_0001_40', 'gift_0001_50', 'DCGSSBOY', 'DCGSSGIRL',
]);

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

const DEFAULT_PERCENTILE = 99.9;
const DEFAULT_IQR_FACTOR = 3;

/** The core's defaults: drop rows without customer id and cancellations, every other rule off. @returns {RulesForm} */
export function defaultRules() {
  return {
    missingCustomer: 'drop',
    dropDuplicates: false,
    cancellations: 'drop',
    cancelPrefix: 'auto',
    dropNonProduct: false,
    nonProductCodes: [...DEFAULT_NON_PRODUCT_CODES],
    dropBadPrice: false,
    countryMode: 'all',
    countries: [],
    windowMode: 'all',
    windowMonths: 12,
    windowStart: '',
    windowEnd: '',
    outliers: 'off',
    outlierPercentile: DEFAULT_PERCENTILE,
    iqrFactor: DEFAULT_IQR_FACTOR,
    rareProducts: false,
    minProductCustomers: 2,
  };
}

/**
 * "POST, DOT ,, M" → ["POST", "DOT", "M"]: trimmed, empty entries and repeats dropped, case kept
 * (codes are case-sensitive: "M" and "m" differ).
 * @param {string} text
 * @returns {string[]}
 */
export function parseCodeList(text) {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
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
    outlierPercentile: form.outliers === 'percentile' ? form.outlierPercentile : DEFAULT_PERCENTILE,
    iqrFactor: form.outliers === 'iqr' ? form.iqrFactor : DEFAULT_IQR_FACTOR,
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
  if (formatCodeList(form.nonProductCodes) !== formatCodeList(DEFAULT_NON_PRODUCT_CODES)) {
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
