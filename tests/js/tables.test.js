// @ts-check
// Pure parts of the views: segment table rows and stat cards (no DOM needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
    rowsInvalid: 0,
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
