// @ts-check
/**
 * Step 1, the cleaning ledger: per rule (in the order they run) the rows, customers and revenue it
 * removed, with example rows to expand; the totals before and after. Example rows quote the file:
 * text only.
 */
import { formatInteger, formatMoney } from '../format.js';
import { byId, el, h, term } from '../ui/dom.js';

/** @typedef {import('../api/protocol.js').Ledger} Ledger */

/** @type {{label: string, definition: string}[]} */
const HEADERS = [
  { label: 'Step', definition: 'Rules run in this order; a row removed by an earlier rule is not seen by later ones.' },
  { label: 'Rule', definition: 'The rule and its parameters in words. Turn rules on and off in the panel.' },
  { label: 'Rows removed', definition: 'Transaction lines this rule removed.' },
  { label: 'Customers removed', definition: 'Customers left with no line after this rule.' },
  { label: 'Revenue removed', definition: 'Σ line amount (quantity × unit price) of the removed lines. Negative when the lines were returns.' },
];

/**
 * The ledger's rows as the table shows them (pure, for tests).
 * @param {Ledger} ledger
 */
export function ledgerRows(ledger) {
  return ledger.rules.map((r, i) => ({
    step: i + 1,
    key: r.rule,
    title: r.title,
    detail: r.detail,
    enabled: r.enabled,
    rows: r.enabled ? formatInteger(r.rows) : '—',
    customers: r.enabled ? formatInteger(r.customers) : '—',
    revenue: r.enabled ? formatMoney(r.revenue).replace(/^-/, '−') : '—',
    examples: r.examples,
    decision: r.decision ?? null,
    warning: r.warning ?? '',
  }));
}

/**
 * @param {{onExport: () => void}} actions
 */
export function createLedgerView({ onExport }) {
  const table = byId('ledger-table', HTMLTableElement);
  const exportButton = byId('ledger-export-button', HTMLButtonElement);
  const scroll = /** @type {HTMLElement} */ (table.parentElement);
  /** Rules whose examples are open (kept across updates). @type {Set<string>} */
  const open = new Set();
  /** @type {Ledger | null} */
  let shown = null;

  exportButton.addEventListener('click', onExport);

  const headRow = h('tr');
  HEADERS.forEach((c, i) => {
    const th = el('th', { attrs: { scope: 'col' } }, term(c.label, c.definition));
    if (i === 1) th.className = 'align-left';
    headRow.append(th);
  });
  table.tHead?.replaceChildren(headRow);

  /** @param {Ledger} ledger */
  function draw(ledger) {
    const body = table.tBodies[0];
    /** @param {string} label @param {import('../api/protocol.js').LedgerTotals} t @param {string} className */
    const totalRow = (label, t, className) =>
      el(
        'tr',
        { className },
        el('td'),
        el('th', { text: label, className: 'align-left', attrs: { scope: 'row' } }),
        el('td', { text: formatInteger(t.rows) }),
        el('td', { text: formatInteger(t.customers) }),
        el('td', { text: formatMoney(t.revenue) }),
      );
    /** @type {HTMLElement[]} */
    const rows = [totalRow('Before cleaning', ledger.before, 'ledger-total')];
    for (const r of ledgerRows(ledger)) {
      const ruleBox = el(
        'div',
        { className: 'rule-cell' },
        el('span', { className: 'rule-title', text: r.title }),
        el('span', { className: 'rule-detail', text: r.enabled || r.detail === 'off' ? r.detail : `off · ${r.detail}` }),
      );
      // A rule that guesses says what it checked on this file; one that removed a large share warns.
      if (r.decision) {
        ruleBox.append(
          el('span', { className: `rule-check${r.decision.applies ? '' : ' is-not-applicable'}`, text: r.decision.outcome }),
          el('span', { className: 'rule-evidence', text: r.decision.evidence }),
        );
      }
      if (r.warning) ruleBox.append(el('span', { className: 'rule-warning', text: r.warning, attrs: { role: 'note' } }));
      const ruleCell = el('td', { className: 'align-left' }, ruleBox);
      const tr = el(
        'tr',
        { className: `${r.enabled ? '' : 'is-off'}${r.warning ? ' has-warning' : ''}`.trim(), attrs: { 'data-rule': r.key } },
        el('td', { text: String(r.step) }),
        ruleCell,
        el('td', { text: r.rows }),
        el('td', { text: r.customers }),
        el('td', { text: r.revenue }),
      );
      rows.push(tr);
      if (r.examples.length > 0) {
        const id = `ledger-examples-${r.key}`;
        const expanded = open.has(r.key);
        const toggle = el('button', {
          className: 'link-button',
          text: `${expanded ? 'Hide' : 'Show'} ${r.examples.length === 1 ? 'example' : `${r.examples.length} examples`}`,
          attrs: { type: 'button', 'aria-expanded': String(expanded), 'aria-controls': id },
        });
        toggle.addEventListener('click', () => {
          if (open.has(r.key)) open.delete(r.key);
          else open.add(r.key);
          draw(ledger);
          /** @type {HTMLElement | null} */ (table.querySelector(`tr[data-rule="${CSS.escape(r.key)}"] .link-button`))?.focus();
        });
        ruleBox.append(toggle);
        const list = el('ul', { className: 'examples' }, ...r.examples.map((x) => el('li', { text: x })));
        const exampleRow = el('tr', { className: 'examples-row', attrs: { id } }, el('td'), el('td', { attrs: { colspan: 4 } }, list));
        exampleRow.hidden = !expanded;
        rows.push(exampleRow);
      }
    }
    body.replaceChildren(...rows);
    table.tFoot?.replaceChildren(totalRow('After cleaning', ledger.after, 'ledger-total'));
  }

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    const busy = !!state.job;
    scroll.classList.toggle('is-stale', busy);
    const ledger = state.analysis.value?.ledger;
    exportButton.disabled = !ledger || !!state.analysis.error;
    if (!ledger || ledger === shown) return;
    shown = ledger;
    draw(ledger);
  };
}
