// The clustering bindings on the demo data: every algorithm gives a full partition, profiles that
// add up, quality metrics in range; and the same partition as the native `loyaltylens cluster` on
// the same features (log1p + standard scaling, same seed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const cli = path.join(repoRoot, 'build', 'native', 'loyaltylens');

function load() {
  const bytes = fs.readFileSync(sample);
  assert.equal(wasm.ingestBegin({ fileName: 'sample.csv', size: bytes.length }).ok, true);
  assert.equal(wasm.ingestChunk(bytes).ok, true);
  const res = wasm.ingestFinish();
  assert.equal(res.ok, true);
  return res;
}

/** True when two labelings are the same partition (labels may be renumbered). */
function samePartition(a, b) {
  const map = new Map();
  const back = new Map();
  for (let i = 0; i < a.length; i++) {
    if (map.has(a[i]) && map.get(a[i]) !== b[i]) return false;
    if (back.has(b[i]) && back.get(b[i]) !== a[i]) return false;
    map.set(a[i], b[i]);
    back.set(b[i], a[i]);
  }
  return true;
}

const res = load();
const n = res.summary.customers;

for (const algorithm of ['kmeans', 'kmedoids', 'gmm', 'ward', 'average', 'complete', 'single']) {
  test(`${algorithm}: a full partition, profiles that add up, metrics in range`, () => {
    const r = wasm.clusterCustomers({ algorithm, k: 4, seed: 1 });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.labels.length, n);
    assert.equal(r.profiles.length, 4);
    assert.equal(
      r.profiles.reduce((s, p) => s + p.customers, 0),
      n,
    );
    const shares = r.profiles.reduce((s, p) => s + p.revenueShare, 0);
    assert.ok(Math.abs(shares - 1) < 1e-9);
    const means = r.profiles.map((p) => (p.customers ? p.revenue / p.customers : -Infinity));
    assert.deepEqual(
      means,
      [...means].sort((x, y) => y - x),
      'segments ordered by mean spend',
    );
    assert.ok(r.silhouette.mean >= -1 && r.silhouette.mean <= 1);
    assert.equal(r.silhouette.values.length, n);
    assert.ok(r.daviesBouldin >= 0);
    assert.ok(new Set(r.profiles.map((p) => p.name)).size === 4, 'names are unique');
    if (algorithm === 'kmedoids') assert.equal(r.medoids.length, 4);
    if (algorithm === 'gmm') {
      assert.ok(Number.isFinite(r.bic));
      assert.equal(r.responsibilities.length, n * 4);
    }
    if (['ward', 'average', 'complete', 'single'].includes(algorithm)) assert.equal(r.linkage.length, (n - 1) * 4);
  });
}

/** The customers' RFM as a numeric CSV for the native CLI (JS prints each double so it reads back exactly). */
function writePoints() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-'));
  const points = path.join(dir, 'points.csv');
  let csv = 'recency,frequency,monetary\n';
  for (let i = 0; i < n; i++) csv += `${res.recency[i]},${res.frequency[i]},${res.monetary[i]}\n`;
  fs.writeFileSync(points, csv);
  return points;
}

test('wasm clustering equals the native CLI on the same features', () => {
  const points = writePoints();
  for (const algorithm of ['kmeans', 'kmedoids', 'gmm', 'ward']) {
    const out = JSON.parse(
      execFileSync(cli, ['cluster', '--input', points, '--algo', algorithm, '--k', '4', '--scale', 'standard', '--log', '--seed', '1', '--json'], {
        encoding: 'utf8',
      }),
    );
    const r = wasm.clusterCustomers({ algorithm, k: 4, seed: 1 });
    assert.ok(samePartition(out.labels, [...r.labels]), algorithm);
    assert.ok(Math.abs(out.objective - r.objective) <= 1e-9 * Math.abs(out.objective), algorithm);
  }
});

test('k sweep and PCA', () => {
  const s = wasm.kSweep({ algorithm: 'kmeans', kMin: 2, kMax: 6, seed: 1 });
  assert.equal(s.ok, true, JSON.stringify(s.error));
  assert.deepEqual([...s.k], [2, 3, 4, 5, 6]);
  for (let i = 1; i < s.inertia.length; i++) assert.ok(s.inertia[i] <= s.inertia[i - 1] * 1.0001, 'inertia falls with k');
  const e = wasm.embed({});
  assert.equal(e.ok, true);
  assert.equal(e.coords.length, n * 2);
  assert.ok(e.explainedVarianceRatio[0] >= e.explainedVarianceRatio[1]);
  const bad = wasm.clusterCustomers({ algorithm: 'dbscan', k: 4 });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.name, 'InvalidArgument');
});

test('t-SNE map: every customer placed, deterministic, same as a second run', () => {
  const a = wasm.embed({ method: 'tsne', seed: 1 });
  assert.equal(a.ok, true, JSON.stringify(a.error));
  assert.equal(a.method, 'tsne');
  assert.equal(a.coords.length, n * 2);
  assert.ok(a.coords.every(Number.isFinite));
  const b = wasm.embed({ method: 'tsne', seed: 1 });
  assert.deepEqual([...b.coords], [...a.coords]);
});

// t-SNE amplifies a 1-ulp difference anywhere upstream (the features' log1p, the PCA start) into
// another map, so this compares bits, not closeness: the page's map is the one `loyaltylens embed` gives.
test('t-SNE and PCA maps: the same bits as the native CLI on the same features', () => {
  const points = writePoints();
  const native = (method) =>
    JSON.parse(execFileSync(cli, ['embed', '--input', points, '--method', method, '--scale', 'standard', '--log', '--seed', '1'], { encoding: 'utf8' }));
  const t = wasm.embed({ method: 'tsne', seed: 1 });
  assert.equal(t.ok, true, JSON.stringify(t.error));
  const tn = native('tsne');
  assert.equal(tn.n, n);
  assert.equal(tn.sampled, t.sampled);
  assert.equal(tn.kl_divergence, t.klDivergence);
  const wc = [...t.coords];
  const diff = wc.findIndex((v, i) => !Object.is(v, tn.coords[i]));
  assert.equal(diff, -1, `t-SNE coordinate ${diff} differs: wasm ${wc[diff]}, native ${tn.coords[diff]}`);
  assert.equal(wc.length, tn.coords.length);
  const p = wasm.embed({});
  assert.equal(p.ok, true, JSON.stringify(p.error));
  const pn = native('pca');
  assert.deepEqual([...p.coords], pn.coords);
  assert.deepEqual([...p.explainedVarianceRatio], pn.explained_variance_ratio);
});
