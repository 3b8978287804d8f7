// @ts-check
/**
 * Step 1, "How the file was read": what the reader detected (encoding, delimiter, layout, date
 * and number formats), overrides for the formats, and one select per column role. A change
 * reads the file again in the worker (it still holds the File); nothing else is re-run by hand.
 */
import { ROLES } from '../api/protocol.js';
import { byId, el, h, select, term } from '../ui/dom.js';

/**
 * @typedef {import('../api/protocol.js').Role} Role
 * @typedef {import('../api/protocol.js').ReadOverrides} ReadOverrides
 */

/** @type {Record<Role, {label: string, definition: string, required?: boolean}>} */
export const ROLE_INFO = {
  customer: { label: 'Customer id', required: true, definition: 'Who bought: one id per customer. Rows without one are handled by cleaning rule 1.' },
  invoice: {
    label: 'Invoice',
    definition:
      'Order number: frequency counts distinct invoices. Invoices starting with C are cancellations where the file follows that convention (checked). Without one, each customer’s purchases on a day are one order.',
  },
  date: { label: 'Invoice date', required: true, definition: 'When the order was placed: recency, tenure, the analysis window and cohorts use it.' },
  quantity: {
    label: 'Quantity',
    definition: 'Units on the line; a negative quantity is a return. Needed with a unit price; without one the line amount is used.',
  },
  price: { label: 'Unit price', definition: 'Price of one unit: line amount = quantity × unit price. Needed unless there is a line amount.' },
  amount: { label: 'Line amount', definition: 'Total of the line, used when the file has no unit price.' },
  product: { label: 'Product code', definition: 'Stock code: the non-product codes and rare products rules use it.' },
  description: { label: 'Description', definition: 'Product name, shown in the ledger’s example rows.' },
  country: { label: 'Country', definition: 'The country filter uses it; a customer’s country is that of their first purchase.' },
  email: { label: 'Email', definition: 'Contact column: read and kept, not analysed.' },
  phone: { label: 'Phone', definition: 'Contact column: read and kept, not analysed.' },
  return: {
    label: 'Returns flag',
    definition: 'A yes/no column marking returned lines (Returned, IsReturn, Refund): marked lines count as returns (cleaning rule 3).',
  },
};

/** @type {Record<string, string>} */
const DELIMITERS = { ',': 'comma', ';': 'semicolon', tab: 'tab', '\t': 'tab', '|': 'pipe', space: 'space' };

/**
 * The role map the form shows: what the last read used, or, while a read with other roles failed,
 * the roles that were asked for (so the user sees what to fix).
 * @param {import('../api/protocol.js').Summary} summary
 * @param {ReadOverrides} options
 * @param {boolean} failed  the last read with `options` failed
 * @returns {import('../api/protocol.js').RoleMap}
 */
export function shownRoles(summary, options, failed) {
  return /** @type {import('../api/protocol.js').RoleMap} */ (
    Object.fromEntries(
      ROLES.map((role) => [role, failed && options.roles && role in options.roles ? (options.roles[role] ?? null) : (summary.roles[role] ?? null)]),
    )
  );
}

/**
 * Roles the reader did not take as asked (e.g. a column given to two roles): role → what was asked.
 * @param {import('../api/protocol.js').Summary} summary
 * @param {ReadOverrides} options
 * @returns {Partial<Record<Role, string | null>>}
 */
export function roleMismatches(summary, options) {
  /** @type {Partial<Record<Role, string | null>>} */
  const out = {};
  for (const role of ROLES) {
    if (!options.roles || !(role in options.roles)) continue;
    const asked = options.roles[role] ?? null;
    if (asked !== (summary.roles[role] ?? null)) out[role] = asked;
  }
  return out;
}

/**
 * A new role map with `column` for `role`; a column has one role, so another role that had the
 * same column is set to none (the form shows it).
 * @param {import('../api/protocol.js').RoleMap} roles
 * @param {Role} role
 * @param {string | null} column
 * @returns {import('../api/protocol.js').RoleMap}
 */
export function assignRole(roles, role, column) {
  const next = { ...roles, [role]: column };
  if (column !== null) for (const other of ROLES) if (other !== role && next[other] === column) next[other] = null;
  return next;
}

