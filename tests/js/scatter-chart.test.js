// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmentColor, segmentShape } from '../../web/charts/palette.js';
import { countNonPositive, markerSize, plotTop, scatterChartOption, sizeClass, tooltipHtml } from '../../web/charts/scatter-chart.js';

/** These tests expect English number formatting (Node's default locale unless LANG says otherwise). */
const english = new Intl.NumberFormat().resolvedOptions().locale.startsWith('en');
const skip = english ? false : 'needs an English default locale';

const data = {
  ids: ['A1', '<img src=x onerror=alert(1)>', 'C3', 'D4'],
  recency: new Float64Array([10, 200, 3, 40]),
  frequency: new Float64Array([1, 4, 30, 2]),
  monetary: new Float64Array([120.5, 80, 9000, -5]),
  labels: new Int32Array([1, 1, 0, 2]),
  k: 3,
  asOf: '2011-12-10',
};

/** @param {any} option */
const series = (option) => /** @type {any[]} */ (option.series);

test('one named series per segment, coloured from the shared palette', () => {
  const option = /** @type {any} */ (scatterChartOption(data, 'light', 800));
  assert.deepEqual(
    series(option).map((s) => s.name),
    ['Segment 1', 'Segment 2', 'Segment 3'],
  );
  assert.deepEqual(
    option.color,
    [0, 1, 2].map((i) => segmentColor(i, 'light')),
  );
  assert.deepEqual(
    series(option).map((s) => s.data.map((/** @type {number[]} */ p) => p[3])),
    [[2], [0, 1], []],
    'customer indices by segment; the customer with negative spend is left off the log axis',
  );
  assert.deepEqual(series(option)[1].data[0], [10, 120.5, 1, 0]);
});

test('axes: recency on x, spend on a log axis that says so', () => {
  const option = /** @type {any} */ (scatterChartOption(data, 'dark', 800));
  assert.equal(option.xAxis.type, 'value');
  assert.match(option.xAxis.name, /days since last purchase/);
  assert.equal(option.yAxis.type, 'log');
  assert.match(option.yAxis.name, /log scale/);
});

test('the tooltip escapes customer ids and explains each number', { skip }, () => {
  const option = /** @type {any} */ (scatterChartOption(data, 'light', 800));
  const html = option.tooltip.formatter({ data: series(option)[1].data[1], seriesIndex: 1 });
  assert.ok(!html.includes('<img'), 'no raw HTML from the file');
  assert.ok(html.includes('Customer &lt;img src=x onerror=alert(1)&gt;'));
  assert.match(html, /Segment 2/);
  assert.match(html, /Recency: 200 days since last purchase \(as of 2011-12-10\)/);
  assert.match(html, /Frequency: 4 orders/);
  assert.match(html, /Monetary: 80\.00 total spend/);
  assert.match(tooltipHtml([1, 2, 1, 0], 0, 'x', '2011-12-10', 'light'), /Frequency: 1 order</);
});

test('palette: Okabe–Ito colours, distinct for up to 8 segments, shape added beyond', () => {
  const colors = Array.from({ length: 8 }, (_, i) => segmentColor(i, 'light'));
  assert.equal(new Set(colors).size, 8);
  assert.equal(segmentColor(0, 'light'), '#0072B2');
  assert.notEqual(segmentColor(7, 'light'), segmentColor(7, 'dark'), 'black turns light in dark mode');
  assert.equal(segmentShape(7), 'circle');
  assert.equal(segmentShape(8), 'diamond');
  assert.equal(segmentColor(8, 'light'), segmentColor(0, 'light'));
});

test('helpers: non-positive spend count, marker sizes grow with orders and are capped', () => {
  assert.equal(countNonPositive(data.monetary), 1);
  assert.equal(countNonPositive(new Float64Array([0, NaN, 1])), 2);
  assert.equal(markerSize(1), 4);
  assert.ok(markerSize(8) > markerSize(2));
  assert.equal(markerSize(10_000), 16);
  assert.deepEqual([1, 2, 3, 4, 31, 32, 10_000].map(sizeClass), [0, 1, 1, 2, 4, 5, 5]);
});

test('thousands of customers: a few one-pass series per segment, one legend entry each, tooltips still per customer', () => {
  const n = 3000;
  const many = {
    ids: Array.from({ length: n }, (_, i) => `C${i}`),
    recency: Float64Array.from({ length: n }, (_, i) => i % 365),
    frequency: Float64Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 50 : 1 + (i % 40))), // segment 3: big buyers only
    monetary: Float64Array.from({ length: n }, (_, i) => 10 + i),
    labels: Int32Array.from({ length: n }, (_, i) => i % 3),
    k: 3,
    asOf: '2011-12-10',
  };
  const option = /** @type {any} */ (scatterChartOption(many, 'light', 800));
  assert.ok(series(option).every((s) => s.large && s.largeThreshold === 0 && typeof s.symbolSize === 'number'));
  assert.ok(
    series(option).every((s) => s.data.length > 0),
    'no empty large series (ECharts fails to paint one)',
  );
  for (const s of series(option))
    assert.equal(s.itemStyle.color, segmentColor(option.legend.data.indexOf(s.name), 'light'), 'each series in its segment’s colour');
  assert.deepEqual(option.legend.data, ['Segment 1', 'Segment 2', 'Segment 3']);
  assert.deepEqual([...new Set(series(option).map((s) => s.name))].sort(), option.legend.data);
  assert.equal(
    series(option).reduce((sum, s) => sum + s.data.length, 0),
    n,
    'every customer drawn once',
  );
  for (let i = 1; i < series(option).length; i++) {
    assert.ok(series(option)[i - 1].symbolSize >= series(option)[i].symbolSize, 'big markers drawn first');
  }
  series(option).forEach((s, index) => {
    for (const p of s.data) {
      assert.equal(many.labels[p[3]], option.legend.data.indexOf(s.name), 'a point sits in its segment’s series');
      assert.equal(s.symbolSize, series(option).find((t) => t.data.some((/** @type {number[]} */ q) => sizeClass(q[2]) === sizeClass(p[2])))?.symbolSize);
    }
    const html = option.tooltip.formatter({ data: s.data[0], seriesIndex: index });
    assert.match(html, new RegExp(`Customer C${s.data[0][3]}<`));
    assert.ok(html.includes(s.name));
  });
});

test('the plot starts below the legend, which wraps on narrow charts', () => {
  assert.equal(plotTop(2, 900), plotTop(7, 900), 'one legend row for up to 7 segments at 900 px');
  assert.ok(plotTop(10, 900) > plotTop(7, 900));
  assert.ok(plotTop(4, 340) > plotTop(4, 900), 'a phone needs two rows for 4 segments');
  const option = /** @type {any} */ (scatterChartOption(data, 'light', 340));
  assert.equal(option.grid.top, plotTop(3, 340));
});
