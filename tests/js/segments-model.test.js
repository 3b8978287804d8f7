// @ts-check
// The pure models behind steps 3–6: clustering settings, segment names and colours, the what-if
// projection (hand-computed), silhouette and snake plot data, the crosstab, the dendrogram layout
// (against SciPy's own output) and the k sweep's suggestion.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  clusterParams,
  defaultClusterSettings,
  isKMeansDefault,
  preprocessKey,
  sweepKey,
  sweepRange,
  validateClusterSettings,
} from '../../web/model/cluster-settings.js';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { crosstab, usedColumns } from '../../web/model/crosstab.js';
import { dendrogramData } from '../../web/model/dendrogram.js';
import { criterionLabel, joinSweeps } from '../../web/model/k-sweep.js';
import { cleanName, duplicateNames, noOverrides, segmentStyles, withColor, withName } from '../../web/model/segment-style.js';
import { silhouettePlotData } from '../../web/model/silhouette-plot.js';
import { snakePlotData } from '../../web/model/snake-plot.js';
import { bestSegment, projectRevenue, whatIfParamsFor } from '../../web/model/what-if.js';
import { segmentColor } from '../../web/charts/palette.js';
import { repoRoot } from './support/wasm-node.js';

const close = (/** @type {number} */ a, /** @type {number} */ b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

test('cluster settings: the defaults are the K-Means of `loyaltylens segment`; any change is not', () => {
  const d = defaultClusterSettings();
  assert.ok(isKMeansDefault(d));
  assert.deepEqual(clusterParams(d, 4), {
    features: ['recency', 'frequency', 'monetary'],
    log1p: true,
    winsorLo: 0,
    winsorHi: 100,
    scaler: 'standard',
    algorithm: 'kmeans',
    k: 4,
    seed: 1,
  });
  for (const patch of [
    { algorithm: 'gmm' },
    { log1p: false },
    { seed: 2 },
    { scaler: 'robust' },
    { winsorHi: 99 },
    { features: ['recency', 'monetary', 'frequency'] },
  ]) {
    assert.ok(!isKMeansDefault({ ...d, ...patch }), JSON.stringify(patch));
  }
  assert.equal(clusterParams({ ...d, algorithm: 'gmm', covariance: 'diag' }, 3).covariance, 'diag');
  assert.equal(clusterParams({ ...d, covariance: 'diag' }, 3).covariance, undefined, 'covariance only for GMM');
  assert.equal(preprocessKey(d), preprocessKey({ ...d, algorithm: 'ward', seed: 9 }), 'the map does not depend on the algorithm');
  assert.notEqual(preprocessKey(d), preprocessKey({ ...d, log1p: false }));
  assert.notEqual(sweepKey(d), sweepKey({ ...d, algorithm: 'ward' }));
  assert.deepEqual(validateClusterSettings(d), {});
  assert.ok(validateClusterSettings({ ...d, features: [] }).features);
  assert.ok(validateClusterSettings({ ...d, winsorLo: 60, winsorHi: 40 }).winsor);
  assert.ok(validateClusterSettings({ ...d, seed: 1.5 }).seed);
  assert.deepEqual(sweepRange(872), { kMin: 2, kMax: 10 });
  assert.deepEqual(sweepRange(5), { kMin: 2, kMax: 4 });
  assert.equal(sweepRange(2), null);
});

test('segment styles: core names and palette by default; renames and colours follow the automatic name', () => {
  const profiles = [{ name: 'Insiders' }, { name: 'At Risk' }, { name: 'Sleeping' }];
  const plain = segmentStyles(profiles, noOverrides(), 'light');
  assert.deepEqual(
    plain.map((s) => s.name),
    ['Insiders', 'At Risk', 'Sleeping'],
  );
  assert.deepEqual(
    plain.map((s) => s.color),
    [0, 1, 2].map((i) => segmentColor(i, 'light')),
  );
  let o = withName(noOverrides(), 'Insiders', '  VIP\u0007 customers ');
  o = withColor(o, 'Sleeping', '#AABBCC');
  const styled = segmentStyles(profiles, o, 'dark');
  assert.equal(styled[0].name, 'VIP customers');
  assert.ok(styled[0].customName);
  assert.equal(styled[2].color, '#aabbcc');
  // After re-clustering, the Insiders are segment 1 → they keep their name.
  const again = segmentStyles([{ name: 'Potentials' }, { name: 'Insiders' }], o, 'light');
  assert.equal(again[1].name, 'VIP customers');
  assert.equal(again[1].color, segmentColor(1, 'light'), 'no colour chosen for the Insiders: palette by position');
  assert.deepEqual(withName(o, 'Insiders', 'Insiders').names, {}, 'the automatic name again removes the override');
  assert.deepEqual(withColor(o, 'Sleeping', 'red').colors, {}, 'only #rrggbb colours are kept');
  assert.equal(cleanName('x'.repeat(80)).length, 40);
  assert.deepEqual([...duplicateNames(segmentStyles(profiles, withName(noOverrides(), 'At Risk', 'insiders'), 'light'))], ['insiders']);
});

test('what-if: hand-computed projection (uplift and conversions), and the notebook formula with no uplift', () => {
  // Best: 10 customers, 5,000 (mean 500). Others: 20 customers, 4,000 (mean 200); 50, 2,500 (mean 50).
  const segments = [
    { segment: 0, customers: 10, revenue: 5000 },
    { segment: 1, customers: 20, revenue: 4000 },
    { segment: 2, customers: 50, revenue: 2500 },
  ];
  assert.equal(bestSegment(segments), 0);
  const r = projectRevenue(segments, { best: 0, uplift: 0.1, conversion: [0.5, 0.1, 0.2] });
  // Segment 1 keeps 90 %: 3,600 from 18 customers; segment 2 keeps 80 %: 2,000 from 40.
  assert.equal(r.rows[1].revenueAfter, 3600);
  assert.equal(r.rows[1].customersAfter, 18);
  assert.equal(r.rows[2].revenueAfter, 2000);
  // Best: 10 + 2 + 10 = 22 customers × 500 × 1.1 = 12,100 (its own conversion rate is ignored).
  assert.equal(r.rows[0].customersAfter, 22);
  assert.ok(close(r.rows[0].revenueAfter, 12100));
  assert.ok(close(r.total.revenueBefore, 11500));
  assert.ok(close(r.total.revenueAfter, 17700));
  assert.ok(close(r.total.change, 6200));
  assert.ok(close(/** @type {number} */ (r.total.changeShare), 6200 / 11500));
  assert.equal(r.total.customersAfter, 80, 'customers move, none are created');
  // u = 0: Σ R_s (1 − c_s) + Σ R_s c_s m_b / m_s = 5,000 + 3,600 + 2,000 + 1,000 + 5,000.
  const plain = projectRevenue(segments, { best: 0, uplift: 0, conversion: [0, 0.1, 0.2] });
  assert.ok(close(plain.total.revenueAfter, 16600));
  // A middle segment as the best: segment 1 (mean 200) gains from segment 2, loses nothing.
  const mid = projectRevenue(segments, { best: 1, uplift: 0, conversion: [0, 0, 0.2] });
  assert.ok(close(mid.rows[1].revenueAfter, 30 * 200));
  assert.ok(close(mid.total.revenueAfter, 5000 + 6000 + 2000));
  assert.throws(() => projectRevenue(segments, { best: 5, uplift: 0, conversion: [] }), RangeError);
  const defaults = whatIfParamsFor(segments, null);
  assert.deepEqual(defaults, { best: 0, uplift: 0.1, conversion: [0.05, 0.05, 0.05] });
  assert.equal(whatIfParamsFor(segments, { best: 2, uplift: 0.3, conversion: [0, 0, 0] }).best, 2, 'kept when it fits');
  assert.equal(whatIfParamsFor(segments.slice(0, 2), { best: 2, uplift: 0.3, conversion: [0, 0, 0] }).best, 0, 'reset for another k');
});

test('silhouette plot: sorted within segments, gaps between them, mean over all; sampled rows and reduction', () => {
  const labels = new Int32Array([1, 0, 1, 0, 1]);
  const plot = silhouettePlotData(new Float64Array([0.2, 0.9, 0.5, 0.1, -0.3]), null, labels, 2, { gapShare: 0.2 });
  assert.deepEqual(plot.bands[0].points, [
    [0, 0.9],
    [1, 0.1],
  ]);
  assert.equal(plot.bands[1].x0, 3, 'two customers, then a gap of one');
  assert.deepEqual(
    plot.bands[1].points.map((p) => p[1]),
    [0.5, 0.2, -0.3],
  );
  assert.ok(close(plot.mean, 1.4 / 5));
  assert.ok(close(plot.bands[0].mean, 0.5));
  assert.equal(plot.width, 7);
  // A sample: values belong to rows 4 and 1.
  const sampled = silhouettePlotData(new Float64Array([0.7, 0.4]), new Float64Array([4, 1]), labels, 2);
  assert.deepEqual(
    sampled.bands.map((b) => b.customers),
    [1, 1],
  );
  assert.equal(sampled.bands[1].points[0][1], 0.7);
  const many = silhouettePlotData(
    Float64Array.from({ length: 1000 }, (_, i) => i / 1000),
    null,
    new Int32Array(1000),
    1,
    { maxPerSegment: 50 },
  );
  assert.equal(many.bands[0].points.length, 50);
  assert.ok(many.reduced);
  assert.deepEqual([many.bands[0].points[0][1], many.bands[0].points[49][1]], [0.999, 0], 'the extremes are kept');
});

test('snake plot: per-segment mean of z-scores (log1p or not); missing values left out', () => {
  const columns = { a: new Float64Array([1, 2, 3, 4]), b: new Float64Array([10, NaN, 10, 30]) };
  const labels = new Int32Array([0, 0, 1, 1]);
  const raw = snakePlotData(columns, ['a', 'b'], labels, 2, { log1p: false });
  // a: mean 2.5, sd √1.25; segment 0 = mean of (−1.5, −0.5)/√1.25 = −1/√1.25.
  assert.ok(close(raw.means[0][0], -1 / Math.sqrt(1.25)));
  assert.ok(close(raw.means[1][0], 1 / Math.sqrt(1.25)));
  // b over three values 10, 10, 30: mean 50/3, sd √(800/9 ·… ) — segment 0 has only the 10.
  const mean = 50 / 3;
  const sd = Math.sqrt(((10 - mean) ** 2 * 2 + (30 - mean) ** 2) / 3);
  assert.ok(close(raw.means[0][1], (10 - mean) / sd));
  assert.ok(close(raw.means[1][1], ((10 - mean) / sd + (30 - mean) / sd) / 2));
  assert.deepEqual(raw.counts, [2, 2]);
  const logged = snakePlotData({ a: new Float64Array([0, Math.E - 1, -5, Math.E - 1]) }, ['a'], labels, 2);
  // log1p(max(v, 0)): 0, 1, 0, 1 → mean .5, sd .5 → z −1, 1, −1, 1.
  assert.ok(close(logged.means[0][0], 0));
  assert.ok(close(logged.means[1][0], 0));
});

test('crosstab: counts, totals, and the columns that hold customers', () => {
  const t = crosstab(new Int32Array([0, 0, 1, 1, 1]), 2, new Int32Array([2, 0, 2, 2, 0]), 4);
  assert.deepEqual(t.counts, [
    [1, 0, 1, 0],
    [1, 0, 2, 0],
  ]);
  assert.deepEqual(t.rowTotals, [2, 3]);
  assert.deepEqual(t.columnTotals, [2, 0, 3, 0]);
  assert.equal(t.total, 5);
  assert.deepEqual(usedColumns(t), [0, 2]);
  assert.throws(() => crosstab(new Int32Array(2), 1, new Int32Array(3), 1), RangeError);
});

test('dendrogram: SciPy’s layout, full and truncated (lastp), coloured by the cut', () => {
  // Hand example: 0+1 at 1, 2+4 at 3, 3+5 at 6 (SciPy: leaves 3, 2, 0, 1).
  const small = dendrogramData(new Float64Array([0, 1, 1, 2, 2, 4, 3, 3, 3, 5, 6, 4]), new Int32Array([0, 0, 0, 1]), 2);
  assert.deepEqual(
    small.links.map((l) => l.x),
    [
      [25, 25, 35, 35],
      [15, 15, 30, 30],
      [5, 5, 22.5, 22.5],
    ],
  );
  assert.deepEqual(
    small.links.map((l) => l.y),
    [
      [0, 1, 1, 0],
      [0, 3, 3, 1],
      [0, 6, 6, 3],
    ],
  );
  assert.deepEqual(
    small.leaves.map((l) => l.customer),
    [3, 2, 0, 1],
  );
  assert.deepEqual(
    small.links.map((l) => l.segment),
    [0, 0, -1],
    'the last merge is above the cut',
  );
  assert.equal(small.cut, 4.5);
  assert.equal(small.truncated, false);

  const ref = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/reference/dendrogram_scipy.json'), 'utf8'));
  const z = new Float64Array(ref.linkage.flat());
  const labels = new Int32Array(ref.n);
  const full = dendrogramData(z, labels, 1, { p: 1000 });
  assert.deepEqual(
    full.links.map((l) => l.x),
    ref.full.icoord,
  );
  full.links.forEach((l, i) => l.y.forEach((y, j) => assert.ok(close(y, ref.full.dcoord[i][j]), `full dcoord ${i}`)));
  assert.deepEqual(
    full.leaves.map((l) => l.customer),
    ref.full.leaves,
  );
  const cut = dendrogramData(z, labels, 3, { p: 8 });
  assert.ok(cut.truncated);
  assert.equal(cut.leaves.length, 8);
  assert.deepEqual(
    cut.links.map((l) => l.x),
    ref.lastp8.icoord,
  );
  cut.links.forEach((l, i) => l.y.forEach((y, j) => assert.ok(close(y, ref.lastp8.dcoord[i][j]), `lastp dcoord ${i}`)));
  assert.deepEqual(
    cut.leaves.map((l) => (l.customer === null ? `(${l.size})` : String(l.customer))),
    ref.lastp8.ivl,
  );
  assert.equal(cut.links.filter((l) => l.segment === -1).length, 2, 'k − 1 merges above the cut');
  assert.throws(() => dendrogramData(new Float64Array(8), new Int32Array(4), 2), RangeError);
});

test('k sweep: per-k parts join, collapsed counts included; the criterion in words', () => {
  const part = (/** @type {number} */ k, /** @type {number} */ s) => ({
    k: new Int32Array([k]),
    objective: new Float64Array([100 / k]),
    inertia: new Float64Array([100 / k]),
    silhouette: new Float64Array([s]),
    daviesBouldin: new Float64Array([1]),
    calinskiHarabasz: new Float64Array([2]),
    bic: new Float64Array([NaN]),
    collapsed: new Int32Array([k === 4 ? 1 : 0]),
    silhouetteSampled: k === 5,
  });
  const sweep = joinSweeps([part(2, 0.3), part(3, 0.45), part(4, 0.45), part(5, NaN)]);
  assert.deepEqual([...sweep.k], [2, 3, 4, 5]);
  assert.deepEqual([...sweep.silhouette], [0.3, 0.45, 0.45, NaN]);
  assert.deepEqual([...sweep.collapsed], [0, 0, 1, 0]);
  assert.equal(sweep.silhouetteSampled, true);
  assert.equal(criterionLabel('bic-elbow'), 'the elbow of BIC');
  assert.equal(criterionLabel('silhouette'), 'the silhouette');
});
