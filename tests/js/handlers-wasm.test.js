// @ts-check
// The worker handlers against the real wasm (no Worker): the sample data and the fixtures, with
// the invariants the page relies on (ledger arithmetic, Σ spend, RFM coverage, cohort sizes) and
// the exports compared with the native CLI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { customerTableCsv, parseCsv, CUSTOMER_SCORE_COLUMNS } from '../../web/export/csv-export.js';
import { defaultRules, toWasmRules } from '../../web/model/cleaning-rules.js';
import { defaultOf } from '../../web/model/schema.js';
import { FEATURES } from '../../web/model/definitions.js';
import { createHandlers } from '../../web/worker/handlers.js';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const cli = path.join(repoRoot, 'build', 'native', 'loyaltylens');
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const fixture = (/** @type {string} */ name) => path.join(repoRoot, 'tests', 'fixtures', name);
const noProgress = () => {};

/** A File-like Blob of a file on disk (Node's Blob streams like the browser's). */
const blobOf = (/** @type {string} */ file) => new Blob([fs.readFileSync(file)]);

/** @param {string} file @param {object} [extra] */
async function loaded(file, extra = {}) {
  const handlers = createHandlers(wasm);
  const analysis = await handlers.loadFile({ file: blobOf(file), name: path.basename(file), ...extra }, noProgress);
  return { handlers, analysis };
}

/** @param {ArrayLike<number>} values */
const sum = (values) => Array.prototype.reduce.call(values, (/** @type {number} */ a, /** @type {number} */ b) => a + b, 0);

/**
 * The ledger's rows add up: each rule's removals sum to before − after.
 * @param {import('../../web/api/protocol.js').Ledger} ledger
 */
function checkLedger(ledger) {
  const { before, after, rules } = ledger;
  assert.equal(sum(rules.map((r) => r.rows)), before.rows - after.rows, 'rows removed = before − after');
  assert.equal(sum(rules.map((r) => r.customers)), before.customers - after.customers, 'customers removed = before − after');
  assert.ok(Math.abs(sum(rules.map((r) => r.revenue)) - (before.revenue - after.revenue)) < 0.01, 'revenue removed = before − after');
  for (const r of rules) if (!r.enabled) assert.equal(r.rows, 0, `${r.rule} is off and removes nothing`);
}

