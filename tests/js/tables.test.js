// @ts-check
// Pure parts of the views: segment table rows and stat cards (no DOM needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { daysBetween, statCards } from '../../web/views/data-view.js';
import { segmentTableRows } from '../../web/views/segment-table-view.js';

/** These tests expect English number formatting (Node's default locale unless LANG says otherwise). */
const english = new Intl.NumberFormat().resolvedOptions().locale.startsWith('en');
const skip = english ? false : 'needs an English default locale';

test('segment rows get their share; the total row has customer-weighted means', () => {
  const { rows, total } = segmentTableRows([
    { segment: 0, customers: 1, meanRecency: 10, meanFrequency: 9, meanMonetary: 900, revenue: 900 },
    { segment: 1, customers: 3, meanRecency: 50, meanFrequency: 1, meanMonetary: 100, revenue: 300 },
  ]);
  assert.deepEqual(
    rows.map((r) => r.share),
    [0.25, 0.75],
  );
  assert.deepEqual(total, {
    customers: 4,
    share: 1,
    meanRecency: 40,
    meanFrequency: 3,
    meanMonetary: 300,
    revenue: 1200,
  });
});

test('stat cards show counts with separators, shares, and the date range', { skip }, () => {
  const cards = statCards({
    fileName: 'a.csv',
    bytes: 2_500_000,
    encoding: 'UTF-8',
    delimiter: ',',
    layout: 'UCI Online Retail',
    dateFormat: 'YYYY-MM-DD',
    columns: [],
    rowsRead: 10_000,
    rowsKept: 7_500,
    rowsNoCustomer: 2_000,
    rowsCancelled: 500,
    rowsUnreadable: 0,
    warnings: [],
    customers: 4_338,
    firstDate: '2010-12-01',
    lastDate: '2011-12-09',
    asOf: '2011-12-10',
  });
  const byId = Object.fromEntries(cards.map((c) => [c.id, c]));
  assert.equal(byId['stat-rows-read'].value, '10,000');
  assert.equal(byId['stat-rows-kept'].note, '75.0% of rows');
  assert.equal(byId['stat-rows-no-customer'].value, '2,000');
  assert.equal(byId['stat-rows-no-customer'].note, 'dropped · 20.0%');
  assert.equal(byId['stat-rows-cancelled'].value, '500');
  assert.equal(byId['stat-customers'].value, '4,338');
  assert.deepEqual(byId['stat-date-range'].value, ['2010-12-01 –', '2011-12-09']);
  assert.equal(byId['stat-date-range'].note, '374 days');
  assert.equal(byId['stat-rows-invalid'], undefined, 'no card for zero unreadable rows');
});

test('daysBetween counts calendar days, across a leap day', () => {
  assert.equal(daysBetween('2010-12-01', '2011-12-09'), 373);
  assert.equal(daysBetween('2012-02-28', '2012-03-01'), 2);
  assert.equal(daysBetween('2011-12-09', '2011-12-09'), 0);
});

test('roles: a column has one role; what the reader did not take as asked is reported', async () => {
  const { assignRole, roleMismatches, shownRoles } = await import('../../web/views/reading-view.js');
  const roles = /** @type {any} */ ({ customer: 'CustomerID', product: 'StockCode', description: 'Description', country: null });
  assert.deepEqual(assignRole(roles, 'product', 'Description'), { customer: 'CustomerID', product: 'Description', description: null, country: null });
  assert.deepEqual(assignRole(roles, 'country', null), roles);
  const summary = /** @type {any} */ ({ roles: { customer: 'CustomerID', product: null, description: 'Description' } });
  assert.deepEqual(roleMismatches(summary, { roles: { product: 'Description', description: 'Description' } }), { product: 'Description' });
  assert.deepEqual(roleMismatches(summary, {}), {});
  assert.equal(shownRoles(summary, { roles: { customer: null } }, true).customer, null, 'a failed read shows what was asked');
  assert.equal(shownRoles(summary, { roles: { customer: null } }, false).customer, 'CustomerID', 'otherwise what was used');
});

