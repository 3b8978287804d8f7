// @ts-check
/**
 * Step 4, Profiles: what sets each segment apart. The snake plot (standardized means of the
 * clustering features), the relative-importance heatmap (every feature), the per-segment profile
 * table (means or medians), and the crosstab against the named RFM segments of step 2. Names and
 * colours come from the state (the panel edits them); nothing here runs in the worker.
 */
import { importanceColumns, importanceHeight, importanceOption } from '../charts/importance-chart.js';
import { sequentialColor, textOn } from '../charts/palette.js';
import { snakeOption } from '../charts/snake-chart.js';
import { formatInteger, formatMoney, formatOneDecimal, formatPercent, plural } from '../format.js';
import { crosstab, usedColumns } from '../model/crosstab.js';
import { feature } from '../model/definitions.js';
import { snakePlotData } from '../model/snake-plot.js';
import { currentResult, currentClustering, stylesOf } from '../state.js';
import { createChartHost } from '../ui/chart-host.js';
import { byId, el, term } from '../ui/dom.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../model/segment-style.js').SegmentStyle} SegmentStyle
 */

/**
 * The profile table's columns: size and revenue, then the features the seed notebooks report.
 * @type {{id: string, label: string, definition: string, kind: 'count' | 'share' | 'money' | 'days' | 'ratio', source: 'customers' | 'customerShare' | 'revenueShare' | 'feature'}[]}
 */
export const PROFILE_COLUMNS = [
  { id: 'customers', label: 'Customers', definition: 'Customers in the segment.', kind: 'count', source: 'customers' },
  { id: 'customerShare', label: 'Share', definition: 'Share of all customers.', kind: 'share', source: 'customerShare' },
  { id: 'revenueShare', label: 'Revenue share', definition: 'Share of the total spend of all customers.', kind: 'share', source: 'revenueShare' },
  ...['monetary', 'frequency', 'recency', 'items_per_order', 'returns_count', 'tenure', 'avg_order_value'].map((name) => {
    const def = feature(name);
    const kind = /** @type {'money' | 'ratio' | 'days'} */ (def.kind === 'money' ? 'money' : def.kind === 'days' ? 'days' : 'ratio');
    return { id: name, label: def.label, definition: def.definition, kind, source: /** @type {'feature'} */ ('feature') };
  }),
];

/**
 * One cell of the profile table.
 * @param {number} v
 * @param {'count' | 'share' | 'money' | 'days' | 'ratio'} kind
 */
export function formatProfileValue(v, kind) {
  if (!Number.isFinite(v)) return '—';
  switch (kind) {
    case 'count':
      return formatInteger(v);
    case 'share':
      return formatPercent(v);
    case 'money':
      return formatMoney(v);
    default:
      return formatOneDecimal(v);
  }
}

/**
 * The profile table's rows: one per segment, the value of each column (mean or median of the
 * features; NaN when the core has none).
 * @param {import('../api/protocol.js').ClusterResult} clustering
 * @param {'mean' | 'median'} stat
 * @returns {number[][]}
 */
export function profileRows(clustering, stat) {
  return clustering.profiles.map((p) =>
    PROFILE_COLUMNS.map((c) => {
      if (c.source !== 'feature') return p[c.source];
      const j = clustering.profileFeatures.indexOf(c.id);
      return j >= 0 ? p[stat][j] : NaN;
    }),
  );
}

/**
 * @param {SegmentStyle} style
 */
function chip(style) {
  const swatch = el('span', { className: 'chip-swatch' });
  swatch.style.setProperty('--chip-color', style.color);
  swatch.dataset.shape = style.shape;
  return el('span', { className: 'chip', attrs: { title: style.customName ? `${style.autoName}, renamed` : null } }, swatch, style.name);
}

/**
 * @param {{onStat: (stat: 'mean' | 'median') => void}} actions
 */
