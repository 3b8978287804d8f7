// @ts-check
/**
 * Step 1's panel: the nine cleaning rules, in the order they run, as switches and selects with
 * their parameters. Every change goes to the page (which re-runs applyRules once the form is
 * valid); a parameter that cannot be used says why, under its field.
 */
import { formatCodeList, parseCodeList, validateRules } from '../model/cleaning-rules.js';
import { byId, el, term } from '../ui/dom.js';

/**
 * @typedef {import('../model/cleaning-rules.js').RulesForm} RulesForm
 * @typedef {import('../model/cleaning-rules.js').RuleField} RuleField
 */

/** Typing in a text or number field applies after this pause (ms). */
const INPUT_DEBOUNCE_MS = 500;

/** The rules in words (cpp/core/cleaning.h), for the legends' tooltips. */
const RULE_INFO = [
  ['Missing customer id', 'Rows without a customer id: drop them, or give each such invoice its own synthetic customer (“guest-…”).'],
  ['Exact duplicates', 'Extra copies of an identical line (same invoice, product, quantity, price, date and customer).'],
  [
    'Cancellations',
    'Negative quantities, rows a returns column flags, and invoices starting with C where the file follows that convention (checked on its invoices): drop them, or keep them as returns netted against purchases.',
  ],
  [
    'Non-product codes',
    'Service and adjustment codes (postage, fees, manual lines, vouchers). Needs a product column; the list is editable. A code of the default list counts only where its description says what it is.',
  ],
  ['Bad unit price', 'Purchase lines with a unit price of zero or below.'],
  ['Country', 'Keep only, or exclude, the ticked countries.'],
  [
    'Analysis window',
    'Keep the last N months up to the last date in the file, or a date range (both days included). Recency is then counted from the window’s end.',
  ],
  ['Outliers', 'Lines whose |quantity| or |line amount| is above a percentile, or outside the fence Q1 − k×IQR … Q3 + k×IQR.'],
  ['Rare products', 'Lines of products bought by fewer than N distinct customers.'],
];

/**
 * @param {{onChange: (patch: Partial<RulesForm>) => void}} actions
 */
