// @ts-check
// Option builders of the Segments, Profiles and What-if charts (pure, no DOM): names and colours
// come from the styles, customer text is escaped, the suggested k is marked, the importance scale
// is centred at 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { dendrogramOption } from '../../web/charts/dendrogram-chart.js';
import { embeddingAxisNames, embeddingOption, loadingsNote } from '../../web/charts/embedding-chart.js';
import { importanceColumns, importanceOption, relativeLabel } from '../../web/charts/importance-chart.js';
import { kSweepOption, sweepPanels, sweepTooltipHtml } from '../../web/charts/k-sweep-chart.js';
import { DIVERGING, divergingColor } from '../../web/charts/palette.js';
import { scatterChartOption } from '../../web/charts/scatter-chart.js';
import { silhouetteOption } from '../../web/charts/silhouette-chart.js';
import { snakeOption } from '../../web/charts/snake-chart.js';
import { whatIfOption } from '../../web/charts/what-if-chart.js';
import { dendrogramData } from '../../web/model/dendrogram.js';
import { noOverrides, segmentStyles, withColor, withName } from '../../web/model/segment-style.js';
import { silhouettePlotData } from '../../web/model/silhouette-plot.js';
import { snakePlotData } from '../../web/model/snake-plot.js';
import { projectRevenue } from '../../web/model/what-if.js';

const english = new Intl.NumberFormat().resolvedOptions().locale.startsWith('en');
const skip = english ? false : 'needs an English default locale';

const styles = segmentStyles(
  [{ name: 'Insiders' }, { name: 'Sleeping' }],
  withColor(withName(noOverrides(), 'Insiders', 'VIP <3'), 'Sleeping', '#123456'),
  'light',
);
/** @param {any} o */
const series = (o) => /** @type {any[]} */ (o.series);

test('every chart names and colours segments from the styles (renames and picked colours included)', () => {
  const data = {
    ids: ['<b>A</b>', 'B', 'C'],
    recency: new Float64Array([1, 2, 3]),
    frequency: new Float64Array([1, 1, 2]),
    monetary: new Float64Array([10, 20, 30]),
    labels: new Int32Array([0, 1, 1]),
    coords: new Float64Array([0, 0, 1, 1, 2, 2]),
    explainedVarianceRatio: new Float64Array([0.7, 0.2]),
    method: 'pca',
  };
  const scatter = /** @type {any} */ (scatterChartOption({ ...data, k: 2, asOf: '2011-12-10' }, 'light', 800, styles));
  const map = /** @type {any} */ (embeddingOption(data, styles, 'light', 800));
  for (const option of [scatter, map]) {
    assert.deepEqual(
      series(option).map((s) => s.name),
      ['VIP <3', 'Sleeping'],
    );
    assert.deepEqual(option.color, [styles[0].color, '#123456']);
  }
  const html = map.tooltip.formatter({ data: series(map)[0].data[0], seriesIndex: 0 });
  assert.ok(html.includes('Customer &lt;b&gt;A&lt;/b&gt;') && html.includes('VIP &lt;3'), 'ids and names escaped');
  assert.ok(!html.includes('<b>A'));
  const snake = /** @type {any} */ (snakeOption(snakePlotData({ recency: data.recency }, ['recency'], data.labels, 2), styles, 'dark', 600));
  assert.deepEqual(
    series(snake).map((s) => s.lineStyle.color),
    [styles[0].color, '#123456'],
  );
});

test('PCA axes say how much variance they keep; loadings in words', { skip }, () => {
  assert.deepEqual(embeddingAxisNames('pca', [0.733, 0.2024]), ['PC1 (73.3% of the variance)', 'PC2 (20.2% of the variance)']);
  assert.match(embeddingAxisNames('tsne', undefined)[0], /t-SNE 1/);
  assert.equal(
    loadingsNote(new Float64Array([-0.74, 0.67, 0.92, 0.21, 0.89, 0.34]), ['recency', 'frequency', 'monetary'], (f) => f),
    'PC1: frequency +0.92, monetary +0.89, recency −0.74. PC2: recency +0.67, monetary +0.34, frequency +0.21.',
  );
});

