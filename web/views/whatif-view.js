// @ts-check
/**
 * Step 6, What-if: the revenue projection of model/what-if.js on the segments shown (summary
 * line with the total change, bars before/after, the table per segment), and its panel (best
 * segment, uplift, conversion rate from each other segment). All on the page; nothing runs in
 * the worker.
 */
import { whatIfOption } from '../charts/what-if-chart.js';
import { formatMoney, formatOneDecimal } from '../format.js';
import { WHAT_IF_FORMULA, bestSegment } from '../model/what-if.js';
import { currentClustering, stylesOf } from '../state.js';
import { createChartHost } from '../ui/chart-host.js';
import { byId, el, term } from '../ui/dom.js';
import { signedMoney, signedPercent, whatIfResult, whatIfSummaryLine } from './whatif-summary.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../model/what-if.js').WhatIfParams} WhatIfParams
 */

export function createWhatIfView() {
  const summaryLine = byId('whatif-summary');
  const detail = byId('whatif-detail');
  const empty = byId('whatif-empty');
  const container = byId('whatif-chart');
  const note = byId('whatif-note');
  const table = byId('whatif-table', HTMLTableElement);
  const section = byId('whatif-section');
  const chart = createChartHost(container);
  /** @type {unknown[]} */
  let drawnKey = [];

  /** @param {AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    const result = whatIfResult(state);
    const clustering = currentClustering(state);
    empty.hidden = !!result;
    for (const card of section.querySelectorAll('.card')) /** @type {HTMLElement} */ (card).hidden = !result;
    summaryLine.textContent = whatIfSummaryLine(state);
    if (!result || !clustering || !state.whatIf) {
      detail.textContent = '';
      empty.textContent = state.cluster.busy ? 'Finding the segments…' : 'No segments yet: open step 3, Segments.';
      return;
    }
    const styles = stylesOf(state);
    const best = styles[state.whatIf.best];
    detail.replaceChildren(
      `${best?.name ?? ''} customers spend ${signedPercent(state.whatIf.uplift)}; some customers of every other segment become like them. `,
      term('How it is computed', WHAT_IF_FORMULA),
    );
    note.textContent = `Grey: revenue now; coloured: projected. Spend over the file’s period (${state.analysis.value?.summary?.firstDate ?? ''} to ${state.analysis.value?.summary?.lastDate ?? ''}).`;
    if (state.step !== 'whatif') return;
    const key = [clustering, styles, state.whatIf];
    if (key.every((k, i) => k === drawnKey[i])) return;
    drawnKey = key;
    chart.draw(() => whatIfOption(result, styles, state.theme));
    const head = [
      ['Segment', 'Segment, by its name as shown.'],
      ['Customers', 'Customers in the segment now.'],
      ['After', 'Expected customers after the conversions.'],
      ['Mean spend', 'Revenue ÷ customers, over the file’s period.'],
      ['Revenue', 'Σ spend of the segment’s customers now.'],
      ['Projected', 'Revenue after the change (see “How it is computed”).'],
      ['Change', 'Projected − revenue.'],
      ['Change %', 'Change ÷ revenue.'],
    ];
    table.tHead?.replaceChildren(
      el('tr', {}, ...head.map(([label, tip], i) => el('th', { className: i === 0 ? 'align-left' : '', attrs: { scope: 'col' } }, term(label, tip)))),
    );
    table.tBodies[0].replaceChildren(
      ...result.rows.map((r) => {
        const style = styles[r.segment];
        const swatch = el('span', { className: 'chip-swatch' });
        swatch.style.setProperty('--chip-color', style.color);
        swatch.dataset.shape = style.shape;
        return el(
          'tr',
          { attrs: { 'data-segment': r.segment + 1, 'data-best': r.segment === state.whatIf?.best ? 'true' : null } },
          el(
            'th',
            { className: 'align-left', attrs: { scope: 'row' } },
            el('span', { className: 'chip' }, swatch, style.name),
            r.segment === state.whatIf?.best ? el('span', { className: 'badge', text: 'best' }) : null,
          ),
          el('td', { text: formatOneDecimal(r.customersBefore).replace(/\.0$/, '') }),
          el('td', { text: formatOneDecimal(r.customersAfter) }),
          el('td', { text: formatMoney(r.meanSpend) }),
          el('td', { className: 'whatif-before', text: formatMoney(r.revenueBefore) }),
          el('td', { className: 'whatif-after', text: formatMoney(r.revenueAfter) }),
          el('td', { text: signedMoney(r.change) }),
          el('td', { text: signedPercent(r.changeShare) }),
        );
      }),
    );
    const t = result.total;
    table.tFoot?.replaceChildren(
      el(
        'tr',
        {},
        el('td', { className: 'align-left', text: 'Total' }),
        el('td', { text: formatOneDecimal(t.customersBefore).replace(/\.0$/, '') }),
        el('td', { text: formatOneDecimal(t.customersAfter) }),
        el('td', { text: t.customersBefore > 0 ? formatMoney(t.revenueBefore / t.customersBefore) : '—' }),
        el('td', { attrs: { id: 'whatif-total-before' }, text: formatMoney(t.revenueBefore) }),
        el('td', { attrs: { id: 'whatif-total-after' }, text: formatMoney(t.revenueAfter) }),
        el('td', { attrs: { id: 'whatif-total-change' }, text: signedMoney(t.change) }),
        el('td', { text: signedPercent(t.changeShare) }),
      ),
    );
  };
}