/**
 * @param {{onRead: (options: ReadOverrides) => void}} actions
 *   onRead: read the file again with these overrides (a complete set: roles, formats)
 */
export function createReadingView({ onRead }) {
  const formatList = byId('format-list');
  const formatForm = byId('format-form');
  const decisionList = byId('decision-list');
  const rolesForm = byId('roles-form');
  /** @type {import('../api/protocol.js').Summary | null} */
  let shownSummary = null;
  /** @type {ReadOverrides | null} */
  let shownOptions = null;

  /** @param {[string, string, string][]} items  label, value, definition */
  function renderFormats(items) {
    formatList.replaceChildren(
      ...items.map(([label, value, definition]) => el('div', { className: 'format-item' }, el('dt', {}, term(label, definition)), el('dd', { text: value }))),
    );
  }

  /**
   * @param {import('../state.js').AppState} state
   */
  function draw(state) {
    const summary = /** @type {import('../api/protocol.js').Summary} */ (state.analysis.value?.summary);
    const options = state.readOptions;
    const ragged = summary.ragged;
    const dialect = summary.dialect ?? { quote: '"', escape: '', comment: '', skipInitialSpace: false, commentLines: 0, evidence: [] };
    const raggedText =
      !ragged || ragged.shortRows + ragged.longRows === 0 ? 'none' : `${ragged.shortRows + ragged.longRows} (${ragged.policy === 'skip' ? 'skipped' : 'kept'})`;
    renderFormats([
      ['Encoding', summary.encoding, 'Text encoding of the file, detected from its bytes (byte order mark, UTF-8 validity, Windows-1252).'],
      ['Delimiter', DELIMITERS[summary.delimiter] ?? summary.delimiter, 'The character between fields, sniffed from the first lines.'],
      [
        'Quotes',
        dialect.quote === "'" ? 'single (’…’)' : dialect.quote === '' ? 'none' : 'double ("…")',
        'The character around fields that hold a delimiter or a line break.',
      ],
      [
        'Escapes',
        dialect.escape ? `backslash (\\${dialect.quote || '"'})` : 'doubled quotes',
        'How a quote is written inside a quoted field: doubled (RFC 4180) or after a backslash (MySQL).',
      ],
      [
        'Spaces after delimiter',
        dialect.skipInitialSpace ? 'skipped' : 'kept',
        'Whether a space right after a delimiter belongs to the field (files written with ", ").',
      ],
      [
        'Comment lines',
        dialect.commentLines ? `${dialect.commentLines} skipped` : 'none',
        'Lines starting with # before the header (or anywhere, if you choose a comment character) are not data.',
      ],
      [
        'Rows with another field count',
        raggedText,
        'Rows with fewer or more fields than the header: kept (padded, or the extra fields joined onto the last column) or skipped. Each is listed with its line among the warnings.',
      ],
      ['Layout', summary.layout, 'Which known export the header matches; columns are then mapped to roles below.'],
      [
        'Date format',
        summary.dateFormat,
        'How invoice dates are read. Slash dates are month/day or day/month; the reader decides from the data unless you choose.',
      ],
      ['Number format', summary.numberFormat, 'Decimal mark and thousands separator of quantities and prices.'],
    ]);
    // Every guess with the evidence it checked on this file: the dialect, then the reader's decisions.
    const decisions = summary.decisions ?? [];
    decisionList.replaceChildren(
      ...(dialect.evidence ?? []).map((text) => el('li', { className: 'decision' }, el('span', { className: 'decision-evidence', text }))),
      ...decisions.map((d) =>
        el(
          'li',
          { className: `decision${d.applies ? '' : ' is-not-applicable'}`, attrs: { 'data-decision': d.key } },
          el('span', { className: 'decision-title', text: `${d.title}: ` }),
          el('span', { className: 'decision-outcome', text: d.outcome }),
          d.evidence ? el('span', { className: 'decision-evidence', text: ` — ${d.evidence}` }) : null,
        ),
      ),
    );

    /**
     * @param {string} id @param {string} label @param {string} definition @param {string} value
     * @param {{value: string, label: string}[]} choices @param {(v: string) => ReadOverrides} change
     */
    const formatField = (id, label, definition, value, choices, change) => {
      const control = select({ id, value, options: choices });
      control.addEventListener('change', () => onRead(change(control.value)));
      return el('div', { className: 'field' }, el('label', { className: 'field-label', attrs: { for: id } }, term(label, definition)), control);
    };
    const without = (/** @type {keyof ReadOverrides} */ key) => {
      const next = { ...options };
      delete next[key];
      return next;
    };
    formatForm.replaceChildren(
      formatField(
        'date-order',
        'Date order',
        'For dates like 3/4/2011: month first (M/D, US) or day first (D/M). “Detected” lets the reader decide from dates whose day is above 12.',
        options.dateOrder ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: 'mdy', label: 'Month first (M/D/YYYY)' },
          { value: 'dmy', label: 'Day first (D/M/YYYY)' },
        ],
        (v) => (v === 'auto' ? without('dateOrder') : { ...options, dateOrder: /** @type {'mdy' | 'dmy'} */ (v) }),
      ),
      formatField(
        'delimiter',
        'Delimiter',
        'The character between fields. Changing it resets the column roles (the columns change).',
        options.delimiter ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: ',', label: 'Comma' },
          { value: ';', label: 'Semicolon' },
          { value: 'tab', label: 'Tab' },
          { value: '|', label: 'Pipe' },
          { value: 'space', label: 'Space' },
        ],
        (v) => {
          const next = v === 'auto' ? without('delimiter') : { ...options, delimiter: /** @type {ReadOverrides['delimiter']} */ (v) };
          delete next.roles;
          return next;
        },
      ),
      formatField(
        'quote-char',
        'Quotes',
        'The character around fields that hold a delimiter: double quotes (usual), single quotes, or none.',
        options.quote ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: '"', label: 'Double quotes "…"' },
          { value: "'", label: "Single quotes '…'" },
          { value: 'none', label: 'None' },
        ],
        (v) => (v === 'auto' ? without('quote') : { ...options, quote: /** @type {ReadOverrides['quote']} */ (v) }),
      ),
      formatField(
        'escape-char',
        'Quotes inside quotes',
        'Doubled ("") as RFC 4180 writes them, or after a backslash (\\") as MySQL and some exporters do.',
        options.escape ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: 'none', label: 'Doubled ""' },
          { value: '\\', label: 'Backslash \\"' },
        ],
        (v) => (v === 'auto' ? without('escape') : { ...options, escape: /** @type {ReadOverrides['escape']} */ (v) }),
      ),
      formatField(
        'skip-space',
        'Spaces after delimiter',
        'Skip the spaces right after a delimiter (files written as "a, b, c"), or keep them as part of the field.',
        options.skipInitialSpace ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: 'on', label: 'Skip them' },
          { value: 'off', label: 'Keep them' },
        ],
        (v) => (v === 'auto' ? without('skipInitialSpace') : { ...options, skipInitialSpace: /** @type {'on' | 'off'} */ (v) }),
      ),
      formatField(
        'comment-char',
        'Comment lines',
        'Lines starting with # before the header are skipped when the file has them. Choose “# anywhere” to skip such lines everywhere, or “None” to read them as data.',
        options.comment ?? 'auto',
        [
          { value: 'auto', label: 'Detected (# before the header)' },
          { value: '#', label: '# anywhere' },
          { value: 'none', label: 'None' },
        ],
        (v) => (v === 'auto' ? without('comment') : { ...options, comment: /** @type {ReadOverrides['comment']} */ (v) }),
      ),
      formatField(
        'ragged-rows',
        'Rows with another field count',
        'Keep them (short rows padded with empty fields, the extra fields of long rows joined onto the last column) or skip them. Either way each is counted and listed with its line.',
        options.ragged ?? 'keep',
        [
          { value: 'keep', label: 'Keep (padded / joined)' },
          { value: 'skip', label: 'Skip them' },
        ],
        (v) => (v === 'keep' ? without('ragged') : { ...options, ragged: /** @type {ReadOverrides['ragged']} */ (v) }),
      ),
      formatField(
        'normalize-ids',
        'Ids like 13085.0',
        'Read as 13085 when every customer id is a whole number (pandas and Excel write such ids as floats); kept as written otherwise.',
        options.normalizeIds ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: 'on', label: 'Read as whole numbers' },
          { value: 'off', label: 'Keep as written' },
        ],
        (v) => (v === 'auto' ? without('normalizeIds') : { ...options, normalizeIds: /** @type {ReadOverrides['normalizeIds']} */ (v) }),
      ),
      formatField(
        'amount-is',
        'Amount column holds',
        'Each line’s amount, or each order’s total repeated on every line of the order (then it counts once per order). Detected from the orders with several lines; only without a unit price.',
        options.amountIs ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: 'line', label: 'Line amounts' },
          { value: 'order', label: 'Order totals' },
        ],
        (v) => (v === 'auto' ? without('amountIs') : { ...options, amountIs: /** @type {ReadOverrides['amountIs']} */ (v) }),
      ),
      formatField(
        'decimal-mark',
        'Decimal mark',
        'The decimal separator of quantities and prices: 1234.56 (point) or 1.234,56 (comma).',
        options.decimal ?? 'auto',
        [
          { value: 'auto', label: 'Detected' },
          { value: '.', label: 'Point (1234.56)' },
          { value: ',', label: 'Comma (1.234,56)' },
        ],
        (v) => (v === 'auto' ? without('decimal') : { ...options, decimal: /** @type {'.' | ','} */ (v) }),
      ),
    );

    const failed = state.analysis.error?.source === 'read';
    const roles = shownRoles(summary, options, failed);
    const mismatches = failed ? {} : roleMismatches(summary, options);
    const columns = [{ value: '', label: '— none —' }, ...summary.columns.map((c) => ({ value: c, label: c }))];
    rolesForm.replaceChildren(
      ...ROLES.map((role) => {
        const info = ROLE_INFO[role];
        const id = `role-${role}`;
        const current = roles[role] ?? '';
        const choices = current && !summary.columns.includes(current) ? [...columns, { value: current, label: current }] : columns;
        const control = select({ id, value: current, options: choices });
        control.dataset.role = role;
        control.addEventListener('change', () => {
          onRead({ ...options, roles: assignRole(roles, role, control.value === '' ? null : control.value) });
        });
        const label = el('label', { className: 'field-label', attrs: { for: id } }, term(info.label, info.definition));
        if (info.required) label.append(h('span', { className: 'required', text: ' required' }));
        const field = el('div', { className: 'field' }, label, control);
        const reason = summary.roleReasons?.[role];
        if (reason) {
          const hint = el('p', { className: 'field-hint', text: reason, attrs: { id: `${id}-reason` } });
          control.setAttribute('aria-describedby', hint.id);
          field.append(hint);
        }
        if (role in mismatches) {
          const asked = mismatches[role];
          const note = el('p', {
            className: 'field-error',
            attrs: { id: `${id}-note` },
            text: `You chose ${asked === null ? 'none' : `“${asked}”`}; the reader used ${current ? `“${current}”` : 'none'}.`,
          });
          control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), note.id].filter(Boolean).join(' '));
          field.append(note);
        }
        return field;
      }),
      el(
        'div',
        { className: 'field field-actions field-wide' },
        Object.keys(options).length > 0
          ? (() => {
              const reset = el('button', {
                className: 'button button-small',
                text: 'Use detected settings',
                attrs: { type: 'button', id: 'reset-read-button' },
              });
              reset.addEventListener('click', () => onRead({}));
              return reset;
            })()
          : null,
      ),
    );
  }

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (!state.analysis.value?.summary || state.phase !== 'ready') return;
    if (state.analysis.value?.summary === shownSummary && state.readOptions === shownOptions) return;
    // Keep focus on the select the user just changed across the redraw.
    const focused = document.activeElement instanceof HTMLElement && document.activeElement.closest('#reading-card') ? document.activeElement.id : '';
    shownSummary = state.analysis.value?.summary;
    shownOptions = state.readOptions;
    draw(state);
    if (focused) document.getElementById(focused)?.focus();
  };
}
