// @ts-check
// Chart option builders of the Customers and Cohorts steps: pure data → ECharts option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { addMonths, cohortChartHeight, cohortOption, cohortRows, colourMax, meanRetention } from '../../web/charts/cohort-chart.js';
import { binLabel, histogram, histogramOption, isSkewed, niceStep, scoreRegions } from '../../web/charts/histogram-chart.js';
import { rfmSegmentColor, rfmSegmentHatched, sequentialColor, textOn } from '../../web/charts/palette.js';
import { gridTooltipHtml, rfmGridCells, rfmGridOption } from '../../web/charts/rfm-grid-chart.js';
import { treemapNodes, treemapOption } from '../../web/charts/segment-treemap-chart.js';
import { tieGroups } from '../../web/views/customers-view.js';
import { partialMonthNote } from '../../web/views/cohorts-view.js';

/** These tests expect English number formatting (Node's default locale unless LANG says otherwise). */
const english = new Intl.NumberFormat().resolvedOptions().locale.startsWith('en');
const skip = english ? false : 'needs an English default locale';

/** Log-normal spend (σ = 1.2, seeded): a long right tail. */
const spend = (() => {
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Float64Array.from({ length: 500 }, () => {
    const z = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
    return Math.round(300 * Math.exp(1.2 * z) * 100) / 100;
  });
})();
const uniform = Float64Array.from({ length: 500 }, (_, i) => i % 100);

test('skewed features get a log axis; flat ones and ones with many zeros do not', () => {
  assert.equal(isSkewed(spend), true);
  assert.equal(isSkewed(uniform), false);
  const zeros = Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 10 ** (i / 20)));
  assert.equal(isSkewed(zeros), false, 'zeros cannot go on a log axis');
  assert.equal(isSkewed([1, 2]), false);
});

test('histogram bins cover every value once; round linear steps; log bins per decade', () => {
  const lin = histogram(uniform, { log: false, integer: true });
  assert.equal(lin.total, 500);
  assert.equal(
    lin.bins.reduce((t, b) => t + b.count, 0),
    500,
  );
  assert.ok(lin.bins.every((b) => Number.isInteger(b.x0) && Number.isInteger(b.x1)));
  assert.equal(lin.bins[0].x0, 0);
  const log = histogram([0, -5, 1, 10, 100, 1000, NaN], { log: true });
  assert.equal(log.excluded, 3, 'zero, negative and NaN left off the log axis');
  assert.equal(log.total, 4);
  assert.equal(
    log.bins.reduce((t, b) => t + b.count, 0),
    4,
  );
  assert.ok(Math.abs(log.bins[1].x1 / log.bins[1].x0 - 10 ** 0.2) < 1e-9, '5 bins a decade');
  const ints = histogram([1, 1, 2, 3, 5, 8, 13, 46], { log: true, integer: true });
  assert.ok(ints.bins.every((b) => Number.isInteger(b.x0) && b.x1 > b.x0));
  assert.equal(ints.bins[0].x0, 1);
  assert.equal(ints.bins[0].count, 2);
  assert.deepEqual(histogram([], {}).bins, []);
  assert.equal(niceStep(17), 20);
  assert.equal(niceStep(0.3), 0.5);
});

test('bin labels say which values a bin holds', { skip }, () => {
  assert.equal(binLabel({ x0: 4, x1: 6, count: 0 }, true, 'count'), '4–5');
  assert.equal(binLabel({ x0: 7, x1: 8, count: 0 }, true, 'count'), '7');
  assert.equal(binLabel({ x0: 100, x1: 158.49, count: 0 }, false, 'money'), '100.00 to under 158.49');
});

test('score regions: midpoints between bins, recency reversed, tied bins have no width', () => {
  const bins = [
    { score: 1, customers: 2, min: 1, max: 10 },
    { score: 2, customers: 2, min: 20, max: 30 },
    { score: 3, customers: 2, min: 40, max: 50 },
  ];
  assert.deepEqual(scoreRegions(bins, false), [
    { score: 1, from: 1, to: 15 },
    { score: 2, from: 15, to: 35 },
    { score: 3, from: 35, to: 50 },
  ]);
  const recency = [
    { score: 3, customers: 2, min: 1, max: 10 },
    { score: 2, customers: 2, min: 20, max: 30 },
  ];
  assert.deepEqual(
    scoreRegions(recency, true).map((r) => r.score),
    [3, 2],
  );
  const tied = [
    { score: 1, customers: 5, min: 0, max: 0 },
    { score: 2, customers: 5, min: 0, max: 0 },
    { score: 3, customers: 5, min: 0, max: 4 },
  ];
  assert.deepEqual(
    scoreRegions(tied, false).map((r) => r.score),
    [3],
  );
  assert.deepEqual(tieGroups(tied), [{ value: 0, scores: [1, 2, 3] }]);
  assert.deepEqual(tieGroups(bins), []);
  assert.deepEqual(
    tieGroups([
      { score: 1, customers: 1, min: 30, max: 34 },
      { score: 2, customers: 1, min: 34, max: 40 },
    ]),
    [],
    'a shared boundary alone is not reported',
  );
});