export function createProfilesView({ onStat }) {
  const summaryLine = byId('profiles-summary');
  const detail = byId('profiles-detail');
  const empty = byId('profiles-empty');
  const snakeContainer = byId('snake-chart');
  const snakeNote = byId('snake-note');
  const importanceContainer = byId('importance-chart');
  const importanceNote = byId('importance-note');
  const table = byId('profile-table', HTMLTableElement);
  const statBox = byId('profile-stat');
  const crossTable = byId('crosstab-table', HTMLTableElement);
  const crossNote = byId('crosstab-note');
  const section = byId('profiles-section');
  /** @type {AppState | null} */
  let current = null;
  const snake = createChartHost(snakeContainer);
  const importance = createChartHost(importanceContainer, {
    onResize: (width) => {
      const c = current && currentClustering(current);
      if (!c || !current) return null;
      const shown = importanceColumns(c.profiles, c.profileFeatures).columns.length;
      importanceContainer.style.height = `${importanceHeight(c.profiles.length, shown, width)}px`;
      return importanceOption(c.profiles, c.profileFeatures, stylesOf(current), current.theme, width);
    },
  });
  statBox.addEventListener('change', (event) => onStat(/** @type {'mean' | 'median'} */ (/** @type {HTMLInputElement} */ (event.target).value)));

  /** @type {Record<string, unknown[]>} */
  const drawn = { charts: [], table: [], cross: [] };
  /** @param {keyof typeof drawn} name @param {unknown[]} key */
  const changed = (name, key) => {
    if (key.length === drawn[name].length && key.every((k, i) => k === drawn[name][i])) return false;
    drawn[name] = key;
    return true;
  };

  /** @param {AppState} state @param {NonNullable<AppState['cluster']['value']>} clustering @param {SegmentStyle[]} styles */
  function drawTable(state, clustering, styles) {
    const stat = state.profileStat;
    for (const input of statBox.querySelectorAll('input')) input.checked = input.value === stat;
    table.tHead?.replaceChildren(
      el(
        'tr',
        {},
        el('th', { className: 'align-left', attrs: { scope: 'col' }, text: 'Segment' }),
        ...PROFILE_COLUMNS.map((c) =>
          el(
            'th',
            { attrs: { scope: 'col' } },
            term(c.label, c.source === 'feature' ? `${stat === 'mean' ? 'Mean' : 'Median'} per customer. ${c.definition}` : c.definition),
          ),
        ),
      ),
    );
    const rows = profileRows(clustering, stat);
    table.tBodies[0].replaceChildren(
      ...rows.map((values, s) =>
        el(
          'tr',
          { attrs: { 'data-segment': s + 1 } },
          el('th', { className: 'align-left', attrs: { scope: 'row' } }, chip(styles[s])),
          ...values.map((v, j) => el('td', { text: formatProfileValue(v, PROFILE_COLUMNS[j].kind) })),
        ),
      ),
    );
    const stats = state.analysis.value?.featureStats ?? {};
    const n = state.analysis.value?.customers?.ids.length ?? 0;
    const all = PROFILE_COLUMNS.map((c) => {
      if (c.source === 'customers') return n;
      if (c.source !== 'feature') return 1;
      if (stat === 'median') return stats[c.id]?.median ?? NaN;
      const j = clustering.profileFeatures.indexOf(c.id);
      return j >= 0 ? clustering.overallMean[j] : NaN;
    });
    table.tFoot?.replaceChildren(
      el(
        'tr',
        {},
        el('td', { className: 'align-left', text: 'All customers' }),
        ...all.map((v, j) => el('td', { text: formatProfileValue(v, PROFILE_COLUMNS[j].kind) })),
      ),
    );
  }

  /** @param {AppState} state @param {NonNullable<AppState['cluster']['value']>} clustering @param {SegmentStyle[]} styles */
  function drawCrosstab(state, clustering, styles) {
    const rfm = currentResult(state, 'scores');
    if (!rfm) {
      crossNote.textContent = state.scores.busy ? 'Scoring customers…' : 'The RFM segments of step 2 are not computed for these customers.';
      crossTable.tHead?.replaceChildren();
      crossTable.tBodies[0].replaceChildren();
      crossTable.tFoot?.replaceChildren();
      return;
    }
    const names = [...rfm.rules.map((r) => r.name), 'Others'];
    const table = crosstab(clustering.labels, styles.length, rfm.segment, names.length);
    const columns = usedColumns(table);
    crossNote.textContent = `Customers in each pair; ${state.theme === 'dark' ? 'lighter' : 'darker'} = a larger share of the segment’s customers. RFM segments: ${rfm.settings.preset === 'custom' ? 'your rules' : 'the preset'} of step 2.`;
    crossTable.tHead?.replaceChildren(
      el(
        'tr',
        {},
        el('th', { className: 'align-left', attrs: { scope: 'col' }, text: 'Segment' }),
        ...columns.map((c) => el('th', { attrs: { scope: 'col' }, text: names[c] })),
        el('th', { attrs: { scope: 'col' }, text: 'Total' }),
      ),
    );
    crossTable.tBodies[0].replaceChildren(
      ...table.counts.map((row, s) =>
        el(
          'tr',
          {},
          el('th', { className: 'align-left', attrs: { scope: 'row' } }, chip(styles[s])),
          ...columns.map((c) => {
            const share = table.rowTotals[s] > 0 ? row[c] / table.rowTotals[s] : 0;
            const color = sequentialColor(share, state.theme);
            const td = el('td', {
              text: row[c] > 0 ? formatInteger(row[c]) : '·',
              attrs: {
                title: `${formatPercent(share)} of ${styles[s].name}; ${formatPercent(table.columnTotals[c] > 0 ? row[c] / table.columnTotals[c] : 0)} of ${names[c]}`,
              },
            });
            td.style.background = color;
            td.style.color = textOn(color);
            return td;
          }),
          el('td', { className: 'total-cell', text: formatInteger(table.rowTotals[s]) }),
        ),
      ),
    );
    crossTable.tFoot?.replaceChildren(
      el(
        'tr',
        {},
        el('td', { className: 'align-left', text: 'Total' }),
        ...columns.map((c) => el('td', { text: formatInteger(table.columnTotals[c]) })),
        el('td', { text: formatInteger(table.total) }),
      ),
    );
  }

  /** @param {AppState} state */
  return function render(state) {
    if (state.phase !== 'ready' || !state.analysis.value?.customers) return;
    current = state;
    const clustering = currentClustering(state);
    section.classList.toggle('is-busy', state.cluster.busy);
    empty.hidden = !!clustering;
    for (const card of section.querySelectorAll('.card')) /** @type {HTMLElement} */ (card).hidden = !clustering;
    if (!clustering) {
      summaryLine.textContent = 'Profiles';
      detail.textContent = '';
      empty.textContent = state.cluster.busy
        ? 'Finding the segments…'
        : state.cluster.error
          ? `No segments to profile: ${state.cluster.error} Change the method in step 3.`
          : 'No segments yet: open step 3, Segments.';
      return;
    }
    const styles = stylesOf(state);
    const top = clustering.profiles.reduce((a, b) => (b.revenueShare > a.revenueShare ? b : a));
    summaryLine.textContent = `${plural(styles.length, 'segment', 'segments')} · ${styles[top.segment].name}: ${formatPercent(top.customerShare)} of customers, ${formatPercent(top.revenueShare)} of revenue`;
    detail.textContent = `Names from each segment’s recency, orders and spend against all customers (rename them in the panel). ${clustering.run.features.length} clustering features.`;
    if (state.step !== 'profiles') return;
    if (changed('charts', [clustering, styles])) {
      const features = state.analysis.value?.customers.features;
      snakeNote.textContent = `The clustering features, each as z-scores${clustering.run.log1p ? ' of log1p(value)' : ''} over all customers, averaged per segment. 0 = the average customer.`;
      // The pass over every customer runs when the chart draws, in a task of its own.
      snake.draw(() => {
        const plot = snakePlotData(features, clustering.run.features, clustering.labels, styles.length, { log1p: clustering.run.log1p });
        return snakeOption(plot, styles, state.theme, snakeContainer.clientWidth, { log1p: clustering.run.log1p });
      });
      const { omitted } = importanceColumns(clustering.profiles, clustering.profileFeatures);
      importanceNote.textContent =
        'Segment mean ÷ mean of all customers − 1. Blue: below average; orange: above.' +
        (omitted.length ? ` Not shown: ${omitted.map((f) => feature(f).label.toLowerCase()).join(', ')} (0 for every customer).` : '');
      importance.draw(() => {
        importanceContainer.style.height = `${importanceHeight(styles.length, clustering.profileFeatures.length - omitted.length, importanceContainer.clientWidth)}px`;
        return importanceOption(clustering.profiles, clustering.profileFeatures, styles, state.theme, importanceContainer.clientWidth);
      });
    }
    if (changed('table', [clustering, styles, state.profileStat, state.analysis.value?.featureStats])) drawTable(state, clustering, styles);
    if (changed('cross', [clustering, styles, state.scores.value])) drawCrosstab(state, clustering, styles);
  };
}