/** @param {string} file @param {string[]} args */
function cliLedgerCsv(file, args = []) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run "npm run build:native" first`);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'll-ledger-')), 'ledger.csv');
  execFileSync(cli, ['clean', file, ...args, '--ledger-csv', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  return fs.readFileSync(out, 'utf8');
}

test('sample: ledger rows add up, Σ spend = revenue after cleaning, every feature per customer', async () => {
  const { analysis } = await loaded(sample);
  const { summary, ledger, customers } = analysis;
  checkLedger(ledger);
  assert.equal(ledger.before.rows, summary.rowsRead);
  assert.equal(ledger.after.rows, summary.rowsKept);
  assert.equal(customers.ids.length, summary.customers);
  assert.equal(ledger.after.customers, summary.customers + summary.returnsOnlyCustomers);
  assert.ok(Math.abs(sum(customers.monetary) - ledger.after.revenue) < 0.01, 'Σ monetary = ledger revenue after');
  assert.deepEqual(
    Object.keys(customers.features),
    FEATURES.map((f) => f.name),
    'definitions cover every feature, in order',
  );
  for (const values of Object.values(customers.features)) assert.equal(values.length, customers.ids.length);
  assert.equal(customers.countries.length, customers.ids.length);
  assert.ok(customers.countries.includes('United Kingdom'));
  assert.deepEqual(summary.roles.customer, 'CustomerID');
});

test('sample: a rule change re-runs cleaning on the held table; the ledger follows, sums still hold', async () => {
  const { handlers, analysis } = await loaded(sample);
  const rules = { ...defaultRules(), dropDuplicates: true, dropNonProduct: true, dropBadPrice: true };
  const changed = await handlers.applyRules({ rules: toWasmRules(rules) }, noProgress);
  checkLedger(changed.ledger);
  const byRule = Object.fromEntries(changed.ledger.rules.map((r) => [r.rule, r]));
  assert.ok(byRule.duplicates.rows > 0 && byRule.duplicates.enabled);
  assert.ok(byRule.non_product.rows > 0);
  assert.ok(changed.ledger.after.rows < analysis.ledger.after.rows);
  assert.ok(Math.abs(sum(changed.customers.monetary) - changed.ledger.after.revenue) < 0.01);
  assert.equal(changed.summary.rowsRead, analysis.summary.rowsRead, 'not read again');

  // The default list the page shows is the core's own.
  assert.equal(byRule.non_product.detail, `stock codes dropped: ${defaultOf('clean', 'nonProductCodes').join(', ')}`);

  const back = await handlers.applyRules({ rules: toWasmRules(defaultRules()) }, noProgress);
  assert.deepEqual(back.ledger, analysis.ledger, 'default rules again give the first ledger');
});

test('sample: country, window, outlier and rare-product rules keep the ledger consistent', async () => {
  const { handlers } = await loaded(sample);
  const cases = [
    { countryMode: 'keep', countries: ['France', 'Germany'] },
    { countryMode: 'exclude', countries: ['United Kingdom'] },
    { windowMode: 'months', windowMonths: 6 },
    { windowMode: 'range', windowStart: '2011-03-01', windowEnd: '2011-08-31' },
    { outliers: 'percentile', outlierPercentile: 99 },
    { outliers: 'iqr', iqrFactor: 3 },
    { rareProducts: true, minProductCustomers: 3 },
    { cancellations: 'net' },
  ];
  for (const patch of cases) {
    const rules = toWasmRules(/** @type {import('../../web/model/cleaning-rules.js').RulesForm} */ ({ ...defaultRules(), ...patch }));
    const result = await handlers.applyRules({ rules }, noProgress);
    checkLedger(result.ledger);
    if ('cancellations' in patch) {
      // Netted cancellations stay in the table as returns: the rule is on and removes nothing.
      const rule = result.ledger.rules.find((r) => r.rule === 'cancellations');
      assert.equal(rule?.rows, 0);
      assert.ok(result.customers.features.returns_count.some((n) => n > 0));
    } else {
      assert.ok(
        result.ledger.rules.some((r) => r.enabled && r.rows > 0 && r.rule !== 'missing_customer'),
        JSON.stringify(patch),
      );
    }
  }
  const france = await handlers.applyRules({ rules: toWasmRules({ ...defaultRules(), countryMode: 'keep', countries: ['France'] }) }, noProgress);
  assert.deepEqual([...new Set(france.customers.countries)], ['France']);
});

test("sample: the exported ledger is byte for byte the CLI's, default and changed rules", async () => {
  const { handlers } = await loaded(sample);
  assert.equal((await handlers.ledgerCsv()).csv, cliLedgerCsv(sample));
  await handlers.applyRules(
    { rules: toWasmRules({ ...defaultRules(), dropDuplicates: true, cancellations: 'net', rareProducts: true, minProductCustomers: 2 }) },
    noProgress,
  );
  assert.equal((await handlers.ledgerCsv()).csv, cliLedgerCsv(sample, ['--drop-duplicates', '--cancellations', 'net', '--min-product-customers', '2']));
});

test('sample: R×F preset names every customer with no uncovered cell; the rfm package preset does not', async () => {
  const { handlers, analysis } = await loaded(sample);
  const grid = await handlers.rfmScores({}, noProgress);
  assert.deepEqual(grid.check, { uncovered: [], overlapping: [], unreachable: [], invalid: [] });
  assert.equal(grid.segment.length, analysis.customers.ids.length);
  assert.ok(
    grid.segment.every((s) => s >= 0 && s < grid.rules.length),
    'every customer has a named segment',
  );
  for (const metric of grid.bins) {
    assert.equal(sum(metric.map((b) => b.customers)), analysis.summary.customers, 'bins cover every customer');
  }
  for (const scores of [grid.r, grid.f, grid.m]) assert.ok(scores.every((s) => s >= 1 && s <= 5));

  const pkg = await handlers.rfmScores({ preset: 'rfm-package' }, noProgress);
  assert.ok(pkg.check.uncovered.length > 0 && pkg.check.overlapping.length > 0);
  assert.ok(
    pkg.segment.some((s) => s === pkg.rules.length),
    'some customers fall in Others',
  );

  const custom = await handlers.rfmScores({ rules: [{ name: 'Everyone', rMin: 1, rMax: 5, fMin: 1, fMax: 5, mMin: 1, mMax: 5 }] }, noProgress);
  assert.deepEqual(custom.check.uncovered, []);
  assert.ok(custom.segment.every((s) => s === 0));

  const byVisits = await handlers.rfmScores({ frequency: 'visits_4w', monetary: 'spend_4w' }, noProgress);
  assert.equal(byVisits.bins[1][0].max, 0, 'most customers had no order in the last 4 weeks');
  await assert.rejects(handlers.rfmScores({ frequency: 'nope' }, noProgress), { name: 'InvalidArgument', message: /nope/ });
});

test('sample: cohort column 0 is the cohort size, from first purchases; the triangle is empty beyond the data', async () => {
  const { handlers, analysis } = await loaded(sample);
  const { months, active, revenue } = await handlers.cohorts({}, noProgress);
  assert.equal(months[0], analysis.summary.firstDate.slice(0, 7));
  assert.equal(months.at(-1), analysis.summary.lastDate.slice(0, 7));
  assert.equal(active.length, months.length);
  // First purchase month per customer = as-of − tenure.
  const asOf = Date.parse(`${analysis.summary.asOf}T00:00:00Z`);
  /** @type {Map<string, number>} */
  const firstMonth = new Map();
  for (const tenure of analysis.customers.features.tenure) {
    const month = new Date(asOf - tenure * 86_400_000).toISOString().slice(0, 7);
    firstMonth.set(month, (firstMonth.get(month) ?? 0) + 1);
  }
  months.forEach((month, i) => {
    assert.equal(active[i][0], firstMonth.get(month) ?? 0, `cohort ${month}: active in month 0 = cohort size`);
    for (let n = 0; n < months.length; n++) {
      assert.ok(active[i][n] <= active[i][0], 'never more active than acquired');
      if (n >= months.length - i) assert.equal(active[i][n], 0, 'no activity after the data ends');
    }
  });
  assert.equal(sum(active.map((row) => row[0])), analysis.summary.customers, 'every customer in one cohort');
  const cohortRevenue = sum(revenue.map((row) => sum(row)));
  assert.ok(Math.abs(cohortRevenue - analysis.ledger.after.revenue) < 0.01, 'cohort revenue = revenue after cleaning');
});

test('sample: customer table CSV has one row per customer, every feature, scores and both segments', async () => {
  const { handlers, analysis } = await loaded(sample);
  const rfm = await handlers.rfmScores({}, noProgress);
  const seg = await handlers.segment({ k: 4, seed: 1, nInit: 10 }, noProgress);
  const { csv } = await handlers.customerCsv(
    { r: rfm.r, f: rfm.f, m: rfm.m, rfmSegment: rfm.segment, rfmNames: rfm.rules.map((r) => r.name), labels: seg.labels },
    noProgress,
  );
  assert.ok(csv.startsWith('\uFEFFcustomer_id,country,recency,'));
  const rows = parseCsv(csv);
  const [header, ...body] = rows;
  assert.deepEqual(header, ['customer_id', 'country', ...FEATURES.map((f) => f.name), 'first_purchase', 'last_purchase', ...CUSTOMER_SCORE_COLUMNS]);
  assert.equal(body.length, analysis.summary.customers);
  const col = (/** @type {string} */ name) => header.indexOf(name);
  assert.deepEqual(
    body.map((r) => r[0]),
    analysis.customers.ids,
  );
  const names = new Set(rfm.rules.map((r) => r.name));
  assert.ok(
    body.every((r) => names.has(r[col('rfm_segment')])),
    'named segment for everyone (R×F grid)',
  );
  assert.ok(body.every((r) => /^[1-5]{3}$/.test(r[col('rfm_cell')])));
  assert.ok(body.every((r) => Number(r[col('kmeans_segment')]) >= 1 && Number(r[col('kmeans_segment')]) <= 4));
  const spend = sum(body.map((r) => Number(r[col('monetary')])));
  assert.ok(Math.abs(spend - analysis.ledger.after.revenue) < 1, 'spend column sums to the revenue');
  // Same as building it on the page from the analysis it holds.
  assert.equal(
    csv,
    customerTableCsv({
      ...analysis.customers,
      r: rfm.r,
      f: rfm.f,
      m: rfm.m,
      rfmSegment: rfm.segment,
      rfmNames: rfm.rules.map((r) => r.name),
      labels: seg.labels,
      asOf: analysis.summary.asOf,
    }),
  );
  // The same customers, features and purchase dates as the CLI's features.csv.
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'll-features-')), 'features.csv');
  execFileSync(cli, ['features', sample, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  const [cliHeader, ...cliRows] = parseCsv(fs.readFileSync(out, 'utf8'));
  assert.equal(cliRows.length, body.length);
  for (const name of ['customer_id', 'country', 'recency', 'frequency', 'distinct_products', 'tenure', 'first_purchase', 'last_purchase']) {
    const a = cliHeader.indexOf(name);
    const b = col(name);
    assert.deepEqual(
      body.map((r) => r[b]),
      cliRows.map((r) => r[a]),
      name,
    );
  }
  for (const name of ['monetary', 'avg_order_value', 'items_per_order', 'purchase_rate', 'spend_4w']) {
    const a = cliHeader.indexOf(name);
    const b = col(name);
    body.forEach((r, i) => assert.ok(Math.abs(Number(r[b]) - Number(cliRows[i][a])) < 0.006, `${name} of ${r[0]}`));
  }
  await assert.rejects(
    handlers.customerCsv({ r: rfm.r.slice(1), f: rfm.f, m: rfm.m, rfmSegment: rfm.segment, rfmNames: [], labels: seg.labels }, noProgress),
    /r has/,
  );
});

test('sample: other column roles re-read the held file; a missing customer column is an InputError', async () => {
  const { handlers, analysis } = await loaded(sample);
  const roles = { ...analysis.summary.roles, product: 'Description', description: null };
  const reread = await handlers.readFile({ options: { roles } }, noProgress);
  assert.equal(reread.summary.roles.product, 'Description');
  assert.equal(reread.summary.roles.description ?? null, null, 'a role without a column is absent');
  assert.equal(reread.summary.rowsRead, analysis.summary.rowsRead);

  await assert.rejects(handlers.readFile({ options: { roles: { ...roles, customer: null } } }, noProgress), {
    name: 'InputError',
    message: /customer id/,
  });
  await assert.rejects(handlers.rfmScores({}, noProgress), { name: 'InvalidArgument' }, 'no analysis after a failed read');

  await assert.rejects(handlers.readFile({ options: { dateOrder: 'dmy' } }, noProgress), {
    name: 'InputError',
    message: /month\/day\/year/,
  });
  const again = await handlers.readFile({ options: { dateOrder: 'mdy' }, rules: toWasmRules({ ...defaultRules(), dropDuplicates: true }) }, noProgress);
  assert.equal(again.summary.customers, analysis.summary.customers);
  assert.ok(again.ledger.rules.find((r) => r.rule === 'duplicates')?.enabled, 'rules passed with the read apply');
});

test('fixtures: hand-checked ledger, spend and one cohort for the tiny file, both layouts', async () => {
  for (const name of ['tiny_online_retail.csv', 'tiny_online_retail_ii.csv']) {
    const { handlers, analysis } = await loaded(fixture(name));
    checkLedger(analysis.ledger);
    assert.equal(analysis.ledger.before.rows, 7);
    assert.equal(analysis.ledger.after.rows, 5);
    assert.deepEqual(
      analysis.ledger.rules.filter((r) => r.rows > 0).map((r) => [r.rule, r.rows]),
      [
        ['missing_customer', 1],
        ['cancellations', 1],
      ],
    );
    assert.ok(Math.abs(analysis.ledger.after.revenue - 92.9) < 1e-9);
    assert.deepEqual(
      [...analysis.customers.monetary].map((m) => Math.round(m * 100) / 100),
      [32.4, 42.5, 18],
    );
    assert.deepEqual(analysis.customers.countries, ['United Kingdom', 'France', 'France']);
    const cohorts = await handlers.cohorts({}, noProgress);
    assert.deepEqual(cohorts.months, ['2010-12']);
    assert.deepEqual([...cohorts.active[0]], [3]);

    const net = await handlers.applyRules({ rules: toWasmRules({ ...defaultRules(), cancellations: 'net', dropNonProduct: true }) }, noProgress);
    checkLedger(net.ledger);
    assert.deepEqual(net.customers.ids, ['17850', '13047']);
    assert.deepEqual(
      [...net.customers.monetary].map((m) => Math.round(m * 100) / 100),
      [21.3, 42.5],
    );
    assert.deepEqual([...net.customers.features.returns_count], [1, 0]);

    const rfm = await handlers.rfmScores({}, noProgress);
    assert.equal(rfm.segment.length, 2);
  }
});

test('fixtures: the file without the needed columns fails with what was found', async () => {
  const handlers = createHandlers(wasm);
  await assert.rejects(handlers.loadFile({ file: blobOf(fixture('missing_columns.csv')), name: 'missing_columns.csv' }, noProgress), {
    name: 'InputError',
    message: /"name", "email", "signup"/,
  });
  await assert.rejects(handlers.readFile({}, noProgress), { name: 'InputError' }, 'the held file is read again, and fails again');
  await assert.rejects(handlers.cohorts({}, noProgress), { name: 'InvalidArgument' });
});
