// @ts-check
/**
 * Step 1, Data: the one-line summary, what was detected in the file, stat cards for the
 * row counts and date range, and the reader's warnings.
 */
import { formatInteger, formatMegabytes, formatPercent, plural } from '../format.js';
import { byId, h } from './dom.js';

/**
 * Calendar days from one ISO date (YYYY-MM-DD) to another.
 * @param {string} from
 * @param {string} to
 */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** @type {Record<string, string>} */
const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', tab: 'tab', '|': 'pipe' };

/**
 * A card; a value given as parts wraps only between them (never inside a date).
 * @typedef {{id: string, label: string, value: string | string[], note?: string}} StatCard
 */

/**
 * The stat cards of a file summary.
 * @param {import('../api/protocol.js').Summary} s
 * @returns {StatCard[]}
 */
export function statCards(s) {
  /** @param {number} n  rows kept */
  const share = (n) => (s.rowsRead > 0 ? `${formatPercent(n / s.rowsRead)} of rows` : undefined);
  /** @param {number} n */
  const dropped = (n) => (s.rowsRead > 0 ? `dropped · ${formatPercent(n / s.rowsRead)}` : 'dropped');
  /** @type {StatCard[]} */
  const cards = [
    { id: 'stat-rows-read', label: 'Rows read', value: formatInteger(s.rowsRead), note: formatMegabytes(s.bytes) },
    { id: 'stat-rows-kept', label: 'Rows kept', value: formatInteger(s.rowsKept), note: share(s.rowsKept) },
    { id: 'stat-customers', label: 'Customers', value: formatInteger(s.customers), note: `as of ${s.asOf}` },
    {
      id: 'stat-rows-no-customer',
      label: 'No customer id',
      value: formatInteger(s.rowsNoCustomer),
      note: dropped(s.rowsNoCustomer),
    },
    {
      id: 'stat-rows-cancelled',
      label: 'Cancellations',
      value: formatInteger(s.rowsCancelled),
      note: dropped(s.rowsCancelled),
    },
  ];
  if (s.rowsInvalid > 0) {
    cards.push({
      id: 'stat-rows-invalid',
      label: 'Unreadable',
      value: formatInteger(s.rowsInvalid),
      note: dropped(s.rowsInvalid),
    });
  }
  cards.push({
    id: 'stat-date-range',
    label: 'Invoice dates',
    value: [`${s.firstDate} –`, s.lastDate],
    note: plural(daysBetween(s.firstDate, s.lastDate) + 1, 'day', 'days'),
  });
  return cards;
}

export function createDataView() {
  const section = byId('data-section');
  const summaryLine = byId('summary-line');
  const detail = byId('summary-detail');
  const cards = byId('stat-cards');
  const warnings = byId('warnings');

  /** @param {import('../state.js').AppState} state @param {import('../state.js').AppState} [previous] */
  return function render(state, previous) {
    const { summary } = state;
    section.hidden = state.phase !== 'ready' || !summary;
    if (!summary) return;

    const customers = plural(summary.customers, 'customer', 'customers');
    const k = state.segmentation?.segments.length;
    summaryLine.textContent = k ? `${customers} · ${plural(k, 'segment', 'segments')}` : customers;
    // The button that started the load is gone: move focus to the result's heading.
    if (previous?.phase === 'loading' && state.phase === 'ready') summaryLine.focus();
    if (previous && previous.summary === summary) return;

    detail.textContent = [
      summary.fileName,
      `${summary.encoding}, ${DELIMITER_NAMES[summary.delimiter] ?? `"${summary.delimiter}"`}-separated`,
      `${summary.layout} layout`,
      `dates ${summary.dateFormat}`,
    ].join(' · ');

    cards.replaceChildren(
      ...statCards(summary).map((card) => {
        const li = h('li', { className: 'stat-card' });
        li.id = card.id;
        li.append(h('span', { className: 'stat-label', text: card.label }));
        const value = h('span', { className: 'stat-value' });
        if (Array.isArray(card.value)) {
          card.value.forEach((part, i) => {
            if (i > 0) value.append(' ');
            value.append(h('span', { className: 'nowrap', text: part }));
          });
        } else {
          value.textContent = card.value;
        }
        li.append(value);
        if (card.note) li.append(h('span', { className: 'stat-note', text: card.note }));
        return li;
      }),
    );

    warnings.hidden = summary.warnings.length === 0;
    warnings.replaceChildren(...summary.warnings.map((w) => h('li', { text: w })));
  };
}
