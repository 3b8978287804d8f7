// @ts-check
/**
 * Step 2, Customers: the one-line summary, the distributions of the features behind R, F and M
 * (with the score bins: edges and sizes), the R×F grid, the named RFM segments as a treemap, and
 * every customer feature with its definition and summary statistics.
 */
import { formatValue, histogramOption } from '../charts/histogram-chart.js';
import { rfmGridCells, rfmGridOption } from '../charts/rfm-grid-chart.js';
import { treemapNodes, treemapOption } from '../charts/segment-treemap-chart.js';
import { formatInteger, formatPercent, plural } from '../format.js';
import { FEATURES, SCORE_DEFINITIONS, feature } from '../model/definitions.js';
import { segmentTotals } from '../model/rule-editor.js';
import { currentResult } from '../state.js';
import { createChartHost } from '../ui/chart-host.js';
import { byId, el, term } from '../ui/dom.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {'r' | 'f' | 'm'} Metric
 */

/** @type {Record<Metric, {letter: 'R' | 'F' | 'M', setting: 'recency' | 'frequency' | 'monetary', index: number, score: string}>} */
const METRICS = {
  r: { letter: 'R', setting: 'recency', index: 0, score: SCORE_DEFINITIONS.r },
  f: { letter: 'F', setting: 'frequency', index: 1, score: SCORE_DEFINITIONS.f },
  m: { letter: 'M', setting: 'monetary', index: 2, score: SCORE_DEFINITIONS.m },
};

/**
 * The one-line summary of step 2: customers, named segments, and the segment with the most revenue.
 * @param {AppState} state
 */
export function customersSummaryLine(state) {
  const customers = state.analysis.value?.customers;
  const rfm = currentResult(state, 'scores');
  if (!customers) return '';
  const parts = [plural(customers.ids.length, 'customer', 'customers')];
  if (!rfm) return parts.join(' · ');
  const totals = segmentTotals(rfm.segment, rfm.rules.length, customers.monetary);
  const named = totals.customers.slice(0, -1).filter((n) => n > 0).length;
  parts.push(plural(named, 'RFM segment', 'RFM segments'));
  const others = totals.customers[rfm.rules.length];
  if (others > 0) parts.push(`${formatInteger(others)} in Others`);
  const nodes = treemapNodes({ rules: rfm.rules, ...totals });
  const revenue = totals.revenue.reduce((a, b) => a + b, 0);
  const top = [...nodes].sort((a, b) => b.revenue - a.revenue)[0];
  if (top && revenue > 0) {
    parts.push(`${top.name}: ${formatPercent(top.customers / customers.ids.length)} of customers, ${formatPercent(top.revenue / revenue)} of revenue`);
  }
  return parts.join(' · ');
}

/**
 * Scores that hold nothing but a value their neighbour holds too: many customers share that value
 * (e.g. 1 order, or 0 orders in the last 4 weeks), and the quintiles split them by file order.
 * Ties at a mere boundary (34 days in R3 and R4) are normal and not reported.
 * @param {import('../api/protocol.js').ScoreBin[]} bins
 * @returns {{value: number, scores: number[]}[]}  groups of adjacent scores sharing one value
 */
export function tieGroups(bins) {
  const ordered = bins.filter((b) => b.customers > 0).sort((a, b) => a.score - b.score);
  /** @type {{value: number, scores: number[]}[]} */
  const groups = [];
  for (let i = 0; i + 1 < ordered.length; i++) {
    const a = ordered[i];
    const b = ordered[i + 1];
    const shared = a.max === b.min ? a.max : a.min === b.max ? a.min : null;
    if (shared === null || (a.min !== a.max && b.min !== b.max)) continue;
    const last = groups[groups.length - 1];
    if (last && last.value === shared && last.scores[last.scores.length - 1] === a.score) last.scores.push(b.score);
    else groups.push({ value: shared, scores: [a.score, b.score] });
  }
  return groups;
}

