// @ts-check
/**
 * Segment table of step 3: colour chip and name, size, share and mean recency / orders / spend
 * per segment of the clustering shown, with a total row. Columns sort on click (keyboard too:
 * headers are buttons).
 */
import { formatInteger, formatMoney, formatOneDecimal, formatPercent, segmentName } from '../format.js';
import { currentClustering, stylesOf } from '../state.js';
import { byId, h } from '../ui/dom.js';
import { profileStats } from './segments-summary-view.js';

/**
 * @typedef {import('../api/protocol.js').SegmentStats & {share: number}} SegmentRow
 * @typedef {keyof SegmentRow} ColumnKey
 * @typedef {{key: ColumnKey, label: string, title: string, format: (row: SegmentRow) => string}} Column
 */

/** @type {Column[]} */
const COLUMNS = [
  { key: 'segment', label: 'Segment', title: 'Segments are numbered by mean spend, highest first', format: (r) => segmentName(r.segment) },
  { key: 'customers', label: 'Customers', title: 'Customers in the segment', format: (r) => formatInteger(r.customers) },
  { key: 'share', label: 'Share', title: 'Share of all customers', format: (r) => formatPercent(r.share) },
  {
    key: 'meanRecency',
    label: 'Recency, days',
    title: 'Recency: mean days since the last purchase',
    format: (r) => formatOneDecimal(r.meanRecency),
  },
  {
    key: 'meanFrequency',
    label: 'Orders',
    title: 'Frequency: mean number of orders (distinct invoices) per customer',
    format: (r) => formatOneDecimal(r.meanFrequency),
  },
  {
    key: 'meanMonetary',
    label: 'Spend',
    title: 'Monetary: mean total spend per customer',
    format: (r) => formatMoney(r.meanMonetary),
  },
  { key: 'revenue', label: 'Revenue', title: 'Total spend of all customers in the segment', format: (r) => formatMoney(r.revenue) },
];

/**
 * Table rows (with each segment's share of customers) and the total row (customer-weighted means).
 * @param {import('../api/protocol.js').SegmentStats[]} segments
 * @returns {{rows: SegmentRow[], total: Omit<SegmentRow, 'segment'>}}
 */
export function segmentTableRows(segments) {
  const customers = segments.reduce((n, s) => n + s.customers, 0);
  /** @param {(s: import('../api/protocol.js').SegmentStats) => number} f */
  const weighted = (f) => (customers > 0 ? segments.reduce((t, s) => t + f(s) * s.customers, 0) / customers : 0);
  return {
    rows: segments.map((s) => ({ ...s, share: customers > 0 ? s.customers / customers : 0 })),
    total: {
      customers,
      share: customers > 0 ? 1 : 0,
      meanRecency: weighted((s) => s.meanRecency),
      meanFrequency: weighted((s) => s.meanFrequency),
      meanMonetary: weighted((s) => s.meanMonetary),
      revenue: segments.reduce((t, s) => t + s.revenue, 0),
    },
  };
}

export function createSegmentTableView() {
  const table = byId('segment-table', HTMLTableElement);
  const scroll = /** @type {HTMLElement} */ (table.parentElement);
  /** @type {{key: ColumnKey, direction: 1 | -1}} */
  let sort = { key: 'segment', direction: 1 };
  /** @type {import('../state.js').AppState | null} */
  let shown = null;

  /** @param {ColumnKey} key */
  function sortBy(key) {
    sort = { key, direction: sort.key === key ? /** @type {1 | -1} */ (-sort.direction) : key === 'segment' ? 1 : -1 };
    if (shown) draw(shown);
  }

  /** @param {import('../state.js').AppState} state */
  function draw(state) {
    const clustering = currentClustering(state);
    const stats = clustering ? profileStats(clustering) : (state.segment.value?.segments ?? []);
    const styles = stylesOf(state);
    const { rows, total } = segmentTableRows(stats);
    rows.sort((a, b) => sort.direction * (Number(a[sort.key]) - Number(b[sort.key])));

    const headRow = h('tr');
    for (const column of COLUMNS) {
      const th = h('th');
      th.scope = 'col';
      th.title = column.title;
      const active = sort.key === column.key;
      th.setAttribute('aria-sort', active ? (sort.direction === 1 ? 'ascending' : 'descending') : 'none');
      const button = h('button', { className: 'sort-button', text: column.label });
      button.type = 'button';
      const indicator = h('span', { className: 'sort-indicator', text: active ? (sort.direction === 1 ? '↑' : '↓') : '' });
      // Numbers are right-aligned: the arrow goes on the left so labels line up with the values.
      if (column.key === 'segment') button.append(indicator);
      else button.prepend(indicator);
      button.addEventListener('click', () => sortBy(column.key));
      th.append(button);
      headRow.append(th);
    }
    table.tHead?.replaceChildren(headRow);

    table.tBodies[0].replaceChildren(
      ...rows.map((row) => {
        const tr = h('tr');
        tr.dataset.segment = String(row.segment + 1);
        for (const column of COLUMNS) {
          const td = h('td');
          if (column.key === 'segment') {
            const chip = h('span', { className: 'chip' });
            const swatch = h('span', { className: 'chip-swatch' });
            const style = styles[row.segment];
            swatch.style.setProperty('--chip-color', style?.color ?? '');
            swatch.dataset.shape = style?.shape ?? 'circle';
            chip.append(swatch, style?.name ?? column.format(row));
            if (style?.customName) chip.title = `${style.autoName}, renamed`;
            td.append(chip);
          } else {
            td.textContent = column.format(row);
          }
          tr.append(td);
        }
        return tr;
      }),
    );

    const footRow = h('tr');
    footRow.append(h('td', { text: 'All customers' }));
    for (const column of COLUMNS.slice(1)) {
      footRow.append(h('td', { text: column.format({ ...total, segment: -1 }) }));
    }
    table.tFoot?.replaceChildren(footRow);
  }

  /** @type {unknown[]} */
  let drawnKey = [];
  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    scroll.classList.toggle('is-stale', state.cluster.busy);
    if (state.phase !== 'ready' || (!currentClustering(state) && !state.segment.value)) return;
    const key = [currentClustering(state), state.segment.value, stylesOf(state)];
    if (shown && key.every((k, i) => k === drawnKey[i])) return;
    drawnKey = key;
    shown = state;
    draw(state);
  };
}
