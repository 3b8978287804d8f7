// @ts-check
/**
 * The RFM segment rule editor as data: presets, edits (add, remove, move, change a bound), and
 * the coverage check of the core (uncovered cells, overlaps, unreachable rules, invalid ranges)
 * turned into warnings that say what happened, how many customers, and what to do. Pure.
 */

/**
 * @typedef {import('../api/protocol.js').SegmentRule} SegmentRule
 * @typedef {import('../api/protocol.js').RuleCheck} RuleCheck
 * @typedef {import('../api/protocol.js').RfmPreset} RfmPreset
 * @typedef {RfmPreset | 'custom'} PresetChoice
 * @typedef {'rMin' | 'rMax' | 'fMin' | 'fMax' | 'mMin' | 'mMax'} Bound
 */

/** The presets of the core (cpp/core/rfm_scores.h), as the preset select lists them. */
export const PRESETS = Object.freeze([
  { id: /** @type {RfmPreset} */ ('rf-grid'), label: 'R×F grid (default)', note: 'Ten segments from recency and frequency; spend is not used.' },
  {
    id: /** @type {RfmPreset} */ ('rfm-package'),
    label: 'rfm package (R, F and M)',
    note: 'The ten rules of the R “rfm” package vignette; they overlap and leave cells uncovered.',
  },
]);

/** @type {readonly Bound[]} */
export const BOUNDS = Object.freeze(['rMin', 'rMax', 'fMin', 'fMax', 'mMin', 'mMax']);

/** Name of the customers no rule reaches. */
export const OTHERS = 'Others';

/** Most rules the editor accepts (the palette and the treemap stay readable). */
export const MAX_RULES = 20;

/** @param {number} v  a score bound: an integer 1..5 (anything else is clamped) */
export const clampScore = (v) => Math.min(5, Math.max(1, Math.round(Number.isFinite(v) ? v : 1)));

/**
 * A name not used yet: "New segment", "New segment 2", …
 * @param {readonly SegmentRule[]} rules
 * @param {string} [base]
 */
