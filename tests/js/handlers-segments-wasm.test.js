// @ts-check
// The Segments-step handlers (cluster, kSweep, embed) against the real wasm on the demo data:
// the default clustering is the `segment` binding's K-Means label for label; every algorithm
// gives profiles that add up; the per-k sweep equals the core's own sweep; a hierarchical result
// gives a dendrogram; average linkage above 10,000 customers fails with the core's message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { parseCsv } from '../../web/export/csv-export.js';
import { clusterParams, defaultClusterSettings } from '../../web/model/cluster-settings.js';
import { dendrogramData } from '../../web/model/dendrogram.js';
import { silhouettePlotData } from '../../web/model/silhouette-plot.js';
import { snakePlotData } from '../../web/model/snake-plot.js';
import { createHandlers } from '../../web/worker/handlers.js';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const noProgress = () => {};

/** @param {string} name @param {string | Buffer} bytes */
async function loaded(name, bytes) {
  const handlers = createHandlers(wasm);
  const analysis = await handlers.loadFile({ file: new Blob([bytes]), name }, noProgress);
  return { handlers, analysis };
}
// The wasm holds one file at a time: each test reads the sample again (or its own file).
const sampleBytes = fs.readFileSync(sample);
const fresh = () => loaded('online-retail-sample.csv', sampleBytes);
const n = (await fresh()).analysis.customers.ids.length;

test('default settings: the same labels as the `segment` binding (the CLI’s K-Means), for k 2 to 6', async () => {
  const { handlers } = await fresh();
  for (const k of [2, 3, 4, 5, 6]) {
    const clustered = await handlers.cluster(clusterParams(defaultClusterSettings(), k), noProgress);
    const segmented = await handlers.segment({ k, seed: 1, nInit: 10 }, noProgress);
    assert.deepEqual([...clustered.labels], [...segmented.labels], `k = ${k}`);
    // `segment`'s inertia is K-Means's objective (distances to its final centres); the cluster
    // result's `inertia` is about the segments' means, which may differ a little after a
    // tolerance stop (k = 3 here).
    assert.ok(Math.abs(clustered.objective - segmented.inertia) <= 1e-9 * segmented.inertia);
    assert.ok(clustered.inertia <= clustered.objective + 1e-9);
  }
});

test('every algorithm: full partition, profiles that add up and are named, metrics in range', async () => {
  const { handlers, analysis } = await fresh();
  for (const algorithm of /** @type {const} */ (['kmeans', 'kmedoids', 'gmm', 'ward', 'average', 'complete', 'single'])) {
    const r = await handlers.cluster({ ...clusterParams(defaultClusterSettings(), 4), algorithm }, noProgress);
    assert.equal(r.labels.length, n, algorithm);
    assert.equal(
      r.profiles.reduce((t, p) => t + p.customers, 0),
      n,
    );
    assert.ok(r.profiles.every((p) => p.name.length > 0));
    assert.equal(r.profileFeatures.length, r.profiles[0].mean.length);
    assert.ok(r.silhouette && r.silhouette.values.length === n && r.silhouette.mean <= 1);
    const plot = silhouettePlotData(r.silhouette.values, r.silhouette.rows, r.labels, 4);
    assert.equal(plot.shown, n);
    assert.ok(Math.abs(plot.mean - r.silhouette.mean) < 1e-9, 'the plot’s mean is the core’s');
    if (['ward', 'average', 'complete', 'single'].includes(algorithm)) {
      assert.ok(r.linkage);
      const tree = dendrogramData(/** @type {Float64Array} */ (r.linkage), r.labels, 4);
      assert.ok(tree.truncated && tree.leaves.length === 40);
      assert.equal(
        tree.leaves.reduce((t, l) => t + l.size, 0),
        n,
        'the leaves hold every customer',
      );
      assert.equal(tree.links.filter((l) => l.segment < 0).length, 3);
      // The cut's colours agree with the labels: each leaf is one segment.
      assert.ok(tree.leaves.every((l) => l.segment >= 0 && l.segment < 4));
    } else {
      assert.equal(r.linkage, null);
    }
    if (algorithm === 'gmm') assert.ok(Number.isFinite(r.bic));
    if (algorithm === 'kmedoids') assert.equal(r.medoids?.length, 4);
  }
  const snake = snakePlotData(analysis.customers.features, ['recency', 'frequency', 'monetary'], (await handlers.cluster({ k: 4 }, noProgress)).labels, 4);
  assert.ok(snake.means[0][2] > snake.means[3][2], 'segment 1 spends more than segment 4');
});