test('k sweep: four panels, BIC only for Gaussian mixtures, the suggested k marked and explained', () => {
  const sweep = {
    k: new Int32Array([2, 3, 4]),
    objective: new Float64Array([30, 20, 15]),
    inertia: new Float64Array([30, 20, 15]),
    silhouette: new Float64Array([0.3, 0.5, 0.4]),
    daviesBouldin: new Float64Array([1, 0.8, 0.9]),
    calinskiHarabasz: new Float64Array([100, 120, 110]),
    bic: new Float64Array([NaN, NaN, NaN]),
    collapsed: new Int32Array([0, 0, 0]),
    silhouetteSampled: false,
    suggestion: /** @type {const} */ ({ k: 3, criterion: 'silhouette', reason: 'The highest mean silhouette (0.500) is at k = 3.' }),
  };
  assert.deepEqual(
    sweepPanels('kmeans').map((p) => p.key),
    ['inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz'],
  );
  assert.deepEqual(
    sweepPanels('gmm').map((p) => p.key),
    ['objective', 'silhouette', 'daviesBouldin', 'bic'],
  );
  const option = /** @type {any} */ (kSweepOption(sweep, 'kmeans', 'light', 900));
  assert.equal(series(option).length, 4);
  assert.equal(option.grid.length, 4);
  assert.ok(
    series(option).every((s) => s.markLine.data[0].xAxis === '3'),
    'k = 3 marked on every panel',
  );
  assert.equal(series(option)[1].data[1].symbolSize, 11, 'its point is larger');
  assert.match(option.title[1].text, /suggested k = 3/);
  assert.match(sweepTooltipHtml(sweep, 'kmeans', 0), /Suggested k = 3: The highest mean silhouette \(0\.500\)/);
  // A mixture: BIC chose k = 4 (its panel names it, not the silhouette's); k = 3 collapsed, so
  // neither its BIC nor its likelihood is plotted, and the tooltip says why.
  const mixture = {
    ...sweep,
    k: new Int32Array([2, 3, 4, 5]),
    objective: new Float64Array([30, -900, 15, 12]),
    inertia: new Float64Array([30, 20, 15, 12]),
    silhouette: new Float64Array([0.3, 0.5, 0.4, 0.35]),
    daviesBouldin: new Float64Array([1, 0.8, 0.9, 1]),
    calinskiHarabasz: new Float64Array([100, 120, 110, 90]),
    bic: new Float64Array([700, -5000, 640, 660]),
    collapsed: new Int32Array([0, 1, 0, 0]),
    suggestion: /** @type {const} */ ({ k: 4, criterion: 'bic-minimum', reason: 'BIC is lowest (640.0) at k = 4.' }),
  };
  const gmm = /** @type {any} */ (kSweepOption(mixture, 'gmm', 'light', 900));
  assert.match(gmm.title[3].text, /BIC \(lower is better\) · suggested k = 4 · 1 k collapsed/);
  assert.doesNotMatch(gmm.title[1].text, /suggested/);
  const bicPoints = series(gmm)[3].data.map((/** @type {any} */ d) => (d && typeof d === 'object' ? d.value : d));
  assert.deepEqual(bicPoints, [700, null, 640, 660]);
  assert.equal(series(gmm)[0].data[1], null, 'no likelihood point where a component collapsed');
  assert.equal(series(gmm)[1].data[1], 0.5, 'the silhouette is still plotted there');
  assert.ok(series(gmm).every((/** @type {any} */ s) => s.markLine.data[0].xAxis === '4'));
  const tip = sweepTooltipHtml(mixture, 'gmm', 1);
  assert.match(tip, /BIC: not comparable/);
  assert.match(tip, /1 component collapsed onto customers who share one value/);
  const narrow = /** @type {any} */ (kSweepOption(sweep, 'kmeans', 'light', 400));
  assert.ok(
    narrow.grid.every((/** @type {any} */ g) => g.left === 56),
    'one column on a phone',
  );
});

