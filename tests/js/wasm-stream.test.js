// @ts-check
// The wasm module's read modes: a file read in one pass ('stream', or 'auto' above the row
// threshold) gives the same summary, ledger, customers, cohorts and countries as the table, bit for
// bit, under every rule that can stream; the other rules are refused by name; lines are hashed for
// duplicates only when asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadWasm } from './support/wasm-node.js';
import { makeRetailCsv } from './support/make-retail.js';

const wasm = await loadWasm();
const bytes = new TextEncoder().encode(makeRetailCsv());

/**
 * Reads the bytes in odd-sized chunks; the first failure (of any call) or the analysis.
 * @param {object} options  ReadOptions without fileName
 * @param {object} [rules]
 * @param {object} [featureParams]
 */
function ingest(options, rules, featureParams) {
  const begun = wasm.ingestBegin({ fileName: 'gen.csv', size: bytes.length, rules, featureParams, ...options });
  if (!begun.ok) return begun;
  for (let i = 0; i < bytes.length; i += 7777) {
    const r = wasm.ingestChunk(bytes.subarray(i, i + 7777));
    if (!r.ok) return r;
  }
  return wasm.ingestFinish(rules ?? {}, featureParams ?? {});
}

/** Everything a read gives, cohorts and country counts included. */
function everything(options, rules, featureParams) {
  const a = ingest(options, rules, featureParams);
  assert.equal(a.ok, true, JSON.stringify(a.error));
  const { analysisId: cohortsId, ...cohorts } = wasm.cohorts();
  const countries = wasm.countries();
  assert.equal(cohorts.ok, true, JSON.stringify(cohorts.error));
  const { warnings, readMode, duplicatesChecked, streamNote, analysisId, ...summary } = a.summary;
  return { readMode, summary, ledger: a.ledger, customerIds: a.customerIds, countries: a.countries, features: a.features, cohorts, countryRows: countries };
}

const streamable = [
  {},
  { cancellations: 'net', missingCustomer: 'synthetic' },
  { dropNonProduct: true, dropBadPrice: true, countries: ['France'], excludeCountries: true, windowStart: '2010-03-01', windowEnd: '2011-10-31' },
  { countries: ['United Kingdom', 'EIRE'], cancellations: 'net' },
];

test('stream and table give the same results, to the bit, under every rule that can stream', () => {
  for (const rules of streamable) {
    for (const featureParams of [{}, { asOf: '2011-06-30', recentDays: 60 }]) {
      const table = everything({ mode: 'table' }, rules, featureParams);
      const streamed = everything({ mode: 'stream' }, rules, featureParams);
      const label = JSON.stringify({ rules, featureParams });
      assert.equal(table.readMode, 'table', label);
      assert.equal(streamed.readMode, 'stream', label);
      assert.ok(table.summary.customers > 50, label);
      assert.deepEqual(streamed, { ...table, readMode: 'stream' }, label);
    }
  }
});

test('a streamed read says so in its note, and what a change of rule will do', () => {
  const a = ingest({ mode: 'stream' });
  assert.equal(a.ok, true);
  assert.match(a.summary.streamNote, /read in one pass \(streaming\)/);
  assert.match(a.summary.streamNote, /reads the file again/);
  assert.equal(ingest({ mode: 'table' }).summary.streamNote, '');
});

test('stream: each rule that needs every row is refused by name', () => {
  const needs = { duplicates: { dropDuplicates: true }, window: { windowMonths: 6 }, outliers: { outliers: 'iqr' }, rare_products: { minProductCustomers: 2 } };
  for (const [key, rules] of Object.entries(needs)) {
    const r = ingest({ mode: 'stream' }, rules);
    assert.equal(r.ok, false, key);
    assert.equal(r.error.name, 'InvalidArgument');
    assert.match(r.error.message, new RegExp(`the rule "${key}" needs every row at once`));
    assert.deepEqual(wasm.ruleNeedingAllRows(rules), { ok: true, rule: key });
  }
  assert.deepEqual(wasm.ruleNeedingAllRows(streamable[2]), { ok: true, rule: '' });
  // After a streamed read, other rules on the same read are refused (the worker reads again).
  assert.equal(ingest({ mode: 'stream' }).ok, true);
  const changed = wasm.applyRules({ dropBadPrice: true }, {});
  assert.equal(changed.ok, false);
  assert.match(changed.error.message, /read it again/);
});

test('auto: streams above streamAboveRows when the rules allow, else keeps the table', () => {
  // gen.csv has ~1,900 rows.
  assert.equal(ingest({ mode: 'auto', streamAboveRows: 500 }).summary.readMode, 'stream');
  assert.equal(ingest({ mode: 'auto', streamAboveRows: 100000 }).summary.readMode, 'table');
  assert.equal(ingest({ mode: 'auto' }).summary.readMode, 'table', 'the default threshold is millions of rows');
  const withDuplicates = ingest({ mode: 'auto', streamAboveRows: 500, findDuplicates: true }, { dropDuplicates: true });
  assert.equal(withDuplicates.summary.readMode, 'table', 'a rule that needs every row keeps the table');
  assert.equal(withDuplicates.summary.duplicatesChecked, true);
  // Above the table's budget too: refused, naming the rule and what to do.
  const refused = ingest({ mode: 'auto', streamAboveRows: 500, maxRows: 1000, findDuplicates: true }, { dropDuplicates: true });
  assert.equal(refused.ok, false);
  assert.equal(refused.error.name, 'InputError');
  assert.match(refused.error.message, /The cleaning rule "duplicates" needs the whole table: turn it off/);
  // Unknown size: no estimate, a table.
  const unsized = wasm.ingestBegin({ fileName: 'gen.csv', mode: 'auto', streamAboveRows: 500 });
  assert.equal(unsized.ok, true);
  assert.equal(wasm.ingestChunk(bytes).ok, true);
  assert.equal(wasm.ingestFinish().summary.readMode, 'table');
  const bad = wasm.ingestBegin({ fileName: 'gen.csv', mode: 'fast' });
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /mode "fast" should be 'table', 'stream' or 'auto'/);
});

test('findDuplicates off: no line hashes, and the duplicates rule asks for a read with them', () => {
  const a = ingest({ mode: 'table', findDuplicates: false });
  assert.equal(a.summary.duplicatesChecked, false);
  const r = wasm.applyRules({ dropDuplicates: true }, {});
  assert.equal(r.ok, false);
  assert.equal(r.error.name, 'InvalidArgument');
  assert.match(r.error.message, /without looking for duplicate lines/);
  assert.equal(ingest({ mode: 'table' }).summary.duplicatesChecked, true, 'on by default for callers of the module');
});

test('table budget: maxRows lowers it (never raises it), and the summary reports it', () => {
  assert.equal(ingest({ mode: 'table' }).summary.tableRowLimit, 48_000_000);
  assert.equal(ingest({ mode: 'table', maxRows: 1e12 }).summary.tableRowLimit, 48_000_000);
  const r = ingest({ mode: 'table', maxRows: 1000 });
  assert.equal(r.ok, false);
  assert.match(r.error.message, /more than the 1000 rows this browser tab can hold as a table/);
});
