// @ts-check
/**
 * Step 1, "How the file was read": what the reader detected (encoding, delimiter, layout, date
 * and number formats), overrides for the formats, and one select per column role. A change
 * reads the file again in the worker (it still holds the File); nothing else is re-run by hand.
 */
import { ROLES } from '../api/protocol.js';
import { byId, el, h, select, term } from './dom.js';

/**
 * @typedef {import('../api/protocol.js').Role} Role
 * @typedef {import('../api/protocol.js').ReadOverrides} ReadOverrides
 */

/** @type {Record<Role, {label: string, definition: string, required?: boolean}>} */
export const ROLE_INFO = {
  customer: { label: 'Customer id', required: true, definition: 'Who bought: one id per customer. Rows without one are handled by cleaning rule 1.' },
  invoice: { label: 'Invoice', required: true, definition: 'Order number: frequency counts distinct invoices. Invoices starting with C are cancellations.' },
  date: { label: 'Invoice date', required: true, definition: 'When the order was placed: recency, tenure, the analysis window and cohorts use it.' },
  quantity: { label: 'Quantity', required: true, definition: 'Units on the line; a negative quantity is a return.' },
  price: { label: 'Unit price', definition: 'Price of one unit: line amount = quantity × unit price. Needed unless there is a line amount.' },
  amount: { label: 'Line amount', definition: 'Total of the line, used when the file has no unit price.' },
  product: { label: 'Product code', definition: 'Stock code: the non-product codes and rare products rules use it.' },
  description: { label: 'Description', definition: 'Product name, shown in the ledger’s example rows.' },
  country: { label: 'Country', definition: 'The country filter uses it; a customer’s country is that of their first purchase.' },
  email: { label: 'Email', definition: 'Contact column: read and kept, not analysed.' },
  phone: { label: 'Phone', definition: 'Contact column: read and kept, not analysed.' },
};

/** @type {Record<string, string>} */
const DELIMITERS = { ',': 'comma', ';': 'semicolon', tab: 'tab', '\t': 'tab', '|': 'pipe' };

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
      ROLES.map((role) => [role, failed && options.roles && role in options.roles ? options.roles[role] ?? null : summary.roles[role] ?? null]),
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
    const summary = /** @type {import('../api/protocol.js').Summary} */ (state.summary);
    const options = state.readOptions;
    renderFormats([
      ['Encoding', summary.encoding, 'Text encoding of the file, detected from its bytes (byte order mark, UTF-8 validity, Windows-1252).'],
      ['Delimiter', DELIMITERS[summary.delimiter] ?? summary.delimiter, 'The character between fields, sniffed from the first lines.'],
      ['Layout', summary.layout, 'Which known export the header matches; columns are then mapped to roles below.'],
      ['Date format', summary.dateFormat, 'How invoice dates are read. Slash dates are month/day or day/month; the reader decides from the data unless you choose.'],
      ['Number format', summary.numberFormat, 'Decimal mark and thousands separator of quantities and prices.'],
    ]);

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
        ],
        (v) => {
          const next = v === 'auto' ? without('delimiter') : { ...options, delimiter: /** @type {ReadOverrides['delimiter']} */ (v) };
          delete next.roles;
          return next;
        },
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

    const failed = state.analysisError?.source === 'read';
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
        if (role in mismatches) {
          const asked = mismatches[role];
          const note = el('p', {
            className: 'field-error',
            attrs: { id: `${id}-note` },
            text: `You chose ${asked === null ? 'none' : `“${asked}”`}; the reader used ${current ? `“${current}”` : 'none'}.`,
          });
          control.setAttribute('aria-describedby', note.id);
          field.append(note);
        }
        return field;
      }),
      el(
        'div',
        { className: 'field field-actions field-wide' },
        Object.keys(options).length > 0
          ? (() => {
              const reset = el('button', { className: 'button button-small', text: 'Use detected settings', attrs: { type: 'button', id: 'reset-read-button' } });
              reset.addEventListener('click', () => onRead({}));
              return reset;
            })()
          : null,
      ),
    );
  }

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (!state.summary || state.phase !== 'ready') return;
    if (state.summary === shownSummary && state.readOptions === shownOptions) return;
    // Keep focus on the select the user just changed across the redraw.
    const focused = document.activeElement instanceof HTMLElement && document.activeElement.closest('#reading-card') ? document.activeElement.id : '';
    shownSummary = state.summary;
    shownOptions = state.readOptions;
    draw(state);
    if (focused) document.getElementById(focused)?.focus();
  };
}
