// @ts-check
// Pure models: the cleaning rules form, the RFM rule editor, feature statistics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliArgs, defaultRules, formatCodeList, parseCodeList, toWasmRules, validateRules } from '../../web/model/cleaning-rules.js';
import { schema } from './support/schema.js'; // the core's schema, before the page's modules read it
import { FEATURES, SCORE_FEATURES, feature } from '../../web/model/definitions.js';
import { featureStats } from '../../web/model/feature-stats.js';
import {
  MAX_RULES,
  OTHERS,
  addRule,
  clampScore,
  coverageWarnings,
  moveRule,
  presetOf,
  removeRule,
  ruleText,
  rulesEqual,
  segmentTotals,
  uniqueName,
  updateRule,
} from '../../web/model/rule-editor.js';

test('default rules are the core’s: drop missing customers and cancellations, the rest off', () => {
  const wasm = toWasmRules(defaultRules());
  assert.deepEqual(wasm, {
    missingCustomer: 'drop',
    dropDuplicates: false,
    cancellations: 'drop',
    cancelPrefix: 'auto',
    dropNonProduct: false,
    nonProductCodes: schema.params.find((x) => x.key === 'nonProductCodes').default,
    dropBadPrice: false,
    countries: [],
    excludeCountries: false,
    windowMonths: 0,
    outliers: 'off',
    outlierPercentile: 99.9,
    iqrFactor: 3,
    minProductCustomers: 0,
  });
  assert.deepEqual(cliArgs(defaultRules()), []);
  assert.deepEqual(validateRules(defaultRules()), []);
});

test('modes translate to the wasm fields; parameters of rules that are off are neutral', () => {
  const form = {
    ...defaultRules(),
    countryMode: /** @type {const} */ ('exclude'),
    countries: ['France'],
    windowMode: /** @type {const} */ ('range'),
    windowStart: '2011-01-01',
    windowEnd: '',
    rareProducts: false,
    minProductCustomers: 7,
  };
  const wasm = toWasmRules(form);
  assert.deepEqual(wasm.countries, ['France']);
  assert.equal(wasm.excludeCountries, true);
  assert.equal(wasm.windowStart, '2011-01-01');
  assert.equal('windowEnd' in wasm, false);
  assert.equal(wasm.windowMonths, 0);
  assert.equal(wasm.minProductCustomers, 0, 'rare products off');
  assert.deepEqual(toWasmRules({ ...form, countryMode: 'all' }).countries, [], 'every country: the list is ignored');
  assert.equal(toWasmRules({ ...defaultRules(), windowMode: 'months', windowMonths: 6 }).windowMonths, 6);
  const off = toWasmRules({ ...defaultRules(), outliers: 'off', outlierPercentile: 150, iqrFactor: -1 });
  assert.deepEqual([off.outlierPercentile, off.iqrFactor], [99.9, 3], 'unused, invalid parameters are not sent');
  assert.equal(toWasmRules({ ...defaultRules(), outliers: 'iqr', iqrFactor: 1.5 }).iqrFactor, 1.5);
});

test('the CLI flags reproduce the same rules', () => {
  const form = {
    ...defaultRules(),
    dropDuplicates: true,
    cancellations: /** @type {const} */ ('net'),
    dropNonProduct: true,
    nonProductCodes: ['POST', 'DOT'],
    countryMode: /** @type {const} */ ('keep'),
    countries: ['France', 'Germany'],
    windowMode: /** @type {const} */ ('months'),
    windowMonths: 6,
    outliers: /** @type {const} */ ('iqr'),
    iqrFactor: 2.5,
    rareProducts: true,
    minProductCustomers: 3,
  };
  assert.deepEqual(cliArgs(form), [
    '--drop-duplicates',
    '--cancellations',
    'net',
    '--drop-non-product',
    '--non-product-codes',
    'POST,DOT',
    '--countries',
    'France,Germany',
    '--window-months',
    '6',
    '--outliers',
    'iqr',
    '--iqr-factor',
    '2.5',
    '--min-product-customers',
    '3',
  ]);
});

test('code lists: trimmed, empties and repeats dropped, case kept', () => {
  assert.deepEqual(parseCodeList(' POST, DOT ,,M, m, POST '), ['POST', 'DOT', 'M', 'm']);
  assert.deepEqual(parseCodeList(''), []);
  assert.equal(formatCodeList(['A', 'B C']), 'A, B C');
  const codes = schema.params.find((x) => x.key === 'nonProductCodes').default;
  assert.deepEqual(parseCodeList(formatCodeList(codes)), codes);
});

test('validation names the field and says what to do; only rules that are on are checked', () => {
  const fields = (/** @type {any} */ patch) => validateRules({ ...defaultRules(), ...patch }).map((p) => p.field);
  assert.deepEqual(fields({ dropNonProduct: true, nonProductCodes: [] }), ['nonProductCodes']);
  assert.deepEqual(fields({ dropNonProduct: false, nonProductCodes: [] }), []);
  assert.deepEqual(fields({ countryMode: 'keep', countries: [] }), ['countries']);
  assert.deepEqual(fields({ windowMode: 'months', windowMonths: 0 }), ['windowMonths']);
  assert.deepEqual(fields({ windowMode: 'months', windowMonths: 2.5 }), ['windowMonths']);
  assert.deepEqual(fields({ windowMode: 'range', windowStart: '', windowEnd: '' }), ['windowStart']);
  assert.deepEqual(fields({ windowMode: 'range', windowStart: '2011-02-30' }), ['windowStart']);
  assert.deepEqual(fields({ windowMode: 'range', windowStart: '2011-05-01', windowEnd: '2011-04-01' }), ['windowEnd']);
  assert.deepEqual(fields({ outliers: 'percentile', outlierPercentile: 150 }), ['outlierPercentile']);
  assert.deepEqual(fields({ outliers: 'percentile', outlierPercentile: NaN }), ['outlierPercentile']);
  assert.deepEqual(fields({ outliers: 'iqr', iqrFactor: 0 }), ['iqrFactor']);
  assert.deepEqual(fields({ rareProducts: true, minProductCustomers: 0 }), ['minProductCustomers']);
  for (const p of validateRules({ ...defaultRules(), rareProducts: true, minProductCustomers: -1 })) assert.match(p.message, /Enter/);
});