/**
 * @param {{onChange: (params: WhatIfParams) => void, onReset: () => void}} actions
 */
export function createWhatIfPanelView({ onChange, onReset }) {
  const bestSelect = byId('whatif-best', HTMLSelectElement);
  const uplift = byId('whatif-uplift', HTMLInputElement);
  const upliftError = byId('error-whatif-uplift');
  const list = byId('whatif-conversions');
  const formula = byId('whatif-formula');
  const reset = byId('whatif-reset-button', HTMLButtonElement);
  formula.dataset.tip = WHAT_IF_FORMULA;
  formula.setAttribute('aria-description', WHAT_IF_FORMULA);
  reset.addEventListener('click', onReset);
  /** @type {AppState | null} */
  let current = null;
  /** @type {Map<HTMLInputElement, ReturnType<typeof setTimeout>>} */
  const typing = new Map();
  /** @type {HTMLInputElement[]} */
  let conversions = [];
  /** @type {unknown} */
  let builtFor = null;

  /** Reads the form; null when a field cannot be used (it says why). */
  function read() {
    const params = current?.whatIf;
    if (!params) return null;
    const u = Number(uplift.value);
    const upliftOk = uplift.value.trim() !== '' && Number.isFinite(u) && u >= -100 && u <= 1000;
    upliftError.hidden = upliftOk;
    upliftError.textContent = upliftOk ? '' : 'A percentage from −100 to 1,000.';
    uplift.setAttribute('aria-invalid', String(!upliftOk));
    let ok = upliftOk;
    const conversion = conversions.map((input, s) => {
      const v = Number(input.value);
      const valid = input.disabled || (input.value.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 100);
      input.setAttribute('aria-invalid', String(!valid));
      ok &&= valid;
      return input.disabled ? params.conversion[s] : v / 100;
    });
    return ok ? { best: Number(bestSelect.value), uplift: u / 100, conversion } : null;
  }

  /** @param {HTMLInputElement} input */
  const watch = (input) => {
    const commit = () => {
      clearTimeout(typing.get(input));
      typing.delete(input);
      const params = read();
      if (params) onChange(params);
    };
    input.addEventListener('input', () => {
      clearTimeout(typing.get(input));
      typing.set(input, setTimeout(commit, 300));
    });
    input.addEventListener('change', commit);
  };
  watch(uplift);
  bestSelect.addEventListener('change', () => {
    const params = read();
    if (params) onChange(params);
  });

  /** @param {AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    current = state;
    const clustering = currentClustering(state);
    const params = state.whatIf;
    if (!clustering || !params) return;
    const styles = stylesOf(state);
    const key = styles.map((s) => s.autoName).join('\n');
    if (key !== builtFor) {
      builtFor = key;
      conversions = styles.map((style, s) => {
        const input = el('input', {
          className: 'input input-number',
          attrs: { type: 'number', id: `whatif-conversion-${s + 1}`, min: 0, max: 100, step: 0.5 },
        });
        watch(input);
        return input;
      });
      list.replaceChildren(
        ...conversions.map((input, s) =>
          el(
            'div',
            { className: 'conversion-row', attrs: { 'data-segment': s + 1 } },
            el('label', { className: 'conversion-label', attrs: { for: input.id } }, el('span', { className: 'conversion-name' })),
            input,
            el('span', { className: 'unit', text: '%' }),
          ),
        ),
      );
    }
    const highest = bestSegment(clustering.profiles.map((p) => ({ segment: p.segment, customers: p.customers, revenue: p.revenue })));
    bestSelect.replaceChildren(
      ...styles.map((style, s) =>
        el('option', { text: `${style.name}${s === highest ? ' ★' : ''}`, props: { value: String(s), disabled: clustering.profiles[s].customers === 0 } }),
      ),
    );
    bestSelect.value = String(params.best);
    if (!typing.has(uplift) && document.activeElement !== uplift) uplift.value = String(Math.round(params.uplift * 1000) / 10);
    conversions.forEach((input, s) => {
      const row = /** @type {HTMLElement} */ (input.parentElement);
      const name = /** @type {HTMLElement} */ (row.querySelector('.conversion-name'));
      name.textContent = styles[s].name;
      name.style.setProperty('--chip-color', styles[s].color);
      input.disabled = s === params.best;
      row.classList.toggle('is-best', s === params.best);
      if (!typing.has(input) && document.activeElement !== input) input.value = s === params.best ? '' : String(Math.round(params.conversion[s] * 1000) / 10);
      input.placeholder = s === params.best ? 'best' : '';
    });
  };
}