test('k sweep one k at a time equals the core’s sweep, with progress after each k; linkages in one call', async () => {
  const { handlers } = await fresh();
  /** @type {any[]} */
  const reports = [];
  const params = { ...clusterParams(defaultClusterSettings(), 0), kMin: 2, kMax: 10 };
  const stepped = await handlers.kSweep(params, (p) => reports.push(p));
  const whole = wasm.kSweep(params);
  for (const key of ['k', 'objective', 'inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz']) {
    assert.deepEqual([...stepped[key]], [...whole[key]], key);
  }
  assert.deepEqual(
    reports.map((r) => r.done),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.ok(reports.every((r) => r.stage === 'sweep' && r.total === 9));
  const ward = await handlers.kSweep({ ...params, algorithm: 'ward', kMax: 5 }, noProgress);
  assert.deepEqual([...ward.k], [2, 3, 4, 5]);
  const gmm = await handlers.kSweep({ ...params, algorithm: 'gmm', kMax: 4 }, noProgress);
  assert.ok([...gmm.bic].every(Number.isFinite), 'BIC for Gaussian mixtures');
});

test('embed: PCA of the chosen features; t-SNE is either a real t-SNE map or Unsupported', async () => {
  const { handlers } = await fresh();
  const pca = await handlers.embed({ features: ['recency', 'frequency', 'monetary'], log1p: true }, noProgress);
  assert.equal(pca.method, 'pca');
  assert.equal(pca.coords.length, 2 * n);
  assert.ok(pca.explainedVarianceRatio[0] >= pca.explainedVarianceRatio[1]);
  try {
    const tsne = await handlers.embed({ method: 'tsne' }, noProgress);
    assert.equal(tsne.method, 'tsne');
    assert.equal(tsne.coords.length, 2 * n);
  } catch (err) {
    assert.equal(/** @type {Error} */ (err).name, 'Unsupported');
  }
});

test('errors come back with the core’s message: an unknown feature, average linkage above 10,000 customers', async () => {
  const { handlers } = await fresh();
  await assert.rejects(handlers.cluster({ features: ['recency', 'nope'] }, noProgress), { name: 'InvalidArgument', message: /nope/ });
  const rows = ['customer_id,recency,frequency,monetary'];
  for (let i = 0; i < 10_050; i++) rows.push(`C${i},${(i * 37) % 365},${1 + (i % 17)},${((i * 7919) % 5000) + 1}.5`);
  const big = await loaded('customers.csv', rows.join('\n'));
  assert.equal(big.analysis.customers.ids.length, 10_050);
  await assert.rejects(big.handlers.cluster({ algorithm: 'average', k: 4 }, noProgress), {
    name: 'InvalidArgument',
    message: /average linkage keeps all n\(n-1\)\/2 pairwise distances: n_samples=10050 is above its limit of 10000/,
  });
});

test('the full customer table can carry the clustering’s segment number and name', async () => {
  const { handlers } = await fresh();
  const rfm = await handlers.rfmScores({}, noProgress);
  const seg = await handlers.segment({ k: 4, seed: 1, nInit: 10 }, noProgress);
  const clustered = await handlers.cluster({ k: 4, algorithm: 'ward' }, noProgress);
  const names = clustered.profiles.map((p) => `${p.name} (renamed)`);
  const { csv } = await handlers.customerCsv(
    {
      r: rfm.r,
      f: rfm.f,
      m: rfm.m,
      rfmSegment: rfm.segment,
      rfmNames: rfm.rules.map((r) => r.name),
      labels: seg.labels,
      segments: { labels: clustered.labels, names },
    },
    noProgress,
  );
  const [header, ...rows] = parseCsv(csv);
  assert.deepEqual(header.slice(-3), ['kmeans_segment', 'segment', 'segment_name']);
  rows.forEach((row, i) => {
    assert.equal(row.at(-2), String(clustered.labels[i] + 1));
    assert.equal(row.at(-1), names[clustered.labels[i]]);
  });
});

const contactsCsv = [
  'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,Email',
  '1,A,1,2011-01-03,10,C1,France,Ann.Lee+promo@GMail.com',
  '2,A,1,2011-01-04,10,C2,France,',
].join('\n');
const contactsReturned = typeof (await loaded('contacts.csv', contactsCsv)).analysis.customers.emails?.length === 'number';

test(
  'contact values per customer (email role) reach the page',
  { todo: contactsReturned ? false : 'this build of the wasm returns no emails/phones (npm run build:wasm)' },
  async () => {
    const withContacts = await loaded('contacts.csv', contactsCsv);
    assert.equal(withContacts.analysis.summary.roles.email, 'Email');
    assert.deepEqual(withContacts.analysis.customers.emails, ['Ann.Lee+promo@GMail.com', '']);
  },
);