const R = (/** @type {string} */ name, rMin = 1, rMax = 5, fMin = 1, fMax = 5, mMin = 1, mMax = 5) => ({ name, rMin, rMax, fMin, fMax, mMin, mMax });

test('rule editor: add covers what is left (appended last), names stay unique, capped', () => {
  const rules = [R('Champions', 5, 5, 4, 5), R('New segment')];
  const added = addRule(rules);
  assert.equal(added.length, 3);
  assert.deepEqual(added[2], R('New segment 2'));
  assert.equal(uniqueName([]), 'New segment');
  const full = Array.from({ length: MAX_RULES }, (_, i) => R(`r${i}`));
  assert.equal(addRule(full).length, MAX_RULES);
});

test('rule editor: remove, move (order matters), update clamps bounds but keeps min > max for the check', () => {
  const rules = [R('A'), R('B'), R('C')];
  assert.deepEqual(
    removeRule(rules, 1).map((r) => r.name),
    ['A', 'C'],
  );
  assert.deepEqual(
    moveRule(rules, 2, -1).map((r) => r.name),
    ['A', 'C', 'B'],
  );
  assert.deepEqual(
    moveRule(rules, 0, -1).map((r) => r.name),
    ['A', 'B', 'C'],
    'first stays first',
  );
  const updated = updateRule(rules, 0, { rMin: 9, rMax: 2, fMin: 0, name: '  ' });
  assert.deepEqual(updated[0], { ...R('Segment 1'), rMin: 5, rMax: 2, fMin: 1 });
  assert.equal(rules[0].name, 'A', 'inputs are not mutated');
  assert.equal(clampScore(3.6), 4);
  assert.equal(clampScore(NaN), 1);
});

test('rule editor: presets are recognised until edited; rule text', () => {
  const grid = [R('Champions', 5, 5, 4, 5), R('Loyal', 3, 4, 4, 5)];
  assert.equal(
    presetOf(
      grid.map((r) => ({ ...r })),
      { 'rf-grid': grid },
    ),
    'rf-grid',
  );
  assert.equal(presetOf(updateRule(grid, 1, { fMin: 3 }), { 'rf-grid': grid }), 'custom');
  assert.equal(presetOf(grid, {}), 'custom');
  assert.ok(rulesEqual(grid, [...grid]));
  assert.ok(!rulesEqual(grid, grid.slice(1)));
  assert.equal(ruleText(R('x', 4, 5, 1, 1)), 'R 4–5 · F 1 · M any');
});

test('segment totals: customers and revenue per rule, Others last', () => {
  const t = segmentTotals(new Int32Array([0, 2, 1, 2, 0]), 2, new Float64Array([10, 1, 5, 2, 3]));
  assert.deepEqual(t.customers, [2, 1, 2]);
  assert.deepEqual(t.revenue, [13, 5, 3]);
});

test('coverage warnings say what happened, how many customers, and what to do', () => {
  assert.deepEqual(coverageWarnings({ uncovered: [], overlapping: [], unreachable: [], invalid: [] }, 0), []);
  const warnings = coverageWarnings(
    {
      uncovered: Array.from({ length: 15 }, (_, i) => String(111 + i)),
      overlapping: ['122: At Risk, Lost'],
      unreachable: ['Promising'],
      invalid: ['Broken'],
    },
    42,
  );
  assert.deepEqual(
    warnings.map((w) => w.kind),
    ['invalid', 'uncovered', 'overlapping', 'unreachable'],
  );
  const uncovered = warnings[1];
  assert.match(uncovered.title, /^15 score cells match no rule$/);
  assert.match(uncovered.message, new RegExp(`42 customers fall in these cells and are shown as “${OTHERS}”`));
  assert.match(uncovered.message, /add a rule/);
  assert.equal(uncovered.items.length, 13, '12 cells and "and 3 more"');
  assert.equal(uncovered.items[12], 'and 3 more');
  assert.equal(warnings[2].severity, 'info');
  assert.match(warnings[2].message, /first rule in the list wins/);
  assert.match(warnings[0].title, /1 rule has an invalid range/);
});

test('definitions: every feature has words, the score features exist', () => {
  for (const f of FEATURES) {
    assert.ok(f.definition.length > 20, f.name);
    assert.ok(Number.isInteger(f.decimals));
  }
  for (const names of Object.values(SCORE_FEATURES))
    for (const n of names)
      assert.ok(
        FEATURES.some((f) => f.name === n),
        n,
      );
  assert.equal(feature('new_thing').label, 'new_thing', 'an unknown feature still shows');
});

test('feature stats: count, empties, min, median, mean, max', () => {
  assert.deepEqual(featureStats(new Float64Array([3, NaN, 1, 2, 10])), { count: 4, missing: 1, min: 1, median: 2.5, mean: 4, max: 10 });
  assert.deepEqual(featureStats([5]), { count: 1, missing: 0, min: 5, median: 5, mean: 5, max: 5 });
  const none = featureStats([NaN]);
  assert.equal(none.count, 0);
  assert.ok(Number.isNaN(none.median));
});