export function createCustomersView() {
  const summaryLine = byId('customers-summary');
  const detail = byId('customers-detail');
  const section = byId('customers-section');
  const empty = byId('customers-empty');
  /** @type {Record<Metric, {title: HTMLElement, chart: ReturnType<typeof createChartHost>, note: HTMLElement, table: HTMLTableElement, container: HTMLElement}>} */
  const metrics = /** @type {any} */ ({});
  for (const key of /** @type {Metric[]} */ (['r', 'f', 'm'])) {
    const container = byId(`histogram-${key}`);
    metrics[key] = {
      title: byId(`metric-title-${key}`),
      chart: createChartHost(container),
      note: byId(`histogram-note-${key}`),
      table: byId(`bins-${key}`, HTMLTableElement),
      container,
    };
  }
  const gridContainer = byId('rfm-grid-chart');
  const gridNote = byId('grid-note');
  const grid = createChartHost(gridContainer);
  const treemapContainer = byId('treemap-chart');
  const treemap = createChartHost(treemapContainer);
  const featuresTable = byId('features-table', HTMLTableElement);

  /** @type {{customers: unknown, rfm: unknown, theme: string, step: string} | null} */
  let drawn = null;
  /** @type {unknown} */
  let drawnStats = null;

  /** @param {AppState} state */
  function drawMetrics(state) {
    const customers = /** @type {import('../api/protocol.js').Customers} */ (state.analysis.value?.customers);
    const rfm = /** @type {NonNullable<AppState['scores']['value']>} */ (state.scores.value);
    for (const key of /** @type {Metric[]} */ (['r', 'f', 'm'])) {
      const m = METRICS[key];
      const name = rfm.settings[m.setting];
      const def = feature(name);
      const part = metrics[key];
      part.title.replaceChildren(term(`${m.letter} · ${def.label}`, `${def.definition} ${m.score}`));
      const values = customers.features[name] ?? customers[/** @type {'recency'} */ (m.setting)];
      const bins = rfm.bins[m.index];
      const data = { values, label: def.label, letter: m.letter, kind: def.kind, integer: def.decimals === 0, scoreBins: bins };
      const tieNote = tieGroups(bins)
        .map((group) => {
          const scores = group.scores.map((s) => `${m.letter}${s}`);
          return (
            ` ${scores.slice(0, -1).join(', ')} and ${scores[scores.length - 1]} ${scores.length === 2 ? 'both' : 'all'} hold customers with ${formatValue(group.value, def.kind)}: ` +
            'they are split by file order, not by behaviour.'
          );
        })
        .join('');
      // The histogram (over every customer) and the width are computed when the chart draws, in
      // a task of its own: reading the width here, between the DOM changes of this render, would
      // lay the page out once more.
      part.chart.draw(() => {
        const { option, histogram } = histogramOption({ ...data, width: part.container.clientWidth }, state.theme);
        part.container.setAttribute('aria-label', `Histogram of ${def.label}${histogram.log ? ' on a log scale' : ''}, with the ${m.letter} score bins shaded`);
        const notes = [];
        if (histogram.log) notes.push('Log scale: the values span several orders of magnitude.');
        if (histogram.excluded > 0) {
          notes.push(`${plural(histogram.excluded, 'customer', 'customers')} with ${histogram.log ? 'zero, negative or no value' : 'no value'} not shown.`);
        }
        notes.push(`Shaded bands: ${m.letter} scores 1–5.`);
        part.note.textContent = notes.join(' ') + tieNote;
        return option;
      });

      const head = el(
        'tr',
        {},
        el('th', { attrs: { scope: 'col' }, className: 'align-left' }, term('Score', m.score)),
        el('th', { attrs: { scope: 'col' }, text: `${def.label} range` }),
        el('th', { attrs: { scope: 'col' }, text: 'Customers' }),
      );
      part.table.tHead?.replaceChildren(head);
      const ordered = [...bins].sort((a, b) => b.score - a.score);
      part.table.tBodies[0].replaceChildren(
        ...ordered.map((b) =>
          el(
            'tr',
            {},
            el('td', { className: 'align-left', text: `${m.letter}${b.score}` }),
            el('td', { text: b.customers > 0 ? `${formatValue(b.min, def.kind)} – ${formatValue(b.max, def.kind)}` : '—' }),
            el('td', { text: formatInteger(b.customers) }),
          ),
        ),
      );
    }
  }

  /** @param {AppState} state */
  function drawSegments(state) {
    const customers = /** @type {import('../api/protocol.js').Customers} */ (state.analysis.value?.customers);
    const rfm = /** @type {NonNullable<AppState['scores']['value']>} */ (state.scores.value);
    const names = [...rfm.rules.map((r) => r.name), 'Others'];
    const fLabel = feature(rfm.settings.frequency).label.toLowerCase();
    gridNote.textContent = `Customers per cell, and their revenue below; ${state.theme === 'dark' ? 'lighter' : 'darker'} = more customers.`;
    // The passes over every customer run when each chart draws, in a task of its own.
    grid.draw(() => rfmGridOption({ cells: rfmGridCells(rfm, customers.monetary, rfm.rules.length), names, fLabel }, state.theme));
    treemap.draw(() => treemapOption({ rules: rfm.rules, ...segmentTotals(rfm.segment, rfm.rules.length, customers.monetary) }, state.theme));
  }

  /** @param {AppState} state */
  function drawFeatures(state) {
    const stats = state.analysis.value?.featureStats ?? {};
    const columns = [
      ['Feature', 'Hover or focus a name for its definition.'],
      ['Median', 'The middle value: half the customers are below it.'],
      ['Mean', 'The average over customers with a value.'],
      ['Min', 'Smallest value.'],
      ['Max', 'Largest value.'],
      ['Empty', 'Customers without a value (e.g. days between orders needs 2 orders).'],
    ];
    featuresTable.tHead?.replaceChildren(
      el('tr', {}, ...columns.map(([label, tip], i) => el('th', { attrs: { scope: 'col' }, className: i === 0 ? 'align-left' : '' }, term(label, tip)))),
    );
    const names = [...FEATURES.map((f) => f.name).filter((n) => n in stats), ...Object.keys(stats).filter((n) => !FEATURES.some((f) => f.name === n))];
    featuresTable.tBodies[0].replaceChildren(
      ...names.map((name) => {
        const def = feature(name);
        const s = stats[name];
        /** Counts and days: whole min and max, one decimal for median and mean. @param {number} v @param {boolean} whole */
        const fmt = (v, whole) =>
          Number.isFinite(v) ? formatValue(v, def.kind === 'money' ? 'money' : whole && def.kind !== 'ratio' ? 'count' : 'ratio') : '—';
        return el(
          'tr',
          {},
          el(
            'th',
            { className: 'align-left', attrs: { scope: 'row' } },
            term(def.label, def.definition),
            el('code', { className: 'feature-name', text: name }),
          ),
          el('td', { text: fmt(s.median, false) }),
          el('td', { text: fmt(s.mean, false) }),
          el('td', { text: fmt(s.min, true) }),
          el('td', { text: fmt(s.max, true) }),
          el('td', { text: formatInteger(s.missing) }),
        );
      }),
    );
  }

  /** @param {AppState} state */
  return function render(state) {
    section.classList.toggle('is-busy', state.scores.busy);
    const analysis = state.analysis.value;
    if (state.phase !== 'ready' || !analysis) return;
    summaryLine.textContent = customersSummaryLine(state);
    detail.textContent = `Scores 1–5 by quintile · as of ${analysis.summary.asOf} (the day after the last invoice in the analysis)`;

    if (analysis.featureStats !== drawnStats) {
      drawnStats = analysis.featureStats;
      drawFeatures(state);
    }

    const ready = !!currentResult(state, 'scores');
    empty.hidden = ready || state.scores.busy;
    if (!ready) {
      empty.textContent = state.scores.error
        ? `The scores could not be computed: ${state.scores.error} Choose other features or segment rules in the panel.`
        : 'Scores are not computed for the current data yet. Change a setting in the panel to compute them.';
      return;
    }
    // Charts need a visible container to size themselves: draw when the step is shown.
    if (state.step !== 'customers') return;
    const key = { customers: analysis.customers, rfm: state.scores.value, theme: state.theme, step: state.step };
    if (drawn && drawn.customers === key.customers && drawn.rfm === key.rfm && drawn.theme === key.theme && drawn.step === key.step) return;
    drawn = key;
    drawMetrics(state);
    drawSegments(state);
  };
}