export function createRulesPanelView({ onChange }) {
  const form = byId('rules-form', HTMLFormElement);
  form.addEventListener('submit', (event) => event.preventDefault());

  /** @type {Map<RuleField, HTMLElement>} */
  const errors = new Map();
  /** @param {RuleField} field */
  const errorSlot = (field) => {
    const slot = el('p', { className: 'field-error', attrs: { id: `error-${field}`, 'aria-live': 'polite' } });
    slot.hidden = true;
    errors.set(field, slot);
    return slot;
  };

  /** @param {number} n  1-based rule number @param {...(Node | null)} controls */
  const rule = (n, ...controls) => {
    const [title, definition] = RULE_INFO[n - 1];
    return el(
      'fieldset',
      { className: 'rule', attrs: { 'data-rule-number': n } },
      el(
        'legend',
        { className: 'rule-legend' },
        el('span', { className: 'rule-number', text: String(n), attrs: { 'aria-hidden': 'true' } }),
        term(title, definition),
      ),
      ...controls,
    );
  };

  /** @param {string} id @param {string} label */
  const switchControl = (id, label) => {
    const input = el('input', { attrs: { type: 'checkbox', role: 'switch', id } });
    return {
      input,
      node: el(
        'label',
        { className: 'switch', attrs: { for: id } },
        input,
        el('span', { className: 'switch-track', attrs: { 'aria-hidden': 'true' } }),
        el('span', { text: label }),
      ),
    };
  };

  /** @param {string} id @param {string} label @param {[string, string][]} choices */
  const selectControl = (id, label, choices) => {
    const input = el('select', { className: 'select', attrs: { id } });
    for (const [value, text] of choices) {
      const option = el('option', { text });
      option.value = value;
      input.append(option);
    }
    return {
      input,
      node: el('div', { className: 'field' }, el('label', { className: 'field-label visually-hidden', text: label, attrs: { for: id } }), input),
    };
  };

  /** @param {string} id @param {string} label @param {Record<string, string | number>} attrs */
  const inputControl = (id, label, attrs) => {
    const input = el('input', { className: 'input', attrs: { id, ...attrs } });
    return { input, node: el('div', { className: 'field field-param' }, el('label', { className: 'field-label', text: label, attrs: { for: id } }), input) };
  };

  const missing = selectControl('rule-missing-customer', 'Rows without a customer id', [
    ['drop', 'Drop the rows'],
    ['synthetic', 'Each invoice is its own customer'],
  ]);
  const duplicates = switchControl('rule-duplicates', 'Drop extra copies');
  const cancellations = selectControl('rule-cancellations', 'Cancellations', [
    ['drop', 'Drop them'],
    ['net', 'Keep as returns (net spend)'],
  ]);
  const prefix = selectControl('rule-cancel-prefix', 'Invoices starting with C', [
    ['auto', 'Cancel where the file shows it'],
    ['on', 'Always cancel'],
    ['off', 'Never cancel by the letter'],
  ]);
  // This select needs its label on screen: "Always cancel" alone would not say what.
  prefix.node.querySelector('label')?.classList.remove('visually-hidden');
  /** The rule's check on this file (from the ledger), under rules that guess. @param {string} key */
  const checkNote = (key) => el('p', { className: 'rule-check-note', attrs: { 'data-check': key, 'aria-live': 'polite' } });
  const missingCheck = checkNote('missing_customer');
  const prefixCheck = checkNote('cancellations');
  const nonProductCheck = checkNote('non_product');
  const nonProduct = switchControl('rule-non-product', 'Drop these codes');
  const codes = el('textarea', {
    className: 'input textarea',
    attrs: { id: 'rule-non-product-codes', rows: 3, spellcheck: 'false', 'aria-describedby': 'error-nonProductCodes' },
  });
  const codesField = el(
    'div',
    { className: 'field field-param' },
    el('label', { className: 'field-label', text: 'Codes, comma-separated', attrs: { for: 'rule-non-product-codes' } }),
    codes,
    errorSlot('nonProductCodes'),
  );
  const badPrice = switchControl('rule-bad-price', 'Drop price ≤ 0');
  const countryMode = selectControl('rule-country-mode', 'Countries', [
    ['all', 'Every country'],
    ['keep', 'Keep only the ticked'],
    ['exclude', 'Exclude the ticked'],
  ]);
  const countryList = el('div', {
    className: 'check-list',
    attrs: { id: 'rule-countries', role: 'group', 'aria-label': 'Countries', 'aria-describedby': 'error-countries' },
  });
  const countryField = el('div', { className: 'field field-param' }, countryList, errorSlot('countries'));
  const windowMode = selectControl('rule-window-mode', 'Analysis window', [
    ['all', 'The whole file'],
    ['months', 'The last N months'],
    ['range', 'A date range'],
  ]);
  const months = inputControl('rule-window-months', 'Months', {
    type: 'number',
    min: 1,
    step: 1,
    inputmode: 'numeric',
    'aria-describedby': 'error-windowMonths',
  });
  months.node.append(errorSlot('windowMonths'));
  const from = inputControl('rule-window-start', 'From', { type: 'date', 'aria-describedby': 'error-windowStart' });
  from.node.append(errorSlot('windowStart'));
  const to = inputControl('rule-window-end', 'To', { type: 'date', 'aria-describedby': 'error-windowEnd' });
  to.node.append(errorSlot('windowEnd'));
  const outliers = selectControl('rule-outliers', 'Outliers', [
    ['off', 'Keep every line'],
    ['percentile', 'Drop above a percentile'],
    ['iqr', 'Drop beyond an IQR fence'],
  ]);
  const percentile = inputControl('rule-outlier-percentile', 'Percentile', {
    type: 'number',
    min: 0.1,
    max: 100,
    step: 0.1,
    inputmode: 'decimal',
    'aria-describedby': 'error-outlierPercentile',
  });
  percentile.node.append(errorSlot('outlierPercentile'));
  const iqr = inputControl('rule-iqr-factor', 'IQR factor k', {
    type: 'number',
    min: 0.5,
    step: 0.5,
    inputmode: 'decimal',
    'aria-describedby': 'error-iqrFactor',
  });
  iqr.node.append(errorSlot('iqrFactor'));
  const rare = switchControl('rule-rare-products', 'Drop rare products');
  const minCustomers = inputControl('rule-min-product-customers', 'Bought by fewer than (customers)', {
    type: 'number',
    min: 1,
    step: 1,
    inputmode: 'numeric',
    'aria-describedby': 'error-minProductCustomers',
  });
  minCustomers.node.append(errorSlot('minProductCustomers'));

  const fieldset = el(
    'fieldset',
    { className: 'rules-fieldset' },
    el('legend', { className: 'visually-hidden', text: 'Cleaning rules' }),
    rule(1, missing.node, missingCheck),
    rule(2, duplicates.node),
    rule(3, cancellations.node, prefix.node, prefixCheck),
    rule(4, nonProduct.node, codesField, nonProductCheck),
    rule(5, badPrice.node),
    rule(6, countryMode.node, countryField),
    rule(7, windowMode.node, months.node, el('div', { className: 'field-row' }, from.node, to.node)),
    rule(8, outliers.node, percentile.node, iqr.node),
    rule(9, rare.node, minCustomers.node),
  );
  form.replaceChildren(fieldset);
  const dateRow = /** @type {HTMLElement} */ (from.node.parentElement);

  // ---------- events ----------
  /** @param {HTMLSelectElement} input @param {(v: string) => Partial<RulesForm>} patch */
  const onSelect = (input, patch) => input.addEventListener('change', () => onChange(patch(input.value)));
  /** @param {HTMLInputElement} input @param {(v: boolean) => Partial<RulesForm>} patch */
  const onSwitch = (input, patch) => input.addEventListener('change', () => onChange(patch(input.checked)));
  /** @type {Map<HTMLElement, ReturnType<typeof setTimeout>>} */
  const timers = new Map();
  /** @param {HTMLInputElement | HTMLTextAreaElement} input @param {(v: string) => Partial<RulesForm>} patch */
  const onText = (input, patch) => {
    const commit = () => {
      clearTimeout(timers.get(input));
      timers.delete(input);
      onChange(patch(input.value));
    };
    input.addEventListener('input', () => {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(commit, INPUT_DEBOUNCE_MS));
    });
    input.addEventListener('change', commit);
  };
  const number = (/** @type {string} */ v) => (v.trim() === '' ? Number.NaN : Number(v));

  onSelect(missing.input, (v) => ({ missingCustomer: /** @type {RulesForm['missingCustomer']} */ (v) }));
  onSwitch(duplicates.input, (v) => ({ dropDuplicates: v }));
  onSelect(cancellations.input, (v) => ({ cancellations: /** @type {RulesForm['cancellations']} */ (v) }));
  onSelect(prefix.input, (v) => ({ cancelPrefix: /** @type {RulesForm['cancelPrefix']} */ (v) }));
  onSwitch(nonProduct.input, (v) => ({ dropNonProduct: v }));
  onText(codes, (v) => ({ nonProductCodes: parseCodeList(v) }));
  onSwitch(badPrice.input, (v) => ({ dropBadPrice: v }));
  onSelect(countryMode.input, (v) => ({ countryMode: /** @type {RulesForm['countryMode']} */ (v) }));
  countryList.addEventListener('change', () => {
    const ticked = [...countryList.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value);
    onChange({ countries: ticked });
  });
  onSelect(windowMode.input, (v) => ({ windowMode: /** @type {RulesForm['windowMode']} */ (v) }));
  onText(months.input, (v) => ({ windowMonths: number(v) }));
  onText(from.input, (v) => ({ windowStart: v }));
  onText(to.input, (v) => ({ windowEnd: v }));
  onSelect(outliers.input, (v) => ({ outliers: /** @type {RulesForm['outliers']} */ (v) }));
  onText(percentile.input, (v) => ({ outlierPercentile: number(v) }));
  onText(iqr.input, (v) => ({ iqrFactor: number(v) }));
  onSwitch(rare.input, (v) => ({ rareProducts: v }));
  onText(minCustomers.input, (v) => ({ minProductCustomers: number(v) }));

  // ---------- render ----------
  /** @type {string[] | null} */
  let shownCountries = null;

  /** @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} input @param {string} value */
  const setValue = (input, value) => {
    if (document.activeElement !== input && !timers.has(input) && input.value !== value) input.value = value;
  };
  /** @param {number} v */
  const numberText = (v) => (Number.isFinite(v) ? String(v) : '');

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    const r = state.rules;
    // Without a read table there is nothing to clean: fix the columns or formats first.
    fieldset.disabled = state.analysis.error?.source === 'read';

    setValue(missing.input, r.missingCustomer);
    duplicates.input.checked = r.dropDuplicates;
    setValue(cancellations.input, r.cancellations);
    setValue(prefix.input, r.cancelPrefix);
    // What each guessing rule checked on this file: the ledger's decision, in a sentence.
    for (const [key, note] of /** @type {[string, HTMLElement][]} */ ([
      ['missing_customer', missingCheck],
      ['cancellations', prefixCheck],
      ['non_product', nonProductCheck],
    ])) {
      const decision = state.analysis.value?.ledger?.rules.find((e) => e.rule === key)?.decision ?? null;
      note.hidden = !decision;
      note.classList.toggle('is-not-applicable', !!decision && !decision.applies);
      note.textContent = decision ? decision.outcome : '';
      note.title = decision?.evidence ?? '';
    }
    nonProduct.input.checked = r.dropNonProduct;
    if (parseCodeList(codes.value).join(',') !== r.nonProductCodes.join(',')) setValue(codes, formatCodeList(r.nonProductCodes));
    codesField.hidden = !r.dropNonProduct;
    badPrice.input.checked = r.dropBadPrice;
    setValue(countryMode.input, r.countryMode);
    countryField.hidden = r.countryMode === 'all';
    setValue(windowMode.input, r.windowMode);
    setValue(months.input, numberText(r.windowMonths));
    setValue(from.input, r.windowStart);
    setValue(to.input, r.windowEnd);
    const summary = state.analysis.value?.summary;
    if (summary) {
      for (const input of [from.input, to.input]) {
        input.min = summary.firstDate;
        input.max = summary.lastDate;
      }
    }
    months.node.hidden = r.windowMode !== 'months';
    dateRow.hidden = r.windowMode !== 'range';
    setValue(outliers.input, r.outliers);
    setValue(percentile.input, numberText(r.outlierPercentile));
    setValue(iqr.input, numberText(r.iqrFactor));
    percentile.node.hidden = r.outliers !== 'percentile';
    iqr.node.hidden = r.outliers !== 'iqr';
    rare.input.checked = r.rareProducts;
    setValue(minCustomers.input, numberText(r.minProductCustomers));
    minCustomers.node.hidden = !r.rareProducts;

    // The file's countries (a ticked one stays listed even when the filter removed it).
    const names = [...new Set([...state.knownCountries, ...r.countries])].sort((a, b) => a.localeCompare(b));
    if (!shownCountries || shownCountries.join('\n') !== names.join('\n')) {
      shownCountries = names;
      countryList.replaceChildren(
        ...names.map((name, i) => {
          const id = `country-${i}`;
          const box = el('input', { attrs: { type: 'checkbox', id } });
          box.value = name;
          return el('label', { className: 'check', attrs: { for: id } }, box, el('span', { text: name || '(no country)' }));
        }),
      );
    }
    const ticked = new Set(r.countries);
    for (const box of countryList.querySelectorAll('input')) box.checked = ticked.has(box.value);

    const problems = new Map(validateRules(r).map((p) => [p.field, p.message]));
    for (const [field, slot] of errors) {
      const message = problems.get(field);
      slot.hidden = !message;
      slot.textContent = message ?? '';
    }
  };
}