test('histogram option: log axis says so, bars as [x0, x1, count], bands labelled, tooltip escaped', () => {
  const { option, histogram: h } = histogramOption(
    {
      values: spend,
      label: 'Spend <b>',
      letter: 'M',
      kind: 'money',
      integer: false,
      width: 600,
      scoreBins: [
        { score: 1, customers: 100, min: 11, max: 40 },
        { score: 2, customers: 100, min: 41, max: 200 },
      ],
    },
    'light',
  );
  const o = /** @type {any} */ (option);
  assert.equal(h.log, true);
  assert.equal(o.xAxis.type, 'log');
  assert.match(o.xAxis.name, /\(log scale\)$/);
  assert.equal(Math.log10(o.xAxis.min) % 1, 0, 'a log axis starts at a power of ten');
  const series = o.series[0];
  assert.equal(series.type, 'custom');
  assert.equal(series.data.length, h.bins.length);
  assert.deepEqual(series.data[0], [h.bins[0].x0, h.bins[0].x1, h.bins[0].count]);
  assert.deepEqual(
    series.markArea.data.map((/** @type {any} */ d) => d[0].name),
    ['M1', 'M2'],
  );
  const html = o.tooltip.formatter({ data: series.data[0] });
  assert.ok(!html.includes('<b>') && html.includes('&lt;b&gt;'));
  const linear = /** @type {any} */ (histogramOption({ values: uniform, label: 'Recency (days)', letter: 'R', kind: 'days', integer: true }, 'dark').option);
  assert.equal(linear.xAxis.type, 'value');
  assert.doesNotMatch(linear.xAxis.name, /log/);
});

test('R×F grid: 25 cells, customers and revenue per cell, segment mix; tooltip escapes names', () => {
  const scores = {
    r: new Uint8Array([5, 5, 1, 3]),
    f: new Uint8Array([5, 5, 1, 2]),
    segment: new Int32Array([0, 0, 1, 2]),
  };
  const cells = rfmGridCells(scores, new Float64Array([100, 50, 5, 7]), 2);
  assert.equal(cells.length, 25);
  const top = cells.find((c) => c.r === 5 && c.f === 5);
  assert.deepEqual(top && { customers: top.customers, revenue: top.revenue, segments: top.segments }, { customers: 2, revenue: 150, segments: [2, 0, 0] });
  assert.deepEqual(cells.find((c) => c.r === 3 && c.f === 2)?.segments, [0, 0, 1], 'index 2 = Others');
  const option = /** @type {any} */ (rfmGridOption({ cells, names: ['<script>', 'Lost', 'Others'], fLabel: 'orders' }, 'light'));
  assert.equal(option.series[0].type, 'heatmap');
  assert.equal(option.series[0].data.length, 25);
  assert.deepEqual(option.series[0].data[24].value, [4, 4, 2], 'F 5 → x 4, R 5 → y 4, 2 customers');
  assert.equal(option.series[0].data[1].label.formatter, '', 'empty cells have no label');
  const html = gridTooltipHtml(/** @type {any} */ (top), ['<script>', 'Lost', 'Others'], 4, 162);
  assert.ok(!html.includes('<script>') && html.includes('&lt;script&gt;: 2'));
});

