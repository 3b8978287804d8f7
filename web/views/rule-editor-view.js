// @ts-check
/**
 * Step 2, the segment rule editor: one row per rule (name, R/F/M min–max, customers), reorder and
 * remove buttons, "Add a rule" and "Reset to preset", and the core's coverage check as warnings.
 * Rule names are the user's text: set as values and text, never as HTML.
 */
import { rfmSegmentColor, rfmSegmentHatched } from '../charts/palette.js';
import { formatInteger } from '../format.js';
import { MAX_RULES, addRule, coverageWarnings, moveRule, removeRule, segmentTotals, updateRule } from '../model/rule-editor.js';
import { currentResult } from '../state.js';
import { byId, el, term } from '../ui/dom.js';

/**
 * @typedef {import('../api/protocol.js').SegmentRule} SegmentRule
 * @typedef {import('../model/rule-editor.js').Bound} Bound
 */

const SCORES = ['1', '2', '3', '4', '5'];

/**
 * @param {{onRules: (rules: SegmentRule[]) => void, onReset: () => void}} actions
 */
export function createRuleEditorView({ onRules, onReset }) {
  const coverage = byId('coverage');
  const table = byId('rules-table', HTMLTableElement);
  const addButton = byId('add-rule-button', HTMLButtonElement);
  const resetButton = byId('reset-rules-button', HTMLButtonElement);
  /** @type {SegmentRule[]} */
  let rules = [];
  /** @type {unknown[]} */
  let drawnKey = [];

  addButton.addEventListener('click', () => {
    onRules(addRule(rules));
    requestAnimationFrame(() => /** @type {HTMLElement | null} */ (table.querySelector('tbody tr:last-child input'))?.focus());
  });
  resetButton.addEventListener('click', onReset);

  table.tHead?.replaceChildren(
    el(
      'tr',
      {},
      el('th', { className: 'align-left', attrs: { scope: 'col' } }, term('Segment', 'The segment’s name (your text). Customers of no rule are “Others”.')),
      el('th', { attrs: { scope: 'col' } }, term('R', 'Recency score range, 1–5 (5 = most recent), inclusive.')),
      el('th', { attrs: { scope: 'col' } }, term('F', 'Frequency score range, 1–5 (5 = most orders), inclusive.')),
      el('th', { attrs: { scope: 'col' } }, term('M', 'Monetary score range, 1–5 (5 = highest spend), inclusive.')),
      el('th', { attrs: { scope: 'col' } }, term('Customers', 'Customers this rule wins (the first matching rule wins).')),
      el('th', { attrs: { scope: 'col' } }, el('span', { className: 'visually-hidden', text: 'Order and remove' })),
    ),
  );

  /**
   * @param {number} index @param {SegmentRule} rule @param {Bound} bound
   */
  function boundSelect(index, rule, bound) {
    const control = el('select', {
      className: 'select select-score',
      attrs: { id: `rule-${index}-${bound}`, 'aria-label': `${rule.name}: ${bound[0].toUpperCase()} ${bound.endsWith('Min') ? 'from' : 'to'}` },
    });
    for (const s of SCORES) control.append(el('option', { text: s, props: { value: s } }));
    control.value = String(rule[bound]);
    control.addEventListener('change', () => onRules(updateRule(rules, index, { [bound]: Number(control.value) })));
    return control;
  }

  /** @param {string} text @param {string} label @param {() => void} action @param {boolean} disabled @param {string} id */
  function iconButton(text, label, action, disabled, id) {
    const button = el('button', { className: 'icon-button icon-button-small', text, attrs: { type: 'button', 'aria-label': label, title: label, id } });
    button.disabled = disabled;
    button.addEventListener('click', action);
    return button;
  }

  /** @param {import('../state.js').AppState} state */
  function draw(state) {
    const rfm = currentResult(state, 'scores');
    const customers = state.analysis.value?.customers;
    const counts = rfm && customers ? segmentTotals(rfm.segment, rfm.rules.length, customers.monetary).customers : null;
    const focused = document.activeElement instanceof HTMLElement && table.contains(document.activeElement) ? document.activeElement.id : '';

    table.tBodies[0].replaceChildren(
      ...rules.map((rule, i) => {
        const name = el('input', { className: 'input input-name', attrs: { id: `rule-${i}-name`, 'aria-label': `Name of rule ${i + 1}`, maxlength: 60 } });
        name.value = rule.name;
        name.addEventListener('change', () => onRules(updateRule(rules, i, { name: name.value })));
        /** @param {'r' | 'f' | 'm'} k */
        const range = (k) =>
          el(
            'td',
            {},
            el(
              'span',
              { className: 'range' },
              boundSelect(i, rule, /** @type {Bound} */ (`${k}Min`)),
              el('span', { text: '–', attrs: { 'aria-hidden': 'true' } }),
              boundSelect(i, rule, /** @type {Bound} */ (`${k}Max`)),
            ),
          );
        const swatch = el('span', { className: 'chip-swatch', attrs: { 'aria-hidden': 'true', 'data-hatched': rfmSegmentHatched(i) } });
        swatch.style.setProperty('--chip-color', rfmSegmentColor(i, rules.length, state.theme));
        // Counts belong to the rules they were computed for; while new ones compute, show none.
        const count = counts && rfm && rfm.rules.length === rules.length && rfm.rules[i]?.name === rule.name ? formatInteger(counts[i]) : '…';
        return el(
          'tr',
          {},
          el('td', { className: 'align-left' }, el('span', { className: 'name-cell' }, swatch, name)),
          range('r'),
          range('f'),
          range('m'),
          el('td', { text: count }),
          el(
            'td',
            { className: 'row-actions' },
            iconButton('↑', `Move ${rule.name} up`, () => onRules(moveRule(rules, i, -1)), i === 0, `rule-${i}-up`),
            iconButton('↓', `Move ${rule.name} down`, () => onRules(moveRule(rules, i, 1)), i === rules.length - 1, `rule-${i}-down`),
            iconButton('×', `Remove ${rule.name}`, () => onRules(removeRule(rules, i)), false, `rule-${i}-remove`),
          ),
        );
      }),
    );
    if (counts && rfm && rfm.rules.length === rules.length) {
      const others = counts[rules.length];
      if (others > 0) {
        const swatch = el('span', { className: 'chip-swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.setProperty('--chip-color', rfmSegmentColor(rules.length, rules.length, state.theme));
        table.tBodies[0].append(
          el(
            'tr',
            { className: 'others-row' },
            el('td', { className: 'align-left' }, el('span', { className: 'name-cell' }, swatch, el('span', { text: 'Others (no rule)' }))),
            el('td'),
            el('td'),
            el('td'),
            el('td', { text: formatInteger(others) }),
            el('td'),
          ),
        );
      }
    }
    if (focused) document.getElementById(focused)?.focus();

    addButton.disabled = rules.length >= MAX_RULES;
    resetButton.disabled = state.rfmSettings.preset !== 'custom';

    // Coverage: from the core's check of the rules on screen.
    const check = rfm?.check;
    if (!check || !counts) {
      coverage.replaceChildren();
      return;
    }
    const warnings = coverageWarnings(check, counts[rfm.rules.length]);
    coverage.replaceChildren(
      ...(warnings.length === 0
        ? [el('p', { className: 'coverage-ok', text: 'Every score cell has exactly one rule: each customer gets a named segment.' })]
        : warnings.map((w) =>
            el(
              'div',
              { className: `coverage-item is-${w.severity}`, attrs: { 'data-kind': w.kind } },
              el('p', { className: 'coverage-title', text: w.title }),
              el('p', { className: 'coverage-message', text: w.message }),
              el('p', { className: 'coverage-cells', text: w.items.join(' · ') }),
            ),
          )),
    );
  }

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    rules = state.rfmSettings.rules ?? state.scores.value?.rules ?? [];
    const key = [state.rfmSettings, state.scores.value, state.analysis.value?.customers, state.theme];
    if (key.every((k, i) => k === drawnKey[i])) return;
    drawnKey = key;
    draw(state);
  };
}