test('data summary and warnings say what was left out and what to do', { skip }, async () => {
  const { dataSummaryLine, dataWarnings } = await import('../../web/views/data-view.js');
  const summary = /** @type {any} */ ({
    rowsRead: 10_000,
    rowsKept: 7_500,
    customers: 12,
    rowsUnreadable: 3,
    unreadableExamples: ['line 5: bad date'],
    warnings: ['line 5: bad date; row skipped', 'w'],
    returnsOnlyCustomers: 2,
  });
  const ledger = /** @type {any} */ ({ rules: [{ enabled: true }, { enabled: false }, { enabled: true }] });
  assert.equal(dataSummaryLine(summary, ledger, false), '10,000 rows read · 7,500 kept · 12 customers · 2 rules on');
  assert.match(dataSummaryLine(summary, ledger, true), /the current settings leave no customers/);
  const w = dataWarnings(summary);
  assert.equal(w.length, 3, 'the example is not repeated as a warning');
  assert.equal(w[1].text, 'w');
  assert.match(w[0].text, /^3 rows could not be read/);
  assert.deepEqual(w[0].examples, ['line 5: bad date']);
  assert.match(w[2].text, /2 customers have only returns/);
});

test('ledger rows: off rules show dashes, negative revenue a true minus', { skip }, async () => {
  const { ledgerRows } = await import('../../web/views/ledger-view.js');
  const rows = ledgerRows(
    /** @type {any} */ ({
      before: {},
      after: {},
      rules: [
        { rule: 'cancellations', title: 'C', detail: 'd', enabled: true, rows: 1536, customers: 7, revenue: -37289.96, examples: ['x'] },
        { rule: 'duplicates', title: 'D', detail: 'd', enabled: false, rows: 0, customers: 0, revenue: 0, examples: [] },
      ],
    }),
  );
  assert.deepEqual(
    rows.map((r) => [r.step, r.rows, r.customers, r.revenue]),
    [
      [1, '1,536', '7', '−37,289.96'],
      [2, '—', '—', '—'],
    ],
  );
});

test('one-line summaries of the Customers, Segments and Cohorts steps', { skip }, async () => {
  const { customersSummaryLine } = await import('../../web/views/customers-view.js');
  const { segmentsSummaryLine } = await import('../../web/views/segments-summary-view.js');
  const { cohortsSummaryLine } = await import('../../web/views/cohorts-view.js');
  const { stepNotes } = await import('../../web/views/layout-view.js');
  const rules = [
    { name: 'Champions', rMin: 5, rMax: 5, fMin: 1, fMax: 5, mMin: 1, mMax: 5 },
    { name: 'Rest', rMin: 1, rMax: 4, fMin: 1, fMax: 5, mMin: 1, mMax: 5 },
  ];
  const state = /** @type {any} */ ({
    analysis: { value: { customers: { ids: ['a', 'b', 'c', 'd'], monetary: new Float64Array([300, 50, 50, 100]) } }, analysisId: 7 },
    scores: { value: { segment: new Int32Array([0, 1, 1, 2]), rules }, analysisId: 7 },
  });
  assert.equal(customersSummaryLine(state), '4 customers · 2 RFM segments · 1 in Others · Champions: 25.0% of customers, 60.0% of revenue');
  assert.equal(
    customersSummaryLine({ ...state, scores: { ...state.scores, analysisId: 6 } }),
    '4 customers',
    'scores of another analysis are not summarised (as many customers or not)',
  );
  const segmentation = /** @type {any} */ ({
    segments: [
      { segment: 0, customers: 1, revenue: 300 },
      { segment: 1, customers: 3, revenue: 200 },
    ],
  });
  assert.equal(segmentsSummaryLine(4, segmentation.segments), '4 customers · 2 segments · Segment 1: 25.0% of customers, 60.0% of revenue');
  assert.equal(
    segmentsSummaryLine(4, segmentation.segments, { names: ['VIP', 'Rest'], silhouette: 0.4123 }),
    '4 customers · 2 segments · silhouette 0.41 · VIP: 25.0% of customers, 60.0% of revenue',
    'the names shown and the mean silhouette',
  );
  const cohorts = { months: ['2011-01', '2011-02'], active: [new Float64Array([4, 1]), new Float64Array([2, 0])], revenue: [] };
  assert.equal(cohortsSummaryLine(/** @type {any} */ (cohorts)), '2 monthly cohorts · 6 customers · 25.0% buy again the month after their first purchase');
  const notes = stepNotes(
    /** @type {any} */ ({
      analysis: { value: { summary: { rowsKept: 1200, customers: 4 } }, error: null, analysisId: 1 },
      segment: { value: segmentation, analysisId: 1 },
      scores: { value: {}, analysisId: 1 },
      cohorts: { value: null, analysisId: 0 },
      cluster: { value: null, analysisId: 0 },
    }),
  );
  assert.deepEqual(notes, {
    data: '1,200 rows kept',
    customers: '4 customers',
    segments: '2 segments',
    profiles: '',
    cohorts: 'monthly retention',
    whatif: '',
    export: '',
  });
});
