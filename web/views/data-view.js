// @ts-check
/**
 * Step 1, Data: the one-line summary, stat cards for the row counts and date range, the reader's
 * warnings (unreadable rows with examples), and why the current settings failed, if they did.
 */
import { formatInteger, formatMegabytes, formatPercent, plural } from '../format.js';
import { byId, h } from '../ui/dom.js';

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
  if (s.rowsUnreadable > 0) {
    cards.push({
      id: 'stat-rows-invalid',
      label: 'Unreadable',
      value: formatInteger(s.rowsUnreadable),
      note: dropped(s.rowsUnreadable),
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

/**
 * The one-line summary of step 1.
 * @param {import('../api/protocol.js').Summary} s
 * @param {import('../api/protocol.js').Ledger | null} ledger
 * @param {boolean} failed  the current settings gave no analysis
 */
export function dataSummaryLine(s, ledger, failed) {
  const parts = [`${formatInteger(s.rowsRead)} rows read`];
  if (failed) return `${parts[0]} · the current settings leave no customers`;
  parts.push(`${formatInteger(s.rowsKept)} kept`, plural(s.customers, 'customer', 'customers'));
  const on = ledger?.rules.filter((r) => r.enabled).length;
  if (on !== undefined) parts.push(plural(on, 'rule on', 'rules on'));
  return parts.join(' · ');
}

/**
 * Notes about rows and customers the analysis leaves out, each saying what to do.
 * @param {import('../api/protocol.js').Summary} s
 * @returns {{text: string, examples: string[]}[]}
 */
export function dataWarnings(s) {
  /** @type {{text: string, examples: string[]}[]} */
  const out = [];
  if (s.rowsUnreadable > 0) {
    out.push({
      text:
        `${plural(s.rowsUnreadable, 'row', 'rows')} could not be read and ${s.rowsUnreadable === 1 ? 'is' : 'are'} left out. ` +
        'If many rows fail, check the columns and the date and number formats above.',
      examples: s.unreadableExamples,
    });
  }
  // The reader repeats each unreadable example among its warnings ("…; row skipped"): list it once.
  const examples = new Set(s.unreadableExamples.map((x) => `${x}; row skipped`));
  for (const w of s.warnings) if (!examples.has(w)) out.push({ text: w, examples: [] });
  // A file read in one pass: what that means for a change of rule.
  if (s.streamNote) out.push({ text: s.streamNote, examples: [] });
  if (s.returnsOnlyCustomers > 0) {
    out.push({
      text:
        `${plural(s.returnsOnlyCustomers, 'customer has', 'customers have')} only returns left after cleaning and ` +
        `${s.returnsOnlyCustomers === 1 ? 'is' : 'are'} not in the customer table (no purchase to score).`,
      examples: [],
    });
  }
  return out;
}

export function createDataView() {
  const summaryLine = byId('data-summary');
  const detail = byId('summary-detail');
  const cards = byId('stat-cards');
  const warnings = byId('warnings');
  const errorBox = byId('analysis-error');
  const errorTitle = byId('analysis-error-title');
  const errorMessage = byId('analysis-error-message');
  const errorHint = byId('analysis-error-hint');

  /** @param {import('../state.js').AppState} state @param {import('../state.js').AppState} [previous] */
  return function render(state, previous) {
    if (!state.analysis.value) return;
    const { summary, ledger } = state.analysis.value;
    const analysisError = state.analysis.error;

    summaryLine.textContent = dataSummaryLine(summary, ledger, !!analysisError);
    // The button that started the load is gone: move focus to the result's heading, in the next
    // frame (focusing lays the page out, which the views after this one would undo).
    if (previous?.phase === 'loading' && state.phase === 'ready') requestAnimationFrame(() => summaryLine.focus());

    errorBox.hidden = !analysisError;
    if (analysisError) {
      errorTitle.textContent = analysisError.title;
      errorMessage.textContent = analysisError.message;
      errorHint.textContent = analysisError.hint;
    }
    if (previous && previous.analysis.value?.summary === summary) return;

    detail.textContent = [
      summary.file,
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

    const notes = dataWarnings(summary);
    warnings.hidden = notes.length === 0;
    warnings.replaceChildren(
      ...notes.map((w) => {
        const li = h('li', { text: w.text });
        if (w.examples.length > 0) {
          const list = h('ul', { className: 'examples' });
          list.append(...w.examples.map((x) => h('li', { text: x })));
          li.append(list);
        }
        return li;
      }),
    );
  };
}
