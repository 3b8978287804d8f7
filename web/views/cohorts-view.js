// @ts-check
/**
 * Step 4, Cohorts: the monthly retention heatmap (retention %, active customers or revenue), its
 * one-line summary, and the panel's measure toggle and "Export matrix (CSV)".
 */
import { addMonths, cohortChartHeight, cohortOption, meanRetention } from '../charts/cohort-chart.js';
import { formatPercent, plural } from '../format.js';
import { createChartHost } from '../ui/chart-host.js';
import { byId } from '../ui/dom.js';

/** @type {Record<import('../state.js').CohortMeasure, string>} */
const NOTES = {
  retention: 'Share of each cohort that bought in month n. Colours leave out month 0, which is always 100%.',
  customers: 'Customers of each cohort who bought in month n. Colours leave out month 0, the cohort itself.',
  revenue: 'Net spend of each cohort in month n.',
};

/**
 * @param {import('../api/protocol.js').CohortsResult} cohorts
 */
export function cohortsSummaryLine(cohorts) {
  const customers = cohorts.active.reduce((t, row) => t + (row[0] ?? 0), 0);
  const parts = [plural(cohorts.months.length, 'monthly cohort', 'monthly cohorts'), plural(customers, 'customer', 'customers')];
  const m1 = meanRetention(cohorts, 1);
  if (m1 !== null) parts.push(`${formatPercent(m1)} buy again the month after their first purchase`);
  return parts.join(' · ');
}

/**
 * A warning when the data ends before the end of its last month: that month's column reads low.
 * @param {import('../api/protocol.js').CohortsResult} cohorts
 * @param {string} lastDate  YYYY-MM-DD, the last invoice date
 */
export function partialMonthNote(cohorts, lastDate) {
  const last = cohorts.months[cohorts.months.length - 1];
  if (!last || !lastDate.startsWith(last)) return '';
  const next = new Date(`${addMonths(last, 1)}-01T00:00:00Z`);
  const monthEnd = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
  return lastDate === monthEnd ? '' : ` ${last} is a partial month (the data ends ${lastDate}), so the last cell of each row reads low.`;
}

/**
 * @param {{onMeasure: (m: import('../state.js').CohortMeasure) => void, onExport: () => void}} actions
 */
export function createCohortsView({ onMeasure, onExport }) {
  const summaryLine = byId('cohorts-summary');
  const detail = byId('cohorts-detail');
  const note = byId('cohort-note');
  const empty = byId('cohorts-empty');
  const container = byId('cohort-chart');
  const status = byId('cohort-status');
  const exportButton = byId('cohort-export-button', HTMLButtonElement);
  const measureBox = byId('cohort-measure');
  /** @type {import('../state.js').AppState | null} */
  let current = null;
  const chart = createChartHost(container, {
    onResize: (width) => (current?.cohorts.value ? cohortOption(current.cohorts.value, current.cohortMeasure, current.theme, width) : null),
  });
  /** @type {unknown[]} */
  let drawnKey = [];

  measureBox.addEventListener('change', (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    onMeasure(/** @type {import('../state.js').CohortMeasure} */ (input.value));
  });
  exportButton.addEventListener('click', onExport);

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    current = state;
    for (const input of measureBox.querySelectorAll('input')) input.checked = input.value === state.cohortMeasure;
    exportButton.disabled = !state.cohorts.value || state.cohorts.busy;
    container.classList.toggle('is-stale', state.cohorts.busy);
    status.classList.toggle('is-busy', state.cohorts.busy);
    status.classList.toggle('is-error', !!state.cohorts.error && !state.cohorts.busy);
    status.textContent = state.cohorts.busy ? 'Computing cohorts…' : (state.cohorts.error ?? '');

    const cohorts = state.cohorts.value;
    empty.hidden = !!cohorts && cohorts.months.length > 0;
    container.hidden = !cohorts || cohorts.months.length === 0;
    if (!cohorts) {
      summaryLine.textContent = state.cohorts.busy ? 'Computing cohorts…' : 'Cohorts';
      empty.textContent = state.cohorts.error ? `The cohorts could not be computed: ${state.cohorts.error}` : 'Computing the cohorts of the current data…';
      return;
    }
    if (cohorts.months.length === 0) {
      empty.textContent = 'No purchases are left after cleaning, so there are no cohorts. Relax the cleaning rules in step 1.';
      return;
    }
    summaryLine.textContent = cohortsSummaryLine(cohorts);
    detail.textContent = `Customers grouped by the month of their first purchase, ${cohorts.months[0]} to ${cohorts.months[cohorts.months.length - 1]}.`;
    note.textContent = NOTES[state.cohortMeasure] + partialMonthNote(cohorts, state.analysis.value?.summary?.lastDate ?? '');
    if (state.step !== 'cohorts') return;
    const key = [cohorts, state.cohortMeasure, state.theme, state.step];
    if (key.every((k, i) => k === drawnKey[i])) return;
    drawnKey = key;
    container.style.height = `${cohortChartHeight(cohorts.months.length)}px`;
    chart.draw(() => cohortOption(cohorts, state.cohortMeasure, state.theme, container.clientWidth));
  };
}