export function uniqueName(rules, base = 'New segment') {
  const names = new Set(rules.map((r) => r.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} ${i}`)) return `${base} ${i}`;
}

/**
 * Appends a rule covering every cell: last in the list, it takes exactly the cells no earlier
 * rule reaches (first match wins), so adding one never changes an existing segment.
 * @param {readonly SegmentRule[]} rules
 * @returns {SegmentRule[]}
 */
export function addRule(rules) {
  if (rules.length >= MAX_RULES) return [...rules];
  return [...rules, { name: uniqueName(rules), rMin: 1, rMax: 5, fMin: 1, fMax: 5, mMin: 1, mMax: 5 }];
}

/** @param {readonly SegmentRule[]} rules @param {number} index @returns {SegmentRule[]} */
export function removeRule(rules, index) {
  return rules.filter((_, i) => i !== index);
}

/**
 * Moves a rule up (−1) or down (+1): order matters, the first matching rule wins.
 * @param {readonly SegmentRule[]} rules @param {number} index @param {-1 | 1} delta
 * @returns {SegmentRule[]}
 */
export function moveRule(rules, index, delta) {
  const to = index + delta;
  if (index < 0 || index >= rules.length || to < 0 || to >= rules.length) return [...rules];
  const out = [...rules];
  [out[index], out[to]] = [out[to], out[index]];
  return out;
}

/**
 * Changes one rule. Bounds are clamped to whole scores 1..5; a minimum above its maximum is kept
 * (the check reports it as an invalid range, rather than the editor silently swapping them).
 * A blank name becomes "Segment N".
 * @param {readonly SegmentRule[]} rules
 * @param {number} index
 * @param {Partial<SegmentRule>} patch
 * @returns {SegmentRule[]}
 */
export function updateRule(rules, index, patch) {
  return rules.map((rule, i) => {
    if (i !== index) return rule;
    const next = { ...rule, ...patch };
    for (const b of BOUNDS) next[b] = clampScore(next[b]);
    next.name = String(next.name).trim() || `Segment ${index + 1}`;
    return next;
  });
}

/** @param {readonly SegmentRule[]} a @param {readonly SegmentRule[]} b */
export function rulesEqual(a, b) {
  return a.length === b.length && a.every((r, i) => r.name === b[i].name && BOUNDS.every((k) => r[k] === b[i][k]));
}

/**
 * Which preset the rules are, or "custom" once edited.
 * @param {readonly SegmentRule[]} rules
 * @param {Partial<Record<RfmPreset, readonly SegmentRule[]>>} presets  the core's preset rules, as fetched
 * @returns {PresetChoice}
 */
export function presetOf(rules, presets) {
  for (const { id } of PRESETS) {
    const preset = presets[id];
    if (preset && rulesEqual(rules, preset)) return id;
  }
  return 'custom';
}

/** @param {number} lo @param {number} hi */
const range = (lo, hi) => (lo === 1 && hi === 5 ? 'any' : lo === hi ? `${lo}` : `${lo}–${hi}`);

/** "R 4–5 · F 4–5 · M any" @param {SegmentRule} rule */
export function ruleText(rule) {
  return `R ${range(rule.rMin, rule.rMax)} · F ${range(rule.fMin, rule.fMax)} · M ${range(rule.mMin, rule.mMax)}`;
}

/**
 * Customers and revenue per named segment, "Others" last.
 * @param {Int32Array} segment  index into the rules per customer; rules.length = Others
 * @param {number} nRules
 * @param {ArrayLike<number>} monetary  spend per customer
 * @returns {{customers: number[], revenue: number[]}}  nRules + 1 entries each
 */
export function segmentTotals(segment, nRules, monetary) {
  // Several views ask on every render; the scores change far less often.
  const cached = totalsCache.get(segment);
  if (cached && cached.nRules === nRules && cached.monetary === monetary) return cached.totals;
  const totals = countSegments(segment, nRules, monetary);
  totalsCache.set(segment, { nRules, monetary, totals });
  return totals;
}

/** @type {WeakMap<ArrayLike<number>, {nRules: number, monetary: ArrayLike<number>, totals: {customers: number[], revenue: number[]}}>} */
const totalsCache = new WeakMap();

/** @param {ArrayLike<number>} segment @param {number} nRules @param {ArrayLike<number>} monetary */
function countSegments(segment, nRules, monetary) {
  const customers = new Array(nRules + 1).fill(0);
  const revenue = new Array(nRules + 1).fill(0);
  for (let i = 0; i < segment.length; i++) {
    const s = segment[i] >= 0 && segment[i] < nRules ? segment[i] : nRules;
    customers[s]++;
    revenue[s] += monetary[i];
  }
  return { customers, revenue };
}

/**
 * @typedef {{kind: 'uncovered' | 'overlapping' | 'unreachable' | 'invalid', severity: 'warning' | 'info',
 *            title: string, message: string, items: string[]}} CoverageWarning
 */

/** Items a warning lists before "and N more". */
const MAX_ITEMS = 12;

/** @param {string[]} items */
const shortList = (items) => (items.length <= MAX_ITEMS ? items : [...items.slice(0, MAX_ITEMS), `and ${items.length - MAX_ITEMS} more`]);

/** @param {number} n @param {string} one @param {string} many */
const count = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * The coverage check in words. Cells are "RFM" digits (545 = R 5, F 4, M 5).
 * @param {RuleCheck} check
 * @param {number} othersCustomers  customers in no named segment
 * @returns {CoverageWarning[]}  empty when every cell has exactly one rule
 */
export function coverageWarnings(check, othersCustomers) {
  /** @type {CoverageWarning[]} */
  const out = [];
  if (check.invalid.length > 0) {
    out.push({
      kind: 'invalid',
      severity: 'warning',
      title: `${count(check.invalid.length, 'rule has', 'rules have')} an invalid range`,
      message: 'A minimum is above its maximum, so the rule matches no cell. Set each minimum at or below its maximum.',
      items: shortList(check.invalid),
    });
  }
  if (check.uncovered.length > 0) {
    out.push({
      kind: 'uncovered',
      severity: 'warning',
      title: `${count(check.uncovered.length, 'score cell matches', 'score cells match')} no rule`,
      message:
        `${count(othersCustomers, 'customer falls', 'customers fall')} in these cells and ${othersCustomers === 1 ? 'is' : 'are'} shown as “${OTHERS}”. ` +
        'Widen a rule’s ranges or add a rule (a new rule covers every cell no earlier rule takes).',
      items: shortList(check.uncovered),
    });
  }
  if (check.overlapping.length > 0) {
    out.push({
      kind: 'overlapping',
      severity: 'info',
      title: `${count(check.overlapping.length, 'cell matches', 'cells match')} several rules`,
      message: 'The first rule in the list wins these cells. Reorder the rules, or narrow one, if another should.',
      items: shortList(check.overlapping),
    });
  }
  if (check.unreachable.length > 0) {
    out.push({
      kind: 'unreachable',
      severity: 'warning',
      title: `${count(check.unreachable.length, 'rule never wins', 'rules never win')} a cell`,
      message: 'Earlier rules take every cell these rules match, so they stay empty. Move them up or narrow the earlier rules.',
      items: shortList(check.unreachable),
    });
  }
  return out;
}