test('treemap: non-empty segments by size, Others grey, names escaped in the tooltip', () => {
  const rules = [
    { name: 'Champions', rMin: 5, rMax: 5, fMin: 4, fMax: 5, mMin: 1, mMax: 5 },
    { name: 'Empty', rMin: 1, rMax: 1, fMin: 1, fMax: 1, mMin: 1, mMax: 1 },
    { name: '<img src=x onerror=alert(1)>', rMin: 1, rMax: 2, fMin: 1, fMax: 2, mMin: 1, mMax: 5 },
  ];
  const data = { rules, customers: [5, 0, 10, 3], revenue: [500, 0, 40, 6] };
  const nodes = treemapNodes(data);
  assert.deepEqual(
    nodes.map((n) => n.name),
    ['<img src=x onerror=alert(1)>', 'Champions', 'Others'],
  );
  const option = /** @type {any} */ (treemapOption(data, 'dark'));
  const items = option.series[0].data;
  assert.deepEqual(
    items.map((/** @type {any} */ d) => d.value),
    [10, 5, 3],
  );
  assert.equal(items[2].itemStyle.color, rfmSegmentColor(3, 3, 'dark'), 'Others is the neutral grey');
  const html = option.tooltip.formatter({ dataIndex: 0, data: items[0] });
  assert.ok(!html.includes('<img'));
  assert.match(html, /Rule: R 1–2 · F 1–2 · M any/);
});

test('palettes: RFM colours distinct for nine rules then hatched; text stays readable', () => {
  const colours = Array.from({ length: 9 }, (_, i) => rfmSegmentColor(i, 10, 'light'));
  assert.equal(new Set(colours).size, 9);
  assert.equal(rfmSegmentHatched(8), false);
  assert.equal(rfmSegmentHatched(9), true);
  assert.notEqual(rfmSegmentColor(10, 10, 'light'), rfmSegmentColor(10, 10, 'dark'));
  assert.equal(textOn('#08306b'), '#ffffff');
  assert.equal(textOn('#f2f6fb'), '#111111');
  assert.equal(sequentialColor(0, 'light'), '#f2f6fb');
  assert.equal(sequentialColor(1, 'light'), '#08306b');
  assert.equal(sequentialColor(NaN, 'dark'), '#1b2430');
});

const cohorts = {
  months: ['2010-12', '2011-01', '2011-02'],
  active: [new Float64Array([10, 5, 2]), new Float64Array([4, 1, 0]), new Float64Array([2, 0, 0])],
  revenue: [new Float64Array([100, 50, 20]), new Float64Array([40, 10, 0]), new Float64Array([30, 0, 0])],
};

test('cohorts: retention rows, empty cells after the data ends, colour scale without month 0', () => {
  const rows = cohortRows(cohorts, 'retention');
  assert.deepEqual(
    rows.map((r) => r.values),
    [
      [1, 0.5, 0.2],
      [1, 0.25, null],
      [1, null, null],
    ],
  );
  assert.deepEqual(
    rows.map((r) => r.size),
    [10, 4, 2],
  );
  assert.equal(colourMax(rows, 'retention'), 0.5);
  assert.equal(colourMax(cohortRows(cohorts, 'revenue'), 'revenue'), 100, 'revenue colours include month 0');
  assert.equal(meanRetention(cohorts, 1), 6 / 14);
  assert.equal(meanRetention(cohorts, 2), 0.2);
  assert.equal(meanRetention(cohorts, 3), null);
  assert.equal(addMonths('2010-12', 1), '2011-01');
  assert.equal(addMonths('2011-01', 14), '2012-03');
  assert.equal(cohortChartHeight(3), cohortChartHeight(1) + 2 * 26);
});

test('cohort option: sizes on the axis, one heatmap cell per reached month, labels when they fit', { skip }, () => {
  const option = /** @type {any} */ (cohortOption(cohorts, 'retention', 'light', 900));
  assert.deepEqual(option.yAxis.data, ['2010-12 · 10', '2011-01 · 4', '2011-02 · 2']);
  assert.equal(option.yAxis.inverse, true);
  assert.equal(option.series[0].data.length, 6);
  assert.equal(option.series[0].data[1].label.formatter, '50%');
  assert.equal(option.series[0].label.show, true);
  assert.equal(/** @type {any} */ (cohortOption(cohorts, 'retention', 'light', 150)).series[0].label.show, false);
  const html = option.tooltip.formatter({ value: [1, 0, 0.5] });
  assert.match(html, /Cohort 2010-12/);
  assert.match(html, /Month 1 \(2011-01\)/);
  assert.match(html, /5 bought \(50\.0% of the cohort\)/);
  const revenue = /** @type {any} */ (cohortOption(cohorts, 'revenue', 'dark', 900));
  assert.equal(revenue.series[0].data[0].label.formatter, '100');
});

test('a partial last month is pointed out', () => {
  assert.match(partialMonthNote(cohorts, '2011-02-09'), /2011-02 is a partial month \(the data ends 2011-02-09\)/);
  assert.equal(partialMonthNote(cohorts, '2011-02-28'), '');
  assert.equal(partialMonthNote(cohorts, '2011-03-05'), '');
});