test('silhouette and dendrogram options: one band per segment and a mean line; links by segment, the cut', () => {
  const plot = silhouettePlotData(new Float64Array([0.5, 0.2, 0.7]), null, new Int32Array([0, 1, 1]), 2);
  const sil = /** @type {any} */ (silhouetteOption(plot, styles, 'light', 700));
  assert.deepEqual(
    series(sil).map((s) => s.name),
    ['VIP <3', 'Sleeping', 'Mean'],
  );
  assert.deepEqual(series(sil)[2].data, [
    [0, plot.mean],
    [plot.width, plot.mean],
  ]);
  const tree = dendrogramData(new Float64Array([0, 1, 1, 2, 2, 4, 3, 3, 3, 5, 6, 4]), new Int32Array([0, 0, 0, 1]), 2);
  const dendro = /** @type {any} */ (dendrogramOption(tree, styles, ['a', 'b', 'c', '<d>'], 'light'));
  assert.deepEqual(
    series(dendro).map((s) => s.name),
    ['Above the cut', 'VIP <3', 'Cut'],
  );
  assert.equal(series(dendro)[1].data.filter((/** @type {unknown} */ p) => p === null).length, 2, 'two ⊓ shapes below the cut');
  assert.deepEqual(dendro.xAxis.axisLabel.customValues, [5, 15, 25, 35]);
  assert.equal(dendro.xAxis.axisLabel.formatter(5), '<d>', 'axis labels are text, not HTML');
});

test('relative importance: diverging colours centred at 0, signed labels, all-empty features left out', () => {
  assert.equal(divergingColor(0, 'light'), DIVERGING.light.zero);
  assert.equal(divergingColor(-1, 'light'), DIVERGING.light.negative);
  assert.equal(divergingColor(5, 'dark'), DIVERGING.dark.positive, 'clamped');
  assert.equal(relativeLabel(1.82), '+182%');
  assert.equal(relativeLabel(-0.054), '−5%');
  assert.equal(relativeLabel(-0.001), '+0%');
  const profiles = [{ relative: new Float64Array([1, NaN, -0.5]) }, { relative: new Float64Array([-0.2, NaN, 0.1]) }];
  assert.deepEqual(importanceColumns(profiles, ['a', 'b', 'c']), { columns: [0, 2], omitted: ['b'] });
  const option = /** @type {any} */ (importanceOption(profiles, ['recency', 'returns_count', 'monetary'], styles, 'light', 800));
  assert.equal(option.xAxis.data.length, 2);
  assert.equal(series(option)[0].data.length, 4);
  assert.equal(series(option)[0].data[0].itemStyle.color, divergingColor(1, 'light'));
  assert.deepEqual(option.yAxis.data, ['VIP <3', 'Sleeping']);
  const phone = /** @type {any} */ (importanceOption(profiles, ['recency', 'returns_count', 'monetary'], styles, 'light', 390));
  assert.deepEqual(phone.xAxis.data, ['VIP <3', 'Sleeping'], 'a phone gets segments as columns');
  assert.equal(phone.yAxis.data.length, 2, 'and features as rows');
  assert.deepEqual(series(phone)[0].data[0].value, [0, 0, 1]);
});

test('what-if bars: before in grey, after in the segment colour', () => {
  const result = projectRevenue(
    [
      { segment: 0, customers: 10, revenue: 5000 },
      { segment: 1, customers: 20, revenue: 1000 },
    ],
    { best: 0, uplift: 0.1, conversion: [0, 0.5] },
  );
  const option = /** @type {any} */ (whatIfOption(result, styles, 'light'));
  assert.deepEqual(series(option)[0].data, [5000, 1000]);
  assert.deepEqual(
    series(option)[1].data.map((/** @type {any} */ d) => d.itemStyle.color),
    [styles[0].color, '#123456'],
  );
  assert.deepEqual(option.xAxis.data, ['VIP <3', 'Sleeping']);
});
